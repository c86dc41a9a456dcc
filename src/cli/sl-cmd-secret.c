/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "sl-base64.h"
#include "sl-cli.h"
#include "sl-error.h"
#include "sl-secret-packet.h"

typedef struct {
	SlCliOptions cli;
	gchar *header_out;
	gchar *payload_out;
	gchar *iv;
} SlCmdSecretOptions;

static void
sl_cmd_secret_options_clear(SlCmdSecretOptions *self)
{
	sl_cli_options_clear(&self->cli);
	g_clear_pointer(&self->header_out, g_free);
	g_clear_pointer(&self->payload_out, g_free);
	g_clear_pointer(&self->iv, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SlCmdSecretOptions, sl_cmd_secret_options_clear)

static gboolean
sl_cmd_secret_write(const gchar *path, const gchar *what, const gchar *base64, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	if (!g_file_set_contents(path, base64, -1, &error_local)) {
		g_set_error(error, SL_ERROR, SL_ERROR_WRITE, "%s: %s", what, error_local->message);
		return FALSE;
	}
	return TRUE;
}

/* "h" and "./h" (or a link to it) are the same file */
static gboolean
sl_cmd_secret_same_file(const gchar *a, const gchar *b)
{
	g_autofree gchar *canon_a = g_canonicalize_filename(a, NULL);
	g_autofree gchar *canon_b = g_canonicalize_filename(b, NULL);
	GStatBuf st_a, st_b;

	if (g_strcmp0(canon_a, canon_b) == 0)
		return TRUE;
	return g_stat(a, &st_a) == 0 && g_stat(b, &st_b) == 0 && st_a.st_dev == st_b.st_dev &&
	       st_a.st_ino == st_b.st_ino;
}

static gboolean
sl_cmd_secret_run(SlCmdSecretOptions *options, SlReport *report, GError **error)
{
	SlCliOptions *cli = &options->cli;
	g_autoptr(SlLaunchKeys) keys = NULL;
	g_autoptr(SlSecretTable) table = NULL;
	g_autoptr(SlSecretPacket) packet = NULL;
	g_autoptr(GBytes) iv = NULL;
	const gchar *blob = cli->launch_measure_blob != NULL ? cli->launch_measure_blob : cli->measurement;
	const gchar *blob_what = cli->launch_measure_blob != NULL ? "--launch-measure-blob" : "--measurement";
	guint8 measurement[SL_MEASUREMENT_SIZE];
	guint8 mnonce[SL_MNONCE_SIZE];

	if (cli->launch_measure_blob != NULL && cli->measurement != NULL) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "give --launch-measure-blob or --measurement, not both");
		return FALSE;
	}
	if (blob == NULL) {
		g_set_error_literal(
		    error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "the packet binds the verified measurement: pass --launch-measure-blob BASE64");
		return FALSE;
	}
	if (!sl_launch_measure_blob_decode(blob, blob_what, measurement, mnonce, error))
		return FALSE;
	if (options->header_out != NULL && options->payload_out != NULL &&
	    sl_cmd_secret_same_file(options->header_out, options->payload_out)) {
		g_set_error(
		    error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "--header-out and --payload-out are both %s: the payload would overwrite the header",
		    options->header_out);
		return FALSE;
	}
	if ((options->header_out == NULL) != (options->payload_out == NULL)) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "--header-out and --payload-out go together");
		return FALSE;
	}
	if (options->iv != NULL) {
		iv = sl_base64_decode_strict(options->iv, SL_SECRET_PACKET_IV_SIZE, "--iv", error);
		if (iv == NULL)
			return FALSE;
	}
	if (!sl_cli_options_get_secret_table(cli, &table, error))
		return FALSE;
	if (table == NULL) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "nothing to send: pass --secret GUID-OR-ALIAS:FILE");
		return FALSE;
	}
	keys = sl_cli_options_get_keys(cli, error);
	if (keys == NULL)
		return FALSE;
	packet = sl_secret_packet_build(
	    keys, measurement, iv != NULL ? g_bytes_get_data(iv, NULL) : NULL, table, error);
	if (packet == NULL) {
		/* checked first: without a TEK, that is what it reported */
		if (keys->tek == NULL)
			sl_cli_error_add_hint(error, "pass --tek FILE or --tk FILE");
		return FALSE;
	}
	sl_secret_table_describe(table, "secrets", report);
	sl_report_add_uint(report, "payload_size", packet->payload_size);
	if (options->header_out != NULL) {
		if (!sl_cmd_secret_write(options->header_out, "--header-out", packet->header_base64, error))
			return FALSE;
		/* half a packet is no use to anyone: take the header back */
		if (!sl_cmd_secret_write(
			options->payload_out, "--payload-out", packet->payload_base64, error)) {
			(void)g_unlink(options->header_out);
			return FALSE;
		}
		sl_report_begin_object(report, "files");
		sl_report_add_string(report, "header", options->header_out);
		sl_report_add_string(report, "payload", options->payload_out);
		sl_report_end_object(report);
		return TRUE;
	}
	/* encrypted and MACed: safe to print, and what sev-inject-launch-secret takes */
	sl_report_begin_object(report, "packet");
	sl_report_add_string(report, "header", packet->header_base64);
	sl_report_add_string(report, "payload", packet->payload_base64);
	sl_report_end_object(report);
	return TRUE;
}

gint
sl_cmd_secret(gint argc, gchar **argv)
{
	g_auto(SlCmdSecretOptions) options = {0};
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(SlReport) report = sl_report_new("secret");
	g_autoptr(GError) error = NULL;
	const GOptionEntry entries[] = {
	    {"launch-measure-blob",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options.cli.launch_measure_blob,
	     "The verified query-sev-launch-measure data (48 bytes, base64)",
	     "BASE64"},
	    {"measurement",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options.cli.measurement,
	     "Same as --launch-measure-blob",
	     "BASE64"},
	    {"secret",
	     0,
	     0,
	     G_OPTION_ARG_STRING_ARRAY,
	     &options.cli.secrets,
	     "A secret (repeatable)",
	     "GUID-OR-ALIAS:FILE"},
	    {"inject-secret",
	     0,
	     0,
	     G_OPTION_ARG_STRING_ARRAY,
	     &options.cli.secrets,
	     "Same as --secret (virt-qemu-sev-validate)",
	     "GUID-OR-ALIAS:FILE"},
	    {"header-out",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &options.header_out,
	     "Write packet-header (base64)",
	     "FILE"},
	    {"payload-out",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &options.payload_out,
	     "Write secret (base64)",
	     "FILE"},
	    {"secret-header",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &options.header_out,
	     "Same as --header-out (virt-qemu-sev-validate)",
	     "FILE"},
	    {"secret-payload",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &options.payload_out,
	     "Same as --payload-out (virt-qemu-sev-validate)",
	     "FILE"},
	    {"iv",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &options.iv,
	     "FOR TESTING ONLY: fixed IV (16 bytes, base64)",
	     "BASE64"},
	    {NULL},
	};

	g_option_context_set_summary(context,
				     "Build a LAUNCH_SECRET packet offline, for sev-inject-launch-secret.\n"
				     "Aliases: luks-key = 736869e5-84f0-4973-92ec-06879ce3da0b.");
	sl_cli_add_entries(context, &options.cli, entries);
	sl_cli_add_output_options(context, &options.cli);
	sl_cli_add_key_options(context, &options.cli);
	if (!sl_cli_parse(context, &argc, &argv, FALSE, &error))
		return sl_cli_finish_parse_error(report, &options.cli, argc, argv, error);
	sl_cli_setup_logging(&options.cli);
	(void)sl_cmd_secret_run(&options, report, &error);
	return sl_cli_finish(report, options.cli.json, error);
}
