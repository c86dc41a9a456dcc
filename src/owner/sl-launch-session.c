/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-crypto.h"
#include "sl-error.h"
#include "sl-launch-session.h"
#include "sl-le.h"

#define SL_LAUNCH_KEY_BYTES SL_LAUNCH_KEY_SIZE

gboolean
sl_launch_kdf(const guint8 *key,
	      gsize key_len,
	      const gchar *label,
	      const guint8 *context,
	      gsize context_len,
	      guint8 *out,
	      gsize out_len,
	      GError **error)
{
	const guint8 zero = 0;
	guint8 bits[4];
	guint32 blocks;

	/* the length in bits is a u32 on the wire */
	if (out_len == 0 || out_len > G_MAXUINT32 / 8) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "KDF output length out of range");
		return FALSE;
	}
	sl_le_write_u32(bits, sizeof(bits), 0, (guint32)(out_len * 8));
	blocks = (guint32)((out_len + SL_SHA256_SIZE - 1) / SL_SHA256_SIZE);
	for (guint32 i = 1; i <= blocks; i++) {
		g_autoptr(SlHmacSha256) hmac = sl_hmac_sha256_new(key, key_len, error);
		guint8 counter[4];
		guint8 block[SL_SHA256_SIZE];
		gsize offset = (gsize)(i - 1) * SL_SHA256_SIZE;

		if (hmac == NULL)
			return FALSE;
		sl_le_write_u32(counter, sizeof(counter), 0, i);
		sl_hmac_sha256_update(hmac, counter, sizeof(counter));
		sl_hmac_sha256_update(hmac, label, strlen(label));
		sl_hmac_sha256_update(hmac, &zero, 1);
		sl_hmac_sha256_update(hmac, context, context_len);
		sl_hmac_sha256_update(hmac, bits, sizeof(bits));
		sl_hmac_sha256_finish(hmac, block);
		memcpy(out + offset, block, MIN(SL_SHA256_SIZE, out_len - offset));
		sl_wipe(block, sizeof(block));
	}
	return TRUE;
}

static gboolean
sl_launch_mac(const guint8 *key,
	      gsize key_len,
	      const guint8 *data,
	      gsize len,
	      guint8 mac[SL_SHA256_SIZE],
	      GError **error)
{
	g_autoptr(SlHmacSha256) hmac = sl_hmac_sha256_new(key, key_len, error);
	if (hmac == NULL)
		return FALSE;
	sl_hmac_sha256_update(hmac, data, len);
	sl_hmac_sha256_finish(hmac, mac);
	return TRUE;
}

/* KEK and KIK, 16 bytes each, one after the other in @kek_kik */
static gboolean
sl_launch_session_derive(SlSecretBytes *z,
			 const guint8 nonce[SL_LAUNCH_NONCE_SIZE],
			 SlSecretBytes *kek_kik,
			 GError **error)
{
	g_autoptr(SlSecretBytes) master = sl_secret_bytes_new(SL_LAUNCH_KEY_BYTES);
	guint8 *out = sl_secret_bytes_get_data(kek_kik);

	if (!sl_launch_kdf(sl_secret_bytes_get_data(z),
			   sl_secret_bytes_get_size(z),
			   "sev-master-secret",
			   nonce,
			   SL_LAUNCH_NONCE_SIZE,
			   sl_secret_bytes_get_data(master),
			   SL_LAUNCH_KEY_BYTES,
			   error))
		return FALSE;
	return sl_launch_kdf(sl_secret_bytes_get_data(master),
			     SL_LAUNCH_KEY_BYTES,
			     "sev-kek",
			     NULL,
			     0,
			     out,
			     SL_LAUNCH_KEY_BYTES,
			     error) &&
	       sl_launch_kdf(sl_secret_bytes_get_data(master),
			     SL_LAUNCH_KEY_BYTES,
			     "sev-kik",
			     NULL,
			     0,
			     out + SL_LAUNCH_KEY_BYTES,
			     SL_LAUNCH_KEY_BYTES,
			     error);
}

gboolean
sl_launch_session_wrap(SlSecretBytes *z,
		       const guint8 nonce[SL_LAUNCH_NONCE_SIZE],
		       const guint8 wrap_iv[16],
		       const SlLaunchKeys *keys,
		       guint32 policy,
		       SlLaunchSessionBlob *blob,
		       GError **error)
{
	g_autoptr(SlSecretBytes) kek_kik = sl_secret_bytes_new(2 * SL_LAUNCH_KEY_BYTES);
	guint8 policy_le[4];

	if (keys == NULL || keys->tik == NULL || keys->tek == NULL) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "a launch session needs a TIK and a TEK");
		return FALSE;
	}
	memset(blob, 0, sizeof(*blob));
	if (!sl_launch_session_derive(z, nonce, kek_kik, error))
		return FALSE;
	memcpy(blob->nonce, nonce, SL_LAUNCH_NONCE_SIZE);
	memcpy(blob->wrap_iv, wrap_iv, sizeof(blob->wrap_iv));
	/* TEK first, then TIK, encrypted in place in the blob */
	memcpy(blob->wrap_tk, sl_secret_bytes_get_data(keys->tek), SL_LAUNCH_KEY_BYTES);
	memcpy(blob->wrap_tk + SL_LAUNCH_KEY_BYTES, sl_secret_bytes_get_data(keys->tik), SL_LAUNCH_KEY_BYTES);
	sl_aes128_ctr_crypt(sl_secret_bytes_get_data(kek_kik), wrap_iv, blob->wrap_tk, sizeof(blob->wrap_tk));
	sl_le_write_u32(policy_le, sizeof(policy_le), 0, policy);
	if (!sl_launch_mac(sl_secret_bytes_get_data(kek_kik) + SL_LAUNCH_KEY_BYTES,
			   SL_LAUNCH_KEY_BYTES,
			   blob->wrap_tk,
			   sizeof(blob->wrap_tk),
			   blob->wrap_mac,
			   error) ||
	    !sl_launch_mac(sl_secret_bytes_get_data(keys->tik),
			   SL_LAUNCH_KEY_BYTES,
			   policy_le,
			   sizeof(policy_le),
			   blob->policy_mac,
			   error)) {
		sl_wipe(blob, sizeof(*blob));
		return FALSE;
	}
	return TRUE;
}

void
sl_launch_session_blob_write(const SlLaunchSessionBlob *blob, guint8 out[SL_LAUNCH_SESSION_SIZE])
{
	guint8 *p = out;
	memcpy(p, blob->nonce, sizeof(blob->nonce));
	p += sizeof(blob->nonce);
	memcpy(p, blob->wrap_tk, sizeof(blob->wrap_tk));
	p += sizeof(blob->wrap_tk);
	memcpy(p, blob->wrap_iv, sizeof(blob->wrap_iv));
	p += sizeof(blob->wrap_iv);
	memcpy(p, blob->wrap_mac, sizeof(blob->wrap_mac));
	p += sizeof(blob->wrap_mac);
	memcpy(p, blob->policy_mac, sizeof(blob->policy_mac));
}

static SlLaunchKeys *
sl_launch_session_new_keys(GError **error)
{
	g_autoptr(SlLaunchKeys) keys = g_new0(SlLaunchKeys, 1);
	keys->tik = sl_secret_bytes_new(SL_LAUNCH_KEY_BYTES);
	keys->tek = sl_secret_bytes_new(SL_LAUNCH_KEY_BYTES);
	if (!sl_random_bytes(sl_secret_bytes_get_data(keys->tik), SL_LAUNCH_KEY_BYTES, error) ||
	    !sl_random_bytes(sl_secret_bytes_get_data(keys->tek), SL_LAUNCH_KEY_BYTES, error))
		return NULL;
	return g_steal_pointer(&keys);
}

static gboolean
sl_launch_session_check_pdh(const SlSevCert *pdh, SlP384Point *key, GError **error)
{
	if (sl_sev_cert_get_usage(pdh) != SL_SEV_USAGE_PDH ||
	    sl_sev_algo_get_kind(sl_sev_cert_get_algo(pdh)) != SL_SEV_KEY_KIND_ECDH) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s: not a PDH certificate (usage %s, algorithm 0x%x)",
			    sl_sev_cert_get_name(pdh),
			    sl_sev_usage_to_string(sl_sev_cert_get_usage(pdh)),
			    sl_sev_cert_get_algo(pdh));
		return FALSE;
	}
	return sl_sev_cert_get_ecc_key(pdh, key, error);
}

SlLaunchSession *
sl_launch_session_new(const SlSevCert *pdh, guint32 policy, GError **error)
{
	g_autoptr(SlLaunchSession) self = g_new0(SlLaunchSession, 1);
	g_autoptr(SlSecretBytes) private_key = NULL;
	g_autoptr(SlSecretBytes) z = NULL;
	SlLaunchSessionBlob blob;
	SlP384Point pdh_key;
	SlP384Point godh_key;
	guint8 nonce[SL_LAUNCH_NONCE_SIZE];
	guint8 wrap_iv[16];

	if (!sl_launch_session_check_pdh(pdh, &pdh_key, error))
		return NULL;
	self->keys = sl_launch_session_new_keys(error);
	if (self->keys == NULL)
		return NULL;
	private_key = sl_ecdh_p384_generate(&godh_key, error);
	if (private_key == NULL)
		return NULL;
	z = sl_ecdh_p384_derive(private_key, &pdh_key, error);
	if (z == NULL)
		return NULL;
	if (!sl_random_bytes(nonce, sizeof(nonce), error) ||
	    !sl_random_bytes(wrap_iv, sizeof(wrap_iv), error))
		return NULL;
	if (!sl_launch_session_wrap(z, nonce, wrap_iv, self->keys, policy, &blob, error))
		return NULL;
	sl_launch_session_blob_write(&blob, self->session);
	/* usage PDH, ECDH with SHA-256, as sevctl writes the owner's certificate */
	sl_sev_cert_write_ecc(SL_SEV_USAGE_PDH, SL_SEV_ALGO_ECDH_SHA256, &godh_key, self->godh);
	return g_steal_pointer(&self);
}

void
sl_launch_session_free(SlLaunchSession *self)
{
	if (self == NULL)
		return;
	sl_launch_keys_free(self->keys);
	g_free(self);
}
