/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-error.h"
#include "sl-file.h"
#include "sl-manifest.h"
#include "sl-pkcs7.h"

void
sl_manifest_file_free(SlManifestFile *file)
{
	if (file == NULL)
		return;
	g_free(file->name);
	g_free(file);
}

void
sl_manifest_entry_free(SlManifestEntry *entry)
{
	if (entry == NULL)
		return;
	g_free(entry->cpu_name);
	g_free(entry);
}

SlManifest *
sl_manifest_new(void)
{
	SlManifest *self = g_new0(SlManifest, 1);
	self->entries = g_ptr_array_new_with_free_func((GDestroyNotify)sl_manifest_entry_free);
	return self;
}

void
sl_manifest_free(SlManifest *self)
{
	if (self == NULL)
		return;
	sl_manifest_file_free(self->firmware);
	sl_manifest_file_free(self->kernel);
	sl_manifest_file_free(self->initrd);
	g_free(self->cmdline);
	g_ptr_array_unref(self->entries);
	g_free(self);
}

gchar *
sl_manifest_entry_describe(const SlManifestEntry *entry)
{
	if (!entry->sev_es)
		return g_strdup("SEV");
	return g_strdup_printf("SEV-ES, %u vCPU%s, %s (0x%x), %s, sev_features 0x%" G_GINT64_MODIFIER "x",
			       entry->vcpus,
			       entry->vcpus == 1 ? "" : "s",
			       entry->cpu_name != NULL ? entry->cpu_name : "CPU",
			       entry->cpu_signature,
			       sl_vmsa_variant_to_string(entry->vmsa_variant),
			       entry->sev_features);
}

gboolean
sl_manifest_match(const SlManifest *self,
		  SlSecretBytes *tik,
		  const SlLaunchParams *params,
		  const guint8 reported[SL_MEASUREMENT_SIZE],
		  const guint8 mnonce[SL_MNONCE_SIZE],
		  gint *index,
		  guint *compared,
		  GError **error)
{
	g_autoptr(SlHmacSha256) prepared = sl_measurement_prepare(tik, params, error);
	gboolean sev_es = (params->policy & SL_POLICY_ES) != 0;
	guint found = G_MAXUINT;
	guint tried = 0;

	if (prepared == NULL)
		return FALSE;
	for (guint i = 0; i < self->entries->len; i++) {
		const SlManifestEntry *entry = g_ptr_array_index(self->entries, i);
		guint8 expected[SL_MEASUREMENT_SIZE];
		guint equal;
		guint mask;

		/* the mode is public (the policy says it); the digests are compared blind */
		if (entry->sev_es != sev_es)
			continue;
		if (!sl_measurement_compute_prepared(prepared, entry->launch_digest, mnonce, expected, error))
			return FALSE;
		equal = sl_memeq_secret(expected, reported, SL_MEASUREMENT_SIZE) ? 1 : 0;
		sl_wipe(expected, sizeof(expected));
		/* no branch on the outcome, and every entry is tried */
		mask = 0u - equal;
		found = (mask & i) | (~mask & found);
		tried++;
	}
	*index = found == G_MAXUINT ? -1 : (gint)found;
	*compared = tried;
	return TRUE;
}

SlManifest *
sl_manifest_load(const gchar *path,
		 const gchar *signature_path,
		 const gchar *ca_path,
		 gchar **signer_issuer,
		 GError **error)
{
	g_autoptr(GBytes) data = sl_file_load_whole(path, "manifest", SL_MANIFEST_MAX_SIZE, error);
	gsize len = 0;
	const gchar *text;

	if (data == NULL)
		return NULL;
	/* the bytes checked are the bytes parsed: one read of the file */
	if (signature_path != NULL) {
		g_autoptr(GBytes) signature =
		    sl_file_load_whole(signature_path, "manifest signature", SL_MANIFEST_MAX_SIZE, error);
		g_autoptr(GBytes) ca = NULL;
		if (signature == NULL)
			return NULL;
		ca = sl_file_load_whole(ca_path, "manifest CA", SL_MANIFEST_MAX_SIZE, error);
		if (ca == NULL)
			return NULL;
		if (!sl_pkcs7_verify_detached(data, signature, ca, signer_issuer, error)) {
			g_prefix_error(error, "manifest %s: ", path);
			return NULL;
		}
	}
	text = g_bytes_get_data(data, &len);
	return sl_manifest_new_from_json(text, len, error);
}
