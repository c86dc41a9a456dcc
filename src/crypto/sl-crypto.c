/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <nettle/aes.h>
#include <nettle/ctr.h>
#include <unistd.h>

#include "sl-crypto.h"
#include "sl-error.h"
#include "sl-file.h"

/* large enough to keep syscalls cheap, small enough to keep RSS tiny */
#define SL_SHA256_FILE_CHUNK (1024 * 1024)

struct _SlSha256 {
	gnutls_hash_hd_t hd;
};

struct _SlHmacSha256 {
	gnutls_hmac_hd_t hd;
};

static gboolean
sl_crypto_check(int rc, const gchar *what, GError **error)
{
	if (rc >= 0)
		return TRUE;
	g_set_error(error, SL_ERROR, SL_ERROR_INTERNAL, "%s failed: %s", what, gnutls_strerror(rc));
	return FALSE;
}

SlSha256 *
sl_sha256_new(GError **error)
{
	g_autofree SlSha256 *self = g_new0(SlSha256, 1);
	if (!sl_crypto_check(gnutls_hash_init(&self->hd, GNUTLS_DIG_SHA256), "SHA-256 init", error))
		return NULL;
	return g_steal_pointer(&self);
}

void
sl_sha256_update(SlSha256 *self, const void *data, gsize len)
{
	/* gnutls_hash cannot fail once the handle exists */
	if (len > 0)
		(void)gnutls_hash(self->hd, data, len);
}

void
sl_sha256_finish(SlSha256 *self, guint8 digest[SL_SHA256_SIZE])
{
	gnutls_hash_output(self->hd, digest);
}

void
sl_sha256_free(SlSha256 *self)
{
	if (self == NULL)
		return;
	gnutls_hash_deinit(self->hd, NULL);
	g_free(self);
}

SlSha256 *
sl_sha256_copy(SlSha256 *self, GError **error)
{
	g_autofree SlSha256 *copy = g_new0(SlSha256, 1);

	g_return_val_if_fail(self != NULL, NULL);
	copy->hd = gnutls_hash_copy(self->hd);
	if (copy->hd == NULL) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INTERNAL, "SHA-256 context copy is not supported");
		return NULL;
	}
	return g_steal_pointer(&copy);
}

gboolean
sl_sha256_peek(SlSha256 *self, guint8 digest[SL_SHA256_SIZE], GError **error)
{
	g_autoptr(SlSha256) copy = sl_sha256_copy(self, error);
	if (copy == NULL)
		return FALSE;
	sl_sha256_finish(copy, digest);
	return TRUE;
}

gboolean
sl_sha256_buffer(const void *data, gsize len, guint8 digest[SL_SHA256_SIZE], GError **error)
{
	return sl_crypto_check(gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, digest), "SHA-256", error);
}

gboolean
sl_sha256_update_from_file(SlSha256 *self, const gchar *path, guint64 *size_out, GError **error)
{
	g_autofree guint8 *chunk = NULL;
	guint64 total = 0;
	g_auto(SlFd) fd = sl_file_open_regular(path, "file", NULL, error);

	if (fd < 0)
		return FALSE;
	/* the kernel can read ahead: the whole file is consumed in order */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	chunk = g_malloc(SL_SHA256_FILE_CHUNK);
	for (;;) {
		gssize n = sl_file_read_some(fd, path, "file", chunk, SL_SHA256_FILE_CHUNK, error);
		if (n < 0)
			return FALSE;
		if (n == 0)
			break;
		sl_sha256_update(self, chunk, (gsize)n);
		total += (guint64)n;
	}
	if (size_out != NULL)
		*size_out = total;
	return TRUE;
}

gboolean
sl_sha256_file(const gchar *path, guint8 digest[SL_SHA256_SIZE], GError **error)
{
	g_autoptr(SlSha256) sha = sl_sha256_new(error);
	if (sha == NULL)
		return FALSE;
	if (!sl_sha256_update_from_file(sha, path, NULL, error))
		return FALSE;
	sl_sha256_finish(sha, digest);
	return TRUE;
}

SlHmacSha256 *
sl_hmac_sha256_new(const void *key, gsize key_len, GError **error)
{
	g_autofree SlHmacSha256 *self = g_new0(SlHmacSha256, 1);
	if (!sl_crypto_check(
		gnutls_hmac_init(&self->hd, GNUTLS_MAC_SHA256, key, key_len), "HMAC-SHA256 init", error))
		return NULL;
	return g_steal_pointer(&self);
}

void
sl_hmac_sha256_update(SlHmacSha256 *self, const void *data, gsize len)
{
	if (len > 0)
		(void)gnutls_hmac(self->hd, data, len);
}

void
sl_hmac_sha256_finish(SlHmacSha256 *self, guint8 mac[SL_SHA256_SIZE])
{
	gnutls_hmac_output(self->hd, mac);
}

void
sl_hmac_sha256_free(SlHmacSha256 *self)
{
	if (self == NULL)
		return;
	/* deinit wipes the keyed state */
	gnutls_hmac_deinit(self->hd, NULL);
	g_free(self);
}

SlHmacSha256 *
sl_hmac_sha256_copy(SlHmacSha256 *self, GError **error)
{
	g_autofree SlHmacSha256 *copy = g_new0(SlHmacSha256, 1);

	g_return_val_if_fail(self != NULL, NULL);
	copy->hd = gnutls_hmac_copy(self->hd);
	if (copy->hd == NULL) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INTERNAL, "HMAC-SHA256 context copy is not supported");
		return NULL;
	}
	return g_steal_pointer(&copy);
}

void
sl_aes128_ctr_crypt(const guint8 key[SL_AES128_KEY_SIZE],
		    const guint8 iv[SL_AES_BLOCK_SIZE],
		    guint8 *buf,
		    gsize len)
{
	struct aes128_ctx ctx;
	guint8 counter[SL_AES_BLOCK_SIZE];

	memcpy(counter, iv, sizeof(counter));
	aes128_set_encrypt_key(&ctx, key);
	ctr_crypt(&ctx, (nettle_cipher_func *)aes128_encrypt, AES_BLOCK_SIZE, counter, len, buf, buf);
	sl_wipe(&ctx, sizeof(ctx));
	sl_wipe(counter, sizeof(counter));
}

gboolean
sl_random_bytes(void *buf, gsize len, GError **error)
{
	return sl_crypto_check(gnutls_rnd(GNUTLS_RND_KEY, buf, len), "random generator", error);
}

gboolean
sl_memeq_secret(const void *a, const void *b, gsize len)
{
	return gnutls_memcmp(a, b, len) == 0;
}
