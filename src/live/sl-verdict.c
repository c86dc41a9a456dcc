/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "sevlaunch"

#include <time.h>

#include "sl-error.h"
#include "sl-explain.h"
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

static gdouble
sl_verdict_cpu_ms(void)
{
	struct timespec ts = {0};
	(void)clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* {index, sev_mode, vcpus, cpu {name, signature}, vmsa_variant, sev_features} */
static void
sl_verdict_describe_entry(const SlManifestEntry *entry, guint index, SlReport *report)
{
	sl_report_begin_object(report, "matched_entry");
	sl_report_add_uint(report, "index", index);
	sl_report_add_string(report, "sev_mode", entry->sev_es ? "SEV-ES" : "SEV");
	if (entry->sev_es) {
		sl_report_add_uint(report, "vcpus", entry->vcpus);
		sl_report_begin_object(report, "cpu");
		sl_report_add_string(report, "name", entry->cpu_name);
		sl_report_add_uint_hex(report, "signature", entry->cpu_signature);
		sl_report_end_object(report);
		sl_report_add_string(report, "vmsa_variant", sl_vmsa_variant_to_string(entry->vmsa_variant));
		sl_report_add_uint_hex(report, "sev_features", entry->sev_features);
	}
	sl_report_end_object(report);
}

gboolean
sl_verdict_check_manifest(const SlManifest *manifest,
			  SlSecretBytes *tik,
			  const SlLaunchParams *params,
			  const guint8 reported[SL_MEASUREMENT_SIZE],
			  const guint8 mnonce[SL_MNONCE_SIZE],
			  SlReport *report,
			  GError **error)
{
	const gchar *mode = (params->policy & SL_POLICY_ES) ? "SEV-ES" : "SEV";
	gdouble start = sl_verdict_cpu_ms();
	const SlManifestEntry *entry;
	g_autofree gchar *what = NULL;
	guint compared = 0;
	gint index = -1;

	if (!sl_manifest_match(manifest, tik, params, reported, mnonce, &index, &compared, error))
		return FALSE;
	entry = index >= 0 ? g_ptr_array_index(manifest->entries, index) : NULL;
	/* the measurement decides the vCPU count: the matched entry's */
	sl_report_begin_object(report, "guest");
	sl_report_add_string(report, "sev_mode", mode);
	if (entry != NULL && entry->sev_es)
		sl_report_add_uint(report, "vcpus", entry->vcpus);
	else if (!sl_report_has_member(report, "vcpus"))
		sl_report_add_null(report, "vcpus");
	sl_report_end_object(report);
	g_debug("manifest verdict: %u of %u entries compared in %.3f ms of CPU",
		compared,
		manifest->entries->len,
		sl_verdict_cpu_ms() - start);
	sl_report_add_hex(report, "mnonce", mnonce, SL_MNONCE_SIZE);
	sl_report_add_hex(report, "measurement", reported, SL_MEASUREMENT_SIZE);
	sl_report_add_uint(report, "entries_compared", compared);
	if (entry == NULL) {
		sl_report_add_string(report, "verdict", "mismatch");
		sl_report_add_null(report, "matched_entry");
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_MISMATCH,
			    "launch measurement mismatch: none of the %u %s entries of the manifest matches",
			    compared,
			    mode);
		return FALSE;
	}
	what = sl_manifest_entry_describe(entry);
	g_debug("matched entry %d: %s", index, what);
	sl_report_add_string(report, "verdict", "verified");
	sl_report_add_hex(report, "launch_digest", entry->launch_digest, SL_SHA256_SIZE);
	sl_verdict_describe_entry(entry, (guint)index, report);
	return TRUE;
}

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
		   GError **error)
{
	g_auto(SlExplanation) explanation = {0};

	if (!sl_explain_search(
		artifacts, prefix, sev_es, vcpus, tik, params, reported, mnonce, &explanation, error))
		return FALSE;
	sl_report_begin_object(report, "explain");
	sl_report_add_bool(report, "found", explanation.found);
	sl_report_add_uint(report, "candidates", explanation.candidates);
	sl_report_begin_array(report, "changes");
	for (guint i = 0; explanation.found && i < explanation.changes->len; i++)
		sl_report_add_string(report, NULL, g_ptr_array_index(explanation.changes, i));
	sl_report_end_array(report);
	if (explanation.found)
		sl_report_add_hex(report, "launch_digest", explanation.launch_digest, SL_SHA256_SIZE);
	else
		sl_report_add_string(
		    report, "note", "no single change or pair of changes to the inputs given matches");
	sl_report_end_object(report);
	return TRUE;
}
