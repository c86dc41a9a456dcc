/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-amd-cert.h"
#include "sl-sev-cert.h"

G_BEGIN_DECLS

/*
 * the SEV platform certificate chain: AMD's ARK and ASK (built in per
 * processor generation, or from files), the platform's CEK (signed by the
 * ASK), the owner's OCA (self-signed), the PEK (signed by both CEK and OCA)
 * and the PDH (signed by the PEK), whose key the launch session is built on
 */

typedef enum {
	SL_CERT_ROLE_ARK,
	SL_CERT_ROLE_ASK,
	SL_CERT_ROLE_CEK,
	SL_CERT_ROLE_OCA,
	SL_CERT_ROLE_PEK,
	SL_CERT_ROLE_PDH,
	SL_CERT_ROLE_COUNT,
} SlCertRole;

/* "ARK", "ASK", ... */
const gchar *
sl_cert_role_to_string(SlCertRole role);

/* one link of the chain and its verdict */
typedef struct {
	SlCertRole signer;
	SlCertRole subject;
	gboolean ok;
	gchar *reason; /* NULL when ok */
} SlCertLink;

typedef struct _SlCertChain SlCertChain;

SlCertChain *
sl_cert_chain_new(void);
void
sl_cert_chain_free(SlCertChain *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlCertChain, sl_cert_chain_free)

/* parses @bytes as the certificate of @role; @what names it in errors */
gboolean
sl_cert_chain_set_cert(SlCertChain *self, SlCertRole role, GBytes *bytes, const gchar *what, GError **error);
gboolean
sl_cert_chain_load_file(SlCertChain *self, SlCertRole role, const gchar *path, GError **error);
/* pdh.cert, pek.cert, oca.cert and cek.cert, as sevctl exports them */
gboolean
sl_cert_chain_load_dir(SlCertChain *self, const gchar *dir, GError **error);
gboolean
sl_cert_chain_load_builtin(SlCertChain *self, const gchar *generation, GError **error);
/*
 * checks every link (usages, algorithms, key ids, signatures) and keeps a
 * verdict for each; FALSE with SL_ERROR_NOT_VERIFIABLE naming the first
 * broken link and its certificate
 */
gboolean
sl_cert_chain_verify(SlCertChain *self, GError **error);
/* the verdicts of the last sl_cert_chain_verify(), in chain order */
GPtrArray *
sl_cert_chain_get_links(SlCertChain *self);
/* the PDH, once loaded */
SlSevCert *
sl_cert_chain_get_pdh(SlCertChain *self);

G_END_DECLS
