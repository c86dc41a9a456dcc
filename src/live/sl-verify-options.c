/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "sevlaunch"

#include <glib/gstdio.h>

#include "qmp-address.h"
#include "qmp-tls.h"
#include "sl-error.h"
#include "sl-verify-options.h"

/* live verification refuses an address above this: QEMU takes gpa as a signed 64-bit value */
#define SL_VERIFY_MAX_GPA G_MAXINT64

/* a credentials file that cannot be read or used is an input error (exit 2) */
static void
sl_verify_options_set_tls_error(GError **error, const GError *error_local)
{
	SlError code = SL_ERROR_INVALID_ARGUMENT;

	if (error_local->domain == G_FILE_ERROR)
		code = SL_ERROR_READ;
	else if (error_local->domain == G_TLS_ERROR)
		code = SL_ERROR_INVALID_DATA;
	g_set_error(error, SL_ERROR, code, "--qmp-tls-creds: %s", error_local->message);
}

/* where the secret will land, decided before anything is sent */
static gboolean
sl_verify_options_check_secret_area(const SlVerifyFlowOptions *options, GError **error)
{
	SlLaunchArtifacts *artifacts = options->artifacts;
	gsize table_size = sl_secret_table_get_padded_size(options->secrets);
	guint32 base = 0, size = 0;
	guint64 room;
	gboolean has_area = sl_ovmf_get_secret_area(artifacts->ovmf, &base, &size);

	if (!options->has_secret_gpa) {
		if (!has_area || base == 0 || size == 0) {
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "firmware %s has no usable secret area (%s): pass --secret-gpa ADDRESS",
				    artifacts->firmware,
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

/* the client key is a private key: the rule for key files applies to it too */
static gboolean
sl_verify_options_check_tls_key(const SlVerifyFlowOptions *options, GError **error)
{
	g_autofree gchar *path = g_build_filename(options->qmp_tls_creds, QMP_TLS_CLIENT_KEY_FILE, NULL);
	GStatBuf st;

	if (g_stat(path, &st) != 0)
		return TRUE; /* no client key: the credentials loader says whether that is fine */
	if ((st.st_mode & (S_IRGRP | S_IROTH)) != 0 && !options->allow_open_permissions) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_PERMISSION,
			    "TLS client key %s is readable by group or others (mode %04o): "
			    "chmod 600 it, or pass --allow-open-permissions",
			    path,
			    (guint)(st.st_mode & 07777));
		return FALSE;
	}
	return TRUE;
}

/* TLS options are usage errors until proven otherwise: nothing is sent yet */
static gboolean
sl_verify_options_check_tls(const SlVerifyFlowOptions *options, GSocketConnectable *address, GError **error)
{
	g_autoptr(GTlsDatabase) database = NULL;
	g_autoptr(GTlsCertificate) certificate = NULL;
	g_autoptr(GError) error_local = NULL;

	if (options->qmp_tls_creds == NULL) {
		if (options->qmp_tls_hostname != NULL) {
			g_set_error_literal(error,
					    SL_ERROR,
					    SL_ERROR_INVALID_ARGUMENT,
					    "--qmp-tls-hostname needs --qmp-tls-creds");
			return FALSE;
		}
		return TRUE;
	}
	if (!G_IS_NETWORK_ADDRESS(address)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "--qmp-tls-creds needs a tcp:HOST:PORT --qmp address, not '%s'",
			    options->qmp_address);
		return FALSE;
	}
	if (options->qmp_tls_hostname != NULL && options->qmp_tls_hostname[0] == '\0') {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "--qmp-tls-hostname needs a name");
		return FALSE;
	}
	if (!qmp_tls_load_creds_dir(options->qmp_tls_creds, &database, &certificate, &error_local)) {
		sl_verify_options_set_tls_error(error, error_local);
		return FALSE;
	}
	return sl_verify_options_check_tls_key(options, error);
}

gboolean
sl_verify_options_check(const SlVerifyFlowOptions *options, GError **error)
{
	g_autoptr(GSocketConnectable) address = NULL;
	g_autoptr(GError) error_local = NULL;

	if (options->qmp_address == NULL || options->qmp_address[0] == '\0') {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "--qmp needs an address");
		return FALSE;
	}
	/* a typo in the address is a usage error, not a connection failure */
	address = qmp_address_parse(options->qmp_address, &error_local);
	if (address == NULL) {
		g_set_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "--qmp: %s", error_local->message);
		return FALSE;
	}
	if (!sl_verify_options_check_tls(options, address, error))
		return FALSE;
	if (options->artifacts->ovmf == NULL) {
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
sl_verify_options_apply_tls(const SlVerifyFlowOptions *options, QmpClient *client, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (options->qmp_tls_creds == NULL)
		return TRUE;
	if (!qmp_client_set_tls_creds_dir(client, options->qmp_tls_creds, &error_local)) {
		sl_verify_options_set_tls_error(error, error_local);
		return FALSE;
	}
	if (options->qmp_tls_hostname != NULL)
		qmp_client_set_tls_hostname(client, options->qmp_tls_hostname);
	return TRUE;
}

gboolean
sl_verify_options_check_guest(const SlVerifyFlowOptions *options,
			      const SlSevGuestInfo *guest,
			      guint vcpus,
			      SlReport *report,
			      GError **error)
{
	const SlLaunchParams *params = &guest->params;

	sl_report_add_printf(report, "api version", "%u.%u", params->api_major, params->api_minor);
	sl_report_add_uint(report, "build id", params->build_id);
	sl_report_add_printf(report, "policy", "0x%x", params->policy);
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
	if (options->require_sev_es && !guest->sev_es) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "--sev-es given, but guest policy 0x%x has no SEV-ES bit (0x4)",
			    params->policy);
		return FALSE;
	}
	/* a host that drops the ES bit must not get SEV-ES options silently ignored */
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
