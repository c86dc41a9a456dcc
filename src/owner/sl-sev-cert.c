/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-error.h"
#include "sl-le.h"
#include "sl-sev-cert.h"

/* SEV certificate layout (AMD SEV API spec, appendix C.1) */
#define SL_SEV_OFF_VERSION 0x000
#define SL_SEV_OFF_API_MAJOR 0x004
#define SL_SEV_OFF_API_MINOR 0x005
#define SL_SEV_OFF_USAGE 0x008
#define SL_SEV_OFF_ALGO 0x00C
#define SL_SEV_OFF_PUBKEY 0x010
#define SL_SEV_OFF_SIG1 0x414
#define SL_SEV_OFF_SIG2 0x61C
/* inside a signature: usage, algo, then the 0x200-byte signature */
#define SL_SEV_SIG_HEADER_SIZE 8
/* inside an RSA public key: modulus size in bits, exponent, modulus */
#define SL_SEV_RSA_FIELD_SIZE 0x200

struct _SlSevCert {
	gchar *name;
	guint8 data[SL_SEV_CERT_SIZE];
	SlSevCertSig sigs[2];
};

const gchar *
sl_sev_usage_to_string(guint32 usage)
{
	switch (usage) {
	case SL_SEV_USAGE_ARK:
		return "ARK";
	case SL_SEV_USAGE_ASK:
		return "ASK";
	case SL_SEV_USAGE_INVALID:
		return "none";
	case SL_SEV_USAGE_OCA:
		return "OCA";
	case SL_SEV_USAGE_PEK:
		return "PEK";
	case SL_SEV_USAGE_PDH:
		return "PDH";
	case SL_SEV_USAGE_CEK:
		return "CEK";
	default:
		return "unknown";
	}
}

SlSevKeyKind
sl_sev_algo_get_kind(guint32 algo)
{
	switch (algo) {
	case SL_SEV_ALGO_RSA_SHA256:
	case SL_SEV_ALGO_RSA_SHA384:
		return SL_SEV_KEY_KIND_RSA;
	case SL_SEV_ALGO_ECDSA_SHA256:
	case SL_SEV_ALGO_ECDSA_SHA384:
		return SL_SEV_KEY_KIND_ECDSA;
	case SL_SEV_ALGO_ECDH_SHA256:
	case SL_SEV_ALGO_ECDH_SHA384:
		return SL_SEV_KEY_KIND_ECDH;
	default:
		return SL_SEV_KEY_KIND_NONE;
	}
}

gboolean
sl_sev_algo_get_hash(guint32 algo, SlPkHash *hash)
{
	if (sl_sev_algo_get_kind(algo) == SL_SEV_KEY_KIND_NONE)
		return FALSE;
	*hash = (algo & 0x0100) != 0 ? SL_PK_HASH_SHA384 : SL_PK_HASH_SHA256;
	return TRUE;
}

SlSevCert *
sl_sev_cert_parse(const guint8 *data, gsize len, const gchar *what, GError **error)
{
	g_autoptr(SlSevCert) self = NULL;
	const gsize sig_offsets[] = {SL_SEV_OFF_SIG1, SL_SEV_OFF_SIG2};
	guint32 version;

	if (len != SL_SEV_CERT_SIZE) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s: an SEV certificate is %u bytes, not %" G_GSIZE_FORMAT " (%s)",
			    what,
			    (guint)SL_SEV_CERT_SIZE,
			    len,
			    len < SL_SEV_CERT_SIZE ? "truncated" : "trailing data");
		return NULL;
	}
	version = sl_le_read_u32(data, len, SL_SEV_OFF_VERSION);
	if (version != 1) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s: unsupported SEV certificate version %u",
			    what,
			    version);
		return NULL;
	}
	self = g_new0(SlSevCert, 1);
	self->name = g_strdup(what);
	memcpy(self->data, data, SL_SEV_CERT_SIZE);
	for (guint i = 0; i < G_N_ELEMENTS(sig_offsets); i++) {
		self->sigs[i].usage = sl_le_read_u32(self->data, SL_SEV_CERT_SIZE, sig_offsets[i]);
		self->sigs[i].algo = sl_le_read_u32(self->data, SL_SEV_CERT_SIZE, sig_offsets[i] + 4);
		self->sigs[i].data = self->data + sig_offsets[i] + SL_SEV_SIG_HEADER_SIZE;
	}
	return g_steal_pointer(&self);
}

void
sl_sev_cert_free(SlSevCert *self)
{
	if (self == NULL)
		return;
	g_free(self->name);
	g_free(self);
}

const gchar *
sl_sev_cert_get_name(const SlSevCert *self)
{
	return self->name;
}

guint8
sl_sev_cert_get_api_major(const SlSevCert *self)
{
	return self->data[SL_SEV_OFF_API_MAJOR];
}

guint8
sl_sev_cert_get_api_minor(const SlSevCert *self)
{
	return self->data[SL_SEV_OFF_API_MINOR];
}

guint32
sl_sev_cert_get_usage(const SlSevCert *self)
{
	return sl_le_read_u32(self->data, SL_SEV_CERT_SIZE, SL_SEV_OFF_USAGE);
}

guint32
sl_sev_cert_get_algo(const SlSevCert *self)
{
	return sl_le_read_u32(self->data, SL_SEV_CERT_SIZE, SL_SEV_OFF_ALGO);
}

const guint8 *
sl_sev_cert_get_data(const SlSevCert *self)
{
	return self->data;
}

const guint8 *
sl_sev_cert_get_body(const SlSevCert *self, gsize *len)
{
	*len = SL_SEV_CERT_BODY_SIZE;
	return self->data;
}

const SlSevCertSig *
sl_sev_cert_get_sig(const SlSevCert *self, guint index)
{
	g_return_val_if_fail(index < G_N_ELEMENTS(self->sigs), NULL);
	return &self->sigs[index];
}

gboolean
sl_sev_cert_get_ecc_key(const SlSevCert *self, SlP384Point *key, GError **error)
{
	const guint8 *p = self->data + SL_SEV_OFF_PUBKEY;
	SlSevKeyKind kind = sl_sev_algo_get_kind(sl_sev_cert_get_algo(self));
	guint32 curve = sl_le_read_u32(self->data, SL_SEV_CERT_SIZE, SL_SEV_OFF_PUBKEY);

	if (kind != SL_SEV_KEY_KIND_ECDSA && kind != SL_SEV_KEY_KIND_ECDH) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s: algorithm 0x%x is not an elliptic-curve one",
			    self->name,
			    sl_sev_cert_get_algo(self));
		return FALSE;
	}
	if (curve != SL_SEV_CURVE_P384) {
		g_set_error(
		    error, SL_ERROR, SL_ERROR_INVALID_DATA, "%s: curve %u is not P-384", self->name, curve);
		return FALSE;
	}
	if (!sl_le_int_to_be(p + 4, SL_SEV_ECC_FIELD_SIZE, key->x, SL_P384_SIZE, error) ||
	    !sl_le_int_to_be(
		p + 4 + SL_SEV_ECC_FIELD_SIZE, SL_SEV_ECC_FIELD_SIZE, key->y, SL_P384_SIZE, error) ||
	    !sl_p384_point_check(key, error)) {
		g_prefix_error(error, "%s: ", self->name);
		return FALSE;
	}
	return TRUE;
}

gboolean
sl_sev_cert_get_rsa_key(const SlSevCert *self, GBytes **modulus, GBytes **exponent, GError **error)
{
	const guint8 *p = self->data + SL_SEV_OFF_PUBKEY;
	guint32 bits = sl_le_read_u32(self->data, SL_SEV_CERT_SIZE, SL_SEV_OFF_PUBKEY);

	if (sl_sev_algo_get_kind(sl_sev_cert_get_algo(self)) != SL_SEV_KEY_KIND_RSA) {
		g_set_error(error, SL_ERROR, SL_ERROR_INVALID_DATA, "%s: not an RSA key", self->name);
		return FALSE;
	}
	if (bits != 2048 && bits != 4096) {
		g_set_error(
		    error, SL_ERROR, SL_ERROR_INVALID_DATA, "%s: RSA modulus of %u bits", self->name, bits);
		return FALSE;
	}
	*exponent = sl_le_int_to_be_bytes(p + 4, SL_SEV_RSA_FIELD_SIZE);
	*modulus = sl_le_int_to_be_bytes(p + 4 + SL_SEV_RSA_FIELD_SIZE, SL_SEV_RSA_FIELD_SIZE);
	return TRUE;
}

gboolean
sl_sev_cert_sig_get_ecdsa(const SlSevCertSig *sig,
			  guint8 r[SL_P384_SIZE],
			  guint8 s[SL_P384_SIZE],
			  GError **error)
{
	return sl_le_int_to_be(sig->data, SL_SEV_ECC_FIELD_SIZE, r, SL_P384_SIZE, error) &&
	       sl_le_int_to_be(
		   sig->data + SL_SEV_ECC_FIELD_SIZE, SL_SEV_ECC_FIELD_SIZE, s, SL_P384_SIZE, error);
}

gboolean
sl_sev_cert_sig_get_rsa(const SlSevCertSig *sig, guint8 *out, gsize len, GError **error)
{
	return sl_le_int_to_be(sig->data, SL_SEV_CERT_SIG_SIZE, out, len, error);
}

void
sl_sev_cert_write_ecc(guint32 usage, guint32 algo, const SlP384Point *key, guint8 out[SL_SEV_CERT_SIZE])
{
	guint8 *pubkey = out + SL_SEV_OFF_PUBKEY;

	memset(out, 0, SL_SEV_CERT_SIZE);
	sl_le_write_u32(out, SL_SEV_CERT_SIZE, SL_SEV_OFF_VERSION, 1);
	sl_le_write_u32(out, SL_SEV_CERT_SIZE, SL_SEV_OFF_USAGE, usage);
	sl_le_write_u32(out, SL_SEV_CERT_SIZE, SL_SEV_OFF_ALGO, algo);
	sl_le_write_u32(out, SL_SEV_CERT_SIZE, SL_SEV_OFF_PUBKEY, SL_SEV_CURVE_P384);
	sl_le_int_from_be(key->x, SL_P384_SIZE, pubkey + 4, SL_SEV_ECC_FIELD_SIZE);
	sl_le_int_from_be(key->y, SL_P384_SIZE, pubkey + 4 + SL_SEV_ECC_FIELD_SIZE, SL_SEV_ECC_FIELD_SIZE);
	/* unsigned: both slots say "no signature" */
	sl_le_write_u32(out, SL_SEV_CERT_SIZE, SL_SEV_OFF_SIG1, SL_SEV_USAGE_INVALID);
	sl_le_write_u32(out, SL_SEV_CERT_SIZE, SL_SEV_OFF_SIG1 + 4, SL_SEV_ALGO_INVALID);
	sl_le_write_u32(out, SL_SEV_CERT_SIZE, SL_SEV_OFF_SIG2, SL_SEV_USAGE_INVALID);
	sl_le_write_u32(out, SL_SEV_CERT_SIZE, SL_SEV_OFF_SIG2 + 4, SL_SEV_ALGO_INVALID);
}
