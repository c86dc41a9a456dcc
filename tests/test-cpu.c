/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-cpu.h"
#include "sl-error.h"

/*
 * expected signatures are CPUID 1 EAX values worked out by hand from the
 * family/model/stepping in QEMU's target/i386/cpu.c builtin_x86_defs
 * (qemu/qemu 0048035a870312f2fd0f3dd28115398d26e419bb):
 *   EPYC       .family = 23, .model = 1,  .stepping = 2 -> 0x00800f12
 *   EPYC-Rome  .family = 23, .model = 49, .stepping = 0 -> 0x00830f10
 *   EPYC-Milan .family = 25, .model = 1,  .stepping = 1 -> 0x00a00f11
 *   EPYC-Genoa .family = 25, .model = 17, .stepping = 0 -> 0x00a10f10
 * (QEMU's Genoa model has stepping 0, unlike Genoa B1 silicon's 0xa10f11)
 * and EPYC-Turin .family = 26, .model = 0, .stepping = 0 -> 0x00b00f00 from
 * the qemu-devel patch that added it
 */
static void
test_cpu_names(void)
{
	static const struct {
		const gchar *name;
		guint32 signature;
	} cases[] = {
	    {"EPYC", 0x800f12},
	    {"EPYC-v1", 0x800f12},
	    {"EPYC-v4", 0x800f12},
	    {"EPYC-IBPB", 0x800f12},
	    {"EPYC-Rome", 0x830f10},
	    {"EPYC-Rome-v4", 0x830f10},
	    {"EPYC-Milan", 0xa00f11},
	    {"EPYC-Milan-v2", 0xa00f11},
	    {"EPYC-Genoa", 0xa10f10},
	    {"EPYC-Turin", 0xb00f00},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		guint32 signature = 0;
		gboolean ret = sl_cpu_signature_from_name(cases[i].name, &signature, &error);
		g_assert_no_error(error);
		g_assert_true(ret);
		if (signature != cases[i].signature)
			g_test_message("%s: got 0x%x", cases[i].name, signature);
		g_assert_cmphex(signature, ==, cases[i].signature);
	}
}

static void
test_cpu_names_list(void)
{
	const gchar *const *names = sl_cpu_get_names();
	guint n = 0;

	g_assert_nonnull(names);
	g_assert_true(g_strv_contains(names, "EPYC"));
	g_assert_true(g_strv_contains(names, "EPYC-v4"));
	g_assert_true(g_strv_contains(names, "EPYC-Rome"));
	g_assert_true(g_strv_contains(names, "EPYC-Milan-v1"));
	g_assert_true(g_strv_contains(names, "EPYC-Genoa"));
	g_assert_false(g_strv_contains(names, "epyc"));

	/* every listed name resolves */
	for (; names[n] != NULL; n++) {
		g_autoptr(GError) error = NULL;
		guint32 signature = 0;
		g_assert_true(sl_cpu_signature_from_name(names[n], &signature, &error));
		g_assert_no_error(error);
		g_assert_cmphex(signature, !=, 0);
	}
	g_assert_cmpuint(n, >=, 14);
	/* the same list every time */
	g_assert_true(sl_cpu_get_names() == names);
}

static void
test_cpu_unknown_name(void)
{
	static const gchar *bad[] = {"epyc", "EPYC-Milan-v9", "EPYC ", "", "Skylake-Server"};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		guint32 signature = 0x1234;
		g_assert_false(sl_cpu_signature_from_name(bad[i], &signature, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
		/* the message says what would have worked */
		g_assert_nonnull(strstr(error->message, "EPYC-Milan"));
		g_assert_cmphex(signature, ==, 0x1234);
	}
	{
		g_autoptr(GError) error = NULL;
		guint32 signature = 0;
		g_assert_false(sl_cpu_signature_from_name(NULL, &signature, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
	}
}

/* values from the AMD and Intel CPUID tables, encoded by hand */
static void
test_cpu_fms(void)
{
	static const struct {
		gint64 family;
		gint64 model;
		gint64 stepping;
		guint32 signature;
	} cases[] = {
	    {25, 1, 1, 0x00a00f11},   /* Milan B1 */
	    {23, 49, 0, 0x00830f10},  /* Rome */
	    {23, 1, 2, 0x00800f12},   /* Naples B2 */
	    {25, 17, 1, 0x00a10f11},  /* Genoa B1 silicon */
	    {6, 85, 4, 0x00050654},   /* Skylake-SP: family 6 keeps ext family 0 */
	    {15, 107, 1, 0x00060fb1}, /* QEMU's "max" TCG default: family 15, no ext family */
	    {16, 2, 3, 0x00100f23},   /* Opteron_G3: first extended family */
	    {0, 0, 0, 0x00000000},
	    {270, 255, 15, 0x0fff0fff}, /* every field at its maximum */
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		guint32 signature = 0xdeadbeef;
		g_assert_true(sl_cpu_signature_from_fms(
		    cases[i].family, cases[i].model, cases[i].stepping, &signature, &error));
		g_assert_no_error(error);
		g_assert_cmphex(signature, ==, cases[i].signature);
	}
}

static void
test_cpu_fms_range(void)
{
	static const gint64 bad[][3] = {
	    {271, 0, 0},
	    {-1, 0, 0},
	    {25, 256, 0},
	    {25, -1, 0},
	    {25, 1, 16},
	    {25, 1, -1},
	    {G_MAXINT64, 1, 1},
	    {G_MININT64, 1, 1},
	    {25, G_MAXINT64, 1},
	    {25, 1, G_MAXINT64},
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		guint32 signature = 0x1234;
		g_assert_false(
		    sl_cpu_signature_from_fms(bad[i][0], bad[i][1], bad[i][2], &signature, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
		g_assert_cmphex(signature, ==, 0x1234);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cpu/names", test_cpu_names);
	g_test_add_func("/cpu/names-list", test_cpu_names_list);
	g_test_add_func("/cpu/unknown-name", test_cpu_unknown_name);
	g_test_add_func("/cpu/fms", test_cpu_fms);
	g_test_add_func("/cpu/fms-range", test_cpu_fms_range);
	return g_test_run();
}
