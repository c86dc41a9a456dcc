/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

/* the option tables the subcommands share, and parsing with them */
#include "sl-cli-options.h"
#include "sl-error.h"

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
	g_clear_pointer(&self->config, sl_cli_config_free);
}

void
sl_cli_add_artifact_options(GOptionContext *context, SlCliOptions *self)
{
	const GOptionEntry entries[] = {
	    {"firmware",
	     'f',
	     0,
	     G_OPTION_ARG_FILENAME,
	     &self->firmware,
	     "Firmware image (OVMF; read once, at most 64 MiB)",
	     "FILE"},
	    {"kernel",
	     'k',
	     0,
	     G_OPTION_ARG_FILENAME,
	     &self->kernel,
	     "Kernel (QEMU kernel-hashes=on)",
	     "FILE"},
	    {"initrd", 'r', 0, G_OPTION_ARG_FILENAME, &self->initrd, "Initrd (needs --kernel)", "FILE"},
	    /* FILENAME keeps argv's bytes: QEMU hashes them unconverted, whatever the locale */
	    {"cmdline",
	     'e',
	     0,
	     G_OPTION_ARG_FILENAME,
	     &self->cmdline,
	     "Kernel command line, hashed as the bytes given (needs --kernel)",
	     "STRING"},
	    {"sev-es",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &self->sev_es,
	     "The guest is SEV-ES (also: policy bit 0x4)",
	     NULL},
	    {"vcpus", 'n', 0, G_OPTION_ARG_STRING, &self->vcpus, "Number of vCPUs (SEV-ES)", "N"},
	    /* virt-qemu-sev-validate's spellings (-f -k -r -e -n above are its short forms) */
	    {"num-cpus", 0, 0, G_OPTION_ARG_STRING, &self->vcpus, "Same as --vcpus", "N"},
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
	    {"vmsa-cpu1",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &self->vmsa_cpu1,
	     "AP VMSA page (SEV-ES, 2+ vCPUs)",
	     "FILE"},
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
	sl_cli_add_entries(context, self, entries);
}

void
sl_cli_add_key_options(GOptionContext *context, SlCliOptions *self)
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
	    {"tek",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &self->tek,
	     "Transport encryption key (16 bytes; used only to build secrets)",
	     "FILE"},
	    {NULL},
	};
	/* every command takes the key pair the same way; the TEK is used only to build secrets */
	sl_cli_add_entries(context, self, entries);
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
	sl_cli_add_entries(context, self, entries);
}

void
sl_cli_add_output_options(GOptionContext *context, SlCliOptions *self)
{
	const GOptionEntry entries[] = {
	    {"json", 0, 0, G_OPTION_ARG_NONE, &self->json, "Print the result as one JSON object", NULL},
	    {"verbose", 'v', 0, G_OPTION_ARG_NONE, &self->verbose, "Log each step to stderr", NULL},
	    {NULL},
	};
	sl_cli_add_entries(context, self, entries);
	g_option_context_set_description(
	    context,
	    "Exit codes: 0 verified (or success); 1 measurement mismatch (inject: the\n"
	    "packet is bound to another launch); 2 usage or input error (or standard\n"
	    "output not writable); 3 connection or QMP\n"
	    "protocol error; 4 guest not verifiable (SEV off, wrong state, SEV-SNP,\n"
	    "policy; certs/session: chain does not verify); 5 secret injection refused.\n");
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
	sl_cli_add_entries(context, self, entries);
}

void
sl_cli_add_entries(GOptionContext *context, SlCliOptions *self, const GOptionEntry *entries)
{
	sl_cli_config_add_entries(&self->config, context, entries);
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
