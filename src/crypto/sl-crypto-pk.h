/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-secret-bytes.h"

G_BEGIN_DECLS

/*
 * public-key crypto for the SEV certificate chain and the launch session,
 * kept beside sl-crypto: nettle/hogweed for RSA-PSS, ECDSA and ECDH on
 * P-384, GnuTLS for digests and randomness. Every integer here is
 * big-endian; AMD's little-endian fields are converted with the helpers at
 * the end.
 */

#define SL_P384_SIZE 48

typedef enum {
	SL_PK_HASH_SHA256,
	SL_PK_HASH_SHA384,
} SlPkHash;

/* an affine P-384 point, big-endian coordinates */
typedef struct {
	guint8 x[SL_P384_SIZE];
	guint8 y[SL_P384_SIZE];
} SlP384Point;

/* digest size in bytes of @hash */
gsize
sl_pk_hash_get_size(SlPkHash hash);
const gchar *
sl_pk_hash_to_string(SlPkHash hash);

/*
 * RSASSA-PSS with MGF1 of the same hash and a salt as long as the digest, as
 * AMD signs; a signature that does not verify is SL_ERROR_NOT_VERIFIABLE,
 * an unusable key SL_ERROR_INVALID_DATA
 */
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
		  GError **error);

/* ECDSA over P-384 with a digest of @message; r and s big-endian */
gboolean
sl_ecdsa_p384_verify(const SlP384Point *key,
		     SlPkHash hash,
		     const guint8 *message,
		     gsize message_len,
		     const guint8 r[SL_P384_SIZE],
		     const guint8 s[SL_P384_SIZE],
		     GError **error);

/* FALSE with SL_ERROR_INVALID_DATA unless @point lies on P-384 */
gboolean
sl_p384_point_check(const SlP384Point *point, GError **error);

/* a fresh P-384 key pair from GnuTLS's key-grade random: the private scalar (48 bytes) */
SlSecretBytes *
sl_ecdh_p384_generate(SlP384Point *public_out, GError **error);

/* the x-coordinate of private * peer, 48 bytes big-endian, as standard ECDH outputs it */
SlSecretBytes *
sl_ecdh_p384_derive(SlSecretBytes *private_key, const SlP384Point *peer, GError **error);

G_END_DECLS
