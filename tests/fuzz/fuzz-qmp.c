/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "qmp-client.h"
#include "qmp-message.h"
#include "qmp-stream.h"
#include "sl-qemu-sev-reply.h"
#include "sl-qemu-sev.h"

/*
 * what a QMP server sends, end to end: the input is the byte stream from the
 * server; the client reads it through its real framing (QmpStream), greeting
 * and capabilities state machine and id routing, while this harness issues the
 * commands the verify flow issues and parses their replies. Reads complete
 * only once the client has nothing else to do; each input runs three times:
 * one line per read (a server answering one command at a time), everything
 * at once (many lines per buffer, replies ahead of their commands), and
 * 7-byte pieces (lines split anywhere).
 */

#define SL_FUZZ_READ_LINE 0

#define SL_TYPE_FUZZ_INPUT_STREAM (sl_fuzz_input_stream_get_type())
G_DECLARE_FINAL_TYPE(SlFuzzInputStream, sl_fuzz_input_stream, SL, FUZZ_INPUT_STREAM, GInputStream)

struct _SlFuzzInputStream {
	GInputStream parent_instance;
	const guint8 *data; /* borrowed for one run */
	gsize size;
	gsize offset;
	gsize piece; /* bytes per read, or SL_FUZZ_READ_LINE */
};

G_DEFINE_TYPE(SlFuzzInputStream, sl_fuzz_input_stream, G_TYPE_INPUT_STREAM)

static gssize
sl_fuzz_input_stream_read_fn(
    GInputStream *stream, void *buffer, gsize count, GCancellable *cancellable, GError **error)
{
	SlFuzzInputStream *self = SL_FUZZ_INPUT_STREAM(stream);
	gsize n = MIN(count, self->size - self->offset);
	const guint8 *nl = memchr(self->data + self->offset, '\n', n);

	if (self->piece != SL_FUZZ_READ_LINE)
		n = MIN(n, self->piece);
	else if (nl != NULL)
		n = (gsize)(nl - (self->data + self->offset)) + 1;
	memcpy(buffer, self->data + self->offset, n);
	self->offset += n;
	return (gssize)n;
}

typedef struct {
	void *buffer;
	gsize count;
} SlFuzzRead;

static gboolean
sl_fuzz_input_stream_read_idle_cb(gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	SlFuzzRead *read = g_task_get_task_data(task);
	GInputStream *stream = g_task_get_source_object(task);

	if (!g_task_return_error_if_cancelled(task)) {
		g_task_return_int(
		    task, sl_fuzz_input_stream_read_fn(stream, read->buffer, read->count, NULL, NULL));
	}
	return G_SOURCE_REMOVE;
}

static void
sl_fuzz_input_stream_read_async(GInputStream *stream,
				void *buffer,
				gsize count,
				int io_priority,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	GTask *task = g_task_new(stream, cancellable, callback, user_data);
	SlFuzzRead *read = g_new0(SlFuzzRead, 1);

	read->buffer = buffer;
	read->count = count;
	g_task_set_task_data(task, read, g_free);
	/* low priority: every reply and callback already due runs first */
	g_idle_add_full(G_PRIORITY_LOW, sl_fuzz_input_stream_read_idle_cb, task, g_object_unref);
}

static gssize
sl_fuzz_input_stream_read_finish(GInputStream *stream, GAsyncResult *result, GError **error)
{
	return g_task_propagate_int(G_TASK(result), error);
}

static void
sl_fuzz_input_stream_class_init(SlFuzzInputStreamClass *klass)
{
	GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS(klass);
	stream_class->read_fn = sl_fuzz_input_stream_read_fn;
	stream_class->read_async = sl_fuzz_input_stream_read_async;
	stream_class->read_finish = sl_fuzz_input_stream_read_finish;
}

static void
sl_fuzz_input_stream_init(SlFuzzInputStream *self)
{
}

/* the commands of a live SEV-ES verification, in order */
static const gchar *const sl_fuzz_qmp_commands[] = {
    "query-sev",
    "query-sev-launch-measure",
    "query-cpus-fast",
};

typedef struct {
	QmpClient *client;
	guint step;
	gboolean done;
} SlFuzzQmp;

static void
sl_fuzz_qmp_parse_reply(guint step, JsonNode *reply)
{
	g_auto(SlSevGuestInfo) info = {0};
	guint8 measurement[SL_MEASUREMENT_SIZE];
	guint8 mnonce[SL_MNONCE_SIZE];
	guint count = 0;

	/* errors are expected for most inputs; only crashes and criticals matter */
	if (step == 0)
		(void)sl_qemu_sev_reply_parse_query_sev(reply, &info, NULL);
	else if (step == 1)
		(void)sl_qemu_sev_reply_parse_launch_measure(reply, measurement, mnonce, NULL);
	else
		(void)sl_qemu_sev_reply_parse_cpus_fast(reply, &count, NULL);
}

static void
sl_fuzz_qmp_next(SlFuzzQmp *self);

static void
sl_fuzz_qmp_execute_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlFuzzQmp *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) reply = qmp_client_execute_finish(QMP_CLIENT(source), res, &error);

	g_assert_true((reply == NULL) == (error != NULL));
	if (reply == NULL) {
		self->done = TRUE;
		return;
	}
	sl_fuzz_qmp_parse_reply(self->step, reply);
	self->step++;
	sl_fuzz_qmp_next(self);
}

static void
sl_fuzz_qmp_next(SlFuzzQmp *self)
{
	if (self->step >= G_N_ELEMENTS(sl_fuzz_qmp_commands)) {
		self->done = TRUE;
		return;
	}
	qmp_client_execute_async(
	    self->client, sl_fuzz_qmp_commands[self->step], NULL, NULL, sl_fuzz_qmp_execute_cb, self);
}

static void
sl_fuzz_qmp_connect_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlFuzzQmp *self = user_data;
	g_autoptr(GError) error = NULL;

	if (!qmp_client_connect_finish(QMP_CLIENT(source), res, &error)) {
		g_assert_nonnull(error);
		self->done = TRUE;
		return;
	}
	sl_fuzz_qmp_next(self);
}

static void
sl_fuzz_qmp_run_client(const uint8_t *data, size_t size, gsize piece)
{
	g_autoptr(SlFuzzInputStream) input = g_object_new(SL_TYPE_FUZZ_INPUT_STREAM, NULL);
	g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable();
	g_autoptr(GIOStream) iostream = NULL;
	SlFuzzQmp self = {0};

	input->data = data;
	input->size = size;
	input->piece = piece;
	iostream = g_simple_io_stream_new(G_INPUT_STREAM(input), output);
	self.client = qmp_client_new();
	/* the seeds answer the ids sevlaunch sends */
	qmp_client_set_id_prefix(self.client, SL_QEMU_SEV_ID_PREFIX);
	/* no timers: the run ends by the input running out, never by the clock */
	qmp_client_set_command_timeout(self.client, 0);
	qmp_client_connect_stream_async(self.client, iostream, NULL, sl_fuzz_qmp_connect_cb, &self);
	while (!self.done) {
		/* every step is due at once: nothing due and not done would be a hang */
		if (!g_main_context_iteration(NULL, FALSE))
			g_error("QMP client stalled with nothing left to do");
	}
	qmp_client_close(self.client);
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_object_unref(self.client);
	while (g_main_context_iteration(NULL, FALSE))
		;
}

/* each line on its own, through the message parsers, whatever the client's state */
static void
sl_fuzz_qmp_parse_line(const gchar *line, gsize len)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	JsonObject *msg;
	QmpMessageKind kind = QMP_MESSAGE_KIND_GREETING;
	guint major = 0, minor = 0, micro = 0;
	const gchar *name = NULL;
	JsonObject *event_data = NULL;
	gint64 timestamp = 0;

	if (!qmp_stream_check_syntax(line, len, NULL) ||
	    !json_parser_load_from_data(parser, line, (gssize)len, NULL) ||
	    json_parser_get_root(parser) == NULL || !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)))
		return;
	msg = json_node_get_object(json_parser_get_root(parser));
	(void)qmp_message_get_id(msg);
	if (!qmp_message_classify(msg, &kind, NULL))
		return;
	if (kind == QMP_MESSAGE_KIND_GREETING)
		(void)qmp_message_parse_greeting(msg, &major, &minor, &micro, NULL);
	else if (kind == QMP_MESSAGE_KIND_EVENT)
		(void)qmp_message_parse_event(msg, &name, &event_data, &timestamp, NULL);
	else if (kind == QMP_MESSAGE_KIND_ERROR) {
		error = qmp_message_parse_error_reply(msg);
		g_assert_nonnull(error);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gsize start = 0;

	sl_fuzz_init();
	sl_fuzz_qmp_run_client(data, size, SL_FUZZ_READ_LINE);
	sl_fuzz_qmp_run_client(data, size, G_MAXSIZE);
	sl_fuzz_qmp_run_client(data, size, 7);
	while (start < size) {
		const guint8 *nl = memchr(data + start, '\n', size - start);
		gsize end = nl != NULL ? (gsize)(nl - data) : size;
		sl_fuzz_qmp_parse_line((const gchar *)data + start, end - start);
		start = end + 1;
	}
	return 0;
}
