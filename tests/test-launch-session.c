/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <nettle/aes.h>
#include <nettle/bignum.h>
#include <nettle/ctr.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <string.h>

#include "sl-error.h"
#include "sl-launch-session.h"

/*
 * VECTORS.md section 5 (virtee/sev's session tests), the blob layout, and a
 * round trip in which this test plays the platform: its own PDH key from
 * GnuTLS, its own ECDH with nettle, its own KDF with GnuTLS's HMAC
 */

static GBytes *
unhex(const gchar *hex)
{
	gsize len = strlen(hex) / 2;
	guint8 *buf = g_malloc(len);
	for (gsize i = 0; i < len; i++) {
		gint hi = g_ascii_xdigit_value(hex[2 * i]);
		gint lo = g_ascii_xdigit_value(hex[2 * i + 1]);
		g_assert_true(hi >= 0 && lo >= 0);
		buf[i] = (guint8)(hi << 4 | lo);
	}
	return g_bytes_new_take(buf, len);
}

static void
assert_hex(const guint8 *data, gsize len, const gchar *hex)
{
	g_autoptr(GBytes) want = unhex(hex);
	g_assert_cmpmem(data, len, g_bytes_get_data(want, NULL), g_bytes_get_size(want));
}

static SlLaunchKeys *
keys_new(const guint8 tek[16], const guint8 tik[16])
{
	SlLaunchKeys *keys = g_new0(SlLaunchKeys, 1);
	keys->tek = sl_secret_bytes_new_copy(tek, 16);
	keys->tik = sl_secret_bytes_new_copy(tik, 16);
	return keys;
}

static void
test_kdf_vector(void)
{
	const guint8 zero[16] = {0};
	guint8 out[16];
	g_autoptr(GError) error = NULL;

	sl_launch_kdf(zero, sizeof(zero), "sev-master-secret", zero, sizeof(zero), out, sizeof(out), &error);
	g_assert_no_error(error);
	assert_hex(out, sizeof(out), "ab4d269fcc62bedb4511d56c386ce706");
	/* a zero-length output is no key */
	g_assert_false(sl_launch_kdf(zero, sizeof(zero), "x", NULL, 0, out, 0, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
}

/* the test's own SP 800-108 counter-mode KDF, one HMAC block per 32 bytes */
static void
own_kdf(const guint8 *key,
	gsize key_len,
	const gchar *label,
	const guint8 *ctx,
	gsize ctx_len,
	guint8 *out,
	gsize len)
{
	for (guint32 i = 1; (i - 1) * 32 < len; i++) {
		g_autoptr(GByteArray) msg = g_byte_array_new();
		guint8 counter[4] = {(guint8)i, (guint8)(i >> 8), (guint8)(i >> 16), (guint8)(i >> 24)};
		guint32 bits = (guint32)len * 8;
		guint8 bits_le[4] = {
		    (guint8)bits, (guint8)(bits >> 8), (guint8)(bits >> 16), (guint8)(bits >> 24)};
		guint8 zero = 0;
		guint8 mac[32];
		g_byte_array_append(msg, counter, 4);
		g_byte_array_append(msg, (const guint8 *)label, (guint)strlen(label));
		g_byte_array_append(msg, &zero, 1);
		if (ctx_len > 0)
			g_byte_array_append(msg, ctx, (guint)ctx_len);
		g_byte_array_append(msg, bits_le, 4);
		g_assert_cmpint(
		    gnutls_hmac_fast(GNUTLS_MAC_SHA256, key, key_len, msg->data, msg->len, mac), ==, 0);
		memcpy(out + (i - 1) * 32, mac, MIN(32, len - (i - 1) * 32));
	}
}

static void
test_kdf_long(void)
{
	const guint8 key[48] = {1, 2, 3, 4, 5};
	const guint8 ctx[5] = {9, 8, 7, 6, 5};
	guint8 out[70];
	guint8 want[70];
	g_autoptr(GError) error = NULL;

	/* three HMAC blocks, the last one cut short */
	sl_launch_kdf(key, sizeof(key), "sev-test", ctx, sizeof(ctx), out, sizeof(out), &error);
	g_assert_no_error(error);
	own_kdf(key, sizeof(key), "sev-test", ctx, sizeof(ctx), want, sizeof(want));
	g_assert_cmpmem(out, sizeof(out), want, sizeof(want));
}

static void
test_wrap_zero_vector(void)
{
	const guint8 zero[16] = {0};
	g_autoptr(SlLaunchKeys) keys = keys_new(zero, zero);
	g_autoptr(SlSecretBytes) z = sl_secret_bytes_new_copy(zero, 16);
	g_autoptr(GError) error = NULL;
	SlLaunchSessionBlob blob;
	guint8 wire[SL_LAUNCH_SESSION_SIZE];

	sl_launch_session_wrap(z, zero, zero, keys, 0, &blob, &error);
	g_assert_no_error(error);
	assert_hex(blob.wrap_tk,
		   sizeof(blob.wrap_tk),
		   "2137bc7f9bb8bd7c3e55a576a15d3454b3856b8ba27afadf46dcfee9f02c02c4");
	assert_hex(blob.wrap_mac,
		   sizeof(blob.wrap_mac),
		   "3176c0752738bd9d5e86689534020f528c088f16238826b000b327dee6aeed7d");
	assert_hex(blob.policy_mac,
		   sizeof(blob.policy_mac),
		   "aa7855e13839dd767cd5da7c1ff5036540c9264b7a803029315e55375287b4af");
	/* nonce || wrap_tk || wrap_iv || wrap_mac || policy_mac */
	sl_launch_session_blob_write(&blob, wire);
	g_assert_cmpmem(wire, 16, zero, 16);
	assert_hex(wire + 16, 32, "2137bc7f9bb8bd7c3e55a576a15d3454b3856b8ba27afadf46dcfee9f02c02c4");
	g_assert_cmpmem(wire + 48, 16, zero, 16);
	assert_hex(wire + 64, 32, "3176c0752738bd9d5e86689534020f528c088f16238826b000b327dee6aeed7d");
	assert_hex(wire + 96, 32, "aa7855e13839dd767cd5da7c1ff5036540c9264b7a803029315e55375287b4af");
}

static void
test_blob_layout(void)
{
	SlLaunchSessionBlob blob;
	guint8 wire[SL_LAUNCH_SESSION_SIZE];

	G_STATIC_ASSERT(sizeof(SlLaunchSessionBlob) == SL_LAUNCH_SESSION_SIZE);
	memset(blob.nonce, 0x11, sizeof(blob.nonce));
	memset(blob.wrap_tk, 0x22, sizeof(blob.wrap_tk));
	memset(blob.wrap_iv, 0x33, sizeof(blob.wrap_iv));
	memset(blob.wrap_mac, 0x44, sizeof(blob.wrap_mac));
	memset(blob.policy_mac, 0x55, sizeof(blob.policy_mac));
	sl_launch_session_blob_write(&blob, wire);
	for (guint i = 0; i < SL_LAUNCH_SESSION_SIZE; i++) {
		guint8 want = i < 16 ? 0x11 : i < 48 ? 0x22 : i < 64 ? 0x33 : i < 96 ? 0x44 : 0x55;
		g_assert_cmpuint(wire[i], ==, want);
	}
}

static void
test_wrap_needs_tek(void)
{
	const guint8 zero[16] = {0};
	g_autoptr(SlLaunchKeys) keys = keys_new(zero, zero);
	g_autoptr(SlSecretBytes) z = sl_secret_bytes_new_copy(zero, 16);
	g_autoptr(GError) error = NULL;
	SlLaunchSessionBlob blob;

	g_clear_pointer(&keys->tek, sl_secret_bytes_unref);
	g_assert_false(sl_launch_session_wrap(z, zero, zero, keys, 0, &blob, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
}

/* the platform's side: a P-384 key from GnuTLS, raw big-endian x, y and k */
typedef struct {
	guint8 x[48];
	guint8 y[48];
	guint8 k[48];
} PlatformKey;

static void
datum_to_48(const gnutls_datum_t *d, guint8 out[48])
{
	g_assert_cmpuint(d->size, <=, 48);
	memset(out, 0, 48);
	memcpy(out + 48 - d->size, d->data, d->size);
}

static void
platform_key_generate(PlatformKey *key)
{
	gnutls_privkey_t priv = NULL;
	gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
	gnutls_datum_t x = {NULL, 0}, y = {NULL, 0}, k = {NULL, 0};

	g_assert_cmpint(gnutls_privkey_init(&priv), ==, 0);
	g_assert_cmpint(gnutls_privkey_generate(
			    priv, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP384R1), 0),
			==,
			0);
	g_assert_cmpint(
	    gnutls_privkey_export_ecc_raw2(priv, &curve, &x, &y, &k, GNUTLS_EXPORT_FLAG_NO_LZ), ==, 0);
	g_assert_cmpint(curve, ==, GNUTLS_ECC_CURVE_SECP384R1);
	datum_to_48(&x, key->x);
	datum_to_48(&y, key->y);
	datum_to_48(&k, key->k);
	gnutls_free(x.data);
	gnutls_free(y.data);
	gnutls_free(k.data);
	gnutls_privkey_deinit(priv);
}

static void
put_le(guint8 *field, gsize field_len, const guint8 *be, gsize be_len)
{
	memset(field, 0, field_len);
	for (gsize i = 0; i < be_len; i++)
		field[i] = be[be_len - 1 - i];
}

static void
get_be(const guint8 *field, guint8 *be, gsize be_len)
{
	for (gsize i = 0; i < be_len; i++)
		be[i] = field[be_len - 1 - i];
}

static guint32
get_u32(const guint8 *p)
{
	return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

/* the PDH certificate written from the spec's offsets, not with the code under test */
static void
pdh_cert_write(const PlatformKey *key, guint32 usage, guint8 cert[0x824])
{
	memset(cert, 0, 0x824);
	cert[0x00] = 1;
	cert[0x08] = (guint8)usage;
	cert[0x09] = (guint8)(usage >> 8);
	cert[0x0C] = 0x03; /* ECDH SHA-256 */
	cert[0x10] = 0x02; /* P-384 */
	put_le(cert + 0x14, 72, key->x, 48);
	put_le(cert + 0x5C, 72, key->y, 48);
	cert[0x415] = 0x10; /* usage 0x1000: unsigned */
	cert[0x61D] = 0x10;
}

/* Z = x(k * peer), with nettle's ecc functions directly */
static void
platform_ecdh(const PlatformKey *key, const guint8 peer_x[48], const guint8 peer_y[48], guint8 z[48])
{
	const struct ecc_curve *curve = nettle_get_secp_384r1();
	struct ecc_point peer, shared;
	struct ecc_scalar k;
	mpz_t x, y, kz;

	mpz_init(x);
	mpz_init(y);
	mpz_init(kz);
	ecc_point_init(&peer, curve);
	ecc_point_init(&shared, curve);
	ecc_scalar_init(&k, curve);
	nettle_mpz_set_str_256_u(x, 48, peer_x);
	nettle_mpz_set_str_256_u(y, 48, peer_y);
	nettle_mpz_set_str_256_u(kz, 48, key->k);
	g_assert_true(ecc_point_set(&peer, x, y));
	g_assert_true(ecc_scalar_set(&k, kz));
	ecc_point_mul(&shared, &k, &peer);
	ecc_point_get(&shared, x, y);
	nettle_mpz_get_str_256(48, z, x);
	ecc_scalar_clear(&k);
	ecc_point_clear(&shared);
	ecc_point_clear(&peer);
	mpz_clear(x);
	mpz_clear(y);
	mpz_clear(kz);
}

static void
test_round_trip(void)
{
	PlatformKey platform;
	guint8 pdh_bytes[0x824];
	g_autoptr(SlSevCert) pdh = NULL;
	g_autoptr(SlLaunchSession) session = NULL;
	g_autoptr(GError) error = NULL;
	const guint32 policy = 0x00050005;
	guint8 gx[48], gy[48], z[48], master[16], kek[16], kik[16], mac[32], tk[32];
	guint8 policy_le[4] = {0x05, 0x00, 0x05, 0x00};
	const guint8 *blob;
	struct aes128_ctx aes;
	guint8 counter[16];

	platform_key_generate(&platform);
	pdh_cert_write(&platform, 0x1003, pdh_bytes);
	pdh = sl_sev_cert_parse(pdh_bytes, sizeof(pdh_bytes), "pdh.cert", &error);
	g_assert_no_error(error);
	session = sl_launch_session_new(pdh, policy, &error);
	g_assert_no_error(error);

	/* the GODH certificate as sevctl writes it */
	g_assert_cmpuint(get_u32(session->godh + 0x00), ==, 1);
	g_assert_cmpuint(get_u32(session->godh + 0x04), ==, 0);
	g_assert_cmpuint(get_u32(session->godh + 0x08), ==, 0x1003);
	g_assert_cmpuint(get_u32(session->godh + 0x0C), ==, 0x0003);
	g_assert_cmpuint(get_u32(session->godh + 0x10), ==, 2);
	g_assert_cmpuint(get_u32(session->godh + 0x414), ==, 0x1000);
	g_assert_cmpuint(get_u32(session->godh + 0x418), ==, 0);
	g_assert_cmpuint(get_u32(session->godh + 0x61C), ==, 0x1000);
	g_assert_cmpuint(get_u32(session->godh + 0x620), ==, 0);
	for (gsize i = 0x14 + 48; i < 0x14 + 72; i++)
		g_assert_cmpuint(session->godh[i], ==, 0);
	get_be(session->godh + 0x14, gx, 48);
	get_be(session->godh + 0x5C, gy, 48);

	/* the platform derives the same keys and unwraps TEK || TIK */
	platform_ecdh(&platform, gx, gy, z);
	blob = session->session;
	own_kdf(z, sizeof(z), "sev-master-secret", blob, 16, master, sizeof(master));
	own_kdf(master, sizeof(master), "sev-kek", NULL, 0, kek, sizeof(kek));
	own_kdf(master, sizeof(master), "sev-kik", NULL, 0, kik, sizeof(kik));
	g_assert_cmpint(gnutls_hmac_fast(GNUTLS_MAC_SHA256, kik, 16, blob + 16, 32, mac), ==, 0);
	g_assert_cmpmem(mac, 32, blob + 64, 32);
	memcpy(tk, blob + 16, 32);
	memcpy(counter, blob + 48, 16);
	aes128_set_encrypt_key(&aes, kek);
	ctr_crypt(&aes, (nettle_cipher_func *)aes128_encrypt, 16, counter, 32, tk, tk);
	g_assert_cmpmem(tk, 16, sl_secret_bytes_get_data(session->keys->tek), 16);
	g_assert_cmpmem(tk + 16, 16, sl_secret_bytes_get_data(session->keys->tik), 16);
	g_assert_cmpint(gnutls_hmac_fast(GNUTLS_MAC_SHA256, tk + 16, 16, policy_le, 4, mac), ==, 0);
	g_assert_cmpmem(mac, 32, blob + 96, 32);
}

static void
test_fresh_each_time(void)
{
	PlatformKey platform;
	guint8 pdh_bytes[0x824];
	g_autoptr(SlSevCert) pdh = NULL;
	g_autoptr(SlLaunchSession) a = NULL;
	g_autoptr(SlLaunchSession) b = NULL;

	platform_key_generate(&platform);
	pdh_cert_write(&platform, 0x1003, pdh_bytes);
	pdh = sl_sev_cert_parse(pdh_bytes, sizeof(pdh_bytes), "pdh.cert", NULL);
	g_assert_nonnull(pdh);
	a = sl_launch_session_new(pdh, 0, NULL);
	b = sl_launch_session_new(pdh, 0, NULL);
	g_assert_nonnull(a);
	g_assert_nonnull(b);
	g_assert_true(memcmp(a->godh, b->godh, sizeof(a->godh)) != 0);
	g_assert_true(memcmp(a->session, b->session, 16) != 0); /* nonce */
	g_assert_true(
	    memcmp(sl_secret_bytes_get_data(a->keys->tik), sl_secret_bytes_get_data(b->keys->tik), 16) != 0);
	g_assert_true(
	    memcmp(sl_secret_bytes_get_data(a->keys->tek), sl_secret_bytes_get_data(b->keys->tek), 16) != 0);
}

static void
test_bad_pdh(void)
{
	PlatformKey platform;
	guint8 pdh_bytes[0x824];
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSevCert) pek = NULL;
	g_autoptr(SlSevCert) off_curve = NULL;
	g_autoptr(SlLaunchSession) session = NULL;

	platform_key_generate(&platform);
	/* a signing key is no key-agreement key */
	pdh_cert_write(&platform, 0x1002, pdh_bytes);
	pek = sl_sev_cert_parse(pdh_bytes, sizeof(pdh_bytes), "pek.cert", NULL);
	g_assert_nonnull(pek);
	session = sl_launch_session_new(pek, 0, &error);
	g_assert_null(session);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_clear_error(&error);
	/* a point off the curve would leak the owner's scalar */
	platform.y[47] ^= 0x01;
	pdh_cert_write(&platform, 0x1003, pdh_bytes);
	off_curve = sl_sev_cert_parse(pdh_bytes, sizeof(pdh_bytes), "pdh.cert", NULL);
	g_assert_nonnull(off_curve);
	session = sl_launch_session_new(off_curve, 0, &error);
	g_assert_null(session);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/launch-session/kdf-vector", test_kdf_vector);
	g_test_add_func("/launch-session/kdf-long", test_kdf_long);
	g_test_add_func("/launch-session/wrap-zero-vector", test_wrap_zero_vector);
	g_test_add_func("/launch-session/blob-layout", test_blob_layout);
	g_test_add_func("/launch-session/wrap-needs-tek", test_wrap_needs_tek);
	g_test_add_func("/launch-session/round-trip", test_round_trip);
	g_test_add_func("/launch-session/fresh-each-time", test_fresh_each_time);
	g_test_add_func("/launch-session/bad-pdh", test_bad_pdh);
	return g_test_run();
}
