/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "qmp-client.h"

G_BEGIN_DECLS

/* main-loop and client helpers shared by the QMP tests that run a fake server */

/* fails the test: a source that must never fire */
gboolean
qmp_test_deadline_cb(gpointer user_data);

/* iterates the main loop until @cond holds, failing the test after 20 s */
#define QMP_TEST_LOOP_UNTIL(cond)                                                                            \
	G_STMT_START                                                                                         \
	{                                                                                                    \
		guint deadline_id_ = g_timeout_add_seconds(20, qmp_test_deadline_cb, NULL);                  \
		while (!(cond))                                                                              \
			g_main_context_iteration(NULL, TRUE);                                                \
		g_source_remove(deadline_id_);                                                               \
	}                                                                                                    \
	G_STMT_END

/* stores a ref on @res in *(GAsyncResult **)@user_data, which must be NULL */
void
qmp_test_result_cb(GObject *source, GAsyncResult *res, gpointer user_data);
void
qmp_test_wait_for_result(GAsyncResult **res);
/* lets pending callbacks and closes run so valgrind sees no leaks */
void
qmp_test_drain_main_context(void);
/* a timeout callback that cancels the GCancellable it is given */
gboolean
qmp_test_cancel_cb(gpointer user_data);

/* a listening TCP socket on 127.0.0.1, on a port the kernel picks */
GSocket *
qmp_test_listen_loopback(guint16 *port);

gboolean
qmp_test_connect_address(QmpClient *client, const gchar *address, guint wait_ms, GError **error);
JsonNode *
qmp_test_execute(
    QmpClient *client, const gchar *command, JsonObject *args, GCancellable *cancellable, GError **error);
/* after a session-ending failure, a new call fails at once with the same error */
void
qmp_test_assert_sticky(QmpClient *client, GQuark domain, gint code);

G_END_DECLS
