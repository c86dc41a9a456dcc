/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-cli-options.h"
#include "sl-report.h"

G_BEGIN_DECLS

void
sl_cli_setup_logging(const SlCliOptions *self);
/*
 * the model names what is missing or wrong ("no TIK"); the command line says
 * which option fixes it: appends " (@hint)" to the message; NULL adds nothing
 */
void
sl_cli_error_add_hint(GError **error, const gchar *hint);
/* prints "sevlaunch: MESSAGE" on one line and returns the documented exit code */
gint
sl_cli_print_error(const GError *error);
/*
 * prints the report and any error, returns the exit code: in text mode a
 * report is printed on success or once there is a verdict; --json always
 * prints one object, with "exit_code" and, on failure, "error" {class,
 * message} (sl_report_set_result); the error line goes to stderr too
 */
gint
sl_cli_finish(SlReport *report, gboolean json, const GError *error);
/* sl_cli_finish() for options that did not parse: --json still gets its one object */
gint
sl_cli_finish_parse_error(
    SlReport *report, const SlCliOptions *options, gint argc, gchar **argv, const GError *error);

G_END_DECLS
