/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-cpu.h"
#include "sl-error.h"
#include "sl-explain.h"
#include "sl-manifest-build.h"

/* one way the kernel hashes table may differ from what was given */
typedef struct {
	gboolean has_table;
	guint8 table[SL_HASHES_TABLE_PADDED_SIZE];
	guint changes;
	GPtrArray *what; /* of gchar * */
} SlExplainTable;

/* one way the VMSAs may differ, before the vCPU count */
typedef struct {
	SlVmsaConfig config;
	guint changes;
	GPtrArray *what;
} SlExplainVmsa;

typedef struct {
	SlHmacSha256 *prepared;
	const guint8 *reported;
	const guint8 *mnonce;
	guint given_vcpus;
	guint base_changes;
	GPtrArray *base_what; /* table's and VMSA's changes */
	guint best_changes;   /* G_MAXUINT: none found */
	SlExplanation *explanation;
} SlExplainSearch;

void
sl_explanation_clear(SlExplanation *self)
{
	g_clear_pointer(&self->changes, g_ptr_array_unref);
}

static void
sl_explain_table_free(SlExplainTable *table)
{
	g_ptr_array_unref(table->what);
	g_free(table);
}

static void
sl_explain_vmsa_free(SlExplainVmsa *vmsa)
{
	g_ptr_array_unref(vmsa->what);
	g_free(vmsa);
}

/* a candidate: compared only if it is within reach and better than the best so far */
static gboolean
sl_explain_try(SlExplainSearch *search,
	       const guint8 digest[SL_SHA256_SIZE],
	       guint changes,
	       const gchar *extra,
	       GError **error)
{
	guint8 measurement[SL_MEASUREMENT_SIZE];
	SlExplanation *out = search->explanation;

	if (changes > SL_EXPLAIN_MAX_CHANGES || changes >= search->best_changes)
		return TRUE;
	if (!sl_measurement_compute_prepared(search->prepared, digest, search->mnonce, measurement, error))
		return FALSE;
	out->candidates++;
	if (!sl_memeq_secret(measurement, search->reported, SL_MEASUREMENT_SIZE))
		return TRUE;
	search->best_changes = changes;
	out->found = TRUE;
	memcpy(out->launch_digest, digest, SL_SHA256_SIZE);
	g_clear_pointer(&out->changes, g_ptr_array_unref);
	out->changes = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < search->base_what->len; i++)
		g_ptr_array_add(out->changes, g_strdup(g_ptr_array_index(search->base_what, i)));
	if (extra != NULL)
		g_ptr_array_add(out->changes, g_strdup(extra));
	return TRUE;
}

static gboolean
sl_explain_vcpus_cb(const SlVmsaConfig *config,
		    guint vcpus,
		    const guint8 digest[SL_SHA256_SIZE],
		    gpointer user_data,
		    GError **error)
{
	SlExplainSearch *search = user_data;
	g_autofree gchar *what = NULL;

	if (vcpus == search->given_vcpus)
		return sl_explain_try(search, digest, search->base_changes, NULL, error);
	what = g_strdup_printf("vCPU count %u instead of %u", vcpus, search->given_vcpus);
	return sl_explain_try(search, digest, search->base_changes + 1, what, error);
}

static void
sl_explain_add_table(GPtrArray *tables, const SlKernelHashes *hashes, guint changes, GPtrArray *what)
{
	SlExplainTable *table = g_new0(SlExplainTable, 1);
	table->changes = changes;
	table->what = what;
	if (hashes != NULL) {
		table->has_table = TRUE;
		sl_hashes_table_build(hashes, table->table);
	}
	g_ptr_array_add(tables, table);
}

/* the command lines to try, with what each changes; index 0 is the given one */
static void
sl_explain_cmdlines(const gchar *given, GPtrArray *cmdlines, GPtrArray *whats)
{
	const gchar *base = given != NULL ? given : "";
	g_autofree gchar *stripped = g_strdup(base);

	g_ptr_array_add(cmdlines, g_strdup(base));
	g_ptr_array_add(whats, NULL);
	g_ptr_array_add(cmdlines, g_strconcat(base, " ", NULL));
	g_ptr_array_add(whats, g_strdup("command line with a trailing space"));
	g_ptr_array_add(cmdlines, g_strconcat(base, "\n", NULL));
	g_ptr_array_add(whats, g_strdup("command line with a trailing newline"));
	g_strchomp(stripped);
	if (g_strcmp0(stripped, base) != 0) {
		g_ptr_array_add(cmdlines, g_steal_pointer(&stripped));
		g_ptr_array_add(whats, g_strdup("command line without its trailing whitespace"));
	}
}

static GPtrArray *
sl_explain_what_new(const gchar *first, const gchar *second)
{
	GPtrArray *what = g_ptr_array_new_with_free_func(g_free);
	if (first != NULL)
		g_ptr_array_add(what, g_strdup(first));
	if (second != NULL)
		g_ptr_array_add(what, g_strdup(second));
	return what;
}

static GPtrArray *
sl_explain_tables(SlLaunchArtifacts *artifacts, const SlLaunchDigestPrefix *prefix, GError **error)
{
	GPtrArray *tables = g_ptr_array_new_with_free_func((GDestroyNotify)sl_explain_table_free);
	g_autoptr(GPtrArray) cmdlines = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) whats = g_ptr_array_new_with_free_func(g_free);
	guint initrd_options = artifacts->initrd != NULL ? 2 : 1;

	if (!prefix->has_kernel_hashes) {
		sl_explain_add_table(tables, NULL, 0, sl_explain_what_new(NULL, NULL));
		return tables;
	}
	sl_explain_add_table(tables, NULL, 1, sl_explain_what_new("kernel hashes off", NULL));
	sl_explain_cmdlines(artifacts->cmdline, cmdlines, whats);
	for (guint i = 0; i < initrd_options; i++) {
		for (guint c = 0; c < cmdlines->len; c++) {
			SlKernelHashes hashes = prefix->kernel_hashes;
			const gchar *cmdline = g_ptr_array_index(cmdlines, c);
			if (i == 1 && !sl_sha256_buffer("", 0, hashes.initrd, error))
				return NULL;
			/* QEMU hashes the command line with its NUL */
			if (c > 0 && !sl_sha256_buffer(cmdline, strlen(cmdline) + 1, hashes.cmdline, error))
				return NULL;
			sl_explain_add_table(
			    tables,
			    &hashes,
			    i + (c > 0),
			    sl_explain_what_new(i == 1 ? "no initrd" : NULL, g_ptr_array_index(whats, c)));
		}
	}
	return tables;
}

static void
sl_explain_add_vmsa(GPtrArray *vmsas,
		    const SlVmsaConfig *config,
		    const SlLaunchArtifacts *given,
		    const gchar *cpu_name)
{
	SlExplainVmsa *vmsa = g_new0(SlExplainVmsa, 1);
	vmsa->config = *config;
	vmsa->what = g_ptr_array_new_with_free_func(g_free);
	if (config->cpu_signature != given->cpu_signature) {
		g_ptr_array_add(vmsa->what,
				g_strdup_printf("CPU %s (0x%x) instead of %s (0x%x)",
						cpu_name,
						config->cpu_signature,
						given->cpu_name != NULL ? given->cpu_name : "the one given",
						given->cpu_signature));
	}
	if (config->variant != given->vmsa_variant)
		g_ptr_array_add(vmsa->what,
				g_strdup_printf("VMSA variant %s instead of %s",
						sl_vmsa_variant_to_string(config->variant),
						sl_vmsa_variant_to_string(given->vmsa_variant)));
	if (config->sev_features != given->sev_features)
		g_ptr_array_add(vmsa->what,
				g_strdup_printf("sev_features 0x%" G_GINT64_MODIFIER
						"x instead of 0x%" G_GINT64_MODIFIER "x",
						config->sev_features,
						given->sev_features));
	vmsa->changes = vmsa->what->len;
	g_ptr_array_add(vmsas, vmsa);
}

/* with VMSA files only the vCPU count varies; built VMSAs vary in CPU, variant, features */
static GPtrArray *
sl_explain_vmsas(const SlLaunchArtifacts *artifacts)
{
	GPtrArray *vmsas = g_ptr_array_new_with_free_func((GDestroyNotify)sl_explain_vmsa_free);
	g_autoptr(GPtrArray) models = sl_cpu_get_distinct_models();
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	g_autoptr(GArray) signatures = g_array_new(FALSE, FALSE, sizeof(guint32));
	SlVmsaConfig config = {0};

	g_ptr_array_add(names, artifacts->cpu_name != NULL ? artifacts->cpu_name : "given");
	g_array_append_val(signatures, artifacts->cpu_signature);
	for (guint i = 0; artifacts->vmsa_source == SL_VMSA_SOURCE_CPU_SIGNATURE && i < models->len; i++) {
		guint32 signature = 0;
		(void)sl_cpu_signature_from_name(g_ptr_array_index(models, i), &signature, NULL);
		if (signature == artifacts->cpu_signature)
			continue;
		g_ptr_array_add(names, g_ptr_array_index(models, i));
		g_array_append_val(signatures, signature);
	}
	for (guint c = 0; c < signatures->len; c++) {
		config.cpu_signature = g_array_index(signatures, guint32, c);
		for (guint v = 0; v < 2; v++) {
			config.variant = v == 0 ? artifacts->vmsa_variant
						: (artifacts->vmsa_variant == SL_VMSA_VARIANT_LEGACY
						       ? SL_VMSA_VARIANT_INIT2
						       : SL_VMSA_VARIANT_LEGACY);
			for (guint f = 0; f < 2; f++) {
				config.sev_features =
				    artifacts->sev_features ^ (f == 0 ? 0 : SL_VMSA_SEV_FEATURE_DEBUG_SWAP);
				sl_explain_add_vmsa(vmsas, &config, artifacts, g_ptr_array_index(names, c));
				if (artifacts->vmsa_source == SL_VMSA_SOURCE_FILES)
					return vmsas;
			}
		}
	}
	return vmsas;
}

/* 1..64, and the given count beyond; just 1 without an AP page */
static GArray *
sl_explain_vcpu_counts(guint given, gboolean has_ap)
{
	GArray *counts = g_array_new(FALSE, FALSE, sizeof(guint));
	guint max = has_ap ? MAX(given, SL_EXPLAIN_MAX_VCPUS) : 1;
	for (guint n = 1; n <= max; n++)
		g_array_append_val(counts, n);
	return counts;
}

static GPtrArray *
sl_explain_what_concat(GPtrArray *a, GPtrArray *b)
{
	GPtrArray *what = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < a->len; i++)
		g_ptr_array_add(what, g_strdup(g_ptr_array_index(a, i)));
	for (guint i = 0; b != NULL && i < b->len; i++)
		g_ptr_array_add(what, g_strdup(g_ptr_array_index(b, i)));
	return what;
}

static gboolean
sl_explain_search_table(SlExplainSearch *search,
			SlLaunchArtifacts *artifacts,
			SlLaunchDigest *digest,
			const SlExplainTable *table,
			GPtrArray *vmsas,
			GArray *counts,
			GError **error)
{
	const guint8 *bsp = NULL;
	const guint8 *ap = NULL;
	guint32 reset_addr = 0;

	if (artifacts->vmsa_source == SL_VMSA_SOURCE_FILES) {
		bsp = g_bytes_get_data(artifacts->vmsa_cpu0_page, NULL);
		ap = g_bytes_get_data(artifacts->vmsa_cpu1_page, NULL);
	}
	(void)sl_ovmf_get_sev_es_reset_addr(artifacts->ovmf, &reset_addr);
	for (guint i = 0; i < vmsas->len; i++) {
		const SlExplainVmsa *vmsa = g_ptr_array_index(vmsas, i);
		g_autoptr(GPtrArray) what = NULL;
		guint changes = table->changes + vmsa->changes;
		/* nothing here can beat what was found, or stay within two changes */
		if (changes > SL_EXPLAIN_MAX_CHANGES || changes >= search->best_changes)
			continue;
		what = sl_explain_what_concat(table->what, vmsa->what);
		search->base_changes = changes;
		search->base_what = what;
		if (!sl_manifest_digest_vmsas(digest,
					      &vmsa->config,
					      reset_addr,
					      bsp,
					      ap,
					      counts,
					      sl_explain_vcpus_cb,
					      search,
					      error))
			return FALSE;
	}
	return TRUE;
}

gboolean
sl_explain_search(SlLaunchArtifacts *artifacts,
		  const SlLaunchDigestPrefix *prefix,
		  gboolean sev_es,
		  guint vcpus,
		  SlSecretBytes *tik,
		  const SlLaunchParams *params,
		  const guint8 reported[SL_MEASUREMENT_SIZE],
		  const guint8 mnonce[SL_MNONCE_SIZE],
		  SlExplanation *explanation,
		  GError **error)
{
	g_autoptr(SlHmacSha256) prepared = sl_measurement_prepare(tik, params, error);
	g_autoptr(GPtrArray) tables = NULL;
	g_autoptr(GPtrArray) vmsas = NULL;
	g_autoptr(GArray) counts = NULL;
	SlExplainSearch search = {0};

	g_return_val_if_fail(prefix->firmware_digest != NULL, FALSE);

	if (prepared == NULL)
		return FALSE;
	tables = sl_explain_tables(artifacts, prefix, error);
	if (tables == NULL)
		return FALSE;
	memset(explanation, 0, sizeof(*explanation));
	search.prepared = prepared;
	search.reported = reported;
	search.mnonce = mnonce;
	search.given_vcpus = vcpus;
	search.best_changes = G_MAXUINT;
	search.explanation = explanation;
	if (sev_es) {
		vmsas = sl_explain_vmsas(artifacts);
		/* a BSP file alone says nothing of more vCPUs */
		counts = sl_explain_vcpu_counts(vcpus,
						artifacts->vmsa_source != SL_VMSA_SOURCE_FILES ||
						    artifacts->vmsa_cpu1_page != NULL);
	}
	for (guint t = 0; t < tables->len; t++) {
		const SlExplainTable *table = g_ptr_array_index(tables, t);
		g_autoptr(SlLaunchDigest) digest = sl_launch_digest_copy(prefix->firmware_digest, error);
		guint8 value[SL_SHA256_SIZE];

		if (digest == NULL)
			return FALSE;
		if (table->has_table)
			sl_launch_digest_add_hashes_table(digest, table->table);
		if (sev_es) {
			if (!sl_explain_search_table(&search, artifacts, digest, table, vmsas, counts, error))
				return FALSE;
			continue;
		}
		search.base_what = table->what;
		if (!sl_launch_digest_peek(digest, value, error) ||
		    !sl_explain_try(&search, value, table->changes, NULL, error))
			return FALSE;
	}
	return TRUE;
}
