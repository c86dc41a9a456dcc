/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-cli-lists.h"
#include "sl-cpu.h"
#include "sl-error.h"
#include "sl-number.h"
#include "sl-vmsa.h"

/* the comma-separated items, none empty */
static gchar **
sl_cli_list_split(const gchar *text, const gchar *what, GError **error)
{
	g_auto(GStrv) items = g_strsplit(text != NULL ? text : "", ",", -1);

	for (guint i = 0; items[i] != NULL; i++) {
		g_strstrip(items[i]);
		if (items[i][0] == '\0') {
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "%s: empty item in list '%s'",
				    what,
				    text != NULL ? text : "");
			return NULL;
		}
	}
	return g_steal_pointer(&items);
}

static gboolean
sl_cli_list_duplicate(const gchar *what, const gchar *item, GError **error)
{
	g_set_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "%s: '%s' is listed twice", what, item);
	return FALSE;
}

static gboolean
sl_cli_list_add_range(
    const gchar *item, const gchar *what, guint min, guint max, gboolean *seen, GError **error)
{
	g_auto(GStrv) bounds = g_strsplit(item, "-", 3);
	guint64 first = 0, last = 0;

	if (g_strv_length(bounds) > 2) {
		g_set_error(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "%s: '%s' is not N or N-M", what, item);
		return FALSE;
	}
	if (!sl_number_parse(bounds[0], what, min, max, &first, error))
		return FALSE;
	last = first;
	if (bounds[1] != NULL && !sl_number_parse(bounds[1], what, min, max, &last, error))
		return FALSE;
	if (last < first) {
		g_set_error(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "%s: range '%s' runs backwards", what, item);
		return FALSE;
	}
	for (guint64 n = first; n <= last; n++) {
		if (seen[n])
			return sl_cli_list_duplicate(what, item, error);
		seen[n] = TRUE;
	}
	return TRUE;
}

GArray *
sl_cli_list_parse_counts(const gchar *text, const gchar *what, guint min, guint max, GError **error)
{
	g_auto(GStrv) items = sl_cli_list_split(text, what, error);
	g_autofree gboolean *seen = NULL;
	g_autoptr(GArray) counts = g_array_new(FALSE, FALSE, sizeof(guint));

	if (items == NULL)
		return NULL;
	seen = g_new0(gboolean, (gsize)max + 1);
	for (guint i = 0; items[i] != NULL; i++) {
		if (!sl_cli_list_add_range(items[i], what, min, max, seen, error))
			return NULL;
	}
	for (guint n = min; n <= max; n++) {
		if (seen[n])
			g_array_append_val(counts, n);
	}
	return g_steal_pointer(&counts);
}

GPtrArray *
sl_cli_list_parse_cpus(const gchar *text, const gchar *what, GError **error)
{
	g_auto(GStrv) items = sl_cli_list_split(text, what, error);
	g_autoptr(GPtrArray) cpus = g_ptr_array_new_with_free_func(g_free);

	if (items == NULL)
		return NULL;
	for (guint i = 0; items[i] != NULL; i++) {
		guint32 signature = 0;
		if (!sl_cpu_signature_from_name(items[i], &signature, error)) {
			g_prefix_error(error, "%s: ", what);
			return NULL;
		}
		if (g_strv_contains((const gchar *const *)items + i + 1, items[i])) {
			sl_cli_list_duplicate(what, items[i], error);
			return NULL;
		}
		g_ptr_array_add(cpus, g_strdup(items[i]));
	}
	return g_steal_pointer(&cpus);
}

GArray *
sl_cli_list_parse_variants(const gchar *text, const gchar *what, GError **error)
{
	g_auto(GStrv) items = sl_cli_list_split(text, what, error);
	g_autoptr(GArray) variants = g_array_new(FALSE, FALSE, sizeof(SlVmsaVariant));

	if (items == NULL)
		return NULL;
	for (guint i = 0; items[i] != NULL; i++) {
		SlVmsaVariant variant;
		if (!sl_vmsa_variant_from_string(items[i], &variant, error)) {
			g_prefix_error(error, "%s: ", what);
			return NULL;
		}
		for (guint j = 0; j < variants->len; j++) {
			if (g_array_index(variants, SlVmsaVariant, j) == variant) {
				sl_cli_list_duplicate(what, items[i], error);
				return NULL;
			}
		}
		g_array_append_val(variants, variant);
	}
	return g_steal_pointer(&variants);
}

GArray *
sl_cli_list_parse_u64(const gchar *text, const gchar *what, GError **error)
{
	g_auto(GStrv) items = sl_cli_list_split(text, what, error);
	g_autoptr(GArray) values = g_array_new(FALSE, FALSE, sizeof(guint64));

	if (items == NULL)
		return NULL;
	for (guint i = 0; items[i] != NULL; i++) {
		guint64 value = 0;
		if (!sl_number_parse_hex(items[i], what, G_MAXINT64, &value, error))
			return NULL;
		for (guint j = 0; j < values->len; j++) {
			if (g_array_index(values, guint64, j) == value) {
				sl_cli_list_duplicate(what, items[i], error);
				return NULL;
			}
		}
		g_array_append_val(values, value);
	}
	return g_steal_pointer(&values);
}
