/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "qmp"

#include "config.h"

#include "qmp-client-private.h"
#include "qmp-connect.h"
#include "qmp-message.h"

/* the handshake: socket, greeting, qmp_capabilities */

static void
qmp_client_capabilities_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	QmpClient *self = QMP_CLIENT(source);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) result = qmp_client_execute_finish(self, res, &error);
	g_autoptr(GTask) connect_task = NULL;

	if (result == NULL) {
		g_prefix_error(&error, "QMP capabilities negotiation failed: ");
		qmp_client_fail(self, g_steal_pointer(&error));
		return;
	}
	if (self->state != QMP_CLIENT_STATE_NEGOTIATING)
		return;
	self->state = QMP_CLIENT_STATE_READY;
	qmp_client_clear_source(&self->connect_cancel_source);
	connect_task = g_steal_pointer(&self->connect_task);
	g_task_return_boolean(connect_task, TRUE);
}

void
qmp_client_handle_greeting(QmpClient *self, JsonObject *msg)
{
	g_autoptr(GTask) task = NULL;
	GError *error = NULL;

	if (self->state != QMP_CLIENT_STATE_GREETING) {
		qmp_client_fail(self,
				g_error_new_literal(QMP_ERROR,
						    QMP_ERROR_PROTOCOL,
						    "unexpected second QMP greeting"));
		return;
	}
	if (!qmp_message_parse_greeting(msg,
					&self->version[0],
					&self->version[1],
					&self->version[2],
					&error)) {
		qmp_client_fail(self, error);
		return;
	}
	self->has_version = TRUE;
	qmp_client_clear_source(&self->greeting_timeout_source);
	self->state = QMP_CLIENT_STATE_NEGOTIATING;
	/* no optional capabilities (such as oob) are asked for */
	task = g_task_new(self, NULL, qmp_client_capabilities_cb, NULL);
	g_task_set_check_cancellable(task, FALSE);
	qmp_client_send_command(self, "qmp_capabilities", NULL, task);
}

static gboolean
qmp_client_greeting_timeout_cb(gpointer user_data)
{
	QmpClient *self = QMP_CLIENT(user_data);

	qmp_client_fail(self,
			g_error_new(QMP_ERROR,
				    QMP_ERROR_TIMEOUT,
				    "no QMP greeting within %u ms",
				    self->command_timeout_ms));
	return G_SOURCE_REMOVE;
}

static gboolean
qmp_client_connect_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	qmp_client_fail(QMP_CLIENT(user_data),
			g_error_new_literal(QMP_ERROR,
					    QMP_ERROR_CANCELLED,
					    "connecting to QMP was cancelled"));
	return G_SOURCE_REMOVE;
}

/* the connect task's cancellable ends the session until it is ready */
static void
qmp_client_watch_connect_cancellable(QmpClient *self)
{
	GCancellable *cancellable = g_task_get_cancellable(self->connect_task);

	if (cancellable == NULL)
		return;
	self->connect_cancel_source = g_cancellable_source_new(cancellable);
	g_source_set_callback(self->connect_cancel_source,
			      G_SOURCE_FUNC(qmp_client_connect_cancelled_cb),
			      self,
			      NULL);
	g_source_attach(self->connect_cancel_source, g_task_get_context(self->connect_task));
}

static void
qmp_client_start(QmpClient *self, GIOStream *iostream)
{
	self->state = QMP_CLIENT_STATE_GREETING;
	self->stream = qmp_stream_new(iostream);
	if (self->command_timeout_ms > 0) {
		self->greeting_timeout_source = g_timeout_source_new(self->command_timeout_ms);
		g_source_set_callback(self->greeting_timeout_source,
				      qmp_client_greeting_timeout_cb,
				      self,
				      NULL);
		g_source_attach(self->greeting_timeout_source,
				g_task_get_context(self->connect_task));
	}
	qmp_stream_start(self->stream, qmp_client_message_cb, qmp_client_stream_error_cb, self);
}

/* NULL when a new connect may start; otherwise the task got an error */
static GTask *
qmp_client_new_connect_task(QmpClient *self,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, qmp_client_connect_async);
	/* cancellation is reported as QMP_ERROR_CANCELLED */
	g_task_set_check_cancellable(task, FALSE);
	if (self->error != NULL) {
		g_task_return_error(task, g_error_copy(self->error));
		return NULL;
	}
	if (self->state != QMP_CLIENT_STATE_NEW) {
		g_task_return_new_error(task,
					G_IO_ERROR,
					G_IO_ERROR_PENDING,
					"QMP client is already connecting or connected");
		return NULL;
	}
	return g_steal_pointer(&task);
}

static void
qmp_client_connect_socket_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(QmpClient) self = QMP_CLIENT(user_data);
	GError *error = NULL;
	g_autoptr(GIOStream) iostream = qmp_connect_finish(res, &error);

	if (self->state != QMP_CLIENT_STATE_CONNECTING) {
		g_clear_error(&error);
		if (iostream != NULL)
			g_io_stream_close(iostream, NULL, NULL);
		return;
	}
	if (iostream == NULL) {
		qmp_client_fail(self, error);
		return;
	}
	qmp_client_start(self, iostream);
}

void
qmp_client_connect_async(QmpClient *self,
			 const gchar *address,
			 guint wait_ms,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	g_return_if_fail(QMP_IS_CLIENT(self));
	g_return_if_fail(address != NULL);

	self->connect_task = qmp_client_new_connect_task(self, cancellable, callback, user_data);
	if (self->connect_task == NULL)
		return;
	self->state = QMP_CLIENT_STATE_CONNECTING;
	qmp_client_watch_connect_cancellable(self);
	qmp_connect_async(address,
			  wait_ms,
			  self->command_timeout_ms,
			  self->cancellable,
			  qmp_client_connect_socket_cb,
			  g_object_ref(self));
}

void
qmp_client_connect_stream_async(QmpClient *self,
				GIOStream *stream,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	g_return_if_fail(QMP_IS_CLIENT(self));
	g_return_if_fail(G_IS_IO_STREAM(stream));

	self->connect_task = qmp_client_new_connect_task(self, cancellable, callback, user_data);
	if (self->connect_task == NULL)
		return;
	qmp_client_watch_connect_cancellable(self);
	qmp_client_start(self, stream);
}

gboolean
qmp_client_connect_finish(QmpClient *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

gboolean
qmp_client_get_qemu_version(QmpClient *self, guint *major, guint *minor, guint *micro)
{
	g_return_val_if_fail(QMP_IS_CLIENT(self), FALSE);

	if (!self->has_version)
		return FALSE;
	if (major != NULL)
		*major = self->version[0];
	if (minor != NULL)
		*minor = self->version[1];
	if (micro != NULL)
		*micro = self->version[2];
	return TRUE;
}
