/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "sl-secret-bytes.h"

G_BEGIN_DECLS

/*
 * every cryptographic primitive the tool uses goes through this file:
 * GnuTLS for hashes, HMAC, randomness and constant-time compare, nettle for
 * AES-128-CTR (GnuTLS has no public CTR mode)
 */

#define SL_SHA256_SIZE 32
#define SL_AES128_KEY_SIZE 16
#define SL_AES_BLOCK_SIZE 16

typedef struct _SlSha256 SlSha256;
typedef struct _SlHmacSha256 SlHmacSha256;

SlSha256 *
sl_sha256_new(GError **error);
void
sl_sha256_update(SlSha256 *self, const void *data, gsize len);
void
sl_sha256_finish(SlSha256 *self, guint8 digest[SL_SHA256_SIZE]);
void
sl_sha256_free(SlSha256 *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlSha256, sl_sha256_free)
/*
 * an independent context in the same state: a midstate (firmware hashed
 * once) is continued many ways without hashing the common prefix again
 */
SlSha256 *
sl_sha256_copy(SlSha256 *self, GError **error);
/* the digest of what was fed so far; @self stays usable and unchanged */
gboolean
sl_sha256_peek(SlSha256 *self, guint8 digest[SL_SHA256_SIZE], GError **error);

gboolean
sl_sha256_buffer(const void *data, gsize len, guint8 digest[SL_SHA256_SIZE], GError **error);
/* streams the file in fixed-size chunks: never reads it whole */
gboolean
sl_sha256_update_from_file(SlSha256 *self, const gchar *path, guint64 *size_out, GError **error);
gboolean
sl_sha256_file(const gchar *path, guint8 digest[SL_SHA256_SIZE], GError **error);

SlHmacSha256 *
sl_hmac_sha256_new(const void *key, gsize key_len, GError **error);
void
sl_hmac_sha256_update(SlHmacSha256 *self, const void *data, gsize len);
void
sl_hmac_sha256_finish(SlHmacSha256 *self, guint8 mac[SL_SHA256_SIZE]);
void
sl_hmac_sha256_free(SlHmacSha256 *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlHmacSha256, sl_hmac_sha256_free)
/* a keyed context in the same state: the key schedule is paid once for many MACs */
SlHmacSha256 *
sl_hmac_sha256_copy(SlHmacSha256 *self, GError **error);

/* encrypts or decrypts @buf in place; @iv is the initial 128-bit counter */
void
sl_aes128_ctr_crypt(const guint8 key[SL_AES128_KEY_SIZE],
		    const guint8 iv[SL_AES_BLOCK_SIZE],
		    guint8 *buf,
		    gsize len);

/* key-grade randomness from GnuTLS */
gboolean
sl_random_bytes(void *buf, gsize len, GError **error);

/* constant time: the time taken does not depend on where the buffers differ */
gboolean
sl_memeq_secret(const void *a, const void *b, gsize len);

G_END_DECLS
