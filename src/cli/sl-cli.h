/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-cli-options.h"
#include "sl-cli-output.h"

G_BEGIN_DECLS

/* the subcommands; each returns the process exit code */
gint
sl_cmd_ovmf(gint argc, gchar **argv);
gint
sl_cmd_measure(gint argc, gchar **argv);
gint
sl_cmd_verify(gint argc, gchar **argv);
/* verify and start share their options: @start selects sevlaunch start */
gint
sl_cmd_verify_run(gint argc, gchar **argv, gboolean start);
gint
sl_cmd_start(gint argc, gchar **argv);
gint
sl_cmd_certs(gint argc, gchar **argv);
gint
sl_cmd_session(gint argc, gchar **argv);
gint
sl_cmd_query(gint argc, gchar **argv);
gint
sl_cmd_inject(gint argc, gchar **argv);
gint
sl_cmd_manifest(gint argc, gchar **argv);
gint
sl_cmd_vmsa(gint argc, gchar **argv);

G_END_DECLS
