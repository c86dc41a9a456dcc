/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file-test-util.h"
#include "sl-error.h"
#include "sl-secret-table.h"

/* GUIDs in EFI byte order, written out by hand from the text form */
static const guint8 table_guid_bytes[16] = {
    0x42, 0xf5, 0x74, 0x1e, 0xdd, 0x71, 0x66, 0x4d, 0x96, 0x3e, 0xef, 0x42, 0x87, 0xff, 0x17, 0x3b};
static const guint8 luks_guid_bytes[16] = {
    0xe5, 0x69, 0x68, 0x73, 0xf0, 0x84, 0x73, 0x49, 0x92, 0xec, 0x06, 0x87, 0x9c, 0xe3, 0xda, 0x0b};
static const guint8 other_guid_bytes[16] = {
    0xe5, 0x69, 0x68, 0x73, 0xaa, 0xaa, 0x73, 0x49, 0x92, 0xec, 0x06, 0x87, 0x9c, 0xe3, 0xda, 0x0b};
#define OTHER_GUID_TEXT "736869e5-aaaa-4973-92ec-06879ce3da0b"

/* never allowed in an error message */
#define SECRET_CONTENT "TOPSECRET-CONTENT"

typedef struct {
	gchar *dir;
} Fixture;

static void
fixture_setup(Fixture *fx, gconstpointer user_data)
{
	fx->dir = file_test_dir_new("sl-secret-table-XXXXXX");
}

static void
fixture_teardown(Fixture *fx, gconstpointer user_data)
{
	file_test_dir_remove(fx->dir);
	g_free(fx->dir);
}

static void
assert_no_content(const GError *error)
{
	g_assert_nonnull(error);
	g_assert_null(strstr(error->message, SECRET_CONTENT));
}

static SlGuid
guid_from_bytes(const guint8 bytes[16])
{
	SlGuid guid;
	memcpy(guid.bytes, bytes, 16);
	return guid;
}

static void
add_literal(SlSecretTable *table, const guint8 guid_bytes[16], const gchar *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSecretBytes) data = sl_secret_bytes_new_copy(text, strlen(text));
	SlGuid guid = guid_from_bytes(guid_bytes);
	g_assert_true(sl_secret_table_add(table, &guid, data, &error));
	g_assert_no_error(error);
}

static void
assert_serialized(const SlSecretTable *table, const guint8 *expected, gsize expected_len)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSecretBytes) buf = sl_secret_table_serialize(table, &error);
	g_assert_no_error(error);
	g_assert_nonnull(buf);
	g_assert_cmpmem(sl_secret_bytes_get_data(buf), sl_secret_bytes_get_size(buf), expected, expected_len);
}

static void
test_layout_one(void)
{
	g_autoptr(SlSecretTable) table = sl_secret_table_new();
	/* 20 header + 20 entry header + 3 data = 43 = 0x2b, padded to 48 */
	const guint8 expected[48] = {
	    0x42, 0xf5, 0x74, 0x1e, 0xdd, 0x71, 0x66, 0x4d, 0x96, 0x3e, 0xef, 0x42, 0x87, 0xff, 0x17, 0x3b,
	    0x2b, 0x00, 0x00, 0x00, 0xe5, 0x69, 0x68, 0x73, 0xf0, 0x84, 0x73, 0x49, 0x92, 0xec, 0x06, 0x87,
	    0x9c, 0xe3, 0xda, 0x0b, 0x17, 0x00, 0x00, 0x00, 'a',  'b',  'c',  0x00, 0x00, 0x00, 0x00, 0x00,
	};

	add_literal(table, luks_guid_bytes, "abc");
	g_assert_cmpuint(sl_secret_table_get_count(table), ==, 1);
	g_assert_cmpuint(sl_secret_table_get_size(table), ==, 43);
	g_assert_cmpuint(sl_secret_table_get_padded_size(table), ==, 48);
	assert_serialized(table, expected, sizeof(expected));
}

static void
test_layout_two(void)
{
	g_autoptr(SlSecretTable) table = sl_secret_table_new();
	/* 20 + (20 + 3) + (20 + 2) = 65 = 0x41, padded to 80 */
	const guint8 expected[80] = {
	    0x42, 0xf5, 0x74, 0x1e, 0xdd, 0x71, 0x66, 0x4d, 0x96, 0x3e, 0xef, 0x42, 0x87, 0xff, 0x17, 0x3b,
	    0x41, 0x00, 0x00, 0x00, 0xe5, 0x69, 0x68, 0x73, 0xf0, 0x84, 0x73, 0x49, 0x92, 0xec, 0x06, 0x87,
	    0x9c, 0xe3, 0xda, 0x0b, 0x17, 0x00, 0x00, 0x00, 'a',  'b',  'c',  0xe5, 0x69, 0x68, 0x73, 0xaa,
	    0xaa, 0x73, 0x49, 0x92, 0xec, 0x06, 0x87, 0x9c, 0xe3, 0xda, 0x0b, 0x16, 0x00, 0x00, 0x00, 'x',
	    'y',  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};

	add_literal(table, luks_guid_bytes, "abc");
	add_literal(table, other_guid_bytes, "xy");
	g_assert_cmpuint(sl_secret_table_get_count(table), ==, 2);
	g_assert_cmpuint(sl_secret_table_get_size(table), ==, 65);
	g_assert_cmpuint(sl_secret_table_get_padded_size(table), ==, 80);
	assert_serialized(table, expected, sizeof(expected));
}

static void
test_padding(void)
{
	for (gsize len = 0; len <= 40; len++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SlSecretTable) table = sl_secret_table_new();
		g_autoptr(SlSecretBytes) data = sl_secret_bytes_new(len);
		g_autoptr(SlSecretBytes) buf = NULL;
		SlGuid guid = guid_from_bytes(luks_guid_bytes);
		gsize size = 40 + len;
		gsize padded = size % 16 == 0 ? size : size + 16 - size % 16;
		const guint8 *p;
		guint32 total;

		memset(sl_secret_bytes_get_data(data), 0xa5, len);
		g_assert_true(sl_secret_table_add(table, &guid, data, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(sl_secret_table_get_size(table), ==, size);
		g_assert_cmpuint(sl_secret_table_get_padded_size(table), ==, padded);
		buf = sl_secret_table_serialize(table, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(sl_secret_bytes_get_size(buf), ==, padded);
		p = sl_secret_bytes_get_data(buf);
		g_assert_cmpmem(p, 16, table_guid_bytes, 16);
		/* the header carries the unpadded length */
		total = (guint32)p[16] | (guint32)p[17] << 8 | (guint32)p[18] << 16 | (guint32)p[19] << 24;
		g_assert_cmpuint(total, ==, size);
		g_assert_cmpuint(p[36], ==, 20 + len);
		for (gsize i = 40; i < size; i++)
			g_assert_cmpuint(p[i], ==, 0xa5);
		for (gsize i = size; i < padded; i++)
			g_assert_cmpuint(p[i], ==, 0);
	}
}

static void
test_empty_table(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSecretTable) table = sl_secret_table_new();
	g_autoptr(SlSecretBytes) buf = NULL;

	g_assert_cmpuint(sl_secret_table_get_count(table), ==, 0);
	g_assert_cmpuint(sl_secret_table_get_size(table), ==, 0);
	g_assert_cmpuint(sl_secret_table_get_padded_size(table), ==, 0);
	buf = sl_secret_table_serialize(table, &error);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
	g_assert_null(buf);
}

static void
test_alias(void)
{
	const gchar *const *aliases = sl_secret_get_aliases();
	g_autoptr(GError) error = NULL;
	gboolean found = FALSE;
	SlGuid guid = {0};

	g_assert_nonnull(aliases);
	for (guint i = 0; aliases[i] != NULL; i++) {
		if (g_strcmp0(aliases[i], "luks-key") == 0)
			found = TRUE;
	}
	g_assert_true(found);

	g_assert_true(sl_secret_guid_from_alias("luks-key", &guid, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(guid.bytes, 16, luks_guid_bytes, 16);

	memset(&guid, 0, sizeof(guid));
	g_assert_true(sl_secret_guid_from_alias("LUKS-Key", &guid, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(guid.bytes, 16, luks_guid_bytes, 16);

	g_assert_true(sl_secret_guid_from_alias("736869E5-AAAA-4973-92EC-06879CE3DA0B", &guid, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(guid.bytes, 16, other_guid_bytes, 16);
}

static void
test_unknown_alias(void)
{
	const gchar *bad[] = {"luks", "luks-key2", "", " luks-key"};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		SlGuid guid = {0};
		g_assert_false(sl_secret_guid_from_alias(bad[i], &guid, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
		if (bad[i][0] != '\0') {
			g_autofree gchar *quoted = g_strdup_printf("'%s'", bad[i]);
			g_assert_nonnull(strstr(error->message, quoted));
			g_assert_nonnull(strstr(error->message, "luks-key"));
		}
	}
}

static void
test_malformed_guid(Fixture *fx, gconstpointer user_data)
{
	const gchar *bad[] = {
	    "736869e5-84f0-4973-92ec-06879ce3da0",   /* short */
	    "736869e5-84f0-4973-92ec-06879ce3da0bb", /* long */
	    "736869e5-84f0-4973-92ec-06879ce3dagb",  /* not hex */
	    "736869e584f0-4973-92ec-06879ce3da0b-",  /* hyphen misplaced */
	    "{736869e5-84f0-4973-92ec-06879ce3da}",  /* braces */
	};
	g_autofree gchar *path = file_test_write(fx->dir, "s", SECRET_CONTENT, strlen(SECRET_CONTENT), 0600);

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SlSecretTable) table = sl_secret_table_new();
		g_autofree gchar *spec = g_strdup_printf("%s:%s", bad[i], path);
		SlGuid guid = {0};

		g_assert_false(sl_secret_guid_from_alias(bad[i], &guid, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, bad[i]));
		g_clear_error(&error);

		g_assert_false(sl_secret_table_add_spec(table, spec, SL_SECURE_FILE_FLAG_NONE, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, bad[i]));
		g_assert_cmpuint(sl_secret_table_get_count(table), ==, 0);
	}
}

static void
test_spec(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSecretTable) table = sl_secret_table_new();
	g_autofree gchar *path1 = file_test_write(fx->dir, "one", "abc", 3, 0600);
	/* only the first ':' separates: file names may contain one */
	g_autofree gchar *path2 = file_test_write(fx->dir, "two:x", "xy", 2, 0600);
	g_autofree gchar *spec1 = g_strdup_printf("luks-key:%s", path1);
	g_autofree gchar *spec2 = g_strdup_printf("%s:%s", OTHER_GUID_TEXT, path2);
	g_autoptr(SlSecretBytes) buf = NULL;
	const guint8 *p;

	g_assert_true(sl_secret_table_add_spec(table, spec1, SL_SECURE_FILE_FLAG_NONE, &error));
	g_assert_no_error(error);
	g_assert_true(sl_secret_table_add_spec(table, spec2, SL_SECURE_FILE_FLAG_NONE, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(sl_secret_table_get_count(table), ==, 2);
	buf = sl_secret_table_serialize(table, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(sl_secret_bytes_get_size(buf), ==, 80);
	p = sl_secret_bytes_get_data(buf);
	g_assert_cmpmem(p + 20, 16, luks_guid_bytes, 16);
	g_assert_cmpmem(p + 40, 3, "abc", 3);
	g_assert_cmpmem(p + 43, 16, other_guid_bytes, 16);
	g_assert_cmpmem(p + 63, 2, "xy", 2);
}

static void
test_spec_without_colon(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *path = file_test_write(fx->dir, "s", SECRET_CONTENT, strlen(SECRET_CONTENT), 0600);
	g_autofree gchar *no_name = g_strdup_printf(":%s", path);
	const gchar *bad[] = {"luks-key", "luks-key:", no_name, ""};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SlSecretTable) table = sl_secret_table_new();
		g_assert_false(sl_secret_table_add_spec(table, bad[i], SL_SECURE_FILE_FLAG_NONE, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, "FILE"));
		g_assert_cmpuint(sl_secret_table_get_count(table), ==, 0);
	}
}

static void
test_duplicate(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSecretTable) table = sl_secret_table_new();
	g_autofree gchar *path1 = file_test_write(fx->dir, "one", "abc", 3, 0600);
	g_autofree gchar *path2 =
	    file_test_write(fx->dir, "two", SECRET_CONTENT, strlen(SECRET_CONTENT), 0600);
	g_autofree gchar *spec1 = g_strdup_printf("luks-key:%s", path1);
	/* the same GUID in upper case text */
	g_autofree gchar *spec2 = g_strdup_printf("736869E5-84F0-4973-92EC-06879CE3DA0B:%s", path2);
	g_autoptr(SlSecretBytes) data = sl_secret_bytes_new_copy("z", 1);
	SlGuid guid = guid_from_bytes(luks_guid_bytes);

	g_assert_true(sl_secret_table_add_spec(table, spec1, SL_SECURE_FILE_FLAG_NONE, &error));
	g_assert_no_error(error);
	g_assert_false(sl_secret_table_add_spec(table, spec2, SL_SECURE_FILE_FLAG_NONE, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "736869E5-84F0-4973-92EC-06879CE3DA0B"));
	g_assert_nonnull(strstr(error->message, path2));
	assert_no_content(error);
	g_clear_error(&error);

	g_assert_false(sl_secret_table_add(table, &guid, data, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, SL_SECRET_GUID_LUKS_KEY));
	g_assert_cmpuint(sl_secret_table_get_count(table), ==, 1);
	g_assert_cmpuint(sl_secret_table_get_size(table), ==, 43);
}

static void
test_null_guid(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSecretTable) table = sl_secret_table_new();
	g_autoptr(SlSecretBytes) data = sl_secret_bytes_new_copy("z", 1);
	SlGuid guid = {0};

	g_assert_true(sl_secret_guid_from_alias("00000000-0000-0000-0000-000000000000", &guid, &error));
	g_assert_no_error(error);
	g_assert_false(sl_secret_table_add(table, &guid, data, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
	g_assert_cmpuint(sl_secret_table_get_count(table), ==, 0);
}

static void
test_unreadable_file(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSecretTable) table = sl_secret_table_new();
	g_autofree gchar *path = g_build_filename(fx->dir, "missing", NULL);
	g_autofree gchar *spec = g_strdup_printf("luks-key:%s", path);

	g_assert_false(sl_secret_table_add_spec(table, spec, SL_SECURE_FILE_FLAG_NONE, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_READ);
	g_assert_nonnull(strstr(error->message, "luks-key"));
	g_assert_nonnull(strstr(error->message, path));
	g_assert_cmpuint(sl_secret_table_get_count(table), ==, 0);
	g_clear_error(&error);

	/* a directory is not a secret */
	g_free(spec);
	spec = g_strdup_printf("luks-key:%s", fx->dir);
	g_assert_false(sl_secret_table_add_spec(table, spec, SL_SECURE_FILE_FLAG_NONE, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_READ);
	g_assert_nonnull(strstr(error->message, fx->dir));
}

static void
test_open_permissions(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSecretTable) table = sl_secret_table_new();
	g_autofree gchar *path =
	    file_test_write(fx->dir, "open", SECRET_CONTENT, strlen(SECRET_CONTENT), 0644);
	g_autofree gchar *spec = g_strdup_printf("luks-key:%s", path);

	g_assert_false(sl_secret_table_add_spec(table, spec, SL_SECURE_FILE_FLAG_NONE, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_PERMISSION);
	g_assert_nonnull(strstr(error->message, "luks-key"));
	g_assert_nonnull(strstr(error->message, path));
	assert_no_content(error);
	g_clear_error(&error);

	g_assert_true(
	    sl_secret_table_add_spec(table, spec, SL_SECURE_FILE_FLAG_ALLOW_OPEN_PERMISSIONS, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(sl_secret_table_get_count(table), ==, 1);
}

static void
test_empty_file(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSecretTable) table = sl_secret_table_new();
	g_autofree gchar *path = file_test_write(fx->dir, "empty", "", 0, 0600);
	g_autofree gchar *spec = g_strdup_printf("%s:%s", OTHER_GUID_TEXT, path);

	g_assert_false(sl_secret_table_add_spec(table, spec, SL_SECURE_FILE_FLAG_NONE, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, OTHER_GUID_TEXT));
	g_assert_nonnull(strstr(error->message, path));
	g_assert_cmpuint(sl_secret_table_get_count(table), ==, 0);
}

static void
test_oversize(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSecretTable) table = sl_secret_table_new();
	g_autoptr(SlSecretTable) table2 = sl_secret_table_new();
	g_autoptr(SlSecretBytes) fits = sl_secret_bytes_new(SL_SECRET_TABLE_MAX_SIZE - 40);
	g_autoptr(SlSecretBytes) too_big = sl_secret_bytes_new(SL_SECRET_TABLE_MAX_SIZE - 39);
	g_autoptr(SlSecretBytes) empty = sl_secret_bytes_new(0);
	g_autoptr(SlSecretBytes) buf = NULL;
	SlGuid luks = guid_from_bytes(luks_guid_bytes);
	SlGuid other = guid_from_bytes(other_guid_bytes);

	/* exactly the maximum is accepted */
	g_assert_true(sl_secret_table_add(table, &luks, fits, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(sl_secret_table_get_size(table), ==, SL_SECRET_TABLE_MAX_SIZE);
	g_assert_cmpuint(sl_secret_table_get_padded_size(table), ==, SL_SECRET_TABLE_MAX_SIZE);

	/* even an empty entry needs a header that no longer fits */
	g_assert_false(sl_secret_table_add(table, &other, empty, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_assert_cmpuint(sl_secret_table_get_count(table), ==, 1);
	g_assert_cmpuint(sl_secret_table_get_size(table), ==, SL_SECRET_TABLE_MAX_SIZE);
	buf = sl_secret_table_serialize(table, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(sl_secret_bytes_get_size(buf), ==, SL_SECRET_TABLE_MAX_SIZE);

	/* one byte more */
	g_assert_false(sl_secret_table_add(table2, &luks, too_big, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_cmpuint(sl_secret_table_get_count(table2), ==, 0);
}

static void
test_oversize_file(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSecretTable) table = sl_secret_table_new();
	g_autofree gchar *big = file_test_write(fx->dir, "big", "x", 1, 0600);
	g_autofree gchar *half = file_test_write(fx->dir, "half", "x", 1, 0600);
	g_autofree gchar *spec_big = g_strdup_printf("luks-key:%s", big);
	g_autofree gchar *spec_half1 = g_strdup_printf("luks-key:%s", half);
	g_autofree gchar *spec_half2 = g_strdup_printf("%s:%s", OTHER_GUID_TEXT, half);

	/* sparse files: no need to write a megabyte */
	g_assert_cmpint(truncate(big, SL_SECRET_TABLE_MAX_SIZE - 39), ==, 0);
	g_assert_cmpint(truncate(half, SL_SECRET_TABLE_MAX_SIZE / 2), ==, 0);

	g_assert_false(sl_secret_table_add_spec(table, spec_big, SL_SECURE_FILE_FLAG_NONE, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, big));
	g_clear_error(&error);

	/* each fits alone, not both */
	g_assert_true(sl_secret_table_add_spec(table, spec_half1, SL_SECURE_FILE_FLAG_NONE, &error));
	g_assert_no_error(error);
	g_assert_false(sl_secret_table_add_spec(table, spec_half2, SL_SECURE_FILE_FLAG_NONE, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, OTHER_GUID_TEXT));
	g_assert_nonnull(strstr(error->message, half));
	g_assert_cmpuint(sl_secret_table_get_count(table), ==, 1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/secret-table/layout-one", test_layout_one);
	g_test_add_func("/secret-table/layout-two", test_layout_two);
	g_test_add_func("/secret-table/padding", test_padding);
	g_test_add_func("/secret-table/empty-table", test_empty_table);
	g_test_add_func("/secret-table/alias", test_alias);
	g_test_add_func("/secret-table/unknown-alias", test_unknown_alias);
	g_test_add_func("/secret-table/null-guid", test_null_guid);
	g_test_add_func("/secret-table/oversize", test_oversize);
	g_test_add("/secret-table/malformed-guid",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_malformed_guid,
		   fixture_teardown);
	g_test_add("/secret-table/spec", Fixture, NULL, fixture_setup, test_spec, fixture_teardown);
	g_test_add("/secret-table/spec-without-colon",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_spec_without_colon,
		   fixture_teardown);
	g_test_add("/secret-table/duplicate", Fixture, NULL, fixture_setup, test_duplicate, fixture_teardown);
	g_test_add("/secret-table/unreadable-file",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_unreadable_file,
		   fixture_teardown);
	g_test_add("/secret-table/open-permissions",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_open_permissions,
		   fixture_teardown);
	g_test_add(
	    "/secret-table/empty-file", Fixture, NULL, fixture_setup, test_empty_file, fixture_teardown);
	g_test_add("/secret-table/oversize-file",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_oversize_file,
		   fixture_teardown);
	return g_test_run();
}
