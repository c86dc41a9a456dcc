/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-crypto.h"
#include "sl-error.h"
#include "sl-file.h"
#include "sl-launch-artifacts.h"

SlLaunchArtifacts *
sl_launch_artifacts_new(void)
{
	SlLaunchArtifacts *self = g_new0(SlLaunchArtifacts, 1);
	self->vmsa_variant = SL_VMSA_VARIANT_LEGACY;
	return self;
}

void
sl_launch_artifacts_free(SlLaunchArtifacts *self)
{
	if (self == NULL)
		return;
	g_free(self->firmware);
	g_free(self->kernel);
	g_free(self->initrd);
	g_free(self->cmdline);
	g_free(self->cpu_name);
	g_free(self->vmsa_cpu0);
	g_free(self->vmsa_cpu1);
	g_clear_pointer(&self->firmware_image, g_bytes_unref);
	g_clear_pointer(&self->ovmf, sl_ovmf_free);
	g_clear_pointer(&self->vmsa_cpu0_page, g_bytes_unref);
	g_clear_pointer(&self->vmsa_cpu1_page, g_bytes_unref);
	g_free(self);
}

void
sl_launch_digest_prefix_free(SlLaunchDigestPrefix *self)
{
	if (self == NULL)
		return;
	g_clear_pointer(&self->digest, sl_launch_digest_free);
	g_clear_pointer(&self->firmware_digest, sl_launch_digest_free);
	g_free(self);
}

/* a missing kernel or a FIFO as initrd is found now, not on the hashing thread */
static gboolean
sl_launch_artifacts_check_readable(const gchar *path, const gchar *what, GError **error)
{
	g_auto(SlFd) fd = -1;
	if (path == NULL)
		return TRUE;
	fd = sl_file_open_regular(path, what, NULL, error);
	return fd >= 0;
}

/*
 * one read through one descriptor: the footer table, the secret area and the
 * reset address are parsed from the very bytes the digest will hash (the
 * file may change while QMP round trips run; what is hashed is what was checked)
 */
static gboolean
sl_launch_artifacts_read_firmware(SlLaunchArtifacts *self, GError **error)
{
	g_clear_pointer(&self->ovmf, sl_ovmf_free);
	g_clear_pointer(&self->firmware_image, g_bytes_unref);
	/* sl-ovmf names the file in its errors */
	self->firmware_image = sl_ovmf_read_image(self->firmware, error);
	if (self->firmware_image == NULL)
		return FALSE;
	self->ovmf = sl_ovmf_new_from_bytes(self->firmware_image, error);
	if (self->ovmf == NULL) {
		g_prefix_error(error, "firmware %s: ", self->firmware);
		return FALSE;
	}
	return TRUE;
}

gboolean
sl_launch_artifacts_check(SlLaunchArtifacts *self, GError **error)
{
	if (self->firmware == NULL) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "no firmware image");
		return FALSE;
	}
	/* QEMU measures initrd and cmdline only as part of the kernel hashes table */
	if (self->kernel == NULL && self->initrd != NULL) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "an initrd needs a kernel");
		return FALSE;
	}
	if (self->kernel == NULL && self->cmdline != NULL) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "a kernel command line needs a kernel");
		return FALSE;
	}
	/* the BSP VMSA is always measured; the AP's only with two or more vCPUs */
	if (self->vmsa_source == SL_VMSA_SOURCE_FILES && self->vmsa_cpu0 == NULL) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "an AP VMSA file needs the BSP VMSA file");
		return FALSE;
	}
	if (!sl_launch_artifacts_read_firmware(self, error))
		return FALSE;
	if (self->kernel != NULL && !sl_hashes_table_check_firmware(self->ovmf, error)) {
		g_prefix_error(error, "a kernel cannot be measured with firmware %s: ", self->firmware);
		return FALSE;
	}
	if (!sl_launch_artifacts_check_readable(self->kernel, "kernel", error) ||
	    !sl_launch_artifacts_check_readable(self->initrd, "initrd", error))
		return FALSE;
	if (self->vmsa_source == SL_VMSA_SOURCE_FILES) {
		g_clear_pointer(&self->vmsa_cpu0_page, g_bytes_unref);
		g_clear_pointer(&self->vmsa_cpu1_page, g_bytes_unref);
		self->vmsa_cpu0_page = sl_file_load_exact(self->vmsa_cpu0, "VMSA file", SL_VMSA_SIZE, error);
		if (self->vmsa_cpu0_page == NULL)
			return FALSE;
		if (self->vmsa_cpu1 != NULL) {
			self->vmsa_cpu1_page =
			    sl_file_load_exact(self->vmsa_cpu1, "VMSA file", SL_VMSA_SIZE, error);
			if (self->vmsa_cpu1_page == NULL)
				return FALSE;
		}
	}
	return TRUE;
}

gboolean
sl_launch_artifacts_has_sev_es_inputs(const SlLaunchArtifacts *self)
{
	return self->vcpus != 0 || self->vmsa_source != SL_VMSA_SOURCE_NONE || self->vmsa_knobs_given;
}

gboolean
sl_launch_artifacts_check_sev_es(SlLaunchArtifacts *self, guint vcpus, GError **error)
{
	guint32 reset_addr = 0;

	if (vcpus == 0) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "SEV-ES needs the vCPU count");
		return FALSE;
	}
	if (self->vmsa_source == SL_VMSA_SOURCE_NONE) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "SEV-ES needs the vCPU state: a CPU model, family/model/stepping, "
				    "signature or the VMSA pages");
		return FALSE;
	}
	if (self->vmsa_source == SL_VMSA_SOURCE_FILES && self->vmsa_cpu1 == NULL && vcpus > 1) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "%u vCPUs measure the AP VMSA too, but only the BSP VMSA file was given",
			    vcpus);
		return FALSE;
	}
	/* QEMU refuses to start an SEV-ES guest whose firmware lacks the AP reset block */
	if (!sl_ovmf_get_sev_es_reset_addr(self->ovmf, &reset_addr)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "firmware %s has no SEV-ES reset block: it cannot boot an SEV-ES guest",
			    self->firmware);
		return FALSE;
	}
	/* QEMU refuses a zero AP reset address too */
	if (reset_addr == 0 && self->vmsa_source == SL_VMSA_SOURCE_CPU_SIGNATURE) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "firmware %s has an SEV-ES reset block with AP reset address 0",
			    self->firmware);
		return FALSE;
	}
	return TRUE;
}

SlLaunchDigestPrefix *
sl_launch_artifacts_hash_prefix(SlLaunchArtifacts *self, GError **error)
{
	g_autoptr(SlLaunchDigestPrefix) prefix = g_new0(SlLaunchDigestPrefix, 1);

	prefix->digest = sl_launch_digest_new(error);
	if (prefix->digest == NULL)
		return NULL;
	/* the bytes sl_launch_artifacts_check() parsed, never the file again */
	g_return_val_if_fail(self->firmware_image != NULL, NULL);
	sl_launch_digest_add_firmware(prefix->digest, self->firmware_image);
	/* a context copy is cheap; hashing the firmware again is not */
	prefix->firmware_digest = sl_launch_digest_copy(prefix->digest, error);
	if (prefix->firmware_digest == NULL)
		return NULL;
	if (self->kernel != NULL) {
		guint8 table[SL_HASHES_TABLE_PADDED_SIZE];
		if (!sl_kernel_hashes_compute(
			self->kernel, self->initrd, self->cmdline, &prefix->kernel_hashes, error))
			return NULL;
		sl_hashes_table_build(&prefix->kernel_hashes, table);
		sl_launch_digest_add_hashes_table(prefix->digest, table);
		prefix->has_kernel_hashes = TRUE;
	}
	return g_steal_pointer(&prefix);
}

static void
sl_launch_artifacts_hash_prefix_thread_cb(GTask *task,
					  gpointer source_object,
					  gpointer task_data,
					  GCancellable *cancellable)
{
	SlLaunchArtifacts *paths = task_data;
	GError *error = NULL;
	SlLaunchDigestPrefix *prefix = sl_launch_artifacts_hash_prefix(paths, &error);
	if (prefix == NULL) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_pointer(task, prefix, (GDestroyNotify)sl_launch_digest_prefix_free);
}

/*
 * the thread works on its own copy of the paths, so the caller may give up
 * (a timeout) and free @self while a large initrd is still being hashed
 */
void
sl_launch_artifacts_hash_prefix_async(SlLaunchArtifacts *self,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);
	SlLaunchArtifacts *paths = sl_launch_artifacts_new();

	paths->firmware = g_strdup(self->firmware);
	paths->firmware_image = g_bytes_ref(self->firmware_image);
	paths->kernel = g_strdup(self->kernel);
	paths->initrd = g_strdup(self->initrd);
	paths->cmdline = g_strdup(self->cmdline);
	g_task_set_source_tag(task, sl_launch_artifacts_hash_prefix_async);
	g_task_set_task_data(task, paths, (GDestroyNotify)sl_launch_artifacts_free);
	g_task_run_in_thread(task, sl_launch_artifacts_hash_prefix_thread_cb);
}

SlLaunchDigestPrefix *
sl_launch_artifacts_hash_prefix_finish(SlLaunchArtifacts *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

GPtrArray *
sl_launch_artifacts_build_vmsas(SlLaunchArtifacts *self, guint vcpus, GError **error)
{
	g_autoptr(GPtrArray) vmsas = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	g_autoptr(GBytes) bsp = NULL;
	g_autoptr(GBytes) ap = NULL;

	if (!sl_launch_artifacts_check_sev_es(self, vcpus, error))
		return NULL;
	if (self->vmsa_source == SL_VMSA_SOURCE_FILES) {
		/* loaded and size-checked by sl_launch_artifacts_check(); no AP page for one vCPU */
		bsp = g_bytes_ref(self->vmsa_cpu0_page);
		if (self->vmsa_cpu1_page != NULL)
			ap = g_bytes_ref(self->vmsa_cpu1_page);
	} else {
		SlVmsaConfig config = {
		    .cpu_signature = self->cpu_signature,
		    .variant = self->vmsa_variant,
		    .sev_features = self->sev_features,
		};
		guint32 reset_addr = 0;
		guint8 *page = g_malloc0(SL_VMSA_SIZE);
		sl_vmsa_build_bsp(&config, page);
		bsp = g_bytes_new_take(page, SL_VMSA_SIZE);
		(void)sl_ovmf_get_sev_es_reset_addr(self->ovmf, &reset_addr);
		page = g_malloc0(SL_VMSA_SIZE);
		sl_vmsa_build_ap(&config, reset_addr, page);
		ap = g_bytes_new_take(page, SL_VMSA_SIZE);
	}
	g_ptr_array_add(vmsas, g_bytes_ref(bsp));
	for (guint i = 1; i < vcpus; i++)
		g_ptr_array_add(vmsas, g_bytes_ref(ap));
	return g_steal_pointer(&vmsas);
}

/* "vmsa": where the vCPU state came from and what it hashed to */
static void
sl_launch_artifacts_describe_vmsas(SlLaunchArtifacts *self, GPtrArray *vmsas, SlReport *report)
{
	guint8 hash[SL_SHA256_SIZE];

	sl_report_begin_object(report, "vmsa");
	if (self->vmsa_source == SL_VMSA_SOURCE_FILES) {
		sl_report_add_string(report, "source", "files");
		sl_report_begin_object(report, "files");
		sl_report_add_string(report, "cpu0", self->vmsa_cpu0);
		sl_report_add_string(report, "cpu1", self->vmsa_cpu1);
		sl_report_end_object(report);
	} else {
		sl_report_add_string(report, "source", "built");
		sl_report_begin_object(report, "cpu");
		sl_report_add_string(report, "name", self->cpu_name);
		sl_report_add_uint_hex(report, "signature", self->cpu_signature);
		sl_report_end_object(report);
		sl_report_add_string(report, "variant", sl_vmsa_variant_to_string(self->vmsa_variant));
		sl_report_add_uint_hex(report, "sev_features", self->sev_features);
	}
	for (guint i = 0; i < MIN(vmsas->len, 2); i++) {
		GBytes *vmsa = g_ptr_array_index(vmsas, i);
		gsize len = 0;
		const guint8 *data = g_bytes_get_data(vmsa, &len);
		if (sl_sha256_buffer(data, len, hash, NULL))
			sl_report_add_hex(report, i == 0 ? "cpu0_sha256" : "ap_sha256", hash, sizeof(hash));
	}
	sl_report_end_object(report);
}

gboolean
sl_launch_artifacts_finish_digest(SlLaunchArtifacts *self,
				  SlLaunchDigestPrefix *prefix,
				  gboolean sev_es,
				  guint vcpus,
				  guint8 digest[SL_SHA256_SIZE],
				  SlReport *report,
				  GError **error)
{
	g_autoptr(GPtrArray) vmsas = NULL;

	if (sev_es) {
		vmsas = sl_launch_artifacts_build_vmsas(self, vcpus, error);
		if (vmsas == NULL)
			return FALSE;
		for (guint i = 0; i < vmsas->len; i++)
			sl_launch_digest_add_vmsa(prefix->digest,
						  g_bytes_get_data(g_ptr_array_index(vmsas, i), NULL));
	}
	sl_launch_digest_finish(prefix->digest, digest);
	g_clear_pointer(&prefix->digest, sl_launch_digest_free);
	if (report != NULL) {
		/* "guest" may hold what QEMU said already: this continues it */
		sl_report_begin_object(report, "guest");
		sl_report_add_string(report, "sev_mode", sev_es ? "SEV-ES" : "SEV");
		if (vcpus > 0)
			sl_report_add_uint(report, "vcpus", vcpus);
		else if (!sl_report_has_member(report, "vcpus"))
			sl_report_add_null(report, "vcpus");
		sl_report_end_object(report);
		if (vmsas != NULL)
			sl_launch_artifacts_describe_vmsas(self, vmsas, report);
	}
	return TRUE;
}

/* a file the digest covers: its path and SHA-256 */
static void
sl_launch_artifacts_describe_file(SlReport *report, const gchar *key, const gchar *path, const guint8 *sha256)
{
	sl_report_begin_object(report, key);
	sl_report_add_string(report, "path", path);
	sl_report_add_hex(report, "sha256", sha256, SL_SHA256_SIZE);
	sl_report_end_object(report);
}

void
sl_launch_artifacts_describe(SlLaunchArtifacts *self,
			     const SlLaunchDigestPrefix *prefix,
			     gboolean hash_firmware,
			     SlReport *report)
{
	guint8 hash[SL_SHA256_SIZE];

	sl_report_begin_object(report, "artifacts");
	sl_report_begin_object(report, "firmware");
	sl_report_add_string(report, "path", self->firmware);
	sl_report_add_uint(report, "size", sl_ovmf_get_image_size(self->ovmf));
	/* of the bytes read once, paid only when a report asks for it */
	if (hash_firmware && sl_sha256_buffer(g_bytes_get_data(self->firmware_image, NULL),
					      g_bytes_get_size(self->firmware_image),
					      hash,
					      NULL))
		sl_report_add_hex(report, "sha256", hash, sizeof(hash));
	sl_report_end_object(report);
	sl_report_add_bool(report, "kernel_hashes", prefix != NULL && prefix->has_kernel_hashes);
	if (prefix != NULL && prefix->has_kernel_hashes) {
		sl_launch_artifacts_describe_file(
		    report, "kernel", self->kernel, prefix->kernel_hashes.kernel);
		sl_launch_artifacts_describe_file(
		    report, "initrd", self->initrd, prefix->kernel_hashes.initrd);
		sl_report_begin_object(report, "cmdline");
		sl_report_add_string(report, "text", self->cmdline);
		sl_report_add_hex(report, "sha256", prefix->kernel_hashes.cmdline, SL_SHA256_SIZE);
		sl_report_end_object(report);
	}
	sl_report_end_object(report);
}
