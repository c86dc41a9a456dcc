/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "sevlaunch"

#include "sl-error.h"
#include "sl-verify-options.h"

/* live verification refuses an address above this: QEMU takes gpa as a signed 64-bit value */
#define SL_VERIFY_MAX_GPA G_MAXINT64

/* the secret area of the firmware the artifacts or the manifest describe */
static gboolean
sl_verify_options_get_secret_area(const SlVerifyFlowOptions *options, guint32 *base, guint32 *size)
{
	if (options->manifest != NULL) {
		*base = options->manifest->secret_area_base;
		*size = options->manifest->secret_area_size;
		return options->manifest->has_secret_area;
	}
	return sl_ovmf_get_secret_area(options->artifacts->ovmf, base, size);
}

/* where the secret will land, decided before anything is sent */
static gboolean
sl_verify_options_check_secret_area(const SlVerifyFlowOptions *options, GError **error)
{
	gsize table_size = sl_secret_table_get_padded_size(options->secrets);
	guint32 base = 0, size = 0;
	guint64 room;
	gboolean has_area = sl_verify_options_get_secret_area(options, &base, &size);
	const gchar *firmware =
	    options->manifest != NULL ? options->manifest->firmware->name : options->artifacts->firmware;

	if (!options->has_secret_gpa) {
		if (!has_area || base == 0 || size == 0) {
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "firmware %s has no usable secret area (%s): pass --secret-gpa ADDRESS",
				    firmware,
				    has_area ? "its base is 0" : "none declared");
			return FALSE;
		}
	} else if (!has_area || options->secret_gpa < base || options->secret_gpa >= (guint64)base + size) {
		/* an address the firmware does not declare: its size cannot be checked here */
		g_debug("secret goes to --secret-gpa 0x%" G_GINT64_MODIFIER
			"x, outside the firmware's secret area",
			options->secret_gpa);
		return TRUE;
	}
	/* from the given address (or the area's base) to the area's end */
	room = (guint64)base + size - (options->has_secret_gpa ? options->secret_gpa : base);
	if (table_size > room) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "the secret table needs %" G_GSIZE_FORMAT
			    " bytes, but the firmware's secret area "
			    "holds %" G_GUINT64_FORMAT " from there",
			    table_size,
			    room);
		return FALSE;
	}
	return TRUE;
}

gboolean
sl_verify_options_check(const SlVerifyFlowOptions *options, GError **error)
{
	if (options->manifest == NULL && (options->artifacts == NULL || options->artifacts->ovmf == NULL)) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INTERNAL, "artifacts were not checked");
		return FALSE;
	}
	if (options->has_secret_gpa &&
	    (options->secret_gpa == 0 || options->secret_gpa > SL_VERIFY_MAX_GPA)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "--secret-gpa 0x%" G_GINT64_MODIFIER "x is not a guest physical address",
			    options->secret_gpa);
		return FALSE;
	}
	if (options->secrets == NULL) {
		if (options->has_secret_gpa) {
			g_set_error_literal(
			    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "--secret-gpa needs --secret");
			return FALSE;
		}
		return TRUE;
	}
	if (options->keys->tek == NULL) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "--secret needs a TEK: pass --tek FILE or --tk FILE");
		return FALSE;
	}
	return sl_verify_options_check_secret_area(options, error);
}

gboolean
sl_verify_options_check_guest(const SlVerifyFlowOptions *options,
			      const SlSevGuestInfo *guest,
			      guint vcpus,
			      SlReport *report,
			      GError **error)
{
	const SlLaunchParams *params = &guest->params;

	sl_report_begin_object(report, "guest");
	sl_report_add_string(report, "state", guest->state);
	sl_launch_params_describe(params, report);
	if (vcpus > 0)
		sl_report_add_uint(report, "vcpus", vcpus);
	sl_report_end_object(report);
	if (g_strcmp0(guest->state, SL_SEV_STATE_LAUNCH_SECRET) != 0) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "guest SEV state is '%s', expected '%s' (a paused guest started with -S)",
			    guest->state,
			    SL_SEV_STATE_LAUNCH_SECRET);
		return FALSE;
	}
	if (options->has_expect_policy && options->expect_policy != params->policy) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "guest policy is 0x%x, --expect-policy wants 0x%x",
			    params->policy,
			    options->expect_policy);
		return FALSE;
	}
	/* the owner's rules come before any verdict, and so before any secret */
	if (options->requirements != NULL &&
	    !sl_launch_requirements_check(options->requirements, params, error))
		return FALSE;
	if (options->require_sev_es && !guest->sev_es) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "--sev-es given, but guest policy 0x%x has no SEV-ES bit (0x4)",
			    params->policy);
		return FALSE;
	}
	/* a host that drops the ES bit must not get SEV-ES options silently ignored */
	if (options->manifest != NULL)
		return TRUE;
	if (!guest->sev_es && sl_launch_artifacts_has_sev_es_inputs(options->artifacts)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "SEV-ES vCPU options were given, but guest policy 0x%x is not SEV-ES",
			    params->policy);
		return FALSE;
	}
	/* SEV-ES needs a vCPU state source: say so before asking QEMU anything else */
	if (guest->sev_es && options->artifacts->vmsa_source == SL_VMSA_SOURCE_NONE)
		return sl_launch_artifacts_check_sev_es(options->artifacts, MAX(vcpus, 1), error);
	return TRUE;
}
