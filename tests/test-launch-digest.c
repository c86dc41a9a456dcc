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

static gchar *
test_fixture(const gchar *dir, const gchar *name)
{
	return g_test_build_filename(G_TEST_DIST, "data", dir, name, NULL);
}

static void
test_assert_digest(const guint8 digest[SL_SHA256_SIZE], const gchar *expected)
{
	g_autoptr(GString) hex = g_string_new(NULL);
	for (guint i = 0; i < SL_SHA256_SIZE; i++)
		g_string_append_printf(hex, "%02x", digest[i]);
	g_assert_cmpstr(hex->str, ==, expected);
}

static SlLaunchDigest *
test_digest_with_firmware(const gchar *dir, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = test_fixture(dir, name);
	SlLaunchDigest *ld = sl_launch_digest_new(&error);

	g_assert_no_error(error);
	g_assert_nonnull(ld);
	test_add_firmware(ld, path);
	return ld;
}

/*
 * firmware, then the kernel hashes table for @kernel/@initrd/@cmdline;
 * "" for @kernel or @initrd means an empty file
 */
static void
test_digest_sev(const gchar *fw_dir,
		const gchar *fw_name,
		const gchar *kernel,
		const gchar *initrd,
		const gchar *cmdline,
		const gchar *expected)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlLaunchDigest) ld = test_digest_with_firmware(fw_dir, fw_name);
	g_autofree gchar *tmpdir = g_dir_make_tmp("sl-test-ld-XXXXXX", NULL);
	g_autofree gchar *empty = g_build_filename(tmpdir, "empty", NULL);
	g_autofree gchar *kernel_path = NULL;
	g_autofree gchar *initrd_path = NULL;
	guint8 digest[SL_SHA256_SIZE];

	g_assert_true(g_file_set_contents(empty, "", 0, NULL));
	if (kernel != NULL) {
		SlKernelHashes hashes;
		guint8 table[SL_HASHES_TABLE_PADDED_SIZE];

		kernel_path = kernel[0] == '\0' ? g_strdup(empty) : test_fixture("sevctl", kernel);
		if (initrd != NULL)
			initrd_path = initrd[0] == '\0' ? g_strdup(empty) : test_fixture("sevctl", initrd);
		g_assert_true(sl_kernel_hashes_compute(kernel_path, initrd_path, cmdline, &hashes, &error));
		g_assert_no_error(error);
		sl_hashes_table_build(&hashes, table);
		sl_launch_digest_add_hashes_table(ld, table);
	}
	sl_launch_digest_finish(ld, digest);
	test_assert_digest(digest, expected);

	g_assert_cmpint(g_unlink(empty), ==, 0);
	g_assert_cmpint(g_rmdir(tmpdir), ==, 0);
}

static void
test_digest_d1(void)
{
	test_digest_sev("sev-snp-measure",
			"ovmf_AmdSev_suffix.bin",
			"",
			"",
			"console=ttyS0 loglevel=7",
			"82a3ee5d537c3620628270c292ae30cb40c3c878666a7890ee7ef2a08fb535ff");
}

static void
test_digest_d2(void)
{
	test_digest_sev("sev-snp-measure",
			"ovmf_AmdSev_suffix.bin",
			"",
			NULL,
			NULL,
			"77f613d7bbcdf12a73782ea9e88b0172aeda50d1a54201cb903594ff52846898");
}

static void
test_digest_d3(void)
{
	test_digest_sev("sev-snp-measure",
			"ovmf_OvmfX64_suffix.bin",
			NULL,
			NULL,
			NULL,
			"b4c021e085fb83ceffe6571a3d357b4a98773c83c474e47f76c876708fe316da");
}

/* with the firmware alone the LD is its sha256sum (computed with coreutils) */
static void
test_digest_m3(void)
{
	test_digest_sev("sevctl",
			SEVCTL_OVMF,
			NULL,
			NULL,
			NULL,
			"2f6fc6065f4abc131eb4fb2b5090a542636eae84a94c0db0fdd5f405cb372ff5");
}

static void
test_digest_m4(void)
{
	test_digest_sev("sevctl",
			SEVCTL_OVMF,
			"vmlinuz-fake",
			"initrd-fake",
			"foo bar baz fake kernel=cmdline",
			"4b47fec6f851487c33714c8a00a832a1b705ad0a7cac4a647388eccfa9f0c570");
}

static GBytes *
test_read_vmsa(const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = test_fixture("sevctl", name);
	g_autofree gchar *contents = NULL;
	gsize len = 0;

	g_assert_true(g_file_get_contents(path, &contents, &len, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(len, ==, SL_VMSA_SIZE);
	return g_bytes_new_take(g_steal_pointer(&contents), len);
}

/* SEV-ES: the BSP's VMSA, then one per AP */
static void
test_digest_m5(void)
{
	g_autoptr(SlLaunchDigest) ld = test_digest_with_firmware("sevctl", SEVCTL_OVMF);
	g_autoptr(GBytes) vmsa0 = test_read_vmsa("vmsa0.bin");
	g_autoptr(GBytes) vmsa1 = test_read_vmsa("vmsa1.bin");
	guint8 digest[SL_SHA256_SIZE];

	sl_launch_digest_add_vmsa(ld, g_bytes_get_data(vmsa0, NULL));
	for (guint i = 0; i < 3; i++)
		sl_launch_digest_add_vmsa(ld, g_bytes_get_data(vmsa1, NULL));
	sl_launch_digest_finish(ld, digest);
	test_assert_digest(digest, "847b5ab6db136ea67dc5a95478ebe7e5ebbe93e9e74bdb1284165f9007a4e367");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/launch-digest/d1", test_digest_d1);
	g_test_add_func("/launch-digest/d2", test_digest_d2);
	g_test_add_func("/launch-digest/d3", test_digest_d3);
	g_test_add_func("/launch-digest/m3", test_digest_m3);
	g_test_add_func("/launch-digest/m4", test_digest_m4);
	g_test_add_func("/launch-digest/m5", test_digest_m5);
	return g_test_run();
}
