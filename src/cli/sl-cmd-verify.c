/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-cli-interrupt.h"
#include "sl-cli-libvirt.h"
#include "sl-cli-packet.h"
#include "sl-cli-verify-extras.h"
#include "sl-cli.h"
#include "sl-cmd-verify-state.h"
#include "sl-crypto.h"
#include "sl-error.h"
#include "sl-number.h"
#include "sl-qmp-target.h"
#include "sl-verdict.h"
#include "sl-verify-flow.h"

#define SL_CMD_VERIFY_DEFAULT_TIMEOUT_S 60
#define SL_CMD_VERIFY_MAX_SECONDS (24 * 3600)

typedef struct {
	SlCliOptions cli;
	gchar *qmp;
	gchar *qmp_tls_creds;
	gchar *qmp_tls_hostname;
	gchar *wait;
	gchar *timeout;
	gboolean no_resume;
	gchar *on_mismatch;
	gchar *expect_policy;
	gchar *secret_gpa;
	gchar *launch_state;
	gchar *packet_out;
	gboolean force;
	SlCliVerifyExtras extras;
	SlCliLibvirtOptions libvirt; /* --connect, --domain; start */
	SlCliPacketOptions packet;
} SlCmdVerifyOptions;

static void
sl_cmd_verify_options_clear(SlCmdVerifyOptions *self)
{
	sl_cli_options_clear(&self->cli);
	g_clear_pointer(&self->qmp, g_free);
	g_clear_pointer(&self->qmp_tls_creds, g_free);
	g_clear_pointer(&self->qmp_tls_hostname, g_free);
	g_clear_pointer(&self->wait, g_free);
	g_clear_pointer(&self->timeout, g_free);
	g_clear_pointer(&self->on_mismatch, g_free);
	g_clear_pointer(&self->expect_policy, g_free);
	g_clear_pointer(&self->secret_gpa, g_free);
	g_clear_pointer(&self->launch_state, g_free);
	g_clear_pointer(&self->packet_out, g_free);
	sl_cli_verify_extras_clear(&self->extras);
	sl_cli_libvirt_options_clear(&self->libvirt);
	sl_cli_packet_options_clear(&self->packet);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SlCmdVerifyOptions, sl_cmd_verify_options_clear)

/* what only a run that talks to QEMU uses: refused, not ignored, without --qmp */
static gboolean
sl_cmd_verify_refuse_live_only(SlCmdVerifyOptions *options, GError **error)
{
	return sl_cli_refuse_option(options->qmp_tls_creds, "--qmp-tls-creds", "needs --qmp", error) &&
	       sl_cli_refuse_option(options->qmp_tls_hostname, "--qmp-tls-hostname", "needs --qmp", error) &&
	       sl_cli_refuse_option(options->wait, "--wait", "needs --qmp", error) &&
	       sl_cli_refuse_option(options->timeout, "--timeout", "needs --qmp", error) &&
	       sl_cli_refuse_option(options->on_mismatch, "--on-mismatch", "needs --qmp", error) &&
	       sl_cli_refuse_option(options->no_resume ? "" : NULL, "--no-resume", "needs --qmp", error) &&
	       sl_cli_refuse_option(options->libvirt.domain, "--domain", "needs --connect URI", error);
}

static gboolean
sl_cmd_verify_offline_refuse(SlCmdVerifyOptions *options, GError **error)
{
	/* a --tek passed as on every launch is not used here, as the TEK half of --tk is not */
	return sl_cmd_verify_refuse_live_only(options, error) &&
	       sl_cli_refuse_option(options->expect_policy, "--expect-policy", "needs --qmp", error) &&
	       sl_cli_refuse_option(options->secret_gpa, "--secret-gpa", "needs --qmp", error) &&
	       sl_cli_packet_options_check_request(&options->packet, &options->cli, error);
}

/* the measurement blob and what it binds, from the command line */
static gboolean
sl_cmd_verify_offline_inputs(SlCliOptions *cli,
			     SlLaunchParams *params,
			     guint8 reported[SL_MEASUREMENT_SIZE],
			     guint8 mnonce[SL_MNONCE_SIZE],
			     GError **error)
{
	gboolean have_params = FALSE;

	if (cli->measurement == NULL) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "verify needs --qmp ADDRESS, or --measurement BASE64 to verify offline");
		return FALSE;
	}
	if (!sl_launch_measure_blob_decode(cli->measurement, "--measurement", reported, mnonce, error))
		return FALSE;
	if (!sl_cli_options_get_launch_params(cli, params, &have_params, error))
		return FALSE;
	if (!have_params) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "offline verify needs --api-major, --api-minor, --build-id and --policy");
		return FALSE;
	}
	return TRUE;
}

static gboolean
sl_cmd_verify_offline_manifest(SlCmdVerifyOptions *options,
			       SlManifest *manifest,
			       SlLaunchKeys *keys,
			       const SlLaunchParams *params,
			       const guint8 reported[SL_MEASUREMENT_SIZE],
			       const guint8 mnonce[SL_MNONCE_SIZE],
			       SlReport *report,
			       GError **error)
{
	SlCliOptions *cli = &options->cli;

	if (cli->sev_es && !(params->policy & SL_SEV_POLICY_ES)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "--sev-es given, but --policy 0x%x has no SEV-ES bit (0x4)",
			    params->policy);
		return FALSE;
	}
	if (!sl_cli_packet_check_outputs(&options->packet, error))
		return FALSE;
	return sl_verdict_check_manifest(manifest, keys->tik, params, reported, mnonce, report, error);
}

/*
 * offline: the measurement blob and what it binds come from the command line;
 * *keys and *secrets are read before the verdict, @reported is the measurement
 */
static gboolean
sl_cmd_verify_offline_verdict(SlCmdVerifyOptions *options,
			      SlLaunchKeys **keys,
			      SlSecretTable **secrets,
			      guint8 reported[SL_MEASUREMENT_SIZE],
			      SlReport *report,
			      GError **error)
{
	SlCliOptions *cli = &options->cli;
	g_autoptr(SlLaunchArtifacts) artifacts = NULL;
	g_autoptr(SlLaunchDigestPrefix) prefix = NULL;
	g_autoptr(SlManifest) manifest = NULL;
	g_autoptr(GError) error_verdict = NULL;
	SlLaunchRequirements req = {0};
	SlLaunchParams params = {0};
	gboolean sev_es;
	guint8 mnonce[SL_MNONCE_SIZE];
	guint8 digest[SL_SHA256_SIZE];

	if (!sl_cli_verify_extras_load(&options->extras, cli, &manifest, &req, report, error) ||
	    !sl_cmd_verify_offline_inputs(cli, &params, reported, mnonce, error))
		return FALSE;
	sl_report_begin_object(report, "guest");
	sl_launch_params_describe(&params, report);
	sl_report_end_object(report);
	/* the owner's rules come before any verdict */
	if (!sl_launch_requirements_check(&req, &params, error))
		return FALSE;
	*keys = sl_cli_options_get_keys(cli, error);
	if (*keys == NULL || !sl_cli_options_get_secret_table(cli, secrets, error))
		return FALSE;
	if (manifest != NULL)
		return sl_cmd_verify_offline_manifest(
		    options, manifest, *keys, &params, reported, mnonce, report, error);
	artifacts = sl_cli_options_get_artifacts(cli, error);
	if (artifacts == NULL)
		return FALSE;
	if (!sl_cli_resolve_sev_es(cli, params.policy, artifacts, &sev_es, error))
		return FALSE;
	sl_cli_verify_warn_nvram(artifacts, report);
	prefix = sl_launch_artifacts_hash_prefix(artifacts, error);
	if (prefix == NULL)
		return FALSE;
	if (!sl_launch_artifacts_finish_digest(
		artifacts, prefix, sev_es, artifacts->vcpus, digest, report, error))
		return FALSE;
	/* every input is read: an output may not be one of them */
	if (!sl_cli_packet_check_outputs(&options->packet, error))
		return FALSE;
	if (sl_verdict_check(
		artifacts, prefix, (*keys)->tik, &params, digest, reported, mnonce, report, &error_verdict))
		return TRUE;
	if (options->extras.explain && g_error_matches(error_verdict, SL_ERROR, SL_ERROR_MISMATCH) &&
	    !sl_verdict_explain(artifacts,
				prefix,
				sev_es,
				artifacts->vcpus,
				(*keys)->tik,
				&params,
				reported,
				mnonce,
				report,
				error))
		return FALSE;
	g_propagate_error(error, g_steal_pointer(&error_verdict));
	return FALSE;
}

/* offline; with --secret, the packet for the verified measurement, after the verdict only */
static gboolean
sl_cmd_verify_offline(SlCmdVerifyOptions *options, SlReport *report, GError **error)
{
	g_autoptr(SlLaunchKeys) keys = NULL;
	g_autoptr(SlSecretTable) secrets = NULL;
	guint8 reported[SL_MEASUREMENT_SIZE];

	if (!sl_cmd_verify_offline_refuse(options, error))
		return FALSE;
	/* a mismatch ends here: no packet is built, no file written */
	if (!sl_cmd_verify_offline_verdict(options, &keys, &secrets, reported, report, error))
		return FALSE;
	if (secrets == NULL)
		return TRUE;
	return sl_cli_packet_build_and_write(&options->packet, keys, reported, secrets, report, error);
}

static gboolean
sl_cmd_verify_parse_seconds(
    const gchar *text, const gchar *what, guint min_s, guint default_s, guint *ms, GError **error)
{
	guint64 value = default_s;
	if (text != NULL && !sl_number_parse(text, what, min_s, SL_CMD_VERIFY_MAX_SECONDS, &value, error))
		return FALSE;
	*ms = (guint)value * 1000;
	return TRUE;
}

static gboolean
sl_cmd_verify_live_options(SlCmdVerifyOptions *options, SlVerifyFlowOptions *flow, GError **error)
{
	SlCliOptions *cli = &options->cli;
	guint64 value = 0;

	if (!sl_cli_refuse_option(
		cli->measurement, "--measurement", "is for offline verify, not with --qmp", error) ||
	    !sl_cli_refuse_option(sl_cli_packet_options_wanted(&options->packet) ? "" : NULL,
				  "--header-out",
				  "is for offline verify: with --qmp the packet is injected",
				  error) ||
	    !sl_cli_refuse_option(
		options->force ? "" : NULL, "--force", "replaces packet files of offline verify", error) ||
	    !sl_cli_refuse_option(cli->api_major, "--api-major", "comes from QEMU with --qmp", error) ||
	    !sl_cli_refuse_option(cli->api_minor, "--api-minor", "comes from QEMU with --qmp", error) ||
	    !sl_cli_refuse_option(cli->build_id, "--build-id", "comes from QEMU with --qmp", error) ||
	    !sl_cli_refuse_option(
		cli->policy, "--policy", "comes from QEMU with --qmp: use --expect-policy", error))
		return FALSE;
	flow->resume = !options->no_resume;
	flow->require_sev_es = cli->sev_es;
	/* a run without a deadline could hang a boot pipeline: --timeout is at least 1 s */
	if (!sl_cmd_verify_parse_seconds(options->wait, "--wait", 0, 0, &flow->wait_ms, error) ||
	    !sl_cmd_verify_parse_seconds(
		options->timeout, "--timeout", 1, SL_CMD_VERIFY_DEFAULT_TIMEOUT_S, &flow->timeout_ms, error))
		return FALSE;
	/* start fails closed: a domain it started does not stay unless asked */
	if (options->on_mismatch == NULL && options->libvirt.start) {
		flow->on_mismatch = SL_ON_MISMATCH_QUIT;
	} else if (options->on_mismatch == NULL || g_strcmp0(options->on_mismatch, "pause") == 0) {
		flow->on_mismatch = SL_ON_MISMATCH_PAUSE;
	} else if (g_strcmp0(options->on_mismatch, "quit") == 0) {
		flow->on_mismatch = SL_ON_MISMATCH_QUIT;
	} else {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "--on-mismatch: '%s' is neither 'pause' nor 'quit'",
			    options->on_mismatch);
		return FALSE;
	}
	if (options->expect_policy != NULL) {
		if (!sl_number_parse(
			options->expect_policy, "--expect-policy", 0, G_MAXUINT32, &value, error))
			return FALSE;
		flow->has_expect_policy = TRUE;
		flow->expect_policy = (guint32)value;
	}
	if (options->secret_gpa != NULL) {
		if (!sl_number_parse(options->secret_gpa, "--secret-gpa", 1, G_MAXUINT64, &value, error))
			return FALSE;
		flow->has_secret_gpa = TRUE;
		flow->secret_gpa = value;
	}
	return TRUE;
}

typedef struct {
	gboolean done;
	gboolean ok;
	GError *error;
} SlCmdVerifyResult;

static void
sl_cmd_verify_flow_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlCmdVerifyResult *result = user_data;
	result->ok = sl_verify_flow_run_finish(res, &result->error);
	result->done = TRUE;
}

static gboolean
sl_cmd_verify_live(SlCmdVerifyOptions *options, SlReport *report, GError **error)
{
	SlCliOptions *cli = &options->cli;
	g_autoptr(SlLaunchArtifacts) artifacts = NULL;
	g_autoptr(SlLaunchKeys) keys = NULL;
	g_autoptr(SlSecretTable) secrets = NULL;
	g_autoptr(SlLaunchTarget) target = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(SlCliInterrupt) interrupt = NULL;
	g_autoptr(SlManifest) manifest = NULL;
	SlLaunchRequirements req = {0};
	SlCmdVerifyResult result = {0};
	SlVerifyFlowOptions flow = {0};
	SlQmpTargetOptions qmp = {0};

	if (!sl_cmd_verify_live_options(options, &flow, error) ||
	    !sl_cli_verify_extras_load(&options->extras, cli, &manifest, &req, report, error))
		return FALSE;
	/* everything local is checked before QEMU hears from us */
	if (manifest == NULL) {
		artifacts = sl_cli_options_get_artifacts(cli, error);
		if (artifacts == NULL)
			return FALSE;
		sl_cli_verify_warn_nvram(artifacts, report);
		flow.vcpus = artifacts->vcpus;
	}
	keys = sl_cli_options_get_keys(cli, error);
	if (keys == NULL)
		return FALSE;
	if (!sl_cli_options_get_secret_table(cli, &secrets, error))
		return FALSE;
	flow.artifacts = artifacts;
	flow.manifest = manifest;
	flow.requirements = &req;
	flow.explain = options->extras.explain;
	flow.keys = keys;
	flow.secrets = secrets;
	qmp.address = options->qmp;
	qmp.tls_creds = options->qmp_tls_creds;
	qmp.tls_hostname = options->qmp_tls_hostname;
	qmp.allow_open_permissions = cli->allow_open_permissions;
	qmp.wait_ms = flow.wait_ms;
	/* no single command outlives the run's deadline */
	qmp.command_timeout_ms = flow.timeout_ms + flow.wait_ms;
	target = sl_cli_target_new(&options->libvirt, &qmp, options->wait != NULL, error);
	if (target == NULL || !sl_verify_options_check(&flow, error))
		return FALSE;
	/* a signal ends the run as a timeout does: saying what was already sent */
	interrupt = sl_cli_interrupt_new(cancellable);
	sl_verify_flow_run_async(target, &flow, report, cancellable, sl_cmd_verify_flow_done_cb, &result);
	while (!result.done)
		g_main_context_iteration(NULL, TRUE);
	/* let the flow free itself and the client close before we return */
	while (g_main_context_iteration(NULL, FALSE))
		;
	if (!result.ok) {
		/* the vCPU count may come from QEMU: only then is a missing AP VMSA known */
		sl_cli_options_add_vmsa_hint(cli, &result.error);
		sl_cli_interrupt_prefix_error(interrupt, &result.error);
		/* start fails closed: the domain it started goes too */
		sl_cli_libvirt_fail_closed(target, flow.on_mismatch, result.error);
		g_propagate_error(error, result.error);
		return FALSE;
	}
	return TRUE;
}

/* --launch-state: with --packet-out -, standard output is the packet's alone */
static gint
sl_cmd_verify_state(SlCmdVerifyOptions *options, SlReport *report)
{
	g_autoptr(GError) error = NULL;
	SlCmdVerifyStateOptions state = {
	    .launch_state = options->launch_state,
	    .packet_out = options->packet_out,
	    .force = options->force,
	    .secret_gpa = options->secret_gpa,
	    .expect_policy = options->expect_policy,
	    .extras = &options->extras,
	};
	gboolean packet_to_stdout = g_strcmp0(options->packet_out, "-") == 0;
	gboolean ok;

	if (options->qmp != NULL || options->libvirt.connect != NULL)
		ok = sl_cli_refuse_option("",
					  "--launch-state",
					  options->qmp != NULL ? "is the offline form of --qmp: give one"
							       : "is the offline form of --connect: give one",
					  &error);
	else if (!sl_cmd_verify_refuse_live_only(options, &error))
		ok = FALSE;
	else if (sl_cli_packet_options_wanted(&options->packet))
		ok = sl_cli_refuse_option(
		    "",
		    options->packet.header_out != NULL ? "--header-out" : "--payload-out",
		    "is for --measurement: with --launch-state, --packet-out writes the packet",
		    &error);
	else if (packet_to_stdout && options->cli.json)
		ok = sl_cli_refuse_option(
		    "", "--json", "and --packet-out - both want standard output", &error);
	else
		ok = sl_cmd_verify_launch_state(&options->cli, &state, report, &error);
	if (!sl_report_has_key(report, "resumed"))
		sl_report_add_bool(report, "resumed", FALSE);
	if (packet_to_stdout)
		return ok ? SL_EXIT_VERIFIED : sl_cli_print_error(error);
	return sl_cli_finish(report, options->cli.json, ok ? NULL : error);
}

gint
sl_cmd_verify_run(gint argc, gchar **argv, gboolean start)
{
	g_auto(SlCmdVerifyOptions) options = {.libvirt.start = start};
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(SlReport) report = sl_report_new(start ? "start" : "verify");
	g_autoptr(GError) error = NULL;
	gboolean ok;
	const GOptionEntry entries[] = {
	    {"qmp",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options.qmp,
	     "QMP socket: unix:PATH, PATH, tcp:HOST:PORT",
	     "ADDRESS"},
	    {"qmp-tls-creds",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &options.qmp_tls_creds,
	     "TLS to QMP: ca-cert.pem [client-cert.pem client-key.pem]",
	     "DIR"},
	    {"qmp-tls-hostname",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options.qmp_tls_hostname,
	     "Name the QEMU certificate must match (default: the --qmp host)",
	     "NAME"},
	    {"wait",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options.wait,
	     "Retry connecting for up to this long",
	     "SECONDS"},
	    {"timeout",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options.timeout,
	     "Give up after this long (default 60)",
	     "SECONDS"},
	    {"no-resume",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &options.no_resume,
	     "Leave the VM paused after a match",
	     NULL},
	    {"on-mismatch",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options.on_mismatch,
	     "pause (default) or quit",
	     "ACTION"},
	    {"expect-policy",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options.expect_policy,
	     "Refuse any other guest policy",
	     "N"},
	    {"secret",
	     0,
	     0,
	     G_OPTION_ARG_STRING_ARRAY,
	     &options.cli.secrets,
	     "Inject (--qmp) or pack (offline) after a match; repeatable",
	     "GUID-OR-ALIAS:FILE"},
	    {"inject-secret",
	     0,
	     0,
	     G_OPTION_ARG_STRING_ARRAY,
	     &options.cli.secrets,
	     "Same as --secret (virt-qemu-sev-validate)",
	     "GUID-OR-ALIAS:FILE"},
	    {"secret-gpa",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options.secret_gpa,
	     "Guest address for the secret",
	     "ADDRESS"},
	    {"measurement",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options.cli.measurement,
	     "Offline: measurement || MNONCE (48 bytes, base64)",
	     "BASE64"},
	    {"launch-state",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &options.launch_state,
	     "Offline: what 'sevlaunch query' printed on the host (- for standard input)",
	     "FILE"},
	    {"packet-out",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &options.packet_out,
	     "With --launch-state and --secret: write the packet for 'inject' here on a match (- for "
	     "standard output)",
	     "FILE"},
	    {"force",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &options.force,
	     "Replace existing packet files (--packet-out, --header-out, --payload-out)",
	     NULL},
	    {NULL},
	};

	g_option_context_set_summary(
	    context,
	    start ? SL_CLI_LIBVIRT_START_SUMMARY
		  : "Verify a launch measurement. With --qmp: attach to a paused QEMU; with\n"
		    "--connect and --domain: a paused libvirt domain. Secrets are injected and the\n"
		    "guest resumed only on a match. With --measurement: offline, and with --secret\n"
		    "the packet is written (--header-out, --payload-out) only on a match. With\n"
		    "--manifest: against reference values instead of artifacts.");
	sl_cli_add_entries(context, &options.cli, entries);
	sl_cli_add_libvirt_options(context, &options.cli, &options.libvirt);
	sl_cli_add_output_options(context, &options.cli);
	sl_cli_add_artifact_options(context, &options.cli);
	sl_cli_add_launch_options(context, &options.cli);
	sl_cli_add_key_options(context, &options.cli);
	sl_cli_add_verify_extra_options(context, &options.cli, &options.extras);
	sl_cli_add_packet_options(context, &options.cli, &options.packet);
	if (!sl_cli_parse(context, &argc, &argv, FALSE, &error))
		return sl_cli_finish_parse_error(report, &options.cli, argc, argv, error);
	sl_cli_setup_logging(&options.cli);
	/* one --force for every packet file */
	options.packet.force = options.force;
	if (start && (options.launch_state != NULL || options.packet_out != NULL || options.force ||
		      sl_cli_packet_options_wanted(&options.packet)))
		ok = sl_cli_refuse_option("", "--launch-state", "is for verify, not start", &error);
	else if (options.launch_state != NULL)
		return sl_cmd_verify_state(&options, report);
	else if (options.packet_out != NULL)
		ok = sl_cli_refuse_option(
		    "",
		    "--packet-out",
		    "needs --launch-state (with --measurement: --header-out and --payload-out)",
		    &error);
	else if (options.qmp != NULL || options.libvirt.connect != NULL || start)
		ok = sl_cmd_verify_live(&options, report, &error);
	else
		ok = sl_cmd_verify_offline(&options, report, &error);
	/* a packet written to stdout is all that goes there, and only the error line follows a failure */
	if (sl_cli_packet_options_to_stdout(&options.packet) && !options.cli.json)
		return ok ? SL_EXIT_VERIFIED : sl_cli_print_error(error);
	/* a pipeline reads "resumed" whatever happened: only a cont that went through sets it */
	if (!sl_report_has_key(report, "resumed"))
		sl_report_add_bool(report, "resumed", FALSE);
	/* the report (the verdict and, on a mismatch, what was compared) goes out before the error line */
	return sl_cli_finish(report, options.cli.json, ok ? NULL : error);
}

gint
sl_cmd_verify(gint argc, gchar **argv)
{
	return sl_cmd_verify_run(argc, argv, FALSE);
}
