/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sl-error.h"
#include "sl-manifest-build.h"
#include "sl-manifest.h"

#define SEVCTL_OVMF "OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9"
/* VECTORS.md: M5 (sevctl firmware, 4 legacy vCPUs of 0xa00f11), D4 and D5 (init2, EPYC-v4) */
#define M5_LD "847b5ab6db136ea67dc5a95478ebe7e5ebbe93e9e74bdb1284165f9007a4e367"
#define M5_BLOB "/o0nzDKE5XgtVnUZWPhUea/WZYrTKLExR7KCwuMdbActvpWfXTFk21KMZIAAhQny"
#define D4_LD "13810ae661ea11e2bb205621f582fee268f0367c8f97bc297b7fadef3e12002c"
#define D5_LD "0dccbcaba8e90b261bd0d2e1863a2f9da714768b7b2a19363cd6ae35aa90de91"
#define M4_LD "4b47fec6f851487c33714c8a00a832a1b705ad0a7cac4a647388eccfa9f0c570"

static gchar *
test_hex(const guint8 *data, gsize len)
{
	GString *hex = g_string_new(NULL);
	for (gsize i = 0; i < len; i++)
		g_string_append_printf(hex, "%02x", data[i]);
	return g_string_free(hex, FALSE);
}

static gchar *
test_fixture(const gchar *dir, const gchar *name)
{
	return g_test_build_filename(G_TEST_DIST, "data", dir, name, NULL);
}

static GArray *
test_counts(guint first, guint last)
{
	GArray *counts = g_array_new(FALSE, FALSE, sizeof(guint));
	for (guint n = first; n <= last; n++)
		g_array_append_val(counts, n);
	return counts;
}

/* an SEV-ES spec over one CPU, one variant, features 0 */
static void
test_spec_sev_es(SlManifestSpec *spec, const gchar *cpu, SlVmsaVariant variant, guint max_vcpus)
{
	guint64 features = 0;
	spec->sev_es = TRUE;
	spec->vcpus = test_counts(1, max_vcpus);
	spec->cpus = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(spec->cpus, g_strdup(cpu));
	spec->variants = g_array_new(FALSE, FALSE, sizeof(SlVmsaVariant));
	g_array_append_val(spec->variants, variant);
	spec->sev_features = g_array_new(FALSE, FALSE, sizeof(guint64));
	g_array_append_val(spec->sev_features, features);
}

static void
test_spec_clear(SlManifestSpec *spec)
{
	g_clear_pointer(&spec->vcpus, g_array_unref);
	g_clear_pointer(&spec->cpus, g_ptr_array_unref);
	g_clear_pointer(&spec->variants, g_array_unref);
	g_clear_pointer(&spec->sev_features, g_array_unref);
}

static const SlManifestEntry *
test_entry(SlManifest *manifest, guint index)
{
	g_assert_cmpuint(index, <, manifest->entries->len);
	return g_ptr_array_index(manifest->entries, index);
}

static void
test_assert_entry_digest(SlManifest *manifest, guint index, const gchar *expected)
{
	g_autofree gchar *hex = test_hex(test_entry(manifest, index)->launch_digest, SL_SHA256_SIZE);
	g_assert_cmpstr(hex, ==, expected);
}

static SlManifest *
test_build_m5(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *firmware = test_fixture("sevctl", SEVCTL_OVMF);
	SlManifestSpec spec = {.firmware = firmware};
	SlManifest *manifest;

	test_spec_sev_es(&spec, "EPYC-Milan", SL_VMSA_VARIANT_LEGACY, 4);
	manifest = sl_manifest_build(&spec, &error);
	g_assert_no_error(error);
	g_assert_nonnull(manifest);
	test_spec_clear(&spec);
	return manifest;
}

static void
test_manifest_build_m5(void)
{
	g_autoptr(SlManifest) manifest = test_build_m5();
	const SlManifestEntry *entry;

	g_assert_cmpuint(manifest->entries->len, ==, 4);
	test_assert_entry_digest(manifest, 3, M5_LD);
	entry = test_entry(manifest, 3);
	g_assert_true(entry->sev_es);
	g_assert_cmpuint(entry->vcpus, ==, 4);
	g_assert_cmpuint(entry->cpu_signature, ==, 0xa00f11);
	g_assert_cmpstr(entry->cpu_name, ==, "EPYC-Milan");
	g_assert_cmpstr(manifest->firmware->name, ==, SEVCTL_OVMF);
	g_assert_cmpuint(manifest->firmware->size, ==, 4096);
}

static void
test_manifest_build_d4_d5(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *firmware = test_fixture("sev-snp-measure", "ovmf_AmdSev_suffix.bin");
	g_autofree gchar *tmpdir = g_dir_make_tmp("sl-test-manifest-XXXXXX", NULL);
	g_autofree gchar *empty = g_build_filename(tmpdir, "empty", NULL);
	g_autoptr(SlManifest) manifest = NULL;
	SlManifestSpec spec = {.firmware = firmware, .kernel = empty, .initrd = empty, .cmdline = ""};

	g_assert_true(g_file_set_contents(empty, "", 0, NULL));
	test_spec_sev_es(&spec, "EPYC-v4", SL_VMSA_VARIANT_INIT2, 5);
	manifest = sl_manifest_build(&spec, &error);
	g_assert_no_error(error);
	test_assert_entry_digest(manifest, 0, D4_LD);
	test_assert_entry_digest(manifest, 3, D5_LD);
	g_assert_nonnull(manifest->kernel);
	g_assert_cmpuint(manifest->kernel->size, ==, 0);
	test_spec_clear(&spec);
	g_unlink(empty);
	g_rmdir(tmpdir);
}

static void
test_manifest_build_sev_m4(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *firmware = test_fixture("sevctl", SEVCTL_OVMF);
	g_autofree gchar *kernel = test_fixture("sevctl", "vmlinuz-fake");
	g_autofree gchar *initrd = test_fixture("sevctl", "initrd-fake");
	SlManifestSpec spec = {.firmware = firmware,
			       .kernel = kernel,
			       .initrd = initrd,
			       .cmdline = "foo bar baz fake kernel=cmdline"};
	g_autoptr(SlManifest) manifest = sl_manifest_build(&spec, &error);

	g_assert_no_error(error);
	g_assert_cmpuint(manifest->entries->len, ==, 1);
	g_assert_false(test_entry(manifest, 0)->sev_es);
	test_assert_entry_digest(manifest, 0, M4_LD);
	g_assert_cmpstr(manifest->cmdline, ==, "foo bar baz fake kernel=cmdline");
}

static void
test_manifest_json_round_trip(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlManifest) manifest = test_build_m5();
	g_autoptr(SlManifest) copy = NULL;
	g_autofree gchar *json = NULL;
	g_autofree gchar *again = NULL;

	manifest->requirements.has_min_api = TRUE;
	manifest->requirements.min_api_major = 1;
	manifest->requirements.min_api_minor = 49;
	manifest->requirements.required_policy = 0x5;
	json = sl_manifest_to_json(manifest);
	copy = sl_manifest_new_from_json(json, strlen(json), &error);
	g_assert_no_error(error);
	g_assert_cmpuint(copy->entries->len, ==, 4);
	test_assert_entry_digest(copy, 3, M5_LD);
	g_assert_cmpuint(test_entry(copy, 3)->vcpus, ==, 4);
	g_assert_cmpuint(copy->requirements.min_api_minor, ==, 49);
	g_assert_cmpuint(copy->requirements.required_policy, ==, 0x5);
	again = sl_manifest_to_json(copy);
	g_assert_cmpstr(again, ==, json);
}

static void
test_manifest_parse_refused(void)
{
	const gchar *bad[] = {
	    "[]",
	    "{\"schema_version\": 2, \"kind\": \"sevlaunch-manifest\"}",
	    "{\"schema_version\": \"1\"}",
	    "{\"schema_version\": 1, \"kind\": \"other\"}",
	    "{\"schema_version\": 1, \"kind\": \"sevlaunch-manifest\", \"inputs\": {}}",
	    "{\"schema_version\": 1, \"kind\": \"sevlaunch-manifest\", \"inputs\": {\"firmware\": "
	    "{\"name\": \"f\", \"size\": 1, \"sha256\": \"00\"}}, \"requirements\": {}, \"entries\": []}",
	    "{\"schema_version\": 1, \"kind\": \"sevlaunch-manifest\", \"inputs\": {\"firmware\": "
	    "{\"name\": \"f\", \"size\": -1, \"sha256\": "
	    "\"0000000000000000000000000000000000000000000000000000000000000000\"}}, "
	    "\"requirements\": {}, \"entries\": [{}]}",
	    "{\"schema_version\": 1, \"kind\": \"sevlaunch-manifest\", \"inputs\": {\"firmware\": "
	    "{\"name\": \"f\", \"size\": 1, \"sha256\": "
	    "\"0000000000000000000000000000000000000000000000000000000000000000\"}}, "
	    "\"requirements\": {}, \"entries\": [{\"launch_digest\": "
	    "\"zz00000000000000000000000000000000000000000000000000000000000000\", \"sev_mode\": \"SEV\"}]}",
	    "{\"schema_version\": 1, \"kind\": \"sevlaunch-manifest\", \"inputs\": {\"firmware\": "
	    "{\"name\": \"f\", \"size\": 1, \"sha256\": "
	    "\"0000000000000000000000000000000000000000000000000000000000000000\"}}, "
	    "\"requirements\": {}, \"entries\": [{\"launch_digest\": "
	    "\"0000000000000000000000000000000000000000000000000000000000000000\", \"sev_mode\": "
	    "\"SEV-ES\", \"vcpus\": 1, \"cpu\": {\"name\": \"x\", \"signature\": 1}, \"vmsa_variant\": "
	    "\"modern\", \"sev_features\": 0}]}",
	    /* both a bad vcpus and no cpu: one error, not one set over the other (a GLib warning) */
	    "{\"schema_version\": 1, \"kind\": \"sevlaunch-manifest\", \"inputs\": {\"firmware\": "
	    "{\"name\": \"f\", \"size\": 1, \"sha256\": "
	    "\"0000000000000000000000000000000000000000000000000000000000000000\"}}, "
	    "\"requirements\": {}, \"entries\": [{\"launch_digest\": "
	    "\"0000000000000000000000000000000000000000000000000000000000000000\", \"sev_mode\": "
	    "\"SEV-ES\", \"vcpus\": 0}]}",
	    "not json",
	};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SlManifest) manifest = sl_manifest_new_from_json(bad[i], strlen(bad[i]), &error);
		g_assert_null(manifest);
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
		g_assert_true(g_str_has_prefix(error->message, "manifest"));
	}
}

static void
test_manifest_match(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlManifest) manifest = test_build_m5();
	g_autofree gchar *tik_path = test_fixture("sevctl", "tik1.bin");
	g_autofree gchar *tik_data = NULL;
	g_autoptr(SlSecretBytes) tik = NULL;
	SlLaunchParams params = {.api_major = 1, .api_minor = 49, .build_id = 6, .policy = 0x5};
	guint8 reported[SL_MEASUREMENT_SIZE];
	guint8 mnonce[SL_MNONCE_SIZE];
	gsize len = 0;
	guint compared = 0;
	gint index = -2;

	g_assert_true(g_file_get_contents(tik_path, &tik_data, &len, NULL));
	tik = sl_secret_bytes_new_copy(tik_data, len);
	g_assert_true(sl_launch_measure_blob_decode(M5_BLOB, "blob", reported, mnonce, &error));
	g_assert_true(sl_manifest_match(manifest, tik, &params, reported, mnonce, &index, &compared, &error));
	g_assert_no_error(error);
	g_assert_cmpint(index, ==, 3);
	g_assert_cmpuint(compared, ==, 4);

	/* another build id: no entry matches */
	params.build_id = 7;
	g_assert_true(sl_manifest_match(manifest, tik, &params, reported, mnonce, &index, &compared, &error));
	g_assert_cmpint(index, ==, -1);

	/* an SEV policy is compared against no SEV-ES entry */
	params.build_id = 6;
	params.policy = 0x1;
	g_assert_true(sl_manifest_match(manifest, tik, &params, reported, mnonce, &index, &compared, &error));
	g_assert_cmpint(index, ==, -1);
	g_assert_cmpuint(compared, ==, 0);
}

static void
test_manifest_build_refused(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *x64 = test_fixture("sev-snp-measure", "ovmf_OvmfX64_suffix.bin");
	g_autofree gchar *kernel = test_fixture("sevctl", "vmlinuz-fake");
	SlManifestSpec spec = {.firmware = x64, .kernel = kernel};
	g_autoptr(SlManifest) manifest = sl_manifest_build(&spec, &error);

	/* VECTORS.md: this firmware has no usable kernel hashes area */
	g_assert_null(manifest);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/manifest/build-m5", test_manifest_build_m5);
	g_test_add_func("/manifest/build-d4-d5", test_manifest_build_d4_d5);
	g_test_add_func("/manifest/build-sev-m4", test_manifest_build_sev_m4);
	g_test_add_func("/manifest/build-refused", test_manifest_build_refused);
	g_test_add_func("/manifest/json-round-trip", test_manifest_json_round_trip);
	g_test_add_func("/manifest/parse-refused", test_manifest_parse_refused);
	g_test_add_func("/manifest/match", test_manifest_match);
	return g_test_run();
}
