/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sl-error.h"
#include "sl-hashes-table.h"
#include "sl-launch-digest.h"
#include "sl-ovmf.h"

#define SEVCTL_OVMF "OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9"

/* the firmware as the tool reads it: one whole image */
static void
test_add_firmware(SlLaunchDigest *digest, const gchar *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) image = sl_ovmf_read_image(path, &error);

	g_assert_no_error(error);
	sl_launch_digest_add_firmware(digest, image);
}

/* GUIDs in their EFI byte order, written out so the test does not trust sl-guid */
static const guint8 table_guid[16] = {
    0x06, 0xd6, 0x38, 0x94, 0x22, 0x4f, 0xc9, 0x4c, 0xb4, 0x79, 0xa7, 0x93, 0xd4, 0x11, 0xfd, 0x21};
static const guint8 cmdline_guid[16] = {
    0xd8, 0x2d, 0xd0, 0x97, 0x20, 0xbd, 0x94, 0x4c, 0xaa, 0x78, 0xe7, 0x71, 0x4d, 0x36, 0xab, 0x2a};
static const guint8 initrd_guid[16] = {
    0x31, 0xf7, 0xba, 0x44, 0x2f, 0x3a, 0xd7, 0x4b, 0x9a, 0xf1, 0x41, 0xe2, 0x91, 0x69, 0x78, 0x1d};
static const guint8 kernel_guid[16] = {
    0x37, 0x94, 0xe7, 0x4d, 0xd2, 0xab, 0x7f, 0x42, 0xb8, 0x35, 0xd5, 0xb1, 0x72, 0xd2, 0x04, 0x5b};
static const guint8 footer_guid[16] = {
    0xde, 0x82, 0xb5, 0x96, 0xb2, 0x1f, 0xf7, 0x45, 0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d};
static const guint8 hashes_area_guid[16] = {
    0x1f, 0x37, 0x55, 0x72, 0x3b, 0x3a, 0x04, 0x4b, 0x92, 0x7b, 0x1d, 0xa6, 0xef, 0xa8, 0xd4, 0x54};

/* sha256sum of: nothing, one NUL byte, the fake kernel and initrd, the M4 cmdline with NUL */
#define SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SHA256_NUL "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
#define SHA256_VMLINUZ "af609b31eca2942fc46ed7209c7704771cfc2c91750ff4cb899be39b371b4e48"
#define SHA256_INITRD "76fa1a19324945ce9b1ee17f211ca5b55cbb74d0368eecce53932a1fddc8e8cb"
#define SHA256_M4CMDLINE "3e8a0b8c83c8eb5a34c6d0b9db3f36ae619b384db601c643af6456106a43dffd"

static gchar *
test_hex(const guint8 *buf, gsize len)
{
	GString *str = g_string_new(NULL);
	for (gsize i = 0; i < len; i++)
		g_string_append_printf(str, "%02x", buf[i]);
	return g_string_free(str, FALSE);
}

static void
test_assert_hex(const guint8 *buf, gsize len, const gchar *expected)
{
	g_autofree gchar *hex = test_hex(buf, len);
	g_assert_cmpstr(hex, ==, expected);
}

static gchar *
test_fixture(const gchar *dir, const gchar *name)
{
	return g_test_build_filename(G_TEST_DIST, "data", dir, name, NULL);
}

/* an empty file in a fresh directory; the caller removes both */
static gchar *
test_empty_file(gchar **tmpdir)
{
	gchar *path;
	*tmpdir = g_dir_make_tmp("sl-test-hashes-XXXXXX", NULL);
	g_assert_nonnull(*tmpdir);
	path = g_build_filename(*tmpdir, "empty", NULL);
	g_assert_true(g_file_set_contents(path, "", 0, NULL));
	return path;
}

static void
test_hashes_compute_fixtures(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *kernel = test_fixture("sevctl", "vmlinuz-fake");
	g_autofree gchar *initrd = test_fixture("sevctl", "initrd-fake");
	SlKernelHashes hashes;

	g_assert_true(
	    sl_kernel_hashes_compute(kernel, initrd, "foo bar baz fake kernel=cmdline", &hashes, &error));
	g_assert_no_error(error);
	test_assert_hex(hashes.kernel, 32, SHA256_VMLINUZ);
	test_assert_hex(hashes.initrd, 32, SHA256_INITRD);
	test_assert_hex(hashes.cmdline, 32, SHA256_M4CMDLINE);
}

static void
test_hashes_compute_null(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *kernel = test_fixture("sevctl", "vmlinuz-fake");
	SlKernelHashes hashes;
	SlKernelHashes hashes_empty;

	/* no initrd hashes as empty input, no cmdline as a lone NUL */
	g_assert_true(sl_kernel_hashes_compute(kernel, NULL, NULL, &hashes, &error));
	g_assert_no_error(error);
	test_assert_hex(hashes.kernel, 32, SHA256_VMLINUZ);
	test_assert_hex(hashes.initrd, 32, SHA256_EMPTY);
	test_assert_hex(hashes.cmdline, 32, SHA256_NUL);

	/* an empty cmdline is the same as none */
	g_assert_true(sl_kernel_hashes_compute(kernel, NULL, "", &hashes_empty, &error));
	g_assert_no_error(error);
	test_assert_hex(hashes_empty.cmdline, 32, SHA256_NUL);
}

static void
test_hashes_compute_missing(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_initrd = NULL;
	g_autofree gchar *kernel = test_fixture("sevctl", "vmlinuz-fake");
	g_autofree gchar *missing = test_fixture("sevctl", "no-such-kernel");
	SlKernelHashes hashes;

	memset(&hashes, 0xaa, sizeof(hashes));
	g_assert_false(sl_kernel_hashes_compute(missing, NULL, NULL, &hashes, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_READ);
	g_assert_true(g_str_has_prefix(error->message, "kernel: "));
	/* the output is untouched on failure */
	g_assert_cmpuint(hashes.kernel[0], ==, 0xaa);

	g_assert_false(sl_kernel_hashes_compute(kernel, missing, NULL, &hashes, &error_initrd));
	g_assert_error(error_initrd, SL_ERROR, SL_ERROR_READ);
	g_assert_true(g_str_has_prefix(error_initrd->message, "initrd: "));
}

static void
test_hashes_table_layout(void)
{
	SlKernelHashes hashes;
	guint8 table[SL_HASHES_TABLE_PADDED_SIZE];
	guint8 zeros[8] = {0};

	memset(hashes.cmdline, 0x11, 32);
	memset(hashes.initrd, 0x22, 32);
	memset(hashes.kernel, 0x33, 32);
	/* stale bytes must not survive in the padding */
	memset(table, 0xee, sizeof(table));
	sl_hashes_table_build(&hashes, table);

	g_assert_cmpmem(table, 16, table_guid, 16);
	g_assert_cmpuint(table[16], ==, 168);
	g_assert_cmpuint(table[17], ==, 0);
	g_assert_cmpmem(table + 18, 16, cmdline_guid, 16);
	g_assert_cmpuint(table[34], ==, 50);
	g_assert_cmpuint(table[35], ==, 0);
	g_assert_cmpmem(table + 36, 32, hashes.cmdline, 32);
	g_assert_cmpmem(table + 68, 16, initrd_guid, 16);
	g_assert_cmpuint(table[84], ==, 50);
	g_assert_cmpuint(table[85], ==, 0);
	g_assert_cmpmem(table + 86, 32, hashes.initrd, 32);
	g_assert_cmpmem(table + 118, 16, kernel_guid, 16);
	g_assert_cmpuint(table[134], ==, 50);
	g_assert_cmpuint(table[135], ==, 0);
	g_assert_cmpmem(table + 136, 32, hashes.kernel, 32);
	g_assert_cmpmem(table + 168, 8, zeros, 8);
}

/* D1/D2 of VECTORS.md section 2: the table as the PSP measures it */
static void
test_hashes_table_vector(const gchar *initrd_kind, const gchar *cmdline, const gchar *expected)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlLaunchDigest) ld = sl_launch_digest_new(&error);
	g_autofree gchar *firmware = test_fixture("sev-snp-measure", "ovmf_AmdSev_suffix.bin");
	g_autofree gchar *tmpdir = NULL;
	g_autofree gchar *empty = test_empty_file(&tmpdir);
	SlKernelHashes hashes;
	guint8 table[SL_HASHES_TABLE_PADDED_SIZE];
	guint8 digest[SL_SHA256_SIZE];

	g_assert_no_error(error);
	g_assert_true(
	    sl_kernel_hashes_compute(empty, initrd_kind != NULL ? empty : NULL, cmdline, &hashes, &error));
	g_assert_no_error(error);
	sl_hashes_table_build(&hashes, table);
	test_add_firmware(ld, firmware);
	sl_launch_digest_add_hashes_table(ld, table);
	sl_launch_digest_finish(ld, digest);
	test_assert_hex(digest, sizeof(digest), expected);

	g_assert_cmpint(g_unlink(empty), ==, 0);
	g_assert_cmpint(g_rmdir(tmpdir), ==, 0);
}

static void
test_hashes_table_d1(void)
{
	test_hashes_table_vector("empty",
				 "console=ttyS0 loglevel=7",
				 "82a3ee5d537c3620628270c292ae30cb40c3c878666a7890ee7ef2a08fb535ff");
}

static void
test_hashes_table_d2(void)
{
	test_hashes_table_vector(
	    NULL, NULL, "77f613d7bbcdf12a73782ea9e88b0172aeda50d1a54201cb903594ff52846898");
}

static SlOvmf *
test_load_ovmf(const gchar *dir, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = test_fixture(dir, name);
	SlOvmf *ovmf = sl_ovmf_new_from_file(path, &error);
	g_assert_no_error(error);
	g_assert_nonnull(ovmf);
	return ovmf;
}

static void
test_hashes_check_fixtures(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlOvmf) amdsev = test_load_ovmf("sev-snp-measure", "ovmf_AmdSev_suffix.bin");
	g_autoptr(SlOvmf) sevctl = test_load_ovmf("sevctl", SEVCTL_OVMF);
	g_autoptr(SlOvmf) x64 = test_load_ovmf("sev-snp-measure", "ovmf_OvmfX64_suffix.bin");

	g_assert_true(sl_hashes_table_check_firmware(amdsev, &error));
	g_assert_no_error(error);
	g_assert_true(sl_hashes_table_check_firmware(sevctl, &error));
	g_assert_no_error(error);
	g_assert_false(sl_hashes_table_check_firmware(x64, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "base 0x0, size 0x0"));
}

/* a table holding just a hashes area entry, after 100 bytes of padding */
static SlOvmf *
test_ovmf_with_area(guint32 base, guint32 size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	guint8 image[100 + 8 + 18 + 18 + 32] = {0};
	guint8 *p = image + 100;
	SlOvmf *ovmf;

	for (guint i = 0; i < 4; i++) {
		p[i] = (base >> (8 * i)) & 0xff;
		p[4 + i] = (size >> (8 * i)) & 0xff;
	}
	p[8] = 26;
	memcpy(p + 10, hashes_area_guid, 16);
	p[26] = 26 + 18;
	memcpy(p + 28, footer_guid, 16);
	bytes = g_bytes_new(image, sizeof(image));
	ovmf = sl_ovmf_new_from_bytes(bytes, &error);
	g_assert_no_error(error);
	g_assert_nonnull(ovmf);
	return ovmf;
}

static void
test_hashes_check_synthetic(void)
{
	g_autoptr(GError) error_small = NULL;
	g_autoptr(GError) error_none = NULL;
	g_autoptr(GError) error_base = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(SlOvmf) exact = test_ovmf_with_area(0x1000, 176);
	g_autoptr(SlOvmf) small = test_ovmf_with_area(0x1000, 175);
	g_autoptr(SlOvmf) no_base = test_ovmf_with_area(0, 0x400);
	g_autoptr(SlOvmf) none = NULL;
	g_autoptr(GBytes) zeros = g_bytes_new_take(g_malloc0(4096), 4096);

	g_assert_true(sl_hashes_table_check_firmware(exact, &error));
	g_assert_no_error(error);
	g_assert_false(sl_hashes_table_check_firmware(small, &error_small));
	g_assert_error(error_small, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error_small->message, "size 0xaf"));
	g_assert_false(sl_hashes_table_check_firmware(no_base, &error_base));
	g_assert_error(error_base, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error_base->message, "base 0x0, size 0x400"));

	none = sl_ovmf_new_from_bytes(zeros, &error);
	g_assert_no_error(error);
	g_assert_false(sl_hashes_table_check_firmware(none, &error_none));
	g_assert_error(error_none, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error_none->message, "no kernel hashes area"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/hashes-table/compute-fixtures", test_hashes_compute_fixtures);
	g_test_add_func("/hashes-table/compute-null", test_hashes_compute_null);
	g_test_add_func("/hashes-table/compute-missing", test_hashes_compute_missing);
	g_test_add_func("/hashes-table/layout", test_hashes_table_layout);
	g_test_add_func("/hashes-table/d1", test_hashes_table_d1);
	g_test_add_func("/hashes-table/d2", test_hashes_table_d2);
	g_test_add_func("/hashes-table/check-fixtures", test_hashes_check_fixtures);
	g_test_add_func("/hashes-table/check-synthetic", test_hashes_check_synthetic);
	return g_test_run();
}
