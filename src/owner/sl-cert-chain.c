/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "sl-amd-keys.h"
#include "sl-cert-chain.h"
#include "sl-error.h"
#include "sl-file.h"

/* a 4096-bit AMD certificate is 0x640 bytes; SEV certificates are 0x824 */
#define SL_CERT_FILE_MAX_SIZE 0x1000

struct _SlCertChain {
	SlAmdCert *ark;
	SlAmdCert *ask;
	SlSevCert *sev[SL_CERT_ROLE_COUNT]; /* CEK, OCA, PEK, PDH */
	GPtrArray *links;                   /* of SlCertLink */
};

const gchar *
sl_cert_role_to_string(SlCertRole role)
{
	const gchar *names[] = {"ARK", "ASK", "CEK", "OCA", "PEK", "PDH"};
	g_return_val_if_fail(role < SL_CERT_ROLE_COUNT, "?");
	return names[role];
}

static guint32
sl_cert_role_get_usage(SlCertRole role)
{
	const guint32 usages[] = {SL_SEV_USAGE_ARK,
				  SL_SEV_USAGE_ASK,
				  SL_SEV_USAGE_CEK,
				  SL_SEV_USAGE_OCA,
				  SL_SEV_USAGE_PEK,
				  SL_SEV_USAGE_PDH};
	return usages[role];
}

static void
sl_cert_link_free(SlCertLink *link)
{
	g_free(link->reason);
	g_free(link);
}

SlCertChain *
sl_cert_chain_new(void)
{
	SlCertChain *self = g_new0(SlCertChain, 1);
	self->links = g_ptr_array_new_with_free_func((GDestroyNotify)sl_cert_link_free);
	return self;
}

void
sl_cert_chain_free(SlCertChain *self)
{
	if (self == NULL)
		return;
	sl_amd_cert_free(self->ark);
	sl_amd_cert_free(self->ask);
	for (guint i = 0; i < SL_CERT_ROLE_COUNT; i++)
		sl_sev_cert_free(self->sev[i]);
	g_ptr_array_unref(self->links);
	g_free(self);
}

gboolean
sl_cert_chain_set_cert(SlCertChain *self, SlCertRole role, GBytes *bytes, const gchar *what, GError **error)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(bytes, &len);

	g_return_val_if_fail(role < SL_CERT_ROLE_COUNT, FALSE);
	if (role == SL_CERT_ROLE_ARK || role == SL_CERT_ROLE_ASK) {
		SlAmdCert **slot = role == SL_CERT_ROLE_ARK ? &self->ark : &self->ask;
		SlAmdCert *cert = sl_amd_cert_parse(data, len, what, error);
		if (cert == NULL)
			return FALSE;
		sl_amd_cert_free(*slot);
		*slot = cert;
	} else {
		SlSevCert *cert = sl_sev_cert_parse(data, len, what, error);
		if (cert == NULL)
			return FALSE;
		sl_sev_cert_free(self->sev[role]);
		self->sev[role] = cert;
	}
	return TRUE;
}

gboolean
sl_cert_chain_load_file(SlCertChain *self, SlCertRole role, const gchar *path, GError **error)
{
	g_autoptr(GBytes) bytes = sl_file_read_bounded(path, "certificate", SL_CERT_FILE_MAX_SIZE, error);
	if (bytes == NULL)
		return FALSE;
	return sl_cert_chain_set_cert(self, role, bytes, path, error);
}

gboolean
sl_cert_chain_load_dir(SlCertChain *self, const gchar *dir, GError **error)
{
	const struct {
		SlCertRole role;
		const gchar *name;
	} files[] = {
	    {SL_CERT_ROLE_PDH, "pdh.cert"},
	    {SL_CERT_ROLE_PEK, "pek.cert"},
	    {SL_CERT_ROLE_OCA, "oca.cert"},
	    {SL_CERT_ROLE_CEK, "cek.cert"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree gchar *path = g_build_filename(dir, files[i].name, NULL);
		if (!sl_cert_chain_load_file(self, files[i].role, path, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
sl_cert_chain_load_builtin(SlCertChain *self, const gchar *generation, GError **error)
{
	const SlCertRole roles[] = {SL_CERT_ROLE_ARK, SL_CERT_ROLE_ASK};
	for (guint i = 0; i < G_N_ELEMENTS(roles); i++) {
		g_autoptr(GBytes) bytes =
		    sl_amd_keys_lookup(generation, sl_cert_role_get_usage(roles[i]), error);
		g_autofree gchar *what = NULL;
		if (bytes == NULL)
			return FALSE;
		what = g_strdup_printf("built-in %s %s", generation, sl_cert_role_to_string(roles[i]));
		if (!sl_cert_chain_set_cert(self, roles[i], bytes, what, error))
			return FALSE;
	}
	return TRUE;
}

/* an AMD-format certificate must carry the usage of its role */
static gboolean
sl_cert_chain_check_amd(const SlAmdCert *cert, SlCertRole role, GError **error)
{
	if (sl_amd_cert_get_usage(cert) != sl_cert_role_get_usage(role)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "%s: usage is %s, not %s",
			    sl_amd_cert_get_name(cert),
			    sl_sev_usage_to_string(sl_amd_cert_get_usage(cert)),
			    sl_cert_role_to_string(role));
		return FALSE;
	}
	return TRUE;
}

/* the PDH is a key-agreement key, every other platform key signs */
static gboolean
sl_cert_chain_check_sev(const SlSevCert *cert, SlCertRole role, GError **error)
{
	SlSevKeyKind want = role == SL_CERT_ROLE_PDH ? SL_SEV_KEY_KIND_ECDH : SL_SEV_KEY_KIND_ECDSA;
	guint32 usage = sl_sev_cert_get_usage(cert);

	if (usage != sl_cert_role_get_usage(role)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "%s: usage is %s (0x%x), not %s",
			    sl_sev_cert_get_name(cert),
			    sl_sev_usage_to_string(usage),
			    usage,
			    sl_cert_role_to_string(role));
		return FALSE;
	}
	if (sl_sev_algo_get_kind(sl_sev_cert_get_algo(cert)) != want) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "%s: algorithm 0x%x is not %s",
			    sl_sev_cert_get_name(cert),
			    sl_sev_cert_get_algo(cert),
			    want == SL_SEV_KEY_KIND_ECDH ? "ECDH" : "ECDSA");
		return FALSE;
	}
	return TRUE;
}

static gboolean
sl_cert_chain_verify_amd(const SlAmdCert *signer, const SlAmdCert *subject, GError **error)
{
	GBytes *modulus = sl_amd_cert_get_modulus(signer);
	GBytes *exponent = sl_amd_cert_get_exponent(signer);
	GBytes *sig = sl_amd_cert_get_signature(subject);
	const guint8 *body;
	gsize body_len = 0;

	if (memcmp(sl_amd_cert_get_certifying_id(subject),
		   sl_amd_cert_get_key_id(signer),
		   SL_AMD_CERT_KEY_ID_SIZE) != 0) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "%s: certifying id is not the key id of %s",
			    sl_amd_cert_get_name(subject),
			    sl_amd_cert_get_name(signer));
		return FALSE;
	}
	if (sl_amd_cert_get_modulus_bits(subject) != sl_amd_cert_get_modulus_bits(signer)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "%s: key size differs from %s",
			    sl_amd_cert_get_name(subject),
			    sl_amd_cert_get_name(signer));
		return FALSE;
	}
	body = sl_amd_cert_get_body(subject, &body_len);
	if (!sl_rsa_pss_verify(g_bytes_get_data(modulus, NULL),
			       g_bytes_get_size(modulus),
			       g_bytes_get_data(exponent, NULL),
			       g_bytes_get_size(exponent),
			       sl_amd_cert_get_hash(signer),
			       body,
			       body_len,
			       g_bytes_get_data(sig, NULL),
			       g_bytes_get_size(sig),
			       error)) {
		g_prefix_error(error, "%s: ", sl_amd_cert_get_name(subject));
		return FALSE;
	}
	return TRUE;
}

/* the slot of @subject signed by @usage, with a known algorithm of @kind */
static const SlSevCertSig *
sl_cert_chain_find_sig(
    const SlSevCert *subject, guint32 usage, SlSevKeyKind kind, SlPkHash *hash, GError **error)
{
	for (guint i = 0; i < 2; i++) {
		const SlSevCertSig *sig = sl_sev_cert_get_sig(subject, i);
		if (sig->usage != usage)
			continue;
		if (sl_sev_algo_get_kind(sig->algo) != kind || !sl_sev_algo_get_hash(sig->algo, hash)) {
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_NOT_VERIFIABLE,
				    "%s: the %s signature has algorithm 0x%x",
				    sl_sev_cert_get_name(subject),
				    sl_sev_usage_to_string(usage),
				    sig->algo);
			return NULL;
		}
		return sig;
	}
	g_set_error(error,
		    SL_ERROR,
		    SL_ERROR_NOT_VERIFIABLE,
		    "%s: no signature by the %s",
		    sl_sev_cert_get_name(subject),
		    sl_sev_usage_to_string(usage));
	return NULL;
}

static gboolean
sl_cert_chain_verify_by_ask(const SlAmdCert *ask, const SlSevCert *cek, GError **error)
{
	GBytes *modulus = sl_amd_cert_get_modulus(ask);
	GBytes *exponent = sl_amd_cert_get_exponent(ask);
	gsize sig_len = sl_amd_cert_get_modulus_bits(ask) / 8;
	g_autofree guint8 *sig_be = g_malloc(sig_len);
	const SlSevCertSig *sig;
	const guint8 *body;
	gsize body_len = 0;
	SlPkHash hash = SL_PK_HASH_SHA256;

	sig = sl_cert_chain_find_sig(cek, SL_SEV_USAGE_ASK, SL_SEV_KEY_KIND_RSA, &hash, error);
	if (sig == NULL)
		return FALSE;
	if (hash != sl_amd_cert_get_hash(ask)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "%s: signed with %s, but the ASK signs with %s",
			    sl_sev_cert_get_name(cek),
			    sl_pk_hash_to_string(hash),
			    sl_pk_hash_to_string(sl_amd_cert_get_hash(ask)));
		return FALSE;
	}
	body = sl_sev_cert_get_body(cek, &body_len);
	if (!sl_sev_cert_sig_get_rsa(sig, sig_be, sig_len, error) ||
	    !sl_rsa_pss_verify(g_bytes_get_data(modulus, NULL),
			       g_bytes_get_size(modulus),
			       g_bytes_get_data(exponent, NULL),
			       g_bytes_get_size(exponent),
			       hash,
			       body,
			       body_len,
			       sig_be,
			       sig_len,
			       error)) {
		g_prefix_error(error, "%s: ", sl_sev_cert_get_name(cek));
		return FALSE;
	}
	return TRUE;
}

static gboolean
sl_cert_chain_verify_sev(const SlSevCert *signer, const SlSevCert *subject, GError **error)
{
	const SlSevCertSig *sig;
	SlP384Point key;
	SlPkHash key_hash = SL_PK_HASH_SHA256;
	SlPkHash hash = SL_PK_HASH_SHA256;
	guint8 r[SL_P384_SIZE];
	guint8 s[SL_P384_SIZE];
	const guint8 *body;
	gsize body_len = 0;

	sig = sl_cert_chain_find_sig(
	    subject, sl_sev_cert_get_usage(signer), SL_SEV_KEY_KIND_ECDSA, &hash, error);
	if (sig == NULL)
		return FALSE;
	/* the signer's key says which digest it signs with */
	if (!sl_sev_algo_get_hash(sl_sev_cert_get_algo(signer), &key_hash) || key_hash != hash) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "%s: the %s signature uses another digest than the %s key",
			    sl_sev_cert_get_name(subject),
			    sl_sev_usage_to_string(sig->usage),
			    sl_sev_usage_to_string(sig->usage));
		return FALSE;
	}
	body = sl_sev_cert_get_body(subject, &body_len);
	if (!sl_sev_cert_get_ecc_key(signer, &key, error))
		return FALSE;
	if (!sl_sev_cert_sig_get_ecdsa(sig, r, s, error) ||
	    !sl_ecdsa_p384_verify(&key, hash, body, body_len, r, s, error)) {
		g_prefix_error(error,
			       "%s: %s signature: ",
			       sl_sev_cert_get_name(subject),
			       sl_sev_usage_to_string(sig->usage));
		return FALSE;
	}
	return TRUE;
}

static gboolean
sl_cert_chain_check_loaded(SlCertChain *self, SlCertRole role, GError **error)
{
	gboolean loaded = role == SL_CERT_ROLE_ARK   ? self->ark != NULL
			  : role == SL_CERT_ROLE_ASK ? self->ask != NULL
						     : self->sev[role] != NULL;
	if (!loaded) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "no %s certificate",
			    sl_cert_role_to_string(role));
		return FALSE;
	}
	return TRUE;
}

static gboolean
sl_cert_chain_verify_link(SlCertChain *self, SlCertRole signer, SlCertRole subject, GError **error)
{
	if (!sl_cert_chain_check_loaded(self, signer, error) ||
	    !sl_cert_chain_check_loaded(self, subject, error))
		return FALSE;
	if (signer == SL_CERT_ROLE_ARK)
		return sl_cert_chain_check_amd(self->ark, SL_CERT_ROLE_ARK, error) &&
		       sl_cert_chain_check_amd(
			   subject == SL_CERT_ROLE_ARK ? self->ark : self->ask, subject, error) &&
		       sl_cert_chain_verify_amd(
			   self->ark, subject == SL_CERT_ROLE_ARK ? self->ark : self->ask, error);
	if (signer == SL_CERT_ROLE_ASK)
		return sl_cert_chain_check_amd(self->ask, SL_CERT_ROLE_ASK, error) &&
		       sl_cert_chain_check_sev(self->sev[subject], subject, error) &&
		       sl_cert_chain_verify_by_ask(self->ask, self->sev[subject], error);
	return sl_cert_chain_check_sev(self->sev[signer], signer, error) &&
	       sl_cert_chain_check_sev(self->sev[subject], subject, error) &&
	       sl_cert_chain_verify_sev(self->sev[signer], self->sev[subject], error);
}

gboolean
sl_cert_chain_verify(SlCertChain *self, GError **error)
{
	const SlCertRole links[][2] = {
	    {SL_CERT_ROLE_ARK, SL_CERT_ROLE_ARK},
	    {SL_CERT_ROLE_ARK, SL_CERT_ROLE_ASK},
	    {SL_CERT_ROLE_ASK, SL_CERT_ROLE_CEK},
	    {SL_CERT_ROLE_OCA, SL_CERT_ROLE_OCA},
	    {SL_CERT_ROLE_CEK, SL_CERT_ROLE_PEK},
	    {SL_CERT_ROLE_OCA, SL_CERT_ROLE_PEK},
	    {SL_CERT_ROLE_PEK, SL_CERT_ROLE_PDH},
	};
	g_autoptr(GError) first = NULL;
	guint first_index = 0;

	g_ptr_array_set_size(self->links, 0);
	/* every link is checked so the report names each broken one */
	for (guint i = 0; i < G_N_ELEMENTS(links); i++) {
		g_autoptr(GError) error_local = NULL;
		SlCertLink *link = g_new0(SlCertLink, 1);
		link->signer = links[i][0];
		link->subject = links[i][1];
		link->ok = sl_cert_chain_verify_link(self, link->signer, link->subject, &error_local);
		if (!link->ok) {
			link->reason = g_strdup(error_local->message);
			if (first == NULL) {
				first = g_steal_pointer(&error_local);
				first_index = i;
			}
		}
		g_ptr_array_add(self->links, link);
	}
	if (first != NULL) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "certificate chain does not verify: %s -> %s: %s",
			    sl_cert_role_to_string(links[first_index][0]),
			    sl_cert_role_to_string(links[first_index][1]),
			    first->message);
		return FALSE;
	}
	return TRUE;
}

GPtrArray *
sl_cert_chain_get_links(SlCertChain *self)
{
	return self->links;
}

SlSevCert *
sl_cert_chain_get_pdh(SlCertChain *self)
{
	return self->sev[SL_CERT_ROLE_PDH];
}
