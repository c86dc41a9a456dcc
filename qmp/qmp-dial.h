/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* how often a waiting connect tries again */
#define QMP_DIAL_RETRY_INTERVAL_MS 100

/*
 * connects a socket to a QMP address (see qmp_address_parse); with @wait_ms
 * > 0 retries while the socket does not exist or refuses, until @wait_ms has
 * passed; @timeout_ms (0 = none) bounds one attempt; errors are
 * G_IO_ERROR_INVALID_ARGUMENT (address), G_IO_ERROR_CANCELLED or
 * QMP_ERROR_CONNECT
 */
void
qmp_dial_async(const gchar *address,
	       guint wait_ms,
	       guint timeout_ms,
	       GCancellable *cancellable,
	       GAsyncReadyCallback callback,
	       gpointer user_data);
GIOStream *
qmp_dial_finish(GAsyncResult *result, GError **error);

G_END_DECLS
