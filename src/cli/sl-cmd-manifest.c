/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "sl-cli-lists.h"
#include "sl-cli-output-file.h"
#include "sl-cli-requirements.h"
#include "sl-cli.h"
#include "sl-error.h"
#include "sl-file.h"
#include "sl-manifest-build.h"
#include "sl-number.h"
#include "sl-pkcs7.h"
#include "sl-secure-file.h"

/* more vCPUs than QEMU's -smp allows on q35 */
#define SL_CMD_MANIFEST_MAX_VCPUS 4096
/* a PEM key or certificate is a few KiB */
#define SL_CMD_MANIFEST_MAX_PEM (1024 * 1024)

typedef struct {
	SlCliOptions cli;
	SlCliRequirementOptions req;
	gchar *out;
	gchar *key;
	gchar *cert;
	gboolean force;
} SlCmdManifestOptions;

static void
sl_cmd_manifest_options_clear(SlCmdManifestOptions *self)
{
	sl_cli_options_clear(&self->cli);
	sl_cli_requirement_options_clear(&self->req);
	g_clear_pointer(&self->out, g_free);
	g_clear_pointer(&self->key, g_free);
	g_clear_pointer(&self->cert, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SlCmdManifestOptions, sl_cmd_manifest_options_clear)

/* '-' is stdout; a file appears whole or not at all, and replaces one only with --force */
static gboolean
sl_cmd_manifest_write(
    SlCmdManifestOptions *options, const gchar *what, const guint8 *data, gsize len, GError **error)
{
	SlOutputFileFlags flags = SL_OUTPUT_FILE_FLAG_STDOUT;

	g_autoptr(SlOutputFile) out = NULL;

	if (options->force)
		flags |= SL_OUTPUT_FILE_FLAG_FORCE;
	out = sl_cli_output_file_new("--out", options->out, what, 0644, flags, TRUE, error);
	return out != NULL && sl_output_file_write(out, data, len, error) &&
	       sl_output_file_commit(out, error);
}

static gboolean
sl_cmd_manifest_spec_lists(SlCmdManifestOptions *options, SlManifestSpec *spec, GError **error)
{
	SlCliOptions *cli = &options->cli;

	if (!spec->sev_es) {
		if (cli->vcpus != NULL || cli->cpu != NULL || cli->vmsa_variant != NULL ||
		    cli->sev_features != NULL) {
			g_set_error_literal(
			    error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "--vcpus, --cpu, --vmsa-variant and --sev-features apply to SEV-ES: "
			    "pass --sev-es or a --policy with bit 0x4");
			return FALSE;
		}
		return TRUE;
	}
	if (cli->vcpus == NULL || cli->cpu == NULL) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "an SEV-ES manifest needs --vcpus LIST and --cpu LIST");
		return FALSE;
	}
	spec->vcpus = sl_cli_list_parse_counts(cli->vcpus, "--vcpus", 1, SL_CMD_MANIFEST_MAX_VCPUS, error);
	if (spec->vcpus == NULL)
		return FALSE;
	spec->cpus = sl_cli_list_parse_cpus(cli->cpu, "--cpu", error);
	if (spec->cpus == NULL)
		return FALSE;
	spec->variants = sl_cli_list_parse_variants(
	    cli->vmsa_variant != NULL ? cli->vmsa_variant : "legacy", "--vmsa-variant", error);
	if (spec->variants == NULL)
		return FALSE;
	spec->sev_features = sl_cli_list_parse_u64(
	    cli->sev_features != NULL ? cli->sev_features : "0", "--sev-features", error);
	return spec->sev_features != NULL;
}

static void
sl_cmd_manifest_spec_clear(SlManifestSpec *spec)
{
	g_clear_pointer(&spec->vcpus, g_array_unref);
	g_clear_pointer(&spec->cpus, g_ptr_array_unref);
	g_clear_pointer(&spec->variants, g_array_unref);
	g_clear_pointer(&spec->sev_features, g_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SlManifestSpec, sl_cmd_manifest_spec_clear)

static void
sl_cmd_manifest_describe_file(SlReport *report, const gchar *key, const SlManifestFile *file)
{
	if (file == NULL)
		return;
	sl_report_begin_object(report, key);
	sl_report_add_string(report, "name", file->name);
	sl_report_add_uint(report, "size", file->size);
	sl_report_add_hex(report, "sha256", file->sha256, SL_SHA256_SIZE);
	sl_report_end_object(report);
}

static void
sl_cmd_manifest_describe_requirements(const SlLaunchRequirements *req, SlReport *report)
{
	sl_report_begin_object(report, "requirements");
	if (req->has_min_api) {
		sl_report_begin_object(report, "min_api_version");
		sl_report_add_uint(report, "major", req->min_api_major);
		sl_report_add_uint(report, "minor", req->min_api_minor);
		sl_report_end_object(report);
	}
	if (req->has_min_build_id)
		sl_report_add_uint(report, "min_build_id", req->min_build_id);
	if (req->required_policy != 0) {
		g_auto(GStrv) names = sl_launch_policy_to_names(req->required_policy);
		sl_report_begin_object(report, "required_policy");
		sl_report_add_uint_hex(report, "bits", req->required_policy);
		sl_report_begin_array(report, "names");
		for (guint i = 0; names[i] != NULL; i++)
			sl_report_add_string(report, NULL, names[i]);
		sl_report_end_array(report);
		sl_report_end_object(report);
	}
	sl_report_end_object(report);
}

static void
sl_cmd_manifest_describe_entry(const SlManifestEntry *entry, guint index, SlReport *report)
{
	sl_report_begin_object(report, NULL);
	sl_report_add_uint(report, "index", index);
	sl_report_add_hex(report, "launch_digest", entry->launch_digest, SL_SHA256_SIZE);
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

/* the manifest's content, shaped as the document is */
static void
sl_cmd_manifest_describe(const SlManifest *manifest, SlReport *report)
{
	sl_report_begin_object(report, "inputs");
	sl_cmd_manifest_describe_file(report, "firmware", manifest->firmware);
	sl_cmd_manifest_describe_file(report, "kernel", manifest->kernel);
	sl_cmd_manifest_describe_file(report, "initrd", manifest->initrd);
	if (manifest->cmdline != NULL)
		sl_report_add_string(report, "cmdline", manifest->cmdline);
	sl_report_add_bool(report, "kernel_hashes", manifest->kernel != NULL);
	if (manifest->has_secret_area) {
		sl_report_begin_object(report, "secret_area");
		sl_report_add_uint_hex(report, "base", manifest->secret_area_base);
		sl_report_add_uint_hex(report, "size", manifest->secret_area_size);
		sl_report_end_object(report);
	}
	sl_report_end_object(report);
	sl_cmd_manifest_describe_requirements(&manifest->requirements, report);
	sl_report_begin_array(report, "entries");
	for (guint i = 0; i < manifest->entries->len; i++)
		sl_cmd_manifest_describe_entry(g_ptr_array_index(manifest->entries, i), i, report);
	sl_report_end_array(report);
}

static gboolean
sl_cmd_manifest_build_run(SlCmdManifestOptions *options, SlReport *report, GError **error)
{
	SlCliOptions *cli = &options->cli;
	g_auto(SlManifestSpec) spec = {0};
	g_autoptr(SlManifest) manifest = NULL;
	g_autofree gchar *json = NULL;
	guint64 policy = 0;
	gint64 start;

	if (options->out == NULL || cli->firmware == NULL) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "manifest build needs --firmware FILE and --out FILE");
		return FALSE;
	}
	if (cli->policy != NULL && !sl_number_parse(cli->policy, "--policy", 0, G_MAXUINT32, &policy, error))
		return FALSE;
	if (cli->sev_es && cli->policy != NULL && !(policy & SL_POLICY_ES)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "--sev-es given, but --policy 0x%x has no SEV-ES bit (0x4)",
			    (guint)policy);
		return FALSE;
	}
	spec.firmware = cli->firmware;
	spec.kernel = cli->kernel;
	spec.initrd = cli->initrd;
	spec.cmdline = cli->cmdline;
	spec.sev_es = cli->sev_es || (policy & SL_POLICY_ES) != 0;
	if (!sl_cmd_manifest_spec_lists(options, &spec, error) ||
	    !sl_cli_requirement_options_get(&options->req, &spec.requirements, error))
		return FALSE;
	start = g_get_monotonic_time();
	manifest = sl_manifest_build(&spec, error);
	if (manifest == NULL)
		return FALSE;
	g_debug(
	    "%u entries built in %.1f ms", manifest->entries->len, (g_get_monotonic_time() - start) / 1000.0);
	json = sl_manifest_to_json(manifest);
	if (!sl_cmd_manifest_write(options, "manifest", (const guint8 *)json, strlen(json), error))
		return FALSE;
	sl_report_add_string(report, "manifest", options->out);
	sl_report_add_uint(report, "entries", manifest->entries->len);
	sl_cmd_manifest_describe_file(report, "firmware", manifest->firmware);
	return TRUE;
}

static gboolean
sl_cmd_manifest_show_run(
    SlCmdManifestOptions *options, gint argc, gchar **argv, SlReport *report, GError **error)
{
	g_autoptr(SlManifest) manifest = NULL;

	if (argc != 2) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "manifest show takes exactly one FILE argument");
		return FALSE;
	}
	manifest = sl_manifest_load(argv[1], NULL, NULL, NULL, error);
	if (manifest == NULL)
		return FALSE;
	sl_report_add_string(report, "manifest", argv[1]);
	sl_cmd_manifest_describe(manifest, report);
	return TRUE;
}

static gboolean
sl_cmd_manifest_sign_run(
    SlCmdManifestOptions *options, gint argc, gchar **argv, SlReport *report, GError **error)
{
	g_autoptr(SlSecretBytes) key = NULL;
	g_autoptr(GBytes) data = NULL;
	g_autoptr(GBytes) cert = NULL;
	g_autoptr(GBytes) signature = NULL;
	g_autoptr(SlManifest) manifest = NULL;

	if (argc != 2 || options->key == NULL || options->cert == NULL || options->out == NULL) {
		g_set_error_literal(
		    error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "manifest sign takes one manifest FILE, --key FILE, --cert FILE and --out FILE");
		return FALSE;
	}
	/* only a manifest this sevlaunch reads gets signed */
	manifest = sl_manifest_load(argv[1], NULL, NULL, NULL, error);
	if (manifest == NULL)
		return FALSE;
	data = sl_file_load_whole(argv[1], "manifest", SL_MANIFEST_MAX_SIZE, error);
	if (data == NULL)
		return FALSE;
	cert = sl_file_load_whole(options->cert, "certificate", SL_CMD_MANIFEST_MAX_PEM, error);
	if (cert == NULL)
		return FALSE;
	key = sl_secure_file_read(options->key,
				  "signing key",
				  0,
				  SL_CMD_MANIFEST_MAX_PEM,
				  sl_cli_options_get_file_flags(&options->cli),
				  error);
	if (key == NULL)
		return FALSE;
	signature = sl_pkcs7_sign_detached(data, cert, key, error);
	if (signature == NULL)
		return FALSE;
	if (!sl_cmd_manifest_write(
		options, "signature", g_bytes_get_data(signature, NULL), g_bytes_get_size(signature), error))
		return FALSE;
	sl_report_add_string(report, "manifest", argv[1]);
	sl_report_add_string(report, "signature", options->out);
	return TRUE;
}

static void
sl_cmd_manifest_add_options(GOptionContext *context, SlCmdManifestOptions *options)
{
	const GOptionEntry entries[] = {
	    {"firmware",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &options->cli.firmware,
	     "build: firmware image (OVMF)",
	     "FILE"},
	    {"kernel",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &options->cli.kernel,
	     "build: kernel (kernel-hashes=on)",
	     "FILE"},
	    {"initrd",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &options->cli.initrd,
	     "build: initrd (needs --kernel)",
	     "FILE"},
	    {"cmdline",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options->cli.cmdline,
	     "build: kernel command line",
	     "STRING"},
	    {"sev-es",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &options->cli.sev_es,
	     "build: SEV-ES entries (also: policy bit 0x4)",
	     NULL},
	    {"policy",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options->cli.policy,
	     "build: guest policy (bit 0x4: SEV-ES)",
	     "N"},
	    {"vcpus",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options->cli.vcpus,
	     "build: vCPU counts, e.g. 1-64 or 1,2,4",
	     "LIST"},
	    {"cpu",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options->cli.cpu,
	     "build: QEMU CPU models, e.g. EPYC-Milan,EPYC-Genoa",
	     "LIST"},
	    {"vmsa-variant",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options->cli.vmsa_variant,
	     "build: legacy,init2 (default legacy)",
	     "LIST"},
	    {"sev-features",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options->cli.sev_features,
	     "build: e.g. 0,0x20 (default 0)",
	     "LIST"},
	    {"key", 0, 0, G_OPTION_ARG_FILENAME, &options->key, "sign: signer's private key (PEM)", "FILE"},
	    {"cert", 0, 0, G_OPTION_ARG_FILENAME, &options->cert, "sign: signer's certificate (PEM)", "FILE"},
	    {"allow-open-permissions",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &options->cli.allow_open_permissions,
	     "sign: accept a key file readable by group or others",
	     NULL},
	    {"out",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &options->out,
	     "build, sign: write here (- for stdout)",
	     "FILE"},
	    {"force",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &options->force,
	     "build, sign: replace an existing --out file",
	     NULL},
	    {NULL},
	};

	g_option_context_set_summary(
	    context,
	    "build: compute the launch digest of every combination into a manifest\n"
	    "show:  print a manifest's inputs, rules and entries\n"
	    "sign:  sign a manifest (detached PKCS#7, as certtool --p7-detached-sign)");
	sl_cli_add_entries(context, &options->cli, entries);
	sl_cli_add_requirement_options(context, &options->cli, &options->req);
	sl_cli_add_output_options(context, &options->cli);
}

/* an option of another subcommand is refused, never ignored */
static gboolean
sl_cmd_manifest_refuse_options(SlCmdManifestOptions *options, const gchar *sub, GError **error)
{
	SlCliOptions *cli = &options->cli;
	gboolean build = g_strcmp0(sub, "build") == 0;
	gboolean sign = g_strcmp0(sub, "sign") == 0;
	const struct {
		gboolean given;
		const gchar *name;
		gboolean allowed;
	} checks[] = {
	    {cli->firmware != NULL, "--firmware", build},
	    {cli->kernel != NULL, "--kernel", build},
	    {cli->initrd != NULL, "--initrd", build},
	    {cli->cmdline != NULL, "--cmdline", build},
	    {cli->sev_es, "--sev-es", build},
	    {cli->policy != NULL, "--policy", build},
	    {cli->vcpus != NULL, "--vcpus", build},
	    {cli->cpu != NULL, "--cpu", build},
	    {cli->vmsa_variant != NULL, "--vmsa-variant", build},
	    {cli->sev_features != NULL, "--sev-features", build},
	    {options->req.min_api_version != NULL, "--min-api-version", build},
	    {options->req.min_build_id != NULL, "--min-build-id", build},
	    {options->req.require_policy != NULL, "--require-policy", build},
	    {options->key != NULL, "--key", sign},
	    {options->cert != NULL, "--cert", sign},
	    {cli->allow_open_permissions, "--allow-open-permissions", sign},
	    {options->out != NULL, "--out", build || sign},
	    {options->force, "--force", build || sign},
	};
	for (guint i = 0; i < G_N_ELEMENTS(checks); i++) {
		if (checks[i].given && !checks[i].allowed) {
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "%s is not an option of 'manifest %s'",
				    checks[i].name,
				    sub);
			return FALSE;
		}
	}
	if (build && options->out != NULL && g_strcmp0(options->out, "-") == 0 && cli->json) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "--out - and --json would both write to stdout");
		return FALSE;
	}
	return TRUE;
}

static gboolean
sl_cmd_manifest_run(SlCmdManifestOptions *options, gint argc, gchar **argv, SlReport *report, GError **error)
{
	const gchar *sub = argc >= 2 ? argv[1] : NULL;

	if (g_strcmp0(sub, "build") != 0 && g_strcmp0(sub, "show") != 0 && g_strcmp0(sub, "sign") != 0) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "manifest needs a subcommand: build, show or sign (not '%s')",
			    sub != NULL ? sub : "");
		return FALSE;
	}
	sl_report_add_string(report, "action", sub);
	if (!sl_cmd_manifest_refuse_options(options, sub, error))
		return FALSE;
	if (g_strcmp0(sub, "build") == 0) {
		if (argc > 2) {
			g_set_error(
			    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "unexpected argument '%s'", argv[2]);
			return FALSE;
		}
		return sl_cmd_manifest_build_run(options, report, error);
	}
	if (g_strcmp0(sub, "show") == 0)
		return sl_cmd_manifest_show_run(options, argc - 1, argv + 1, report, error);
	return sl_cmd_manifest_sign_run(options, argc - 1, argv + 1, report, error);
}

gint
sl_cmd_manifest(gint argc, gchar **argv)
{
	g_auto(SlCmdManifestOptions) options = {0};
	g_autoptr(GOptionContext) context = g_option_context_new("build|show FILE|sign FILE");
	g_autoptr(SlReport) report = sl_report_new("manifest");
	g_autoptr(GError) error = NULL;
	gboolean ok;

	sl_cmd_manifest_add_options(context, &options);
	if (!sl_cli_parse(context, &argc, &argv, TRUE, &error))
		return sl_cli_finish_parse_error(report, &options.cli, argc, argv, error);
	sl_cli_setup_logging(&options.cli);
	ok = sl_cmd_manifest_run(&options, argc, argv, report, &error);
	/* with --out -, stdout carries the manifest: the summary goes nowhere */
	if (ok && g_strcmp0(options.out, "-") == 0 && !options.cli.json)
		return SL_EXIT_VERIFIED;
	return sl_cli_finish(report, options.cli.json, ok ? NULL : error);
}
