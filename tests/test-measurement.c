/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-error.h"
#include "sl-hashes-table.h"
#include "sl-launch-digest.h"
#include "sl-measurement.h"
#include "sl-ovmf.h"
#include "sl-secure-file.h"

#define SEVCTL_OVMF "OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9"

/* VECTORS.md section 1 */
#define M2_LD "xkvRAfyaSizgonxAjZIAkR8TmolUabBKQKb6KJCDDSM="
#define M2_NONCE "wxP6tRHCFrFQWxsuqZA8QA=="
#define M2_BLOB "lswbxWxI9gckya16JQvdFtpYmNO4b+3inAPpqsgoBI7DE/q1EcIWsVBbGy6pkDxA"
#define M3_BLOB "oMDewIouJSpbpNRHj7Mk3p08H2dPZQdsZMU14qIymBnDE/q1EcIWsVBbGy6pkDxA"
#define M4_BLOB "h3auYbWQnVW7EGLWN4Hf9SN0oEYMPU2sK4bLnefWPwvDE/q1EcIWsVBbGy6pkDxA"
#define M5_BLOB "/o0nzDKE5XgtVnUZWPhUea/WZYrTKLExR7KCwuMdbActvpWfXTFk21KMZIAAhQny"
#define M5_LD_HEX "847b5ab6db136ea67dc5a95478ebe7e5ebbe93e9e74bdb1284165f9007a4e367"

/* the firmware as the tool reads it: one whole image */
static void
test_add_firmware(SlLaunchDigest *digest, const gchar *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) image = sl_ovmf_read_image(path, &error);

	g_assert_no_error(error);
	sl_launch_digest_add_firmware(digest, image);
}

static void
test_unhex(const gchar *hex, guint8 *buf, gsize len)
{
	g_assert_cmpuint(strlen(hex), ==, 2 * len);
	for (gsize i = 0; i < len; i++) {
		gint hi = g_ascii_xdigit_value(hex[2 * i]);
		gint lo = g_ascii_xdigit_value(hex[2 * i + 1]);
		g_assert_cmpint(hi, >=, 0);
		g_assert_cmpint(lo, >=, 0);
		buf[i] = (guint8)((hi << 4) | lo);
	}
}

static void
test_unbase64(const gchar *text, guint8 *buf, gsize len)
{
	gsize out_len = 0;
	g_autofree guchar *data = g_base64_decode(text, &out_len);
	g_assert_cmpuint(out_len, ==, len);
	memcpy(buf, data, len);
}

static gchar *
test_fixture(const gchar *dir, const gchar *name)
{
	return g_test_build_filename(G_TEST_DIST, "data", dir, name, NULL);
}

/* git does not keep the fixture's 0600 mode: accepting open permissions is deliberate */
static SlSecretBytes *
test_load_tik1(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = test_fixture("sevctl", "tik1.bin");
	SlSecretBytes *tik =
	    sl_secure_file_read(path, "TIK file", 16, 0, SL_SECURE_FILE_FLAG_ALLOW_OPEN_PERMISSIONS, &error);
	g_assert_no_error(error);
	g_assert_nonnull(tik);
	return tik;
}

static void
test_params(SlLaunchParams *params, gint64 major, gint64 minor, gint64 build, gint64 policy)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(sl_launch_params_init(params, major, minor, build, policy, &error));
	g_assert_no_error(error);
}

/* TIK 66320db7..., an empty launch digest and the vectors' nonce; compares the HMAC */
static void
test_measurement_vector(const SlLaunchParams *params, const gchar *expected_hex, gboolean verify)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSecretBytes) tik = NULL;
	guint8 key[16];
	guint8 ld[32];
	guint8 nonce[16];
	guint8 expected[32];
	guint8 measurement[32];

	test_unhex("66320db73158a35a255d051758e95ed4", key, sizeof(key));
	tik = sl_secret_bytes_new_copy(key, sizeof(key));
	/* sha256("") */
	test_unhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ld, 32);
	test_unhex("4fbe0bedbad6c86ae8f68971d103e554", nonce, sizeof(nonce));
	test_unhex(expected_hex, expected, sizeof(expected));
	g_assert_true(sl_measurement_compute(tik, params, ld, nonce, measurement, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(measurement, 32, expected, 32);
	if (!verify)
		return;
	g_assert_true(sl_measurement_verify(tik, params, ld, expected, nonce, &error));
	g_assert_no_error(error);
}

static void
test_measurement_m1(void)
{
	SlLaunchParams params;

	test_params(&params, 0, 18, 15, 0);
	test_measurement_vector(
	    &params, "6faab2daae389bcd3405a05d6cafe33c0414f7bedd0bae19ba5f38b7fd1664ea", TRUE);
}

/*
 * the published vectors all have policies below 256: this one pins the byte
 * order of all four policy bytes (expected value from Python's hmac module)
 */
static void
test_measurement_policy_bytes(void)
{
	SlLaunchParams params;

	test_params(&params, 1, 55, 31, 0x12345678);
	test_measurement_vector(
	    &params, "4074a63155d22a808113b70c6a71ae5da9c36f848b1d99e59fc715bc1e36e997", FALSE);
}

/* computes with TIK1, API 1.40 build 40, policy 3 and M2's nonce; compares the blob */
static void
test_measurement_check_blob(const guint8 ld[SL_SHA256_SIZE], const gchar *expected_blob)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSecretBytes) tik = test_load_tik1();
	g_autofree gchar *blob = NULL;
	SlLaunchParams params;
	guint8 nonce[16];
	guint8 measurement[32];

	test_unbase64(M2_NONCE, nonce, sizeof(nonce));
	test_params(&params, 1, 40, 40, 3);
	g_assert_true(sl_measurement_compute(tik, &params, ld, nonce, measurement, &error));
	g_assert_no_error(error);
	blob = sl_launch_measure_blob_encode(measurement, nonce);
	g_assert_cmpstr(blob, ==, expected_blob);
}

static void
test_measurement_m2(void)
{
	guint8 ld[32];
	test_unbase64(M2_LD, ld, sizeof(ld));
	test_measurement_check_blob(ld, M2_BLOB);
}

static void
test_measurement_ld(const gchar *kernel, const gchar *initrd, const gchar *cmdline, guint8 ld[32])
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlLaunchDigest) digest = sl_launch_digest_new(&error);
	g_autofree gchar *firmware = test_fixture("sevctl", SEVCTL_OVMF);

	g_assert_no_error(error);
	test_add_firmware(digest, firmware);
	if (kernel != NULL) {
		g_autofree gchar *kernel_path = test_fixture("sevctl", kernel);
		g_autofree gchar *initrd_path = test_fixture("sevctl", initrd);
		SlKernelHashes hashes;
		guint8 table[SL_HASHES_TABLE_PADDED_SIZE];

		g_assert_true(sl_kernel_hashes_compute(kernel_path, initrd_path, cmdline, &hashes, &error));
		g_assert_no_error(error);
		sl_hashes_table_build(&hashes, table);
		sl_launch_digest_add_hashes_table(digest, table);
	}
	sl_launch_digest_finish(digest, ld);
}

static void
test_measurement_m3(void)
{
	guint8 ld[32];
	test_measurement_ld(NULL, NULL, NULL, ld);
	test_measurement_check_blob(ld, M3_BLOB);
}

static void
test_measurement_m4(void)
{
	guint8 ld[32];
	test_measurement_ld("vmlinuz-fake", "initrd-fake", "foo bar baz fake kernel=cmdline", ld);
	test_measurement_check_blob(ld, M4_BLOB);
}

/* SEV-ES: the reported blob verifies with the published LD */
static void
test_measurement_m5(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_flip = NULL;
	g_autoptr(GError) error_policy = NULL;
	g_autoptr(SlSecretBytes) tik = test_load_tik1();
	SlLaunchParams params;
	SlLaunchParams other;
	guint8 ld[32];
	guint8 measurement[32];
	guint8 nonce[16];
	guint8 raw[48];

	test_unhex(M5_LD_HEX, ld, sizeof(ld));
	test_params(&params, 1, 49, 6, 5);
	g_assert_true(sl_launch_measure_blob_decode(M5_BLOB, "M5", measurement, nonce, &error));
	g_assert_no_error(error);
	/* the nonce is the blob's last 16 bytes */
	test_unbase64(M5_BLOB, raw, sizeof(raw));
	g_assert_cmpmem(nonce, 16, raw + 32, 16);
	g_assert_cmpmem(measurement, 32, raw, 32);
	g_assert_true(sl_measurement_verify(tik, &params, ld, measurement, nonce, &error));
	g_assert_no_error(error);

	/* one flipped bit of the reported measurement */
	measurement[31] ^= 0x80;
	g_assert_false(sl_measurement_verify(tik, &params, ld, measurement, nonce, &error_flip));
	g_assert_error(error_flip, SL_ERROR, SL_ERROR_MISMATCH);
	measurement[31] ^= 0x80;

	/* the policy is covered too */
	test_params(&other, 1, 49, 6, 7);
	g_assert_false(sl_measurement_verify(tik, &other, ld, measurement, nonce, &error_policy));
	g_assert_error(error_policy, SL_ERROR, SL_ERROR_MISMATCH);
}

static void
test_measurement_flip_inputs(void)
{
	g_autoptr(SlSecretBytes) tik = test_load_tik1();
	SlLaunchParams params;
	guint8 ld[32];
	guint8 measurement[32];
	guint8 nonce[16];

	test_unhex(M5_LD_HEX, ld, sizeof(ld));
	test_params(&params, 1, 49, 6, 5);
	g_assert_true(sl_launch_measure_blob_decode(M5_BLOB, "M5", measurement, nonce, NULL));
	/* a different digest or nonce changes the measurement */
	for (guint i = 0; i < 2; i++) {
		g_autoptr(GError) error = NULL;
		guint8 *buf = i == 0 ? ld : nonce;
		buf[0] ^= 0x01;
		g_assert_false(sl_measurement_verify(tik, &params, ld, measurement, nonce, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_MISMATCH);
		buf[0] ^= 0x01;
	}
}

static void
test_measurement_params_range(void)
{
	struct {
		gint64 v[4];
		const gchar *field;
	} bad[] = {
	    {{-1, 0, 0, 0}, "api-major"},
	    {{256, 0, 0, 0}, "api-major"},
	    {{0, -1, 0, 0}, "api-minor"},
	    {{0, 256, 0, 0}, "api-minor"},
	    {{0, 0, -1, 0}, "build-id"},
	    {{0, 0, 256, 0}, "build-id"},
	    {{0, 0, 0, -1}, "policy"},
	    {{0, 0, 0, G_GINT64_CONSTANT(0x100000000)}, "policy"},
	    {{0, 0, 0, G_MAXINT64}, "policy"},
	};
	SlLaunchParams params;

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_assert_false(sl_launch_params_init(
		    &params, bad[i].v[0], bad[i].v[1], bad[i].v[2], bad[i].v[3], &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
		g_assert_true(g_str_has_prefix(error->message, bad[i].field));
	}
	test_params(&params, 255, 255, 255, G_GINT64_CONSTANT(0xffffffff));
	g_assert_cmpuint(params.api_major, ==, 255);
	g_assert_cmpuint(params.api_minor, ==, 255);
	g_assert_cmpuint(params.build_id, ==, 255);
	g_assert_cmphex(params.policy, ==, 0xffffffff);
}

static void
test_measurement_blob_errors(void)
{
	const gchar *bad[] = {
	    /* 47 bytes */
	    "eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHg=",
	    /* 49 bytes */
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
	    /* M5 with one character outside the alphabet */
	    "/o0nzDKE5XgtVnUZWPhUea/WZYrTKLExR7KCwuMdbAct!pWfXTFk21KMZIAAhQny",
	    /* M5 with a space */
	    "/o0nzDKE5XgtVnUZWPhUea/WZYrTKLExR7KCwuMdbAct pWfXTFk21KMZIAAhQny",
	    /* M5 cut short */
	    "/o0nzDKE5XgtVnUZWPhUea/WZYrTKLExR7KCwuMdbActvpWfXTFk21KMZIAAhQ",
	    "",
	};
	guint8 measurement[32];
	guint8 nonce[16];

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_assert_false(
		    sl_launch_measure_blob_decode(bad[i], "launch measure", measurement, nonce, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
		g_assert_true(g_str_has_prefix(error->message, "launch measure"));
	}
}

static void
test_measurement_blob_roundtrip(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *blob = NULL;
	guint8 measurement[32];
	guint8 nonce[16];

	g_assert_true(sl_launch_measure_blob_decode(M2_BLOB, "M2", measurement, nonce, &error));
	g_assert_no_error(error);
	blob = sl_launch_measure_blob_encode(measurement, nonce);
	g_assert_cmpstr(blob, ==, M2_BLOB);
}

static void
test_measurement_tik_size(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSecretBytes) tik = sl_secret_bytes_new(15);
	SlLaunchParams params = {0};
	guint8 ld[32] = {0};
	guint8 nonce[16] = {0};
	guint8 measurement[32];

	g_assert_false(sl_measurement_compute(tik, &params, ld, nonce, measurement, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/measurement/m1", test_measurement_m1);
	g_test_add_func("/measurement/policy-bytes", test_measurement_policy_bytes);
	g_test_add_func("/measurement/m2", test_measurement_m2);
	g_test_add_func("/measurement/m3", test_measurement_m3);
	g_test_add_func("/measurement/m4", test_measurement_m4);
	g_test_add_func("/measurement/m5", test_measurement_m5);
	g_test_add_func("/measurement/flip-inputs", test_measurement_flip_inputs);
	g_test_add_func("/measurement/params-range", test_measurement_params_range);
	g_test_add_func("/measurement/blob-errors", test_measurement_blob_errors);
	g_test_add_func("/measurement/blob-roundtrip", test_measurement_blob_roundtrip);
	g_test_add_func("/measurement/tik-size", test_measurement_tik_size);
	return g_test_run();
}
