/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-amd-keys.h"
#include "sl-error.h"
#include "sl-sev-cert.h"

/* the built-in keys against the fixtures in tests/data (see its PROVENANCE.md) */

static GBytes *
read_fixture(const gchar *generation, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path =
	    g_test_build_filename(G_TEST_DIST, "data", "amd-certs", "builtin", generation, name, NULL);
	gchar *contents = NULL;
	gsize len = 0;

	g_file_get_contents(path, &contents, &len, &error);
	g_assert_no_error(error);
	return g_bytes_new_take(contents, len);
}

static void
test_generations(void)
{
	const gchar *const want[] = {"naples", "rome", "milan", "genoa", "turin", NULL};
	const gchar *const *generations = sl_amd_keys_get_generations();

	g_assert_cmpstrv(generations, want);
}

static void
test_lookup(void)
{
	const gchar *const *generations = sl_amd_keys_get_generations();

	for (guint i = 0; generations[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) ark = sl_amd_keys_lookup(generations[i], SL_SEV_USAGE_ARK, &error);
		g_autoptr(GBytes) ask = NULL;
		g_autoptr(GBytes) ark_fixture = read_fixture(generations[i], "ark.cert");
		g_autoptr(GBytes) ask_fixture = read_fixture(generations[i], "ask.cert");

		g_assert_no_error(error);
		ask = sl_amd_keys_lookup(generations[i], SL_SEV_USAGE_ASK, &error);
		g_assert_no_error(error);
		/* the built-in copy is the fixture, byte for byte */
		g_assert_true(g_bytes_equal(ark, ark_fixture));
		g_assert_true(g_bytes_equal(ask, ask_fixture));
	}
}

static void
test_lookup_refused(void)
{
	const gchar *bad[] = {"../naples", "Naples", "", "naples/", NULL};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = sl_amd_keys_lookup(bad[i], SL_SEV_USAGE_ARK, &error);
		g_assert_null(bytes);
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, "known: naples, rome"));
	}
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = sl_amd_keys_lookup("rome", SL_SEV_USAGE_CEK, &error);
		g_assert_null(bytes);
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/amd-keys/generations", test_generations);
	g_test_add_func("/amd-keys/lookup", test_lookup);
	g_test_add_func("/amd-keys/lookup-refused", test_lookup_refused);
	return g_test_run();
}
