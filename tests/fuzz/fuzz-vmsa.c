/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "sl-vmsa-fields.h"

/*
 * VMSA files (--vmsa-cpu0/1, vmsa show/diff): the first page is the input's
 * first 4096 bytes (zero-padded); the second page is the first with the rest
 * of the input applied as (offset low, offset high, byte) patches
 */

static void
sl_fuzz_vmsa_show(const guint8 page[SL_VMSA_SIZE])
{
	guint count = 0;
	const SlVmsaField *fields = sl_vmsa_fields_get(&count);

	g_assert_cmpuint(count, >, 0);
	for (guint i = 0; i < count; i++) {
		g_autofree gchar *text = sl_vmsa_field_format(&fields[i], page);
		gsize size = sl_vmsa_field_get_size(&fields[i]);
		g_assert_cmpuint(size, >, 0);
		g_assert_cmpuint(fields[i].offset + size, <=, SL_VMSA_SIZE);
		g_assert_true(text != NULL && text[0] != '\0');
		if (fields[i].kind == SL_VMSA_FIELD_SEGMENT) {
			SlVmsaSegment seg = {0};
			sl_vmsa_field_get_segment(&fields[i], page, &seg);
		} else {
			guint64 value = sl_vmsa_field_get_value(&fields[i], page);
			g_assert_true(size == 8 || value >> (8 * size) == 0);
		}
	}
}

/* the diff names exactly the fields whose bytes differ, and nothing when none do */
static void
sl_fuzz_vmsa_diff(const guint8 a[SL_VMSA_SIZE], const guint8 b[SL_VMSA_SIZE])
{
	g_autoptr(GPtrArray) same = sl_vmsa_diff(a, a);
	g_autoptr(GPtrArray) names = sl_vmsa_diff(a, b);
	g_autoptr(GPtrArray) back = sl_vmsa_diff(b, a);
	guint count = 0;
	const SlVmsaField *fields = sl_vmsa_fields_get(&count);
	guint differ = 0;

	g_assert_cmpuint(same->len, ==, 0);
	g_assert_cmpuint(names->len, ==, back->len);
	g_assert_true((names->len == 0) == (memcmp(a, b, SL_VMSA_SIZE) == 0));
	for (guint i = 0; i < count; i++) {
		if (memcmp(a + fields[i].offset, b + fields[i].offset, sl_vmsa_field_get_size(&fields[i])) ==
		    0)
			continue;
		g_assert_cmpuint(differ, <, names->len);
		g_assert_cmpstr(g_ptr_array_index(names, differ), ==, fields[i].name);
		differ++;
	}
	for (guint i = differ; i < names->len; i++)
		g_assert_true(g_str_has_prefix(g_ptr_array_index(names, i), "bytes 0x"));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree guint8 *a = g_malloc0(SL_VMSA_SIZE);
	g_autofree guint8 *b = NULL;

	sl_fuzz_init();
	memcpy(a, data, MIN(size, SL_VMSA_SIZE));
	b = g_memdup2(a, SL_VMSA_SIZE);
	for (gsize i = SL_VMSA_SIZE; i + 2 < size; i += 3)
		b[(data[i] | (data[i + 1] << 8)) % SL_VMSA_SIZE] = data[i + 2];
	sl_fuzz_vmsa_show(a);
	sl_fuzz_vmsa_show(b);
	sl_fuzz_vmsa_diff(a, b);
	return 0;
}
