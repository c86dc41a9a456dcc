/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-launch-requirements.h"
#include "sl-measurement.h"
#include "sl-vmsa.h"

G_BEGIN_DECLS

/*
 * reference values: the launch digests of one set of artifacts for every
 * combination of vCPU count, CPU model, VMSA variant and sev_features an
 * owner accepts, so a launch can be verified without the artifacts
 */
#define SL_MANIFEST_SCHEMA_VERSION 1
#define SL_MANIFEST_KIND "sevlaunch-manifest"
/* far beyond any list of combinations, a bound on memory */
#define SL_MANIFEST_MAX_SIZE (256 * 1024 * 1024)

/* one input file as the manifest records it */
typedef struct {
	gchar *name; /* the file name, without its directory */
	guint64 size;
	guint8 sha256[SL_SHA256_SIZE];
} SlManifestFile;

typedef struct {
	guint8 launch_digest[SL_SHA256_SIZE];
	gboolean sev_es;
	/* SEV-ES only: */
	guint vcpus;
	gchar *cpu_name;
	guint32 cpu_signature;
	SlVmsaVariant vmsa_variant;
	guint64 sev_features;
} SlManifestEntry;

typedef struct {
	SlManifestFile *firmware;
	SlManifestFile *kernel; /* NULL: no kernel hashes */
	SlManifestFile *initrd; /* NULL: none */
	gchar *cmdline;         /* NULL: none */
	/* the firmware's SEV secret area, where a secret goes without --secret-gpa */
	gboolean has_secret_area;
	guint32 secret_area_base;
	guint32 secret_area_size;
	SlLaunchRequirements requirements;
	GPtrArray *entries; /* of SlManifestEntry */
} SlManifest;

SlManifest *
sl_manifest_new(void);
void
sl_manifest_free(SlManifest *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlManifest, sl_manifest_free)

void
sl_manifest_file_free(SlManifestFile *file);
void
sl_manifest_entry_free(SlManifestEntry *entry);

/* "SEV-ES, 4 vCPUs, EPYC-Milan (0xa00f11), init2, sev_features 0x20" */
gchar *
sl_manifest_entry_describe(const SlManifestEntry *entry);

/* the manifest document (JSON, docs/json/manifest.schema.json) */
gchar *
sl_manifest_to_json(const SlManifest *self);
/* every member type-checked; unknown schema versions refused */
SlManifest *
sl_manifest_new_from_json(const gchar *data, gsize len, GError **error);

/*
 * reads the manifest file; with @signature_path, first checks that detached
 * PKCS#7 signature over the file's exact bytes against the CA certificates
 * in @ca_path (SL_ERROR_NOT_VERIFIABLE if it does not verify)
 */
SlManifest *
sl_manifest_load(const gchar *path,
		 const gchar *signature_path,
		 const gchar *ca_path,
		 gchar **signer_issuer,
		 GError **error);

/*
 * which entry the reported measurement matches: each entry of the mode the
 * policy asks for (SEV or SEV-ES) gets its HMAC under the TIK and a
 * constant-time compare, with no early exit; *@index is -1 when none did.
 * @compared counts the entries tried.
 */
gboolean
sl_manifest_match(const SlManifest *self,
		  SlSecretBytes *tik,
		  const SlLaunchParams *params,
		  const guint8 reported[SL_MEASUREMENT_SIZE],
		  const guint8 mnonce[SL_MNONCE_SIZE],
		  gint *index,
		  guint *compared,
		  GError **error);

G_END_DECLS
