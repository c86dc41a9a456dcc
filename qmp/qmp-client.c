/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "qmp"

#include "config.h"

#include "qmp-client-private.h"
#include "qmp-message.h"

typedef struct {
	gchar *command;
	guint timeout_ms;
	GTask *task; /* NULL once the caller cancelled: the reply is dropped */
	GSource *timeout_source;
	GSource *cancel_source;
} QmpPending;

enum { SIGNAL_EVENT, SIGNAL_CLOSED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

enum { PROP_0, PROP_ID_PREFIX, PROP_LAST };
static GParamSpec *properties[PROP_LAST] = {NULL};

G_DEFINE_TYPE(QmpClient, qmp_client, G_TYPE_OBJECT)

void
qmp_client_clear_source(GSource **source)
{
	if (*source == NULL)
		return;
	g_source_destroy(*source);
	g_clear_pointer(source, g_source_unref);
}

static void
qmp_pending_free(QmpPending *pending)
{
	qmp_client_clear_source(&pending->timeout_source);
	qmp_client_clear_source(&pending->cancel_source);
	g_clear_object(&pending->task);
	g_free(pending->command);
	g_free(pending);
}

/* stops all I/O and timers of the session; idempotent */
static void
qmp_client_stop_io(QmpClient *self)
{
	g_cancellable_cancel(self->cancellable);
	qmp_client_abort_handshake(self);
	if (self->stream != NULL) {
		qmp_stream_close(self->stream);
		g_clear_object(&self->stream);
	}
	qmp_client_clear_source(&self->greeting_timeout_source);
	qmp_client_clear_source(&self->connect_cancel_source);
}

/* ends the session: every pending and later call fails with @error */
void
qmp_client_fail(QmpClient *self, GError *error)
{
	g_autoptr(GError) error_owned G_GNUC_UNUSED = error;         /* owned, freed on return */
	g_autoptr(QmpClient) ref G_GNUC_UNUSED = g_object_ref(self); /* alive until we return */
	g_autoptr(GTask) connect_task = NULL;
	g_autoptr(GPtrArray) tasks = NULL;
	GHashTableIter iter;
	gpointer value = NULL;

	if (self->state == QMP_CLIENT_STATE_CLOSED)
		return;
	g_debug("session ends: %s", error->message);
	self->state = QMP_CLIENT_STATE_CLOSED;
	self->error = g_error_copy(error);
	qmp_client_stop_io(self);

	/* collect first: a callback may call back into the client */
	connect_task = g_steal_pointer(&self->connect_task);
	tasks = g_ptr_array_new_with_free_func(g_object_unref);
	g_hash_table_iter_init(&iter, self->pending);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		QmpPending *pending = value;
		if (pending->task != NULL)
			g_ptr_array_add(tasks, g_steal_pointer(&pending->task));
	}
	g_hash_table_remove_all(self->pending);
	if (connect_task != NULL)
		g_task_return_error(connect_task, g_error_copy(error));
	for (guint i = 0; i < tasks->len; i++)
		g_task_return_error(g_ptr_array_index(tasks, i), g_error_copy(error));
	g_signal_emit(self, signals[SIGNAL_CLOSED], 0, error);
}

static gboolean
qmp_client_command_timeout_cb(gpointer user_data)
{
	QmpPending *pending = user_data;
	QmpClient *self = g_task_get_source_object(pending->task);

	qmp_client_fail(self,
			g_error_new(QMP_ERROR,
				    QMP_ERROR_TIMEOUT,
				    "no reply to QMP command '%s' within %u ms",
				    pending->command,
				    pending->timeout_ms));
	return G_SOURCE_REMOVE;
}

static gboolean
qmp_client_command_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	QmpPending *pending = user_data;
	g_autoptr(GTask) task = g_steal_pointer(&pending->task);

	/* the entry stays so that the late reply is recognised and dropped */
	qmp_client_clear_source(&pending->timeout_source);
	qmp_client_clear_source(&pending->cancel_source);
	g_task_return_new_error(
	    task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "QMP command '%s' was cancelled", pending->command);
	return G_SOURCE_REMOVE;
}

static void
qmp_client_log_command(const gchar *command, JsonObject *arguments, const gchar *id)
{
	g_autofree gchar *text = NULL;

	if (g_log_writer_default_would_drop(G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
		return;
	text = qmp_message_command_to_log_string(command, arguments, id);
	g_debug("-> %s", text);
}

void
qmp_client_send_command(QmpClient *self, const gchar *command, JsonObject *arguments, GTask *task)
{
	GCancellable *cancellable = g_task_get_cancellable(task);
	g_autofree gchar *id = NULL;
	g_autoptr(JsonNode) message = NULL;
	QmpPending *pending;

	if (g_cancellable_is_cancelled(cancellable)) {
		g_task_return_new_error(
		    task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "QMP command '%s' was cancelled", command);
		return;
	}
	id = g_strdup_printf("%s%" G_GUINT64_FORMAT, self->id_prefix, ++self->next_id);
	pending = g_new0(QmpPending, 1);
	pending->command = g_strdup(command);
	pending->task = g_object_ref(task);
	pending->timeout_ms = self->command_timeout_ms;
	if (self->command_timeout_ms > 0) {
		pending->timeout_source = g_timeout_source_new(self->command_timeout_ms);
		g_source_set_callback(pending->timeout_source, qmp_client_command_timeout_cb, pending, NULL);
		g_source_attach(pending->timeout_source, g_task_get_context(task));
	}
	if (cancellable != NULL) {
		pending->cancel_source = g_cancellable_source_new(cancellable);
		g_source_set_callback(
		    pending->cancel_source, G_SOURCE_FUNC(qmp_client_command_cancelled_cb), pending, NULL);
		g_source_attach(pending->cancel_source, g_task_get_context(task));
	}
	g_hash_table_insert(self->pending, g_strdup(id), pending);

	qmp_client_log_command(command, arguments, id);
	message = qmp_message_new_command(command, arguments, id);
	qmp_stream_send(self->stream, message);
}

static void
qmp_client_handle_reply(QmpClient *self, JsonObject *msg, QmpMessageKind kind)
{
	const gchar *id = qmp_message_get_id(msg);
	g_autoptr(GTask) task = NULL;
	GError *error = NULL;
	gpointer key = NULL;
	gpointer value = NULL;

	if (id == NULL && kind == QMP_MESSAGE_KIND_ERROR) {
		/* the server could not even parse a command of ours */
		g_autoptr(GError) reply_error = qmp_message_parse_error_reply(msg);
		qmp_client_fail(self,
				g_error_new(QMP_ERROR,
					    QMP_ERROR_PROTOCOL,
					    "QMP error reply without id: %s",
					    reply_error->message));
		return;
	}
	if (id == NULL || !g_hash_table_steal_extended(self->pending, id, &key, &value)) {
		qmp_client_fail(
		    self, g_error_new_literal(QMP_ERROR, QMP_ERROR_PROTOCOL, "QMP reply with an unknown id"));
		return;
	}
	g_free(key);
	task = g_steal_pointer(&((QmpPending *)value)->task);
	qmp_pending_free(value);
	if (task == NULL) {
		g_debug("dropping the reply to a cancelled command");
		return;
	}
	if (kind == QMP_MESSAGE_KIND_RETURN) {
		g_task_return_pointer(task,
				      json_node_copy(json_object_get_member(msg, "return")),
				      (GDestroyNotify)json_node_unref);
		return;
	}
	error = qmp_message_parse_error_reply(msg);
	if (g_error_matches(error, QMP_ERROR, QMP_ERROR_PROTOCOL)) {
		g_task_return_error(task, g_error_copy(error));
		qmp_client_fail(self, error);
		return;
	}
	g_task_return_error(task, error);
}

static void
qmp_client_handle_event(QmpClient *self, JsonObject *msg)
{
	const gchar *name = NULL;
	JsonObject *data = NULL;
	gint64 timestamp_us = -1;
	GError *error = NULL;

	if (!qmp_message_parse_event(msg, &name, &data, &timestamp_us, &error)) {
		qmp_client_fail(self, error);
		return;
	}
	/* no new quark per untrusted name: an unknown one has no listener anyway */
	g_signal_emit(self, signals[SIGNAL_EVENT], g_quark_try_string(name), name, data, timestamp_us);
}

void
qmp_client_message_cb(QmpStream *stream, JsonNode *message, gpointer user_data)
{
	QmpClient *self = QMP_CLIENT(user_data);
	g_autoptr(QmpClient) ref G_GNUC_UNUSED = g_object_ref(self); /* alive until we return */
	JsonObject *msg = json_node_get_object(message);
	QmpMessageKind kind = QMP_MESSAGE_KIND_GREETING;
	GError *error = NULL;

	if (!qmp_message_classify(msg, &kind, &error)) {
		qmp_client_fail(self, error);
		return;
	}
	if (kind != QMP_MESSAGE_KIND_GREETING && self->state == QMP_CLIENT_STATE_GREETING) {
		qmp_client_fail(
		    self,
		    g_error_new_literal(QMP_ERROR, QMP_ERROR_PROTOCOL, "expected the QMP greeting first"));
		return;
	}
	switch (kind) {
	case QMP_MESSAGE_KIND_GREETING:
		qmp_client_handle_greeting(self, msg);
		break;
	case QMP_MESSAGE_KIND_EVENT:
		qmp_client_handle_event(self, msg);
		break;
	case QMP_MESSAGE_KIND_RETURN:
	case QMP_MESSAGE_KIND_ERROR:
	default:
		qmp_client_handle_reply(self, msg, kind);
		break;
	}
}

void
qmp_client_stream_error_cb(QmpStream *stream, const GError *error, gpointer user_data)
{
	QmpClient *self = QMP_CLIENT(user_data);

	/* with TLS 1.3 a server refuses our certificate only after our side of the handshake */
	if (self->tls_database != NULL && self->state == QMP_CLIENT_STATE_GREETING &&
	    g_error_matches(error, QMP_ERROR, QMP_ERROR_CLOSED)) {
		qmp_client_fail(self,
				g_error_new(QMP_ERROR,
					    QMP_ERROR_CONNECT,
					    "TLS session with '%s' ended before the QMP greeting: %s",
					    self->address,
					    error->message));
		return;
	}
	qmp_client_fail(self, g_error_copy(error));
}

void
qmp_client_execute_async(QmpClient *self,
			 const gchar *command,
			 JsonObject *arguments,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	g_autoptr(GTask) task = NULL;

	g_return_if_fail(QMP_IS_CLIENT(self));
	g_return_if_fail(command != NULL);

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, qmp_client_execute_async);
	g_task_set_check_cancellable(task, FALSE);
	if (self->error != NULL) {
		g_task_return_error(task, g_error_copy(self->error));
		return;
	}
	if (self->state != QMP_CLIENT_STATE_READY) {
		g_task_return_new_error(task, QMP_ERROR, QMP_ERROR_CLOSED, "QMP client is not connected");
		return;
	}
	qmp_client_send_command(self, command, arguments, task);
}

JsonNode *
qmp_client_execute_finish(QmpClient *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

void
qmp_client_set_command_timeout(QmpClient *self, guint timeout_ms)
{
	g_return_if_fail(QMP_IS_CLIENT(self));
	self->command_timeout_ms = timeout_ms;
}

void
qmp_client_set_id_prefix(QmpClient *self, const gchar *prefix)
{
	g_return_if_fail(QMP_IS_CLIENT(self));
	g_return_if_fail(prefix != NULL);
	g_return_if_fail(self->state == QMP_CLIENT_STATE_NEW);

	if (g_strcmp0(self->id_prefix, prefix) == 0)
		return;
	g_free(self->id_prefix);
	self->id_prefix = g_strdup(prefix);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_ID_PREFIX]);
}

const gchar *
qmp_client_get_id_prefix(QmpClient *self)
{
	g_return_val_if_fail(QMP_IS_CLIENT(self), NULL);
	return self->id_prefix;
}

void
qmp_client_close(QmpClient *self)
{
	g_return_if_fail(QMP_IS_CLIENT(self));

	if (self->state == QMP_CLIENT_STATE_NEW) {
		self->state = QMP_CLIENT_STATE_CLOSED;
		self->error = g_error_new_literal(QMP_ERROR, QMP_ERROR_CLOSED, "QMP client closed");
		return;
	}
	qmp_client_fail(
	    self, g_error_new_literal(QMP_ERROR, QMP_ERROR_CLOSED, "QMP connection closed by the client"));
}

static void
qmp_client_init(QmpClient *self)
{
	self->command_timeout_ms = QMP_CLIENT_DEFAULT_COMMAND_TIMEOUT_MS;
	self->id_prefix = g_strdup(QMP_CLIENT_DEFAULT_ID_PREFIX);
	self->cancellable = g_cancellable_new();
	self->pending =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)qmp_pending_free);
}

static void
qmp_client_dispose(GObject *object)
{
	QmpClient *self = QMP_CLIENT(object);

	/* nothing is pending here: every pending task holds a ref */
	qmp_client_stop_io(self);
	G_OBJECT_CLASS(qmp_client_parent_class)->dispose(object);
}

static void
qmp_client_finalize(GObject *object)
{
	QmpClient *self = QMP_CLIENT(object);

	g_hash_table_unref(self->pending);
	g_clear_object(&self->cancellable);
	g_clear_error(&self->error);
	g_clear_object(&self->tls_database);
	g_clear_object(&self->tls_certificate);
	g_clear_object(&self->tls_identity);
	g_free(self->tls_hostname);
	g_free(self->address);
	g_free(self->id_prefix);
	G_OBJECT_CLASS(qmp_client_parent_class)->finalize(object);
}

static void
qmp_client_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	QmpClient *self = QMP_CLIENT(object);

	switch (prop_id) {
	case PROP_ID_PREFIX:
		g_value_set_string(value, self->id_prefix);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
qmp_client_set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	QmpClient *self = QMP_CLIENT(object);

	switch (prop_id) {
	case PROP_ID_PREFIX:
		qmp_client_set_id_prefix(self, g_value_get_string(value));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
qmp_client_class_init(QmpClientClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = qmp_client_dispose;
	object_class->finalize = qmp_client_finalize;
	object_class->get_property = qmp_client_get_property;
	object_class->set_property = qmp_client_set_property;
	properties[PROP_ID_PREFIX] =
	    g_param_spec_string("id-prefix",
				NULL,
				NULL,
				QMP_CLIENT_DEFAULT_ID_PREFIX,
				G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, PROP_LAST, properties);
	signals[SIGNAL_EVENT] = g_signal_new("event",
					     G_TYPE_FROM_CLASS(klass),
					     G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
					     0,
					     NULL,
					     NULL,
					     NULL,
					     G_TYPE_NONE,
					     3,
					     G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
					     JSON_TYPE_OBJECT | G_SIGNAL_TYPE_STATIC_SCOPE,
					     G_TYPE_INT64);
	signals[SIGNAL_CLOSED] = g_signal_new("closed",
					      G_TYPE_FROM_CLASS(klass),
					      G_SIGNAL_RUN_LAST,
					      0,
					      NULL,
					      NULL,
					      NULL,
					      G_TYPE_NONE,
					      1,
					      G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

QmpClient *
qmp_client_new(void)
{
	return g_object_new(QMP_TYPE_CLIENT, NULL);
}
