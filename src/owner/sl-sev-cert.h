/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-crypto-pk.h"

G_BEGIN_DECLS

/*
 * the platform's SEV certificates of AMD's SEV API spec, appendix C.1 (PDH,
 * PEK, OCA, CEK; fixed 0x824 bytes), and the usage and algorithm codes both
 * certificate formats share (AMD's own ARK/ASK format: sl-amd-cert). Parsing
 * never reads outside the buffer; what a certificate's fields mean for the
 * chain is left to sl-cert-chain.
 */

#define SL_SEV_CERT_SIZE 0x824
/* version .. public key: what both signatures cover */
#define SL_SEV_CERT_BODY_SIZE 0x414
#define SL_SEV_CERT_SIG_SIZE 0x200
#define SL_SEV_CERT_PUBKEY_SIZE 0x404
/* ECDSA/ECDH coordinates and ECDSA r, s: little-endian fields of 72 bytes */
#define SL_SEV_ECC_FIELD_SIZE 72
#define SL_SEV_CURVE_P384 2

typedef enum {
	SL_SEV_USAGE_ARK = 0x0000,
	SL_SEV_USAGE_ASK = 0x0013,
	SL_SEV_USAGE_INVALID = 0x1000,
	SL_SEV_USAGE_OCA = 0x1001,
	SL_SEV_USAGE_PEK = 0x1002,
	SL_SEV_USAGE_PDH = 0x1003,
	SL_SEV_USAGE_CEK = 0x1004,
} SlSevUsage;

typedef enum {
	SL_SEV_ALGO_INVALID = 0x0000,
	SL_SEV_ALGO_RSA_SHA256 = 0x0001,
	SL_SEV_ALGO_ECDSA_SHA256 = 0x0002,
	SL_SEV_ALGO_ECDH_SHA256 = 0x0003,
	SL_SEV_ALGO_RSA_SHA384 = 0x0101,
	SL_SEV_ALGO_ECDSA_SHA384 = 0x0102,
	SL_SEV_ALGO_ECDH_SHA384 = 0x0103,
} SlSevAlgo;

typedef enum {
	SL_SEV_KEY_KIND_NONE,
	SL_SEV_KEY_KIND_RSA,
	SL_SEV_KEY_KIND_ECDSA,
	SL_SEV_KEY_KIND_ECDH,
} SlSevKeyKind;

/* "ARK", "PEK", ... or "usage 0x1234" (static or interned) */
const gchar *
sl_sev_usage_to_string(guint32 usage);
SlSevKeyKind
sl_sev_algo_get_kind(guint32 algo);
/* FALSE for SL_SEV_ALGO_INVALID and unknown values */
gboolean
sl_sev_algo_get_hash(guint32 algo, SlPkHash *hash);

/* one signature slot of an SEV certificate */
typedef struct {
	guint32 usage; /* who signed: SL_SEV_USAGE_INVALID when the slot is empty */
	guint32 algo;
	const guint8 *data; /* SL_SEV_CERT_SIG_SIZE bytes inside the certificate */
} SlSevCertSig;

typedef struct _SlSevCert SlSevCert;

/* exactly SL_SEV_CERT_SIZE bytes, version 1; @what names it in errors ("pek.cert") */
SlSevCert *
sl_sev_cert_parse(const guint8 *data, gsize len, const gchar *what, GError **error);
void
sl_sev_cert_free(SlSevCert *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlSevCert, sl_sev_cert_free)

const gchar *
sl_sev_cert_get_name(const SlSevCert *self);
guint8
sl_sev_cert_get_api_major(const SlSevCert *self);
guint8
sl_sev_cert_get_api_minor(const SlSevCert *self);
guint32
sl_sev_cert_get_usage(const SlSevCert *self);
guint32
sl_sev_cert_get_algo(const SlSevCert *self);
/* the whole certificate (SL_SEV_CERT_SIZE) and its signed body (SL_SEV_CERT_BODY_SIZE) */
const guint8 *
sl_sev_cert_get_data(const SlSevCert *self);
const guint8 *
sl_sev_cert_get_body(const SlSevCert *self, gsize *len);
/* @index 0 or 1 */
const SlSevCertSig *
sl_sev_cert_get_sig(const SlSevCert *self, guint index);
/* the P-384 key of an ECDSA/ECDH certificate, checked to lie on the curve */
gboolean
sl_sev_cert_get_ecc_key(const SlSevCert *self, SlP384Point *key, GError **error);
/* the RSA key of an RSA certificate, big-endian, leading zeros stripped */
gboolean
sl_sev_cert_get_rsa_key(const SlSevCert *self, GBytes **modulus, GBytes **exponent, GError **error);

/* r and s of an ECDSA signature slot, big-endian */
gboolean
sl_sev_cert_sig_get_ecdsa(const SlSevCertSig *sig,
			  guint8 r[SL_P384_SIZE],
			  guint8 s[SL_P384_SIZE],
			  GError **error);
/* an RSA signature slot, big-endian, @len bytes (the signer's modulus size) */
gboolean
sl_sev_cert_sig_get_rsa(const SlSevCertSig *sig, guint8 *out, gsize len, GError **error);

/*
 * writes a version-1 SEV certificate for a P-384 key with no firmware
 * version and both signature slots empty, as sevctl writes the owner's
 * GODH certificate (usage PDH, ECDH)
 */
void
sl_sev_cert_write_ecc(guint32 usage, guint32 algo, const SlP384Point *key, guint8 out[SL_SEV_CERT_SIZE]);

G_END_DECLS
