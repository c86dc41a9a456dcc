/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "sl-base64.h"
#include "sl-cli-output-file.h"
#include "sl-cli.h"
#include "sl-error.h"
#include "sl-number.h"

typedef struct {
	SlCliOptions cli;
	gchar *vmsa_out;
	gboolean force;
} SlCmdMeasureOptions;

static void
sl_cmd_measure_options_clear(SlCmdMeasureOptions *self)
{
	sl_cli_options_clear(&self->cli);
	g_clear_pointer(&self->vmsa_out, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SlCmdMeasureOptions, sl_cmd_measure_options_clear)

/* the MNONCE comes alone (--nonce) or as the tail of a launch measure blob */
static gboolean
sl_cmd_measure_get_nonce(SlCliOptions *cli, guint8 mnonce[SL_MNONCE_SIZE], GError **error)
{
	guint8 measurement[SL_MEASUREMENT_SIZE];
	g_autoptr(GBytes) nonce = NULL;

	if (cli->nonce != NULL && cli->launch_measure_blob != NULL) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "give --nonce or --launch-measure-blob, not both");
		return FALSE;
	}
	if (cli->launch_measure_blob != NULL)
		return sl_launch_measure_blob_decode(
		    cli->launch_measure_blob, "--launch-measure-blob", measurement, mnonce, error);
	if (cli->nonce == NULL) {
		g_set_error_literal(
		    error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "a measurement needs the MNONCE: pass --nonce BASE64 or --launch-measure-blob BASE64");
		return FALSE;
	}
	nonce = sl_base64_decode_strict(cli->nonce, SL_MNONCE_SIZE, "--nonce", error);
	if (nonce == NULL)
		return FALSE;
	memcpy(mnonce, g_bytes_get_data(nonce, NULL), SL_MNONCE_SIZE);
	return TRUE;
}

/* vmsa0.bin, vmsa1.bin, ... in @dir: all of them or none */
static gboolean
sl_cmd_measure_write_vmsas(
    SlLaunchArtifacts *artifacts, guint vcpus, const gchar *dir, gboolean force, GError **error)
{
	g_autoptr(GPtrArray) vmsas = sl_launch_artifacts_build_vmsas(artifacts, vcpus, error);
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func((GDestroyNotify)sl_output_file_free);

	if (vmsas == NULL)
		return FALSE;
	if (g_mkdir_with_parents(dir, 0755) != 0) {
		int errsv = errno;
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_WRITE,
			    "cannot create --vmsa-out directory %s: %s",
			    dir,
			    g_strerror(errsv));
		return FALSE;
	}
	for (guint i = 0; i < vmsas->len; i++) {
		GBytes *vmsa = g_ptr_array_index(vmsas, i);
		g_autofree gchar *name = g_strdup_printf("vmsa%u.bin", i);
		g_autofree gchar *path = g_build_filename(dir, name, NULL);
		SlOutputFile *file =
		    sl_cli_output_file_new("--vmsa-out",
					   path,
					   "VMSA file",
					   0644,
					   force ? SL_OUTPUT_FILE_FLAG_FORCE : SL_OUTPUT_FILE_FLAG_NONE,
					   TRUE,
					   error);
		if (file == NULL)
			return FALSE;
		g_ptr_array_add(files, file);
		if (!sl_output_file_write(file, g_bytes_get_data(vmsa, NULL), g_bytes_get_size(vmsa), error))
			return FALSE;
	}
	return sl_output_files_commit(files, error);
}

/* the measurement, when keys were given; none of its inputs may be left unused */
static gboolean
sl_cmd_measure_add_measurement(SlCliOptions *cli,
			       const SlLaunchParams *params,
			       gboolean have_params,
			       const guint8 digest[SL_SHA256_SIZE],
			       SlReport *report,
			       GError **error)
{
	g_autoptr(SlLaunchKeys) keys = NULL;
	g_autofree gchar *blob = NULL;
	guint8 mnonce[SL_MNONCE_SIZE];
	guint8 measurement[SL_MEASUREMENT_SIZE];

	if (cli->tik == NULL && cli->tk == NULL) {
		if (cli->allow_open_permissions) {
			g_set_error_literal(
			    error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "--allow-open-permissions applies to key files, and none was given");
			return FALSE;
		}
		if (have_params || cli->nonce != NULL || cli->launch_measure_blob != NULL) {
			g_set_error_literal(
			    error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "--api-major/--api-minor/--build-id/--nonce/--launch-measure-blob are used only "
			    "for a measurement: pass --tik FILE or --tk FILE (or --sev-es alone)");
			return FALSE;
		}
		return TRUE;
	}
	if (!have_params) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "a measurement needs --api-major, --api-minor, --build-id and --policy");
		return FALSE;
	}
	if (!sl_cmd_measure_get_nonce(cli, mnonce, error))
		return FALSE;
	keys = sl_cli_options_get_keys(cli, error);
	if (keys == NULL)
		return FALSE;
	if (!sl_measurement_compute(keys->tik, params, digest, mnonce, measurement, error))
		return FALSE;
	/* as sevctl prints it: base64 of measurement || MNONCE */
	blob = sl_launch_measure_blob_encode(measurement, mnonce);
	sl_report_add_hex(report, "measurement", measurement, sizeof(measurement));
	sl_report_add_hex(report, "mnonce", mnonce, sizeof(mnonce));
	sl_report_add_string(report, "launch_measure_blob", blob);
	return TRUE;
}

static gboolean
sl_cmd_measure_run(SlCmdMeasureOptions *options, SlReport *report, GError **error)
{
	SlCliOptions *cli = &options->cli;
	g_autoptr(SlLaunchArtifacts) artifacts = NULL;
	g_autoptr(SlLaunchDigestPrefix) prefix = NULL;
	SlLaunchParams params = {0};
	gboolean have_params = FALSE;
	gboolean sev_es;
	guint8 digest[SL_SHA256_SIZE];

	/* a lone --policy selects SEV-ES; the other three come with it for a measurement */
	if (cli->policy != NULL && cli->api_major == NULL && cli->api_minor == NULL &&
	    cli->build_id == NULL && cli->tik == NULL && cli->tk == NULL) {
		guint64 policy = 0;
		if (!sl_number_parse(cli->policy, "--policy", 0, G_MAXUINT32, &policy, error))
			return FALSE;
		params.policy = (guint32)policy;
	} else if (!sl_cli_options_get_launch_params(cli, &params, &have_params, error)) {
		return FALSE;
	}
	artifacts = sl_cli_options_get_artifacts(cli, error);
	if (artifacts == NULL)
		return FALSE;
	if (!sl_cli_resolve_sev_es(cli, params.policy, artifacts, &sev_es, error))
		return FALSE;
	if (!sl_cli_refuse_option(options->force && options->vmsa_out == NULL ? "" : NULL,
				  "--force",
				  "replaces --vmsa-out files: pass --vmsa-out DIR",
				  error))
		return FALSE;
	if (options->vmsa_out != NULL && !sev_es) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "--vmsa-out needs an SEV-ES guest");
		return FALSE;
	}
	prefix = sl_launch_artifacts_hash_prefix(artifacts, error);
	if (prefix == NULL)
		return FALSE;
	if (!sl_launch_artifacts_finish_digest(
		artifacts, prefix, sev_es, artifacts->vcpus, digest, report, error))
		return FALSE;
	sl_launch_artifacts_describe(artifacts, prefix, FALSE, report);
	sl_report_add_hex(report, "launch_digest", digest, sizeof(digest));
	if (!sl_cmd_measure_add_measurement(cli, &params, have_params, digest, report, error))
		return FALSE;
	if (options->vmsa_out != NULL &&
	    !sl_cmd_measure_write_vmsas(
		artifacts, artifacts->vcpus, options->vmsa_out, options->force, error))
		return FALSE;
	return TRUE;
}

gint
sl_cmd_measure(gint argc, gchar **argv)
{
	g_auto(SlCmdMeasureOptions) options = {0};
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(SlReport) report = sl_report_new("measure");
	g_autoptr(GError) error = NULL;
	const GOptionEntry entries[] = {
	    {"nonce", 0, 0, G_OPTION_ARG_STRING, &options.cli.nonce, "MNONCE (16 bytes, base64)", "BASE64"},
	    {"launch-measure-blob",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options.cli.launch_measure_blob,
	     "query-sev-launch-measure data: its MNONCE is used",
	     "BASE64"},
	    {"vmsa-out",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &options.vmsa_out,
	     "Write the built VMSAs here (vmsa0.bin, vmsa1.bin)",
	     "DIR"},
	    {"force", 0, 0, G_OPTION_ARG_NONE, &options.force, "Replace existing --vmsa-out files", NULL},
	    {NULL},
	};

	g_option_context_set_summary(context,
				     "Print the launch digest of the given artifacts and, with a TIK, the\n"
				     "measurement as base64 of measurement || MNONCE.");
	sl_cli_add_entries(context, &options.cli, entries);
	sl_cli_add_output_options(context, &options.cli);
	sl_cli_add_artifact_options(context, &options.cli);
	sl_cli_add_launch_options(context, &options.cli);
	sl_cli_add_key_options(context, &options.cli);
	if (!sl_cli_parse(context, &argc, &argv, FALSE, &error))
		return sl_cli_finish_parse_error(report, &options.cli, argc, argv, error);
	sl_cli_setup_logging(&options.cli);
	(void)sl_cmd_measure_run(&options, report, &error);
	return sl_cli_finish(report, options.cli.json, error);
}
