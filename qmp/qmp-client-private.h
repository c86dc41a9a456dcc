/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "qmp-client.h"
#include "qmp-stream.h"

/* shared between qmp-client.c (commands, routing) and qmp-client-handshake.c (handshake) */

typedef enum {
	QMP_CLIENT_STATE_NEW,
	QMP_CLIENT_STATE_CONNECTING,  /* socket */
	QMP_CLIENT_STATE_TLS,         /* TLS handshake */
	QMP_CLIENT_STATE_GREETING,    /* waiting for {"QMP": ...} */
	QMP_CLIENT_STATE_NEGOTIATING, /* qmp_capabilities sent */
	QMP_CLIENT_STATE_READY,
	QMP_CLIENT_STATE_CLOSED,
} QmpClientState;

struct _QmpClient {
	GObject parent_instance;
	QmpClientState state;
	QmpStream *stream;
	GCancellable *cancellable; /* cancelled when the session ends */
	guint command_timeout_ms;
	gchar *id_prefix;
	guint64 next_id;
	GHashTable *pending; /* id -> QmpPending */
	GTask *connect_task;
	GSource *greeting_timeout_source;
	GSource *connect_cancel_source;
	GError *error; /* sticky: set once the session has ended */
	gboolean has_version;
	guint version[3];
	GTlsDatabase *tls_database; /* set: TLS, trusting only this */
	GTlsCertificate *tls_certificate;
	gchar *tls_hostname;              /* NULL: the host of the address */
	GSocketConnectable *tls_identity; /* what the server certificate must match */
	gchar *address;                   /* for messages */
	GIOStream *tls_handshaking;       /* the socket under a handshake in progress */
};

/* ends the session: every pending and later call fails with @error (taken) */
void
qmp_client_fail(QmpClient *self, GError *error);
/* sends @command; @task gets the reply, an error reply or the session's end */
void
qmp_client_send_command(QmpClient *self, const gchar *command, JsonObject *arguments, GTask *task);
void
qmp_client_clear_source(GSource **source);
void
qmp_client_handle_greeting(QmpClient *self, JsonObject *msg);
void
qmp_client_message_cb(QmpStream *stream, JsonNode *message, gpointer user_data);
void
qmp_client_stream_error_cb(QmpStream *stream, const GError *error, gpointer user_data);
void
qmp_client_abort_handshake(QmpClient *self);
