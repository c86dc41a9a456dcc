/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <nettle/bignum.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/ecdsa.h>
#include <nettle/rsa.h>

#include "sl-crypto-pk.h"
#include "sl-crypto.h"
#include "sl-error.h"

/* AMD's keys are 2048 or 4096 bits; anything far beyond is not a key we take */
#define SL_RSA_MAX_BYTES 512
#define SL_PK_MAX_DIGEST 48
/* a random 384-bit scalar falls outside [1, n) with probability ~2^-190 */
#define SL_ECC_KEYGEN_TRIES 16

gsize
sl_pk_hash_get_size(SlPkHash hash)
{
	return hash == SL_PK_HASH_SHA384 ? 48 : 32;
}

const gchar *
sl_pk_hash_to_string(SlPkHash hash)
{
	return hash == SL_PK_HASH_SHA384 ? "SHA-384" : "SHA-256";
}

static gboolean
sl_pk_digest(SlPkHash hash, const guint8 *message, gsize message_len, guint8 *digest, GError **error)
{
	gnutls_digest_algorithm_t algo = hash == SL_PK_HASH_SHA384 ? GNUTLS_DIG_SHA384 : GNUTLS_DIG_SHA256;
	int rc = gnutls_hash_fast(algo, message, message_len, digest);
	if (rc < 0) {
		g_set_error(error, SL_ERROR, SL_ERROR_INTERNAL, "digest failed: %s", gnutls_strerror(rc));
		return FALSE;
	}
	return TRUE;
}

/* limbs of a value that was secret are wiped before GMP frees them */
static void
sl_pk_mpz_clear_secret(mpz_t value)
{
	gsize limbs = mpz_size(value);
	if (limbs > 0)
		sl_wipe(mpz_limbs_modify(value, (mp_size_t)limbs), limbs * sizeof(mp_limb_t));
	mpz_clear(value);
}

static void
sl_pk_ecc_scalar_clear_secret(struct ecc_scalar *scalar)
{
	sl_wipe(scalar->p, (gsize)ecc_size(scalar->ecc) * sizeof(mp_limb_t));
	ecc_scalar_clear(scalar);
}

gboolean
sl_rsa_pss_verify(const guint8 *modulus,
		  gsize modulus_len,
		  const guint8 *exponent,
		  gsize exponent_len,
		  SlPkHash hash,
		  const guint8 *message,
		  gsize message_len,
		  const guint8 *signature,
		  gsize signature_len,
		  GError **error)
{
	struct rsa_public_key key;
	guint8 digest[SL_PK_MAX_DIGEST];
	mpz_t sig;
	int ok;

	if (modulus_len == 0 || modulus_len > SL_RSA_MAX_BYTES || exponent_len == 0 ||
	    exponent_len > SL_RSA_MAX_BYTES || signature_len > SL_RSA_MAX_BYTES) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_DATA, "RSA key or signature of unusable size");
		return FALSE;
	}
	if (!sl_pk_digest(hash, message, message_len, digest, error))
		return FALSE;
	rsa_public_key_init(&key);
	nettle_mpz_set_str_256_u(key.n, modulus_len, modulus);
	nettle_mpz_set_str_256_u(key.e, exponent_len, exponent);
	if (!rsa_public_key_prepare(&key)) {
		rsa_public_key_clear(&key);
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_DATA, "unusable RSA public key");
		return FALSE;
	}
	mpz_init(sig);
	nettle_mpz_set_str_256_u(sig, signature_len, signature);
	if (hash == SL_PK_HASH_SHA384)
		ok = rsa_pss_sha384_verify_digest(&key, sl_pk_hash_get_size(hash), digest, sig);
	else
		ok = rsa_pss_sha256_verify_digest(&key, sl_pk_hash_get_size(hash), digest, sig);
	mpz_clear(sig);
	rsa_public_key_clear(&key);
	if (!ok) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "RSA-PSS %s signature does not verify",
			    sl_pk_hash_to_string(hash));
		return FALSE;
	}
	return TRUE;
}

/* @point must be initialised on P-384 */
static gboolean
sl_pk_point_set(struct ecc_point *point, const SlP384Point *value, GError **error)
{
	mpz_t x, y;
	int ok;

	mpz_init(x);
	mpz_init(y);
	nettle_mpz_set_str_256_u(x, SL_P384_SIZE, value->x);
	nettle_mpz_set_str_256_u(y, SL_P384_SIZE, value->y);
	ok = ecc_point_set(point, x, y);
	mpz_clear(x);
	mpz_clear(y);
	if (!ok) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_DATA, "public key is not a point on P-384");
		return FALSE;
	}
	return TRUE;
}

gboolean
sl_p384_point_check(const SlP384Point *point, GError **error)
{
	struct ecc_point p;
	gboolean ok;

	ecc_point_init(&p, nettle_get_secp_384r1());
	ok = sl_pk_point_set(&p, point, error);
	ecc_point_clear(&p);
	return ok;
}

gboolean
sl_ecdsa_p384_verify(const SlP384Point *key,
		     SlPkHash hash,
		     const guint8 *message,
		     gsize message_len,
		     const guint8 r[SL_P384_SIZE],
		     const guint8 s[SL_P384_SIZE],
		     GError **error)
{
	struct ecc_point pub;
	struct dsa_signature sig;
	guint8 digest[SL_PK_MAX_DIGEST];
	int ok;

	if (!sl_pk_digest(hash, message, message_len, digest, error))
		return FALSE;
	ecc_point_init(&pub, nettle_get_secp_384r1());
	if (!sl_pk_point_set(&pub, key, error)) {
		ecc_point_clear(&pub);
		return FALSE;
	}
	dsa_signature_init(&sig);
	nettle_mpz_set_str_256_u(sig.r, SL_P384_SIZE, r);
	nettle_mpz_set_str_256_u(sig.s, SL_P384_SIZE, s);
	/* checks 0 < r, s < n itself */
	ok = ecdsa_verify(&pub, sl_pk_hash_get_size(hash), digest, &sig);
	dsa_signature_clear(&sig);
	ecc_point_clear(&pub);
	if (!ok) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "ECDSA P-384 %s signature does not verify",
			    sl_pk_hash_to_string(hash));
		return FALSE;
	}
	return TRUE;
}

static void
sl_pk_point_get(const struct ecc_point *point, SlP384Point *out)
{
	mpz_t x, y;

	mpz_init(x);
	mpz_init(y);
	ecc_point_get(point, x, y);
	nettle_mpz_get_str_256(SL_P384_SIZE, out->x, x);
	nettle_mpz_get_str_256(SL_P384_SIZE, out->y, y);
	sl_pk_mpz_clear_secret(x);
	sl_pk_mpz_clear_secret(y);
}

/* @scalar initialised on P-384; FALSE when @value is out of range */
static gboolean
sl_pk_scalar_set(struct ecc_scalar *scalar, const guint8 value[SL_P384_SIZE])
{
	mpz_t k;
	int ok;

	mpz_init(k);
	nettle_mpz_set_str_256_u(k, SL_P384_SIZE, value);
	ok = ecc_scalar_set(scalar, k);
	sl_pk_mpz_clear_secret(k);
	return ok != 0;
}

SlSecretBytes *
sl_ecdh_p384_generate(SlP384Point *public_out, GError **error)
{
	g_autoptr(SlSecretBytes) private_key = sl_secret_bytes_new(SL_P384_SIZE);
	guint8 *k = sl_secret_bytes_get_data(private_key);
	struct ecc_scalar scalar;
	struct ecc_point pub;

	ecc_scalar_init(&scalar, nettle_get_secp_384r1());
	for (guint i = 0;; i++) {
		if (i == SL_ECC_KEYGEN_TRIES) {
			sl_pk_ecc_scalar_clear_secret(&scalar);
			g_set_error_literal(error, SL_ERROR, SL_ERROR_INTERNAL, "no usable P-384 scalar");
			return NULL;
		}
		if (!sl_random_bytes(k, SL_P384_SIZE, error)) {
			sl_pk_ecc_scalar_clear_secret(&scalar);
			return NULL;
		}
		if (sl_pk_scalar_set(&scalar, k))
			break;
	}
	ecc_point_init(&pub, nettle_get_secp_384r1());
	ecc_point_mul_g(&pub, &scalar);
	sl_pk_point_get(&pub, public_out);
	ecc_point_clear(&pub);
	sl_pk_ecc_scalar_clear_secret(&scalar);
	return g_steal_pointer(&private_key);
}

SlSecretBytes *
sl_ecdh_p384_derive(SlSecretBytes *private_key, const SlP384Point *peer, GError **error)
{
	g_autoptr(SlSecretBytes) z = NULL;
	struct ecc_scalar scalar;
	struct ecc_point peer_point;
	struct ecc_point shared;
	SlP384Point out;

	if (sl_secret_bytes_get_size(private_key) != SL_P384_SIZE) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "P-384 private key must be 48 bytes");
		return NULL;
	}
	ecc_point_init(&peer_point, nettle_get_secp_384r1());
	/* an off-curve peer point would leak bits of our scalar */
	if (!sl_pk_point_set(&peer_point, peer, error)) {
		ecc_point_clear(&peer_point);
		return NULL;
	}
	ecc_scalar_init(&scalar, nettle_get_secp_384r1());
	if (!sl_pk_scalar_set(&scalar, sl_secret_bytes_get_data(private_key))) {
		sl_pk_ecc_scalar_clear_secret(&scalar);
		ecc_point_clear(&peer_point);
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "P-384 private key out of range");
		return NULL;
	}
	ecc_point_init(&shared, nettle_get_secp_384r1());
	ecc_point_mul(&shared, &scalar, &peer_point);
	sl_pk_point_get(&shared, &out);
	sl_wipe(shared.p, (gsize)ecc_size_a(shared.ecc) * sizeof(mp_limb_t));
	ecc_point_clear(&shared);
	ecc_point_clear(&peer_point);
	sl_pk_ecc_scalar_clear_secret(&scalar);
	z = sl_secret_bytes_new_copy(out.x, SL_P384_SIZE);
	sl_wipe(&out, sizeof(out));
	return g_steal_pointer(&z);
}
