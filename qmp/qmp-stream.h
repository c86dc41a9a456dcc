/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "qmp-stream-syntax.h"

G_BEGIN_DECLS

/* hard cap on one message, checked while buffering and before parsing */
#define QMP_STREAM_MAX_MESSAGE_SIZE (16 * 1024 * 1024)

#define QMP_TYPE_STREAM (qmp_stream_get_type())
G_DECLARE_FINAL_TYPE(QmpStream, qmp_stream, QMP, STREAM, GObject)

/* @message is an object node, owned by the stream for the call */
typedef void (*QmpStreamMessageFunc)(QmpStream *stream, JsonNode *message, gpointer user_data);
/* called once, after which the stream neither reads nor writes */
typedef void (*QmpStreamErrorFunc)(QmpStream *stream, const GError *error, gpointer user_data);

/*
 * frames newline-terminated JSON messages on @iostream; errors are
 * QMP_ERROR_PROTOCOL (oversize, malformed) or QMP_ERROR_CLOSED (EOF, I/O)
 */
QmpStream *
qmp_stream_new(GIOStream *iostream);
void
qmp_stream_set_max_message_size(QmpStream *self, gsize max_size);
/*
 * at most @max_write bytes per write call, so per TLS record; 0 (the
 * default) writes a whole message at once
 */
void
qmp_stream_set_max_write_size(QmpStream *self, gsize max_write);
/* starts reading; no callback is called after qmp_stream_close() */
void
qmp_stream_start(QmpStream *self,
		 QmpStreamMessageFunc message_cb,
		 QmpStreamErrorFunc error_cb,
		 gpointer user_data);
/* queues one message; writes go out in order */
void
qmp_stream_send(QmpStream *self, JsonNode *message);
/* idempotent; the GIOStream is closed once no operation is outstanding */
void
qmp_stream_close(QmpStream *self);

G_END_DECLS
