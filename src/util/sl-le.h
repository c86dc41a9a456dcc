/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * little-endian fields of AMD's and OVMF's binary layouts, read and written
 * at @offset inside a buffer of @len bytes. The bounds are checked without
 * overflow; a field outside the buffer is a programming error (a critical;
 * reads give 0, writes do nothing), so a parser checks lengths that come
 * from untrusted data with sl_le_has_room() and reports them as errors.
 */

/* TRUE when @size bytes at @offset lie inside @len bytes */
gboolean
sl_le_has_room(gsize len, gsize offset, gsize size);

guint16
sl_le_read_u16(const guint8 *buf, gsize len, gsize offset);
guint32
sl_le_read_u32(const guint8 *buf, gsize len, gsize offset);
guint64
sl_le_read_u64(const guint8 *buf, gsize len, gsize offset);

void
sl_le_write_u16(guint8 *buf, gsize len, gsize offset, guint16 value);
void
sl_le_write_u32(guint8 *buf, gsize len, gsize offset, guint32 value);
void
sl_le_write_u64(guint8 *buf, gsize len, gsize offset, guint64 value);

/*
 * AMD stores big integers (keys, signatures) little-endian in fixed fields
 * wider than the value: copies @le reversed into @be, refusing
 * (SL_ERROR_INVALID_DATA) a value whose bytes above @be_len are not zero
 */
gboolean
sl_le_int_to_be(const guint8 *le, gsize le_len, guint8 *be, gsize be_len, GError **error);
/* the other way: @le is zero-padded to @le_len, which must be >= @be_len */
void
sl_le_int_from_be(const guint8 *be, gsize be_len, guint8 *le, gsize le_len);
/* a little-endian integer as big-endian bytes without leading zeros (at least one byte) */
GBytes *
sl_le_int_to_be_bytes(const guint8 *le, gsize le_len);

G_END_DECLS
