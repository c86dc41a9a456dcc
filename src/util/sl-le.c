/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-error.h"
#include "sl-le.h"

gboolean
sl_le_has_room(gsize len, gsize offset, gsize size)
{
	/* written so that neither side can overflow */
	return offset <= len && len - offset >= size;
}

static guint64
sl_le_read(const guint8 *buf, gsize len, gsize offset, gsize size)
{
	guint64 value = 0;

	g_return_val_if_fail(buf != NULL, 0);
	g_return_val_if_fail(sl_le_has_room(len, offset, size), 0);
	for (gsize i = size; i > 0; i--)
		value = (value << 8) | buf[offset + i - 1];
	return value;
}

static void
sl_le_write(guint8 *buf, gsize len, gsize offset, gsize size, guint64 value)
{
	g_return_if_fail(buf != NULL);
	g_return_if_fail(sl_le_has_room(len, offset, size));
	for (gsize i = 0; i < size; i++) {
		buf[offset + i] = (guint8)(value & 0xff);
		value >>= 8;
	}
}

guint16
sl_le_read_u16(const guint8 *buf, gsize len, gsize offset)
{
	return (guint16)sl_le_read(buf, len, offset, sizeof(guint16));
}

guint32
sl_le_read_u32(const guint8 *buf, gsize len, gsize offset)
{
	return (guint32)sl_le_read(buf, len, offset, sizeof(guint32));
}

guint64
sl_le_read_u64(const guint8 *buf, gsize len, gsize offset)
{
	return sl_le_read(buf, len, offset, sizeof(guint64));
}

void
sl_le_write_u16(guint8 *buf, gsize len, gsize offset, guint16 value)
{
	sl_le_write(buf, len, offset, sizeof(guint16), value);
}

void
sl_le_write_u32(guint8 *buf, gsize len, gsize offset, guint32 value)
{
	sl_le_write(buf, len, offset, sizeof(guint32), value);
}

void
sl_le_write_u64(guint8 *buf, gsize len, gsize offset, guint64 value)
{
	sl_le_write(buf, len, offset, sizeof(guint64), value);
}

gboolean
sl_le_int_to_be(const guint8 *le, gsize le_len, guint8 *be, gsize be_len, GError **error)
{
	gsize n = MIN(le_len, be_len);

	for (gsize i = n; i < le_len; i++) {
		if (le[i] != 0) {
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_DATA,
				    "value does not fit in %" G_GSIZE_FORMAT " bytes",
				    be_len);
			return FALSE;
		}
	}
	memset(be, 0, be_len);
	for (gsize i = 0; i < n; i++)
		be[be_len - 1 - i] = le[i];
	return TRUE;
}

void
sl_le_int_from_be(const guint8 *be, gsize be_len, guint8 *le, gsize le_len)
{
	g_return_if_fail(le_len >= be_len);
	memset(le, 0, le_len);
	for (gsize i = 0; i < be_len; i++)
		le[i] = be[be_len - 1 - i];
}

GBytes *
sl_le_int_to_be_bytes(const guint8 *le, gsize le_len)
{
	gsize used = le_len;
	guint8 *be;

	while (used > 0 && le[used - 1] == 0)
		used--;
	be = g_malloc0(MAX(used, 1));
	for (gsize i = 0; i < used; i++)
		be[used - 1 - i] = le[i];
	return g_bytes_new_take(be, MAX(used, 1));
}
