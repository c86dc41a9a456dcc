/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-cli-host.h"
#include "sl-cli.h"
#include "sl-error.h"
#include "sl-host-ops.h"
#include "sl-number.h"

/* live injection refuses an address above this: QEMU takes gpa as a signed 64-bit value */
#define SL_CMD_INJECT_MAX_GPA G_MAXINT64

typedef struct {
	SlCliOptions cli;
	SlCliHostOptions host;
	gchar *packet;
	gchar *secret_gpa;
	gboolean no_resume;
} SlCmdInjectOptions;

static void
sl_cmd_inject_options_clear(SlCmdInjectOptions *self)
{
	sl_cli_options_clear(&self->cli);
	sl_cli_host_options_clear(&self->host);
	g_clear_pointer(&self->packet, g_free);
	g_clear_pointer(&self->secret_gpa, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SlCmdInjectOptions, sl_cmd_inject_options_clear)

typedef struct {
	gboolean done;
	gboolean ok;
	GError *error;
} SlCmdInjectResult;

static void
sl_cmd_inject_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlCmdInjectResult *result = user_data;
	result->ok = sl_host_inject_finish(res, &result->error);
	result->done = TRUE;
}

/* everything local, checked before QEMU hears from us */
static SlPacketDocument *
sl_cmd_inject_load_packet(SlCmdInjectOptions *options, guint64 *gpa, GError **error)
{
	g_autofree gchar *text = NULL;
	gsize len = 0;
	SlPacketDocument *packet;

	*gpa = 0;
	if (options->packet == NULL) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "pass --packet FILE (or - for standard input)");
		return NULL;
	}
	if (options->secret_gpa != NULL &&
	    !sl_number_parse(options->secret_gpa, "--secret-gpa", 1, SL_CMD_INJECT_MAX_GPA, gpa, error))
		return NULL;
	text = sl_cli_read_document("--packet", options->packet, &len, error);
	if (text == NULL)
		return NULL;
	packet = sl_packet_document_parse(text, len, error);
	if (packet == NULL)
		g_prefix_error(error, "--packet %s: ", options->packet);
	return packet;
}

static gboolean
sl_cmd_inject_run(SlCmdInjectOptions *options, SlReport *report, GError **error)
{
	g_autoptr(SlPacketDocument) packet = NULL;
	g_autoptr(SlQmpTarget) target = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	SlCmdInjectResult result = {0};
	guint64 gpa = 0;

	packet = sl_cmd_inject_load_packet(options, &gpa, error);
	if (packet == NULL)
		return FALSE;
	target = sl_cli_host_options_get_target(&options->host, &options->cli, error);
	if (target == NULL)
		return FALSE;
	sl_host_inject_async(SL_LAUNCH_TARGET(target),
			     packet,
			     options->secret_gpa != NULL,
			     gpa,
			     !options->no_resume,
			     report,
			     cancellable,
			     sl_cmd_inject_done_cb,
			     &result);
	sl_cli_host_run_until(cancellable, &result.done, &result.error);
	if (!result.ok) {
		g_propagate_error(error, result.error);
		return FALSE;
	}
	return TRUE;
}

gint
sl_cmd_inject(gint argc, gchar **argv)
{
	g_auto(SlCmdInjectOptions) options = {0};
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(SlReport) report = sl_report_new("inject");
	g_autoptr(GError) error = NULL;
	/* clang-format off */
	const GOptionEntry entries[] = {
	    {"packet", 0, 0, G_OPTION_ARG_FILENAME, &options.packet,
	     "The packet 'verify --launch-state ... --packet-out' wrote (- for standard input)", "FILE"},
	    {"secret-gpa", 0, 0, G_OPTION_ARG_STRING, &options.secret_gpa,
	     "Guest address for the secret (default: the packet's, else the firmware's area)", "ADDRESS"},
	    {"no-resume", 0, 0, G_OPTION_ARG_NONE, &options.no_resume, "Leave the VM paused after injecting", NULL},
	    {NULL},
	};
	/* clang-format on */

	g_option_context_set_summary(
	    context,
	    "On the host, with no keys: deliver the owner's secret packet to a paused SEV\n"
	    "guest and resume it. The measurement is read again first: a packet bound to\n"
	    "another launch is refused (exit 1) before anything is sent.");
	sl_cli_add_host_options(context, &options.cli, &options.host);
	sl_cli_add_entries(context, &options.cli, entries);
	sl_cli_add_output_options(context, &options.cli);
	if (!sl_cli_parse(context, &argc, &argv, FALSE, &error))
		return sl_cli_finish_parse_error(report, &options.cli, argc, argv, error);
	sl_cli_setup_logging(&options.cli);
	(void)sl_cmd_inject_run(&options, report, &error);
	return sl_cli_finish(report, options.cli.json, error);
}
