/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <string.h>

#include "qmp-address.h"

static void
assert_unix(const gchar *address, const gchar *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocketConnectable) conn = qmp_address_parse(address, &error);

	g_assert_no_error(error);
	g_assert_true(G_IS_UNIX_SOCKET_ADDRESS(conn));
	g_assert_cmpstr(g_unix_socket_address_get_path(G_UNIX_SOCKET_ADDRESS(conn)), ==, path);
}

static void
assert_tcp(const gchar *address, const gchar *host, guint16 port)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocketConnectable) conn = qmp_address_parse(address, &error);

	g_assert_no_error(error);
	g_assert_true(G_IS_NETWORK_ADDRESS(conn));
	g_assert_cmpstr(g_network_address_get_hostname(G_NETWORK_ADDRESS(conn)), ==, host);
	g_assert_cmpuint(g_network_address_get_port(G_NETWORK_ADDRESS(conn)), ==, port);
}

static void
assert_bad(const gchar *address)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocketConnectable) conn = qmp_address_parse(address, &error);

	g_assert_null(conn);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
	/* the user sees which address was wrong */
	g_assert_nonnull(strstr(error->message, address));
}

static void
test_unix(void)
{
	assert_unix("unix:/run/qemu/vm0.qmp", "/run/qemu/vm0.qmp");
	assert_unix("unix:relative.sock", "relative.sock");
	/* a colon after unix: is part of the path */
	assert_unix("unix:/tmp/a:b", "/tmp/a:b");
}

static void
test_bare_path(void)
{
	assert_unix("/run/qemu/vm0.qmp", "/run/qemu/vm0.qmp");
	assert_unix("qmp.sock", "qmp.sock");
	/* contains '/': a path even with a colon */
	assert_unix("./vm:0.sock", "./vm:0.sock");
}

static void
test_tcp(void)
{
	assert_tcp("tcp:localhost:4444", "localhost", 4444);
	assert_tcp("tcp:127.0.0.1:1", "127.0.0.1", 1);
	assert_tcp("tcp:qemu-host.example:65535", "qemu-host.example", 65535);
	assert_tcp("tcp:[::1]:4444", "::1", 4444);
	assert_tcp("tcp:[fe80::1:2]:80", "fe80::1:2", 80);
}

static void
test_bad(void)
{
	g_autofree gchar *long_path = NULL;
	g_autofree gchar *max_path = NULL;
	g_autofree gchar *filler = g_strnfill(107, 'a');
	const gchar *bad[] = {
	    "",                /* nothing */
	    "unix:",           /* empty path */
	    "tcp:",            /* no host, no port */
	    "tcp:host",        /* no port */
	    "tcp::4444",       /* empty host */
	    "tcp:host:",       /* empty port */
	    "tcp:host:0",      /* port out of range */
	    "tcp:host:65536",  /* port out of range */
	    "tcp:host:-1",     /* sign */
	    "tcp:host:+80",    /* sign */
	    "tcp:host:80x",    /* trailing junk */
	    "tcp:host: 80",    /* space */
	    "tcp:ho st:80",    /* space in host */
	    "tcp:::1:4444",    /* IPv6 without brackets */
	    "tcp:[::1]",       /* no port */
	    "tcp:[::1]4444",   /* no colon */
	    "tcp:[::1:4444",   /* no closing bracket */
	    "tcp:[]:4444",     /* empty address */
	    "tcp:[host]:4444", /* not an IPv6 address */
	    "tcp:[127.0.0.1]:4444",
	    "foo:bar", /* unknown scheme */
	    "vsock:3:4444",
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
		assert_bad(bad[i]);

	/* sun_path holds 108 bytes including the NUL */
	long_path = g_strdup_printf("/%s", filler);
	assert_bad(long_path);
	max_path = g_strndup(long_path, 107);
	assert_unix(max_path, max_path);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/qmp-address/unix", test_unix);
	g_test_add_func("/qmp-address/bare-path", test_bare_path);
	g_test_add_func("/qmp-address/tcp", test_tcp);
	g_test_add_func("/qmp-address/bad", test_bad);
	return g_test_run();
}
