/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "sl-amd-keys.h"
#include "sl-cert-chain.h"
#include "sl-error.h"
#include "sl-sev-cert.h"

/*
 * SEV and AMD certificates as the host hands them over: the first input byte
 * picks a role (ARK, ASK, CEK, OCA, PEK, PDH), the rest is a certificate that
 * takes that role's place in the published Rome chain, which is then verified
 * in full; the unchanged chain must verify
 */

static GBytes *sl_fuzz_cert_rome[SL_CERT_ROLE_COUNT];

static void
sl_fuzz_cert_load_rome(void)
{
	const gchar *files[] = {[SL_CERT_ROLE_CEK] = "cek.cert",
				[SL_CERT_ROLE_OCA] = "oca.cert",
				[SL_CERT_ROLE_PEK] = "pek.cert",
				[SL_CERT_ROLE_PDH] = "pdh.cert"};
	g_autoptr(GError) error = NULL;

	if (sl_fuzz_cert_rome[SL_CERT_ROLE_ARK] != NULL)
		return;
	sl_fuzz_cert_rome[SL_CERT_ROLE_ARK] = sl_amd_keys_lookup("rome", SL_SEV_USAGE_ARK, &error);
	g_assert_no_error(error);
	sl_fuzz_cert_rome[SL_CERT_ROLE_ASK] = sl_amd_keys_lookup("rome", SL_SEV_USAGE_ASK, &error);
	g_assert_no_error(error);
	for (guint i = SL_CERT_ROLE_CEK; i < SL_CERT_ROLE_COUNT; i++) {
		g_autofree gchar *path =
		    g_build_filename(SL_FUZZ_DATA_DIR, "amd-certs", "chains", "rome", files[i], NULL);
		g_autofree gchar *data = NULL;
		gsize len = 0;
		g_assert_true(g_file_get_contents(path, &data, &len, NULL));
		sl_fuzz_cert_rome[i] = g_bytes_new_take(g_steal_pointer(&data), len);
	}
}

/* every accessor of a parsed SEV certificate; none may read outside it */
static void
sl_fuzz_cert_walk_sev(const SlSevCert *cert)
{
	g_autoptr(GBytes) modulus = NULL;
	g_autoptr(GBytes) exponent = NULL;
	SlP384Point key;
	guint8 r[SL_P384_SIZE], s[SL_P384_SIZE];
	guint8 rsa[SL_SEV_CERT_SIG_SIZE];
	gsize body_len = 0;

	g_assert_nonnull(sl_sev_cert_get_name(cert));
	g_assert_nonnull(sl_sev_usage_to_string(sl_sev_cert_get_usage(cert)));
	(void)sl_sev_algo_get_kind(sl_sev_cert_get_algo(cert));
	g_assert_nonnull(sl_sev_cert_get_body(cert, &body_len));
	g_assert_cmpuint(body_len, ==, SL_SEV_CERT_BODY_SIZE);
	(void)sl_sev_cert_get_ecc_key(cert, &key, NULL);
	(void)sl_sev_cert_get_rsa_key(cert, &modulus, &exponent, NULL);
	for (guint i = 0; i < 2; i++) {
		const SlSevCertSig *sig = sl_sev_cert_get_sig(cert, i);
		(void)sl_sev_cert_sig_get_ecdsa(sig, r, s, NULL);
		(void)sl_sev_cert_sig_get_rsa(sig, rsa, 256, NULL);
		(void)sl_sev_cert_sig_get_rsa(sig, rsa, sizeof(rsa), NULL);
	}
}

static void
sl_fuzz_cert_walk_amd(const SlAmdCert *cert)
{
	gsize body_len = 0;

	g_assert_nonnull(sl_amd_cert_get_name(cert));
	g_assert_true(sl_amd_cert_get_modulus_bits(cert) == 2048 ||
		      sl_amd_cert_get_modulus_bits(cert) == 4096);
	g_assert_cmpuint(g_bytes_get_size(sl_amd_cert_get_modulus(cert)), <=, 512);
	g_assert_nonnull(sl_amd_cert_get_exponent(cert));
	g_assert_nonnull(sl_amd_cert_get_signature(cert));
	g_assert_nonnull(sl_amd_cert_get_body(cert, &body_len));
	g_assert_nonnull(sl_amd_cert_get_key_id(cert));
	g_assert_nonnull(sl_amd_cert_get_certifying_id(cert));
}

static void
sl_fuzz_cert_parse(const guint8 *data, gsize size)
{
	g_autoptr(SlSevCert) sev = NULL;
	g_autoptr(SlAmdCert) amd = NULL;
	g_autoptr(GError) error_sev = NULL;
	g_autoptr(GError) error_amd = NULL;

	sev = sl_sev_cert_parse(data, size, "fuzz.cert", &error_sev);
	if (sev != NULL)
		sl_fuzz_cert_walk_sev(sev);
	else
		g_assert_true(error_sev != NULL && error_sev->domain == SL_ERROR);
	amd = sl_amd_cert_parse(data, size, "fuzz.cert", &error_amd);
	if (amd != NULL)
		sl_fuzz_cert_walk_amd(amd);
	else
		g_assert_true(error_amd != NULL && error_amd->domain == SL_ERROR);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(SlCertChain) chain = NULL;
	g_autoptr(GBytes) cert = NULL;
	g_autoptr(GError) error = NULL;
	SlCertRole role;
	gboolean unchanged;

	sl_fuzz_init();
	sl_fuzz_cert_load_rome();
	if (size == 0)
		return 0;
	role = data[0] % SL_CERT_ROLE_COUNT;
	cert = g_bytes_new(data + 1, size - 1);
	sl_fuzz_cert_parse(data + 1, size - 1);

	chain = sl_cert_chain_new();
	for (guint i = 0; i < SL_CERT_ROLE_COUNT; i++)
		g_assert_true(sl_cert_chain_set_cert(chain, i, sl_fuzz_cert_rome[i], "rome", NULL));
	if (!sl_cert_chain_set_cert(chain, role, cert, "fuzz.cert", &error)) {
		g_assert_true(error->domain == SL_ERROR);
		return 0;
	}
	unchanged = g_bytes_equal(cert, sl_fuzz_cert_rome[role]);
	if (!sl_cert_chain_verify(chain, &error)) {
		g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
		g_assert_false(unchanged);
	}
	for (guint i = 0; i < sl_cert_chain_get_links(chain)->len; i++) {
		SlCertLink *link = g_ptr_array_index(sl_cert_chain_get_links(chain), i);
		g_assert_true(link->ok == (link->reason == NULL));
	}
	return 0;
}
