/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-launch-keys.h"
#include "sl-sev-cert.h"

G_BEGIN_DECLS

/*
 * the owner's half of LAUNCH_START: a fresh TIK and TEK wrapped for the
 * platform under a key agreed between an ephemeral owner key (sent as the
 * GODH certificate) and the platform's PDH
 */

#define SL_LAUNCH_SESSION_SIZE 128
#define SL_LAUNCH_NONCE_SIZE 16
#define SL_LAUNCH_WRAP_TK_SIZE 32

/* the session blob QEMU's sev-guest session-file carries; nothing in it is secret */
typedef struct {
	guint8 nonce[SL_LAUNCH_NONCE_SIZE];
	guint8 wrap_tk[SL_LAUNCH_WRAP_TK_SIZE]; /* AES-128-CTR(KEK, wrap_iv, TEK || TIK) */
	guint8 wrap_iv[16];
	guint8 wrap_mac[32];   /* HMAC-SHA256(KIK, wrap_tk) */
	guint8 policy_mac[32]; /* HMAC-SHA256(TIK, policy as u32 LE) */
} SlLaunchSessionBlob;

/*
 * NIST SP 800-108 KDF in counter mode with HMAC-SHA256, as the SEV API
 * defines it: HMAC(key, i (u32 LE) || label || 0x00 || context || bits (u32 LE))
 */
gboolean
sl_launch_kdf(const guint8 *key,
	      gsize key_len,
	      const gchar *label,
	      const guint8 *context,
	      gsize context_len,
	      guint8 *out,
	      gsize out_len,
	      GError **error);

/*
 * master = KDF(z, "sev-master-secret", nonce), KEK = KDF(master, "sev-kek"),
 * KIK = KDF(master, "sev-kik"); fills @blob from them; @keys needs a TEK
 */
gboolean
sl_launch_session_wrap(SlSecretBytes *z,
		       const guint8 nonce[SL_LAUNCH_NONCE_SIZE],
		       const guint8 wrap_iv[16],
		       const SlLaunchKeys *keys,
		       guint32 policy,
		       SlLaunchSessionBlob *blob,
		       GError **error);
/* the 128-byte wire form: nonce, wrap_tk, wrap_iv, wrap_mac, policy_mac */
void
sl_launch_session_blob_write(const SlLaunchSessionBlob *blob, guint8 out[SL_LAUNCH_SESSION_SIZE]);

typedef struct {
	SlLaunchKeys *keys;                     /* fresh TIK and TEK */
	guint8 godh[SL_SEV_CERT_SIZE];          /* the owner's ephemeral key, SEV certificate format */
	guint8 session[SL_LAUNCH_SESSION_SIZE]; /* the session blob */
} SlLaunchSession;

/*
 * fresh keys, nonce, IV and ephemeral P-384 key from GnuTLS's key-grade
 * random; @pdh must be a PDH certificate with an ECDH P-384 key
 */
SlLaunchSession *
sl_launch_session_new(const SlSevCert *pdh, guint32 policy, GError **error);
void
sl_launch_session_free(SlLaunchSession *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlLaunchSession, sl_launch_session_free)

G_END_DECLS
