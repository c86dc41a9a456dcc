/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-cli.h"
#include "sl-cpu.h"
#include "sl-error.h"
#include "sl-number.h"
#include "sl-sev-info.h"

/* QEMU's -smp maximum for q35 is far below this */
#define SL_CLI_MAX_VCPUS 4096

void
sl_cli_options_clear(SlCliOptions *self)
{
	gchar **strings[] = {
	    &self->firmware,
	    &self->kernel,
	    &self->initrd,
	    &self->cmdline,
	    &self->vcpus,
	    &self->cpu,
	    &self->cpu_family,
	    &self->cpu_model,
	    &self->cpu_stepping,
	    &self->cpu_signature,
	    &self->vmsa_cpu0,
	    &self->vmsa_cpu1,
	    &self->vmsa_variant,
	    &self->sev_features,
	    &self->tik,
	    &self->tek,
	    &self->tk,
	    &self->api_major,
	    &self->api_minor,
	    &self->build_id,
	    &self->policy,
	    &self->nonce,
	    &self->launch_measure_blob,
	    &self->measurement,
	    &self->chain,
	    &self->generation,
	    &self->ark,
	    &self->ask,
	};
	for (guint i = 0; i < G_N_ELEMENTS(strings); i++)
		g_clear_pointer(strings[i], g_free);
	g_clear_pointer(&self->secrets, g_strfreev);
}

void
sl_cli_add_artifact_options(GOptionContext *context, SlCliOptions *self)
{
	const GOptionEntry entries[] = {
	    {"firmware", 0, 0, G_OPTION_ARG_FILENAME, &self->firmware, "Firmware image (OVMF)", "FILE"},
	    {"kernel", 0, 0, G_OPTION_ARG_FILENAME, &self->kernel, "Kernel (QEMU kernel-hashes=on)", "FILE"},
	    {"initrd", 0, 0, G_OPTION_ARG_FILENAME, &self->initrd, "Initrd (needs --kernel)", "FILE"},
	    {"cmdline",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &self->cmdline,
	     "Kernel command line (needs --kernel)",
	     "STRING"},
	    {"sev-es",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &self->sev_es,
	     "The guest is SEV-ES (also: policy bit 0x4)",
	     NULL},
	    {"vcpus", 0, 0, G_OPTION_ARG_STRING, &self->vcpus, "Number of vCPUs (SEV-ES)", "N"},
	    {"cpu",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &self->cpu,
	     "QEMU CPU model, e.g. EPYC-Milan (SEV-ES)",
	     "NAME"},
	    {"cpu-family", 0, 0, G_OPTION_ARG_STRING, &self->cpu_family, "CPU family (SEV-ES)", "N"},
	    {"cpu-model", 0, 0, G_OPTION_ARG_STRING, &self->cpu_model, "CPU model (SEV-ES)", "N"},
	    {"cpu-stepping", 0, 0, G_OPTION_ARG_STRING, &self->cpu_stepping, "CPU stepping (SEV-ES)", "N"},
	    {"cpu-signature", 0, 0, G_OPTION_ARG_STRING, &self->cpu_signature, "CPUID 1 EAX (SEV-ES)", "HEX"},
	    {"vmsa-cpu0", 0, 0, G_OPTION_ARG_FILENAME, &self->vmsa_cpu0, "BSP VMSA page (SEV-ES)", "FILE"},
	    {"vmsa-cpu1", 0, 0, G_OPTION_ARG_FILENAME, &self->vmsa_cpu1, "AP VMSA page (SEV-ES)", "FILE"},
	    {"vmsa-variant",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &self->vmsa_variant,
	     "legacy (default) or init2",
	     "NAME"},
	    {"sev-features",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &self->sev_features,
	     "VMSA sev_features, e.g. 0x20",
	     "HEX"},
	    {NULL},
	};
	/* in the main group: --help must list every option a command takes */
	g_option_context_add_main_entries(context, entries, NULL);
}

void
sl_cli_add_key_options(GOptionContext *context, SlCliOptions *self, gboolean with_tek)
{
	const GOptionEntry entries[] = {
	    {"tik", 0, 0, G_OPTION_ARG_FILENAME, &self->tik, "Transport integrity key (16 bytes)", "FILE"},
	    {"tk", 0, 0, G_OPTION_ARG_FILENAME, &self->tk, "TEK then TIK (32 bytes)", "FILE"},
	    {"allow-open-permissions",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &self->allow_open_permissions,
	     "Accept key and secret files readable by group or others",
	     NULL},
	    {"tek", 0, 0, G_OPTION_ARG_FILENAME, &self->tek, "Transport encryption key (16 bytes)", "FILE"},
	    {NULL},
	};
	GOptionEntry copy[G_N_ELEMENTS(entries)];
	memcpy(copy, entries, sizeof(entries));
	/* measuring needs only the TIK; --tek is offered where secrets are built */
	if (!with_tek)
		memset(&copy[3], 0, sizeof(copy[3]));
	g_option_context_add_main_entries(context, copy, NULL);
}

void
sl_cli_add_launch_options(GOptionContext *context, SlCliOptions *self)
{
	const GOptionEntry entries[] = {
	    {"api-major", 0, 0, G_OPTION_ARG_STRING, &self->api_major, "SEV API major version", "N"},
	    {"api-minor", 0, 0, G_OPTION_ARG_STRING, &self->api_minor, "SEV API minor version", "N"},
	    {"build-id", 0, 0, G_OPTION_ARG_STRING, &self->build_id, "SEV firmware build id", "N"},
	    {"policy", 0, 0, G_OPTION_ARG_STRING, &self->policy, "Guest policy (bit 0x4: SEV-ES)", "N"},
	    {NULL},
	};
	g_option_context_add_main_entries(context, entries, NULL);
}

void
sl_cli_add_output_options(GOptionContext *context, SlCliOptions *self)
{
	const GOptionEntry entries[] = {
	    {"json", 0, 0, G_OPTION_ARG_NONE, &self->json, "Print the result as one JSON object", NULL},
	    {"verbose", 'v', 0, G_OPTION_ARG_NONE, &self->verbose, "Log each step to stderr", NULL},
	    {NULL},
	};
	g_option_context_add_main_entries(context, entries, NULL);
	g_option_context_set_description(
	    context,
	    "Exit codes: 0 verified (or success); 1 measurement mismatch; 2 usage or\n"
	    "input error; 3 connection or QMP protocol error; 4 guest not verifiable\n"
	    "(SEV off, wrong state, SEV-SNP, policy; certs/session: chain does not\n"
	    "verify); 5 secret injection refused.\n");
}

void
sl_cli_add_chain_options(GOptionContext *context, SlCliOptions *self, const gchar *chain_help)
{
	const GOptionEntry entries[] = {
	    {"chain", 0, 0, G_OPTION_ARG_FILENAME, &self->chain, chain_help, "DIR"},
	    {"generation",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &self->generation,
	     "Built-in AMD keys: naples, rome, milan, genoa or turin",
	     "NAME"},
	    {"ark",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &self->ark,
	     "AMD root key (instead of --generation)",
	     "FILE"},
	    {"ask",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &self->ask,
	     "AMD signing key (instead of --generation)",
	     "FILE"},
	    {NULL},
	};
	g_option_context_add_main_entries(context, entries, NULL);
}

gboolean
sl_cli_parse(GOptionContext *context, gint *argc, gchar ***argv, gboolean allow_extra_args, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (!g_option_context_parse(context, argc, argv, &error_local)) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, error_local->message);
		return FALSE;
	}
	if (!allow_extra_args && *argc > 1) {
		g_set_error(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "unexpected argument '%s'", (*argv)[1]);
		return FALSE;
	}
	return TRUE;
}

gboolean
sl_cli_refuse_option(const gchar *value, const gchar *name, const gchar *why, GError **error)
{
	if (value == NULL)
		return TRUE;
	g_set_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "%s %s", name, why);
	return FALSE;
}

static gboolean
sl_cli_options_get_cpu_fms(SlCliOptions *self, SlLaunchArtifacts *artifacts, GError **error)
{
	guint64 family = 0, model = 0, stepping = 0;

	if (self->cpu_family == NULL || self->cpu_model == NULL || self->cpu_stepping == NULL) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "--cpu-family, --cpu-model and --cpu-stepping go together");
		return FALSE;
	}
	if (!sl_number_parse(self->cpu_family, "--cpu-family", 0, G_MAXINT32, &family, error) ||
	    !sl_number_parse(self->cpu_model, "--cpu-model", 0, G_MAXINT32, &model, error) ||
	    !sl_number_parse(self->cpu_stepping, "--cpu-stepping", 0, G_MAXINT32, &stepping, error))
		return FALSE;
	if (!sl_cpu_signature_from_fms(
		(gint64)family, (gint64)model, (gint64)stepping, &artifacts->cpu_signature, error))
		return FALSE;
	artifacts->cpu_name = g_strdup_printf("family %" G_GUINT64_FORMAT " model %" G_GUINT64_FORMAT
					      " stepping %" G_GUINT64_FORMAT,
					      family,
					      model,
					      stepping);
	return TRUE;
}

/* exactly one source of vCPU state, or none */
static gboolean
sl_cli_options_get_vmsa_source(SlCliOptions *self, SlLaunchArtifacts *artifacts, GError **error)
{
	gboolean by_fms = self->cpu_family != NULL || self->cpu_model != NULL || self->cpu_stepping != NULL;
	gboolean by_files = self->vmsa_cpu0 != NULL || self->vmsa_cpu1 != NULL;
	guint sources = (self->cpu != NULL) + by_fms + (self->cpu_signature != NULL) + by_files;
	guint64 value = 0;

	if (sources > 1) {
		g_set_error_literal(
		    error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "give one of --cpu, --cpu-family/--cpu-model/--cpu-stepping, --cpu-signature "
		    "or --vmsa-cpu0/--vmsa-cpu1");
		return FALSE;
	}
	if (self->cpu != NULL) {
		if (!sl_cpu_signature_from_name(self->cpu, &artifacts->cpu_signature, error))
			return FALSE;
		artifacts->cpu_name = g_strdup(self->cpu);
		artifacts->vmsa_source = SL_VMSA_SOURCE_CPU_SIGNATURE;
	} else if (by_fms) {
		if (!sl_cli_options_get_cpu_fms(self, artifacts, error))
			return FALSE;
		artifacts->vmsa_source = SL_VMSA_SOURCE_CPU_SIGNATURE;
	} else if (self->cpu_signature != NULL) {
		if (!sl_number_parse_hex(self->cpu_signature, "--cpu-signature", G_MAXUINT32, &value, error))
			return FALSE;
		artifacts->cpu_signature = (guint32)value;
		artifacts->vmsa_source = SL_VMSA_SOURCE_CPU_SIGNATURE;
	} else if (by_files) {
		artifacts->vmsa_cpu0 = g_strdup(self->vmsa_cpu0);
		artifacts->vmsa_cpu1 = g_strdup(self->vmsa_cpu1);
		artifacts->vmsa_source = SL_VMSA_SOURCE_FILES;
	}
	/* built-VMSA knobs make no sense with VMSA files: say so rather than ignore them */
	if (artifacts->vmsa_source == SL_VMSA_SOURCE_FILES &&
	    (self->vmsa_variant != NULL || self->sev_features != NULL)) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "--vmsa-variant and --sev-features apply to built VMSAs, not "
				    "--vmsa-cpu0/--vmsa-cpu1 files");
		return FALSE;
	}
	return TRUE;
}

SlLaunchArtifacts *
sl_cli_options_get_artifacts(SlCliOptions *self, GError **error)
{
	g_autoptr(SlLaunchArtifacts) artifacts = sl_launch_artifacts_new();
	guint64 value = 0;

	artifacts->firmware = g_strdup(self->firmware);
	artifacts->kernel = g_strdup(self->kernel);
	artifacts->initrd = g_strdup(self->initrd);
	artifacts->cmdline = g_strdup(self->cmdline);
	if (self->vcpus != NULL) {
		if (!sl_number_parse(self->vcpus, "--vcpus", 1, SL_CLI_MAX_VCPUS, &value, error))
			return NULL;
		artifacts->vcpus = (guint)value;
	}
	if (!sl_cli_options_get_vmsa_source(self, artifacts, error))
		return NULL;
	if (self->vmsa_variant != NULL &&
	    !sl_vmsa_variant_from_string(self->vmsa_variant, &artifacts->vmsa_variant, error)) {
		g_prefix_error(error, "--vmsa-variant: ");
		return NULL;
	}
	if (self->sev_features != NULL) {
		if (!sl_number_parse_hex(self->sev_features, "--sev-features", G_MAXUINT64, &value, error))
			return NULL;
		artifacts->sev_features = value;
	}
	artifacts->vmsa_knobs_given = self->vmsa_variant != NULL || self->sev_features != NULL;
	if (!sl_launch_artifacts_check(artifacts, error))
		return NULL;
	return g_steal_pointer(&artifacts);
}

SlSecureFileFlags
sl_cli_options_get_file_flags(const SlCliOptions *self)
{
	return self->allow_open_permissions ? SL_SECURE_FILE_FLAG_ALLOW_OPEN_PERMISSIONS
					    : SL_SECURE_FILE_FLAG_NONE;
}

SlLaunchKeys *
sl_cli_options_get_keys(SlCliOptions *self, GError **error)
{
	return sl_launch_keys_load(
	    self->tik, self->tek, self->tk, sl_cli_options_get_file_flags(self), error);
}

gboolean
sl_cli_options_get_launch_params(SlCliOptions *self, SlLaunchParams *params, gboolean *found, GError **error)
{
	guint64 major = 0, minor = 0, build = 0, policy = 0;
	guint given = (self->api_major != NULL) + (self->api_minor != NULL) + (self->build_id != NULL) +
		      (self->policy != NULL);

	*found = FALSE;
	if (given == 0)
		return TRUE;
	if (given != 4) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "--api-major, --api-minor, --build-id and --policy go together");
		return FALSE;
	}
	if (!sl_number_parse(self->api_major, "--api-major", 0, G_MAXUINT8, &major, error) ||
	    !sl_number_parse(self->api_minor, "--api-minor", 0, G_MAXUINT8, &minor, error) ||
	    !sl_number_parse(self->build_id, "--build-id", 0, G_MAXUINT8, &build, error) ||
	    !sl_number_parse(self->policy, "--policy", 0, G_MAXUINT32, &policy, error))
		return FALSE;
	if (!sl_launch_params_init(
		params, (gint64)major, (gint64)minor, (gint64)build, (gint64)policy, error))
		return FALSE;
	*found = TRUE;
	return TRUE;
}

gboolean
sl_cli_options_get_secret_table(SlCliOptions *self, SlSecretTable **table_out, GError **error)
{
	g_autoptr(SlSecretTable) table = NULL;

	*table_out = NULL;
	if (self->secrets == NULL || self->secrets[0] == NULL)
		return TRUE;
	table = sl_secret_table_new();
	for (guint i = 0; self->secrets[i] != NULL; i++) {
		if (!sl_secret_table_add_spec(table,
					      self->secrets[i],
					      sl_cli_options_get_file_flags(self) |
						  SL_SECURE_FILE_FLAG_REFUSE_EMPTY,
					      error)) {
			g_prefix_error(error, "--secret: ");
			return FALSE;
		}
	}
	*table_out = g_steal_pointer(&table);
	return TRUE;
}

void
sl_cli_setup_logging(const SlCliOptions *self)
{
	if (self->verbose)
		g_log_set_debug_enabled(TRUE);
}

gint
sl_cli_print_error(const GError *error)
{
	g_autofree gchar *message = sl_report_sanitize(error->message);
	g_printerr("sevlaunch: %s\n", message);
	return sl_error_to_exit_code(error);
}

gint
sl_cli_finish(SlReport *report, gboolean json, const GError *error)
{
	/* after a verdict the report says what was verified, even if a later step failed */
	gboolean has_verdict = sl_report_has_key(report, "verdict");

	if (json && error != NULL) {
		sl_report_add_string(report, "error", error->message);
		sl_report_add_uint(report, "exit code", sl_error_to_exit_code(error));
	}
	if (json || error == NULL || has_verdict)
		sl_report_print(report, json);
	if (error != NULL)
		return sl_cli_print_error(error);
	return SL_EXIT_VERIFIED;
}

gboolean
sl_cli_resolve_sev_es(
    const SlCliOptions *cli, guint32 policy, SlLaunchArtifacts *artifacts, gboolean *sev_es, GError **error)
{
	gboolean policy_es = (policy & SL_SEV_POLICY_ES) != 0;

	if (cli->sev_es && cli->policy != NULL && !policy_es) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "--sev-es given, but --policy 0x%x has no SEV-ES bit (0x4)",
			    policy);
		return FALSE;
	}
	*sev_es = cli->sev_es || policy_es;
	if (*sev_es)
		return sl_launch_artifacts_check_sev_es(artifacts, artifacts->vcpus, error);
	if (sl_launch_artifacts_has_sev_es_inputs(artifacts)) {
		g_set_error_literal(
		    error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "--vcpus and the CPU/VMSA options (--cpu*, --vmsa-*, --sev-features) apply to "
		    "SEV-ES guests, but neither --sev-es nor a --policy with bit 0x4 was given");
		return FALSE;
	}
	return TRUE;
}
