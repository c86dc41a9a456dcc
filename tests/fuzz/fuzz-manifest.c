/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "sl-error.h"
#include "sl-manifest.h"

/*
 * manifests (verify --manifest, manifest show): a manifest that parses is
 * written again by the writer 'manifest build' uses; that text parses, and
 * written once more is the same text (nothing read is lost or changed)
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(SlManifest) manifest = NULL;
	g_autoptr(SlManifest) again = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = NULL;
	g_autofree gchar *json_again = NULL;

	sl_fuzz_init();
	manifest = sl_manifest_new_from_json((const gchar *)data, size, &error);
	if (manifest == NULL) {
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
		return 0;
	}
	g_assert_no_error(error);
	g_assert_nonnull(manifest->firmware);
	for (guint i = 0; i < manifest->entries->len; i++) {
		const SlManifestEntry *entry = g_ptr_array_index(manifest->entries, i);
		g_autofree gchar *text = sl_manifest_entry_describe(entry);
		g_assert_true(text != NULL && text[0] != '\0');
		if (entry->sev_es)
			g_assert_cmpuint(entry->vcpus, >=, 1);
	}

	json = sl_manifest_to_json(manifest);
	again = sl_manifest_new_from_json(json, strlen(json), &error);
	if (again == NULL)
		g_error("fuzz: the manifest written again is refused: %s\n%s", error->message, json);
	g_assert_cmpuint(again->entries->len, ==, manifest->entries->len);
	json_again = sl_manifest_to_json(again);
	g_assert_cmpstr(json_again, ==, json);
	return 0;
}
