/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-amd-cert.h"
#include "sl-error.h"
#include "sl-le.h"

/* AMD ARK/ASK layout (appendix C.2) */
#define SL_AMD_OFF_VERSION 0x00
#define SL_AMD_OFF_KEY_ID 0x04
#define SL_AMD_OFF_CERTIFYING_ID 0x14
#define SL_AMD_OFF_USAGE 0x24
#define SL_AMD_OFF_PUBEXP_BITS 0x38
#define SL_AMD_OFF_MODULUS_BITS 0x3C

struct _SlAmdCert {
	gchar *name;
	GBytes *raw;
	guint32 usage;
	guint32 modulus_bits;
	GBytes *exponent;
	GBytes *modulus;
	GBytes *signature;
};

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
	version = sl_le_read_u32(data, len, SL_AMD_OFF_VERSION);
	if (version != 1) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s: unsupported AMD certificate version %u",
			    what,
			    version);
		return FALSE;
	}
	pubexp_bits = sl_le_read_u32(data, len, SL_AMD_OFF_PUBEXP_BITS);
	modulus_bits = sl_le_read_u32(data, len, SL_AMD_OFF_MODULUS_BITS);
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
	self->usage = sl_le_read_u32(data, len, SL_AMD_OFF_USAGE);
	self->modulus_bits = bits;
	p = data + SL_AMD_CERT_HEADER_SIZE;
	self->exponent = sl_le_int_to_be_bytes(p, field);
	self->modulus = sl_le_int_to_be_bytes(p + field, field);
	/* the signature keeps its full width: it is an integer mod n */
	sig = g_malloc(field);
	if (!sl_le_int_to_be(p + 2 * field, field, sig, field, error))
		return NULL;
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
