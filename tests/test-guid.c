/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-error.h"
#include "sl-guid.h"

/*
 * the EFI secret table GUID in EFI byte order, by hand: the first three
 * fields little-endian, the last two as written
 */
#define TABLE_GUID_TEXT "1e74f542-71dd-4d66-963e-ef4287ff173b"
static const guint8 table_guid_bytes[SL_GUID_SIZE] = {
    0x42, 0xf5, 0x74, 0x1e, 0xdd, 0x71, 0x66, 0x4d, 0x96, 0x3e, 0xef, 0x42, 0x87, 0xff, 0x17, 0x3b};

/* every byte distinct, so a swapped pair cannot go unnoticed */
#define SEQ_GUID_TEXT "00112233-4455-6677-8899-aabbccddeeff"
static const guint8 seq_guid_bytes[SL_GUID_SIZE] = {
    0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};

static void
test_parse(void)
{
	g_autoptr(GError) error = NULL;
	SlGuid guid = {0};

	g_assert_true(sl_guid_parse(TABLE_GUID_TEXT, &guid, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(guid.bytes, SL_GUID_SIZE, table_guid_bytes, SL_GUID_SIZE);

	g_assert_true(sl_guid_parse(SEQ_GUID_TEXT, &guid, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(guid.bytes, SL_GUID_SIZE, seq_guid_bytes, SL_GUID_SIZE);

	/* case-insensitive */
	g_assert_true(sl_guid_parse("00112233-4455-6677-8899-AABBCCDDEEFF", &guid, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(guid.bytes, SL_GUID_SIZE, seq_guid_bytes, SL_GUID_SIZE);
}

static void
test_format(void)
{
	SlGuid guid;
	g_autofree gchar *text1 = NULL;
	g_autofree gchar *text2 = NULL;

	memcpy(guid.bytes, table_guid_bytes, SL_GUID_SIZE);
	text1 = sl_guid_to_string(&guid);
	g_assert_cmpstr(text1, ==, TABLE_GUID_TEXT);

	/* always lower case */
	memcpy(guid.bytes, seq_guid_bytes, SL_GUID_SIZE);
	text2 = sl_guid_to_string(&guid);
	g_assert_cmpstr(text2, ==, SEQ_GUID_TEXT);
}

static void
test_round_trip(void)
{
	for (guint n = 0; n < 64; n++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *text = NULL;
		SlGuid guid;
		SlGuid back = {0};

		for (guint i = 0; i < SL_GUID_SIZE; i++)
			guid.bytes[i] = (guint8)g_random_int_range(0, 256);
		text = sl_guid_to_string(&guid);
		g_assert_cmpuint(strlen(text), ==, 36);
		g_assert_true(sl_guid_parse(text, &back, &error));
		g_assert_no_error(error);
		g_assert_true(sl_guid_equal(&guid, &back));
	}
}

static void
test_from_string(void)
{
	SlGuid guid = sl_guid_from_string(TABLE_GUID_TEXT);
	g_assert_cmpmem(guid.bytes, SL_GUID_SIZE, table_guid_bytes, SL_GUID_SIZE);
}

static void
test_equal(void)
{
	SlGuid a = sl_guid_from_string(SEQ_GUID_TEXT);
	SlGuid b = sl_guid_from_string(SEQ_GUID_TEXT);
	g_assert_true(sl_guid_equal(&a, &b));
	b.bytes[15] ^= 1;
	g_assert_false(sl_guid_equal(&a, &b));
	b = a;
	b.bytes[0] ^= 1;
	g_assert_false(sl_guid_equal(&a, &b));
}

static void
test_malformed(void)
{
	const gchar *bad[] = {
	    "",
	    "1e74f542-71dd-4d66-963e-ef4287ff173",        /* truncated */
	    "1e74f542-71dd-4d66-963e-ef4287ff173bb",      /* too long */
	    "1e74f542-71dd-4d66-963e-ef4287ff173g",       /* not hex */
	    "1e74f542x71dd-4d66-963e-ef4287ff173b",       /* hyphen replaced */
	    "1e74f54-271dd-4d66-963e-ef4287ff173b",       /* hyphen moved */
	    "1e74f54271dd4d66963eef4287ff173b",           /* no hyphens */
	    "{1e74f542-71dd-4d66-963e-ef4287ff17}",       /* braces */
	    " 1e74f542-71dd-4d66-963e-ef4287ff173",       /* leading space */
	    "1e74f542-71dd-4d66-963e-ef4287ff173\n",      /* trailing newline */
	    "+e74f542-71dd-4d66-963e-ef4287ff173b",       /* sign */
	    "1e74f542-71dd-4d66-963e-ef4287ff17 b",       /* inner space */
	    "1e74f542-71dd-4d66-963e-\303\2514287ff173b", /* non-ASCII (octal: 3 digits at most) */
	};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		SlGuid guid;
		SlGuid untouched;

		memset(guid.bytes, 0x5a, SL_GUID_SIZE);
		untouched = guid;
		g_assert_false(sl_guid_parse(bad[i], &guid, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
		g_assert_nonnull(strstr(error->message, bad[i]));
		/* the output is only written on success */
		g_assert_true(sl_guid_equal(&guid, &untouched));
	}
}

static void
test_null(void)
{
	g_autoptr(GError) error = NULL;
	SlGuid guid = {0};
	g_assert_false(sl_guid_parse(NULL, &guid, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/guid/parse", test_parse);
	g_test_add_func("/guid/format", test_format);
	g_test_add_func("/guid/round-trip", test_round_trip);
	g_test_add_func("/guid/from-string", test_from_string);
	g_test_add_func("/guid/equal", test_equal);
	g_test_add_func("/guid/malformed", test_malformed);
	g_test_add_func("/guid/null", test_null);
	return g_test_run();
}
