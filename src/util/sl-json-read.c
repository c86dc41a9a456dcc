/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-error.h"
#include "sl-json-read.h"

/* a document is small: a launch state with its certificate chain is a few KiB */
#define SL_JSON_READ_MAX_SIZE (1024 * 1024)

JsonNode *
sl_json_read_document(const gchar *text, gsize len, const gchar *what, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new_immutable();
	g_autoptr(GError) error_local = NULL;
	JsonNode *root;

	if (len > SL_JSON_READ_MAX_SIZE) {
		g_set_error(error, SL_ERROR, SL_ERROR_INVALID_DATA, "%s is larger than 1 MiB", what);
		return NULL;
	}
	if (!g_utf8_validate(text, (gssize)len, NULL)) {
		g_set_error(error, SL_ERROR, SL_ERROR_INVALID_DATA, "%s is not UTF-8 text", what);
		return NULL;
	}
	if (!json_parser_load_from_data(parser, text, (gssize)len, &error_local)) {
		g_set_error(
		    error, SL_ERROR, SL_ERROR_INVALID_DATA, "%s is not JSON: %s", what, error_local->message);
		return NULL;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error, SL_ERROR, SL_ERROR_INVALID_DATA, "%s is not a JSON object", what);
		return NULL;
	}
	return json_node_ref(root);
}

static void
sl_json_read_set_error(GError **error, const gchar *path, const gchar *name, const gchar *problem)
{
	g_set_error(error,
		    SL_ERROR,
		    SL_ERROR_INVALID_DATA,
		    "%s%s%s %s",
		    path != NULL ? path : "",
		    path != NULL ? "." : "",
		    name,
		    problem);
}

/* the member, or NULL when it is missing or null (an error unless @optional) */
static gboolean
sl_json_read_member(JsonObject *object,
		    const gchar *path,
		    const gchar *name,
		    gboolean optional,
		    JsonNode **out,
		    GError **error)
{
	JsonNode *node = object != NULL ? json_object_get_member(object, name) : NULL;

	*out = NULL;
	if (node == NULL || JSON_NODE_HOLDS_NULL(node)) {
		if (optional)
			return TRUE;
		sl_json_read_set_error(error, path, name, "is missing");
		return FALSE;
	}
	*out = node;
	return TRUE;
}

gboolean
sl_json_read_object(JsonObject *object,
		    const gchar *path,
		    const gchar *name,
		    gboolean optional,
		    JsonObject **out,
		    GError **error)
{
	JsonNode *node = NULL;

	*out = NULL;
	if (!sl_json_read_member(object, path, name, optional, &node, error))
		return FALSE;
	if (node == NULL)
		return TRUE;
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		sl_json_read_set_error(error, path, name, "is not an object");
		return FALSE;
	}
	*out = json_node_get_object(node);
	return TRUE;
}

gboolean
sl_json_read_string(JsonObject *object,
		    const gchar *path,
		    const gchar *name,
		    gboolean optional,
		    const gchar **out,
		    GError **error)
{
	JsonNode *node = NULL;

	*out = NULL;
	if (!sl_json_read_member(object, path, name, optional, &node, error))
		return FALSE;
	if (node == NULL)
		return TRUE;
	if (json_node_get_value_type(node) != G_TYPE_STRING) {
		sl_json_read_set_error(error, path, name, "is not a string");
		return FALSE;
	}
	*out = json_node_get_string(node);
	return TRUE;
}

gboolean
sl_json_read_int(JsonObject *object,
		 const gchar *path,
		 const gchar *name,
		 gboolean optional,
		 gint64 min,
		 gint64 max,
		 gint64 *out,
		 GError **error)
{
	JsonNode *node = NULL;
	gint64 value;

	if (!sl_json_read_member(object, path, name, optional, &node, error))
		return FALSE;
	if (node == NULL)
		return TRUE;
	if (json_node_get_value_type(node) != G_TYPE_INT64) {
		sl_json_read_set_error(error, path, name, "is not an integer");
		return FALSE;
	}
	value = json_node_get_int(node);
	if (value < min || value > max) {
		g_autofree gchar *problem =
		    g_strdup_printf("is %" G_GINT64_FORMAT ", not in %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT,
				    value,
				    min,
				    max);
		sl_json_read_set_error(error, path, name, problem);
		return FALSE;
	}
	*out = value;
	return TRUE;
}

gboolean
sl_json_read_bool(JsonObject *object, const gchar *path, const gchar *name, gboolean *out, GError **error)
{
	JsonNode *node = NULL;

	if (!sl_json_read_member(object, path, name, FALSE, &node, error))
		return FALSE;
	if (json_node_get_value_type(node) != G_TYPE_BOOLEAN) {
		sl_json_read_set_error(error, path, name, "is not a boolean");
		return FALSE;
	}
	*out = json_node_get_boolean(node);
	return TRUE;
}

gboolean
sl_json_read_hex(
    JsonObject *object, const gchar *path, const gchar *name, guint8 *out, gsize len, GError **error)
{
	const gchar *text = NULL;

	if (!sl_json_read_string(object, path, name, FALSE, &text, error))
		return FALSE;
	if (strlen(text) != len * 2) {
		g_autofree gchar *problem = g_strdup_printf("is not %" G_GSIZE_FORMAT " bytes of hex", len);
		sl_json_read_set_error(error, path, name, problem);
		return FALSE;
	}
	for (gsize i = 0; i < len; i++) {
		gint hi = g_ascii_xdigit_value(text[2 * i]);
		gint lo = g_ascii_xdigit_value(text[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			sl_json_read_set_error(error, path, name, "is not hex");
			return FALSE;
		}
		out[i] = (guint8)(hi << 4 | lo);
	}
	return TRUE;
}
