/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-error.h"
#include "sl-number.h"

static gboolean
sl_number_parse_base(
    const gchar *text, const gchar *what, guint base, guint64 min, guint64 max, guint64 *out, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	if (text == NULL || text[0] == '\0') {
		g_set_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "%s needs a value", what);
		return FALSE;
	}
	if (!g_ascii_string_to_unsigned(text, base, min, max, out, &error_local)) {
		g_set_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "%s: %s", what, error_local->message);
		return FALSE;
	}
	return TRUE;
}

gboolean
sl_number_parse(const gchar *text, const gchar *what, guint64 min, guint64 max, guint64 *out, GError **error)
{
	if (text != NULL && (g_str_has_prefix(text, "0x") || g_str_has_prefix(text, "0X")))
		return sl_number_parse_base(text + 2, what, 16, min, max, out, error);
	return sl_number_parse_base(text, what, 10, min, max, out, error);
}

gboolean
sl_number_parse_hex(const gchar *text, const gchar *what, guint64 max, guint64 *out, GError **error)
{
	if (text != NULL && (g_str_has_prefix(text, "0x") || g_str_has_prefix(text, "0X")))
		text += 2;
	return sl_number_parse_base(text, what, 16, 0, max, out, error);
}
