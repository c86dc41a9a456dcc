/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sl-error.h"
#include "sl-pkcs7.h"

/*
 * the keys, certificates and reference signatures come from GnuTLS's
 * certtool, run here at test time: nothing of sevlaunch makes them
 */
typedef struct {
	gchar *dir;
} TestPki;

static gchar *
test_path(TestPki *pki, const gchar *name)
{
	return g_build_filename(pki->dir, name, NULL);
}

static void
test_certtool(TestPki *pki, const gchar *args)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *cmd = g_strdup_printf("certtool %s", args);
	g_auto(GStrv) argv = NULL;
	gint status = 0;

	g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
	g_assert_true(
	    g_spawn_sync(pki->dir,
			 argv,
			 NULL,
			 G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
			 NULL,
			 NULL,
			 NULL,
			 NULL,
			 &status,
			 &error));
	g_assert_no_error(error);
	g_assert_true(g_spawn_check_wait_status(status, NULL));
}

static void
test_write(TestPki *pki, const gchar *name, const gchar *text)
{
	g_autofree gchar *path = test_path(pki, name);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

static GBytes *
test_read(TestPki *pki, const gchar *name)
{
	g_autofree gchar *path = test_path(pki, name);
	gchar *data = NULL;
	gsize len = 0;
	g_assert_true(g_file_get_contents(path, &data, &len, NULL));
	return g_bytes_new_take(data, len);
}

/* a CA, a signer it certifies, another CA, and certtool's signature over "data" */
static void
test_pki_setup(TestPki *pki, gconstpointer user_data)
{
	pki->dir = g_dir_make_tmp("sl-test-pkcs7-XXXXXX", NULL);
	test_write(pki, "ca.tmpl", "cn = \"Test CA\"\nca\ncert_signing_key\nexpiration_days = 30\n");
	test_write(pki, "other.tmpl", "cn = \"Other CA\"\nca\ncert_signing_key\nexpiration_days = 30\n");
	test_write(pki, "signer.tmpl", "cn = \"signer\"\nsigning_key\nexpiration_days = 30\n");
	test_write(pki, "data", "{\"manifest\": true}\n");
	test_certtool(pki, "--generate-privkey --key-type ecdsa --outfile ca.key");
	test_certtool(pki,
		      "--generate-self-signed --load-privkey ca.key --template ca.tmpl --outfile ca.pem");
	test_certtool(pki, "--generate-privkey --key-type ecdsa --outfile other.key");
	test_certtool(
	    pki, "--generate-self-signed --load-privkey other.key --template other.tmpl --outfile other.pem");
	test_certtool(pki, "--generate-privkey --key-type rsa --bits 2048 --outfile signer.key");
	test_certtool(pki,
		      "--generate-certificate --load-privkey signer.key --load-ca-certificate ca.pem "
		      "--load-ca-privkey ca.key --template signer.tmpl --outfile signer.pem");
	test_certtool(pki,
		      "--p7-detached-sign --load-privkey signer.key --load-certificate signer.pem "
		      "--infile data --outfile data.p7s");
}

static void
test_pki_teardown(TestPki *pki, gconstpointer user_data)
{
	const gchar *names[] = {"ca.tmpl",
				"other.tmpl",
				"signer.tmpl",
				"data",
				"ca.key",
				"ca.pem",
				"other.key",
				"other.pem",
				"signer.key",
				"signer.pem",
				"data.p7s"};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree gchar *path = test_path(pki, names[i]);
		g_unlink(path);
	}
	g_rmdir(pki->dir);
	g_free(pki->dir);
}

static void
test_pkcs7_certtool_signature(TestPki *pki, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = test_read(pki, "data");
	g_autoptr(GBytes) sig = test_read(pki, "data.p7s");
	g_autoptr(GBytes) ca = test_read(pki, "ca.pem");
	g_autofree gchar *issuer = NULL;

	g_assert_true(sl_pkcs7_verify_detached(data, sig, ca, &issuer, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(issuer, ==, "CN=Test CA");
}

/* the DER bytes of a PEM PKCS#7 file */
static GBytes *
test_pem_to_der(GBytes *pem)
{
	g_autofree gchar *text = g_strndup(g_bytes_get_data(pem, NULL), g_bytes_get_size(pem));
	g_autoptr(GString) body = g_string_new(NULL);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	gsize len = 0;
	guchar *der;

	for (guint i = 0; lines[i] != NULL; i++) {
		if (!g_str_has_prefix(lines[i], "-----"))
			g_string_append(body, lines[i]);
	}
	der = g_base64_decode(body->str, &len);
	return g_bytes_new_take(der, len);
}

/*
 * the issuer name inside the signer info is not covered by the signature: a
 * forged one must never be what the caller is told the signature verified to
 */
static void
test_pkcs7_issuer_is_the_ca_not_the_signature(TestPki *pki, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = test_read(pki, "data");
	g_autoptr(GBytes) pem = test_read(pki, "data.p7s");
	g_autoptr(GBytes) der = test_pem_to_der(pem);
	g_autoptr(GBytes) ca = test_read(pki, "ca.pem");
	g_autoptr(GBytes) forged = NULL;
	g_autofree gchar *issuer = NULL;
	gsize len = 0;
	const guint8 *original = g_bytes_get_data(der, &len);
	g_autoptr(GByteArray) bytes = g_byte_array_new();
	gssize last = -1;

	/* the signer info comes after the certificates: its copy of the name is the last one */
	g_byte_array_append(bytes, original, (guint)len);
	for (gsize i = 0; i + 7 <= len; i++) {
		if (memcmp(original + i, "Test CA", 7) == 0)
			last = (gssize)i;
	}
	g_assert_cmpint(last, >=, 0);
	bytes->data[last] = 'F';
	forged = g_byte_array_free_to_bytes(g_steal_pointer(&bytes));
	if (!sl_pkcs7_verify_detached(data, forged, ca, &issuer, &error))
		return; /* refusing it is fine too */
	g_assert_cmpstr(issuer, ==, "CN=Test CA");
}

static void
test_pkcs7_changed_bytes(TestPki *pki, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) sig = test_read(pki, "data.p7s");
	g_autoptr(GBytes) ca = test_read(pki, "ca.pem");
	g_autoptr(GBytes) changed = g_bytes_new_static("{\"manifest\": True}\n", 19);

	g_assert_false(sl_pkcs7_verify_detached(changed, sig, ca, NULL, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
}

static void
test_pkcs7_other_ca(TestPki *pki, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = test_read(pki, "data");
	g_autoptr(GBytes) sig = test_read(pki, "data.p7s");
	g_autoptr(GBytes) other = test_read(pki, "other.pem");

	g_assert_false(sl_pkcs7_verify_detached(data, sig, other, NULL, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
}

static void
test_pkcs7_garbage(TestPki *pki, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_ca = NULL;
	g_autoptr(GBytes) data = test_read(pki, "data");
	g_autoptr(GBytes) sig = test_read(pki, "data.p7s");
	g_autoptr(GBytes) ca = test_read(pki, "ca.pem");

	g_assert_false(sl_pkcs7_verify_detached(data, data, ca, NULL, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
	g_assert_false(sl_pkcs7_verify_detached(data, sig, data, NULL, &error_ca));
	g_assert_error(error_ca, SL_ERROR, SL_ERROR_INVALID_DATA);
}

static void
test_pkcs7_sign_round_trip(TestPki *pki, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = test_read(pki, "data");
	g_autoptr(GBytes) cert = test_read(pki, "signer.pem");
	g_autoptr(GBytes) key_bytes = test_read(pki, "signer.key");
	g_autoptr(GBytes) ca = test_read(pki, "ca.pem");
	g_autoptr(SlSecretBytes) key =
	    sl_secret_bytes_new_copy(g_bytes_get_data(key_bytes, NULL), g_bytes_get_size(key_bytes));
	g_autoptr(GBytes) sig = sl_pkcs7_sign_detached(data, cert, key, &error);
	g_autofree gchar *sig_path = test_path(pki, "data.p7s");

	g_assert_no_error(error);
	g_assert_nonnull(sig);
	g_assert_true(sl_pkcs7_verify_detached(data, sig, ca, NULL, &error));
	g_assert_no_error(error);
	/* certtool accepts what we made */
	g_assert_true(
	    g_file_set_contents(sig_path, g_bytes_get_data(sig, NULL), (gssize)g_bytes_get_size(sig), NULL));
	test_certtool(pki, "--p7-verify --load-ca-certificate ca.pem --load-data data --infile data.p7s");
}

int
main(int argc, char **argv)
{
	g_autofree gchar *certtool = NULL;

	g_test_init(&argc, &argv, NULL);
	certtool = g_find_program_in_path("certtool");
	if (certtool == NULL) {
		g_test_message("certtool (gnutls-bin) is missing");
		return 77;
	}
#define TEST_ADD(path, fn) g_test_add(path, TestPki, NULL, test_pki_setup, fn, test_pki_teardown)
	TEST_ADD("/pkcs7/certtool-signature", test_pkcs7_certtool_signature);
	TEST_ADD("/pkcs7/issuer-is-the-ca", test_pkcs7_issuer_is_the_ca_not_the_signature);
	TEST_ADD("/pkcs7/changed-bytes", test_pkcs7_changed_bytes);
	TEST_ADD("/pkcs7/other-ca", test_pkcs7_other_ca);
	TEST_ADD("/pkcs7/garbage", test_pkcs7_garbage);
	TEST_ADD("/pkcs7/sign-round-trip", test_pkcs7_sign_round_trip);
	return g_test_run();
}
