/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>

#include "sl-report.h"

typedef enum {
	SL_REPORT_VALUE_STRING,
	SL_REPORT_VALUE_UINT,
	SL_REPORT_VALUE_BOOL,
} SlReportValueKind;

typedef struct {
	gchar *key;
	gchar *text;
	guint64 number;
	SlReportValueKind kind;
} SlReportItem;

struct _SlReport {
	GPtrArray *items;
};

static void
sl_report_item_free(SlReportItem *item)
{
	g_free(item->key);
	g_free(item->text);
	g_free(item);
}

SlReport *
sl_report_new(void)
{
	SlReport *self = g_new0(SlReport, 1);
	self->items = g_ptr_array_new_with_free_func((GDestroyNotify)sl_report_item_free);
	return self;
}

void
sl_report_free(SlReport *self)
{
	if (self == NULL)
		return;
	g_ptr_array_unref(self->items);
	g_free(self);
}

static void
sl_report_add_item(SlReport *self, const gchar *key, gchar *text, guint64 number, SlReportValueKind kind)
{
	SlReportItem *item = g_new0(SlReportItem, 1);
	item->key = g_strdup(key);
	item->text = text;
	item->number = number;
	item->kind = kind;
	g_ptr_array_add(self->items, item);
}

void
sl_report_add_string(SlReport *self, const gchar *key, const gchar *value)
{
	sl_report_add_item(self, key, g_strdup(value != NULL ? value : ""), 0, SL_REPORT_VALUE_STRING);
}

void
sl_report_add_printf(SlReport *self, const gchar *key, const gchar *format, ...)
{
	va_list args;
	gchar *text;
	va_start(args, format);
	text = g_strdup_vprintf(format, args);
	va_end(args);
	sl_report_add_item(self, key, text, 0, SL_REPORT_VALUE_STRING);
}

void
sl_report_add_uint(SlReport *self, const gchar *key, guint64 value)
{
	sl_report_add_item(
	    self, key, g_strdup_printf("%" G_GUINT64_FORMAT, value), value, SL_REPORT_VALUE_UINT);
}

void
sl_report_add_hex(SlReport *self, const gchar *key, const guint8 *data, gsize len)
{
	GString *hex = g_string_sized_new(len * 2 + 1);
	for (gsize i = 0; i < len; i++)
		g_string_append_printf(hex, "%02x", data[i]);
	sl_report_add_item(self, key, g_string_free(hex, FALSE), 0, SL_REPORT_VALUE_STRING);
}

void
sl_report_add_bool(SlReport *self, const gchar *key, gboolean value)
{
	sl_report_add_item(self, key, g_strdup(value ? "yes" : "no"), value ? 1 : 0, SL_REPORT_VALUE_BOOL);
}

gboolean
sl_report_has_key(const SlReport *self, const gchar *key)
{
	for (guint i = 0; i < self->items->len; i++) {
		SlReportItem *item = g_ptr_array_index(self->items, i);
		if (g_strcmp0(item->key, key) == 0)
			return TRUE;
	}
	return FALSE;
}

gchar *
sl_report_sanitize(const gchar *text)
{
	gchar *copy = g_strdup(text);
	for (gchar *p = copy; *p != '\0'; p++) {
		if (*p == '\r' || *p == '\n' || *p == '\t')
			*p = ' ';
		else if ((guchar)*p < 0x20 || (guchar)*p == 0x7f)
			*p = '?';
	}
	return copy;
}

gchar *
sl_report_to_text(const SlReport *self)
{
	GString *str = g_string_new(NULL);
	for (guint i = 0; i < self->items->len; i++) {
		SlReportItem *item = g_ptr_array_index(self->items, i);
		g_autofree gchar *text = sl_report_sanitize(item->text);
		g_string_append_printf(str, "%s: %s\n", item->key, text);
	}
	return g_string_free(str, FALSE);
}

gchar *
sl_report_to_json(const SlReport *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_object(builder);
	for (guint i = 0; i < self->items->len; i++) {
		SlReportItem *item = g_ptr_array_index(self->items, i);
		/* JSON keys use underscores: "expected measurement" -> expected_measurement */
		g_autofree gchar *key = g_strdelimit(g_strdup(item->key), " -", '_');
		json_builder_set_member_name(builder, key);
		if (item->kind == SL_REPORT_VALUE_UINT)
			json_builder_add_int_value(builder, (gint64)item->number);
		else if (item->kind == SL_REPORT_VALUE_BOOL)
			json_builder_add_boolean_value(builder, item->number != 0);
		else
			json_builder_add_string_value(builder, item->text);
	}
	json_builder_end_object(builder);
	root = json_builder_get_root(builder);
	json_generator_set_root(generator, root);
	return json_generator_to_data(generator, NULL);
}

void
sl_report_print(const SlReport *self, gboolean as_json)
{
	g_autofree gchar *text = NULL;
	if (as_json) {
		g_autofree gchar *json = sl_report_to_json(self);
		text = g_strdup_printf("%s\n", json);
	} else {
		text = sl_report_to_text(self);
	}
	fputs(text, stdout);
	fflush(stdout);
}
