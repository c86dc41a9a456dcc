/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "sl-cpu.h"
#include "sl-error.h"
#include "sl-manifest.h"

/* far beyond any sensible list of combinations; a bound on memory */
#define SL_MANIFEST_MAX_ENTRIES (1024 * 1024)

/*
 * the manifest as read back: every member's type is checked before it is
 * read (json-glib's plain getters emit criticals on the wrong type), and
 * every error says which member was wrong
 */

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlManifestEntry, sl_manifest_entry_free)

static gboolean
sl_manifest_fail(GError **error, const gchar *where, const gchar *what)
{
	g_set_error(error, SL_ERROR, SL_ERROR_INVALID_DATA, "manifest: %s %s", where, what);
	return FALSE;
}

static JsonNode *
sl_manifest_member(JsonObject *obj, const gchar *where, const gchar *name, gboolean optional, GError **error)
{
	JsonNode *node = json_object_get_member(obj, name);
	if (node == NULL && !optional) {
		g_autofree gchar *what = g_strdup_printf("has no member '%s'", name);
		sl_manifest_fail(error, where, what);
	}
	return node;
}

static JsonObject *
sl_manifest_get_object(
    JsonObject *obj, const gchar *where, const gchar *name, gboolean optional, GError **error)
{
	JsonNode *node = sl_manifest_member(obj, where, name, optional, error);
	if (node == NULL)
		return NULL;
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_autofree gchar *what = g_strdup_printf("member '%s' is not an object", name);
		sl_manifest_fail(error, where, what);
		return NULL;
	}
	return json_node_get_object(node);
}

static const gchar *
sl_manifest_get_string(
    JsonObject *obj, const gchar *where, const gchar *name, gboolean optional, GError **error)
{
	JsonNode *node = sl_manifest_member(obj, where, name, optional, error);
	if (node == NULL)
		return NULL;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING) {
		g_autofree gchar *what = g_strdup_printf("member '%s' is not a string", name);
		sl_manifest_fail(error, where, what);
		return NULL;
	}
	return json_node_get_string(node);
}

static gboolean
sl_manifest_get_uint(
    JsonObject *obj, const gchar *where, const gchar *name, guint64 max, guint64 *out, GError **error)
{
	JsonNode *node = sl_manifest_member(obj, where, name, FALSE, error);
	gint64 value;
	if (node == NULL)
		return FALSE;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_INT64) {
		g_autofree gchar *what = g_strdup_printf("member '%s' is not an integer", name);
		return sl_manifest_fail(error, where, what);
	}
	value = json_node_get_int(node);
	if (value < 0 || (guint64)value > max) {
		g_autofree gchar *what = g_strdup_printf("member '%s' is out of range", name);
		return sl_manifest_fail(error, where, what);
	}
	*out = (guint64)value;
	return TRUE;
}

static gboolean
sl_manifest_get_sha256(JsonObject *obj, const gchar *where, const gchar *name, guint8 *out, GError **error)
{
	const gchar *hex = sl_manifest_get_string(obj, where, name, FALSE, error);
	if (hex == NULL)
		return FALSE;
	if (strlen(hex) != SL_SHA256_SIZE * 2) {
		g_autofree gchar *what = g_strdup_printf("member '%s' is not 64 hex digits", name);
		return sl_manifest_fail(error, where, what);
	}
	for (guint i = 0; i < SL_SHA256_SIZE; i++) {
		gint hi = g_ascii_xdigit_value(hex[2 * i]);
		gint lo = g_ascii_xdigit_value(hex[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			g_autofree gchar *what = g_strdup_printf("member '%s' is not 64 hex digits", name);
			return sl_manifest_fail(error, where, what);
		}
		out[i] = (guint8)((hi << 4) | lo);
	}
	return TRUE;
}

static gboolean
sl_manifest_parse_file(
    JsonObject *inputs, const gchar *name, gboolean optional, SlManifestFile **out, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *where = g_strdup_printf("inputs.%s", name);
	JsonObject *obj = sl_manifest_get_object(inputs, "inputs", name, optional, &error_local);
	const gchar *file_name;
	guint64 size = 0;
	guint8 sha256[SL_SHA256_SIZE];
	SlManifestFile *file;

	if (obj == NULL) {
		if (error_local == NULL)
			return TRUE;
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	file_name = sl_manifest_get_string(obj, where, "name", FALSE, error);
	if (file_name == NULL || !sl_manifest_get_uint(obj, where, "size", G_MAXINT64, &size, error) ||
	    !sl_manifest_get_sha256(obj, where, "sha256", sha256, error))
		return FALSE;
	file = g_new0(SlManifestFile, 1);
	file->name = g_strdup(file_name);
	file->size = size;
	memcpy(file->sha256, sha256, SL_SHA256_SIZE);
	*out = file;
	return TRUE;
}

static gboolean
sl_manifest_parse_inputs(JsonObject *root, SlManifest *self, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	JsonObject *inputs = sl_manifest_get_object(root, "document", "inputs", FALSE, error);
	const gchar *cmdline;

	if (inputs == NULL || !sl_manifest_parse_file(inputs, "firmware", FALSE, &self->firmware, error) ||
	    !sl_manifest_parse_file(inputs, "kernel", TRUE, &self->kernel, error) ||
	    !sl_manifest_parse_file(inputs, "initrd", TRUE, &self->initrd, error))
		return FALSE;
	cmdline = sl_manifest_get_string(inputs, "inputs", "cmdline", TRUE, &error_local);
	if (error_local != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	self->cmdline = g_strdup(cmdline);
	if (json_object_has_member(inputs, "secret_area")) {
		JsonObject *area = sl_manifest_get_object(inputs, "inputs", "secret_area", FALSE, error);
		guint64 base = 0, size = 0;
		if (area == NULL ||
		    !sl_manifest_get_uint(area, "inputs.secret_area", "base", G_MAXUINT32, &base, error) ||
		    !sl_manifest_get_uint(area, "inputs.secret_area", "size", G_MAXUINT32, &size, error))
			return FALSE;
		self->has_secret_area = TRUE;
		self->secret_area_base = (guint32)base;
		self->secret_area_size = (guint32)size;
	}
	return TRUE;
}

static gboolean
sl_manifest_parse_requirements(JsonObject *root, SlLaunchRequirements *req, GError **error)
{
	JsonObject *obj = sl_manifest_get_object(root, "document", "requirements", FALSE, error);
	JsonObject *api;
	JsonObject *policy;
	guint64 value = 0;

	if (obj == NULL)
		return FALSE;
	if (json_object_has_member(obj, "min_api_version")) {
		guint64 minor = 0;
		api = sl_manifest_get_object(obj, "requirements", "min_api_version", FALSE, error);
		if (api == NULL ||
		    !sl_manifest_get_uint(
			api, "requirements.min_api_version", "major", G_MAXUINT8, &value, error) ||
		    !sl_manifest_get_uint(
			api, "requirements.min_api_version", "minor", G_MAXUINT8, &minor, error))
			return FALSE;
		req->has_min_api = TRUE;
		req->min_api_major = (guint8)value;
		req->min_api_minor = (guint8)minor;
	}
	if (json_object_has_member(obj, "min_build_id")) {
		if (!sl_manifest_get_uint(obj, "requirements", "min_build_id", G_MAXUINT8, &value, error))
			return FALSE;
		req->has_min_build_id = TRUE;
		req->min_build_id = (guint8)value;
	}
	if (json_object_has_member(obj, "required_policy")) {
		policy = sl_manifest_get_object(obj, "requirements", "required_policy", FALSE, error);
		if (policy == NULL ||
		    !sl_manifest_get_uint(
			policy, "requirements.required_policy", "bits", G_MAXUINT32, &value, error))
			return FALSE;
		req->required_policy = (guint32)value;
	}
	return TRUE;
}

static gboolean
sl_manifest_parse_sev_es(JsonObject *obj, const gchar *where, SlManifestEntry *entry, GError **error)
{
	g_autofree gchar *cpu_where = g_strdup_printf("%s.cpu", where);
	JsonObject *cpu = NULL;
	const gchar *name;
	const gchar *variant;
	guint64 value = 0;

	if (!sl_manifest_get_uint(obj, where, "vcpus", G_MAXUINT16, &value, error))
		return FALSE;
	if (value == 0)
		return sl_manifest_fail(error, where, "has 0 vCPUs");
	entry->vcpus = (guint)value;
	/* only now: a missing cpu and a bad vcpus would both set @error */
	cpu = sl_manifest_get_object(obj, where, "cpu", FALSE, error);
	if (cpu == NULL)
		return FALSE;
	name = sl_manifest_get_string(cpu, cpu_where, "name", FALSE, error);
	if (name == NULL || !sl_manifest_get_uint(cpu, cpu_where, "signature", G_MAXUINT32, &value, error))
		return FALSE;
	entry->cpu_name = g_strdup(name);
	entry->cpu_signature = (guint32)value;
	variant = sl_manifest_get_string(obj, where, "vmsa_variant", FALSE, error);
	if (variant == NULL)
		return FALSE;
	if (!sl_vmsa_variant_from_string(variant, &entry->vmsa_variant, NULL))
		return sl_manifest_fail(error, where, "has a vmsa_variant that is neither legacy nor init2");
	if (!sl_manifest_get_uint(obj, where, "sev_features", G_MAXINT64, &value, error))
		return FALSE;
	entry->sev_features = value;
	return TRUE;
}

static gboolean
sl_manifest_parse_entry(JsonNode *node, guint index, SlManifest *self, GError **error)
{
	g_autofree gchar *where = g_strdup_printf("entry %u", index);
	g_autoptr(SlManifestEntry) entry = g_new0(SlManifestEntry, 1);
	const gchar *mode;
	JsonObject *obj;

	if (!JSON_NODE_HOLDS_OBJECT(node))
		return sl_manifest_fail(error, where, "is not an object");
	obj = json_node_get_object(node);
	if (!sl_manifest_get_sha256(obj, where, "launch_digest", entry->launch_digest, error))
		return FALSE;
	mode = sl_manifest_get_string(obj, where, "sev_mode", FALSE, error);
	if (mode == NULL)
		return FALSE;
	if (g_strcmp0(mode, "SEV-ES") == 0) {
		entry->sev_es = TRUE;
		if (!sl_manifest_parse_sev_es(obj, where, entry, error))
			return FALSE;
	} else if (g_strcmp0(mode, "SEV") != 0) {
		return sl_manifest_fail(error, where, "has a sev_mode that is neither SEV nor SEV-ES");
	}
	g_ptr_array_add(self->entries, g_steal_pointer(&entry));
	return TRUE;
}

static gboolean
sl_manifest_parse_root(JsonNode *root_node, SlManifest *self, GError **error)
{
	JsonObject *root;
	JsonNode *entries;
	JsonArray *array;
	guint64 version = 0;
	const gchar *kind;

	if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT(root_node))
		return sl_manifest_fail(error, "document", "is not a JSON object");
	root = json_node_get_object(root_node);
	if (!sl_manifest_get_uint(root, "document", "schema_version", G_MAXUINT32, &version, error))
		return FALSE;
	if (version != SL_MANIFEST_SCHEMA_VERSION) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "manifest: schema_version %" G_GUINT64_FORMAT
			    " is not %u, the one this sevlaunch reads",
			    version,
			    (guint)SL_MANIFEST_SCHEMA_VERSION);
		return FALSE;
	}
	kind = sl_manifest_get_string(root, "document", "kind", FALSE, error);
	if (kind == NULL)
		return FALSE;
	if (g_strcmp0(kind, SL_MANIFEST_KIND) != 0)
		return sl_manifest_fail(error, "document", "is not a sevlaunch manifest (kind)");
	if (!sl_manifest_parse_inputs(root, self, error) ||
	    !sl_manifest_parse_requirements(root, &self->requirements, error))
		return FALSE;
	entries = sl_manifest_member(root, "document", "entries", FALSE, error);
	if (entries == NULL)
		return FALSE;
	if (!JSON_NODE_HOLDS_ARRAY(entries))
		return sl_manifest_fail(error, "document", "member 'entries' is not an array");
	array = json_node_get_array(entries);
	if (json_array_get_length(array) == 0 || json_array_get_length(array) > SL_MANIFEST_MAX_ENTRIES)
		return sl_manifest_fail(error, "document", "has no entries, or too many");
	for (guint i = 0; i < json_array_get_length(array); i++) {
		if (!sl_manifest_parse_entry(json_array_get_element(array, i), i, self, error))
			return FALSE;
	}
	return TRUE;
}

SlManifest *
sl_manifest_new_from_json(const gchar *data, gsize len, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new_immutable();
	g_autoptr(SlManifest) self = sl_manifest_new();
	g_autoptr(GError) error_local = NULL;

	if (len > G_MAXSSIZE || !json_parser_load_from_data(parser, data, (gssize)len, &error_local)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "manifest is not valid JSON: %s",
			    error_local != NULL ? error_local->message : "too large");
		return NULL;
	}
	if (!sl_manifest_parse_root(json_parser_get_root(parser), self, error))
		return NULL;
	return g_steal_pointer(&self);
}
