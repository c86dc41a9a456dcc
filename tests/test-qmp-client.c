/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>

#include "qmp-client.h"
#include "qmp-stream.h"
#include "qmp-test-util.h"

/* a fake QMP server: a thread that plays a script on its end of a socket */

#define GREETING                                                                                             \
	"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 2, \"minor\": 1, \"major\": 8}, "                    \
	"\"package\": \"v8.1.2\"}, \"capabilities\": [\"oob\"]}}\r\n"
#define REPLY_EMPTY "{\"return\": {}, \"id\": %ID%}\r\n"
#define SECRET_VALUE "c2VjcmV0LXBheWxvYWQtbm90LWZvci1sb2dz"

typedef enum {
	STEP_END,
	STEP_SEND,       /* text; %ID% and %PREV% are the last two ids received */
	STEP_SEND_BYTES, /* the same, one byte per write */
	STEP_READ,       /* one command, whose "execute" must be text */
	STEP_SLEEP,      /* n ms */
	STEP_FLOOD,      /* text, then n bytes of 'x' without a newline */
	STEP_WAIT_EOF,   /* read until the client closes */
	STEP_CLOSE,
} StepKind;

typedef struct {
	StepKind kind;
	const gchar *text;
	gsize n;
} Step;

#define HANDSHAKE                                                                                            \
	{STEP_SEND, GREETING, 0}, {STEP_READ, "qmp_capabilities", 0},                                        \
	{                                                                                                    \
		STEP_SEND, REPLY_EMPTY, 0                                                                    \
	}

typedef struct {
	GSocket *socket;
	GSocket *listener;  /* accept on it */
	gchar *listen_path; /* or listen and accept there after delay_ms */
	guint delay_ms;
	const Step *script;
	GThread *thread;
	GString *rbuf;
	/* read by the test only after the thread has been joined */
	GPtrArray *commands;  /* "execute" of each command, in order */
	GPtrArray *arguments; /* "arguments" as JSON text, "" when absent */
	GPtrArray *ids;
	gchar *last_id; /* JSON text */
	gchar *prev_id; /* the one before */
	gsize flood_sent;
	gboolean saw_eof;
	gboolean script_failed;
} FakeServer;

static gboolean
fake_server_read_line(FakeServer *self, gchar **line)
{
	while (TRUE) {
		gchar buf[4096];
		const gchar *nl = memchr(self->rbuf->str, '\n', self->rbuf->len);
		gssize n;
		if (nl != NULL) {
			gsize len = (gsize)(nl - self->rbuf->str);
			*line = g_strndup(self->rbuf->str, len);
			g_string_erase(self->rbuf, 0, len + 1);
			return TRUE;
		}
		n = g_socket_receive(self->socket, buf, sizeof(buf), NULL, NULL);
		if (n <= 0) {
			self->saw_eof = TRUE;
			return FALSE;
		}
		g_string_append_len(self->rbuf, buf, n);
	}
}

static gboolean
fake_server_send(FakeServer *self, const gchar *data, gsize len, gboolean bytewise)
{
	gsize done = 0;
	while (done < len) {
		gsize want = bytewise ? 1 : len - done;
		gssize n = g_socket_send(self->socket, data + done, want, NULL, NULL);
		if (n <= 0)
			return FALSE;
		done += (gsize)n;
		if (bytewise)
			g_usleep(200);
	}
	return TRUE;
}

static gboolean
fake_server_read_command(FakeServer *self, const gchar *expected)
{
	g_autofree gchar *line = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *obj;
	JsonNode *args;

	if (!fake_server_read_line(self, &line))
		return FALSE;
	if (!json_parser_load_from_data(parser, line, -1, NULL) ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		self->script_failed = TRUE;
		return FALSE;
	}
	obj = json_node_get_object(json_parser_get_root(parser));
	g_ptr_array_add(self->commands, g_strdup(json_object_get_string_member(obj, "execute")));
	args = json_object_get_member(obj, "arguments");
	g_ptr_array_add(self->arguments, args != NULL ? json_to_string(args, FALSE) : g_strdup(""));
	g_ptr_array_add(self->ids, g_strdup(json_object_get_string_member(obj, "id")));
	g_free(self->prev_id);
	self->prev_id = g_steal_pointer(&self->last_id);
	self->last_id = json_to_string(json_object_get_member(obj, "id"), FALSE);
	if (g_strcmp0(json_object_get_string_member(obj, "execute"), expected) != 0)
		self->script_failed = TRUE;
	return TRUE;
}

static gboolean
fake_server_flood(FakeServer *self, const Step *step)
{
	g_autofree gchar *chunk = g_malloc(65536);
	memset(chunk, 'x', 65536);
	if (!fake_server_send(self, step->text, strlen(step->text), FALSE))
		return FALSE;
	while (self->flood_sent < step->n) {
		gssize n =
		    g_socket_send(self->socket, chunk, MIN(65536, step->n - self->flood_sent), NULL, NULL);
		if (n <= 0)
			return FALSE;
		self->flood_sent += (gsize)n;
	}
	return TRUE;
}

static gboolean
fake_server_step(FakeServer *self, const Step *step)
{
	g_autoptr(GString) text = NULL;
	g_autofree gchar *line = NULL;

	switch (step->kind) {
	case STEP_SEND:
	case STEP_SEND_BYTES:
		text = g_string_new(step->text);
		g_string_replace(text, "%ID%", self->last_id != NULL ? self->last_id : "null", 0);
		g_string_replace(text, "%PREV%", self->prev_id != NULL ? self->prev_id : "null", 0);
		return fake_server_send(self, text->str, text->len, step->kind == STEP_SEND_BYTES);
	case STEP_READ:
		return fake_server_read_command(self, step->text);
	case STEP_SLEEP:
		g_usleep(step->n * 1000);
		return TRUE;
	case STEP_FLOOD:
		return fake_server_flood(self, step);
	case STEP_WAIT_EOF:
		while (fake_server_read_line(self, &line))
			g_clear_pointer(&line, g_free);
		return FALSE;
	case STEP_CLOSE:
	default:
		return FALSE;
	}
}

static gboolean
fake_server_listen(FakeServer *self)
{
	g_autoptr(GSocketAddress) addr = NULL;

	if (self->listener == NULL) {
		g_usleep(self->delay_ms * 1000);
		self->listener = g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, 0, NULL);
		addr = g_unix_socket_address_new(self->listen_path);
		if (self->listener == NULL || !g_socket_bind(self->listener, addr, FALSE, NULL) ||
		    !g_socket_listen(self->listener, NULL))
			return FALSE;
	}
	self->socket = g_socket_accept(self->listener, NULL, NULL);
	return self->socket != NULL;
}

static gpointer
fake_server_thread(gpointer user_data)
{
	FakeServer *self = user_data;

	if ((self->listen_path != NULL || self->listener != NULL) && !fake_server_listen(self)) {
		self->script_failed = TRUE;
		return NULL;
	}
	for (const Step *step = self->script; step->kind != STEP_END; step++) {
		if (!fake_server_step(self, step))
			break;
	}
	g_socket_close(self->socket, NULL);
	return NULL;
}

static FakeServer *
fake_server_new(const Step *script)
{
	FakeServer *self = g_new0(FakeServer, 1);
	self->script = script;
	self->rbuf = g_string_new(NULL);
	self->commands = g_ptr_array_new_with_free_func(g_free);
	self->arguments = g_ptr_array_new_with_free_func(g_free);
	self->ids = g_ptr_array_new_with_free_func(g_free);
	return self;
}

/* a server on one end of a socketpair; the other end is returned */
static FakeServer *
fake_server_new_pair(const Step *script, GIOStream **client_stream)
{
	FakeServer *self = fake_server_new(script);
	g_autoptr(GSocket) client_socket = NULL;
	int fds[2];

	g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
	client_socket = g_socket_new_from_fd(fds[0], NULL);
	self->socket = g_socket_new_from_fd(fds[1], NULL);
	g_assert_nonnull(client_socket);
	g_assert_nonnull(self->socket);
	*client_stream = G_IO_STREAM(g_socket_connection_factory_create_connection(client_socket));
	self->thread = g_thread_new("fake-qmp", fake_server_thread, self);
	return self;
}

static FakeServer *
fake_server_new_listen(const Step *script, const gchar *path, guint delay_ms)
{
	FakeServer *self = fake_server_new(script);
	self->listen_path = g_strdup(path);
	self->delay_ms = delay_ms;
	self->thread = g_thread_new("fake-qmp", fake_server_thread, self);
	return self;
}

/* a server on 127.0.0.1, on a port the kernel picks */
static FakeServer *
fake_server_new_tcp(const Step *script, guint16 *port)
{
	FakeServer *self = fake_server_new(script);

	self->listener = qmp_test_listen_loopback(port);
	self->thread = g_thread_new("fake-qmp", fake_server_thread, self);
	return self;
}

/* waits for the script to end; the client must have closed if it waits for EOF */
static void
fake_server_join(FakeServer *self)
{
	if (self->thread != NULL)
		g_thread_join(g_steal_pointer(&self->thread));
	g_assert_false(self->script_failed);
}

static void
fake_server_free(FakeServer *self)
{
	if (self->thread != NULL)
		g_thread_join(self->thread);
	g_clear_object(&self->socket);
	g_clear_object(&self->listener);
	g_string_free(self->rbuf, TRUE);
	g_ptr_array_unref(self->commands);
	g_ptr_array_unref(self->arguments);
	g_ptr_array_unref(self->ids);
	g_free(self->last_id);
	g_free(self->prev_id);
	g_free(self->listen_path);
	g_free(self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(FakeServer, fake_server_free)

static gboolean
connect_stream(QmpClient *client, GIOStream *stream, GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;
	qmp_client_connect_stream_async(client, stream, NULL, qmp_test_result_cb, &res);
	qmp_test_wait_for_result(&res);
	return qmp_client_connect_finish(client, res, error);
}

/* a client connected to a fake server playing @script */
static QmpClient *
client_new_for_script(const Step *script, FakeServer **server)
{
	g_autoptr(GIOStream) stream = NULL;
	g_autoptr(GError) error = NULL;
	QmpClient *client = qmp_client_new();

	*server = fake_server_new_pair(script, &stream);
	g_assert_true(connect_stream(client, stream, &error));
	g_assert_no_error(error);
	return client;
}

typedef struct {
	guint count;
	GError *error;
} ClosedRecord;

static void
closed_cb(QmpClient *client, const GError *error, gpointer user_data)
{
	ClosedRecord *rec = user_data;
	rec->count++;
	g_clear_error(&rec->error);
	rec->error = g_error_copy(error);
}

static void
test_handshake(void)
{
	const Step script[] = {HANDSHAKE, {STEP_WAIT_EOF}, {STEP_END}};
	g_autoptr(FakeServer) server = NULL;
	g_autoptr(QmpClient) client = qmp_client_new();
	g_autoptr(GIOStream) stream = NULL;
	g_autoptr(GError) error = NULL;
	ClosedRecord closed = {0};
	guint major = 0, minor = 0, micro = 0;

	g_assert_false(qmp_client_get_qemu_version(client, &major, &minor, &micro));
	g_signal_connect(client, "closed", G_CALLBACK(closed_cb), &closed);
	server = fake_server_new_pair(script, &stream);
	g_assert_true(connect_stream(client, stream, &error));
	g_assert_no_error(error);
	g_assert_true(qmp_client_get_qemu_version(client, &major, &minor, &micro));
	g_assert_cmpuint(major, ==, 8);
	g_assert_cmpuint(minor, ==, 1);
	g_assert_cmpuint(micro, ==, 2);
	g_assert_cmpuint(closed.count, ==, 0);

	qmp_client_close(client);
	qmp_client_close(client);
	g_assert_cmpuint(closed.count, ==, 1);
	g_assert_error(closed.error, QMP_ERROR, QMP_ERROR_CLOSED);
	fake_server_join(server);
	g_assert_true(server->saw_eof);
	g_assert_cmpuint(server->commands->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(server->commands, 0), ==, "qmp_capabilities");
	/* no optional capability is asked for */
	g_assert_cmpstr(g_ptr_array_index(server->arguments, 0), ==, "");
	g_assert_true(g_str_has_prefix(g_ptr_array_index(server->ids, 0), QMP_CLIENT_DEFAULT_ID_PREFIX));
	g_clear_error(&closed.error);
	qmp_test_drain_main_context();
}

/* the id prefix is the client's: every id sent carries the one set */
static void
test_id_prefix(void)
{
	const Step script[] = {
	    HANDSHAKE, {STEP_READ, "query-status"}, {STEP_SEND, REPLY_EMPTY}, {STEP_WAIT_EOF}, {STEP_END}};
	g_autoptr(FakeServer) server = NULL;
	g_autoptr(QmpClient) client = g_object_new(QMP_TYPE_CLIENT, "id-prefix", "__test-owner#", NULL);
	g_autoptr(GIOStream) stream = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) ret = NULL;

	g_assert_cmpstr(qmp_client_get_id_prefix(client), ==, "__test-owner#");
	server = fake_server_new_pair(script, &stream);
	g_assert_true(connect_stream(client, stream, &error));
	g_assert_no_error(error);
	ret = qmp_test_execute(client, "query-status", NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(ret);
	qmp_client_close(client);
	fake_server_join(server);
	g_assert_cmpuint(server->ids->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(server->ids, 0), ==, "__test-owner#1");
	g_assert_cmpstr(g_ptr_array_index(server->ids, 1), ==, "__test-owner#2");
	qmp_test_drain_main_context();
}

static void
test_command_reply(void)
{
	const Step script[] = {
	    HANDSHAKE,
	    {STEP_READ, "query-status"},
	    {STEP_SEND, "{\"return\": {\"status\": \"prelaunch\", \"running\": false}, \"id\": %ID%}\r\n"},
	    {STEP_READ, "query-sev"},
	    {STEP_SEND, "{\"id\": %ID%, \"return\": [1, 2]}\n"},
	    {STEP_WAIT_EOF},
	    {STEP_END}};
	g_autoptr(FakeServer) server = NULL;
	g_autoptr(QmpClient) client = client_new_for_script(script, &server);
	g_autoptr(JsonObject) args = json_object_new();
	g_autoptr(JsonNode) ret = NULL;
	g_autoptr(JsonNode) ret2 = NULL;
	g_autoptr(GError) error = NULL;
	JsonObject *obj;

	json_object_set_int_member(args, "level", 3);
	json_object_set_string_member(args, "name", "vm0");
	ret = qmp_test_execute(client, "query-status", args, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(ret);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(ret));
	obj = json_node_get_object(ret);
	g_assert_cmpstr(json_object_get_string_member(obj, "status"), ==, "prelaunch");
	g_assert_false(json_object_get_boolean_member(obj, "running"));

	ret2 = qmp_test_execute(client, "query-sev", NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(JSON_NODE_HOLDS_ARRAY(ret2));
	g_assert_cmpuint(json_array_get_length(json_node_get_array(ret2)), ==, 2);

	qmp_client_close(client);
	fake_server_join(server);
	g_assert_cmpuint(server->commands->len, ==, 3);
	g_assert_cmpstr(g_ptr_array_index(server->arguments, 1), ==, "{\"level\":3,\"name\":\"vm0\"}");
	g_assert_cmpstr(g_ptr_array_index(server->arguments, 2), ==, "");
	/* every command has its own id */
	g_assert_cmpstr(g_ptr_array_index(server->ids, 1), !=, g_ptr_array_index(server->ids, 2));
	qmp_test_drain_main_context();
}

static void
test_error_reply(void)
{
	const Step script[] = {
	    HANDSHAKE,
	    {STEP_READ, "device_del"},
	    {STEP_SEND,
	     "{\"id\": %ID%, \"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"Device 'x' not "
	     "found\"}}\r\n"},
	    {STEP_READ, "sev-inject-launch-secret"},
	    {STEP_SEND,
	     "{\"error\": {\"class\": \"GenericError\", \"desc\": \"SEV: not in LAUNCH_SECRET state\"}, "
	     "\"id\": %ID%}\r\n"},
	    {STEP_READ, "frobnicate"},
	    {STEP_SEND, "{\"error\": {\"class\": \"FrobError\", \"desc\": \"no frob\"}, \"id\": %ID%}\r\n"},
	    {STEP_READ, "query-status"},
	    {STEP_SEND, REPLY_EMPTY},
	    {STEP_WAIT_EOF},
	    {STEP_END}};
	g_autoptr(FakeServer) server = NULL;
	g_autoptr(QmpClient) client = client_new_for_script(script, &server);
	g_autoptr(JsonNode) ret = NULL;
	g_autoptr(GError) error = NULL;

	ret = qmp_test_execute(client, "device_del", NULL, NULL, &error);
	g_assert_null(ret);
	g_assert_error(error, QMP_ERROR, QMP_ERROR_DEVICE_NOT_FOUND);
	g_assert_cmpstr(error->message, ==, "Device 'x' not found");
	g_clear_error(&error);

	ret = qmp_test_execute(client, "sev-inject-launch-secret", NULL, NULL, &error);
	g_assert_error(error, QMP_ERROR, QMP_ERROR_GENERIC_ERROR);
	g_assert_cmpstr(error->message, ==, "SEV: not in LAUNCH_SECRET state");
	g_clear_error(&error);

	ret = qmp_test_execute(client, "frobnicate", NULL, NULL, &error);
	g_assert_error(error, QMP_ERROR, QMP_ERROR_OTHER_CLASS);
	g_assert_nonnull(strstr(error->message, "FrobError"));
	g_assert_nonnull(strstr(error->message, "no frob"));
	g_clear_error(&error);

	/* an error reply does not end the session */
	ret = qmp_test_execute(client, "query-status", NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(ret);

	qmp_client_close(client);
	fake_server_join(server);
	qmp_test_drain_main_context();
}

typedef struct {
	GString *log;
	gchar *name;
	JsonObject *data;
	gint64 timestamp_us;
} EventRecord;

static void
event_cb(QmpClient *client, const gchar *name, JsonObject *data, gint64 timestamp_us, gpointer user_data)
{
	EventRecord *rec = user_data;
	g_string_append_printf(rec->log, "event:%s;", name);
	g_free(rec->name);
	rec->name = g_strdup(name);
	g_clear_pointer(&rec->data, json_object_unref);
	if (data != NULL)
		rec->data = json_object_ref(data);
	rec->timestamp_us = timestamp_us;
}

static void
event_record_clear(EventRecord *rec)
{
	g_string_free(rec->log, TRUE);
	g_free(rec->name);
	g_clear_pointer(&rec->data, json_object_unref);
}

static void
execute_logged_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	EventRecord *rec = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) ret = qmp_client_execute_finish(QMP_CLIENT(source), res, &error);
	g_assert_no_error(error);
	g_assert_nonnull(ret);
	g_string_append(rec->log, "reply;");
}

static void
run_event_test(const Step *script)
{
	g_autoptr(FakeServer) server = NULL;
	g_autoptr(QmpClient) client = client_new_for_script(script, &server);
	EventRecord rec = {g_string_new(NULL), NULL, NULL, 0};
	EventRecord other = {g_string_new(NULL), NULL, NULL, 0};
	EventRecord any = {g_string_new(NULL), NULL, NULL, 0};

	/* listeners go in before the command that triggers the event */
	g_signal_connect(client, "event::RESUME", G_CALLBACK(event_cb), &rec);
	g_signal_connect(client, "event::SHUTDOWN", G_CALLBACK(event_cb), &other);
	g_signal_connect(client, "event", G_CALLBACK(event_cb), &any);
	qmp_client_execute_async(client, "cont", NULL, NULL, execute_logged_cb, &rec);
	QMP_TEST_LOOP_UNTIL(g_str_has_suffix(rec.log->str, "reply;"));

	g_assert_cmpstr(rec.log->str, ==, "event:RESUME;reply;");
	g_assert_cmpstr(other.log->str, ==, "");
	g_assert_cmpstr(any.log->str, ==, "event:RESUME;");
	g_assert_cmpstr(rec.name, ==, "RESUME");
	g_assert_nonnull(rec.data);
	g_assert_cmpstr(json_object_get_string_member(rec.data, "reason"), ==, "x");
	g_assert_cmpint(rec.timestamp_us, ==, G_GINT64_CONSTANT(1700000000123456));

	qmp_client_close(client);
	fake_server_join(server);
	event_record_clear(&rec);
	event_record_clear(&other);
	event_record_clear(&any);
	qmp_test_drain_main_context();
}

#define RESUME_EVENT                                                                                         \
	"{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 123456}, \"event\": "                   \
	"\"RESUME\", \"data\": {\"reason\": \"x\"}}\r\n"

static void
test_event_before_reply(void)
{
	const Step script[] = {HANDSHAKE,
			       {STEP_READ, "cont"},
			       {STEP_SEND, RESUME_EVENT},
			       {STEP_SLEEP, NULL, 20},
			       {STEP_SEND, REPLY_EMPTY},
			       {STEP_WAIT_EOF},
			       {STEP_END}};
	run_event_test(script);
}

static void
test_bytewise(void)
{
	const Step script[] = {{STEP_SEND_BYTES, GREETING},
			       {STEP_READ, "qmp_capabilities"},
			       {STEP_SEND_BYTES, REPLY_EMPTY},
			       {STEP_READ, "cont"},
			       {STEP_SEND_BYTES, RESUME_EVENT},
			       {STEP_SEND_BYTES, REPLY_EMPTY},
			       {STEP_WAIT_EOF},
			       {STEP_END}};
	run_event_test(script);
}

static void
test_two_in_one_write(void)
{
	const Step script[] = {HANDSHAKE,
			       {STEP_READ, "cont"},
			       {STEP_SEND, RESUME_EVENT REPLY_EMPTY},
			       {STEP_WAIT_EOF},
			       {STEP_END}};
	run_event_test(script);
}

/* runs one command against @script and expects the session to end with @code */
static GError *
run_failing_command(const Step *script, gint code, FakeServer **server_out)
{
	g_autoptr(FakeServer) server = NULL;
	g_autoptr(QmpClient) client = client_new_for_script(script, &server);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) ret = NULL;
	ClosedRecord closed = {0};

	g_signal_connect(client, "closed", G_CALLBACK(closed_cb), &closed);
	ret = qmp_test_execute(client, "query-status", NULL, NULL, &error);
	g_assert_null(ret);
	g_assert_error(error, QMP_ERROR, code);
	g_assert_cmpuint(closed.count, ==, 1);
	g_assert_error(closed.error, QMP_ERROR, code);
	qmp_test_assert_sticky(client, QMP_ERROR, code);
	qmp_client_close(client);
	g_assert_cmpuint(closed.count, ==, 1);
	g_clear_error(&closed.error);
	fake_server_join(server);
	qmp_test_drain_main_context();
	if (server_out != NULL)
		*server_out = g_steal_pointer(&server);
	return g_steal_pointer(&error);
}

static void
test_unknown_id(void)
{
	const Step script[] = {HANDSHAKE,
			       {STEP_READ, "query-status"},
			       {STEP_SEND, "{\"return\": {}, \"id\": \"__sevlaunch#999\"}\r\n"},
			       {STEP_WAIT_EOF},
			       {STEP_END}};
	g_autoptr(GError) error = run_failing_command(script, QMP_ERROR_PROTOCOL, NULL);
	g_assert_nonnull(strstr(error->message, "unknown id"));
}

static void
test_error_without_id(void)
{
	const Step script[] = {
	    HANDSHAKE,
	    {STEP_READ, "query-status"},
	    {STEP_SEND, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error\"}}\r\n"},
	    {STEP_WAIT_EOF},
	    {STEP_END}};
	g_autoptr(GError) error = run_failing_command(script, QMP_ERROR_PROTOCOL, NULL);
	g_assert_nonnull(strstr(error->message, "JSON parse error"));
}

static void
test_wrong_member_types(void)
{
	const Step bad_error[] = {
	    HANDSHAKE,
	    {STEP_READ, "query-status"},
	    {STEP_SEND, "{\"error\": {\"class\": 1, \"desc\": \"x\"}, \"id\": %ID%}\r\n"},
	    {STEP_WAIT_EOF},
	    {STEP_END}};
	const Step bad_event[] = {HANDSHAKE,
				  {STEP_READ, "query-status"},
				  {STEP_SEND, "{\"event\": \"STOP\", \"data\": [1]}\r\n"},
				  {STEP_WAIT_EOF},
				  {STEP_END}};
	const Step bad_message[] = {HANDSHAKE,
				    {STEP_READ, "query-status"},
				    {STEP_SEND, "{\"hello\": 1}\r\n"},
				    {STEP_WAIT_EOF},
				    {STEP_END}};
	g_autoptr(GError) error1 = run_failing_command(bad_error, QMP_ERROR_PROTOCOL, NULL);
	g_autoptr(GError) error2 = run_failing_command(bad_event, QMP_ERROR_PROTOCOL, NULL);
	g_autoptr(GError) error3 = run_failing_command(bad_message, QMP_ERROR_PROTOCOL, NULL);
	g_assert_nonnull(strstr(error1->message, "'class'"));
	g_assert_nonnull(strstr(error2->message, "'data'"));
	g_assert_cmpstr(error3->message, !=, "");
}

static void
test_malformed_json(void)
{
	const Step broken[] = {HANDSHAKE,
			       {STEP_READ, "query-status"},
			       {STEP_SEND, "{\"return\": }\r\n"},
			       {STEP_WAIT_EOF},
			       {STEP_END}};
	const Step not_object[] = {
	    HANDSHAKE, {STEP_READ, "query-status"}, {STEP_SEND, "[1, 2]\r\n"}, {STEP_WAIT_EOF}, {STEP_END}};
	const Step trailing[] = {HANDSHAKE,
				 {STEP_READ, "query-status"},
				 {STEP_SEND, "{\"return\": {}, \"id\": %ID%} {}\r\n"},
				 {STEP_WAIT_EOF},
				 {STEP_END}};
	g_autoptr(GError) error1 = run_failing_command(broken, QMP_ERROR_PROTOCOL, NULL);
	g_autoptr(GError) error2 = run_failing_command(not_object, QMP_ERROR_PROTOCOL, NULL);
	g_autoptr(GError) error3 = run_failing_command(trailing, QMP_ERROR_PROTOCOL, NULL);
	g_assert_nonnull(strstr(error1->message, "malformed JSON"));
	g_assert_cmpstr(error2->message, !=, "");
	g_assert_cmpstr(error3->message, !=, "");
}

static void
test_deep_nesting(void)
{
	/* the parser recurses: this would overflow the stack if it saw it */
	gsize depth = 1000000;
	g_autoptr(GString) text = g_string_new("{\"return\": ");
	for (gsize i = 0; i < depth; i++)
		g_string_append_c(text, '[');
	for (gsize i = 0; i < depth; i++)
		g_string_append_c(text, ']');
	g_string_append(text, ", \"id\": %ID%}\r\n");
	{
		const Step script[] = {HANDSHAKE,
				       {STEP_READ, "query-status"},
				       {STEP_SEND, text->str},
				       {STEP_WAIT_EOF},
				       {STEP_END}};
		g_autoptr(GError) error = run_failing_command(script, QMP_ERROR_PROTOCOL, NULL);
		g_assert_nonnull(strstr(error->message, "nested"));
	}
}

static void
test_oversize(void)
{
	/* far more than the cap, never a newline: the client must stop early */
	const gsize flood = 64 * 1024 * 1024;
	const Step script[] = {HANDSHAKE,
			       {STEP_READ, "query-status"},
			       {STEP_FLOOD, "{\"return\": \"", flood},
			       {STEP_WAIT_EOF},
			       {STEP_END}};
	FakeServer *server = NULL;
	g_autoptr(GError) error = run_failing_command(script, QMP_ERROR_PROTOCOL, &server);

	g_assert_nonnull(strstr(error->message, "exceeds"));
	g_assert_cmpuint(server->flood_sent, >=, QMP_STREAM_MAX_MESSAGE_SIZE - 64);
	/* the client stopped reading at the cap, not at the end of the flood */
	g_assert_cmpuint(server->flood_sent, <, QMP_STREAM_MAX_MESSAGE_SIZE + 8 * 1024 * 1024);
	fake_server_free(server);
}

static void
test_eof_mid_message(void)
{
	const Step script[] = {HANDSHAKE,
			       {STEP_READ, "query-status"},
			       {STEP_SEND, "{\"return\": {\"status\": \"runn"},
			       {STEP_CLOSE},
			       {STEP_END}};
	g_autoptr(GError) error = run_failing_command(script, QMP_ERROR_CLOSED, NULL);
	g_assert_nonnull(strstr(error->message, "middle"));
}

static void
test_eof(void)
{
	const Step script[] = {HANDSHAKE, {STEP_READ, "query-status"}, {STEP_CLOSE}, {STEP_END}};
	g_autoptr(GError) error = run_failing_command(script, QMP_ERROR_CLOSED, NULL);
	g_assert_null(strstr(error->message, "middle"));
}

static void
test_timeout(void)
{
	const Step script[] = {HANDSHAKE, {STEP_READ, "query-status"}, {STEP_WAIT_EOF}, {STEP_END}};
	g_autoptr(FakeServer) server = NULL;
	g_autoptr(QmpClient) client = client_new_for_script(script, &server);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) ret = NULL;
	gint64 start = g_get_monotonic_time();

	qmp_client_set_command_timeout(client, 200);
	ret = qmp_test_execute(client, "query-status", NULL, NULL, &error);
	g_assert_null(ret);
	g_assert_error(error, QMP_ERROR, QMP_ERROR_TIMEOUT);
	g_assert_cmpint(g_get_monotonic_time() - start, >=, 200 * 1000);
	qmp_test_assert_sticky(client, QMP_ERROR, QMP_ERROR_TIMEOUT);
	/* the session is over: the server sees the connection close */
	fake_server_join(server);
	g_assert_true(server->saw_eof);
	qmp_test_drain_main_context();
}

static void
pending_failed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	guint *failed = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) ret = qmp_client_execute_finish(QMP_CLIENT(source), res, &error);
	g_assert_null(ret);
	g_assert_error(error, QMP_ERROR, QMP_ERROR_CLOSED);
	(*failed)++;
}

/* every pending call fails when the connection drops */
static void
test_sticky_pending(void)
{
	const Step script[] = {HANDSHAKE, {STEP_READ, "a"}, {STEP_READ, "b"}, {STEP_CLOSE}, {STEP_END}};
	g_autoptr(FakeServer) server = NULL;
	g_autoptr(QmpClient) client = client_new_for_script(script, &server);
	guint failed = 0;

	qmp_client_execute_async(client, "a", NULL, NULL, pending_failed_cb, &failed);
	qmp_client_execute_async(client, "b", NULL, NULL, pending_failed_cb, &failed);
	QMP_TEST_LOOP_UNTIL(failed == 2);
	qmp_test_assert_sticky(client, QMP_ERROR, QMP_ERROR_CLOSED);
	fake_server_join(server);
	qmp_test_drain_main_context();
}

static void
test_close_pending(void)
{
	const Step script[] = {HANDSHAKE, {STEP_READ, "a"}, {STEP_WAIT_EOF}, {STEP_END}};
	g_autoptr(FakeServer) server = NULL;
	g_autoptr(QmpClient) client = client_new_for_script(script, &server);
	guint failed = 0;

	qmp_client_execute_async(client, "a", NULL, NULL, pending_failed_cb, &failed);
	qmp_client_close(client);
	QMP_TEST_LOOP_UNTIL(failed == 1);
	qmp_test_assert_sticky(client, QMP_ERROR, QMP_ERROR_CLOSED);
	fake_server_join(server);
	qmp_test_drain_main_context();
}

/* a cancelled call fails alone; its late reply is dropped, not mismatched */
static void
test_cancel(void)
{
	/* "fast" is only sent once "slow" has been cancelled; then both replies come */
	const Step script[] = {HANDSHAKE,
			       {STEP_READ, "slow"},
			       {STEP_READ, "fast"},
			       {STEP_SEND, "{\"return\": {\"which\": \"slow\"}, \"id\": %PREV%}\r\n"},
			       {STEP_SEND, "{\"return\": {\"which\": \"fast\"}, \"id\": %ID%}\r\n"},
			       {STEP_WAIT_EOF},
			       {STEP_END}};
	g_autoptr(FakeServer) server = NULL;
	g_autoptr(QmpClient) client = client_new_for_script(script, &server);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) ret = NULL;
	g_autoptr(JsonNode) ret2 = NULL;

	g_timeout_add(50, qmp_test_cancel_cb, cancellable);
	ret = qmp_test_execute(client, "slow", NULL, cancellable, &error);
	g_assert_null(ret);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_clear_error(&error);

	ret2 = qmp_test_execute(client, "fast", NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(ret2), "which"), ==, "fast");

	/* already cancelled: nothing is sent */
	g_clear_pointer(&ret, json_node_unref);
	ret = qmp_test_execute(client, "never", NULL, cancellable, &error);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

	qmp_client_close(client);
	fake_server_join(server);
	g_assert_cmpuint(server->commands->len, ==, 3);
	qmp_test_drain_main_context();
}

static void
test_bad_greeting(void)
{
	const Step wrong_type[] = {
	    {STEP_SEND,
	     "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": \"1\", \"major\": 8}}, "
	     "\"capabilities\": []}}\r\n"},
	    {STEP_WAIT_EOF},
	    {STEP_END}};
	const Step no_greeting[] = {{STEP_SEND, "{\"return\": {}}\r\n"}, {STEP_WAIT_EOF}, {STEP_END}};
	const Step refused[] = {
	    {STEP_SEND, GREETING},
	    {STEP_READ, "qmp_capabilities"},
	    {STEP_SEND, "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"no\"}, \"id\": %ID%}\r\n"},
	    {STEP_WAIT_EOF},
	    {STEP_END}};
	const Step *scripts[] = {wrong_type, no_greeting, refused};
	const gint codes[] = {QMP_ERROR_PROTOCOL, QMP_ERROR_PROTOCOL, QMP_ERROR_COMMAND_NOT_FOUND};

	for (guint i = 0; i < G_N_ELEMENTS(scripts); i++) {
		g_autoptr(GIOStream) stream = NULL;
		g_autoptr(FakeServer) server = fake_server_new_pair(scripts[i], &stream);
		g_autoptr(QmpClient) client = qmp_client_new();
		g_autoptr(GError) error = NULL;

		g_assert_false(connect_stream(client, stream, &error));
		g_assert_error(error, QMP_ERROR, codes[i]);
		qmp_test_assert_sticky(client, QMP_ERROR, codes[i]);
		fake_server_join(server);
		qmp_test_drain_main_context();
	}
}

static void
test_greeting_timeout(void)
{
	const Step script[] = {{STEP_WAIT_EOF}, {STEP_END}};
	g_autoptr(GIOStream) stream = NULL;
	g_autoptr(FakeServer) server = fake_server_new_pair(script, &stream);
	g_autoptr(QmpClient) client = qmp_client_new();
	g_autoptr(GError) error = NULL;

	qmp_client_set_command_timeout(client, 100);
	g_assert_false(connect_stream(client, stream, &error));
	g_assert_error(error, QMP_ERROR, QMP_ERROR_TIMEOUT);
	fake_server_join(server);
	qmp_test_drain_main_context();
}

static void
test_wait_retry(void)
{
	const Step script[] = {HANDSHAKE, {STEP_WAIT_EOF}, {STEP_END}};
	g_autofree gchar *dir = g_dir_make_tmp("test-qmp-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "qmp.sock", NULL);
	g_autofree gchar *address = g_strdup_printf("unix:%s", path);
	g_autoptr(FakeServer) server = fake_server_new_listen(script, path, 300);
	g_autoptr(QmpClient) client = qmp_client_new();
	g_autoptr(GError) error = NULL;
	gint64 start = g_get_monotonic_time();

	g_assert_true(qmp_test_connect_address(client, address, 5000, &error));
	g_assert_no_error(error);
	g_assert_cmpint(g_get_monotonic_time() - start, >=, 300 * 1000);
	qmp_client_close(client);
	fake_server_join(server);
	g_assert_cmpuint(server->commands->len, ==, 1);
	g_unlink(path);
	g_rmdir(dir);
	qmp_test_drain_main_context();
}

static void
test_connect_cancel(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("test-qmp-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "never.sock", NULL);
	g_autoptr(QmpClient) client = qmp_client_new();
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;
	gint64 start = g_get_monotonic_time();

	g_timeout_add(150, qmp_test_cancel_cb, cancellable);
	qmp_client_connect_async(client, path, 10000, cancellable, qmp_test_result_cb, &res);
	qmp_test_wait_for_result(&res);
	g_assert_false(qmp_client_connect_finish(client, res, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
	qmp_test_assert_sticky(client, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	/* the retry loop stops too */
	g_clear_object(&client);
	qmp_test_drain_main_context();
	g_usleep(150 * 1000);
	qmp_test_drain_main_context();
	g_rmdir(dir);
}

static void
test_tcp(void)
{
	const Step script[] = {HANDSHAKE,
			       {STEP_READ, "query-status"},
			       {STEP_SEND, "{\"return\": {\"status\": \"paused\"}, \"id\": %ID%}\r\n"},
			       {STEP_WAIT_EOF},
			       {STEP_END}};
	guint16 port = 0;
	g_autoptr(FakeServer) server = fake_server_new_tcp(script, &port);
	g_autofree gchar *address = g_strdup_printf("tcp:127.0.0.1:%u", port);
	g_autoptr(QmpClient) client = qmp_client_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) ret = NULL;

	g_assert_true(qmp_test_connect_address(client, address, 0, &error));
	g_assert_no_error(error);
	ret = qmp_test_execute(client, "query-status", NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(ret), "status"), ==, "paused");
	qmp_client_close(client);
	fake_server_join(server);
	qmp_test_drain_main_context();
}

static void
test_connect_failure(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("test-qmp-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "missing.sock", NULL);
	g_autoptr(QmpClient) client = qmp_client_new();
	g_autoptr(QmpClient) client2 = qmp_client_new();
	g_autoptr(QmpClient) client3 = qmp_client_new();
	g_autoptr(GError) error = NULL;
	gint64 start = g_get_monotonic_time();

	/* without --wait: at once */
	g_assert_false(qmp_test_connect_address(client, path, 0, &error));
	g_assert_error(error, QMP_ERROR, QMP_ERROR_CONNECT);
	g_assert_nonnull(strstr(error->message, path));
	g_assert_cmpint(g_get_monotonic_time() - start, <, 2 * G_USEC_PER_SEC);
	g_clear_error(&error);

	/* with a wait that runs out */
	start = g_get_monotonic_time();
	g_assert_false(qmp_test_connect_address(client2, path, 250, &error));
	g_assert_error(error, QMP_ERROR, QMP_ERROR_CONNECT);
	g_assert_cmpint(g_get_monotonic_time() - start, >=, 250 * 1000);
	g_clear_error(&error);

	/* bad address syntax is not a connection failure */
	g_assert_false(qmp_test_connect_address(client3, "tcp:nohost", 0, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
	g_rmdir(dir);
	qmp_test_drain_main_context();
}

/* debug output is captured so the redaction can be checked */
static GString *captured_log = NULL;

static GLogWriterOutput
log_writer(GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
	const gchar *domain = NULL;
	const gchar *message = NULL;

	for (gsize i = 0; i < n_fields; i++) {
		if (g_strcmp0(fields[i].key, "GLIB_DOMAIN") == 0)
			domain = fields[i].value;
		else if (g_strcmp0(fields[i].key, "MESSAGE") == 0)
			message = fields[i].value;
	}
	if (level & G_LOG_LEVEL_DEBUG) {
		if (captured_log != NULL && g_strcmp0(domain, "qmp") == 0)
			g_string_append_printf(captured_log, "%s\n", message);
		return G_LOG_WRITER_HANDLED;
	}
	return g_log_writer_default(level, fields, n_fields, user_data);
}

/* GIO's own debug messages are noise here */
static void
log_handler(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer user_data)
{
	if (level & G_LOG_LEVEL_DEBUG)
		return;
	g_log_default_handler(domain, level, message, user_data);
}

static void
test_redaction(void)
{
	const Step script[] = {HANDSHAKE,
			       {STEP_READ, "sev-inject-launch-secret"},
			       {STEP_SEND, REPLY_EMPTY},
			       {STEP_READ, "query-sev-launch-measure"},
			       {STEP_SEND, "{\"return\": {\"data\": \"bWVhc3VyZQ==\"}, \"id\": %ID%}\r\n"},
			       {STEP_WAIT_EOF},
			       {STEP_END}};
	g_autoptr(FakeServer) server = NULL;
	g_autoptr(QmpClient) client = NULL;
	g_autoptr(JsonObject) args = json_object_new();
	g_autoptr(JsonObject) args2 = json_object_new();
	g_autoptr(JsonNode) ret = NULL;
	g_autoptr(JsonNode) ret2 = NULL;
	g_autoptr(GError) error = NULL;

	captured_log = g_string_new(NULL);
	client = client_new_for_script(script, &server);
	json_object_set_string_member(args, "packet-header", "aGVhZGVy");
	json_object_set_string_member(args, "secret", SECRET_VALUE);
	ret = qmp_test_execute(client, "sev-inject-launch-secret", args, NULL, &error);
	g_assert_no_error(error);
	json_object_set_string_member(args2, "marker", "visible-argument");
	ret2 = qmp_test_execute(client, "query-sev-launch-measure", args2, NULL, &error);
	g_assert_no_error(error);
	qmp_client_close(client);
	fake_server_join(server);

	/* the server got the secret, the log did not */
	g_assert_nonnull(strstr(g_ptr_array_index(server->arguments, 1), SECRET_VALUE));
	g_assert_nonnull(strstr(captured_log->str, "sev-inject-launch-secret"));
	g_assert_nonnull(strstr(captured_log->str, "<redacted>"));
	g_assert_null(strstr(captured_log->str, SECRET_VALUE));
	g_assert_null(strstr(captured_log->str, "aGVhZGVy"));
	/* other commands are logged in full, replies too */
	g_assert_nonnull(strstr(captured_log->str, "visible-argument"));
	g_assert_nonnull(strstr(captured_log->str, "bWVhc3VyZQ=="));
	g_string_free(g_steal_pointer(&captured_log), TRUE);
	qmp_test_drain_main_context();
}

/* transport: the cap is checked on complete lines too, before parsing */
typedef struct {
	guint messages;
	GError *error;
} StreamRecord;

static void
stream_message_cb(QmpStream *stream, JsonNode *message, gpointer user_data)
{
	StreamRecord *rec = user_data;
	rec->messages++;
}

static void
stream_error_cb(QmpStream *stream, const GError *error, gpointer user_data)
{
	StreamRecord *rec = user_data;
	g_assert_null(rec->error);
	rec->error = g_error_copy(error);
}

static void
test_stream_line_cap(void)
{
	/* a 40-byte message passes, a 41-byte one fails, both in one write */
	g_autofree gchar *fill_ok = g_strnfill(40 - 14, 'a');
	g_autofree gchar *fill_big = g_strnfill(41 - 14, 'b');
	g_autofree gchar *both =
	    g_strdup_printf("{\"return\": \"%s\"}\r\n{\"return\": \"%s\"}\n", fill_ok, fill_big);
	const Step script[] = {{STEP_SEND, both}, {STEP_WAIT_EOF}, {STEP_END}};
	g_autoptr(GIOStream) stream = NULL;
	g_autoptr(FakeServer) server = NULL;
	g_autoptr(QmpStream) qstream = NULL;
	StreamRecord rec = {0};

	g_assert_cmpuint(strlen(both), ==, 40 + 2 + 41 + 1);
	server = fake_server_new_pair(script, &stream);
	qstream = qmp_stream_new(stream);
	qmp_stream_set_max_message_size(qstream, 40);
	qmp_stream_start(qstream, stream_message_cb, stream_error_cb, &rec);
	QMP_TEST_LOOP_UNTIL(rec.error != NULL);
	g_assert_cmpuint(rec.messages, ==, 1);
	g_assert_error(rec.error, QMP_ERROR, QMP_ERROR_PROTOCOL);
	g_clear_error(&rec.error);
	fake_server_join(server);
	qmp_test_drain_main_context();
}

int
main(int argc, char **argv)
{
	/* debug output of the "qmp" domain only, captured by log_writer */
	g_setenv("G_MESSAGES_DEBUG", "qmp", TRUE);
	g_test_init(&argc, &argv, NULL);
	g_log_set_writer_func(log_writer, NULL, NULL);
	g_log_set_default_handler(log_handler, NULL);

	g_test_add_func("/qmp-client/handshake", test_handshake);
	g_test_add_func("/qmp-client/id-prefix", test_id_prefix);
	g_test_add_func("/qmp-client/command-reply", test_command_reply);
	g_test_add_func("/qmp-client/error-reply", test_error_reply);
	g_test_add_func("/qmp-client/event-before-reply", test_event_before_reply);
	g_test_add_func("/qmp-client/bytewise", test_bytewise);
	g_test_add_func("/qmp-client/two-in-one-write", test_two_in_one_write);
	g_test_add_func("/qmp-client/unknown-id", test_unknown_id);
	g_test_add_func("/qmp-client/error-without-id", test_error_without_id);
	g_test_add_func("/qmp-client/wrong-member-types", test_wrong_member_types);
	g_test_add_func("/qmp-client/malformed-json", test_malformed_json);
	g_test_add_func("/qmp-client/deep-nesting", test_deep_nesting);
	g_test_add_func("/qmp-client/oversize", test_oversize);
	g_test_add_func("/qmp-client/eof-mid-message", test_eof_mid_message);
	g_test_add_func("/qmp-client/eof", test_eof);
	g_test_add_func("/qmp-client/timeout", test_timeout);
	g_test_add_func("/qmp-client/sticky-pending", test_sticky_pending);
	g_test_add_func("/qmp-client/close-pending", test_close_pending);
	g_test_add_func("/qmp-client/cancel", test_cancel);
	g_test_add_func("/qmp-client/bad-greeting", test_bad_greeting);
	g_test_add_func("/qmp-client/greeting-timeout", test_greeting_timeout);
	g_test_add_func("/qmp-client/wait-retry", test_wait_retry);
	g_test_add_func("/qmp-client/connect-cancel", test_connect_cancel);
	g_test_add_func("/qmp-client/tcp", test_tcp);
	g_test_add_func("/qmp-client/connect-failure", test_connect_failure);
	g_test_add_func("/qmp-client/redaction", test_redaction);
	g_test_add_func("/qmp-stream/line-cap", test_stream_line_cap);
	return g_test_run();
}
