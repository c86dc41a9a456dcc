/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "qmp-error.h"

G_BEGIN_DECLS

#define QMP_TYPE_CLIENT (qmp_client_get_type())
G_DECLARE_FINAL_TYPE(QmpClient, qmp_client, QMP, CLIENT, GObject)

/* default for qmp_client_set_command_timeout() */
#define QMP_CLIENT_DEFAULT_COMMAND_TIMEOUT_MS 30000
/* default of the "id-prefix" property */
#define QMP_CLIENT_DEFAULT_ID_PREFIX "__qmp#"

/*
 * a QMP session: greeting, qmp_capabilities, then commands matched to replies
 * by id (the "id-prefix" property, then a counter); after EOF, a timeout, an I/O or a protocol error every
 * pending and later call fails at once with that same error
 *
 * signals:
 *   "event" (detailed by the event name):
 *     (QmpClient *, const gchar *name, JsonObject *data or NULL, gint64 timestamp_us or -1)
 *   "closed": (QmpClient *, const GError *error), once, when the session ends
 *     for any reason; @error is never NULL (QMP_ERROR_CLOSED after close())
 */
QmpClient *
qmp_client_new(void);
/*
 * every command id is @prefix followed by a counter, so that a log of the
 * monitor shows who sent what; only before connecting
 */
void
qmp_client_set_id_prefix(QmpClient *self, const gchar *prefix);
const gchar *
qmp_client_get_id_prefix(QmpClient *self);
/* per command and for the greeting; default 30000; 0 = none */
void
qmp_client_set_command_timeout(QmpClient *self, guint timeout_ms);
/*
 * connects, reads the greeting, negotiates qmp_capabilities; @wait_ms > 0:
 * retries (every 100 ms) while the socket does not exist or refuses, until
 * @wait_ms has passed
 */
void
qmp_client_connect_async(QmpClient *self,
			 const gchar *address,
			 guint wait_ms,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data);
gboolean
qmp_client_connect_finish(QmpClient *self, GAsyncResult *result, GError **error);
/*
 * TLS from QEMU's x509 credential directory (see qmp-tls.h): @dir/ca-cert.pem
 * (required) is the only trust anchor, @dir/client-cert.pem and
 * @dir/client-key.pem (optional, both or neither) identify us; the server
 * certificate must chain to the CA and match the host name. Only before
 * connecting, and only for tcp: addresses (others fail the connect with
 * G_IO_ERROR_INVALID_ARGUMENT). A failed handshake or refused certificate is
 * QMP_ERROR_CONNECT. On error (the message names the file) nothing changes.
 */
gboolean
qmp_client_set_tls_creds_dir(QmpClient *self, const gchar *dir, GError **error);
/* the name the server certificate must match; default: the HOST of the tcp address */
void
qmp_client_set_tls_hostname(QmpClient *self, const gchar *name);
/* like connect_async but over an already-connected stream (never with TLS) */
void
qmp_client_connect_stream_async(QmpClient *self,
				GIOStream *stream,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
/* from the greeting: QMP.version.qemu; FALSE before the greeting */
gboolean
qmp_client_get_qemu_version(QmpClient *self, guint *major, guint *minor, guint *micro);
/*
 * @arguments may be NULL; a ref is taken; cancelling fails only this call
 * (G_IO_ERROR_CANCELLED) and its late reply is dropped
 */
void
qmp_client_execute_async(QmpClient *self,
			 const gchar *command,
			 JsonObject *arguments,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data);
/* the "return" member (new ref), or NULL + error */
JsonNode *
qmp_client_execute_finish(QmpClient *self, GAsyncResult *result, GError **error);
/* idempotent; pending calls fail with QMP_ERROR_CLOSED */
void
qmp_client_close(QmpClient *self);

G_END_DECLS
