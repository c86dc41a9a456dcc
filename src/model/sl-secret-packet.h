/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-crypto.h"
#include "sl-launch-keys.h"
#include "sl-secret-table.h"

G_BEGIN_DECLS

/* SEV LAUNCH_SECRET packet header: flags u32 || IV 16 || MAC 32 */
#define SL_SECRET_PACKET_HEADER_SIZE 52
#define SL_SECRET_PACKET_IV_SIZE 16

/* the two base64 arguments QEMU's sev-inject-launch-secret takes */
typedef struct {
	gchar *header_base64;
	gchar *payload_base64; /* ciphertext: not secret */
	gsize payload_size;    /* decoded payload bytes */
} SlSecretPacket;

/*
 * encrypts the serialized @table with AES-128-CTR(TEK, IV) and computes
 * MAC = HMAC-SHA256(TIK, 0x01 || flags(u32 0) || IV || len(u32) || len(u32)
 * || ciphertext || @measurement); @iv NULL draws 16 fresh bytes; a missing
 * TEK is SL_ERROR_INVALID_ARGUMENT
 */
SlSecretPacket *
sl_secret_packet_build(const SlLaunchKeys *keys,
		       const guint8 measurement[SL_SHA256_SIZE],
		       const guint8 *iv,
		       const SlSecretTable *table,
		       GError **error);
void
sl_secret_packet_free(SlSecretPacket *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlSecretPacket, sl_secret_packet_free)

G_END_DECLS
