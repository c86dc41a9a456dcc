/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "qmp"

#include "config.h"

#include "qmp-error.h"
#include "qmp-json.h"

const gchar *
qmp_json_node_describe(JsonNode *node)
{
	GType value_type;

	if (node == NULL)
		return "missing";
	switch (json_node_get_node_type(node)) {
	case JSON_NODE_OBJECT:
		return "an object";
	case JSON_NODE_ARRAY:
		return "an array";
	case JSON_NODE_NULL:
		return "null";
	case JSON_NODE_VALUE:
		break;
	default:
		return "unknown";
	}
	value_type = json_node_get_value_type(node);
	if (value_type == G_TYPE_STRING)
		return "a string";
	if (value_type == G_TYPE_INT64)
		return "an integer";
	if (value_type == G_TYPE_DOUBLE)
		return "a number";
	if (value_type == G_TYPE_BOOLEAN)
		return "a boolean";
	return "unknown";
}

/* the member's node if it has the wanted node type and, for values, value type */
static JsonNode *
qmp_json_get_typed_member(JsonObject *obj,
			  const gchar *member,
			  JsonNodeType node_type,
			  GType value_type,
			  const gchar *expected,
			  GError **error)
{
	JsonNode *node;

	if (obj == NULL) {
		g_set_error(
		    error, QMP_ERROR, QMP_ERROR_PROTOCOL, "no object to read member '%s' from", member);
		return NULL;
	}
	node = json_object_get_member(obj, member);
	if (node == NULL) {
		g_set_error(error,
			    QMP_ERROR,
			    QMP_ERROR_PROTOCOL,
			    "member '%s' is missing, expected %s",
			    member,
			    expected);
		return NULL;
	}
	if (json_node_get_node_type(node) != node_type ||
	    (node_type == JSON_NODE_VALUE && json_node_get_value_type(node) != value_type)) {
		g_set_error(error,
			    QMP_ERROR,
			    QMP_ERROR_PROTOCOL,
			    "member '%s' is %s, expected %s",
			    member,
			    qmp_json_node_describe(node),
			    expected);
		return NULL;
	}
	return node;
}

gboolean
qmp_json_get_object(JsonObject *obj, const gchar *member, JsonObject **out, GError **error)
{
	JsonNode *node =
	    qmp_json_get_typed_member(obj, member, JSON_NODE_OBJECT, G_TYPE_INVALID, "an object", error);
	if (node == NULL)
		return FALSE;
	if (out != NULL)
		*out = json_node_get_object(node);
	return TRUE;
}

gboolean
qmp_json_get_string(JsonObject *obj, const gchar *member, const gchar **out, GError **error)
{
	JsonNode *node =
	    qmp_json_get_typed_member(obj, member, JSON_NODE_VALUE, G_TYPE_STRING, "a string", error);
	if (node == NULL)
		return FALSE;
	if (out != NULL)
		*out = json_node_get_string(node);
	return TRUE;
}

gboolean
qmp_json_get_int(JsonObject *obj, const gchar *member, gint64 *out, GError **error)
{
	JsonNode *node =
	    qmp_json_get_typed_member(obj, member, JSON_NODE_VALUE, G_TYPE_INT64, "an integer", error);
	if (node == NULL)
		return FALSE;
	if (out != NULL)
		*out = json_node_get_int(node);
	return TRUE;
}

gboolean
qmp_json_get_bool(JsonObject *obj, const gchar *member, gboolean *out, GError **error)
{
	JsonNode *node =
	    qmp_json_get_typed_member(obj, member, JSON_NODE_VALUE, G_TYPE_BOOLEAN, "a boolean", error);
	if (node == NULL)
		return FALSE;
	if (out != NULL)
		*out = json_node_get_boolean(node);
	return TRUE;
}

gboolean
qmp_json_get_array(JsonObject *obj, const gchar *member, JsonArray **out, GError **error)
{
	JsonNode *node =
	    qmp_json_get_typed_member(obj, member, JSON_NODE_ARRAY, G_TYPE_INVALID, "an array", error);
	if (node == NULL)
		return FALSE;
	if (out != NULL)
		*out = json_node_get_array(node);
	return TRUE;
}

gboolean
qmp_json_has_member(JsonObject *obj, const gchar *member)
{
	if (obj == NULL || member == NULL)
		return FALSE;
	return json_object_has_member(obj, member);
}

JsonObject *
qmp_json_node_get_object(JsonNode *node, const gchar *what, GError **error)
{
	if (node == NULL || json_node_get_node_type(node) != JSON_NODE_OBJECT) {
		g_set_error(error,
			    QMP_ERROR,
			    QMP_ERROR_PROTOCOL,
			    "%s is %s, expected an object",
			    what != NULL ? what : "value",
			    qmp_json_node_describe(node));
		return NULL;
	}
	return json_node_get_object(node);
}
