/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "qmp"

#include "config.h"

#include <string.h>

#include "qmp-error.h"
#include "qmp-stream.h"

#define QMP_STREAM_CHUNK_SIZE (64 * 1024)
/* a received message longer than this is cut in debug output */
#define QMP_STREAM_MAX_LOGGED 4096

struct _QmpStream {
	GObject parent_instance;
	GIOStream *iostream;
	GCancellable *cancellable;
	gsize max_size;
	guint8 *chunk;
	GByteArray *buf;
	gsize scanned;   /* bytes at the start of buf known to hold no newline */
	GQueue out;      /* of GBytes, the head being written */
	gsize out_done;  /* bytes of the head already written */
	gsize max_write; /* 0: a message per write */
	guint ops;       /* outstanding async operations, each holding a ref */
	gboolean started;
	gboolean closed;
	QmpStreamMessageFunc message_cb;
	QmpStreamErrorFunc error_cb;
	gpointer user_data;
};

G_DEFINE_TYPE(QmpStream, qmp_stream, G_TYPE_OBJECT)

static void
qmp_stream_read_next(QmpStream *self);
static void
qmp_stream_write_next(QmpStream *self);

static JsonNode *
qmp_stream_parse(const gchar *data, gsize len, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error_local = NULL;

	if (!qmp_stream_check_syntax(data, len, error))
		return NULL;
	if (!json_parser_load_from_data(parser, data, (gssize)len, &error_local)) {
		g_set_error(error, QMP_ERROR, QMP_ERROR_PROTOCOL, "malformed JSON: %s", error_local->message);
		return NULL;
	}
	if (json_parser_get_root(parser) == NULL || !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		g_set_error_literal(
		    error, QMP_ERROR, QMP_ERROR_PROTOCOL, "malformed JSON: message is not a JSON object");
		return NULL;
	}
	return json_parser_steal_root(parser);
}

/* stops all I/O and reports @error once; the owner decides what follows */
static void
qmp_stream_fail(QmpStream *self, GError *error)
{
	g_autoptr(GError) error_owned = error;
	QmpStreamErrorFunc error_cb = self->error_cb;
	gpointer user_data = self->user_data;

	if (self->closed)
		return;
	qmp_stream_close(self);
	if (error_cb != NULL)
		error_cb(self, error_owned, user_data);
}

static void
qmp_stream_op_done(QmpStream *self)
{
	self->ops--;
	if (self->closed && self->ops == 0 && self->iostream != NULL)
		g_io_stream_close(self->iostream, NULL, NULL);
}

static void
qmp_stream_handle_line(QmpStream *self, const gchar *line, gsize len)
{
	g_autoptr(JsonNode) message = NULL;
	GError *error = NULL;

	/* QEMU ends lines with CRLF */
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > self->max_size) {
		qmp_stream_fail(self,
				g_error_new(QMP_ERROR,
					    QMP_ERROR_PROTOCOL,
					    "message exceeds the limit of %" G_GSIZE_FORMAT " bytes",
					    self->max_size));
		return;
	}
	if (len == 0)
		return;
	g_debug("<- %.*s%s",
		(gint)MIN(len, QMP_STREAM_MAX_LOGGED),
		line,
		len > QMP_STREAM_MAX_LOGGED ? "..." : "");
	message = qmp_stream_parse(line, len, &error);
	if (message == NULL) {
		qmp_stream_fail(self, error);
		return;
	}
	self->message_cb(self, message, self->user_data);
}

/* delivers every complete line in the buffer, then checks what is left */
static void
qmp_stream_process(QmpStream *self)
{
	gsize start = 0;

	while (!self->closed) {
		const guint8 *base = self->buf->data + start;
		gsize avail = self->buf->len - start;
		gsize skip = self->scanned > start ? self->scanned - start : 0;
		const guint8 *nl = memchr(base + skip, '\n', avail - skip);
		if (nl == NULL) {
			self->scanned = self->buf->len;
			break;
		}
		start += (gsize)(nl - base) + 1;
		qmp_stream_handle_line(self, (const gchar *)base, (gsize)(nl - base));
	}
	if (self->closed)
		return;
	g_byte_array_remove_range(self->buf, 0, start);
	self->scanned -= start;
	/* a partial message may not grow past the cap either */
	if (self->buf->len > self->max_size + 1) {
		qmp_stream_fail(self,
				g_error_new(QMP_ERROR,
					    QMP_ERROR_PROTOCOL,
					    "message exceeds the limit of %" G_GSIZE_FORMAT
					    " bytes without a newline",
					    self->max_size));
	}
}

/*
 * a read or write that failed; a peer that closed or reset the connection
 * (EPIPE, ECONNRESET) is said to have closed it, whatever the direction
 */
static GError *
qmp_stream_io_error(const gchar *direction, const GError *error)
{
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
		return g_error_new(
		    QMP_ERROR, QMP_ERROR_CLOSED, "QMP connection closed by the peer (%s)", error->message);
	return g_error_new(
	    QMP_ERROR, QMP_ERROR_CLOSED, "failed to %s QMP connection: %s", direction, error->message);
}

static void
qmp_stream_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(QmpStream) self = QMP_STREAM(user_data);
	g_autoptr(GError) error = NULL;
	gssize n = g_input_stream_read_finish(G_INPUT_STREAM(source), res, &error);

	qmp_stream_op_done(self);
	if (self->closed)
		return;
	if (n < 0) {
		qmp_stream_fail(self, qmp_stream_io_error("read from", error));
		return;
	}
	if (n == 0) {
		qmp_stream_fail(self,
				g_error_new_literal(QMP_ERROR,
						    QMP_ERROR_CLOSED,
						    self->buf->len > 0
							? "QMP connection closed in the middle of a message"
							: "QMP connection closed"));
		return;
	}
	g_byte_array_append(self->buf, self->chunk, (guint)n);
	qmp_stream_process(self);
	if (!self->closed)
		qmp_stream_read_next(self);
}

static void
qmp_stream_read_next(QmpStream *self)
{
	GInputStream *input = g_io_stream_get_input_stream(self->iostream);

	self->ops++;
	g_input_stream_read_async(input,
				  self->chunk,
				  QMP_STREAM_CHUNK_SIZE,
				  G_PRIORITY_DEFAULT,
				  self->cancellable,
				  qmp_stream_read_cb,
				  g_object_ref(self));
}

static void
qmp_stream_write_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(QmpStream) self = QMP_STREAM(user_data);
	g_autoptr(GError) error = NULL;
	gsize written = 0;
	gboolean ok = g_output_stream_write_all_finish(G_OUTPUT_STREAM(source), res, &written, &error);

	qmp_stream_op_done(self);
	if (self->closed)
		return;
	if (!ok) {
		qmp_stream_fail(self, qmp_stream_io_error("write to", error));
		return;
	}
	self->out_done += written;
	if (self->out_done >= g_bytes_get_size(g_queue_peek_head(&self->out))) {
		g_bytes_unref(g_queue_pop_head(&self->out));
		self->out_done = 0;
	}
	qmp_stream_write_next(self);
}

static void
qmp_stream_write_next(QmpStream *self)
{
	GOutputStream *output = g_io_stream_get_output_stream(self->iostream);
	GBytes *bytes = g_queue_peek_head(&self->out);
	gsize len;

	if (bytes == NULL)
		return;
	len = g_bytes_get_size(bytes) - self->out_done;
	if (self->max_write > 0)
		len = MIN(len, self->max_write);
	self->ops++;
	g_output_stream_write_all_async(output,
					(const guint8 *)g_bytes_get_data(bytes, NULL) + self->out_done,
					len,
					G_PRIORITY_DEFAULT,
					self->cancellable,
					qmp_stream_write_cb,
					g_object_ref(self));
}

void
qmp_stream_send(QmpStream *self, JsonNode *message)
{
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(GString) text = NULL;
	gboolean idle;

	g_return_if_fail(QMP_IS_STREAM(self));
	g_return_if_fail(message != NULL);

	if (self->closed)
		return;
	/* compact output never holds a raw newline, so one message is one line */
	json_generator_set_root(generator, message);
	text = json_generator_to_gstring(generator, g_string_new(NULL));
	g_string_append_c(text, '\n');
	idle = g_queue_is_empty(&self->out);
	g_queue_push_tail(&self->out, g_string_free_to_bytes(g_steal_pointer(&text)));
	if (idle)
		qmp_stream_write_next(self);
}

void
qmp_stream_start(QmpStream *self,
		 QmpStreamMessageFunc message_cb,
		 QmpStreamErrorFunc error_cb,
		 gpointer user_data)
{
	g_return_if_fail(QMP_IS_STREAM(self));
	g_return_if_fail(message_cb != NULL);
	g_return_if_fail(!self->started);

	self->started = TRUE;
	self->message_cb = message_cb;
	self->error_cb = error_cb;
	self->user_data = user_data;
	if (!self->closed)
		qmp_stream_read_next(self);
}

void
qmp_stream_close(QmpStream *self)
{
	g_return_if_fail(QMP_IS_STREAM(self));

	if (self->closed)
		return;
	self->closed = TRUE;
	self->message_cb = NULL;
	self->error_cb = NULL;
	self->user_data = NULL;
	g_cancellable_cancel(self->cancellable);
	/* otherwise the last outstanding operation closes it */
	if (self->ops == 0) {
		g_io_stream_close(self->iostream, NULL, NULL);
		return;
	}
	/* the peer sees the end now, not when the main loop next runs */
	if (G_IS_SOCKET_CONNECTION(self->iostream)) {
		GSocket *socket = g_socket_connection_get_socket(G_SOCKET_CONNECTION(self->iostream));
		g_socket_shutdown(socket, TRUE, TRUE, NULL);
	}
}

void
qmp_stream_set_max_message_size(QmpStream *self, gsize max_size)
{
	g_return_if_fail(QMP_IS_STREAM(self));
	g_return_if_fail(max_size > 0);
	self->max_size = max_size;
}

void
qmp_stream_set_max_write_size(QmpStream *self, gsize max_write)
{
	g_return_if_fail(QMP_IS_STREAM(self));
	self->max_write = max_write;
}

static void
qmp_stream_init(QmpStream *self)
{
	self->cancellable = g_cancellable_new();
	self->max_size = QMP_STREAM_MAX_MESSAGE_SIZE;
	self->chunk = g_malloc(QMP_STREAM_CHUNK_SIZE);
	self->buf = g_byte_array_new();
	g_queue_init(&self->out);
}

static void
qmp_stream_dispose(GObject *object)
{
	QmpStream *self = QMP_STREAM(object);

	/* no operation is outstanding here: each holds a ref */
	if (self->iostream != NULL && !self->closed)
		qmp_stream_close(self);
	G_OBJECT_CLASS(qmp_stream_parent_class)->dispose(object);
}

static void
qmp_stream_finalize(GObject *object)
{
	QmpStream *self = QMP_STREAM(object);

	g_queue_clear_full(&self->out, (GDestroyNotify)g_bytes_unref);
	g_byte_array_unref(self->buf);
	g_free(self->chunk);
	g_clear_object(&self->cancellable);
	g_clear_object(&self->iostream);
	G_OBJECT_CLASS(qmp_stream_parent_class)->finalize(object);
}

static void
qmp_stream_class_init(QmpStreamClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = qmp_stream_dispose;
	object_class->finalize = qmp_stream_finalize;
}

QmpStream *
qmp_stream_new(GIOStream *iostream)
{
	QmpStream *self;

	g_return_val_if_fail(G_IS_IO_STREAM(iostream), NULL);

	self = g_object_new(QMP_TYPE_STREAM, NULL);
	self->iostream = g_object_ref(iostream);
	return self;
}
