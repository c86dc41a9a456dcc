/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-cli-options.h"
#include "sl-cli-output.h"
#include "sl-qmp-target.h"

G_BEGIN_DECLS

/* what the keyless host commands (query, inject) need to reach QEMU */
typedef struct {
	gchar *qmp;
	gchar *qmp_tls_creds;
	gchar *qmp_tls_hostname;
	gchar *wait;
	gchar *timeout;
} SlCliHostOptions;

void
sl_cli_host_options_clear(SlCliHostOptions *self);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SlCliHostOptions, sl_cli_host_options_clear)

/* --qmp, --qmp-tls-creds, --qmp-tls-hostname, --wait, --timeout */
void
sl_cli_add_host_options(GOptionContext *context, SlCliOptions *cli, SlCliHostOptions *self);

/* the target to talk to; nothing is sent yet. --qmp is required. */
SlQmpTarget *
sl_cli_host_options_get_target(SlCliHostOptions *self, const SlCliOptions *cli, GError **error);

/*
 * runs the main loop until *@done, with SIGINT/SIGTERM/SIGHUP cancelling
 * @cancellable; then lets pending sources finish
 */
void
sl_cli_host_run_until(GCancellable *cancellable, const gboolean *done, GError **error_inout);

/* a JSON document from FILE, or standard input for "-" (at most 1 MiB) */
gchar *
sl_cli_read_document(const gchar *option, const gchar *path, gsize *len, GError **error);

G_END_DECLS
