/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-sev-cert.h"

G_BEGIN_DECLS

/*
 * AMD's own RSA certificates, the ARK and ASK (SEV API spec, appendix C.2):
 * header, public exponent, modulus, signature, all little-endian
 */

#define SL_AMD_CERT_HEADER_SIZE 0x40
#define SL_AMD_CERT_KEY_ID_SIZE 16

typedef struct _SlAmdCert SlAmdCert;

SlAmdCert *
sl_amd_cert_parse(const guint8 *data, gsize len, const gchar *what, GError **error);
void
sl_amd_cert_free(SlAmdCert *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlAmdCert, sl_amd_cert_free)

const gchar *
sl_amd_cert_get_name(const SlAmdCert *self);
guint32
sl_amd_cert_get_usage(const SlAmdCert *self);
const guint8 *
sl_amd_cert_get_key_id(const SlAmdCert *self);
const guint8 *
sl_amd_cert_get_certifying_id(const SlAmdCert *self);
/* 2048 or 4096 */
guint32
sl_amd_cert_get_modulus_bits(const SlAmdCert *self);
/* SHA-256 for 2048-bit keys, SHA-384 for 4096-bit ones */
SlPkHash
sl_amd_cert_get_hash(const SlAmdCert *self);
/* big-endian */
GBytes *
sl_amd_cert_get_modulus(const SlAmdCert *self);
GBytes *
sl_amd_cert_get_exponent(const SlAmdCert *self);
GBytes *
sl_amd_cert_get_signature(const SlAmdCert *self);
/* the signed bytes: header, exponent and modulus as stored */
const guint8 *
sl_amd_cert_get_body(const SlAmdCert *self, gsize *len);

G_END_DECLS
