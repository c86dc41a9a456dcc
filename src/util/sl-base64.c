/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-base64.h"
#include "sl-error.h"

GBytes *
sl_base64_decode_strict(const gchar *text, gsize expected_len, const gchar *what, GError **error)
{
	g_autofree guchar *data = NULL;
	g_autofree gchar *canonical = NULL;
	gsize len = 0;
	gsize text_len;

	if (text == NULL || text[0] == '\0') {
		g_set_error(error, SL_ERROR, SL_ERROR_INVALID_DATA, "%s is empty", what);
		return NULL;
	}
	text_len = strlen(text);
	if (text_len % 4 != 0) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s is not base64: length %" G_GSIZE_FORMAT " is not a multiple of 4",
			    what,
			    text_len);
		return NULL;
	}
	data = g_base64_decode(text, &len);
	/* a round trip catches stray characters and non-zero padding bits */
	canonical = g_base64_encode(data, len);
	if (strcmp(canonical, text) != 0) {
		g_set_error(error, SL_ERROR, SL_ERROR_INVALID_DATA, "%s is not valid base64", what);
		return NULL;
	}
	if (expected_len != 0 && len != expected_len) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s decodes to %" G_GSIZE_FORMAT " bytes, expected %" G_GSIZE_FORMAT,
			    what,
			    len,
			    expected_len);
		return NULL;
	}
	return g_bytes_new_take(g_steal_pointer(&data), len);
}
