/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <unistd.h>

#include <gio/gio.h>

#include "sl-error.h"
#include "sl-file.h"
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

/* AMD ARK/ASK layout (appendix C.2) */
#define SL_AMD_OFF_VERSION 0x00
#define SL_AMD_OFF_KEY_ID 0x04
#define SL_AMD_OFF_CERTIFYING_ID 0x14
#define SL_AMD_OFF_USAGE 0x24
#define SL_AMD_OFF_PUBEXP_BITS 0x38
#define SL_AMD_OFF_MODULUS_BITS 0x3C

struct _SlSevCert {
	gchar *name;
	guint8 data[SL_SEV_CERT_SIZE];
	SlSevCertSig sigs[2];
};

struct _SlAmdCert {
	gchar *name;
	GBytes *raw;
	guint32 usage;
	guint32 modulus_bits;
	GBytes *exponent;
	GBytes *modulus;
	GBytes *signature;
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

static guint32
sl_sev_read_u32(const guint8 *p)
{
	return (guint32)p[0] | ((guint32)p[1] << 8) | ((guint32)p[2] << 16) | ((guint32)p[3] << 24);
}

static void
sl_sev_write_u32(guint8 *p, guint32 value)
{
	p[0] = (guint8)value;
	p[1] = (guint8)(value >> 8);
	p[2] = (guint8)(value >> 16);
	p[3] = (guint8)(value >> 24);
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
	version = sl_sev_read_u32(data + SL_SEV_OFF_VERSION);
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
		const guint8 *p = self->data + sig_offsets[i];
		self->sigs[i].usage = sl_sev_read_u32(p);
		self->sigs[i].algo = sl_sev_read_u32(p + 4);
		self->sigs[i].data = p + SL_SEV_SIG_HEADER_SIZE;
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
	return sl_sev_read_u32(self->data + SL_SEV_OFF_USAGE);
}

guint32
sl_sev_cert_get_algo(const SlSevCert *self)
{
	return sl_sev_read_u32(self->data + SL_SEV_OFF_ALGO);
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
	guint32 curve = sl_sev_read_u32(p);

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
	if (!sl_pk_le_to_be(p + 4, SL_SEV_ECC_FIELD_SIZE, key->x, SL_P384_SIZE, error) ||
	    !sl_pk_le_to_be(
		p + 4 + SL_SEV_ECC_FIELD_SIZE, SL_SEV_ECC_FIELD_SIZE, key->y, SL_P384_SIZE, error) ||
	    !sl_p384_point_check(key, error)) {
		g_prefix_error(error, "%s: ", self->name);
		return FALSE;
	}
	return TRUE;
}

/* little-endian field to a big-endian GBytes without leading zeros */
static GBytes *
sl_sev_le_field_to_bytes(const guint8 *le, gsize len)
{
	gsize used = len;
	guint8 *be;

	while (used > 0 && le[used - 1] == 0)
		used--;
	be = g_malloc0(MAX(used, 1));
	for (gsize i = 0; i < used; i++)
		be[used - 1 - i] = le[i];
	return g_bytes_new_take(be, MAX(used, 1));
}

gboolean
sl_sev_cert_get_rsa_key(const SlSevCert *self, GBytes **modulus, GBytes **exponent, GError **error)
{
	const guint8 *p = self->data + SL_SEV_OFF_PUBKEY;
	guint32 bits = sl_sev_read_u32(p);

	if (sl_sev_algo_get_kind(sl_sev_cert_get_algo(self)) != SL_SEV_KEY_KIND_RSA) {
		g_set_error(error, SL_ERROR, SL_ERROR_INVALID_DATA, "%s: not an RSA key", self->name);
		return FALSE;
	}
	if (bits != 2048 && bits != 4096) {
		g_set_error(
		    error, SL_ERROR, SL_ERROR_INVALID_DATA, "%s: RSA modulus of %u bits", self->name, bits);
		return FALSE;
	}
	*exponent = sl_sev_le_field_to_bytes(p + 4, SL_SEV_RSA_FIELD_SIZE);
	*modulus = sl_sev_le_field_to_bytes(p + 4 + SL_SEV_RSA_FIELD_SIZE, SL_SEV_RSA_FIELD_SIZE);
	return TRUE;
}

gboolean
sl_sev_cert_sig_get_ecdsa(const SlSevCertSig *sig,
			  guint8 r[SL_P384_SIZE],
			  guint8 s[SL_P384_SIZE],
			  GError **error)
{
	return sl_pk_le_to_be(sig->data, SL_SEV_ECC_FIELD_SIZE, r, SL_P384_SIZE, error) &&
	       sl_pk_le_to_be(
		   sig->data + SL_SEV_ECC_FIELD_SIZE, SL_SEV_ECC_FIELD_SIZE, s, SL_P384_SIZE, error);
}

gboolean
sl_sev_cert_sig_get_rsa(const SlSevCertSig *sig, guint8 *out, gsize len, GError **error)
{
	return sl_pk_le_to_be(sig->data, SL_SEV_CERT_SIG_SIZE, out, len, error);
}

void
sl_sev_cert_write_ecc(guint32 usage, guint32 algo, const SlP384Point *key, guint8 out[SL_SEV_CERT_SIZE])
{
	guint8 *pubkey = out + SL_SEV_OFF_PUBKEY;

	memset(out, 0, SL_SEV_CERT_SIZE);
	sl_sev_write_u32(out + SL_SEV_OFF_VERSION, 1);
	sl_sev_write_u32(out + SL_SEV_OFF_USAGE, usage);
	sl_sev_write_u32(out + SL_SEV_OFF_ALGO, algo);
	sl_sev_write_u32(pubkey, SL_SEV_CURVE_P384);
	sl_pk_be_to_le(key->x, SL_P384_SIZE, pubkey + 4, SL_SEV_ECC_FIELD_SIZE);
	sl_pk_be_to_le(key->y, SL_P384_SIZE, pubkey + 4 + SL_SEV_ECC_FIELD_SIZE, SL_SEV_ECC_FIELD_SIZE);
	/* unsigned: both slots say "no signature" */
	sl_sev_write_u32(out + SL_SEV_OFF_SIG1, SL_SEV_USAGE_INVALID);
	sl_sev_write_u32(out + SL_SEV_OFF_SIG1 + 4, SL_SEV_ALGO_INVALID);
	sl_sev_write_u32(out + SL_SEV_OFF_SIG2, SL_SEV_USAGE_INVALID);
	sl_sev_write_u32(out + SL_SEV_OFF_SIG2 + 4, SL_SEV_ALGO_INVALID);
}

static gboolean
sl_amd_cert_check_size(const guint8 *data, gsize len, const gchar *what, guint32 *bits, GError **error)
{
	guint32 pubexp_bits, modulus_bits, version;
	gsize field, expected;

	if (len < SL_AMD_CERT_HEADER_SIZE) {
		g_set_error(
		    error, SL_ERROR, SL_ERROR_INVALID_DATA, "%s: truncated AMD certificate header", what);
		return FALSE;
	}
	version = sl_sev_read_u32(data + SL_AMD_OFF_VERSION);
	if (version != 1) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s: unsupported AMD certificate version %u",
			    what,
			    version);
		return FALSE;
	}
	pubexp_bits = sl_sev_read_u32(data + SL_AMD_OFF_PUBEXP_BITS);
	modulus_bits = sl_sev_read_u32(data + SL_AMD_OFF_MODULUS_BITS);
	/* AMD sizes the exponent field like the modulus; only these two exist */
	if (pubexp_bits != modulus_bits || (modulus_bits != 2048 && modulus_bits != 4096)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s: unsupported key sizes (exponent %u, modulus %u bits)",
			    what,
			    pubexp_bits,
			    modulus_bits);
		return FALSE;
	}
	field = modulus_bits / 8;
	expected = SL_AMD_CERT_HEADER_SIZE + 3 * field;
	if (len != expected) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s: a %u-bit AMD certificate is %" G_GSIZE_FORMAT " bytes, not %" G_GSIZE_FORMAT
			    " (%s)",
			    what,
			    modulus_bits,
			    expected,
			    len,
			    len < expected ? "truncated" : "trailing data");
		return FALSE;
	}
	*bits = modulus_bits;
	return TRUE;
}

SlAmdCert *
sl_amd_cert_parse(const guint8 *data, gsize len, const gchar *what, GError **error)
{
	g_autoptr(SlAmdCert) self = NULL;
	guint32 bits = 0;
	gsize field;
	const guint8 *p;
	g_autofree guint8 *sig = NULL;

	if (!sl_amd_cert_check_size(data, len, what, &bits, error))
		return NULL;
	field = bits / 8;
	self = g_new0(SlAmdCert, 1);
	self->name = g_strdup(what);
	self->raw = g_bytes_new(data, len);
	self->usage = sl_sev_read_u32(data + SL_AMD_OFF_USAGE);
	self->modulus_bits = bits;
	p = data + SL_AMD_CERT_HEADER_SIZE;
	self->exponent = sl_sev_le_field_to_bytes(p, field);
	self->modulus = sl_sev_le_field_to_bytes(p + field, field);
	/* the signature keeps its full width: it is an integer mod n */
	sig = g_malloc(field);
	for (gsize i = 0; i < field; i++)
		sig[field - 1 - i] = p[2 * field + i];
	self->signature = g_bytes_new_take(g_steal_pointer(&sig), field);
	return g_steal_pointer(&self);
}

void
sl_amd_cert_free(SlAmdCert *self)
{
	if (self == NULL)
		return;
	g_free(self->name);
	g_bytes_unref(self->raw);
	g_bytes_unref(self->exponent);
	g_bytes_unref(self->modulus);
	g_bytes_unref(self->signature);
	g_free(self);
}

const gchar *
sl_amd_cert_get_name(const SlAmdCert *self)
{
	return self->name;
}

guint32
sl_amd_cert_get_usage(const SlAmdCert *self)
{
	return self->usage;
}

const guint8 *
sl_amd_cert_get_key_id(const SlAmdCert *self)
{
	return (const guint8 *)g_bytes_get_data(self->raw, NULL) + SL_AMD_OFF_KEY_ID;
}

const guint8 *
sl_amd_cert_get_certifying_id(const SlAmdCert *self)
{
	return (const guint8 *)g_bytes_get_data(self->raw, NULL) + SL_AMD_OFF_CERTIFYING_ID;
}

guint32
sl_amd_cert_get_modulus_bits(const SlAmdCert *self)
{
	return self->modulus_bits;
}

SlPkHash
sl_amd_cert_get_hash(const SlAmdCert *self)
{
	return self->modulus_bits == 2048 ? SL_PK_HASH_SHA256 : SL_PK_HASH_SHA384;
}

GBytes *
sl_amd_cert_get_modulus(const SlAmdCert *self)
{
	return self->modulus;
}

GBytes *
sl_amd_cert_get_exponent(const SlAmdCert *self)
{
	return self->exponent;
}

GBytes *
sl_amd_cert_get_signature(const SlAmdCert *self)
{
	return self->signature;
}

const guint8 *
sl_amd_cert_get_body(const SlAmdCert *self, gsize *len)
{
	*len = SL_AMD_CERT_HEADER_SIZE + 2 * (self->modulus_bits / 8);
	return g_bytes_get_data(self->raw, NULL);
}

GBytes *
sl_cert_file_read(const gchar *path, gsize max_size, GError **error)
{
	g_autofree guint8 *buf = g_malloc(max_size + 1);
	gssize got;
	int fd = sl_file_open_regular(path, "certificate", NULL, error);

	if (fd < 0)
		return NULL;
	/* one byte more than allowed tells an oversized file apart */
	got = sl_file_read_some(fd, path, "certificate", buf, max_size + 1, error);
	close(fd);
	if (got < 0)
		return NULL;
	if ((gsize)got > max_size) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s: larger than any certificate (%" G_GSIZE_FORMAT " bytes at most)",
			    path,
			    max_size);
		return NULL;
	}
	return g_bytes_new(buf, got);
}
