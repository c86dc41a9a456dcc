/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-error.h"
#include "sl-verdict.h"

gboolean
sl_verdict_check(SlLaunchArtifacts *artifacts,
		 const SlLaunchDigestPrefix *prefix,
		 SlSecretBytes *tik,
		 const SlLaunchParams *params,
		 const guint8 digest[SL_SHA256_SIZE],
		 const guint8 reported[SL_MEASUREMENT_SIZE],
		 const guint8 mnonce[SL_MNONCE_SIZE],
		 SlReport *report,
		 GError **error)
{
	g_autoptr(GError) error_local = NULL;

	sl_report_add_hex(report, "launch_digest", digest, SL_SHA256_SIZE);
	sl_report_add_hex(report, "mnonce", mnonce, SL_MNONCE_SIZE);
	/* the measurement the firmware reported, whatever the verdict */
	sl_report_add_hex(report, "measurement", reported, SL_MEASUREMENT_SIZE);
	if (sl_measurement_verify(tik, params, digest, reported, mnonce, &error_local)) {
		sl_report_add_string(report, "verdict", "verified");
		return TRUE;
	}
	if (!g_error_matches(error_local, SL_ERROR, SL_ERROR_MISMATCH)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	sl_report_add_string(report, "verdict", "mismatch");
	/*
	 * the expected measurement is an HMAC under the TIK over a nonce the host
	 * chose: shown to a host that can read this output, it would be replayed
	 * as a "verified" measurement next time; the unkeyed launch digest and
	 * the inputs below say what was expected just as well; the report has
	 * no expected measurement
	 */
	sl_launch_artifacts_describe(artifacts, prefix, TRUE, report);
	g_set_error_literal(
	    error,
	    SL_ERROR,
	    SL_ERROR_MISMATCH,
	    "launch measurement mismatch: the guest is not running the expected firmware, kernel, "
	    "vCPU state or policy");
	return FALSE;
}
