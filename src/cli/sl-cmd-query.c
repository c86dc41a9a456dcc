/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-cli-host.h"
#include "sl-cli.h"
#include "sl-error.h"
#include "sl-host-ops.h"

typedef struct {
	gboolean done;
	SlLaunchState *state;
	GError *error;
} SlCmdQueryResult;

static void
sl_cmd_query_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlCmdQueryResult *result = user_data;
	result->state = sl_host_query_finish(res, &result->error);
	result->done = TRUE;
}

static gboolean
sl_cmd_query_run(SlCliHostOptions *host, SlCliOptions *cli, SlReport *report, GError **error)
{
	g_autoptr(SlQmpTarget) target = sl_cli_host_options_get_target(host, cli, error);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(SlLaunchState) state = NULL;
	SlCmdQueryResult result = {0};

	if (target == NULL)
		return FALSE;
	sl_host_query_async(target, cancellable, sl_cmd_query_done_cb, &result);
	sl_cli_host_run_until(cancellable, &result.done, &result.error);
	if (result.state == NULL) {
		g_propagate_error(error, result.error);
		return FALSE;
	}
	state = result.state;
	sl_launch_state_describe(state, report);
	return TRUE;
}

gint
sl_cmd_query(gint argc, gchar **argv)
{
	g_auto(SlCliOptions) cli = {0};
	g_auto(SlCliHostOptions) host = {0};
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(SlReport) report = sl_report_new("query");
	g_autoptr(GError) error = NULL;
	gboolean text = FALSE;
	const GOptionEntry entries[] = {
	    {"text", 0, 0, G_OPTION_ARG_NONE, &text, "Print for people instead of JSON", NULL},
	    {NULL},
	};

	g_option_context_set_summary(
	    context,
	    "On the host, with no keys: read a paused SEV guest's launch state (QEMU\n"
	    "version, SEV API version, build id, policy, state, the launch measurement,\n"
	    "vCPUs and, when QEMU has them, the platform's PDH, certificate chain and\n"
	    "cpu0 id) as one JSON document for the owner's 'verify --launch-state'.\n"
	    "Sends nothing that changes the VM.");
	sl_cli_add_host_options(context, &cli, &host);
	sl_cli_add_entries(context, &cli, entries);
	sl_cli_add_output_options(context, &cli);
	if (!sl_cli_parse(context, &argc, &argv, FALSE, &error))
		return sl_cli_finish(report, TRUE, error);
	sl_cli_setup_logging(&cli);
	if (text && cli.json)
		g_set_error_literal(
		    &error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "--text and --json contradict each other");
	else
		(void)sl_cmd_query_run(&host, &cli, report, &error);
	/* the document is the product: JSON unless --text (--json is accepted, and the default) */
	return sl_cli_finish(report, !text, error);
}
