/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-error.h"
#include "sl-le.h"

/* expected bytes are written out by hand, least significant first */

static void
test_read(void)
{
	const guint8 buf[10] = {0xaa, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x88, 0xbb};

	g_assert_cmphex(sl_le_read_u16(buf, sizeof(buf), 1), ==, 0x0201);
	g_assert_cmphex(sl_le_read_u32(buf, sizeof(buf), 1), ==, 0x04030201);
	g_assert_cmphex(sl_le_read_u64(buf, sizeof(buf), 1), ==, G_GUINT64_CONSTANT(0x8807060504030201));
	/* the last field that fits */
	g_assert_cmphex(sl_le_read_u16(buf, sizeof(buf), 8), ==, 0xbb88);
}

static void
test_write(void)
{
	guint8 buf[12];
	const guint8 want[12] = {0xee, 0x34, 0x12, 0x78, 0x56, 0x34, 0x12, 0xf0, 0xde, 0xbc, 0x9a, 0xee};

	memset(buf, 0xee, sizeof(buf));
	sl_le_write_u16(buf, sizeof(buf), 1, 0x1234);
	sl_le_write_u32(buf, sizeof(buf), 3, 0x12345678);
	sl_le_write_u32(buf, sizeof(buf), 7, 0x9abcdef0);
	g_assert_cmpmem(buf, sizeof(buf), want, sizeof(want));
	sl_le_write_u64(buf, sizeof(buf), 4, G_GUINT64_CONSTANT(0x0102030405060708));
	g_assert_cmpmem(buf + 4, 8, "\x08\x07\x06\x05\x04\x03\x02\x01", 8);
	g_assert_cmpmem(buf, 4, want, 4);
}

static void
test_has_room(void)
{
	g_assert_true(sl_le_has_room(10, 6, 4));
	g_assert_true(sl_le_has_room(10, 10, 0));
	g_assert_false(sl_le_has_room(10, 7, 4));
	g_assert_false(sl_le_has_room(10, 11, 0));
	/* sums that would wrap around must not pass */
	g_assert_false(sl_le_has_room(10, G_MAXSIZE, 4));
	g_assert_false(sl_le_has_room(10, 8, G_MAXSIZE));
	g_assert_false(sl_le_has_room(G_MAXSIZE, G_MAXSIZE - 1, 4));
}

/* a field past the end is a programming error: a critical, and no access */
static void
test_out_of_bounds(void)
{
	if (g_test_subprocess()) {
		guint8 buf[8] = {0};
		g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL);
		if (g_strcmp0(g_getenv("SL_TEST_LE_CASE"), "write") == 0)
			sl_le_write_u32(buf, sizeof(buf), 5, 1);
		else
			(void)sl_le_read_u32(buf, sizeof(buf), 5);
		return;
	}
	for (guint i = 0; i < 2; i++) {
		g_setenv("SL_TEST_LE_CASE", i == 0 ? "read" : "write", TRUE);
		g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
		g_test_trap_assert_failed();
		g_test_trap_assert_stderr("*CRITICAL*sl_le_has_room*");
	}
	g_unsetenv("SL_TEST_LE_CASE");
}

/* and when it is not fatal, the buffer is left alone */
static void
test_out_of_bounds_untouched(void)
{
	if (g_test_subprocess()) {
		guint8 buf[8];
		memset(buf, 0x5a, sizeof(buf));
		g_log_set_always_fatal(G_LOG_LEVEL_ERROR);
		sl_le_write_u64(buf, sizeof(buf), 1, G_MAXUINT64);
		g_assert_cmphex(sl_le_read_u16(buf, sizeof(buf), 7), ==, 0);
		for (guint i = 0; i < sizeof(buf); i++)
			g_assert_cmphex(buf[i], ==, 0x5a);
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed();
}

static void
test_int_be(void)
{
	const guint8 le[6] = {0x01, 0x02, 0x03, 0x00, 0x00, 0x00};
	const guint8 le_big[6] = {0x01, 0x02, 0x03, 0x00, 0x09, 0x00};
	guint8 be[4];
	guint8 back[6];
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) stripped = NULL;
	g_autoptr(GBytes) zero = NULL;

	g_assert_true(sl_le_int_to_be(le, sizeof(le), be, sizeof(be), &error));
	g_assert_cmpmem(be, 4, "\x00\x03\x02\x01", 4);
	sl_le_int_from_be(be, sizeof(be), back, sizeof(back));
	g_assert_cmpmem(back, 6, le, 6);
	g_assert_false(sl_le_int_to_be(le_big, sizeof(le_big), be, sizeof(be), &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	/* leading zeros go, one byte stays for zero itself */
	stripped = sl_le_int_to_be_bytes(le, sizeof(le));
	g_assert_cmpmem(g_bytes_get_data(stripped, NULL), g_bytes_get_size(stripped), "\x03\x02\x01", 3);
	zero = sl_le_int_to_be_bytes((const guint8 *)"\0\0\0", 3);
	g_assert_cmpmem(g_bytes_get_data(zero, NULL), g_bytes_get_size(zero), "\x00", 1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/le/read", test_read);
	g_test_add_func("/le/write", test_write);
	g_test_add_func("/le/has-room", test_has_room);
	g_test_add_func("/le/out-of-bounds", test_out_of_bounds);
	g_test_add_func("/le/out-of-bounds-untouched", test_out_of_bounds_untouched);
	g_test_add_func("/le/int-be", test_int_be);
	return g_test_run();
}
