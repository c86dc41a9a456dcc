/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "qmp-client.h"
#include "qmp-stream.h"
#include "qmp-test-util.h"
#include "qmp-tls.h"

/*
 * a fake QEMU with a TLS monitor: a thread that accepts one connection on
 * 127.0.0.1, does the server side of the handshake with the certificates in
 * tests/data/tls/server (client certificate required, as verify-peer=on) and
 * answers commands; credentials come from tests/data/tls (see PROVENANCE.md)
 */

#define GREETING_FMT                                                                                         \
	"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": %u, \"major\": %u}, "                  \
	"\"package\": \"\"}, \"capabilities\": [\"oob\"]}}\r\n"

/* far more than the cap and the socket buffers hold */
#define FLOOD_SIZE (64 * 1024 * 1024)

typedef enum {
	SERVER_ANSWER,      /* greeting, then answer every command */
	SERVER_PLAIN,       /* no TLS at all: a plain greeting, then read until EOF */
	SERVER_SILENT,      /* accept, then say nothing, not even TLS */
	SERVER_NO_GREETING, /* handshake, then say nothing */
	SERVER_FLOOD,       /* after qmp_capabilities, more than the cap without a newline */
	SERVER_HANG_UP,     /* after qmp_capabilities, close */
	SERVER_MUTE,        /* after qmp_capabilities, read but never answer */
} ServerMode;

typedef struct {
	ServerMode mode;
	guint qemu_major;
	guint qemu_minor;
	GSocket *listener;
	GThread *thread;
	GString *rbuf;
	/* read by the test only after the thread has been joined */
	gboolean handshake_ok;
	gboolean client_cert_seen;
	GPtrArray *commands;
	gsize largest_read; /* of the command bytes */
	gsize flood_sent;
	gboolean saw_eof;
} TlsServer;

static gchar *
data_path(const gchar *dir, const gchar *file)
{
	return g_test_build_filename(G_TEST_DIST, "data", "tls", dir, file, NULL);
}

/* a server decides on the client certificate here, as QEMU does with verify-peer=on */
static gboolean
tls_server_accept_cb(GTlsConnection *conn,
		     GTlsCertificate *peer,
		     GTlsCertificateFlags errors,
		     gpointer user_data)
{
	return errors == 0;
}

static GIOStream *
tls_server_wrap(TlsServer *self, GIOStream *base)
{
	g_autofree gchar *cert_path = data_path("server", "server-cert.pem");
	g_autofree gchar *key_path = data_path("server", "server-key.pem");
	g_autofree gchar *ca_path = data_path("server", "ca-cert.pem");
	g_autoptr(GTlsCertificate) cert = g_tls_certificate_new_from_files(cert_path, key_path, NULL);
	g_autoptr(GTlsDatabase) ca = g_tls_file_database_new(ca_path, NULL);
	g_autoptr(GIOStream) tls = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_nonnull(cert);
	g_assert_nonnull(ca);
	tls = g_tls_server_connection_new(base, cert, NULL);
	g_assert_nonnull(tls);
	g_tls_connection_set_database(G_TLS_CONNECTION(tls), ca);
	g_object_set(tls, "authentication-mode", G_TLS_AUTHENTICATION_REQUIRED, NULL);
	g_tls_connection_set_require_close_notify(G_TLS_CONNECTION(tls), FALSE);
	g_signal_connect(tls, "accept-certificate", G_CALLBACK(tls_server_accept_cb), NULL);
	self->handshake_ok = g_tls_connection_handshake(G_TLS_CONNECTION(tls), NULL, &error);
	if (!self->handshake_ok) {
		g_test_message("server handshake: %s", error->message);
		return NULL;
	}
	self->client_cert_seen = g_tls_connection_get_peer_certificate(G_TLS_CONNECTION(tls)) != NULL;
	return g_steal_pointer(&tls);
}

static gboolean
tls_server_send(GIOStream *stream, const gchar *text)
{
	GOutputStream *out = g_io_stream_get_output_stream(stream);
	return g_output_stream_write_all(out, text, strlen(text), NULL, NULL, NULL);
}

static gchar *
tls_server_read_line(TlsServer *self, GIOStream *stream)
{
	while (TRUE) {
		gchar buf[4096];
		const gchar *nl = memchr(self->rbuf->str, '\n', self->rbuf->len);
		gssize n;
		if (nl != NULL) {
			gchar *line = g_strndup(self->rbuf->str, nl - self->rbuf->str);
			g_string_erase(self->rbuf, 0, nl - self->rbuf->str + 1);
			return line;
		}
		n = g_input_stream_read(g_io_stream_get_input_stream(stream), buf, sizeof(buf), NULL, NULL);
		if (n <= 0) {
			self->saw_eof = TRUE;
			return NULL;
		}
		/* one read never spans two TLS records: this is the largest record */
		self->largest_read = MAX(self->largest_read, (gsize)n);
		g_string_append_len(self->rbuf, buf, n);
	}
}

/* the reply to one command line; NULL at EOF */
static gchar *
tls_server_answer(TlsServer *self, GIOStream *stream, const gchar **command)
{
	g_autofree gchar *line = tls_server_read_line(self, stream);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autofree gchar *id = NULL;
	JsonObject *obj;

	if (line == NULL)
		return NULL;
	g_assert_true(json_parser_load_from_data(parser, line, -1, NULL));
	obj = json_node_get_object(json_parser_get_root(parser));
	*command = g_intern_string(json_object_get_string_member(obj, "execute"));
	g_ptr_array_add(self->commands, g_strdup(*command));
	id = json_to_string(json_object_get_member(obj, "id"), FALSE);
	if (g_strcmp0(*command, "query-status") == 0)
		return g_strdup_printf("{\"return\": {\"status\": \"prelaunch\", \"running\": false}, "
				       "\"id\": %s}\r\n",
				       id);
	return g_strdup_printf("{\"return\": {}, \"id\": %s}\r\n", id);
}

static void
tls_server_flood(TlsServer *self, GIOStream *stream)
{
	g_autofree gchar *chunk = g_strnfill(16 * 1024, 'x');

	tls_server_send(stream, "{\"return\": \"");
	while (self->flood_sent < FLOOD_SIZE) {
		if (!tls_server_send(stream, chunk))
			return;
		self->flood_sent += strlen(chunk);
	}
}

static void
tls_server_session(TlsServer *self, GIOStream *stream)
{
	g_autofree gchar *greeting = g_strdup_printf(GREETING_FMT, self->qemu_minor, self->qemu_major);

	if (self->mode == SERVER_NO_GREETING || !tls_server_send(stream, greeting)) {
		g_free(tls_server_read_line(self, stream));
		return;
	}
	while (TRUE) {
		const gchar *command = NULL;
		g_autofree gchar *reply = tls_server_answer(self, stream, &command);
		if (reply == NULL)
			return;
		if (g_strcmp0(command, "qmp_capabilities") != 0 && self->mode == SERVER_FLOOD) {
			tls_server_flood(self, stream);
			return;
		}
		if (g_strcmp0(command, "qmp_capabilities") != 0 && self->mode == SERVER_MUTE)
			continue;
		if (!tls_server_send(stream, reply))
			return;
		if (self->mode == SERVER_HANG_UP)
			return;
	}
}

static gpointer
tls_server_thread(gpointer user_data)
{
	TlsServer *self = user_data;
	g_autoptr(GSocket) socket = g_socket_accept(self->listener, NULL, NULL);
	g_autoptr(GIOStream) base = NULL;
	g_autoptr(GIOStream) tls = NULL;

	g_assert_nonnull(socket);
	g_socket_set_timeout(socket, 20);
	base = G_IO_STREAM(g_socket_connection_factory_create_connection(socket));
	if (self->mode == SERVER_SILENT || self->mode == SERVER_PLAIN) {
		g_autofree gchar *greeting = g_strdup_printf(GREETING_FMT, 2, 8);
		gchar buf[4096];
		if (self->mode == SERVER_PLAIN)
			tls_server_send(base, greeting);
		gssize n;
		while ((n = g_socket_receive(socket, buf, sizeof(buf), NULL, NULL)) > 0)
			;
		/* not a timeout */
		self->saw_eof = n == 0;
	} else {
		tls = tls_server_wrap(self, base);
		if (tls != NULL)
			tls_server_session(self, tls);
	}
	g_socket_close(socket, NULL);
	return NULL;
}

static TlsServer *
tls_server_new(ServerMode mode, guint qemu_major, guint16 *port)
{
	TlsServer *self = g_new0(TlsServer, 1);

	self->mode = mode;
	self->qemu_major = qemu_major;
	self->qemu_minor = 2;
	self->rbuf = g_string_new(NULL);
	self->commands = g_ptr_array_new_with_free_func(g_free);
	self->listener = qmp_test_listen_loopback(port);
	self->thread = g_thread_new("fake-qemu-tls", tls_server_thread, self);
	return self;
}

static void
tls_server_join(TlsServer *self)
{
	if (self->thread != NULL)
		g_thread_join(g_steal_pointer(&self->thread));
}

static void
tls_server_free(TlsServer *self)
{
	tls_server_join(self);
	g_clear_object(&self->listener);
	g_string_free(self->rbuf, TRUE);
	g_ptr_array_unref(self->commands);
	g_free(self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TlsServer, tls_server_free)

static gboolean
connect_port(QmpClient *client, guint16 port, GError **error)
{
	g_autofree gchar *address = g_strdup_printf("tcp:127.0.0.1:%u", port);

	return qmp_test_connect_address(client, address, 0, error);
}

/* lets the client's close reach the server, then waits for the server to end */
static void
tls_server_finish(TlsServer *self)
{
	qmp_test_drain_main_context();
	tls_server_join(self);
}

/* the connect fails for good and the server never completes a handshake nor sees a command */
static GError *
connect_refused(QmpClient *client, guint16 port, TlsServer *server)
{
	GError *error = NULL;

	g_assert_false(connect_port(client, port, &error));
	g_assert_error(error, QMP_ERROR, QMP_ERROR_CONNECT);
	g_test_message("%s", error->message);
	qmp_test_assert_sticky(client, QMP_ERROR, QMP_ERROR_CONNECT);
	tls_server_finish(server);
	g_assert_false(server->handshake_ok);
	g_assert_cmpuint(server->commands->len, ==, 0);
	return error;
}

/* a client with the credentials in tests/data/tls/@dir */
static QmpClient *
client_new(const gchar *dir)
{
	g_autofree gchar *path = g_test_build_filename(G_TEST_DIST, "data", "tls", dir, NULL);
	g_autoptr(GError) error = NULL;
	QmpClient *client = qmp_client_new();

	gboolean ok = qmp_client_set_tls_creds_dir(client, path, &error);

	g_assert_no_error(error);
	g_assert_true(ok);
	return client;
}

/* a temp dir holding the named files of tests/data/tls/@from */
typedef gchar CredsDir;

static CredsDir *
creds_dir_new(const gchar *from, const gchar *const *files)
{
	g_autoptr(GError) error = NULL;
	gchar *dir = g_dir_make_tmp("test-qmp-tls-XXXXXX", &error);

	g_assert_no_error(error);
	for (guint i = 0; files[i] != NULL; i++) {
		g_autofree gchar *src = data_path(from, files[i]);
		g_autofree gchar *dst = g_build_filename(dir, files[i], NULL);
		g_autofree gchar *contents = NULL;
		gsize len = 0;
		g_assert_true(g_file_get_contents(src, &contents, &len, NULL));
		g_assert_true(g_file_set_contents(dst, contents, len, NULL));
	}
	return dir;
}

static void
creds_dir_free(CredsDir *dir)
{
	const gchar *names[] = {QMP_TLS_CA_CERT_FILE, QMP_TLS_CLIENT_CERT_FILE, QMP_TLS_CLIENT_KEY_FILE};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree gchar *path = g_build_filename(dir, names[i], NULL);
		g_unlink(path);
	}
	g_rmdir(dir);
	g_free(dir);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CredsDir, creds_dir_free)

/* handshake, greeting, qmp_capabilities and a command, all over TLS */
static void
test_command(void)
{
	guint16 port = 0;
	g_autoptr(TlsServer) server = tls_server_new(SERVER_ANSWER, 8, &port);
	g_autoptr(QmpClient) client = client_new("client");
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) ret = NULL;
	guint major = 0;

	g_assert_true(connect_port(client, port, &error));
	g_assert_no_error(error);
	g_assert_true(qmp_client_get_qemu_version(client, &major, NULL, NULL));
	g_assert_cmpuint(major, ==, 8);
	ret = qmp_test_execute(client, "query-status", NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(ret), "status"), ==, "prelaunch");
	qmp_client_close(client);
	tls_server_finish(server);
	g_assert_true(server->handshake_ok);
	g_assert_true(server->client_cert_seen);
	g_assert_true(server->saw_eof);
	g_assert_cmpuint(server->commands->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(server->commands, 0), ==, "qmp_capabilities");
	g_assert_cmpstr(g_ptr_array_index(server->commands, 1), ==, "query-status");
	/* QEMU 8 reads whole records: each command went out as one */
	g_assert_cmpuint(server->largest_read, >, strlen("{\"execute\": \"query-status\"}"));
}

/* QEMU 7.2 stalls on a record of more than one byte (see qmp-tls.h) */
static void
test_qemu7_one_byte_records(void)
{
	guint16 port = 0;
	g_autoptr(TlsServer) server = tls_server_new(SERVER_ANSWER, 7, &port);
	g_autoptr(QmpClient) client = client_new("client");
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) ret = NULL;

	g_assert_true(connect_port(client, port, &error));
	g_assert_no_error(error);
	ret = qmp_test_execute(client, "query-status", NULL, NULL, &error);
	g_assert_no_error(error);
	qmp_client_close(client);
	tls_server_finish(server);
	g_assert_cmpuint(server->commands->len, ==, 2);
	g_assert_cmpuint(server->largest_read, ==, 1);
}

/* a directory given relative to the working directory, as on a command line */
static void
test_relative_dir(void)
{
	g_autofree gchar *data = g_test_build_filename(G_TEST_DIST, "data", NULL);
	g_autofree gchar *cwd = g_get_current_dir();
	guint16 port = 0;
	g_autoptr(TlsServer) server = tls_server_new(SERVER_ANSWER, 8, &port);
	g_autoptr(QmpClient) client = qmp_client_new();
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(g_chdir(data), ==, 0);
	g_assert_true(qmp_client_set_tls_creds_dir(client, "tls/client", &error));
	g_assert_cmpint(g_chdir(cwd), ==, 0);
	g_assert_no_error(error);
	g_assert_true(connect_port(client, port, &error));
	g_assert_no_error(error);
	qmp_client_close(client);
	tls_server_finish(server);
	g_assert_true(server->client_cert_seen);
}

/* the certificate names localhost: an explicit host name is checked instead */
static void
test_hostname_override(void)
{
	guint16 port = 0;
	g_autoptr(TlsServer) server = tls_server_new(SERVER_ANSWER, 8, &port);
	g_autoptr(QmpClient) client = client_new("client");
	g_autoptr(GError) error = NULL;

	qmp_client_set_tls_hostname(client, "localhost");
	g_assert_true(connect_port(client, port, &error));
	g_assert_no_error(error);
	qmp_client_close(client);
	tls_server_finish(server);
	g_assert_true(server->handshake_ok);
}

static void
test_hostname_mismatch(void)
{
	guint16 port = 0;
	g_autoptr(TlsServer) server = tls_server_new(SERVER_ANSWER, 8, &port);
	g_autoptr(QmpClient) client = client_new("client");
	g_autoptr(GError) error = NULL;

	qmp_client_set_tls_hostname(client, "qemu.example");
	error = connect_refused(client, port, server);
	g_assert_nonnull(strstr(error->message, "TLS handshake"));
	g_assert_nonnull(strstr(error->message, "not issued for 'qemu.example'"));
}

/* a server certificate from a CA we do not trust */
static void
test_wrong_ca(void)
{
	guint16 port = 0;
	g_autoptr(TlsServer) server = tls_server_new(SERVER_ANSWER, 8, &port);
	g_autoptr(QmpClient) client = client_new("other-client");
	g_autoptr(GError) error = NULL;

	error = connect_refused(client, port, server);
	g_assert_nonnull(strstr(error->message, "not signed by the CA in ca-cert.pem"));
	g_assert_null(strstr(error->message, "not issued for"));
}

/* verify-peer=on: a client without a certificate is refused */
static void
test_missing_client_cert(void)
{
	const gchar *files[] = {QMP_TLS_CA_CERT_FILE, NULL};
	g_autoptr(CredsDir) dir = creds_dir_new("client", files);
	guint16 port = 0;
	g_autoptr(TlsServer) server = tls_server_new(SERVER_ANSWER, 8, &port);
	g_autoptr(QmpClient) client = qmp_client_new();
	g_autoptr(GError) error = NULL;

	g_assert_true(qmp_client_set_tls_creds_dir(client, dir, &error));
	g_assert_no_error(error);
	error = connect_refused(client, port, server);
}

static void
assert_creds_error(CredsDir *dir, GQuark domain, gint code, const gchar *file)
{
	g_autoptr(QmpClient) client = qmp_client_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = g_build_filename(dir, file, NULL);

	g_assert_false(qmp_client_set_tls_creds_dir(client, dir, &error));
	g_assert_error(error, domain, code);
	g_test_message("%s", error->message);
	g_assert_nonnull(strstr(error->message, path));
}

static void
test_half_a_pair(void)
{
	const gchar *cert_only[] = {QMP_TLS_CA_CERT_FILE, QMP_TLS_CLIENT_CERT_FILE, NULL};
	const gchar *key_only[] = {QMP_TLS_CA_CERT_FILE, QMP_TLS_CLIENT_KEY_FILE, NULL};
	g_autoptr(CredsDir) dir1 = creds_dir_new("client", cert_only);
	g_autoptr(CredsDir) dir2 = creds_dir_new("client", key_only);

	assert_creds_error(dir1, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, QMP_TLS_CLIENT_KEY_FILE);
	assert_creds_error(dir2, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, QMP_TLS_CLIENT_CERT_FILE);
}

static void
overwrite(CredsDir *dir, const gchar *file, const gchar *contents)
{
	g_autofree gchar *path = g_build_filename(dir, file, NULL);
	g_assert_true(g_file_set_contents(path, contents, -1, NULL));
}

static void
test_bad_files(void)
{
	const gchar *all[] = {QMP_TLS_CA_CERT_FILE, QMP_TLS_CLIENT_CERT_FILE, QMP_TLS_CLIENT_KEY_FILE, NULL};
	const gchar *none[] = {NULL};
	g_autoptr(CredsDir) empty = creds_dir_new("client", none);
	g_autoptr(CredsDir) dir = creds_dir_new("client", all);
	g_autoptr(QmpClient) client = qmp_client_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *missing = g_build_filename(empty, "nowhere", NULL);
	g_autofree gchar *server_key = data_path("server", "server-key.pem");
	g_autofree gchar *key_text = NULL;

	/* not a directory */
	g_assert_false(qmp_client_set_tls_creds_dir(client, missing, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, missing));
	/* ca-cert.pem is required */
	assert_creds_error(empty, G_FILE_ERROR, G_FILE_ERROR_NOENT, QMP_TLS_CA_CERT_FILE);
	/* no certificate in the CA file, then one that does not parse */
	overwrite(dir, QMP_TLS_CA_CERT_FILE, "");
	assert_creds_error(dir, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, QMP_TLS_CA_CERT_FILE);
	overwrite(
	    dir, QMP_TLS_CA_CERT_FILE, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
	assert_creds_error(dir, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, QMP_TLS_CA_CERT_FILE);
	g_clear_pointer(&dir, creds_dir_free);

	/* a client certificate that is a key, then a key that is garbage */
	dir = creds_dir_new("client", all);
	g_assert_true(g_file_get_contents(server_key, &key_text, NULL, NULL));
	overwrite(dir, QMP_TLS_CLIENT_CERT_FILE, key_text);
	assert_creds_error(dir, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, QMP_TLS_CLIENT_CERT_FILE);
	g_clear_pointer(&dir, creds_dir_free);
	dir = creds_dir_new("client", all);
	overwrite(
	    dir, QMP_TLS_CLIENT_KEY_FILE, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
	assert_creds_error(dir, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, QMP_TLS_CLIENT_KEY_FILE);
}

/* TLS has no host name to check on a unix socket or a bare stream */
static void
test_not_tcp(void)
{
	g_autoptr(QmpClient) client = client_new("client");
	g_autoptr(QmpClient) client2 = client_new("client");
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GAsyncResult) res2 = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocket) socket = g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, 0, NULL);
	g_autoptr(GIOStream) stream = G_IO_STREAM(g_socket_connection_factory_create_connection(socket));

	qmp_client_connect_async(client, "unix:/nonexistent/qmp.sock", 0, NULL, qmp_test_result_cb, &res);
	qmp_test_wait_for_result(&res);
	g_assert_false(qmp_client_connect_finish(client, res, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "unix:/nonexistent/qmp.sock"));
	g_clear_error(&error);

	qmp_client_connect_stream_async(client2, stream, NULL, qmp_test_result_cb, &res2);
	qmp_test_wait_for_result(&res2);
	g_assert_false(qmp_client_connect_finish(client2, res2, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
	qmp_test_drain_main_context();
}

/* a monitor without TLS: the greeting is no TLS record */
static void
test_plain_server(void)
{
	guint16 port = 0;
	g_autoptr(TlsServer) server = tls_server_new(SERVER_PLAIN, 8, &port);
	g_autoptr(QmpClient) client = client_new("client");
	g_autoptr(GError) error = NULL;

	error = connect_refused(client, port, server);
	g_assert_nonnull(strstr(error->message, "TLS handshake"));
}

static void
assert_connect_timeout(ServerMode mode, const gchar *what)
{
	guint16 port = 0;
	g_autoptr(TlsServer) server = tls_server_new(mode, 8, &port);
	g_autoptr(QmpClient) client = client_new("client");
	g_autoptr(GError) error = NULL;
	gint64 start = g_get_monotonic_time();

	qmp_client_set_command_timeout(client, 300);
	g_assert_false(connect_port(client, port, &error));
	g_assert_error(error, QMP_ERROR, QMP_ERROR_TIMEOUT);
	g_assert_nonnull(strstr(error->message, what));
	g_assert_cmpint(g_get_monotonic_time() - start, >=, 300 * 1000);
	qmp_test_assert_sticky(client, QMP_ERROR, QMP_ERROR_TIMEOUT);
	/* the session is over: the server sees the connection close at once */
	tls_server_finish(server);
	g_assert_true(server->saw_eof);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_handshake_timeout(void)
{
	assert_connect_timeout(SERVER_SILENT, "no TLS handshake within 300 ms");
}

static void
test_greeting_timeout(void)
{
	assert_connect_timeout(SERVER_NO_GREETING, "no QMP greeting within 300 ms");
}

/* cancelling the connect ends a handshake the server never answers */
static void
test_cancel_handshake(void)
{
	guint16 port = 0;
	g_autoptr(TlsServer) server = tls_server_new(SERVER_SILENT, 8, &port);
	g_autoptr(QmpClient) client = client_new("client");
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autofree gchar *address = g_strdup_printf("tcp:127.0.0.1:%u", port);
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;
	gint64 start = g_get_monotonic_time();

	g_timeout_add(200, qmp_test_cancel_cb, cancellable);
	qmp_client_connect_async(client, address, 0, cancellable, qmp_test_result_cb, &res);
	qmp_test_wait_for_result(&res);
	g_assert_false(qmp_client_connect_finish(client, res, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	tls_server_finish(server);
	g_assert_true(server->saw_eof);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
}

/* the 16 MiB cap holds over TLS */
static void
test_oversize(void)
{
	guint16 port = 0;
	g_autoptr(TlsServer) server = tls_server_new(SERVER_FLOOD, 8, &port);
	g_autoptr(QmpClient) client = client_new("client");
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) ret = NULL;

	g_assert_true(connect_port(client, port, &error));
	g_assert_no_error(error);
	ret = qmp_test_execute(client, "query-status", NULL, NULL, &error);
	g_assert_null(ret);
	g_assert_error(error, QMP_ERROR, QMP_ERROR_PROTOCOL);
	g_assert_nonnull(strstr(error->message, "exceeds"));
	qmp_test_assert_sticky(client, QMP_ERROR, QMP_ERROR_PROTOCOL);
	tls_server_finish(server);
	g_assert_cmpuint(server->flood_sent, >=, QMP_STREAM_MAX_MESSAGE_SIZE - 64 * 1024);
	/* the client stopped at the cap, not at the end of the flood */
	g_assert_cmpuint(server->flood_sent, <, FLOOD_SIZE);
}

static void
test_command_timeout(void)
{
	guint16 port = 0;
	g_autoptr(TlsServer) server = tls_server_new(SERVER_MUTE, 8, &port);
	g_autoptr(QmpClient) client = client_new("client");
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) ret = NULL;

	qmp_client_set_command_timeout(client, 300);
	g_assert_true(connect_port(client, port, &error));
	g_assert_no_error(error);
	ret = qmp_test_execute(client, "query-status", NULL, NULL, &error);
	g_assert_null(ret);
	g_assert_error(error, QMP_ERROR, QMP_ERROR_TIMEOUT);
	g_assert_nonnull(strstr(error->message, "query-status"));
	qmp_test_assert_sticky(client, QMP_ERROR, QMP_ERROR_TIMEOUT);
	tls_server_finish(server);
	g_assert_true(server->saw_eof);
}

static void
test_hang_up(void)
{
	guint16 port = 0;
	g_autoptr(TlsServer) server = tls_server_new(SERVER_HANG_UP, 8, &port);
	g_autoptr(QmpClient) client = client_new("client");
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) ret = NULL;

	g_assert_true(connect_port(client, port, &error));
	g_assert_no_error(error);
	ret = qmp_test_execute(client, "query-status", NULL, NULL, &error);
	g_assert_null(ret);
	g_assert_error(error, QMP_ERROR, QMP_ERROR_CLOSED);
	qmp_test_assert_sticky(client, QMP_ERROR, QMP_ERROR_CLOSED);
	tls_server_finish(server);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* GIO's TLS backend warns about misuse (such as a relative CA path) */
	g_log_set_always_fatal(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);

	g_test_add_func("/qmp-tls/command", test_command);
	g_test_add_func("/qmp-tls/qemu7-one-byte-records", test_qemu7_one_byte_records);
	g_test_add_func("/qmp-tls/relative-dir", test_relative_dir);
	g_test_add_func("/qmp-tls/hostname-override", test_hostname_override);
	g_test_add_func("/qmp-tls/hostname-mismatch", test_hostname_mismatch);
	g_test_add_func("/qmp-tls/wrong-ca", test_wrong_ca);
	g_test_add_func("/qmp-tls/missing-client-cert", test_missing_client_cert);
	g_test_add_func("/qmp-tls/half-a-pair", test_half_a_pair);
	g_test_add_func("/qmp-tls/bad-files", test_bad_files);
	g_test_add_func("/qmp-tls/not-tcp", test_not_tcp);
	g_test_add_func("/qmp-tls/plain-server", test_plain_server);
	g_test_add_func("/qmp-tls/handshake-timeout", test_handshake_timeout);
	g_test_add_func("/qmp-tls/greeting-timeout", test_greeting_timeout);
	g_test_add_func("/qmp-tls/cancel-handshake", test_cancel_handshake);
	g_test_add_func("/qmp-tls/oversize", test_oversize);
	g_test_add_func("/qmp-tls/command-timeout", test_command_timeout);
	g_test_add_func("/qmp-tls/hang-up", test_hang_up);
	return g_test_run();
}
