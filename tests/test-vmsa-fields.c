/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-vmsa-fields.h"

static gchar *
test_diff_names(const guint8 *a, const guint8 *b)
{
	g_autoptr(GPtrArray) names = sl_vmsa_diff(a, b);
	g_ptr_array_add(names, NULL);
	return g_strjoinv(",", (gchar **)names->pdata);
}

static GBytes *
test_load(const gchar *name)
{
	g_autofree gchar *path = g_test_build_filename(G_TEST_DIST, "data", "sevctl", name, NULL);
	g_autofree gchar *data = NULL;
	gsize len = 0;
	g_assert_true(g_file_get_contents(path, &data, &len, NULL));
	g_assert_cmpuint(len, ==, SL_VMSA_SIZE);
	return g_bytes_new(data, len);
}

static void
test_vmsa_fields_legacy_init2(void)
{
	SlVmsaConfig config = {.cpu_signature = 0xa00f11, .variant = SL_VMSA_VARIANT_LEGACY};
	guint8 legacy[SL_VMSA_SIZE];
	guint8 init2[SL_VMSA_SIZE];
	g_autofree gchar *names = NULL;

	sl_vmsa_build_bsp(&config, legacy);
	config.variant = SL_VMSA_VARIANT_INIT2;
	sl_vmsa_build_bsp(&config, init2);
	names = test_diff_names(legacy, init2);
	g_assert_cmpstr(names, ==, "mxcsr,x87_fcw");
}

static void
test_vmsa_fields_sevctl_bsp_ap(void)
{
	g_autoptr(GBytes) bsp = test_load("vmsa0.bin");
	g_autoptr(GBytes) ap = test_load("vmsa1.bin");
	g_autofree gchar *names = test_diff_names(g_bytes_get_data(bsp, NULL), g_bytes_get_data(ap, NULL));
	g_autofree gchar *same = test_diff_names(g_bytes_get_data(bsp, NULL), g_bytes_get_data(bsp, NULL));

	/* the AP starts elsewhere: CS base and RIP */
	g_assert_cmpstr(names, ==, "cs,rip");
	g_assert_cmpstr(same, ==, "");
}

static void
test_vmsa_fields_values(void)
{
	g_autoptr(GBytes) bsp = test_load("vmsa0.bin");
	const guint8 *page = g_bytes_get_data(bsp, NULL);
	guint count = 0;
	const SlVmsaField *fields = sl_vmsa_fields_get(&count);
	gboolean seen_rdx = FALSE;

	for (guint i = 0; i < count; i++) {
		g_autofree gchar *text = sl_vmsa_field_format(&fields[i], page);
		if (g_strcmp0(fields[i].name, "rdx") == 0) {
			/* VECTORS.md: the sevctl VMSAs are for signature 0xa00f11 */
			g_assert_cmpstr(text, ==, "0xa00f11");
			seen_rdx = TRUE;
		} else if (g_strcmp0(fields[i].name, "cs") == 0) {
			g_assert_cmpstr(text, ==, "selector 0xf000 attrib 0x9b limit 0xffff base 0xffff0000");
		} else if (g_strcmp0(fields[i].name, "rip") == 0) {
			g_assert_cmpstr(text, ==, "0xfff0");
		}
	}
	g_assert_true(seen_rdx);
}

static void
test_vmsa_fields_unnamed_bytes(void)
{
	guint8 a[SL_VMSA_SIZE] = {0};
	guint8 b[SL_VMSA_SIZE] = {0};
	g_autofree gchar *names = NULL;

	b[0x800] = 1;
	b[0x801] = 1;
	b[0x3b0] = 0x20;
	names = test_diff_names(a, b);
	g_assert_cmpstr(names, ==, "sev_features,bytes 0x800-0x801");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/vmsa-fields/legacy-init2", test_vmsa_fields_legacy_init2);
	g_test_add_func("/vmsa-fields/sevctl-bsp-ap", test_vmsa_fields_sevctl_bsp_ap);
	g_test_add_func("/vmsa-fields/values", test_vmsa_fields_values);
	g_test_add_func("/vmsa-fields/unnamed-bytes", test_vmsa_fields_unnamed_bytes);
	return g_test_run();
}
