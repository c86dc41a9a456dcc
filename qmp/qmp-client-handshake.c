/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "qmp"

#include "config.h"

#include "qmp-address.h"
#include "qmp-client-private.h"
#include "qmp-dial.h"
#include "qmp-message.h"
#include "qmp-tls.h"

/* the handshake: socket, [TLS,] greeting, qmp_capabilities */

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
		qmp_client_fail(
		    self,
		    g_error_new_literal(QMP_ERROR, QMP_ERROR_PROTOCOL, "unexpected second QMP greeting"));
		return;
	}
	if (!qmp_message_parse_greeting(
		msg, &self->version[0], &self->version[1], &self->version[2], &error)) {
		qmp_client_fail(self, error);
		return;
	}
	self->has_version = TRUE;
	qmp_client_clear_source(&self->greeting_timeout_source);
	if (self->tls_database != NULL && qmp_tls_needs_one_byte_records(self->version[0])) {
		g_debug("QEMU %u.%u: one byte per TLS record", self->version[0], self->version[1]);
		qmp_stream_set_max_write_size(self->stream, 1);
	}
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
				    "no %s within %u ms",
				    self->state == QMP_CLIENT_STATE_TLS ? "TLS handshake" : "QMP greeting",
				    self->command_timeout_ms));
	return G_SOURCE_REMOVE;
}

static gboolean
qmp_client_connect_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	qmp_client_fail(
	    QMP_CLIENT(user_data),
	    g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CANCELLED, "connecting to QMP was cancelled"));
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
	g_source_set_callback(
	    self->connect_cancel_source, G_SOURCE_FUNC(qmp_client_connect_cancelled_cb), self, NULL);
	g_source_attach(self->connect_cancel_source, g_task_get_context(self->connect_task));
}

/* the handshake and then the greeting each get the command timeout */
static void
qmp_client_start_timeout(QmpClient *self)
{
	qmp_client_clear_source(&self->greeting_timeout_source);
	if (self->command_timeout_ms == 0)
		return;
	self->greeting_timeout_source = g_timeout_source_new(self->command_timeout_ms);
	g_source_set_callback(self->greeting_timeout_source, qmp_client_greeting_timeout_cb, self, NULL);
	g_source_attach(self->greeting_timeout_source, g_task_get_context(self->connect_task));
}

static void
qmp_client_start(QmpClient *self, GIOStream *iostream)
{
	self->state = QMP_CLIENT_STATE_GREETING;
	self->stream = qmp_stream_new(iostream);
	qmp_client_start_timeout(self);
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
	/* cancellation ends the session, reported as G_IO_ERROR_CANCELLED */
	g_task_set_check_cancellable(task, FALSE);
	if (self->error != NULL) {
		g_task_return_error(task, g_error_copy(self->error));
		return NULL;
	}
	if (self->state != QMP_CLIENT_STATE_NEW) {
		g_task_return_new_error(
		    task, G_IO_ERROR, G_IO_ERROR_PENDING, "QMP client is already connecting or connected");
		return NULL;
	}
	return g_steal_pointer(&task);
}

static void
qmp_client_tls_handshake_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(QmpClient) self = QMP_CLIENT(user_data);
	g_autoptr(GError) error = NULL;
	GTlsConnection *conn = G_TLS_CONNECTION(source);
	g_autofree gchar *ciphersuite = NULL;

	g_clear_object(&self->tls_handshaking);
	if (!g_tls_connection_handshake_finish(conn, res, &error)) {
		if (self->state == QMP_CLIENT_STATE_TLS)
			qmp_client_fail(self, qmp_tls_handshake_error_new(conn, error, self->address));
		g_io_stream_close(G_IO_STREAM(conn), NULL, NULL);
		return;
	}
	if (self->state != QMP_CLIENT_STATE_TLS) {
		g_io_stream_close(G_IO_STREAM(conn), NULL, NULL);
		return;
	}
	ciphersuite = g_tls_connection_get_ciphersuite_name(conn);
	g_debug("TLS session with %s: %s", self->address, ciphersuite);
	qmp_client_start(self, G_IO_STREAM(conn));
}

/* the server proves who it is before the greeting is read */
static void
qmp_client_start_tls(QmpClient *self, GIOStream *iostream)
{
	g_autoptr(GIOStream) conn = NULL;
	GError *error = NULL;

	conn = qmp_tls_client_new(
	    iostream, self->tls_identity, self->tls_database, self->tls_certificate, &error);
	if (conn == NULL) {
		g_prefix_error(&error, "TLS with '%s': ", self->address);
		qmp_client_fail(self, g_error_new_literal(QMP_ERROR, QMP_ERROR_CONNECT, error->message));
		g_error_free(error);
		g_io_stream_close(iostream, NULL, NULL);
		return;
	}
	self->state = QMP_CLIENT_STATE_TLS;
	self->tls_handshaking = g_object_ref(iostream);
	qmp_client_start_timeout(self);
	g_tls_connection_handshake_async(G_TLS_CONNECTION(conn),
					 G_PRIORITY_DEFAULT,
					 self->cancellable,
					 qmp_client_tls_handshake_cb,
					 g_object_ref(self));
}

static void
qmp_client_connect_socket_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(QmpClient) self = QMP_CLIENT(user_data);
	GError *error = NULL;
	g_autoptr(GIOStream) iostream = qmp_dial_finish(res, &error);

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
	if (self->tls_database != NULL) {
		qmp_client_start_tls(self, iostream);
		return;
	}
	qmp_client_start(self, iostream);
}

/*
 * a handshake blocked in a read ignores its cancellable: shutting the socket
 * down ends it at once
 */
void
qmp_client_abort_handshake(QmpClient *self)
{
	GSocket *socket;

	if (self->tls_handshaking == NULL)
		return;
	if (G_IS_SOCKET_CONNECTION(self->tls_handshaking)) {
		socket = g_socket_connection_get_socket(G_SOCKET_CONNECTION(self->tls_handshaking));
		g_socket_shutdown(socket, TRUE, TRUE, NULL);
	}
	g_clear_object(&self->tls_handshaking);
}

/* TLS needs a host name to check: only tcp: addresses have one */
static gboolean
qmp_client_prepare_tls(QmpClient *self, const gchar *address, GError **error)
{
	g_autoptr(GSocketConnectable) connectable = NULL;
	guint16 port;

	if (self->tls_database == NULL)
		return TRUE;
	/* a malformed address is reported by the connect itself */
	connectable = qmp_address_parse(address, NULL);
	if (connectable == NULL)
		return TRUE;
	if (!G_IS_NETWORK_ADDRESS(connectable)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "TLS needs a tcp:HOST:PORT address, not '%s'",
			    address);
		return FALSE;
	}
	port = g_network_address_get_port(G_NETWORK_ADDRESS(connectable));
	if (self->tls_hostname != NULL)
		self->tls_identity = g_network_address_new(self->tls_hostname, port);
	else
		self->tls_identity = g_steal_pointer(&connectable);
	return TRUE;
}

void
qmp_client_connect_async(QmpClient *self,
			 const gchar *address,
			 guint wait_ms,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	GError *error = NULL;

	g_return_if_fail(QMP_IS_CLIENT(self));
	g_return_if_fail(address != NULL);

	self->connect_task = qmp_client_new_connect_task(self, cancellable, callback, user_data);
	if (self->connect_task == NULL)
		return;
	self->state = QMP_CLIENT_STATE_CONNECTING;
	self->address = g_strdup(address);
	if (!qmp_client_prepare_tls(self, address, &error)) {
		qmp_client_fail(self, error);
		return;
	}
	qmp_client_watch_connect_cancellable(self);
	qmp_dial_async(address,
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
	if (self->tls_database != NULL) {
		/* no address, so no host name for the server certificate */
		self->state = QMP_CLIENT_STATE_CONNECTING;
		qmp_client_fail(self,
				g_error_new_literal(G_IO_ERROR,
						    G_IO_ERROR_INVALID_ARGUMENT,
						    "TLS needs a tcp:HOST:PORT address, not a stream"));
		return;
	}
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

gboolean
qmp_client_set_tls_creds_dir(QmpClient *self, const gchar *dir, GError **error)
{
	g_autoptr(GTlsDatabase) database = NULL;
	g_autoptr(GTlsCertificate) certificate = NULL;

	g_return_val_if_fail(QMP_IS_CLIENT(self), FALSE);
	g_return_val_if_fail(dir != NULL, FALSE);
	g_return_val_if_fail(self->state == QMP_CLIENT_STATE_NEW, FALSE);

	if (!qmp_tls_load_creds_dir(dir, &database, &certificate, error))
		return FALSE;
	g_set_object(&self->tls_database, database);
	g_set_object(&self->tls_certificate, certificate);
	return TRUE;
}

void
qmp_client_set_tls_hostname(QmpClient *self, const gchar *name)
{
	g_return_if_fail(QMP_IS_CLIENT(self));
	g_return_if_fail(self->state == QMP_CLIENT_STATE_NEW);

	g_free(self->tls_hostname);
	self->tls_hostname = g_strdup(name);
}
