/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sl-error.h"
#include "sl-sev-cert.h"

/*
 * the two certificate formats of the SEV API spec, appendix C, read from the
 * virtee/sev fixtures; expected values are the spec's offsets applied here
 */

static GBytes *
read_fixture(const gchar *dir, const gchar *generation, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path =
	    g_test_build_filename(G_TEST_DIST, "data", "amd-certs", dir, generation, name, NULL);
	gchar *contents = NULL;
	gsize len = 0;
	g_file_get_contents(path, &contents, &len, &error);
	g_assert_no_error(error);
	return g_bytes_new_take(contents, len);
}

static guint8 *
copy_fixture(const gchar *dir, const gchar *generation, const gchar *name, gsize *len)
{
	g_autoptr(GBytes) bytes = read_fixture(dir, generation, name);
	return g_bytes_unref_to_data(g_steal_pointer(&bytes), len);
}

static void
test_sev_fields(void)
{
	g_autoptr(GBytes) pdh_bytes = read_fixture("chains", "naples", "pdh.cert");
	g_autoptr(GBytes) cek_bytes = read_fixture("chains", "rome", "cek.cert");
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSevCert) pdh = NULL;
	g_autoptr(SlSevCert) cek = NULL;
	const guint8 *raw = g_bytes_get_data(pdh_bytes, NULL);
	const SlSevCertSig *sig;
	const guint8 *body;
	gsize body_len = 0;
	SlP384Point key;

	pdh = sl_sev_cert_parse(raw, g_bytes_get_size(pdh_bytes), "pdh.cert", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(sl_sev_cert_get_name(pdh), ==, "pdh.cert");
	g_assert_cmpuint(sl_sev_cert_get_api_major(pdh), ==, raw[4]);
	g_assert_cmpuint(sl_sev_cert_get_api_minor(pdh), ==, raw[5]);
	g_assert_cmpuint(sl_sev_cert_get_usage(pdh), ==, SL_SEV_USAGE_PDH);
	g_assert_cmpuint(sl_sev_cert_get_algo(pdh), ==, SL_SEV_ALGO_ECDH_SHA256);
	body = sl_sev_cert_get_body(pdh, &body_len);
	g_assert_cmpuint(body_len, ==, 0x414);
	g_assert_cmpmem(body, body_len, raw, 0x414);
	sig = sl_sev_cert_get_sig(pdh, 0);
	g_assert_cmpuint(sig->usage, ==, SL_SEV_USAGE_PEK);
	g_assert_cmpuint(sig->algo, ==, SL_SEV_ALGO_ECDSA_SHA256);
	g_assert_true(sig->data == sl_sev_cert_get_data(pdh) + 0x41C);
	g_assert_cmpuint(sl_sev_cert_get_sig(pdh, 1)->usage, ==, SL_SEV_USAGE_INVALID);

	/* x at 0x14 and y at 0x5C, 72-byte little-endian fields */
	g_assert_true(sl_sev_cert_get_ecc_key(pdh, &key, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < SL_P384_SIZE; i++) {
		g_assert_cmpuint(key.x[i], ==, raw[0x14 + 47 - i]);
		g_assert_cmpuint(key.y[i], ==, raw[0x5C + 47 - i]);
	}

	/* the CEK is signed by the ASK with RSA-PSS SHA-384 on Rome */
	cek = sl_sev_cert_parse(
	    g_bytes_get_data(cek_bytes, NULL), g_bytes_get_size(cek_bytes), "cek.cert", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(sl_sev_cert_get_usage(cek), ==, SL_SEV_USAGE_CEK);
	g_assert_cmpuint(sl_sev_cert_get_sig(cek, 0)->usage, ==, SL_SEV_USAGE_ASK);
	g_assert_cmpuint(sl_sev_cert_get_sig(cek, 0)->algo, ==, SL_SEV_ALGO_RSA_SHA384);
}

static void
test_sev_sizes(void)
{
	gsize len = 0;
	g_autofree guint8 *raw = copy_fixture("chains", "rome", "pek.cert", &len);
	g_autofree guint8 *big = g_malloc0(len + 1);
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSevCert) cert = NULL;

	g_assert_cmpuint(len, ==, SL_SEV_CERT_SIZE);
	cert = sl_sev_cert_parse(raw, len - 1, "pek.cert", &error);
	g_assert_null(cert);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "truncated"));
	g_clear_error(&error);
	memcpy(big, raw, len);
	cert = sl_sev_cert_parse(big, len + 1, "pek.cert", &error);
	g_assert_null(cert);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "trailing"));
	g_clear_error(&error);
	cert = sl_sev_cert_parse(raw, 0, "pek.cert", &error);
	g_assert_null(cert);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_clear_error(&error);
	/* version 2 is not a format we know */
	raw[0] = 2;
	cert = sl_sev_cert_parse(raw, len, "pek.cert", &error);
	g_assert_null(cert);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "version"));
}

static void
test_sev_bad_keys(void)
{
	gsize len = 0;
	g_autofree guint8 *raw = copy_fixture("chains", "naples", "oca.cert", &len);
	g_autoptr(GError) error = NULL;
	SlP384Point key;

	/* P-256 (curve 1) */
	raw[0x10] = 1;
	{
		g_autoptr(SlSevCert) cert = sl_sev_cert_parse(raw, len, "oca.cert", NULL);
		g_assert_false(sl_sev_cert_get_ecc_key(cert, &key, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	raw[0x10] = 2;
	/* a non-zero byte above the 48 that P-384 uses */
	raw[0x14 + 60] = 0x01;
	{
		g_autoptr(SlSevCert) cert = sl_sev_cert_parse(raw, len, "oca.cert", NULL);
		g_assert_false(sl_sev_cert_get_ecc_key(cert, &key, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	raw[0x14 + 60] = 0x00;
	/* off the curve */
	raw[0x5C] ^= 0x01;
	{
		g_autoptr(SlSevCert) cert = sl_sev_cert_parse(raw, len, "oca.cert", NULL);
		g_assert_false(sl_sev_cert_get_ecc_key(cert, &key, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
		g_assert_nonnull(strstr(error->message, "oca.cert"));
		g_clear_error(&error);
	}
	raw[0x5C] ^= 0x01;
	/* an RSA algorithm: no elliptic-curve key to take */
	raw[0x0C] = 0x01;
	{
		g_autoptr(SlSevCert) cert = sl_sev_cert_parse(raw, len, "oca.cert", NULL);
		g_assert_false(sl_sev_cert_get_ecc_key(cert, &key, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	}
}

static void
test_sev_rsa_key(void)
{
	guint8 raw[SL_SEV_CERT_SIZE] = {0};
	g_autoptr(SlSevCert) cert = NULL;
	g_autoptr(GBytes) modulus = NULL;
	g_autoptr(GBytes) exponent = NULL;
	g_autoptr(GError) error = NULL;
	const guint8 *m;

	raw[0x00] = 1;
	raw[0x08] = 0x01;
	raw[0x09] = 0x10; /* OCA */
	raw[0x0C] = 0x01; /* RSA SHA-256 */
	raw[0x10] = 0x00;
	raw[0x11] = 0x08; /* 2048 bits */
	raw[0x14] = 0x01;
	raw[0x16] = 0x01; /* exponent 0x010001 LE */
	raw[0x214] = 0xAB;
	raw[0x214 + 255] = 0xC5; /* modulus LE: top byte 0xC5 */
	cert = sl_sev_cert_parse(raw, sizeof(raw), "rsa.cert", &error);
	g_assert_no_error(error);
	g_assert_true(sl_sev_cert_get_rsa_key(cert, &modulus, &exponent, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(exponent), ==, 3);
	g_assert_cmpmem(g_bytes_get_data(exponent, NULL), 3, "\x01\x00\x01", 3);
	m = g_bytes_get_data(modulus, NULL);
	g_assert_cmpuint(g_bytes_get_size(modulus), ==, 256);
	g_assert_cmpuint(m[0], ==, 0xC5);
	g_assert_cmpuint(m[255], ==, 0xAB);
	/* 1024 bits is not an AMD key size */
	raw[0x11] = 0x04;
	{
		g_autoptr(SlSevCert) small = sl_sev_cert_parse(raw, sizeof(raw), "rsa.cert", NULL);
		g_autoptr(GBytes) m2 = NULL;
		g_autoptr(GBytes) e2 = NULL;
		g_assert_false(sl_sev_cert_get_rsa_key(small, &m2, &e2, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	}
}

static void
test_sev_write_ecc(void)
{
	g_autoptr(GBytes) pdh_bytes = read_fixture("chains", "rome", "pdh.cert");
	g_autoptr(SlSevCert) pdh =
	    sl_sev_cert_parse(g_bytes_get_data(pdh_bytes, NULL), SL_SEV_CERT_SIZE, "pdh", NULL);
	g_autoptr(SlSevCert) copy = NULL;
	g_autoptr(GError) error = NULL;
	const guint8 *raw = g_bytes_get_data(pdh_bytes, NULL);
	guint8 out[SL_SEV_CERT_SIZE];
	SlP384Point key, key2;

	g_assert_true(sl_sev_cert_get_ecc_key(pdh, &key, &error));
	sl_sev_cert_write_ecc(SL_SEV_USAGE_PDH, SL_SEV_ALGO_ECDH_SHA256, &key, out);
	/* the public key field is the platform's, byte for byte */
	g_assert_cmpmem(out + 0x10, 4 + 2 * 72, raw + 0x10, 4 + 2 * 72);
	/* no firmware version, empty signature slots */
	g_assert_cmpuint(out[4], ==, 0);
	g_assert_cmpuint(out[5], ==, 0);
	g_assert_cmpmem(out + 0x414, 8, "\x00\x10\x00\x00\x00\x00\x00\x00", 8);
	g_assert_cmpmem(out + 0x61C, 8, "\x00\x10\x00\x00\x00\x00\x00\x00", 8);
	copy = sl_sev_cert_parse(out, sizeof(out), "godh", &error);
	g_assert_no_error(error);
	g_assert_true(sl_sev_cert_get_ecc_key(copy, &key2, &error));
	g_assert_cmpmem(&key, sizeof(key), &key2, sizeof(key2));
}

static void
test_algo(void)
{
	SlPkHash hash = SL_PK_HASH_SHA256;
	g_assert_true(sl_sev_algo_get_hash(SL_SEV_ALGO_ECDSA_SHA384, &hash));
	g_assert_cmpint(hash, ==, SL_PK_HASH_SHA384);
	g_assert_true(sl_sev_algo_get_hash(SL_SEV_ALGO_RSA_SHA256, &hash));
	g_assert_cmpint(hash, ==, SL_PK_HASH_SHA256);
	g_assert_false(sl_sev_algo_get_hash(SL_SEV_ALGO_INVALID, &hash));
	g_assert_false(sl_sev_algo_get_hash(0x0104, &hash));
	g_assert_cmpint(sl_sev_algo_get_kind(SL_SEV_ALGO_ECDH_SHA384), ==, SL_SEV_KEY_KIND_ECDH);
	g_assert_cmpstr(sl_sev_usage_to_string(SL_SEV_USAGE_OCA), ==, "OCA");
	g_assert_cmpstr(sl_sev_usage_to_string(0x4242), ==, "unknown");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/sev-cert/sev-fields", test_sev_fields);
	g_test_add_func("/sev-cert/sev-sizes", test_sev_sizes);
	g_test_add_func("/sev-cert/sev-bad-keys", test_sev_bad_keys);
	g_test_add_func("/sev-cert/sev-rsa-key", test_sev_rsa_key);
	g_test_add_func("/sev-cert/sev-write-ecc", test_sev_write_ecc);
	g_test_add_func("/sev-cert/algo", test_algo);
	return g_test_run();
}
