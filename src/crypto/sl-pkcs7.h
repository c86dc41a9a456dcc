/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "sl-secret-bytes.h"

G_BEGIN_DECLS

/*
 * detached PKCS#7 (CMS) signatures through GnuTLS's PKCS#7 API, the format
 * `certtool --p7-detached-sign` writes: nothing of ours in the format
 */

/*
 * TRUE only if @signature (PEM or DER) holds a signature over exactly @data
 * that chains to a certificate of @ca_pem (one or more PEM certificates);
 * a signature that does not verify or cannot be read is
 * SL_ERROR_NOT_VERIFIABLE, an unreadable CA SL_ERROR_INVALID_DATA. @issuer_out, if given, gets the
 * distinguished name of the certificate in @ca_pem that the signature verified to (never a name
 * read from the signature itself, which the signature does not cover).
 */
gboolean
sl_pkcs7_verify_detached(GBytes *data, GBytes *signature, GBytes *ca_pem, gchar **issuer_out, GError **error);

/*
 * a detached signature over @data (PEM) by the certificate @cert_pem and its
 * private key @key_pem, SHA-256, the certificate included
 */
GBytes *
sl_pkcs7_sign_detached(GBytes *data, GBytes *cert_pem, SlSecretBytes *key_pem, GError **error);

G_END_DECLS
