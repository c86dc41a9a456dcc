/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "qmp"

#include "config.h"

#include <string.h>

#include "qmp-error.h"
#include "qmp-json.h"
#include "qmp-message.h"

static JsonNode *
qmp_message_build(const gchar *command, JsonObject *arguments, const gchar *redacted, const gchar *id)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "execute");
	json_builder_add_string_value(builder, command);
	if (arguments != NULL) {
		json_builder_set_member_name(builder, "arguments");
		if (redacted != NULL) {
			json_builder_add_string_value(builder, redacted);
		} else {
			JsonNode *node = json_node_new(JSON_NODE_OBJECT);
			json_node_set_object(node, arguments);
			json_builder_add_value(builder, node);
		}
	}
	if (id != NULL) {
		json_builder_set_member_name(builder, "id");
		json_builder_add_string_value(builder, id);
	}
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

JsonNode *
qmp_message_new_command(const gchar *command, JsonObject *arguments, const gchar *id)
{
	g_return_val_if_fail(command != NULL, NULL);
	return qmp_message_build(command, arguments, NULL, id);
}

gchar *
qmp_message_command_to_log_string(const gchar *command, JsonObject *arguments, const gchar *id)
{
	g_autofree gchar *lower = NULL;
	g_autoptr(JsonNode) node = NULL;

	g_return_val_if_fail(command != NULL, NULL);

	/* secrets never reach the log, whatever the exact command name */
	lower = g_ascii_strdown(command, -1);
	if (strstr(lower, "secret") != NULL)
		node = qmp_message_build(command, arguments, "<redacted>", id);
	else
		node = qmp_message_build(command, arguments, NULL, id);
	return json_to_string(node, FALSE);
}

gboolean
qmp_message_classify(JsonObject *msg, QmpMessageKind *kind, GError **error)
{
	if (json_object_has_member(msg, "QMP"))
		*kind = QMP_MESSAGE_KIND_GREETING;
	else if (json_object_has_member(msg, "event"))
		*kind = QMP_MESSAGE_KIND_EVENT;
	else if (json_object_has_member(msg, "return"))
		*kind = QMP_MESSAGE_KIND_RETURN;
	else if (json_object_has_member(msg, "error"))
		*kind = QMP_MESSAGE_KIND_ERROR;
	else {
		g_set_error_literal(error,
				    QMP_ERROR,
				    QMP_ERROR_PROTOCOL,
				    "message is neither a greeting, an event nor a reply");
		return FALSE;
	}
	return TRUE;
}

const gchar *
qmp_message_get_id(JsonObject *msg)
{
	const gchar *id = NULL;

	/* any other id is not one of ours: the caller treats it as unknown */
	if (!qmp_json_get_string(msg, "id", &id, NULL))
		return NULL;
	return id;
}

static gboolean
qmp_message_get_version_part(JsonObject *qemu, const gchar *member, guint *out, GError **error)
{
	gint64 value = 0;

	if (!qmp_json_get_int(qemu, member, &value, error))
		return FALSE;
	if (value < 0 || value > G_MAXUINT) {
		g_set_error(error, QMP_ERROR, QMP_ERROR_PROTOCOL, "member '%s' is out of range", member);
		return FALSE;
	}
	*out = (guint)value;
	return TRUE;
}

gboolean
qmp_message_parse_greeting(JsonObject *msg, guint *major, guint *minor, guint *micro, GError **error)
{
	JsonObject *qmp = NULL;
	JsonObject *version = NULL;
	JsonObject *qemu = NULL;
	guint parts[3] = {0};

	if (!qmp_json_get_object(msg, "QMP", &qmp, error) ||
	    !qmp_json_get_object(qmp, "version", &version, error) ||
	    !qmp_json_get_object(version, "qemu", &qemu, error) ||
	    !qmp_message_get_version_part(qemu, "major", &parts[0], error) ||
	    !qmp_message_get_version_part(qemu, "minor", &parts[1], error) ||
	    !qmp_message_get_version_part(qemu, "micro", &parts[2], error) ||
	    !qmp_json_get_array(qmp, "capabilities", NULL, error)) {
		g_prefix_error(error, "invalid QMP greeting: ");
		return FALSE;
	}
	*major = parts[0];
	*minor = parts[1];
	*micro = parts[2];
	return TRUE;
}

static gboolean
qmp_message_parse_timestamp(JsonObject *msg, gint64 *timestamp_us, GError **error)
{
	JsonObject *ts = NULL;
	gint64 secs = 0;
	gint64 usecs = 0;

	if (!qmp_json_has_member(msg, "timestamp")) {
		*timestamp_us = -1;
		return TRUE;
	}
	if (!qmp_json_get_object(msg, "timestamp", &ts, error) ||
	    !qmp_json_get_int(ts, "seconds", &secs, error) ||
	    !qmp_json_get_int(ts, "microseconds", &usecs, error))
		return FALSE;
	/* QEMU sends -1 for both when it has no clock */
	if (secs == -1 && usecs == -1) {
		*timestamp_us = -1;
		return TRUE;
	}
	if (secs < 0 || secs > G_MAXINT64 / G_USEC_PER_SEC - 1 || usecs < 0 || usecs >= G_USEC_PER_SEC) {
		g_set_error_literal(
		    error, QMP_ERROR, QMP_ERROR_PROTOCOL, "member 'timestamp' is out of range");
		return FALSE;
	}
	*timestamp_us = secs * G_USEC_PER_SEC + usecs;
	return TRUE;
}

gboolean
qmp_message_parse_event(
    JsonObject *msg, const gchar **name, JsonObject **data, gint64 *timestamp_us, GError **error)
{
	const gchar *name_tmp = NULL;
	JsonObject *data_tmp = NULL;
	gint64 ts = -1;

	if (!qmp_json_get_string(msg, "event", &name_tmp, error) ||
	    (qmp_json_has_member(msg, "data") && !qmp_json_get_object(msg, "data", &data_tmp, error)) ||
	    !qmp_message_parse_timestamp(msg, &ts, error)) {
		g_prefix_error(error, "invalid QMP event: ");
		return FALSE;
	}
	*name = name_tmp;
	*data = data_tmp;
	*timestamp_us = ts;
	return TRUE;
}

GError *
qmp_message_parse_error_reply(JsonObject *msg)
{
	JsonObject *err = NULL;
	const gchar *error_class = NULL;
	const gchar *desc = NULL;
	GError *error = NULL;
	QmpError code;

	if (!qmp_json_get_object(msg, "error", &err, &error) ||
	    !qmp_json_get_string(err, "class", &error_class, &error) ||
	    !qmp_json_get_string(err, "desc", &desc, &error)) {
		g_prefix_error(&error, "invalid QMP error reply: ");
		return error;
	}
	code = qmp_error_code_from_class(error_class);
	if (code == QMP_ERROR_OTHER_CLASS)
		return g_error_new(QMP_ERROR, code, "%s: %s", error_class, desc);
	return g_error_new_literal(QMP_ERROR, code, desc);
}
