/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "sl-cert-chain.h"
#include "sl-cli-platform.h"
#include "sl-cli.h"
#include "sl-error.h"
#include "sl-file.h"
#include "sl-launch-session.h"
#include "sl-number.h"
#include "sl-output-dir.h"

/* a PDH is an SEV certificate; a little slack so oversized files are named as such */
#define SL_CMD_SESSION_PDH_MAX (SL_SEV_CERT_SIZE + 1)

typedef struct {
	SlCliOptions cli;
	gchar *pdh;
	gchar *out_dir;
	gboolean no_verify_chain;
	SlCliHostOptions host;
	gchar *launch_state;
} SlCmdSessionOptions;

static void
sl_cmd_session_options_clear(SlCmdSessionOptions *self)
{
	sl_cli_options_clear(&self->cli);
	g_clear_pointer(&self->pdh, g_free);
	g_clear_pointer(&self->out_dir, g_free);
	sl_cli_host_options_clear(&self->host);
	g_clear_pointer(&self->launch_state, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SlCmdSessionOptions, sl_cmd_session_options_clear)

/* what is written; nothing is overwritten */
static const gchar *const sl_cmd_session_files[] = {
    "godh.b64", "session.b64", "tik.bin", "tek.bin", "tk.bin"};

/* the signals that end a session run: until the files are in place they wait */
static void
sl_cmd_session_get_signals(sigset_t *signals)
{
	sigemptyset(signals);
	sigaddset(signals, SIGINT);
	sigaddset(signals, SIGTERM);
	sigaddset(signals, SIGHUP);
}

/*
 * TEST ONLY: SEVLAUNCH_TEST_SESSION_SIGNAL=STAGE:SIGNUM raises SIGNUM after
 * STAGE (out-dir, a file name, commit), so that the tests can interrupt each
 * stage; the signal only ends this process, as any signal sent to it would
 */
static void
sl_cmd_session_test_stage(const gchar *stage)
{
	const gchar *hook = g_getenv("SEVLAUNCH_TEST_SESSION_SIGNAL");
	const gchar *colon = hook != NULL ? strrchr(hook, ':') : NULL;

	if (colon != NULL && strncmp(hook, stage, (gsize)(colon - hook)) == 0 &&
	    strlen(stage) == (gsize)(colon - hook))
		raise((int)g_ascii_strtoll(colon + 1, NULL, 10));
}

/* a blocked signal that arrived, taken so that the run can clean up and say so; ignored ones (nohup) stay
 * ignored */
static int
sl_cmd_session_take_signal(const sigset_t *signals)
{
	const struct timespec now = {0};
	int signo;

	while ((signo = sigtimedwait(signals, NULL, &now)) > 0) {
		struct sigaction action;
		if (sigaction(signo, NULL, &action) == 0 && action.sa_handler == SIG_IGN)
			continue;
		return signo;
	}
	return 0;
}

static gboolean
sl_cmd_session_stage_done(const gchar *stage, const sigset_t *signals, int *signo, GError **error)
{
	sl_cmd_session_test_stage(stage);
	*signo = sl_cmd_session_take_signal(signals);
	if (*signo == 0)
		return TRUE;
	g_set_error(error,
		    SL_ERROR,
		    SL_ERROR_WRITE,
		    "interrupted by %s: no session file was written",
		    *signo == SIGINT    ? "SIGINT"
		    : *signo == SIGTERM ? "SIGTERM"
					: "SIGHUP");
	return FALSE;
}

static gboolean
sl_cmd_session_write_files(
    const gchar *dir_path, SlLaunchSession *session, const sigset_t *signals, int *signo, GError **error)
{
	g_autofree gchar *godh = g_base64_encode(session->godh, sizeof(session->godh));
	g_autofree gchar *blob = g_base64_encode(session->session, sizeof(session->session));
	g_autoptr(SlSecretBytes) tk = sl_secret_bytes_new(2 * SL_LAUNCH_KEY_SIZE);
	g_autoptr(SlOutputDir) dir = NULL;
	struct {
		const guint8 *data;
		gsize len;
		mode_t mode;
	} contents[] = {
	    {(const guint8 *)godh, strlen(godh), 0600},
	    {(const guint8 *)blob, strlen(blob), 0600},
	    {sl_secret_bytes_get_data(session->keys->tik), SL_LAUNCH_KEY_SIZE, 0600},
	    {sl_secret_bytes_get_data(session->keys->tek), SL_LAUNCH_KEY_SIZE, 0600},
	    {sl_secret_bytes_get_data(tk), 2 * SL_LAUNCH_KEY_SIZE, 0600},
	};

	G_STATIC_ASSERT(G_N_ELEMENTS(contents) == G_N_ELEMENTS(sl_cmd_session_files));
	/* TEK then TIK, as --tk reads it */
	memcpy(
	    sl_secret_bytes_get_data(tk), sl_secret_bytes_get_data(session->keys->tek), SL_LAUNCH_KEY_SIZE);
	memcpy(sl_secret_bytes_get_data(tk) + SL_LAUNCH_KEY_SIZE,
	       sl_secret_bytes_get_data(session->keys->tik),
	       SL_LAUNCH_KEY_SIZE);
	dir = sl_output_dir_new(dir_path, 0700, error);
	if (dir == NULL || !sl_cmd_session_stage_done("out-dir", signals, signo, error))
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(contents); i++) {
		SlOutputFile *file = sl_output_dir_add_file(
		    dir, sl_cmd_session_files[i], "session file", contents[i].mode, error);
		if (file == NULL || !sl_output_file_write(file, contents[i].data, contents[i].len, error) ||
		    !sl_cmd_session_stage_done(sl_cmd_session_files[i], signals, signo, error))
			return FALSE;
	}
	if (!sl_output_dir_commit(dir, error))
		return FALSE;
	/* a signal during the commit still takes the whole set back */
	if (!sl_cmd_session_stage_done("commit", signals, signo, error)) {
		sl_output_dir_revert(dir);
		return FALSE;
	}
	return TRUE;
}

/*
 * the session files appear all together or not at all: SIGINT, SIGTERM and
 * SIGHUP wait while they are written, and one that arrived takes them back;
 * *signo says which, for the caller to end the process with it
 */
static gboolean
sl_cmd_session_write_all(const gchar *dir, SlLaunchSession *session, int *signo, GError **error)
{
	sigset_t signals;
	sigset_t old;
	gboolean ok;

	sl_cmd_session_get_signals(&signals);
	if (sigprocmask(SIG_BLOCK, &signals, &old) != 0) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INTERNAL, "cannot block signals");
		return FALSE;
	}
	ok = sl_cmd_session_write_files(dir, session, &signals, signo, error);
	/*
	 * once the set is in place the signals stay blocked: one that comes now
	 * would end a run that succeeded, so it waits for the exit and is dropped
	 */
	if (!ok)
		(void)sigprocmask(SIG_SETMASK, &old, NULL);
	return ok;
}

/* --pdh alone: only when the user says the PDH need not be verified */
static SlSevCert *
sl_cmd_session_get_unverified_pdh(SlCmdSessionOptions *options,
				  GBytes *bytes,
				  SlReport *report,
				  GError **error)
{
	SlSevCert *pdh;

	if (bytes == NULL) {
		g_set_error_literal(
		    error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "the session needs the platform's PDH: pass --chain DIR with --generation "
		    "NAME (or --ark FILE --ask FILE), or --pdh FILE with --no-verify-chain");
		return NULL;
	}
	if (!options->no_verify_chain) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "--pdh %s is not verified, and a host that hands over its own PDH can read "
			    "the TIK and TEK: pass --chain DIR with --generation NAME (or --ark FILE --ask "
			    "FILE), or --no-verify-chain to trust it anyway",
			    options->pdh);
		return NULL;
	}
	pdh = sl_sev_cert_parse(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), options->pdh, error);
	if (pdh == NULL)
		return NULL;
	g_printerr("sevlaunch: warning: the PDH in %s is not verified (--no-verify-chain): whoever "
		   "handed it over can read the TIK and TEK of this session\n",
		   options->pdh);
	sl_report_begin_object(report, "certificate_chain");
	sl_report_add_bool(report, "verified", FALSE);
	sl_report_add_null(report, "path");
	sl_report_end_object(report);
	return pdh;
}

/* the PDH of the platform QEMU (or a launch state) describes, once its chain verified */
static SlSevCert *
sl_cmd_session_get_platform_pdh(SlCmdSessionOptions *options,
				const SlLaunchState *state,
				SlReport *report,
				GError **error)
{
	g_autoptr(SlCertChain) chain = NULL;
	const gchar *generation = NULL;
	gboolean verified = FALSE;
	g_autoptr(GError) error_chain = NULL;

	if (!sl_cli_refuse_option(
		options->pdh, "--pdh", "comes from QEMU with --qmp or --launch-state", error))
		return NULL;
	chain = sl_cli_platform_verify_chain(&options->cli, state, &verified, &generation, &error_chain);
	if (chain == NULL || (!verified && !options->no_verify_chain)) {
		if (!verified && chain != NULL)
			g_prefix_error(&error_chain,
				       "refusing to build a session for an unverified PDH (--no-verify-chain "
				       "to trust it anyway): ");
		g_propagate_error(error, g_steal_pointer(&error_chain));
		return NULL;
	}
	if (verified && options->no_verify_chain) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "--no-verify-chain given, but the platform's chain verifies: drop it");
		return NULL;
	}
	if (!verified)
		g_printerr(
		    "sevlaunch: warning: the platform's PDH is not verified (--no-verify-chain): whoever "
		    "handed it over can read the TIK and TEK of this session\n");
	sl_report_begin_object(report, "certificate_chain");
	sl_report_add_bool(report, "verified", verified);
	sl_report_add_null(report, "path");
	sl_report_add_string(report, "source", options->host.qmp != NULL ? "qmp" : "launch-state");
	sl_report_add_string(report, "generation", generation);
	sl_report_end_object(report);
	sl_cli_platform_describe(state, report);
	return sl_sev_cert_parse(
	    g_bytes_get_data(state->pdh, NULL), g_bytes_get_size(state->pdh), "PDH from the platform", error);
}

/* the PDH the session is built on: the verified chain's, --pdh when it is that one, or --pdh unverified */
static SlSevCert *
sl_cmd_session_get_pdh(SlCmdSessionOptions *options, SlReport *report, GError **error)
{
	g_autoptr(SlCertChain) chain = NULL;
	g_autoptr(GBytes) bytes = NULL;
	SlSevCert *verified;

	g_autoptr(SlLaunchState) state = NULL;

	if (!sl_cli_platform_get_state(&options->host, options->launch_state, &options->cli, &state, error))
		return NULL;
	if (state != NULL)
		return sl_cmd_session_get_platform_pdh(options, state, report, error);
	if (options->pdh != NULL) {
		bytes = sl_file_read_bounded(options->pdh, "certificate", SL_CMD_SESSION_PDH_MAX, error);
		if (bytes == NULL)
			return NULL;
	}
	if (options->cli.chain == NULL) {
		if (!sl_cli_refuse_option(
			options->cli.generation, "--generation", "needs --chain DIR", error) ||
		    !sl_cli_refuse_option(options->cli.ark, "--ark", "needs --chain DIR", error) ||
		    !sl_cli_refuse_option(options->cli.ask, "--ask", "needs --chain DIR", error))
			return NULL;
		return sl_cmd_session_get_unverified_pdh(options, bytes, report, error);
	}
	if (!sl_cli_refuse_option(options->no_verify_chain ? "" : NULL,
				  "--no-verify-chain",
				  "contradicts --chain DIR, which is verified",
				  error))
		return NULL;
	chain = sl_cert_chain_new();
	if (!sl_cli_options_load_chain(&options->cli, chain, error))
		return NULL;
	if (!sl_cert_chain_verify(chain, error))
		return NULL;
	verified = sl_cert_chain_get_pdh(chain);
	if (bytes != NULL &&
	    (g_bytes_get_size(bytes) != SL_SEV_CERT_SIZE ||
	     memcmp(g_bytes_get_data(bytes, NULL), sl_sev_cert_get_data(verified), SL_SEV_CERT_SIZE) != 0)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "%s is not the PDH of the verified chain in %s",
			    options->pdh,
			    options->cli.chain);
		return NULL;
	}
	sl_report_begin_object(report, "certificate_chain");
	sl_report_add_bool(report, "verified", TRUE);
	sl_report_add_string(report, "path", options->cli.chain);
	sl_report_end_object(report);
	return sl_sev_cert_parse(
	    sl_sev_cert_get_data(verified), SL_SEV_CERT_SIZE, sl_sev_cert_get_name(verified), error);
}

static gboolean
sl_cmd_session_run(SlCmdSessionOptions *options, SlReport *report, int *signo, GError **error)
{
	g_autoptr(SlSevCert) pdh = NULL;
	g_autoptr(SlLaunchSession) session = NULL;
	guint64 policy = 0;

	if (options->cli.policy == NULL) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "pass --policy N");
		return FALSE;
	}
	if (!sl_number_parse(options->cli.policy, "--policy", 0, G_MAXUINT32, &policy, error))
		return FALSE;
	if (options->out_dir == NULL) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "pass --out-dir DIR");
		return FALSE;
	}
	pdh = sl_cmd_session_get_pdh(options, report, error);
	if (pdh == NULL)
		return FALSE;
	session = sl_launch_session_new(pdh, (guint32)policy, error);
	if (session == NULL)
		return FALSE;
	if (!sl_cmd_session_write_all(options->out_dir, session, signo, error)) {
		g_prefix_error(error, "--out-dir: ");
		return FALSE;
	}
	sl_report_add_uint_hex(report, "policy", policy);
	sl_report_begin_object(report, "files");
	for (guint i = 0; i < G_N_ELEMENTS(sl_cmd_session_files); i++) {
		g_autofree gchar *path = g_build_filename(options->out_dir, sl_cmd_session_files[i], NULL);
		/* "godh.b64" is member "godh" */
		g_autofree gchar *key =
		    g_strndup(sl_cmd_session_files[i], strcspn(sl_cmd_session_files[i], "."));
		sl_report_add_string(report, key, path);
	}
	sl_report_end_object(report);
	return TRUE;
}

gint
sl_cmd_session(gint argc, gchar **argv)
{
	g_auto(SlCmdSessionOptions) options = {0};
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(SlReport) report = sl_report_new("session");
	g_autoptr(GError) error = NULL;
	int signo = 0;
	gint code;
	/* clang-format off */
	const GOptionEntry entries[] = {
	    {"pdh", 0, 0, G_OPTION_ARG_FILENAME, &options.pdh, "The platform's PDH certificate", "FILE"},
	    {"policy", 0, 0, G_OPTION_ARG_STRING, &options.cli.policy, "Guest policy (bit 0x4: SEV-ES)", "N"},
	    {"out-dir", 0, 0, G_OPTION_ARG_FILENAME, &options.out_dir,
	     "Write godh.b64 session.b64 tik.bin tek.bin tk.bin here (all new)", "DIR"},
	    {"no-verify-chain", 0, 0, G_OPTION_ARG_NONE, &options.no_verify_chain,
	     "Use --pdh without a verified chain (unsafe: prints a warning)", NULL},
	    {"launch-state", 0, 0, G_OPTION_ARG_FILENAME, &options.launch_state,
	     "The platform's PDH and chain from what 'sevlaunch query' printed", "FILE"},
	    {NULL},
	};
	/* clang-format on */

	g_option_context_set_summary(
	    context,
	    "Build the launch session for QEMU's sev-guest (dh-cert-file=godh.b64,\n"
	    "session-file=session.b64) with a fresh TIK and TEK (mode 0600, never printed).");
	sl_cli_add_entries(context, &options.cli, entries);
	sl_cli_add_host_options(context, &options.cli, &options.host);
	sl_cli_add_output_options(context, &options.cli);
	sl_cli_add_chain_options(context, &options.cli, "Verify this certificate chain first");
	if (!sl_cli_parse(context, &argc, &argv, FALSE, &error))
		return sl_cli_finish_parse_error(report, &options.cli, argc, argv, error);
	sl_cli_setup_logging(&options.cli);
	(void)sl_cmd_session_run(&options, report, &signo, &error);
	code = sl_cli_finish(report, options.cli.json, error);
	/* everything is cleaned up: end as the signal asked */
	if (signo != 0) {
		signal(signo, SIG_DFL);
		raise(signo);
	}
	return code;
}
