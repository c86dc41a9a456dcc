/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

/* what a command prints: the report, the one-line error, the exit code */
#include "sl-cli-output.h"
#include "sl-error.h"

void
sl_cli_setup_logging(const SlCliOptions *self)
{
	if (self->verbose)
		g_log_set_debug_enabled(TRUE);
}

void
sl_cli_error_add_hint(GError **error, const gchar *hint)
{
	gchar *message;

	if (error == NULL || *error == NULL || hint == NULL)
		return;
	message = g_strdup_printf("%s (%s)", (*error)->message, hint);
	g_free((*error)->message);
	(*error)->message = message;
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
	g_autoptr(GError) error_print = NULL;

	sl_report_set_result(report, error);
	if ((json || error == NULL || has_verdict) && !sl_report_print(report, json, &error_print)) {
		/* a lost report is said even when the command failed too, which keeps its code */
		if (error == NULL)
			return sl_cli_print_error(error_print);
		(void)sl_cli_print_error(error_print);
	}
	if (error != NULL)
		return sl_cli_print_error(error);
	return SL_EXIT_VERIFIED;
}

/* --json before a "--": GOption leaves argv as it was when parsing fails */
static gboolean
sl_cli_argv_wants_json(gint argc, gchar **argv)
{
	for (gint i = 1; i < argc; i++) {
		if (g_strcmp0(argv[i], "--") == 0)
			return FALSE;
		if (g_strcmp0(argv[i], "--json") == 0)
			return TRUE;
	}
	return FALSE;
}

gint
sl_cli_finish_parse_error(
    SlReport *report, const SlCliOptions *options, gint argc, gchar **argv, const GError *error)
{
	return sl_cli_finish(report, options->json || sl_cli_argv_wants_json(argc, argv), error);
}
