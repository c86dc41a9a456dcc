/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs7.h>
#include <gnutls/x509.h>

#include "sl-error.h"
#include "sl-pkcs7.h"

/* more CA certificates than anyone keeps in one trust file */
#define SL_PKCS7_MAX_CA_CERTS 64

static void
sl_pkcs7_deinit(gnutls_pkcs7_t pkcs7)
{
	gnutls_pkcs7_deinit(pkcs7);
}
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(gnutls_pkcs7_t, sl_pkcs7_deinit, NULL)

static void
sl_pkcs7_trust_list_deinit(gnutls_x509_trust_list_t list)
{
	/* 1: the list owns the certificates added to it */
	gnutls_x509_trust_list_deinit(list, 1);
}
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(gnutls_x509_trust_list_t, sl_pkcs7_trust_list_deinit, NULL)

static void
sl_pkcs7_crt_deinit(gnutls_x509_crt_t crt)
{
	gnutls_x509_crt_deinit(crt);
}
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(gnutls_x509_crt_t, sl_pkcs7_crt_deinit, NULL)

static void
sl_pkcs7_privkey_deinit(gnutls_privkey_t key)
{
	gnutls_privkey_deinit(key);
}
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(gnutls_privkey_t, sl_pkcs7_privkey_deinit, NULL)

/* the one place a GnuTLS return code becomes one of our errors */
static gboolean
sl_pkcs7_check(int rc, SlError code, const gchar *what, GError **error)
{
	if (rc >= 0)
		return TRUE;
	g_set_error(error, SL_ERROR, code, "%s: %s", what, gnutls_strerror(rc));
	return FALSE;
}

static gnutls_datum_t
sl_pkcs7_datum(GBytes *bytes)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(bytes, &len);
	gnutls_datum_t datum = {(unsigned char *)data, (unsigned int)len};
	return datum;
}

static gnutls_pkcs7_t
sl_pkcs7_import(GBytes *signature, GError **error)
{
	g_auto(gnutls_pkcs7_t) pkcs7 = NULL;
	gnutls_datum_t datum = sl_pkcs7_datum(signature);

	if (!sl_pkcs7_check(gnutls_pkcs7_init(&pkcs7), SL_ERROR_INTERNAL, "PKCS#7 init", error))
		return NULL;
	/* certtool writes PEM unless told --outder: take either */
	if (gnutls_pkcs7_import(pkcs7, &datum, GNUTLS_X509_FMT_PEM) < 0 &&
	    !sl_pkcs7_check(gnutls_pkcs7_import(pkcs7, &datum, GNUTLS_X509_FMT_DER),
			    SL_ERROR_NOT_VERIFIABLE,
			    "the signature is not a PKCS#7 structure (PEM or DER)",
			    error))
		return NULL;
	return g_steal_pointer(&pkcs7);
}

static gnutls_x509_trust_list_t
sl_pkcs7_trust_list_new(GBytes *ca_pem, GError **error)
{
	g_auto(gnutls_x509_trust_list_t) list = NULL;
	gnutls_x509_crt_t certs[SL_PKCS7_MAX_CA_CERTS];
	unsigned int count = SL_PKCS7_MAX_CA_CERTS;
	gnutls_datum_t datum = sl_pkcs7_datum(ca_pem);
	int rc;

	if (!sl_pkcs7_check(
		gnutls_x509_trust_list_init(&list, 0), SL_ERROR_INTERNAL, "trust list init", error))
		return NULL;
	rc = gnutls_x509_crt_list_import(certs, &count, &datum, GNUTLS_X509_FMT_PEM, 0);
	if (rc == 0)
		rc = GNUTLS_E_NO_CERTIFICATE_FOUND;
	if (!sl_pkcs7_check(rc, SL_ERROR_INVALID_DATA, "no PEM certificate in the CA file", error))
		return NULL;
	count = (unsigned int)rc;
	rc = gnutls_x509_trust_list_add_cas(list, certs, count, 0);
	if (rc < 0) {
		for (unsigned int i = 0; i < count; i++)
			gnutls_x509_crt_deinit(certs[i]);
	}
	if (!sl_pkcs7_check(rc, SL_ERROR_INTERNAL, "adding the CA certificates", error))
		return NULL;
	return g_steal_pointer(&list);
}

/*
 * the subject of the certificate in @ca_pem that signer @idx verifies to: a
 * name the owner trusts. The issuer named inside the signature is not covered
 * by it, so a forger could write any name there.
 */
static gchar *
sl_pkcs7_get_anchor_subject(gnutls_pkcs7_t pkcs7,
			    unsigned int idx,
			    GBytes *ca_pem,
			    const gnutls_datum_t *content)
{
	gnutls_x509_crt_t certs[SL_PKCS7_MAX_CA_CERTS];
	unsigned int count = SL_PKCS7_MAX_CA_CERTS;
	gnutls_datum_t datum = sl_pkcs7_datum(ca_pem);
	gchar *subject = NULL;
	int rc = gnutls_x509_crt_list_import(certs, &count, &datum, GNUTLS_X509_FMT_PEM, 0);

	if (rc <= 0)
		return NULL;
	count = (unsigned int)rc;
	for (unsigned int i = 0; i < count; i++) {
		g_auto(gnutls_x509_trust_list_t) list = NULL;
		gnutls_x509_crt_t anchor = certs[i];
		gnutls_datum_t dn = {NULL, 0};

		if (subject != NULL || gnutls_x509_trust_list_init(&list, 0) < 0 ||
		    gnutls_x509_trust_list_add_cas(list, &anchor, 1, 0) != 1) {
			gnutls_x509_crt_deinit(anchor);
			continue;
		}
		/* the list owns @anchor now: a trust list of this one certificate */
		if (gnutls_pkcs7_verify(pkcs7, list, NULL, 0, idx, content, 0) < 0)
			continue;
		if (gnutls_x509_crt_get_dn3(anchor, &dn, 0) >= 0) {
			subject = g_strndup((const gchar *)dn.data, dn.size);
			gnutls_free(dn.data);
		}
	}
	return subject;
}

gboolean
sl_pkcs7_verify_detached(GBytes *data, GBytes *signature, GBytes *ca_pem, gchar **issuer_out, GError **error)
{
	g_auto(gnutls_pkcs7_t) pkcs7 = NULL;
	g_auto(gnutls_x509_trust_list_t) list = NULL;
	gnutls_datum_t content = sl_pkcs7_datum(data);
	int count;
	int rc;

	pkcs7 = sl_pkcs7_import(signature, error);
	if (pkcs7 == NULL)
		return FALSE;
	list = sl_pkcs7_trust_list_new(ca_pem, error);
	if (list == NULL)
		return FALSE;
	count = gnutls_pkcs7_get_signature_count(pkcs7);
	if (count <= 0) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE, "the PKCS#7 structure holds no signature");
		return FALSE;
	}
	/* one signer that chains to the CA is enough; the last failure is reported */
	rc = GNUTLS_E_PK_SIG_VERIFY_FAILED;
	for (int i = 0; i < count; i++) {
		rc = gnutls_pkcs7_verify(pkcs7, list, NULL, 0, (unsigned int)i, &content, 0);
		if (rc >= 0) {
			if (issuer_out != NULL)
				*issuer_out =
				    sl_pkcs7_get_anchor_subject(pkcs7, (unsigned int)i, ca_pem, &content);
			return TRUE;
		}
	}
	return sl_pkcs7_check(rc, SL_ERROR_NOT_VERIFIABLE, "signature does not verify to the CA", error);
}

GBytes *
sl_pkcs7_sign_detached(GBytes *data, GBytes *cert_pem, SlSecretBytes *key_pem, GError **error)
{
	g_auto(gnutls_pkcs7_t) pkcs7 = NULL;
	g_auto(gnutls_x509_crt_t) crt = NULL;
	g_auto(gnutls_privkey_t) key = NULL;
	gnutls_datum_t cert_datum = sl_pkcs7_datum(cert_pem);
	gnutls_datum_t key_datum = {sl_secret_bytes_get_data(key_pem),
				    (unsigned int)sl_secret_bytes_get_size(key_pem)};
	gnutls_datum_t content = sl_pkcs7_datum(data);
	gnutls_datum_t out = {NULL, 0};
	GBytes *result;

	if (!sl_pkcs7_check(gnutls_x509_crt_init(&crt), SL_ERROR_INTERNAL, "certificate init", error) ||
	    !sl_pkcs7_check(gnutls_x509_crt_import(crt, &cert_datum, GNUTLS_X509_FMT_PEM),
			    SL_ERROR_INVALID_DATA,
			    "signing certificate is not a PEM X.509 certificate",
			    error) ||
	    !sl_pkcs7_check(gnutls_privkey_init(&key), SL_ERROR_INTERNAL, "private key init", error) ||
	    !sl_pkcs7_check(gnutls_privkey_import_x509_raw(key, &key_datum, GNUTLS_X509_FMT_PEM, NULL, 0),
			    SL_ERROR_INVALID_DATA,
			    "signing key is not an unencrypted PEM private key",
			    error) ||
	    !sl_pkcs7_check(gnutls_pkcs7_init(&pkcs7), SL_ERROR_INTERNAL, "PKCS#7 init", error))
		return NULL;
	if (!sl_pkcs7_check(gnutls_pkcs7_sign(pkcs7,
					      crt,
					      key,
					      &content,
					      NULL,
					      NULL,
					      GNUTLS_DIG_SHA256,
					      GNUTLS_PKCS7_INCLUDE_CERT | GNUTLS_PKCS7_INCLUDE_TIME),
			    SL_ERROR_INVALID_DATA,
			    "signing",
			    error) ||
	    !sl_pkcs7_check(gnutls_pkcs7_export2(pkcs7, GNUTLS_X509_FMT_PEM, &out),
			    SL_ERROR_INTERNAL,
			    "PKCS#7 export",
			    error))
		return NULL;
	result = g_bytes_new(out.data, out.size);
	gnutls_free(out.data);
	return result;
}
