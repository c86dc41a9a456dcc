/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sl-error.h"
#include "sl-ovmf.h"

/* GUIDs in their EFI byte order, written out so the test does not trust sl-guid */
static const guint8 footer_guid[16] = {
    0xde, 0x82, 0xb5, 0x96, 0xb2, 0x1f, 0xf7, 0x45, 0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d};
static const guint8 reset_guid[16] = {
    0xde, 0x71, 0xf7, 0x00, 0x7e, 0x1a, 0xcb, 0x4f, 0x89, 0x0e, 0x68, 0xc7, 0x7e, 0x2f, 0xb4, 0x4e};
static const guint8 secret_guid[16] = {
    0x61, 0xb3, 0x2e, 0x4c, 0x9b, 0x7d, 0xc3, 0x4c, 0x80, 0x81, 0x12, 0x7c, 0x90, 0xd3, 0xd2, 0x94};
static const guint8 hashes_guid[16] = {
    0x1f, 0x37, 0x55, 0x72, 0x3b, 0x3a, 0x04, 0x4b, 0x92, 0x7b, 0x1d, 0xa6, 0xef, 0xa8, 0xd4, 0x54};
/* e47a6535-984a-4798-865e-4685a7bf8ec2, the TDX/SEV metadata offset block */
static const guint8 metadata_guid[16] = {
    0x35, 0x65, 0x7a, 0xe4, 0x4a, 0x98, 0x98, 0x47, 0x86, 0x5e, 0x46, 0x85, 0xa7, 0xbf, 0x8e, 0xc2};
/* an entry the parser does not know */
static const guint8 other_guid[16] = {
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10};

static gchar *
test_ovmf_fixture(const gchar *dir, const gchar *name)
{
	return g_test_build_filename(G_TEST_DIST, "data", dir, name, NULL);
}

#define SEVCTL_OVMF "OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9"

static void
test_ovmf_put_u16(GByteArray *buf, guint16 val)
{
	guint8 b[2] = {val & 0xff, val >> 8};
	g_byte_array_append(buf, b, 2);
}

static void
test_ovmf_put_u32(GByteArray *buf, guint32 val)
{
	guint8 b[4] = {val & 0xff, (val >> 8) & 0xff, (val >> 16) & 0xff, val >> 24};
	g_byte_array_append(buf, b, 4);
}

/* data || u16 (len + 18) || GUID */
static void
test_ovmf_put_entry(GByteArray *buf, const guint8 guid[16], const guint8 *data, gsize len)
{
	if (len > 0)
		g_byte_array_append(buf, data, len);
	test_ovmf_put_u16(buf, (guint16)(len + 18));
	g_byte_array_append(buf, guid, 16);
}

/*
 * an image of @pad zero bytes, then @entries, the table length, the footer
 * GUID and 32 bytes of reset vector; the table length covers everything
 * after the padding up to the footer GUID, plus @len_adjust
 */
static GBytes *
test_ovmf_image(gsize pad, GByteArray *entries, gint len_adjust)
{
	g_autoptr(GByteArray) buf = g_byte_array_new();
	guint8 reset_vector[32];
	gsize table_len = entries->len + 18;

	memset(reset_vector, 0x90, sizeof(reset_vector));
	g_byte_array_set_size(buf, pad);
	/* memset may not be given NULL, even for 0 bytes (UBSan) */
	if (pad > 0)
		memset(buf->data, 0, pad);
	g_byte_array_append(buf, entries->data, entries->len);
	test_ovmf_put_u16(buf, (guint16)((gint)table_len + len_adjust));
	g_byte_array_append(buf, footer_guid, 16);
	g_byte_array_append(buf, reset_vector, sizeof(reset_vector));
	return g_byte_array_free_to_bytes(g_steal_pointer(&buf));
}

/* a well-formed table: metadata, hashes, secret, reset, like the real ones */
static GByteArray *
test_ovmf_good_entries(void)
{
	GByteArray *entries = g_byte_array_new();
	g_autoptr(GByteArray) area = g_byte_array_new();
	guint8 meta[4] = {0x70, 0x07, 0x00, 0x00};

	test_ovmf_put_entry(entries, metadata_guid, meta, sizeof(meta));
	test_ovmf_put_u32(area, 0x80cc00);
	test_ovmf_put_u32(area, 0x400);
	test_ovmf_put_entry(entries, hashes_guid, area->data, area->len);
	g_byte_array_set_size(area, 0);
	test_ovmf_put_u32(area, 0x80c000);
	test_ovmf_put_u32(area, 0xc00);
	test_ovmf_put_entry(entries, secret_guid, area->data, area->len);
	g_byte_array_set_size(area, 0);
	test_ovmf_put_u32(area, 0x80b004);
	test_ovmf_put_entry(entries, reset_guid, area->data, area->len);
	return entries;
}

static void
test_ovmf_assert_invalid(GBytes *image, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlOvmf) ovmf = sl_ovmf_new_from_bytes(image, &error);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_null(ovmf);
	g_assert_null(strchr(error->message, '\n'));
	if (strstr(error->message, needle) == NULL)
		g_error("'%s' not in '%s'", needle, error->message);
}

static void
test_ovmf_check_areas(SlOvmf *ovmf,
		      guint32 reset,
		      guint32 secret_base,
		      guint32 secret_size,
		      guint32 hashes_base,
		      guint32 hashes_size)
{
	guint32 a = 0, b = 0;

	g_assert_true(sl_ovmf_has_footer_table(ovmf));
	g_assert_true(sl_ovmf_get_sev_es_reset_addr(ovmf, &a));
	g_assert_cmphex(a, ==, reset);
	g_assert_true(sl_ovmf_get_secret_area(ovmf, &a, &b));
	g_assert_cmphex(a, ==, secret_base);
	g_assert_cmphex(b, ==, secret_size);
	g_assert_true(sl_ovmf_get_hashes_area(ovmf, &a, &b));
	g_assert_cmphex(a, ==, hashes_base);
	g_assert_cmphex(b, ==, hashes_size);
}

static SlOvmf *
test_ovmf_load(const gchar *dir, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = test_ovmf_fixture(dir, name);
	SlOvmf *ovmf = sl_ovmf_new_from_file(path, &error);
	g_assert_no_error(error);
	g_assert_nonnull(ovmf);
	g_assert_cmpuint(sl_ovmf_get_image_size(ovmf), ==, 4096);
	return ovmf;
}

/* values read off the files with xxd, walking the table by hand */
static void
test_ovmf_sevctl(void)
{
	g_autoptr(SlOvmf) ovmf = test_ovmf_load("sevctl", SEVCTL_OVMF);
	GPtrArray *entries = sl_ovmf_get_entries(ovmf);
	const guint8 *expected[] = {metadata_guid, hashes_guid, secret_guid, reset_guid};
	const gsize sizes[] = {4, 8, 8, 4};

	test_ovmf_check_areas(ovmf, 0x80b004, 0x80c000, 0xc00, 0x80cc00, 0x400);
	g_assert_cmpuint(entries->len, ==, 4);
	for (guint i = 0; i < entries->len; i++) {
		SlOvmfEntry *entry = g_ptr_array_index(entries, i);
		g_assert_cmpmem(entry->guid.bytes, 16, expected[i], 16);
		g_assert_cmpuint(g_bytes_get_size(entry->data), ==, sizes[i]);
	}
}

static void
test_ovmf_amdsev(void)
{
	g_autoptr(SlOvmf) ovmf = test_ovmf_load("sev-snp-measure", "ovmf_AmdSev_suffix.bin");
	test_ovmf_check_areas(ovmf, 0x80b004, 0x810000, 0xc00, 0x810c00, 0x400);
	g_assert_cmpuint(sl_ovmf_get_entries(ovmf)->len, ==, 5);
}

static void
test_ovmf_ovmfx64(void)
{
	g_autoptr(SlOvmf) ovmf = test_ovmf_load("sev-snp-measure", "ovmf_OvmfX64_suffix.bin");
	/* the generic build carries the entries but leaves both areas zero */
	test_ovmf_check_areas(ovmf, 0x80b004, 0, 0, 0, 0);
	g_assert_cmpuint(sl_ovmf_get_entries(ovmf)->len, ==, 5);
}

/* _new_from_bytes() takes any suffix that still holds the table */
static void
test_ovmf_suffix(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = test_ovmf_fixture("sevctl", SEVCTL_OVMF);
	g_autofree gchar *contents = NULL;
	g_autoptr(GBytes) whole = NULL;
	g_autoptr(GBytes) tail = NULL;
	g_autoptr(GBytes) short_tail = NULL;
	g_autoptr(SlOvmf) ovmf = NULL;
	gsize len = 0;

	g_assert_true(g_file_get_contents(path, &contents, &len, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(len, ==, 4096);
	whole = g_bytes_new_static(contents, len);
	/* the table is 0x72 bytes and ends 32 bytes before the end */
	tail = g_bytes_new_from_bytes(whole, len - 0x72 - 32, 0x72 + 32);
	ovmf = sl_ovmf_new_from_bytes(tail, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(sl_ovmf_get_image_size(ovmf), ==, 0x72 + 32);
	test_ovmf_check_areas(ovmf, 0x80b004, 0x80c000, 0xc00, 0x80cc00, 0x400);

	short_tail = g_bytes_new_from_bytes(whole, len - 0x72 - 31, 0x72 + 31);
	test_ovmf_assert_invalid(short_tail, "past the start of the image");
}

static void
test_ovmf_synthetic_good(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GByteArray) entries = test_ovmf_good_entries();
	g_autoptr(GBytes) image = test_ovmf_image(100, entries, 0);
	g_autoptr(SlOvmf) ovmf = sl_ovmf_new_from_bytes(image, &error);

	g_assert_no_error(error);
	test_ovmf_check_areas(ovmf, 0x80b004, 0x80c000, 0xc00, 0x80cc00, 0x400);
	g_assert_cmpuint(sl_ovmf_get_entries(ovmf)->len, ==, 4);
}

static void
test_ovmf_empty_table(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GByteArray) entries = g_byte_array_new();
	g_autoptr(GBytes) image = test_ovmf_image(0, entries, 0);
	g_autoptr(SlOvmf) ovmf = sl_ovmf_new_from_bytes(image, &error);

	g_assert_no_error(error);
	g_assert_true(sl_ovmf_has_footer_table(ovmf));
	g_assert_cmpuint(sl_ovmf_get_entries(ovmf)->len, ==, 0);
	g_assert_false(sl_ovmf_get_sev_es_reset_addr(ovmf, NULL));
}

/* a plain SEV firmware has no table: valid, every lookup comes back empty */
static void
test_ovmf_no_footer(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GByteArray) entries = test_ovmf_good_entries();
	g_autoptr(GBytes) image = test_ovmf_image(4000, entries, 0);
	g_autofree guint8 *copy = g_memdup2(g_bytes_get_data(image, NULL), g_bytes_get_size(image));
	g_autoptr(GBytes) broken = NULL;
	g_autoptr(SlOvmf) ovmf = NULL;
	gsize len = g_bytes_get_size(image);
	guint32 a = 1, b = 1;

	/* one flipped bit in the footer GUID */
	copy[len - 48] ^= 0x01;
	broken = g_bytes_new(copy, len);
	ovmf = sl_ovmf_new_from_bytes(broken, &error);
	g_assert_no_error(error);
	g_assert_false(sl_ovmf_has_footer_table(ovmf));
	g_assert_cmpuint(sl_ovmf_get_image_size(ovmf), ==, len);
	g_assert_cmpuint(sl_ovmf_get_entries(ovmf)->len, ==, 0);
	g_assert_false(sl_ovmf_get_sev_es_reset_addr(ovmf, &a));
	g_assert_false(sl_ovmf_get_secret_area(ovmf, &a, &b));
	g_assert_false(sl_ovmf_get_hashes_area(ovmf, &a, &b));
	g_assert_cmpuint(a, ==, 1);
	g_assert_cmpuint(b, ==, 1);
}

static void
test_ovmf_table_len_past_image(void)
{
	g_autoptr(GByteArray) entries = test_ovmf_good_entries();
	g_autoptr(GBytes) exact = test_ovmf_image(0, entries, 0);
	g_autoptr(GBytes) over = test_ovmf_image(0, entries, 1);
	g_autoptr(GBytes) max = test_ovmf_image(100, entries, 0xffff - (gint)entries->len - 18);
	g_autoptr(SlOvmf) ovmf = NULL;
	g_autoptr(GError) error = NULL;

	/* a table that starts at the first byte is fine, one byte more is not */
	ovmf = sl_ovmf_new_from_bytes(exact, &error);
	g_assert_no_error(error);
	test_ovmf_assert_invalid(over, "past the start of the image");
	test_ovmf_assert_invalid(max, "length 65535 runs past");
}

static void
test_ovmf_table_len_tiny(void)
{
	g_autoptr(GByteArray) entries = g_byte_array_new();
	g_autoptr(GBytes) zero = test_ovmf_image(100, entries, -18);
	g_autoptr(GBytes) seventeen = test_ovmf_image(100, entries, -1);

	test_ovmf_assert_invalid(zero, "length 0 is less than");
	test_ovmf_assert_invalid(seventeen, "length 17 is less than");
}

static void
test_ovmf_entry_len_tiny(void)
{
	g_autoptr(GByteArray) entries = test_ovmf_good_entries();
	g_autoptr(GBytes) zero = NULL;
	g_autoptr(GBytes) seventeen = NULL;

	/* the reset block's length field sits right before its GUID at the end */
	entries->data[entries->len - 18] = 0;
	zero = test_ovmf_image(100, entries, 0);
	test_ovmf_assert_invalid(zero, "has length 0, less than");
	entries->data[entries->len - 18] = 17;
	seventeen = test_ovmf_image(100, entries, 0);
	test_ovmf_assert_invalid(seventeen, "has length 17, less than");
}

static void
test_ovmf_entry_len_past_table(void)
{
	g_autoptr(GByteArray) entries = test_ovmf_good_entries();
	g_autoptr(GBytes) image = NULL;
	guint16 len = (guint16)(entries->len + 1);

	/* more than the whole table, although the padding before it would hold it */
	entries->data[entries->len - 18] = len & 0xff;
	entries->data[entries->len - 17] = len >> 8;
	image = test_ovmf_image(4000, entries, 0);
	test_ovmf_assert_invalid(image, "bytes of the table remain");
}

static void
test_ovmf_truncated_payload(void)
{
	g_autoptr(GByteArray) reset = g_byte_array_new();
	g_autoptr(GByteArray) secret = g_byte_array_new();
	g_autoptr(GByteArray) hashes = g_byte_array_new();
	g_autoptr(GBytes) reset_image = NULL;
	g_autoptr(GBytes) secret_image = NULL;
	g_autoptr(GBytes) hashes_image = NULL;
	guint8 data[7] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};

	test_ovmf_put_entry(reset, reset_guid, data, 3);
	reset_image = test_ovmf_image(100, reset, 0);
	test_ovmf_assert_invalid(reset_image, "SEV-ES reset block entry has 3 bytes");
	test_ovmf_put_entry(secret, secret_guid, data, 4);
	secret_image = test_ovmf_image(100, secret, 0);
	test_ovmf_assert_invalid(secret_image, "secret area entry has 4 bytes");
	test_ovmf_put_entry(hashes, hashes_guid, data, 7);
	hashes_image = test_ovmf_image(100, hashes, 0);
	test_ovmf_assert_invalid(hashes_image, "hashes area entry has 7 bytes");
}

/* bytes left over at the start of the table that cannot be an entry */
static void
test_ovmf_stray_bytes(void)
{
	g_autoptr(GByteArray) entries = g_byte_array_new();
	g_autoptr(GByteArray) good = test_ovmf_good_entries();
	g_autoptr(GBytes) image = NULL;
	guint8 stray[5] = {0};

	g_byte_array_append(entries, stray, sizeof(stray));
	g_byte_array_append(entries, good->data, good->len);
	image = test_ovmf_image(100, entries, 0);
	test_ovmf_assert_invalid(image, "5 bytes at its start are too short");
}

/* unknown entries may be any size, including empty */
static void
test_ovmf_unknown_entry(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GByteArray) entries = g_byte_array_new();
	g_autoptr(GBytes) image = NULL;
	g_autoptr(SlOvmf) ovmf = NULL;
	SlGuid guid;

	test_ovmf_put_entry(entries, other_guid, NULL, 0);
	image = test_ovmf_image(0, entries, 0);
	ovmf = sl_ovmf_new_from_bytes(image, &error);
	g_assert_no_error(error);
	memcpy(guid.bytes, other_guid, 16);
	g_assert_nonnull(sl_ovmf_find_entry(ovmf, &guid));
	g_assert_cmpuint(g_bytes_get_size(sl_ovmf_find_entry(ovmf, &guid)), ==, 0);
	g_assert_false(sl_ovmf_get_hashes_area(ovmf, NULL, NULL));
}

/* with two entries of one GUID QEMU uses the one nearer the footer */
static void
test_ovmf_duplicate_entry(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GByteArray) entries = g_byte_array_new();
	g_autoptr(GByteArray) data = g_byte_array_new();
	g_autoptr(GBytes) image = NULL;
	g_autoptr(SlOvmf) ovmf = NULL;
	guint32 addr = 0;

	test_ovmf_put_u32(data, 0x11111111);
	test_ovmf_put_entry(entries, reset_guid, data->data, data->len);
	g_byte_array_set_size(data, 0);
	test_ovmf_put_u32(data, 0x22222222);
	test_ovmf_put_entry(entries, reset_guid, data->data, data->len);
	image = test_ovmf_image(0, entries, 0);
	ovmf = sl_ovmf_new_from_bytes(image, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(sl_ovmf_get_entries(ovmf)->len, ==, 2);
	g_assert_true(sl_ovmf_get_sev_es_reset_addr(ovmf, &addr));
	g_assert_cmphex(addr, ==, 0x22222222);
}

static void
test_ovmf_short_image(void)
{
	g_autoptr(GByteArray) entries = g_byte_array_new();
	g_autoptr(GBytes) full = test_ovmf_image(0, entries, 0);
	g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
	g_autoptr(GBytes) tiny = g_bytes_new_from_bytes(full, 3, 47);
	g_autoptr(GBytes) no_len = g_bytes_new_from_bytes(full, 1, 49);

	test_ovmf_assert_invalid(empty, "0 bytes, too small");
	test_ovmf_assert_invalid(tiny, "47 bytes, too small");
	/* the footer GUID is there, its length field is cut off */
	test_ovmf_assert_invalid(no_len, "length field lies before the start");
}

static void
test_ovmf_file_errors(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_dir = NULL;
	g_autoptr(GError) error_small = NULL;
	g_autoptr(GError) error_empty = NULL;
	g_autofree gchar *tmpdir = g_dir_make_tmp("sl-test-ovmf-XXXXXX", NULL);
	g_autofree gchar *small = g_build_filename(tmpdir, "small.fd", NULL);
	g_autofree gchar *empty = g_build_filename(tmpdir, "empty.fd", NULL);
	g_autofree gchar *missing = g_build_filename(tmpdir, "missing.fd", NULL);
	g_autofree gchar *zeros = g_malloc0(4095);
	SlOvmf *ovmf;

	g_assert_nonnull(tmpdir);
	g_assert_true(g_file_set_contents(small, zeros, 4095, NULL));
	g_assert_true(g_file_set_contents(empty, "", 0, NULL));

	ovmf = sl_ovmf_new_from_file(missing, &error);
	g_assert_error(error, SL_ERROR, SL_ERROR_READ);
	g_assert_null(ovmf);
	g_assert_nonnull(strstr(error->message, missing));
	ovmf = sl_ovmf_new_from_file(tmpdir, &error_dir);
	g_assert_error(error_dir, SL_ERROR, SL_ERROR_READ);
	g_assert_null(ovmf);
	ovmf = sl_ovmf_new_from_file(small, &error_small);
	g_assert_error(error_small, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error_small->message, "4095 bytes is too small"));
	g_assert_null(ovmf);
	ovmf = sl_ovmf_new_from_file(empty, &error_empty);
	g_assert_error(error_empty, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_null(ovmf);

	g_assert_cmpint(g_unlink(small), ==, 0);
	g_assert_cmpint(g_unlink(empty), ==, 0);
	g_assert_cmpint(g_rmdir(tmpdir), ==, 0);
}

/* a file larger than the longest table: the table is found at its very end */
static void
test_ovmf_file_large(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GByteArray) entries = test_ovmf_good_entries();
	g_autoptr(GBytes) image = test_ovmf_image(200000, entries, 0);
	g_autoptr(GBytes) bad_image = test_ovmf_image(200000, entries, 0xffff - 18 - (gint)entries->len);
	g_autofree gchar *tmpdir = g_dir_make_tmp("sl-test-ovmf-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(tmpdir, "big.fd", NULL);
	g_autofree gchar *bad_path = g_build_filename(tmpdir, "bad.fd", NULL);
	g_autoptr(SlOvmf) ovmf = NULL;
	g_autoptr(SlOvmf) big_table = NULL;

	g_assert_true(
	    g_file_set_contents(path, g_bytes_get_data(image, NULL), g_bytes_get_size(image), NULL));
	g_assert_true(g_file_set_contents(
	    bad_path, g_bytes_get_data(bad_image, NULL), g_bytes_get_size(bad_image), NULL));
	ovmf = sl_ovmf_new_from_file(path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(sl_ovmf_get_image_size(ovmf), ==, g_bytes_get_size(image));
	test_ovmf_check_areas(ovmf, 0x80b004, 0x80c000, 0xc00, 0x80cc00, 0x400);

	/* a 65535-byte table fits in the tail: zero padding is then a stray entry */
	big_table = sl_ovmf_new_from_file(bad_path, &error);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_null(big_table);
	g_assert_nonnull(strstr(error->message, bad_path));
	g_assert_nonnull(strstr(error->message, "has length 0"));

	g_assert_cmpint(g_unlink(path), ==, 0);
	g_assert_cmpint(g_unlink(bad_path), ==, 0);
	g_assert_cmpint(g_rmdir(tmpdir), ==, 0);
}

/* the image is held in memory: a file past the bound is refused before it is read */
static void
test_ovmf_file_too_large(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tmpdir = g_dir_make_tmp("sl-test-ovmf-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(tmpdir, "huge.fd", NULL);
	g_autoptr(GBytes) image = NULL;

	/* sparse: no disk space is used */
	g_assert_true(g_file_set_contents(path, "", 0, NULL));
	g_assert_cmpint(truncate(path, (off_t)SL_OVMF_MAX_IMAGE_SIZE + 1), ==, 0);
	image = sl_ovmf_read_image(path, &error);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_null(image);
	g_assert_nonnull(strstr(error->message, "too large"));
	g_assert_nonnull(strstr(error->message, path));
	g_assert_cmpint(g_unlink(path), ==, 0);
	g_assert_cmpint(g_rmdir(tmpdir), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ovmf/sevctl", test_ovmf_sevctl);
	g_test_add_func("/ovmf/amdsev", test_ovmf_amdsev);
	g_test_add_func("/ovmf/ovmfx64", test_ovmf_ovmfx64);
	g_test_add_func("/ovmf/suffix", test_ovmf_suffix);
	g_test_add_func("/ovmf/synthetic-good", test_ovmf_synthetic_good);
	g_test_add_func("/ovmf/empty-table", test_ovmf_empty_table);
	g_test_add_func("/ovmf/no-footer", test_ovmf_no_footer);
	g_test_add_func("/ovmf/table-len-past-image", test_ovmf_table_len_past_image);
	g_test_add_func("/ovmf/table-len-tiny", test_ovmf_table_len_tiny);
	g_test_add_func("/ovmf/entry-len-tiny", test_ovmf_entry_len_tiny);
	g_test_add_func("/ovmf/entry-len-past-table", test_ovmf_entry_len_past_table);
	g_test_add_func("/ovmf/truncated-payload", test_ovmf_truncated_payload);
	g_test_add_func("/ovmf/stray-bytes", test_ovmf_stray_bytes);
	g_test_add_func("/ovmf/unknown-entry", test_ovmf_unknown_entry);
	g_test_add_func("/ovmf/duplicate-entry", test_ovmf_duplicate_entry);
	g_test_add_func("/ovmf/short-image", test_ovmf_short_image);
	g_test_add_func("/ovmf/file-errors", test_ovmf_file_errors);
	g_test_add_func("/ovmf/file-large", test_ovmf_file_large);
	g_test_add_func("/ovmf/file-too-large", test_ovmf_file_too_large);
	return g_test_run();
}
