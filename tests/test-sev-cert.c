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

static void
test_amd_fields(gconstpointer user_data)
{
	const gchar *generation = user_data;
	g_autoptr(GBytes) ark_bytes = read_fixture("builtin", generation, "ark.cert");
	g_autoptr(GBytes) ask_bytes = read_fixture("builtin", generation, "ask.cert");
	g_autoptr(GError) error = NULL;
	g_autoptr(SlAmdCert) ark = NULL;
	g_autoptr(SlAmdCert) ask = NULL;
	const guint8 *raw = g_bytes_get_data(ark_bytes, NULL);
	gsize field = (g_bytes_get_size(ark_bytes) - 0x40) / 3;
	guint32 bits = g_str_equal(generation, "naples") ? 2048 : 4096;
	GBytes *sig;
	const guint8 *s;
	const guint8 *body;
	gsize body_len = 0;

	ark = sl_amd_cert_parse(raw, g_bytes_get_size(ark_bytes), "ark.cert", &error);
	g_assert_no_error(error);
	ask = sl_amd_cert_parse(
	    g_bytes_get_data(ask_bytes, NULL), g_bytes_get_size(ask_bytes), "ask.cert", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(sl_amd_cert_get_modulus_bits(ark), ==, bits);
	g_assert_cmpint(sl_amd_cert_get_hash(ark), ==, bits == 2048 ? SL_PK_HASH_SHA256 : SL_PK_HASH_SHA384);
	g_assert_cmpuint(sl_amd_cert_get_usage(ark), ==, SL_SEV_USAGE_ARK);
	g_assert_cmpuint(sl_amd_cert_get_usage(ask), ==, SL_SEV_USAGE_ASK);
	g_assert_cmpmem(sl_amd_cert_get_key_id(ark), 16, raw + 0x04, 16);
	g_assert_cmpmem(sl_amd_cert_get_certifying_id(ark), 16, raw + 0x14, 16);
	/* the ARK certifies itself and the ASK */
	g_assert_cmpmem(sl_amd_cert_get_certifying_id(ark), 16, sl_amd_cert_get_key_id(ark), 16);
	g_assert_cmpmem(sl_amd_cert_get_certifying_id(ask), 16, sl_amd_cert_get_key_id(ark), 16);
	/* exponent 65537, a full-width modulus, the signature reversed to big-endian */
	g_assert_cmpmem(g_bytes_get_data(sl_amd_cert_get_exponent(ark), NULL),
			g_bytes_get_size(sl_amd_cert_get_exponent(ark)),
			"\x01\x00\x01",
			3);
	g_assert_cmpuint(g_bytes_get_size(sl_amd_cert_get_modulus(ark)), ==, field);
	sig = sl_amd_cert_get_signature(ark);
	s = g_bytes_get_data(sig, NULL);
	g_assert_cmpuint(g_bytes_get_size(sig), ==, field);
	g_assert_cmpuint(s[0], ==, raw[0x40 + 3 * field - 1]);
	g_assert_cmpuint(s[field - 1], ==, raw[0x40 + 2 * field]);
	/* the signed part: header, exponent and modulus as stored */
	body = sl_amd_cert_get_body(ark, &body_len);
	g_assert_cmpmem(body, body_len, raw, 0x40 + 2 * field);
}

static void
test_amd_sizes(void)
{
	gsize len = 0;
	g_autofree guint8 *raw = copy_fixture("builtin", "rome", "ark.cert", &len);
	g_autofree guint8 *big = g_malloc0(len + 1);
	g_autoptr(GError) error = NULL;
	SlAmdCert *cert;

	/* header only, short by one, one too many */
	const gsize sizes[] = {0, 0x3F, 0x40, len - 1};
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		cert = sl_amd_cert_parse(raw, sizes[i], "ark.cert", &error);
		g_assert_null(cert);
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	memcpy(big, raw, len);
	cert = sl_amd_cert_parse(big, len + 1, "ark.cert", &error);
	g_assert_null(cert);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "trailing"));
	g_clear_error(&error);
	/* exponent and modulus sizes must agree and be 2048 or 4096 */
	raw[0x39] = 0x08;
	cert = sl_amd_cert_parse(raw, len, "ark.cert", &error);
	g_assert_null(cert);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_clear_error(&error);
	raw[0x39] = 0x10;
	raw[0x3D] = 0x20;
	raw[0x39] = 0x20; /* 8192 bits */
	cert = sl_amd_cert_parse(raw, len, "ark.cert", &error);
	g_assert_null(cert);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_clear_error(&error);
	raw[0x39] = 0x10;
	raw[0x3D] = 0x10;
	raw[0x00] = 0x02;
	cert = sl_amd_cert_parse(raw, len, "ark.cert", &error);
	g_assert_null(cert);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_clear_error(&error);
	/* and back to what parses, so the cases above failed for their own reason */
	raw[0x00] = 0x01;
	cert = sl_amd_cert_parse(raw, len, "ark.cert", &error);
	g_assert_no_error(error);
	sl_amd_cert_free(cert);
}

static void
test_le_be(void)
{
	const guint8 le[6] = {0x01, 0x02, 0x03, 0x00, 0x00, 0x00};
	const guint8 le_big[6] = {0x01, 0x02, 0x03, 0x00, 0x09, 0x00};
	guint8 be[4];
	guint8 back[6];
	g_autoptr(GError) error = NULL;

	g_assert_true(sl_pk_le_to_be(le, sizeof(le), be, sizeof(be), &error));
	g_assert_cmpmem(be, 4, "\x00\x03\x02\x01", 4);
	sl_pk_be_to_le(be, sizeof(be), back, sizeof(back));
	g_assert_cmpmem(back, 6, le, 6);
	g_assert_false(sl_pk_le_to_be(le_big, sizeof(le_big), be, sizeof(be), &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
}

static void
test_file_read(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("sl-sev-cert-XXXXXX", &error);
	g_autofree gchar *path = g_build_filename(dir, "big.cert", NULL);
	g_autofree gchar *missing = g_build_filename(dir, "missing.cert", NULL);
	g_autofree guint8 *data = g_malloc0(0x900);
	g_autoptr(GBytes) bytes = NULL;

	g_assert_no_error(error);
	g_file_set_contents(path, (const gchar *)data, 0x900, &error);
	g_assert_no_error(error);
	bytes = sl_cert_file_read(path, 0x900, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(bytes), ==, 0x900);
	g_clear_pointer(&bytes, g_bytes_unref);
	/* one byte over the limit is refused before parsing */
	bytes = sl_cert_file_read(path, 0x8FF, &error);
	g_assert_null(bytes);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_clear_error(&error);
	bytes = sl_cert_file_read(missing, 0x900, &error);
	g_assert_null(bytes);
	g_assert_error(error, SL_ERROR, SL_ERROR_READ);
	g_assert_cmpint(g_unlink(path), ==, 0);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
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
	g_test_add_data_func("/sev-cert/amd-fields/naples", "naples", test_amd_fields);
	g_test_add_data_func("/sev-cert/amd-fields/rome", "rome", test_amd_fields);
	g_test_add_data_func("/sev-cert/amd-fields/genoa", "genoa", test_amd_fields);
	g_test_add_func("/sev-cert/amd-sizes", test_amd_sizes);
	g_test_add_func("/sev-cert/le-be", test_le_be);
	g_test_add_func("/sev-cert/file-read", test_file_read);
	return g_test_run();
}
