/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sl-cpu.h"
#include "sl-error.h"
#include "sl-hashes-table.h"
#include "sl-launch-digest.h"
#include "sl-ovmf.h"
#include "sl-vmsa.h"

/* family 25 / model 1 / stepping 1, the CPU sevctl's vmsa0/1.bin were made for */
#define TEST_SIGNATURE_MILAN 0x00a00f11

/*
 * the SEV-ES AP reset address of sevctl's OVMF.amdsev...el9, read by hand
 * from its 4096-byte tail: footer GUID 96b582de-... at 0xfd0, table length
 * u16 0x0072 at 0xfce; the entry just below it has GUID 00f771de-1a7e-...
 * at 0xfbe and length 0x0016 at 0xfbc, so its 4-byte payload starts at
 * 0xfce - 0x16 = 0xfb8: 04 b0 80 00, little-endian 0x0080b004
 */
#define TEST_AP_RESET_ADDR_SEVCTL 0x0080b004

/*
 * the same for sev-snp-measure's ovmf_AmdSev_suffix.bin (4096 bytes):
 * footer GUID at 0xfd0, table length 0x0088 at 0xfce, entry 00f771de-...
 * at 0xfbe with length 0x0016 at 0xfbc, payload 04 b0 80 00 at 0xfb8
 */
#define TEST_AP_RESET_ADDR_AMDSEV 0x0080b004

/* the firmware as the tool reads it: one whole image */
static void
test_add_firmware(SlLaunchDigest *digest, const gchar *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) image = sl_ovmf_read_image(path, &error);

	g_assert_no_error(error);
	sl_launch_digest_add_firmware(digest, image);
}

static GBytes *
test_load_fixture(const gchar *dir, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = g_test_build_filename(G_TEST_DIST, "data", dir, name, NULL);
	gchar *contents = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &contents, &len, &error))
		g_error("cannot read fixture %s: %s", path, error->message);
	return g_bytes_new_take(contents, len);
}

/* compares a built page with a fixture, naming the first differing byte */
static void
test_assert_vmsa_equal(const guint8 *got, GBytes *expected, const gchar *what)
{
	gsize len = 0;
	const guint8 *exp = g_bytes_get_data(expected, &len);

	g_assert_cmpuint(len, ==, SL_VMSA_SIZE);
	for (gsize i = 0; i < SL_VMSA_SIZE; i++) {
		if (got[i] != exp[i]) {
			g_test_message("%s: first difference at offset 0x%03x: "
				       "got 0x%02x, expected 0x%02x",
				       what,
				       (guint)i,
				       got[i],
				       exp[i]);
			g_assert_cmphex(i, ==, SL_VMSA_SIZE);
		}
	}
}

/* offsets of the bytes where @a and @b differ */
static GArray *
test_diff_offsets(const guint8 *a, const guint8 *b)
{
	GArray *offsets = g_array_new(FALSE, FALSE, sizeof(guint));
	for (guint i = 0; i < SL_VMSA_SIZE; i++) {
		if (a[i] != b[i])
			g_array_append_val(offsets, i);
	}
	return offsets;
}

static guint64
test_get_le(const guint8 *buf, gsize offset, gsize width)
{
	guint64 value = 0;
	for (gsize i = 0; i < width; i++)
		value |= (guint64)buf[offset + i] << (8 * i);
	return value;
}

static void
test_vmsa_sevctl_bsp(void)
{
	g_autoptr(GBytes) expected = test_load_fixture("sevctl", "vmsa0.bin");
	SlVmsaConfig config = {
	    .cpu_signature = TEST_SIGNATURE_MILAN,
	    .variant = SL_VMSA_VARIANT_LEGACY,
	    .sev_features = 0,
	};
	guint8 vmsa[SL_VMSA_SIZE];

	memset(vmsa, 0xa5, sizeof(vmsa));
	sl_vmsa_build_bsp(&config, vmsa);
	test_assert_vmsa_equal(vmsa, expected, "BSP");
}

static void
test_vmsa_sevctl_ap(void)
{
	g_autoptr(GBytes) expected = test_load_fixture("sevctl", "vmsa1.bin");
	SlVmsaConfig config = {
	    .cpu_signature = TEST_SIGNATURE_MILAN,
	    .variant = SL_VMSA_VARIANT_LEGACY,
	    .sev_features = 0,
	};
	guint8 vmsa[SL_VMSA_SIZE];

	memset(vmsa, 0xa5, sizeof(vmsa));
	sl_vmsa_build_ap(&config, TEST_AP_RESET_ADDR_SEVCTL, vmsa);
	test_assert_vmsa_equal(vmsa, expected, "AP");
}

/* the AP reset address splits into CS base (high 16 bits) and RIP (low 16) */
static void
test_vmsa_ap_address_split(void)
{
	SlVmsaConfig config = {.cpu_signature = TEST_SIGNATURE_MILAN};
	guint8 vmsa[SL_VMSA_SIZE];

	sl_vmsa_build_ap(&config, 0x12345678, vmsa);
	/* CS is the second segment record: selector, attrib, limit, base at +8 */
	g_assert_cmphex(test_get_le(vmsa, 0x010, 2), ==, 0xf000);
	g_assert_cmphex(test_get_le(vmsa, 0x018, 8), ==, 0x12340000);
	/* rip */
	g_assert_cmphex(test_get_le(vmsa, 0x178, 8), ==, 0x5678);
	/* rdx */
	g_assert_cmphex(test_get_le(vmsa, 0x310, 8), ==, TEST_SIGNATURE_MILAN);
}

/* KVM_SEV_INIT2 adds mxcsr = 0x1f80 (u32 at 0x408) and x87 fcw = 0x37f (u16 at 0x410) */
static void
test_vmsa_init2(void)
{
	SlVmsaConfig legacy = {
	    .cpu_signature = TEST_SIGNATURE_MILAN,
	    .variant = SL_VMSA_VARIANT_LEGACY,
	};
	SlVmsaConfig init2 = legacy;
	guint8 a[SL_VMSA_SIZE];
	guint8 b[SL_VMSA_SIZE];

	init2.variant = SL_VMSA_VARIANT_INIT2;
	for (guint bsp = 0; bsp < 2; bsp++) {
		g_autoptr(GArray) diff = NULL;
		if (bsp) {
			sl_vmsa_build_bsp(&legacy, a);
			sl_vmsa_build_bsp(&init2, b);
		} else {
			sl_vmsa_build_ap(&legacy, TEST_AP_RESET_ADDR_SEVCTL, a);
			sl_vmsa_build_ap(&init2, TEST_AP_RESET_ADDR_SEVCTL, b);
		}
		g_assert_cmphex(test_get_le(a, 0x408, 4), ==, 0);
		g_assert_cmphex(test_get_le(a, 0x410, 2), ==, 0);
		g_assert_cmphex(test_get_le(b, 0x408, 4), ==, 0x1f80);
		g_assert_cmphex(test_get_le(b, 0x410, 2), ==, 0x37f);
		/* and nothing else: 0x1f80 and 0x037f are two bytes each */
		diff = test_diff_offsets(a, b);
		g_assert_cmpuint(diff->len, ==, 4);
		g_assert_cmphex(g_array_index(diff, guint, 0), ==, 0x408);
		g_assert_cmphex(g_array_index(diff, guint, 1), ==, 0x409);
		g_assert_cmphex(g_array_index(diff, guint, 2), ==, 0x410);
		g_assert_cmphex(g_array_index(diff, guint, 3), ==, 0x411);
	}
}

/* sev_features is a u64 at 0x3b0 */
static void
test_vmsa_sev_features(void)
{
	SlVmsaConfig config = {
	    .cpu_signature = TEST_SIGNATURE_MILAN,
	    .variant = SL_VMSA_VARIANT_INIT2,
	};
	guint8 plain[SL_VMSA_SIZE];
	guint8 vmsa[SL_VMSA_SIZE];
	g_autoptr(GArray) diff = NULL;

	sl_vmsa_build_bsp(&config, plain);
	g_assert_cmphex(test_get_le(plain, 0x3b0, 8), ==, 0);

	/* debug-swap: a single byte changes */
	config.sev_features = SL_VMSA_SEV_FEATURE_DEBUG_SWAP;
	g_assert_cmphex(config.sev_features, ==, 0x20);
	sl_vmsa_build_bsp(&config, vmsa);
	diff = test_diff_offsets(plain, vmsa);
	g_assert_cmpuint(diff->len, ==, 1);
	g_assert_cmphex(g_array_index(diff, guint, 0), ==, 0x3b0);
	g_assert_cmphex(vmsa[0x3b0], ==, 0x20);

	/* all eight bytes, little-endian */
	config.sev_features = G_GUINT64_CONSTANT(0x8877665544332211);
	sl_vmsa_build_ap(&config, TEST_AP_RESET_ADDR_SEVCTL, vmsa);
	for (guint i = 0; i < 8; i++)
		g_assert_cmphex(vmsa[0x3b0 + i], ==, 0x11 * (i + 1));
	g_assert_cmphex(vmsa[0x3af], ==, 0);
	g_assert_cmphex(vmsa[0x3b8], ==, 0);
}

static void
test_vmsa_variant_strings(void)
{
	static const gchar *bad[] = {"", "INIT2", "Legacy", "init", "init2 ", "sev-es"};
	SlVmsaVariant variant = SL_VMSA_VARIANT_INIT2;

	g_assert_true(sl_vmsa_variant_from_string("legacy", &variant, NULL));
	g_assert_cmpint(variant, ==, SL_VMSA_VARIANT_LEGACY);
	g_assert_true(sl_vmsa_variant_from_string("init2", &variant, NULL));
	g_assert_cmpint(variant, ==, SL_VMSA_VARIANT_INIT2);
	g_assert_cmpstr(sl_vmsa_variant_to_string(SL_VMSA_VARIANT_LEGACY), ==, "legacy");
	g_assert_cmpstr(sl_vmsa_variant_to_string(SL_VMSA_VARIANT_INIT2), ==, "init2");

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		variant = SL_VMSA_VARIANT_INIT2;
		g_assert_false(sl_vmsa_variant_from_string(bad[i], &variant, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
		g_assert_cmpint(variant, ==, SL_VMSA_VARIANT_INIT2);
	}
	{
		g_autoptr(GError) error = NULL;
		g_assert_false(sl_vmsa_variant_from_string(NULL, &variant, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
	}
}

static void
test_vmsa_digest_hex(SlLaunchDigest *digest, gchar **hex)
{
	guint8 ld[SL_SHA256_SIZE];
	GString *str = g_string_new(NULL);

	sl_launch_digest_finish(digest, ld);
	for (guint i = 0; i < SL_SHA256_SIZE; i++)
		g_string_append_printf(str, "%02x", ld[i]);
	*hex = g_string_free(str, FALSE);
}

/* VECTORS.md M5: sevctl's firmware alone then the BSP and three APs, legacy KVM */
static void
test_vmsa_digest_sevctl(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlLaunchDigest) digest = sl_launch_digest_new(&error);
	g_autofree gchar *firmware =
	    g_test_build_filename(G_TEST_DIST,
				  "data",
				  "sevctl",
				  "OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9",
				  NULL);
	g_autofree gchar *hex = NULL;
	SlVmsaConfig config = {.cpu_signature = TEST_SIGNATURE_MILAN};
	guint8 vmsa[SL_VMSA_SIZE];

	g_assert_no_error(error);
	test_add_firmware(digest, firmware);
	sl_vmsa_build_bsp(&config, vmsa);
	sl_launch_digest_add_vmsa(digest, vmsa);
	sl_vmsa_build_ap(&config, TEST_AP_RESET_ADDR_SEVCTL, vmsa);
	for (guint i = 1; i < 4; i++)
		sl_launch_digest_add_vmsa(digest, vmsa);
	test_vmsa_digest_hex(digest, &hex);
	g_assert_cmpstr(hex, ==, "847b5ab6db136ea67dc5a95478ebe7e5ebbe93e9e74bdb1284165f9007a4e367");
}

static gchar *
test_write_empty_file(const gchar *dir, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	gchar *path = g_build_filename(dir, name, NULL);
	g_assert_true(g_file_set_contents(path, "", 0, &error));
	g_assert_no_error(error);
	return path;
}

/*
 * VECTORS.md D4 (1 vCPU) and D5 (4 vCPUs): ovmf_AmdSev_suffix.bin, empty
 * kernel and initrd, cmdline "", EPYC-v4, KVM_SEV_INIT2 VMSAs
 */
static void
test_vmsa_digest_init2(guint vcpus, const gchar *expected)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlLaunchDigest) digest = NULL;
	g_autofree gchar *firmware =
	    g_test_build_filename(G_TEST_DIST, "data", "sev-snp-measure", "ovmf_AmdSev_suffix.bin", NULL);
	g_autofree gchar *tmpdir = g_dir_make_tmp("test-vmsa-XXXXXX", &error);
	g_autofree gchar *kernel = NULL;
	g_autofree gchar *initrd = NULL;
	g_autofree gchar *hex = NULL;
	SlKernelHashes hashes = {0};
	SlVmsaConfig config = {.variant = SL_VMSA_VARIANT_INIT2};
	guint8 table[SL_HASHES_TABLE_PADDED_SIZE];
	guint8 vmsa[SL_VMSA_SIZE];

	g_assert_no_error(error);
	kernel = test_write_empty_file(tmpdir, "kernel");
	initrd = test_write_empty_file(tmpdir, "initrd");
	g_assert_true(sl_kernel_hashes_compute(kernel, initrd, "", &hashes, &error));
	g_assert_no_error(error);
	sl_hashes_table_build(&hashes, table);
	g_assert_true(sl_cpu_signature_from_name("EPYC-v4", &config.cpu_signature, &error));
	g_assert_no_error(error);
	g_assert_cmphex(config.cpu_signature, ==, 0x800f12);

	digest = sl_launch_digest_new(&error);
	g_assert_no_error(error);
	test_add_firmware(digest, firmware);
	sl_launch_digest_add_hashes_table(digest, table);
	sl_vmsa_build_bsp(&config, vmsa);
	sl_launch_digest_add_vmsa(digest, vmsa);
	sl_vmsa_build_ap(&config, TEST_AP_RESET_ADDR_AMDSEV, vmsa);
	for (guint i = 1; i < vcpus; i++)
		sl_launch_digest_add_vmsa(digest, vmsa);
	test_vmsa_digest_hex(digest, &hex);

	/* clean up before the comparison so a mismatch leaves nothing behind */
	g_assert_cmpint(g_unlink(kernel), ==, 0);
	g_assert_cmpint(g_unlink(initrd), ==, 0);
	g_assert_cmpint(g_rmdir(tmpdir), ==, 0);
	g_assert_cmpstr(hex, ==, expected);
}

static void
test_vmsa_digest_d4(void)
{
	test_vmsa_digest_init2(1, "13810ae661ea11e2bb205621f582fee268f0367c8f97bc297b7fadef3e12002c");
}

static void
test_vmsa_digest_d5(void)
{
	test_vmsa_digest_init2(4, "0dccbcaba8e90b261bd0d2e1863a2f9da714768b7b2a19363cd6ae35aa90de91");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/vmsa/sevctl-bsp", test_vmsa_sevctl_bsp);
	g_test_add_func("/vmsa/sevctl-ap", test_vmsa_sevctl_ap);
	g_test_add_func("/vmsa/ap-address-split", test_vmsa_ap_address_split);
	g_test_add_func("/vmsa/init2", test_vmsa_init2);
	g_test_add_func("/vmsa/sev-features", test_vmsa_sev_features);
	g_test_add_func("/vmsa/variant-strings", test_vmsa_variant_strings);
	g_test_add_func("/vmsa/digest-sevctl-m5", test_vmsa_digest_sevctl);
	g_test_add_func("/vmsa/digest-d4", test_vmsa_digest_d4);
	g_test_add_func("/vmsa/digest-d5", test_vmsa_digest_d5);
	return g_test_run();
}
