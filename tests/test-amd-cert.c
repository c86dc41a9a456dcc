/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sl-amd-cert.h"
#include "sl-error.h"

/*
 * AMD's ARK/ASK format of the SEV API spec, appendix C.2, read from the
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

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_data_func("/amd-cert/fields/naples", "naples", test_amd_fields);
	g_test_add_data_func("/amd-cert/fields/rome", "rome", test_amd_fields);
	g_test_add_data_func("/amd-cert/fields/genoa", "genoa", test_amd_fields);
	g_test_add_func("/amd-cert/sizes", test_amd_sizes);
	return g_test_run();
}
