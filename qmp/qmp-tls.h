/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* QEMU's tls-creds-x509 directory layout, client side (docs/system/tls.rst) */
#define QMP_TLS_CA_CERT_FILE "ca-cert.pem"
#define QMP_TLS_CLIENT_CERT_FILE "client-cert.pem"
#define QMP_TLS_CLIENT_KEY_FILE "client-key.pem"

/*
 * loads @dir/ca-cert.pem (required) as the only trust anchors and
 * @dir/client-cert.pem + @dir/client-key.pem (optional, but both or neither);
 * *@certificate is NULL without a client pair; outputs are set only on
 * success; errors name the file: G_FILE_ERROR (unreadable),
 * G_TLS_ERROR_BAD_CERTIFICATE (no certificate or key in it) or
 * G_IO_ERROR_INVALID_ARGUMENT (half a pair, not a directory)
 */
gboolean
qmp_tls_load_creds_dir(const gchar *dir,
		       GTlsDatabase **database,
		       GTlsCertificate **certificate,
		       GError **error);

/*
 * a client connection on @base that trusts @database only and checks the
 * server certificate against @identity; @certificate may be NULL
 */
GIOStream *
qmp_tls_client_new(GIOStream *base,
		   GSocketConnectable *identity,
		   GTlsDatabase *database,
		   GTlsCertificate *certificate,
		   GError **error);

/* QMP_ERROR_CONNECT with GIO's reason and, for a refused certificate, why */
GError *
qmp_tls_handshake_error_new(GTlsConnection *conn, const GError *error, const gchar *address);

/*
 * QEMU before 8.0 reads a TLS monitor one byte per wakeup and misses what
 * GnuTLS already decrypted, so it stalls on a record of more than one byte
 */
gboolean
qmp_tls_needs_one_byte_records(guint major);

G_END_DECLS
