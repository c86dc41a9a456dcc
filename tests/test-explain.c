/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-error.h"
#include "sl-explain.h"

#define SEVCTL_OVMF "OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9"
/* VECTORS.md M3, M4 (SEV, api 1.40, build 40, policy 0x3) and M5 (SEV-ES, 4 legacy vCPUs) */
#define M3_BLOB "oMDewIouJSpbpNRHj7Mk3p08H2dPZQdsZMU14qIymBnDE/q1EcIWsVBbGy6pkDxA"
#define M4_BLOB "h3auYbWQnVW7EGLWN4Hf9SN0oEYMPU2sK4bLnefWPwvDE/q1EcIWsVBbGy6pkDxA"
#define M4_CMDLINE "foo bar baz fake kernel=cmdline"
#define M5_BLOB "/o0nzDKE5XgtVnUZWPhUea/WZYrTKLExR7KCwuMdbActvpWfXTFk21KMZIAAhQny"
#define M5_LD "847b5ab6db136ea67dc5a95478ebe7e5ebbe93e9e74bdb1284165f9007a4e367"

static gchar *
test_fixture(const gchar *name)
{
	return g_test_build_filename(G_TEST_DIST, "data", "sevctl", name, NULL);
}

static SlSecretBytes *
test_tik(void)
{
	g_autofree gchar *path = test_fixture("tik1.bin");
	g_autofree gchar *data = NULL;
	gsize len = 0;
	g_assert_true(g_file_get_contents(path, &data, &len, NULL));
	return sl_secret_bytes_new_copy(data, len);
}

/* explains @blob for @artifacts; returns the changes joined by "; ", or NULL if none found */
static gchar *
test_explain(SlLaunchArtifacts *artifacts, gboolean sev_es, const SlLaunchParams *params, const gchar *blob)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSecretBytes) tik = test_tik();
	g_autoptr(SlLaunchDigestPrefix) prefix = NULL;
	g_auto(SlExplanation) explanation = {0};
	guint8 reported[SL_MEASUREMENT_SIZE];
	guint8 mnonce[SL_MNONCE_SIZE];

	artifacts->firmware = test_fixture(SEVCTL_OVMF);
	g_assert_true(sl_launch_artifacts_check(artifacts, &error));
	g_assert_no_error(error);
	prefix = sl_launch_artifacts_hash_prefix(artifacts, &error);
	g_assert_no_error(error);
	g_assert_true(sl_launch_measure_blob_decode(blob, "blob", reported, mnonce, &error));
	g_assert_true(sl_explain_search(artifacts,
					prefix,
					sev_es,
					artifacts->vcpus,
					tik,
					params,
					reported,
					mnonce,
					&explanation,
					&error));
	g_assert_no_error(error);
	g_assert_cmpuint(explanation.candidates, >, 0);
	if (!explanation.found)
		return NULL;
	g_ptr_array_add(explanation.changes, NULL);
	return g_strjoinv("; ", (gchar **)explanation.changes->pdata);
}

static gchar *
test_explain_m5(guint vcpus, const gchar *cpu, guint32 signature, SlVmsaVariant variant, guint64 features)
{
	g_autoptr(SlLaunchArtifacts) artifacts = sl_launch_artifacts_new();
	SlLaunchParams params = {.api_major = 1, .api_minor = 49, .build_id = 6, .policy = 0x5};

	artifacts->vcpus = vcpus;
	artifacts->vmsa_source = SL_VMSA_SOURCE_CPU_SIGNATURE;
	artifacts->cpu_name = g_strdup(cpu);
	artifacts->cpu_signature = signature;
	artifacts->vmsa_variant = variant;
	artifacts->sev_features = features;
	return test_explain(artifacts, TRUE, &params, M5_BLOB);
}

static void
test_explain_vcpus(void)
{
	g_autofree gchar *found = test_explain_m5(2, "EPYC-Milan", 0xa00f11, SL_VMSA_VARIANT_LEGACY, 0);
	g_assert_cmpstr(found, ==, "vCPU count 4 instead of 2");
}

static void
test_explain_cpu(void)
{
	g_autofree gchar *found = test_explain_m5(4, "EPYC-Genoa", 0xa10f10, SL_VMSA_VARIANT_LEGACY, 0);
	g_assert_cmpstr(found, ==, "CPU EPYC-Milan (0xa00f11) instead of EPYC-Genoa (0xa10f10)");
}

static void
test_explain_variant(void)
{
	g_autofree gchar *found = test_explain_m5(4, "EPYC-Milan", 0xa00f11, SL_VMSA_VARIANT_INIT2, 0);
	g_assert_cmpstr(found, ==, "VMSA variant legacy instead of init2");
}

static void
test_explain_features_and_vcpus(void)
{
	g_autofree gchar *found = test_explain_m5(1, "EPYC-Milan", 0xa00f11, SL_VMSA_VARIANT_LEGACY, 0x20);
	g_assert_cmpstr(found, ==, "sev_features 0x0 instead of 0x20; vCPU count 4 instead of 1");
}

static void
test_explain_three_changes_not_found(void)
{
	g_autofree gchar *found = test_explain_m5(2, "EPYC-Genoa", 0xa10f10, SL_VMSA_VARIANT_INIT2, 0);
	g_assert_null(found);
}

static void
test_explain_cmdline_trailing_space(void)
{
	g_autoptr(SlLaunchArtifacts) artifacts = sl_launch_artifacts_new();
	SlLaunchParams params = {.api_major = 1, .api_minor = 40, .build_id = 40, .policy = 0x3};
	g_autofree gchar *found = NULL;

	artifacts->kernel = test_fixture("vmlinuz-fake");
	artifacts->initrd = test_fixture("initrd-fake");
	artifacts->cmdline = g_strdup(M4_CMDLINE " ");
	found = test_explain(artifacts, FALSE, &params, M4_BLOB);
	g_assert_cmpstr(found, ==, "command line without its trailing whitespace");
}

static void
test_explain_kernel_hashes_off(void)
{
	g_autoptr(SlLaunchArtifacts) artifacts = sl_launch_artifacts_new();
	SlLaunchParams params = {.api_major = 1, .api_minor = 40, .build_id = 40, .policy = 0x3};
	g_autofree gchar *found = NULL;

	artifacts->kernel = test_fixture("vmlinuz-fake");
	artifacts->cmdline = g_strdup(M4_CMDLINE);
	found = test_explain(artifacts, FALSE, &params, M3_BLOB);
	g_assert_cmpstr(found, ==, "kernel hashes off");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/explain/vcpus", test_explain_vcpus);
	g_test_add_func("/explain/cpu", test_explain_cpu);
	g_test_add_func("/explain/variant", test_explain_variant);
	g_test_add_func("/explain/features-and-vcpus", test_explain_features_and_vcpus);
	g_test_add_func("/explain/three-changes", test_explain_three_changes_not_found);
	g_test_add_func("/explain/cmdline-trailing-space", test_explain_cmdline_trailing_space);
	g_test_add_func("/explain/kernel-hashes-off", test_explain_kernel_hashes_off);
	return g_test_run();
}
