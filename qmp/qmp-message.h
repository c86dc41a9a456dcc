/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* what a message from the server is, decided by its members */
typedef enum {
	QMP_MESSAGE_KIND_GREETING, /* "QMP" */
	QMP_MESSAGE_KIND_EVENT,    /* "event" */
	QMP_MESSAGE_KIND_RETURN,   /* "return" */
	QMP_MESSAGE_KIND_ERROR,    /* "error" */
} QmpMessageKind;

/* {"execute": @command, "arguments": @arguments, "id": @id}; @arguments may be NULL */
JsonNode *
qmp_message_new_command(const gchar *command, JsonObject *arguments, const gchar *id);
/* the command as text for debug logs, arguments redacted when the name has "secret" */
gchar *
qmp_message_command_to_log_string(const gchar *command, JsonObject *arguments, const gchar *id);
gboolean
qmp_message_classify(JsonObject *msg, QmpMessageKind *kind, GError **error);
/* "id" when it is a string, NULL otherwise */
const gchar *
qmp_message_get_id(JsonObject *msg);
gboolean
qmp_message_parse_greeting(JsonObject *msg, guint *major, guint *minor, guint *micro, GError **error);
/* @data is borrowed and NULL when absent; @timestamp_us is -1 when absent */
gboolean
qmp_message_parse_event(
    JsonObject *msg, const gchar **name, JsonObject **data, gint64 *timestamp_us, GError **error);
/* the error an error reply carries, or a QMP_ERROR_PROTOCOL if it is malformed */
GError *
qmp_message_parse_error_reply(JsonObject *msg);

G_END_DECLS
