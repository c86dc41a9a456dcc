/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-launch-digest.h"
#include "sl-manifest.h"

G_BEGIN_DECLS

/* what a manifest covers; SEV-ES lists are ignored for SEV */
typedef struct {
	const gchar *firmware;
	const gchar *kernel;  /* NULL: no kernel hashes */
	const gchar *initrd;  /* needs kernel */
	const gchar *cmdline; /* needs kernel */
	gboolean sev_es;
	GArray *vcpus;        /* of guint, ascending, no duplicates */
	GPtrArray *cpus;      /* of QEMU CPU model names */
	GArray *variants;     /* of SlVmsaVariant */
	GArray *sev_features; /* of guint64 */
	SlLaunchRequirements requirements;
} SlManifestSpec;

/*
 * hashes the firmware and the kernel hashes table once, then continues
 * copies of that midstate with the VMSAs of each combination
 */
SlManifest *
sl_manifest_build(const SlManifestSpec *spec, GError **error);

/* called for each vCPU count wanted, with the launch digest it gives */
typedef gboolean (*SlManifestDigestFunc)(const SlVmsaConfig *config,
					 guint vcpus,
					 const guint8 digest[SL_SHA256_SIZE],
					 gpointer user_data,
					 GError **error);

/*
 * continues a copy of @prefix (firmware || table) with the BSP and then one
 * AP after another, reporting the digest at each count of @vcpus (ascending):
 * the VMSAs of n vCPUs are hashed once for all counts up to n
 */
gboolean
sl_manifest_digest_vmsas(SlLaunchDigest *prefix,
			 const SlVmsaConfig *config,
			 guint32 ap_reset_addr,
			 const guint8 *bsp_page,
			 const guint8 *ap_page,
			 GArray *vcpus,
			 SlManifestDigestFunc func,
			 gpointer user_data,
			 GError **error);

G_END_DECLS
