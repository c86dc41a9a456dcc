/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-error.h"
#include "sl-le.h"
#include "sl-secret-packet.h"

/* the AMD SEV API's LAUNCH_SECRET MAC starts with this byte */
#define SL_SECRET_PACKET_MAC_PREFIX 0x01

void
sl_secret_packet_free(SlSecretPacket *self)
{
	if (self == NULL)
		return;
	g_free(self->header_base64);
	g_free(self->payload_base64);
	g_free(self);
}

static gboolean
sl_secret_packet_check_keys(const SlLaunchKeys *keys, GError **error)
{
	if (keys == NULL || keys->tek == NULL) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "no TEK to encrypt the secrets with");
		return FALSE;
	}
	if (keys->tik == NULL) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "no TIK to authenticate the secrets with");
		return FALSE;
	}
	if (sl_secret_bytes_get_size(keys->tek) != SL_AES128_KEY_SIZE ||
	    sl_secret_bytes_get_size(keys->tik) != SL_LAUNCH_KEY_SIZE) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "the TEK and TIK must be 16 bytes each");
		return FALSE;
	}
	return TRUE;
}

static gboolean
sl_secret_packet_compute_mac(const SlLaunchKeys *keys,
			     const guint8 header[SL_SECRET_PACKET_HEADER_SIZE],
			     const guint8 *ciphertext,
			     gsize len,
			     const guint8 measurement[SL_SHA256_SIZE],
			     guint8 mac[SL_SHA256_SIZE],
			     GError **error)
{
	g_autoptr(SlHmacSha256) hmac = NULL;
	const guint8 prefix = SL_SECRET_PACKET_MAC_PREFIX;
	guint8 len_le[4];

	hmac = sl_hmac_sha256_new(
	    sl_secret_bytes_get_data(keys->tik), sl_secret_bytes_get_size(keys->tik), error);
	if (hmac == NULL)
		return FALSE;
	sl_le_write_u32(len_le, sizeof(len_le), 0, (guint32)len);
	sl_hmac_sha256_update(hmac, &prefix, sizeof(prefix));
	/* flags || IV, exactly as they stand in the header */
	sl_hmac_sha256_update(hmac, header, 4 + SL_SECRET_PACKET_IV_SIZE);
	/* the guest and the transport length, equal here */
	sl_hmac_sha256_update(hmac, len_le, sizeof(len_le));
	sl_hmac_sha256_update(hmac, len_le, sizeof(len_le));
	sl_hmac_sha256_update(hmac, ciphertext, len);
	sl_hmac_sha256_update(hmac, measurement, SL_SHA256_SIZE);
	sl_hmac_sha256_finish(hmac, mac);
	return TRUE;
}

SlSecretPacket *
sl_secret_packet_build(const SlLaunchKeys *keys,
		       const guint8 measurement[SL_SHA256_SIZE],
		       const guint8 *iv,
		       const SlSecretTable *table,
		       GError **error)
{
	g_autoptr(SlSecretPacket) self = NULL;
	g_autoptr(SlSecretBytes) plaintext = NULL;
	g_autofree guint8 *ciphertext = NULL;
	guint8 header[SL_SECRET_PACKET_HEADER_SIZE] = {0};
	guint8 *header_iv = header + 4;
	guint8 *header_mac = header_iv + SL_SECRET_PACKET_IV_SIZE;
	gsize len;

	g_return_val_if_fail(measurement != NULL, NULL);
	g_return_val_if_fail(table != NULL, NULL);

	if (!sl_secret_packet_check_keys(keys, error))
		return NULL;
	plaintext = sl_secret_table_serialize(table, error);
	if (plaintext == NULL)
		return NULL;

	/* flags stay 0, as sevctl sends them */
	if (iv != NULL)
		memcpy(header_iv, iv, SL_SECRET_PACKET_IV_SIZE);
	else if (!sl_random_bytes(header_iv, SL_SECRET_PACKET_IV_SIZE, error))
		return NULL;

	/* encrypted in place: after this the buffer holds no plaintext */
	len = sl_secret_bytes_get_size(plaintext);
	ciphertext = g_memdup2(sl_secret_bytes_get_data(plaintext), len);
	sl_aes128_ctr_crypt(sl_secret_bytes_get_data(keys->tek), header_iv, ciphertext, len);
	g_clear_pointer(&plaintext, sl_secret_bytes_unref);

	if (!sl_secret_packet_compute_mac(keys, header, ciphertext, len, measurement, header_mac, error))
		return NULL;

	self = g_new0(SlSecretPacket, 1);
	self->header_base64 = g_base64_encode(header, sizeof(header));
	self->payload_base64 = g_base64_encode(ciphertext, len);
	self->payload_size = len;
	return g_steal_pointer(&self);
}
