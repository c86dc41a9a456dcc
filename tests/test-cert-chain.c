/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-amd-keys.h"
#include "sl-cert-chain.h"
#include "sl-error.h"

/*
 * the real Naples and Rome platform chains of the virtee/sev test suite
 * against AMD's published ARK/ASK (VECTORS.md section 6); every tampering
 * case starts from a chain that verifies, so it fails for its own reason
 */

/* where a flipped byte lands: in the signed body and in the signature */
#define SEV_BODY_FLIP 0x020 /* inside the public key's x coordinate */
#define SEV_SIG1_FLIP 0x420 /* first signature, r */
#define SEV_SIG2_FLIP 0x628 /* second signature (PEK: the CEK's), r */
#define AMD_BODY_FLIP 0x150 /* inside the modulus */

static GBytes *
read_fixture(const gchar *first, ...)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *rel = NULL;
	g_autofree gchar *path = NULL;
	gchar *contents = NULL;
	gsize len = 0;
	va_list args;

	va_start(args, first);
	rel = g_build_filename_valist(first, &args);
	va_end(args);
	path = g_test_build_filename(G_TEST_DIST, "data", "amd-certs", rel, NULL);
	g_file_get_contents(path, &contents, &len, &error);
	g_assert_no_error(error);
	return g_bytes_new_take(contents, len);
}

static const gchar *
role_file(SlCertRole role)
{
	const gchar *names[] = {"ark.cert", "ask.cert", "cek.cert", "oca.cert", "pek.cert", "pdh.cert"};
	return names[role];
}

/* a chain with @generation's platform certs and built-in ARK/ASK; @tamper replaces one */
static SlCertChain *
load_chain(const gchar *generation, SlCertRole tamper_role, GBytes *tamper)
{
	g_autoptr(SlCertChain) chain = sl_cert_chain_new();
	g_autoptr(GError) error = NULL;

	sl_cert_chain_load_builtin(chain, generation, &error);
	g_assert_no_error(error);
	for (SlCertRole role = SL_CERT_ROLE_CEK; role < SL_CERT_ROLE_COUNT; role++) {
		g_autoptr(GBytes) bytes = read_fixture("chains", generation, role_file(role), NULL);
		sl_cert_chain_set_cert(chain, role, bytes, role_file(role), &error);
		g_assert_no_error(error);
	}
	if (tamper != NULL) {
		sl_cert_chain_set_cert(chain, tamper_role, tamper, role_file(tamper_role), &error);
		g_assert_no_error(error);
	}
	return g_steal_pointer(&chain);
}

static void
assert_mentions(const GError *error, const gchar *text)
{
	g_assert_nonnull(error);
	if (strstr(error->message, text) == NULL)
		g_error("'%s' does not mention '%s'", error->message, text);
}

static void
test_chain_verifies(gconstpointer user_data)
{
	const gchar *generation = user_data;
	g_autoptr(SlCertChain) chain = load_chain(generation, 0, NULL);
	g_autoptr(GError) error = NULL;
	GPtrArray *links;

	g_assert_true(sl_cert_chain_verify(chain, &error));
	g_assert_no_error(error);
	links = sl_cert_chain_get_links(chain);
	g_assert_cmpuint(links->len, ==, 7);
	for (guint i = 0; i < links->len; i++) {
		SlCertLink *link = g_ptr_array_index(links, i);
		g_assert_true(link->ok);
		g_assert_null(link->reason);
	}
	/* both signatures of the PEK are links of their own */
	g_assert_cmpint(((SlCertLink *)g_ptr_array_index(links, 4))->signer, ==, SL_CERT_ROLE_CEK);
	g_assert_cmpint(((SlCertLink *)g_ptr_array_index(links, 5))->signer, ==, SL_CERT_ROLE_OCA);
	g_assert_nonnull(sl_cert_chain_get_pdh(chain));
}

static void
test_wrong_generation(void)
{
	/* the Rome platform's CEK is not signed by the Naples ASK */
	g_autoptr(SlCertChain) chain = load_chain("rome", 0, NULL);
	g_autoptr(GError) error = NULL;
	GPtrArray *links;

	sl_cert_chain_load_builtin(chain, "naples", &error);
	g_assert_no_error(error);
	g_assert_false(sl_cert_chain_verify(chain, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
	assert_mentions(error, "ASK -> CEK");
	links = sl_cert_chain_get_links(chain);
	/* the rest of the chain is still judged on its own */
	g_assert_true(((SlCertLink *)g_ptr_array_index(links, 0))->ok);
	g_assert_false(((SlCertLink *)g_ptr_array_index(links, 2))->ok);
	g_assert_true(((SlCertLink *)g_ptr_array_index(links, 6))->ok);
}

static void
test_builtin_all_generations(void)
{
	const gchar *const *generations = sl_amd_keys_get_generations();
	g_assert_cmpuint(g_strv_length((gchar **)generations), ==, 5);
	for (guint i = 0; generations[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SlCertChain) chain = sl_cert_chain_new();
		GPtrArray *links;
		sl_cert_chain_load_builtin(chain, generations[i], &error);
		g_assert_no_error(error);
		/* no platform certs: only AMD's two links can pass, and must */
		g_assert_false(sl_cert_chain_verify(chain, NULL));
		links = sl_cert_chain_get_links(chain);
		g_assert_true(((SlCertLink *)g_ptr_array_index(links, 0))->ok);
		g_assert_true(((SlCertLink *)g_ptr_array_index(links, 1))->ok);
		g_assert_false(((SlCertLink *)g_ptr_array_index(links, 2))->ok);
	}
}

static void
test_builtin_unknown(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlCertChain) chain = sl_cert_chain_new();
	g_assert_false(sl_cert_chain_load_builtin(chain, "../naples", &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
}

static void
test_naples_ark_bad(void)
{
	/* AMD's original Naples ARK lacks its signature: refused, never patched up */
	g_autoptr(GBytes) bad = read_fixture("chains", "naples", "ark.cert.bad", NULL);
	g_autoptr(SlCertChain) chain = load_chain("naples", 0, NULL);
	g_autoptr(GError) error = NULL;

	g_assert_false(sl_cert_chain_set_cert(chain, SL_CERT_ROLE_ARK, bad, "ark.cert.bad", &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	assert_mentions(error, "ark.cert.bad");
	assert_mentions(error, "truncated");
}

/* flips one byte of @role's certificate and expects the chain to name that file */
static void
check_flip(const gchar *generation, SlCertRole role, gsize offset)
{
	g_autoptr(GBytes) orig = role <= SL_CERT_ROLE_ASK
				     ? read_fixture("builtin", generation, role_file(role), NULL)
				     : read_fixture("chains", generation, role_file(role), NULL);
	g_autoptr(GByteArray) buf = g_bytes_unref_to_array(g_bytes_ref(orig));
	g_autoptr(GBytes) tampered = NULL;
	g_autoptr(SlCertChain) chain = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_cmpuint(offset, <, buf->len);
	buf->data[offset] ^= 0x01;
	tampered = g_byte_array_free_to_bytes(g_steal_pointer(&buf));
	chain = load_chain(generation, role, tampered);
	g_assert_false(sl_cert_chain_verify(chain, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
	assert_mentions(error, role_file(role));
}

static void
test_flipped_bytes(gconstpointer user_data)
{
	const gchar *generation = user_data;
	g_autoptr(GBytes) ark = read_fixture("builtin", generation, "ark.cert", NULL);
	gsize field = (g_bytes_get_size(ark) - 0x40) / 3;

	for (SlCertRole role = SL_CERT_ROLE_ARK; role <= SL_CERT_ROLE_ASK; role++) {
		check_flip(generation, role, AMD_BODY_FLIP);
		/* the signature's low-order byte, then one in its middle */
		check_flip(generation, role, 0x40 + 2 * field);
		check_flip(generation, role, 0x40 + 2 * field + field / 2);
	}
	for (SlCertRole role = SL_CERT_ROLE_CEK; role < SL_CERT_ROLE_COUNT; role++) {
		check_flip(generation, role, SEV_BODY_FLIP);
		check_flip(generation, role, SEV_SIG1_FLIP);
	}
	/* the PEK's second signature is checked too */
	check_flip(generation, SL_CERT_ROLE_PEK, SEV_SIG2_FLIP);
}

static void
test_wrong_usage(void)
{
	/* the PEK offered as the PDH: a good certificate in the wrong place */
	g_autoptr(GBytes) pek = read_fixture("chains", "rome", "pek.cert", NULL);
	g_autoptr(SlCertChain) chain = load_chain("rome", SL_CERT_ROLE_PDH, pek);
	g_autoptr(GError) error = NULL;

	g_assert_false(sl_cert_chain_verify(chain, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
	assert_mentions(error, "usage is PEK");
}

static void
test_swapped_ark_ask(void)
{
	g_autoptr(GBytes) ask = read_fixture("builtin", "rome", "ask.cert", NULL);
	g_autoptr(SlCertChain) chain = load_chain("rome", SL_CERT_ROLE_ARK, ask);
	g_autoptr(GError) error = NULL;

	g_assert_false(sl_cert_chain_verify(chain, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
	assert_mentions(error, "ARK -> ARK");
}

static void
test_missing_cert(void)
{
	g_autoptr(SlCertChain) chain = sl_cert_chain_new();
	g_autoptr(GError) error = NULL;
	g_assert_false(sl_cert_chain_verify(chain, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
	assert_mentions(error, "no ARK certificate");
}

static void
test_load_dir(void)
{
	g_autofree gchar *dir =
	    g_test_build_filename(G_TEST_DIST, "data", "amd-certs", "chains", "naples", NULL);
	g_autofree gchar *missing = g_test_build_filename(G_TEST_DIST, "data", "amd-certs", "builtin", NULL);
	g_autoptr(SlCertChain) chain = sl_cert_chain_new();
	g_autoptr(GError) error = NULL;

	sl_cert_chain_load_dir(chain, dir, &error);
	g_assert_no_error(error);
	sl_cert_chain_load_builtin(chain, "naples", &error);
	g_assert_no_error(error);
	g_assert_true(sl_cert_chain_verify(chain, &error));
	g_assert_no_error(error);
	/* a directory without pdh.cert */
	g_assert_false(sl_cert_chain_load_dir(chain, missing, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_READ);
	assert_mentions(error, "pdh.cert");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_data_func("/cert-chain/naples", "naples", test_chain_verifies);
	g_test_add_data_func("/cert-chain/rome", "rome", test_chain_verifies);
	g_test_add_func("/cert-chain/wrong-generation", test_wrong_generation);
	g_test_add_func("/cert-chain/builtin", test_builtin_all_generations);
	g_test_add_func("/cert-chain/builtin-unknown", test_builtin_unknown);
	g_test_add_func("/cert-chain/naples-ark-bad", test_naples_ark_bad);
	g_test_add_data_func("/cert-chain/flipped/naples", "naples", test_flipped_bytes);
	g_test_add_data_func("/cert-chain/flipped/rome", "rome", test_flipped_bytes);
	g_test_add_func("/cert-chain/wrong-usage", test_wrong_usage);
	g_test_add_func("/cert-chain/swapped-ark-ask", test_swapped_ark_ask);
	g_test_add_func("/cert-chain/missing", test_missing_cert);
	g_test_add_func("/cert-chain/load-dir", test_load_dir);
	return g_test_run();
}
