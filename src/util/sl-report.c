/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sl-error.h"
#include "sl-report.h"

struct _SlReport {
	gchar *command;
	JsonNode *root;
	GPtrArray *open;       /* containers being built, innermost last; borrowed from root */
	GHashTable *hex_nodes; /* numbers the text shows in hex; borrowed from root */
};

SlReport *
sl_report_new(const gchar *command)
{
	SlReport *self = g_new0(SlReport, 1);
	self->command = g_strdup(command);
	/* take_: json_node_init_object() would add a reference, and the tree would leak */
	self->root = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(self->root, json_object_new());
	self->open = g_ptr_array_new();
	self->hex_nodes = g_hash_table_new(NULL, NULL);
	g_ptr_array_add(self->open, self->root);
	sl_report_add_int(self, "schema_version", SL_REPORT_SCHEMA_VERSION);
	sl_report_add_string(self, "command", command);
	return self;
}

void
sl_report_free(SlReport *self)
{
	if (self == NULL)
		return;
	g_hash_table_unref(self->hex_nodes);
	g_ptr_array_unref(self->open);
	json_node_unref(self->root);
	g_free(self->command);
	g_free(self);
}

const gchar *
sl_report_get_command(const SlReport *self)
{
	return self->command;
}

JsonNode *
sl_report_get_root(const SlReport *self)
{
	return self->root;
}

static JsonNode *
sl_report_current(const SlReport *self)
{
	return g_ptr_array_index(self->open, self->open->len - 1);
}

/* "expected measurement" and "sev-es" are member names expected_measurement and sev_es */
static gchar *
sl_report_member_name(const gchar *key)
{
	return g_strdelimit(g_strdup(key), " -", '_');
}

/* takes @node; a key inside an array or none inside an object is a programming error */
static void
sl_report_add_node(SlReport *self, const gchar *key, JsonNode *node)
{
	JsonNode *container = sl_report_current(self);

	if (JSON_NODE_HOLDS_ARRAY(container)) {
		g_return_if_fail(key == NULL);
		json_array_add_element(json_node_get_array(container), node);
		return;
	}
	if (key == NULL) {
		g_critical("a report member needs a name");
		json_node_unref(node);
		return;
	}
	{
		g_autofree gchar *name = sl_report_member_name(key);
		json_object_set_member(json_node_get_object(container), name, node);
	}
}

void
sl_report_add_string(SlReport *self, const gchar *key, const gchar *value)
{
	g_autofree gchar *valid = NULL;

	if (value == NULL) {
		sl_report_add_null(self, key);
		return;
	}
	/* a peer's bytes must not make the JSON invalid */
	valid = g_utf8_make_valid(value, -1);
	sl_report_add_node(self, key, json_node_init_string(json_node_alloc(), valid));
}

void
sl_report_add_int(SlReport *self, const gchar *key, gint64 value)
{
	sl_report_add_node(self, key, json_node_init_int(json_node_alloc(), value));
}

void
sl_report_add_uint(SlReport *self, const gchar *key, guint64 value)
{
	g_return_if_fail(value <= G_MAXINT64);
	sl_report_add_int(self, key, (gint64)value);
}

void
sl_report_add_uint_hex(SlReport *self, const gchar *key, guint64 value)
{
	JsonNode *node;

	g_return_if_fail(value <= G_MAXINT64);
	node = json_node_init_int(json_node_alloc(), (gint64)value);
	g_hash_table_add(self->hex_nodes, node);
	sl_report_add_node(self, key, node);
}

void
sl_report_add_bool(SlReport *self, const gchar *key, gboolean value)
{
	sl_report_add_node(self, key, json_node_init_boolean(json_node_alloc(), value));
}

void
sl_report_add_hex(SlReport *self, const gchar *key, const guint8 *data, gsize len)
{
	GString *hex = g_string_sized_new(len * 2 + 1);
	for (gsize i = 0; i < len; i++)
		g_string_append_printf(hex, "%02x", data[i]);
	sl_report_add_node(self, key, json_node_init_string(json_node_alloc(), hex->str));
	g_string_free(hex, TRUE);
}

void
sl_report_add_base64(SlReport *self, const gchar *key, const guint8 *data, gsize len)
{
	g_autofree gchar *text = g_base64_encode(data, len);
	sl_report_add_node(self, key, json_node_init_string(json_node_alloc(), text));
}

void
sl_report_add_null(SlReport *self, const gchar *key)
{
	sl_report_add_node(self, key, json_node_init_null(json_node_alloc()));
}

void
sl_report_begin_object(SlReport *self, const gchar *key)
{
	JsonNode *container = sl_report_current(self);
	JsonNode *node;

	/* an object member that exists is continued, not replaced */
	if (key != NULL && JSON_NODE_HOLDS_OBJECT(container)) {
		g_autofree gchar *name = sl_report_member_name(key);
		JsonNode *existing = json_object_get_member(json_node_get_object(container), name);
		if (existing != NULL && JSON_NODE_HOLDS_OBJECT(existing)) {
			g_ptr_array_add(self->open, existing);
			return;
		}
	}
	node = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(node, json_object_new());
	sl_report_add_node(self, key, node);
	g_ptr_array_add(self->open, node);
}

void
sl_report_begin_array(SlReport *self, const gchar *key)
{
	JsonNode *node = json_node_new(JSON_NODE_ARRAY);

	json_node_take_array(node, json_array_new());
	sl_report_add_node(self, key, node);
	g_ptr_array_add(self->open, node);
}

static void
sl_report_end(SlReport *self, JsonNodeType type)
{
	g_return_if_fail(self->open->len > 1);
	g_return_if_fail(JSON_NODE_TYPE(sl_report_current(self)) == type);
	g_ptr_array_remove_index(self->open, self->open->len - 1);
}

void
sl_report_end_object(SlReport *self)
{
	sl_report_end(self, JSON_NODE_OBJECT);
}

void
sl_report_end_array(SlReport *self)
{
	sl_report_end(self, JSON_NODE_ARRAY);
}

gboolean
sl_report_has_key(const SlReport *self, const gchar *key)
{
	g_autofree gchar *name = sl_report_member_name(key);
	return json_object_has_member(json_node_get_object(self->root), name);
}

gboolean
sl_report_has_member(const SlReport *self, const gchar *key)
{
	JsonNode *container = sl_report_current(self);
	g_autofree gchar *name = sl_report_member_name(key);
	return JSON_NODE_HOLDS_OBJECT(container) &&
	       json_object_has_member(json_node_get_object(container), name);
}

void
sl_report_set_result(SlReport *self, const GError *error)
{
	JsonObject *root = json_node_get_object(self->root);
	g_autofree gchar *message = NULL;

	/* a result is set on the top level, whatever was left open */
	g_ptr_array_set_size(self->open, 1);
	json_object_remove_member(root, "exit_code");
	json_object_remove_member(root, "error");
	sl_report_add_int(self, "exit_code", sl_error_to_exit_code(error));
	if (error == NULL)
		return;
	message = sl_report_sanitize(error->message);
	sl_report_begin_object(self, "error");
	sl_report_add_string(self, "class", sl_error_to_class(error));
	sl_report_add_string(self, "message", message);
	sl_report_end_object(self);
}

gchar *
sl_report_sanitize(const gchar *text)
{
	g_autofree gchar *valid = g_utf8_make_valid(text, -1);
	GString *out = g_string_sized_new(strlen(valid) + 1);

	for (const gchar *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c == '\r' || c == '\n' || c == '\t')
			g_string_append_c(out, ' ');
		/* C0, DEL and the C1 controls (0x9b is an 8-bit CSI to some terminals) */
		else if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
			g_string_append_c(out, '?');
		else
			g_string_append_len(out, p, g_utf8_next_char(p) - p);
	}
	return g_string_free(out, FALSE);
}

gchar *
sl_report_to_json(const SlReport *self)
{
	g_autoptr(JsonGenerator) generator = json_generator_new();
	json_generator_set_root(generator, self->root);
	return json_generator_to_data(generator, NULL);
}

gboolean
sl_report_print(const SlReport *self, gboolean as_json, GError **error)
{
	g_autofree gchar *text = NULL;

	if (as_json) {
		g_autofree gchar *json = sl_report_to_json(self);
		text = g_strdup_printf("%s\n", json);
	} else {
		text = sl_report_to_text(self);
	}
	if (fputs(text, stdout) == EOF || fflush(stdout) != 0) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_WRITE,
			    "cannot write the report to stdout: %s",
			    g_strerror(errno));
		/* said here, with its cause: main's check of stdout at exit need not say it again */
		clearerr(stdout);
		return FALSE;
	}
	return TRUE;
}

/* the text form: members that only a program needs are left out */
static gboolean
sl_report_text_skips(guint depth, const gchar *name)
{
	return depth == 0 && (g_strcmp0(name, "schema_version") == 0 || g_strcmp0(name, "command") == 0 ||
			      g_strcmp0(name, "exit_code") == 0 || g_strcmp0(name, "error") == 0);
}

static gchar *
sl_report_text_scalar(const SlReport *self, JsonNode *node)
{
	if (JSON_NODE_HOLDS_NULL(node))
		return g_strdup("(none)");
	if (json_node_get_value_type(node) == G_TYPE_BOOLEAN)
		return g_strdup(json_node_get_boolean(node) ? "yes" : "no");
	if (json_node_get_value_type(node) == G_TYPE_INT64) {
		if (g_hash_table_contains(self->hex_nodes, node))
			return g_strdup_printf("0x%" G_GINT64_MODIFIER "x", json_node_get_int(node));
		return g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(node));
	}
	return sl_report_sanitize(json_node_get_string(node));
}

static gboolean
sl_report_text_is_scalar_array(JsonArray *array)
{
	for (guint i = 0; i < json_array_get_length(array); i++) {
		if (!JSON_NODE_HOLDS_VALUE(json_array_get_element(array, i)) &&
		    !JSON_NODE_HOLDS_NULL(json_array_get_element(array, i)))
			return FALSE;
	}
	return TRUE;
}

static void
sl_report_text_object(
    const SlReport *self, GString *str, JsonObject *object, guint depth, const gchar *first_prefix);

/* "name: value" or "name:" and the nested lines; @prefix indents the line */
static void
sl_report_text_member(
    const SlReport *self, GString *str, const gchar *prefix, const gchar *name, JsonNode *node, guint depth)
{
	g_autofree gchar *label = g_strdelimit(g_strdup(name), "_", ' ');
	g_autofree gchar *indent = g_strnfill((depth + 1) * 2, ' ');

	if (JSON_NODE_HOLDS_OBJECT(node)) {
		g_string_append_printf(str, "%s%s:\n", prefix, label);
		sl_report_text_object(self, str, json_node_get_object(node), depth + 1, NULL);
		return;
	}
	if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *array = json_node_get_array(node);
		guint len = json_array_get_length(array);
		if (len == 0) {
			g_string_append_printf(str, "%s%s: (none)\n", prefix, label);
			return;
		}
		if (sl_report_text_is_scalar_array(array)) {
			g_string_append_printf(str, "%s%s: ", prefix, label);
			for (guint i = 0; i < len; i++) {
				g_autofree gchar *text =
				    sl_report_text_scalar(self, json_array_get_element(array, i));
				g_string_append_printf(str, "%s%s", i > 0 ? ", " : "", text);
			}
			g_string_append_c(str, '\n');
			return;
		}
		g_string_append_printf(str, "%s%s:\n", prefix, label);
		for (guint i = 0; i < len; i++) {
			JsonNode *element = json_array_get_element(array, i);
			g_autofree gchar *dash = g_strdup_printf("%s- ", indent);
			if (JSON_NODE_HOLDS_OBJECT(element)) {
				sl_report_text_object(
				    self, str, json_node_get_object(element), depth + 2, dash);
			} else {
				g_autofree gchar *text = sl_report_text_scalar(self, element);
				g_string_append_printf(str, "%s%s\n", dash, text);
			}
		}
		return;
	}
	{
		g_autofree gchar *text = sl_report_text_scalar(self, node);
		g_string_append_printf(str, "%s%s: %s\n", prefix, label, text);
	}
}

/* @first_prefix replaces the indent of the first line (the "- " of an array element) */
static void
sl_report_text_object(
    const SlReport *self, GString *str, JsonObject *object, guint depth, const gchar *first_prefix)
{
	g_autoptr(GList) members = json_object_get_members(object);
	g_autofree gchar *indent = g_strnfill(depth * 2, ' ');
	gboolean first = TRUE;

	for (GList *l = members; l != NULL; l = l->next) {
		const gchar *name = l->data;
		if (sl_report_text_skips(depth, name))
			continue;
		sl_report_text_member(self,
				      str,
				      first && first_prefix != NULL ? first_prefix : indent,
				      name,
				      json_object_get_member(object, name),
				      depth);
		first = FALSE;
	}
}

gchar *
sl_report_to_text(const SlReport *self)
{
	GString *str = g_string_new(NULL);
	sl_report_text_object(self, str, json_node_get_object(self->root), 0, NULL);
	return g_string_free(str, FALSE);
}
