/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "qmp"

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <string.h>
#include <sys/un.h>

#include "qmp-address.h"

static GSocketConnectable *
qmp_address_parse_unix(const gchar *path, GError **error)
{
	gsize len = strlen(path);

	if (len == 0) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "empty socket path");
		return NULL;
	}
	/* the kernel needs room for the terminating NUL in sun_path */
	if (len >= sizeof(((struct sockaddr_un *)NULL)->sun_path)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "socket path is longer than %u bytes",
			    (guint)sizeof(((struct sockaddr_un *)NULL)->sun_path) - 1);
		return NULL;
	}
	return G_SOCKET_CONNECTABLE(g_unix_socket_address_new(path));
}

static gboolean
qmp_address_host_is_valid(const gchar *host)
{
	if (host[0] == '\0')
		return FALSE;
	for (const gchar *p = host; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && *p != '.' && *p != '-' && *p != '_')
			return FALSE;
	}
	return TRUE;
}

static GSocketConnectable *
qmp_address_parse_tcp(const gchar *hostport, GError **error)
{
	g_autofree gchar *host = NULL;
	const gchar *port_str;
	guint64 port = 0;

	if (hostport[0] == '[') {
		const gchar *end = strchr(hostport, ']');
		if (end == NULL || end[1] != ':') {
			g_set_error_literal(
			    error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "expected tcp:[V6ADDR]:PORT");
			return NULL;
		}
		host = g_strndup(hostport + 1, end - hostport - 1);
		port_str = end + 2;
		if (strchr(host, ':') == NULL || !g_hostname_is_ip_address(host)) {
			g_set_error_literal(error,
					    G_IO_ERROR,
					    G_IO_ERROR_INVALID_ARGUMENT,
					    "not an IPv6 address between brackets");
			return NULL;
		}
	} else {
		const gchar *colon = strchr(hostport, ':');
		if (colon == NULL || strchr(colon + 1, ':') != NULL) {
			g_set_error_literal(error,
					    G_IO_ERROR,
					    G_IO_ERROR_INVALID_ARGUMENT,
					    "expected tcp:HOST:PORT (IPv6 addresses go in brackets)");
			return NULL;
		}
		host = g_strndup(hostport, colon - hostport);
		port_str = colon + 1;
		if (!qmp_address_host_is_valid(host)) {
			g_set_error_literal(
			    error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "invalid host name");
			return NULL;
		}
	}
	if (!g_ascii_string_to_unsigned(port_str, 10, 1, 65535, &port, NULL)) {
		g_set_error_literal(
		    error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "port must be a number from 1 to 65535");
		return NULL;
	}
	return g_network_address_new(host, (guint16)port);
}

GSocketConnectable *
qmp_address_parse(const gchar *address, GError **error)
{
	GSocketConnectable *connectable = NULL;
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(address != NULL, NULL);

	if (g_str_has_prefix(address, "unix:")) {
		connectable = qmp_address_parse_unix(address + strlen("unix:"), &error_local);
	} else if (g_str_has_prefix(address, "tcp:")) {
		connectable = qmp_address_parse_tcp(address + strlen("tcp:"), &error_local);
	} else if (strchr(address, '/') != NULL || strchr(address, ':') == NULL) {
		connectable = qmp_address_parse_unix(address, &error_local);
	} else {
		g_set_error_literal(&error_local,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_ARGUMENT,
				    "expected unix:PATH, a path, or tcp:HOST:PORT");
	}
	if (connectable == NULL) {
		g_propagate_prefixed_error(
		    error, g_steal_pointer(&error_local), "invalid QMP address '%s': ", address);
		return NULL;
	}
	return connectable;
}
