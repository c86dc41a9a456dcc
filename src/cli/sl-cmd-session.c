/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "sl-cert-chain.h"
#include "sl-cli.h"
#include "sl-error.h"
#include "sl-file.h"
#include "sl-launch-session.h"
#include "sl-number.h"

/* a PDH is an SEV certificate; a little slack so oversized files are named as such */
#define SL_CMD_SESSION_PDH_MAX (SL_SEV_CERT_SIZE + 1)

typedef struct {
	SlCliOptions cli;
	gchar *pdh;
	gchar *out_dir;
} SlCmdSessionOptions;

static void
sl_cmd_session_options_clear(SlCmdSessionOptions *self)
{
	sl_cli_options_clear(&self->cli);
	g_clear_pointer(&self->pdh, g_free);
	g_clear_pointer(&self->out_dir, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SlCmdSessionOptions, sl_cmd_session_options_clear)

/* what is written, in order; nothing is overwritten */
static const gchar *const sl_cmd_session_files[] = {
    "godh.b64", "session.b64", "tik.bin", "tek.bin", "tk.bin"};

/* O_EXCL: an existing file (or a planted symlink) is refused, never replaced */
static gboolean
sl_cmd_session_write_file(const gchar *path, const guint8 *data, gsize len, GError **error)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0) {
		int errsv = errno;
		g_set_error(error, SL_ERROR, SL_ERROR_WRITE, "cannot create %s: %s", path, g_strerror(errsv));
		return FALSE;
	}
	if (!sl_file_write_all(fd, path, data, len, error)) {
		close(fd);
		return FALSE;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		int errsv = errno;
		g_set_error(error, SL_ERROR, SL_ERROR_WRITE, "cannot write %s: %s", path, g_strerror(errsv));
		return FALSE;
	}
	return TRUE;
}

static gboolean
sl_cmd_session_check_out_dir(const gchar *dir, GError **error)
{
	if (g_mkdir_with_parents(dir, 0700) != 0) {
		int errsv = errno;
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_WRITE,
			    "cannot create --out-dir %s: %s",
			    dir,
			    g_strerror(errsv));
		return FALSE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(sl_cmd_session_files); i++) {
		g_autofree gchar *path = g_build_filename(dir, sl_cmd_session_files[i], NULL);
		GStatBuf st;
		if (g_lstat(path, &st) == 0) {
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "%s exists: refusing to overwrite launch keys",
				    path);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
sl_cmd_session_write_all(const gchar *dir, SlLaunchSession *session, GError **error)
{
	g_autofree gchar *godh = g_base64_encode(session->godh, sizeof(session->godh));
	g_autofree gchar *blob = g_base64_encode(session->session, sizeof(session->session));
	g_autoptr(SlSecretBytes) tk = sl_secret_bytes_new(2 * SL_LAUNCH_KEY_SIZE);
	struct {
		const guint8 *data;
		gsize len;
	} contents[] = {
	    {(const guint8 *)godh, strlen(godh)},
	    {(const guint8 *)blob, strlen(blob)},
	    {sl_secret_bytes_get_data(session->keys->tik), SL_LAUNCH_KEY_SIZE},
	    {sl_secret_bytes_get_data(session->keys->tek), SL_LAUNCH_KEY_SIZE},
	    {sl_secret_bytes_get_data(tk), 2 * SL_LAUNCH_KEY_SIZE},
	};

	G_STATIC_ASSERT(G_N_ELEMENTS(contents) == G_N_ELEMENTS(sl_cmd_session_files));
	/* TEK then TIK, as --tk reads it */
	memcpy(
	    sl_secret_bytes_get_data(tk), sl_secret_bytes_get_data(session->keys->tek), SL_LAUNCH_KEY_SIZE);
	memcpy(sl_secret_bytes_get_data(tk) + SL_LAUNCH_KEY_SIZE,
	       sl_secret_bytes_get_data(session->keys->tik),
	       SL_LAUNCH_KEY_SIZE);
	for (guint i = 0; i < G_N_ELEMENTS(contents); i++) {
		g_autofree gchar *path = g_build_filename(dir, sl_cmd_session_files[i], NULL);
		if (!sl_cmd_session_write_file(path, contents[i].data, contents[i].len, error)) {
			/* a half-written session is of no use: take back what this run created */
			for (guint j = 0; j < i; j++) {
				g_autofree gchar *done = g_build_filename(dir, sl_cmd_session_files[j], NULL);
				(void)g_unlink(done);
			}
			return FALSE;
		}
	}
	return TRUE;
}

/* the PDH the session is built on: --pdh, the verified chain's, or both when they agree */
static SlSevCert *
sl_cmd_session_get_pdh(SlCmdSessionOptions *options, SlReport *report, GError **error)
{
	g_autoptr(SlCertChain) chain = NULL;
	g_autoptr(GBytes) bytes = NULL;
	SlSevCert *verified;

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
		if (bytes == NULL) {
			g_set_error_literal(
			    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "pass --pdh FILE or --chain DIR");
			return NULL;
		}
		sl_report_add_string(report, "certificate chain", "not verified (no --chain)");
		return sl_sev_cert_parse(
		    g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), options->pdh, error);
	}
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
	sl_report_add_string(report, "certificate chain", "verified");
	return sl_sev_cert_parse(
	    sl_sev_cert_get_data(verified), SL_SEV_CERT_SIZE, sl_sev_cert_get_name(verified), error);
}

static gboolean
sl_cmd_session_run(SlCmdSessionOptions *options, SlReport *report, GError **error)
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
	if (!sl_cmd_session_check_out_dir(options->out_dir, error))
		return FALSE;
	session = sl_launch_session_new(pdh, (guint32)policy, error);
	if (session == NULL)
		return FALSE;
	if (!sl_cmd_session_write_all(options->out_dir, session, error))
		return FALSE;
	sl_report_add_printf(report, "policy", "0x%" G_GINT64_MODIFIER "x", policy);
	for (guint i = 0; i < G_N_ELEMENTS(sl_cmd_session_files); i++) {
		g_autofree gchar *path = g_build_filename(options->out_dir, sl_cmd_session_files[i], NULL);
		sl_report_add_string(report, sl_cmd_session_files[i], path);
	}
	return TRUE;
}

gint
sl_cmd_session(gint argc, gchar **argv)
{
	g_auto(SlCmdSessionOptions) options = {0};
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(SlReport) report = sl_report_new();
	g_autoptr(GError) error = NULL;
	/* clang-format off */
	const GOptionEntry entries[] = {
	    {"pdh", 0, 0, G_OPTION_ARG_FILENAME, &options.pdh, "The platform's PDH certificate", "FILE"},
	    {"policy", 0, 0, G_OPTION_ARG_STRING, &options.cli.policy, "Guest policy (bit 0x4: SEV-ES)", "N"},
	    {"out-dir", 0, 0, G_OPTION_ARG_FILENAME, &options.out_dir,
	     "Write godh.b64 session.b64 tik.bin tek.bin tk.bin here", "DIR"},
	    {NULL},
	};
	/* clang-format on */

	g_option_context_set_summary(
	    context,
	    "Build the launch session for QEMU's sev-guest (dh-cert-file=godh.b64,\n"
	    "session-file=session.b64) with a fresh TIK and TEK (mode 0600, never printed).");
	g_option_context_add_main_entries(context, entries, NULL);
	sl_cli_add_output_options(context, &options.cli);
	sl_cli_add_chain_options(context, &options.cli, "Verify this certificate chain first");
	if (!sl_cli_parse(context, &argc, &argv, FALSE, &error))
		return sl_cli_print_error(error);
	sl_cli_setup_logging(&options.cli);
	(void)sl_cmd_session_run(&options, report, &error);
	return sl_cli_finish(report, options.cli.json, error);
}
