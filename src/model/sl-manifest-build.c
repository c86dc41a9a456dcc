/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <unistd.h>

#include "sl-cpu.h"
#include "sl-error.h"
#include "sl-file.h"
#include "sl-hashes-table.h"
#include "sl-manifest-build.h"
#include "sl-ovmf.h"

static SlManifestFile *
sl_manifest_file_new(const gchar *path,
		     const gchar *what,
		     const guint8 sha256[SL_SHA256_SIZE],
		     GError **error)
{
	SlManifestFile *file;
	struct stat st;
	int fd = sl_file_open_regular(path, what, &st, error);

	if (fd < 0)
		return NULL;
	close(fd);
	file = g_new0(SlManifestFile, 1);
	file->name = g_path_get_basename(path);
	file->size = (guint64)st.st_size;
	memcpy(file->sha256, sha256, SL_SHA256_SIZE);
	return file;
}

gboolean
sl_manifest_digest_vmsas(SlLaunchDigest *prefix,
			 const SlVmsaConfig *config,
			 guint32 ap_reset_addr,
			 const guint8 *bsp_page,
			 const guint8 *ap_page,
			 GArray *vcpus,
			 SlManifestDigestFunc func,
			 gpointer user_data,
			 GError **error)
{
	g_autoptr(SlLaunchDigest) digest = sl_launch_digest_copy(prefix, error);
	guint8 bsp[SL_VMSA_SIZE];
	guint8 ap[SL_VMSA_SIZE];
	guint done = 0;

	if (digest == NULL)
		return FALSE;
	if (bsp_page == NULL) {
		sl_vmsa_build_bsp(config, bsp);
		bsp_page = bsp;
	}
	if (ap_page == NULL) {
		sl_vmsa_build_ap(config, ap_reset_addr, ap);
		ap_page = ap;
	}
	for (guint i = 0; i < vcpus->len; i++) {
		guint count = g_array_index(vcpus, guint, i);
		guint8 value[SL_SHA256_SIZE];
		g_return_val_if_fail(count > done, FALSE);
		for (; done < count; done++)
			sl_launch_digest_add_vmsa(digest, done == 0 ? bsp_page : ap_page);
		if (!sl_launch_digest_peek(digest, value, error))
			return FALSE;
		if (!func(config, count, value, user_data, error))
			return FALSE;
	}
	return TRUE;
}

typedef struct {
	SlManifest *manifest;
	const gchar *cpu_name;
} SlManifestBuildContext;

static gboolean
sl_manifest_build_add_cb(const SlVmsaConfig *config,
			 guint vcpus,
			 const guint8 digest[SL_SHA256_SIZE],
			 gpointer user_data,
			 GError **error)
{
	SlManifestBuildContext *ctx = user_data;
	SlManifestEntry *entry = g_new0(SlManifestEntry, 1);

	memcpy(entry->launch_digest, digest, SL_SHA256_SIZE);
	entry->sev_es = TRUE;
	entry->vcpus = vcpus;
	entry->cpu_name = g_strdup(ctx->cpu_name);
	entry->cpu_signature = config->cpu_signature;
	entry->vmsa_variant = config->variant;
	entry->sev_features = config->sev_features;
	g_ptr_array_add(ctx->manifest->entries, entry);
	return TRUE;
}

/* firmware || table: records the inputs on the way */
static SlLaunchDigest *
sl_manifest_build_prefix(const SlManifestSpec *spec, GBytes *image, SlManifest *manifest, GError **error)
{
	g_autoptr(SlLaunchDigest) prefix = sl_launch_digest_new(error);
	guint8 firmware_sha256[SL_SHA256_SIZE];
	SlKernelHashes hashes;
	guint8 table[SL_HASHES_TABLE_PADDED_SIZE];

	if (prefix == NULL)
		return NULL;
	sl_launch_digest_add_firmware(prefix, image);
	/* the digest of the firmware alone is the firmware's SHA-256: no second read */
	if (!sl_launch_digest_peek(prefix, firmware_sha256, error))
		return NULL;
	manifest->firmware = sl_manifest_file_new(spec->firmware, "firmware", firmware_sha256, error);
	if (manifest->firmware == NULL)
		return NULL;
	manifest->firmware->size = g_bytes_get_size(image);
	if (spec->kernel == NULL)
		return g_steal_pointer(&prefix);
	if (!sl_kernel_hashes_compute(spec->kernel, spec->initrd, spec->cmdline, &hashes, error))
		return NULL;
	manifest->kernel = sl_manifest_file_new(spec->kernel, "kernel", hashes.kernel, error);
	if (manifest->kernel == NULL)
		return NULL;
	if (spec->initrd != NULL) {
		manifest->initrd = sl_manifest_file_new(spec->initrd, "initrd", hashes.initrd, error);
		if (manifest->initrd == NULL)
			return NULL;
	}
	manifest->cmdline = g_strdup(spec->cmdline);
	sl_hashes_table_build(&hashes, table);
	sl_launch_digest_add_hashes_table(prefix, table);
	return g_steal_pointer(&prefix);
}

static gboolean
sl_manifest_build_check(const SlManifestSpec *spec, SlOvmf *ovmf, guint32 *reset_addr, GError **error)
{
	if (spec->kernel != NULL && !sl_hashes_table_check_firmware(ovmf, error)) {
		g_prefix_error(error, "the kernel cannot be measured with firmware %s: ", spec->firmware);
		return FALSE;
	}
	if (!spec->sev_es)
		return TRUE;
	if (spec->vcpus == NULL || spec->vcpus->len == 0 || spec->cpus == NULL || spec->cpus->len == 0) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "SEV-ES needs vCPU counts and CPU models");
		return FALSE;
	}
	if (!sl_ovmf_get_sev_es_reset_addr(ovmf, reset_addr) || *reset_addr == 0) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "firmware %s has no usable SEV-ES reset block: it cannot boot an SEV-ES guest",
			    spec->firmware);
		return FALSE;
	}
	return TRUE;
}

static gboolean
sl_manifest_build_sev_es(const SlManifestSpec *spec,
			 SlLaunchDigest *prefix,
			 guint32 reset_addr,
			 SlManifest *manifest,
			 GError **error)
{
	for (guint c = 0; c < spec->cpus->len; c++) {
		SlManifestBuildContext ctx = {manifest, g_ptr_array_index(spec->cpus, c)};
		SlVmsaConfig config = {0};
		if (!sl_cpu_signature_from_name(ctx.cpu_name, &config.cpu_signature, error))
			return FALSE;
		for (guint v = 0; v < spec->variants->len; v++) {
			config.variant = g_array_index(spec->variants, SlVmsaVariant, v);
			for (guint f = 0; f < spec->sev_features->len; f++) {
				config.sev_features = g_array_index(spec->sev_features, guint64, f);
				if (!sl_manifest_digest_vmsas(prefix,
							      &config,
							      reset_addr,
							      NULL,
							      NULL,
							      spec->vcpus,
							      sl_manifest_build_add_cb,
							      &ctx,
							      error))
					return FALSE;
			}
		}
	}
	return TRUE;
}

SlManifest *
sl_manifest_build(const SlManifestSpec *spec, GError **error)
{
	g_autoptr(SlManifest) manifest = sl_manifest_new();
	g_autoptr(SlOvmf) ovmf = NULL;
	g_autoptr(GBytes) image = NULL;
	g_autoptr(SlLaunchDigest) prefix = NULL;
	guint32 reset_addr = 0;

	g_return_val_if_fail(spec->firmware != NULL, NULL);

	if (spec->kernel == NULL && (spec->initrd != NULL || spec->cmdline != NULL)) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "an initrd or command line is measured only with a kernel");
		return NULL;
	}
	/* one read: what is parsed and what is hashed are the same bytes */
	image = sl_ovmf_read_image(spec->firmware, error);
	if (image == NULL)
		return NULL;
	ovmf = sl_ovmf_new_from_bytes(image, error);
	if (ovmf == NULL || !sl_manifest_build_check(spec, ovmf, &reset_addr, error))
		return NULL;
	prefix = sl_manifest_build_prefix(spec, image, manifest, error);
	if (prefix == NULL)
		return NULL;
	manifest->requirements = spec->requirements;
	manifest->has_secret_area =
	    sl_ovmf_get_secret_area(ovmf, &manifest->secret_area_base, &manifest->secret_area_size);
	if (spec->sev_es) {
		if (!sl_manifest_build_sev_es(spec, prefix, reset_addr, manifest, error))
			return NULL;
	} else {
		SlManifestEntry *entry = g_new0(SlManifestEntry, 1);
		g_ptr_array_add(manifest->entries, entry);
		if (!sl_launch_digest_peek(prefix, entry->launch_digest, error))
			return NULL;
	}
	return g_steal_pointer(&manifest);
}
