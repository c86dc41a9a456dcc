/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "qmp"

#include "config.h"

#include "qmp-address.h"
#include "qmp-dial.h"
#include "qmp-error.h"

typedef struct {
	GSocketClient *client;
	GSocketConnectable *connectable;
	gchar *address;
	guint wait_ms;
	gint64 deadline; /* monotonic time after which no retry starts */
} QmpDialData;

static void
qmp_dial_data_free(QmpDialData *data)
{
	g_object_unref(data->client);
	g_object_unref(data->connectable);
	g_free(data->address);
	g_free(data);
}

static void
qmp_dial_attempt(GTask *task);
static void
qmp_dial_failed(GTask *task, GError *error);

static gboolean
qmp_dial_retry_cb(gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	GError *error = NULL;

	if (g_cancellable_set_error_if_cancelled(g_task_get_cancellable(task), &error)) {
		qmp_dial_failed(task, error);
		return G_SOURCE_REMOVE;
	}
	qmp_dial_attempt(task);
	return G_SOURCE_REMOVE;
}

/* the socket is not there yet, or nobody listens on it yet */
static gboolean
qmp_dial_error_is_transient(const GError *error)
{
	return g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
	       g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

static void
qmp_dial_failed(GTask *task, GError *error)
{
	QmpDialData *data = g_task_get_task_data(task);
	g_autoptr(GError) error_owned G_GNUC_UNUSED = error; /* owned, freed on return */
	g_autoptr(GSource) source = NULL;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_task_return_new_error(task,
					G_IO_ERROR,
					G_IO_ERROR_CANCELLED,
					"connecting to '%s' was cancelled",
					data->address);
		return;
	}
	if (data->wait_ms > 0 && qmp_dial_error_is_transient(error) &&
	    g_get_monotonic_time() < data->deadline) {
		g_debug("%s not ready yet, retrying: %s", data->address, error->message);
		source = g_timeout_source_new(QMP_DIAL_RETRY_INTERVAL_MS);
		g_source_set_callback(source, qmp_dial_retry_cb, g_object_ref(task), g_object_unref);
		g_source_attach(source, g_task_get_context(task));
		return;
	}
	if (data->wait_ms > 0) {
		g_task_return_new_error(task,
					QMP_ERROR,
					QMP_ERROR_CONNECT,
					"could not connect to '%s' within %u ms: %s",
					data->address,
					data->wait_ms,
					error->message);
		return;
	}
	g_task_return_new_error(task,
				QMP_ERROR,
				QMP_ERROR_CONNECT,
				"could not connect to '%s': %s",
				data->address,
				error->message);
}

static void
qmp_dial_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;
	g_autoptr(GSocketConnection) conn =
	    g_socket_client_connect_finish(G_SOCKET_CLIENT(source), res, &error);

	if (conn == NULL) {
		qmp_dial_failed(task, error);
		return;
	}
	/* the client's timeout was for connecting; reads wait for events forever */
	g_socket_set_timeout(g_socket_connection_get_socket(conn), 0);
	g_task_return_pointer(task, g_steal_pointer(&conn), g_object_unref);
}

static void
qmp_dial_attempt(GTask *task)
{
	QmpDialData *data = g_task_get_task_data(task);

	g_socket_client_connect_async(
	    data->client, data->connectable, g_task_get_cancellable(task), qmp_dial_cb, g_object_ref(task));
}

void
qmp_dial_async(const gchar *address,
	       guint wait_ms,
	       guint timeout_ms,
	       GCancellable *cancellable,
	       GAsyncReadyCallback callback,
	       gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);
	g_autoptr(GSocketConnectable) connectable = NULL;
	GError *error = NULL;
	QmpDialData *data;

	g_return_if_fail(address != NULL);

	g_task_set_source_tag(task, qmp_dial_async);
	/* cancellation is reported by qmp_dial_failed(), naming the address */
	g_task_set_check_cancellable(task, FALSE);
	connectable = qmp_address_parse(address, &error);
	if (connectable == NULL) {
		g_task_return_error(task, error);
		return;
	}
	data = g_new0(QmpDialData, 1);
	data->client = g_socket_client_new();
	data->connectable = g_steal_pointer(&connectable);
	data->address = g_strdup(address);
	data->wait_ms = wait_ms;
	data->deadline = g_get_monotonic_time() + (gint64)wait_ms * 1000;
	/* QEMU is never behind a proxy */
	g_socket_client_set_enable_proxy(data->client, FALSE);
	g_socket_client_set_timeout(data->client, (timeout_ms + 999) / 1000);
	g_task_set_task_data(task, data, (GDestroyNotify)qmp_dial_data_free);
	qmp_dial_attempt(task);
}

GIOStream *
qmp_dial_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}
