/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * SIGINT, SIGTERM and SIGHUP, handled on the main loop while a live command
 * runs: each cancels the cancellable, so the command ends by saying what it
 * had already sent instead of dying silently. Freeing it stops the handling.
 */
typedef struct _SlCliInterrupt SlCliInterrupt;

SlCliInterrupt *
sl_cli_interrupt_new(GCancellable *cancellable);
void
sl_cli_interrupt_free(SlCliInterrupt *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlCliInterrupt, sl_cli_interrupt_free)

/* "SIGTERM" once one arrived; NULL before */
const gchar *
sl_cli_interrupt_get_signal_name(const SlCliInterrupt *self);

/* a run a signal cancelled: prefixes its G_IO_ERROR_CANCELLED with the signal's name */
void
sl_cli_interrupt_prefix_error(const SlCliInterrupt *self, GError **error);

G_END_DECLS
