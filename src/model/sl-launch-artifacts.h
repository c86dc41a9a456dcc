/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sl-hashes-table.h"
#include "sl-launch-digest.h"
#include "sl-ovmf.h"
#include "sl-report.h"
#include "sl-vmsa.h"

G_BEGIN_DECLS

/* where the SEV-ES VMSAs come from */
typedef enum {
	SL_VMSA_SOURCE_NONE,
	SL_VMSA_SOURCE_CPU_SIGNATURE, /* built from a CPU signature and the AP reset address */
	SL_VMSA_SOURCE_FILES,         /* --vmsa-cpu0 / --vmsa-cpu1 */
} SlVmsaSource;

/*
 * the local artifacts the owner trusts, from which the expected launch
 * digest is rebuilt; nothing here ever comes from the host
 */
typedef struct {
	gchar *firmware;
	gchar *kernel;
	gchar *initrd;
	gchar *cmdline;
	guint vcpus; /* 0: not given */
	SlVmsaSource vmsa_source;
	guint32 cpu_signature;
	gchar *cpu_name; /* what the user called the CPU, for the report */
	gchar *vmsa_cpu0;
	gchar *vmsa_cpu1;
	SlVmsaVariant vmsa_variant;
	guint64 sev_features;
	gboolean vmsa_knobs_given; /* --vmsa-variant or --sev-features: SEV-ES only */

	/* filled by sl_launch_artifacts_check() */
	GBytes *firmware_image; /* read once: parsed into @ovmf, hashed into the digest */
	SlOvmf *ovmf;
	GBytes *vmsa_cpu0_page;
	GBytes *vmsa_cpu1_page;
} SlLaunchArtifacts;

/* what the firmware and kernel part of the digest came to; VMSAs are added later */
typedef struct {
	SlLaunchDigest *digest;          /* firmware || table, not finished */
	SlLaunchDigest *firmware_digest; /* firmware alone: what --explain continues */
	gboolean has_kernel_hashes;
	SlKernelHashes kernel_hashes;
} SlLaunchDigestPrefix;

SlLaunchArtifacts *
sl_launch_artifacts_new(void);
void
sl_launch_artifacts_free(SlLaunchArtifacts *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlLaunchArtifacts, sl_launch_artifacts_free)

void
sl_launch_digest_prefix_free(SlLaunchDigestPrefix *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlLaunchDigestPrefix, sl_launch_digest_prefix_free)

/*
 * QEMU's rules that need no guest: firmware present and parsable, kernel
 * hashes possible; every input file is opened here, before QEMU is contacted
 */
gboolean
sl_launch_artifacts_check(SlLaunchArtifacts *self, GError **error);
/* the SEV-ES rules, once it is known whether the guest is SEV-ES and how many vCPUs it has */
gboolean
sl_launch_artifacts_check_sev_es(SlLaunchArtifacts *self, guint vcpus, GError **error);

/* TRUE if any SEV-ES only input was given (vCPUs, CPU, VMSA files or knobs) */
gboolean
sl_launch_artifacts_has_sev_es_inputs(const SlLaunchArtifacts *self);

/* hashes firmware and kernel artifacts: the slow part, safe on a worker thread */
SlLaunchDigestPrefix *
sl_launch_artifacts_hash_prefix(SlLaunchArtifacts *self, GError **error);
void
sl_launch_artifacts_hash_prefix_async(SlLaunchArtifacts *self,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data);
SlLaunchDigestPrefix *
sl_launch_artifacts_hash_prefix_finish(SlLaunchArtifacts *self, GAsyncResult *result, GError **error);

/*
 * adds the VMSAs (SEV-ES, @vcpus of them) and finishes; consumes the prefix's
 * digest; @report, if given, gets the inputs used
 */
gboolean
sl_launch_artifacts_finish_digest(SlLaunchArtifacts *self,
				  SlLaunchDigestPrefix *prefix,
				  gboolean sev_es,
				  guint vcpus,
				  guint8 digest[SL_SHA256_SIZE],
				  SlReport *report,
				  GError **error);

/* builds the VMSA pages for @vcpus vCPUs: BSP first */
GPtrArray *
sl_launch_artifacts_build_vmsas(SlLaunchArtifacts *self, guint vcpus, GError **error);

/*
 * "artifacts": each input's path, size and SHA-256 (the firmware's only
 * with @hash_firmware: that reads the file again), for a mismatch report
 */
void
sl_launch_artifacts_describe(SlLaunchArtifacts *self,
			     const SlLaunchDigestPrefix *prefix,
			     gboolean hash_firmware,
			     SlReport *report);

G_END_DECLS
