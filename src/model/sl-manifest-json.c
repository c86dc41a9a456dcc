/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "sl-error.h"
#include "sl-manifest.h"

static gchar *
sl_manifest_hex(const guint8 *data, gsize len)
{
	GString *hex = g_string_sized_new(len * 2 + 1);
	for (gsize i = 0; i < len; i++)
		g_string_append_printf(hex, "%02x", data[i]);
	return g_string_free(hex, FALSE);
}

static void
sl_manifest_json_add_file(JsonBuilder *builder, const gchar *member, const SlManifestFile *file)
{
	g_autofree gchar *hex = NULL;
	if (file == NULL)
		return;
	hex = sl_manifest_hex(file->sha256, SL_SHA256_SIZE);
	json_builder_set_member_name(builder, member);
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "name");
	json_builder_add_string_value(builder, file->name);
	json_builder_set_member_name(builder, "size");
	json_builder_add_int_value(builder, (gint64)file->size);
	json_builder_set_member_name(builder, "sha256");
	json_builder_add_string_value(builder, hex);
	json_builder_end_object(builder);
}

static void
sl_manifest_json_add_requirements(JsonBuilder *builder, const SlLaunchRequirements *req)
{
	json_builder_set_member_name(builder, "requirements");
	json_builder_begin_object(builder);
	if (req->has_min_api) {
		json_builder_set_member_name(builder, "min_api_version");
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "major");
		json_builder_add_int_value(builder, req->min_api_major);
		json_builder_set_member_name(builder, "minor");
		json_builder_add_int_value(builder, req->min_api_minor);
		json_builder_end_object(builder);
	}
	if (req->has_min_build_id) {
		json_builder_set_member_name(builder, "min_build_id");
		json_builder_add_int_value(builder, req->min_build_id);
	}
	if (req->required_policy != 0) {
		g_auto(GStrv) names = sl_launch_policy_to_names(req->required_policy);
		json_builder_set_member_name(builder, "required_policy");
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "bits");
		json_builder_add_int_value(builder, req->required_policy);
		json_builder_set_member_name(builder, "names");
		json_builder_begin_array(builder);
		for (guint i = 0; names[i] != NULL; i++)
			json_builder_add_string_value(builder, names[i]);
		json_builder_end_array(builder);
		json_builder_end_object(builder);
	}
	json_builder_end_object(builder);
}

static void
sl_manifest_json_add_entry(JsonBuilder *builder, guint index, const SlManifestEntry *entry)
{
	g_autofree gchar *hex = sl_manifest_hex(entry->launch_digest, SL_SHA256_SIZE);

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "index");
	json_builder_add_int_value(builder, index);
	json_builder_set_member_name(builder, "launch_digest");
	json_builder_add_string_value(builder, hex);
	json_builder_set_member_name(builder, "sev_mode");
	json_builder_add_string_value(builder, entry->sev_es ? "SEV-ES" : "SEV");
	if (entry->sev_es) {
		json_builder_set_member_name(builder, "vcpus");
		json_builder_add_int_value(builder, entry->vcpus);
		json_builder_set_member_name(builder, "cpu");
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "name");
		json_builder_add_string_value(builder, entry->cpu_name);
		json_builder_set_member_name(builder, "signature");
		json_builder_add_int_value(builder, entry->cpu_signature);
		json_builder_end_object(builder);
		json_builder_set_member_name(builder, "vmsa_variant");
		json_builder_add_string_value(builder, sl_vmsa_variant_to_string(entry->vmsa_variant));
		json_builder_set_member_name(builder, "sev_features");
		json_builder_add_int_value(builder, (gint64)entry->sev_features);
	}
	json_builder_end_object(builder);
}

gchar *
sl_manifest_to_json(const SlManifest *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "schema_version");
	json_builder_add_int_value(builder, SL_MANIFEST_SCHEMA_VERSION);
	json_builder_set_member_name(builder, "kind");
	json_builder_add_string_value(builder, SL_MANIFEST_KIND);
	json_builder_set_member_name(builder, "inputs");
	json_builder_begin_object(builder);
	sl_manifest_json_add_file(builder, "firmware", self->firmware);
	sl_manifest_json_add_file(builder, "kernel", self->kernel);
	sl_manifest_json_add_file(builder, "initrd", self->initrd);
	if (self->cmdline != NULL) {
		json_builder_set_member_name(builder, "cmdline");
		json_builder_add_string_value(builder, self->cmdline);
	}
	json_builder_set_member_name(builder, "kernel_hashes");
	json_builder_add_boolean_value(builder, self->kernel != NULL);
	if (self->has_secret_area) {
		json_builder_set_member_name(builder, "secret_area");
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "base");
		json_builder_add_int_value(builder, self->secret_area_base);
		json_builder_set_member_name(builder, "size");
		json_builder_add_int_value(builder, self->secret_area_size);
		json_builder_end_object(builder);
	}
	json_builder_end_object(builder);
	sl_manifest_json_add_requirements(builder, &self->requirements);
	json_builder_set_member_name(builder, "entries");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->entries->len; i++)
		sl_manifest_json_add_entry(builder, i, g_ptr_array_index(self->entries, i));
	json_builder_end_array(builder);
	json_builder_end_object(builder);
	root = json_builder_get_root(builder);
	json_generator_set_root(generator, root);
	json_generator_set_pretty(generator, TRUE);
	return json_generator_to_data(generator, NULL);
}
