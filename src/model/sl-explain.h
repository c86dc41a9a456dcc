/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-launch-artifacts.h"
#include "sl-measurement.h"

G_BEGIN_DECLS

/*
 * after a mismatch: which one change (or two) to what the operator gave
 * makes the reported measurement match. The neighbourhood: vCPU count
 * 1..64, every known CPU model, legacy vs init2, sev_features with bit 0x20
 * flipped, kernel hashes off, no initrd, the command line with or without
 * a trailing space or newline. Built on the manifest's midstates: the
 * firmware is never hashed again.
 */
#define SL_EXPLAIN_MAX_VCPUS 64
#define SL_EXPLAIN_MAX_CHANGES 2

typedef struct {
	guint candidates; /* measurements computed */
	gboolean found;
	GPtrArray *changes; /* of gchar *, e.g. "vCPU count 4 instead of 2" */
	guint8 launch_digest[SL_SHA256_SIZE];
} SlExplanation;

void
sl_explanation_clear(SlExplanation *self);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SlExplanation, sl_explanation_clear)

/* @prefix as sl_launch_artifacts_hash_prefix() made it; @vcpus as verified */
gboolean
sl_explain_search(SlLaunchArtifacts *artifacts,
		  const SlLaunchDigestPrefix *prefix,
		  gboolean sev_es,
		  guint vcpus,
		  SlSecretBytes *tik,
		  const SlLaunchParams *params,
		  const guint8 reported[SL_MEASUREMENT_SIZE],
		  const guint8 mnonce[SL_MNONCE_SIZE],
		  SlExplanation *explanation,
		  GError **error);

G_END_DECLS
