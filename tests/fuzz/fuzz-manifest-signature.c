/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"
#include "sl-error.h"
#include "sl-pkcs7.h"

/*
 * --manifest-signature: the input is the detached PKCS#7 signature (PEM or
 * DER), checked against a fixed manifest and CA (tests/data/fuzz-pkcs7). A
 * signature that verifies names an issuer and does not verify other bytes.
 */

static GBytes *sl_fuzz_signature_data = NULL;
static GBytes *sl_fuzz_signature_ca = NULL;

static GBytes *
sl_fuzz_signature_load(const gchar *name)
{
	g_autofree gchar *path = g_build_filename(SL_FUZZ_DATA_DIR, "fuzz-pkcs7", name, NULL);
	g_autoptr(GError) error = NULL;
	gchar *text = NULL;
	gsize len = 0;

	g_assert_true(g_file_get_contents(path, &text, &len, &error));
	g_assert_no_error(error);
	return g_bytes_new_take(text, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GBytes) signature = g_bytes_new(data, size);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *issuer = NULL;
	g_autofree guint8 *other = NULL;
	g_autoptr(GBytes) other_data = NULL;
	gsize len = 0;

	sl_fuzz_init();
	if (sl_fuzz_signature_data == NULL) {
		sl_fuzz_signature_data = sl_fuzz_signature_load("data.json");
		sl_fuzz_signature_ca = sl_fuzz_signature_load("ca.pem");
	}
	if (!sl_pkcs7_verify_detached(
		sl_fuzz_signature_data, signature, sl_fuzz_signature_ca, &issuer, &error)) {
		g_assert_true(error != NULL && error->domain == SL_ERROR);
		g_assert_null(issuer);
		return 0;
	}
	g_assert_no_error(error);
	/* the SignerInfo's issuer is not signed: a fuzzed one still verifies, so only non-NULL */
	g_assert_nonnull(issuer);

	/* the same signature over one changed byte */
	other = g_bytes_unref_to_data(g_bytes_ref(sl_fuzz_signature_data), &len);
	other[len / 2] ^= 0x01;
	other_data = g_bytes_new_take(g_steal_pointer(&other), len);
	g_assert_false(sl_pkcs7_verify_detached(other_data, signature, sl_fuzz_signature_ca, NULL, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
	return 0;
}
