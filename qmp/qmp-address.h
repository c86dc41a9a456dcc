/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * "unix:PATH", a bare path (contains '/' or no ':'), "tcp:HOST:PORT" or
 * "tcp:[V6ADDR]:PORT"; bad syntax is G_IO_ERROR_INVALID_ARGUMENT with the
 * address in the message; a tcp address is a GNetworkAddress (host and
 * port), a unix one a GUnixSocketAddress
 */
GSocketConnectable *
qmp_address_parse(const gchar *address, GError **error);

G_END_DECLS
