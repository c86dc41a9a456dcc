/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "qmp-test-util.h"

gboolean
qmp_test_deadline_cb(gpointer user_data)
{
	g_error("test timed out");
	return G_SOURCE_REMOVE;
}

void
qmp_test_result_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GAsyncResult **out = user_data;
	g_assert_null(*out);
	*out = g_object_ref(res);
}

void
qmp_test_wait_for_result(GAsyncResult **res)
{
	QMP_TEST_LOOP_UNTIL(*res != NULL);
}

void
qmp_test_drain_main_context(void)
{
	for (guint i = 0; i < 100; i++)
		g_main_context_iteration(NULL, FALSE);
}

gboolean
qmp_test_cancel_cb(gpointer user_data)
{
	g_cancellable_cancel(G_CANCELLABLE(user_data));
	return G_SOURCE_REMOVE;
}

GSocket *
qmp_test_listen_loopback(guint16 *port)
{
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) addr = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) bound = NULL;
	g_autoptr(GSocket) listener =
	    g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);

	g_assert_nonnull(listener);
	g_assert_true(g_socket_bind(listener, addr, TRUE, NULL));
	g_assert_true(g_socket_listen(listener, NULL));
	bound = g_socket_get_local_address(listener, NULL);
	*port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	return g_steal_pointer(&listener);
}

gboolean
qmp_test_connect_address(QmpClient *client, const gchar *address, guint wait_ms, GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;
	qmp_client_connect_async(client, address, wait_ms, NULL, qmp_test_result_cb, &res);
	qmp_test_wait_for_result(&res);
	return qmp_client_connect_finish(client, res, error);
}

JsonNode *
qmp_test_execute(
    QmpClient *client, const gchar *command, JsonObject *args, GCancellable *cancellable, GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;
	qmp_client_execute_async(client, command, args, cancellable, qmp_test_result_cb, &res);
	qmp_test_wait_for_result(&res);
	return qmp_client_execute_finish(client, res, error);
}

void
qmp_test_assert_sticky(QmpClient *client, GQuark domain, gint code)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) ret = NULL;
	gint64 start = g_get_monotonic_time();

	ret = qmp_test_execute(client, "query-status", NULL, NULL, &error);
	g_assert_null(ret);
	g_assert_error(error, domain, code);
	g_assert_cmpint(g_get_monotonic_time() - start, <, G_USEC_PER_SEC);
}
