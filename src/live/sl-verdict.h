/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-launch-artifacts.h"
#include "sl-manifest.h"
#include "sl-measurement.h"
#include "sl-report.h"

G_BEGIN_DECLS

/*
 * the verdict on a reported measurement, the same for offline and live
 * verify: recomputes it from @digest under the TIK, compares in constant
 * time, and tells @report what was compared. A mismatch is SL_ERROR_MISMATCH,
 * with the inputs described so the operator can see what differed.
 */
gboolean
sl_verdict_check(SlLaunchArtifacts *artifacts,
		 const SlLaunchDigestPrefix *prefix,
		 SlSecretBytes *tik,
		 const SlLaunchParams *params,
		 const guint8 digest[SL_SHA256_SIZE],
		 const guint8 reported[SL_MEASUREMENT_SIZE],
		 const guint8 mnonce[SL_MNONCE_SIZE],
		 SlReport *report,
		 GError **error);

/*
 * the verdict against reference values: every manifest entry of the mode the
 * policy says is tried (sl_manifest_match); @report names the entry that
 * matched, or says none did (SL_ERROR_MISMATCH)
 */
gboolean
sl_verdict_check_manifest(const SlManifest *manifest,
			  SlSecretBytes *tik,
			  const SlLaunchParams *params,
			  const guint8 reported[SL_MEASUREMENT_SIZE],
			  const guint8 mnonce[SL_MNONCE_SIZE],
			  SlReport *report,
			  GError **error);

/* after a mismatch (--explain): searches and reports what would have matched */
gboolean
sl_verdict_explain(SlLaunchArtifacts *artifacts,
		   const SlLaunchDigestPrefix *prefix,
		   gboolean sev_es,
		   guint vcpus,
		   SlSecretBytes *tik,
		   const SlLaunchParams *params,
		   const guint8 reported[SL_MEASUREMENT_SIZE],
		   const guint8 mnonce[SL_MNONCE_SIZE],
		   SlReport *report,
		   GError **error);

G_END_DECLS
