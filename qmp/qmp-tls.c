/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "qmp"

#include "config.h"

#include "qmp-error.h"
#include "qmp-tls.h"

/* @error_local (taken) from loading @path; a file error already names the file */
static void
qmp_tls_propagate_error(GError **error, GError *error_local, const gchar *path)
{
	if (error_local->domain == G_FILE_ERROR) {
		g_propagate_error(error, error_local);
		return;
	}
	g_set_error(error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "%s: %s", path, error_local->message);
	g_error_free(error_local);
}

/* how many certificates @path holds; errors name the file */
static guint
qmp_tls_count_certificates(const gchar *path, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	GList *certs = g_tls_certificate_list_new_from_file(path, &error_local);
	guint n = g_list_length(certs);

	g_list_free_full(certs, g_object_unref);
	if (error_local != NULL) {
		qmp_tls_propagate_error(error, g_steal_pointer(&error_local), path);
		return 0;
	}
	if (n == 0)
		g_set_error(
		    error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "%s: no PEM certificate in it", path);
	return n;
}

static GTlsDatabase *
qmp_tls_load_ca(const gchar *dir, GError **error)
{
	g_autofree gchar *path = g_build_filename(dir, QMP_TLS_CA_CERT_FILE, NULL);
	g_autoptr(GError) error_local = NULL;
	GTlsDatabase *database;

	if (qmp_tls_count_certificates(path, error) == 0)
		return NULL;
	/* these anchors only: the system's CAs have no say over a QEMU monitor */
	database = g_tls_file_database_new(path, &error_local);
	if (database == NULL) {
		g_set_error(
		    error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "%s: %s", path, error_local->message);
		return NULL;
	}
	return database;
}

/* TRUE with *@certificate NULL when the directory holds no client pair */
static gboolean
qmp_tls_load_client(const gchar *dir, GTlsCertificate **certificate, GError **error)
{
	g_autofree gchar *cert_path = g_build_filename(dir, QMP_TLS_CLIENT_CERT_FILE, NULL);
	g_autofree gchar *key_path = g_build_filename(dir, QMP_TLS_CLIENT_KEY_FILE, NULL);
	gboolean has_cert = g_file_test(cert_path, G_FILE_TEST_EXISTS);
	gboolean has_key = g_file_test(key_path, G_FILE_TEST_EXISTS);
	g_autoptr(GError) error_local = NULL;

	*certificate = NULL;
	if (!has_cert && !has_key)
		return TRUE;
	if (has_cert != has_key) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "%s is missing: %s needs it (both or neither)",
			    has_cert ? key_path : cert_path,
			    has_cert ? cert_path : key_path);
		return FALSE;
	}
	if (qmp_tls_count_certificates(cert_path, error) == 0)
		return FALSE;
	*certificate = g_tls_certificate_new_from_files(cert_path, key_path, &error_local);
	if (*certificate == NULL) {
		/* the certificate parsed above, so the key is what failed */
		qmp_tls_propagate_error(error, g_steal_pointer(&error_local), key_path);
		return FALSE;
	}
	return TRUE;
}

gboolean
qmp_tls_load_creds_dir(const gchar *dir,
		       GTlsDatabase **database,
		       GTlsCertificate **certificate,
		       GError **error)
{
	g_autoptr(GTlsDatabase) database_local = NULL;
	g_autoptr(GTlsCertificate) certificate_local = NULL;
	g_autofree gchar *abs_dir = NULL;

	g_return_val_if_fail(dir != NULL, FALSE);
	g_return_val_if_fail(database != NULL, FALSE);
	g_return_val_if_fail(certificate != NULL, FALSE);

	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "%s is not a directory of TLS credentials",
			    dir);
		return FALSE;
	}
	/* GTlsFileDatabase wants an absolute path */
	abs_dir = g_canonicalize_filename(dir, NULL);
	database_local = qmp_tls_load_ca(abs_dir, error);
	if (database_local == NULL)
		return FALSE;
	if (!qmp_tls_load_client(abs_dir, &certificate_local, error))
		return FALSE;
	g_set_object(database, database_local);
	g_set_object(certificate, certificate_local);
	return TRUE;
}

GIOStream *
qmp_tls_client_new(GIOStream *base,
		   GSocketConnectable *identity,
		   GTlsDatabase *database,
		   GTlsCertificate *certificate,
		   GError **error)
{
	g_autoptr(GIOStream) conn = NULL;

	g_return_val_if_fail(G_IS_IO_STREAM(base), NULL);
	g_return_val_if_fail(G_IS_SOCKET_CONNECTABLE(identity), NULL);
	g_return_val_if_fail(G_IS_TLS_DATABASE(database), NULL);

	conn = g_tls_client_connection_new(base, identity, error);
	if (conn == NULL)
		return NULL;
	/* validation stays at its default (everything); no accept-certificate handler */
	g_tls_connection_set_database(G_TLS_CONNECTION(conn), database);
	if (certificate != NULL)
		g_tls_connection_set_certificate(G_TLS_CONNECTION(conn), certificate);
	/* QMP is framed by newlines: a cut message is caught without close_notify */
	g_tls_connection_set_require_close_notify(G_TLS_CONNECTION(conn), FALSE);
	return g_steal_pointer(&conn);
}

static void
qmp_tls_describe_flags(GString *why, GTlsCertificateFlags flags, const gchar *hostname)
{
	const struct {
		GTlsCertificateFlags flag;
		const gchar *text;
	} map[] = {
	    {G_TLS_CERTIFICATE_UNKNOWN_CA, "not signed by the CA in " QMP_TLS_CA_CERT_FILE},
	    {G_TLS_CERTIFICATE_NOT_ACTIVATED, "not valid yet"},
	    {G_TLS_CERTIFICATE_EXPIRED, "expired"},
	    {G_TLS_CERTIFICATE_REVOKED, "revoked"},
	    {G_TLS_CERTIFICATE_INSECURE, "using an insecure algorithm"},
	    {G_TLS_CERTIFICATE_GENERIC_ERROR, "not valid"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(map); i++) {
		if ((flags & map[i].flag) == 0)
			continue;
		g_string_append(why, why->len == 0 ? " (server certificate " : ", ");
		g_string_append(why, map[i].text);
	}
	if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY) {
		g_string_append(why, why->len == 0 ? " (server certificate " : ", ");
		g_string_append_printf(why, "not issued for '%s'", hostname != NULL ? hostname : "?");
	}
	if (why->len > 0)
		g_string_append_c(why, ')');
}

GError *
qmp_tls_handshake_error_new(GTlsConnection *conn, const GError *error, const gchar *address)
{
	g_autoptr(GString) why = g_string_new(NULL);
	GSocketConnectable *identity = NULL;
	const gchar *hostname = NULL;

	if (G_IS_TLS_CLIENT_CONNECTION(conn))
		identity = g_tls_client_connection_get_server_identity(G_TLS_CLIENT_CONNECTION(conn));
	if (G_IS_NETWORK_ADDRESS(identity))
		hostname = g_network_address_get_hostname(G_NETWORK_ADDRESS(identity));
	qmp_tls_describe_flags(why, g_tls_connection_get_peer_certificate_errors(conn), hostname);
	return g_error_new(QMP_ERROR,
			   QMP_ERROR_CONNECT,
			   "TLS handshake with '%s' failed: %s%s",
			   address,
			   error->message,
			   why->str);
}

gboolean
qmp_tls_needs_one_byte_records(guint major)
{
	/* fixed by "io/channel-tls: fix handling of bigger read buffers" (QEMU 8.0) */
	return major < 8;
}
