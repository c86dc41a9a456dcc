/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-error.h"
#include "sl-guid.h"

/* text position of each byte of the EFI (mixed-endian) encoding */
static const guint8 sl_guid_text_offsets[SL_GUID_SIZE] = {
    6, 4, 2, 0, 11, 9, 16, 14, 19, 21, 24, 26, 28, 30, 32, 34};

gboolean
sl_guid_parse(const gchar *text, SlGuid *guid, GError **error)
{
	SlGuid tmp = {0};

	if (text == NULL || strlen(text) != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' ||
	    text[23] != '-') {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "malformed GUID '%s': expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
			    text != NULL ? text : "");
		return FALSE;
	}
	for (guint i = 0; i < SL_GUID_SIZE; i++) {
		gint hi = g_ascii_xdigit_value(text[sl_guid_text_offsets[i]]);
		gint lo = g_ascii_xdigit_value(text[sl_guid_text_offsets[i] + 1]);
		if (hi < 0 || lo < 0) {
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_DATA,
				    "malformed GUID '%s': not a hex digit",
				    text);
			return FALSE;
		}
		tmp.bytes[i] = (guint8)((hi << 4) | lo);
	}
	*guid = tmp;
	return TRUE;
}

SlGuid
sl_guid_from_string(const gchar *text)
{
	SlGuid guid = {0};
	if (!sl_guid_parse(text, &guid, NULL))
		g_error("invalid built-in GUID %s", text);
	return guid;
}

gchar *
sl_guid_to_string(const SlGuid *guid)
{
	gchar text[37];
	memset(text, '-', 36);
	text[36] = '\0';
	for (guint i = 0; i < SL_GUID_SIZE; i++) {
		static const gchar hex[] = "0123456789abcdef";
		text[sl_guid_text_offsets[i]] = hex[guid->bytes[i] >> 4];
		text[sl_guid_text_offsets[i] + 1] = hex[guid->bytes[i] & 0xf];
	}
	return g_strdup(text);
}

gboolean
sl_guid_equal(const SlGuid *a, const SlGuid *b)
{
	return memcmp(a->bytes, b->bytes, SL_GUID_SIZE) == 0;
}
