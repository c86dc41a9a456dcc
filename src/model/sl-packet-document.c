/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-base64.h"
#include "sl-error.h"
#include "sl-json-read.h"
#include "sl-packet-document.h"
#include "sl-report.h"

/* QEMU takes gpa as a signed 64-bit value */
#define SL_PACKET_DOCUMENT_MAX_GPA G_MAXINT64
/* the secret table is at most a few pages; its base64 with room to spare */
#define SL_PACKET_DOCUMENT_MAX_PAYLOAD (256 * 1024)

void
sl_packet_document_free(SlPacketDocument *self)
{
	if (self == NULL)
		return;
	g_free(self->header_base64);
	g_free(self->payload_base64);
	g_clear_pointer(&self->secrets, g_ptr_array_unref);
	g_free(self);
}

static void
sl_packet_document_add_hex(JsonBuilder *builder, const gchar *name, const guint8 *data, gsize len)
{
	GString *hex = g_string_sized_new(len * 2 + 1);
	for (gsize i = 0; i < len; i++)
		g_string_append_printf(hex, "%02x", data[i]);
	json_builder_set_member_name(builder, name);
	json_builder_add_string_value(builder, hex->str);
	g_string_free(hex, TRUE);
}

gchar *
sl_packet_document_build(const SlSecretPacket *packet,
			 const SlSecretTable *table,
			 const guint8 measurement[SL_MEASUREMENT_SIZE],
			 const guint8 mnonce[SL_MNONCE_SIZE],
			 gboolean has_gpa,
			 guint64 gpa)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *text = NULL;

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "schema_version");
	json_builder_add_int_value(builder, SL_REPORT_SCHEMA_VERSION);
	json_builder_set_member_name(builder, "document");
	json_builder_add_string_value(builder, "packet");
	sl_packet_document_add_hex(builder, "measurement", measurement, SL_MEASUREMENT_SIZE);
	sl_packet_document_add_hex(builder, "mnonce", mnonce, SL_MNONCE_SIZE);
	json_builder_set_member_name(builder, "packet_header");
	json_builder_add_string_value(builder, packet->header_base64);
	json_builder_set_member_name(builder, "secret");
	json_builder_add_string_value(builder, packet->payload_base64);
	json_builder_set_member_name(builder, "secret_gpa");
	if (has_gpa)
		json_builder_add_int_value(builder, (gint64)gpa);
	else
		json_builder_add_null_value(builder);
	json_builder_set_member_name(builder, "secrets");
	json_builder_begin_array(builder);
	for (guint i = 0; i < sl_secret_table_get_count(table); i++) {
		g_autofree gchar *guid = sl_guid_to_string(sl_secret_table_get_guid(table, i));
		json_builder_add_string_value(builder, guid);
	}
	json_builder_end_array(builder);
	json_builder_end_object(builder);
	root = json_builder_get_root(builder);
	json_generator_set_root(generator, root);
	text = json_generator_to_data(generator, NULL);
	return g_strdup_printf("%s\n", text);
}

static gboolean
sl_packet_document_parse_envelope(JsonObject *root, GError **error)
{
	gint64 version = 0;
	const gchar *document = NULL;

	if (!sl_json_read_int(root, NULL, "schema_version", FALSE, 0, G_MAXINT32, &version, error) ||
	    !sl_json_read_string(root, NULL, "document", FALSE, &document, error))
		return FALSE;
	if (version != SL_REPORT_SCHEMA_VERSION || g_strcmp0(document, "packet") != 0) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "not a version %d packet document",
			    SL_REPORT_SCHEMA_VERSION);
		return FALSE;
	}
	return TRUE;
}

/* header and payload must be what QEMU will accept: checked here, before anyone connects */
static gboolean
sl_packet_document_parse_packet(SlPacketDocument *self, JsonObject *root, GError **error)
{
	const gchar *header = NULL, *payload = NULL;
	g_autoptr(GBytes) header_bytes = NULL;
	g_autoptr(GBytes) payload_bytes = NULL;

	if (!sl_json_read_string(root, NULL, "packet_header", FALSE, &header, error) ||
	    !sl_json_read_string(root, NULL, "secret", FALSE, &payload, error))
		return FALSE;
	header_bytes = sl_base64_decode_strict(header, SL_SECRET_PACKET_HEADER_SIZE, "packet_header", error);
	if (header_bytes == NULL)
		return FALSE;
	if (strlen(payload) > SL_PACKET_DOCUMENT_MAX_PAYLOAD) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_DATA, "secret is too large");
		return FALSE;
	}
	payload_bytes = sl_base64_decode_strict(payload, 0, "secret", error);
	if (payload_bytes == NULL)
		return FALSE;
	if (g_bytes_get_size(payload_bytes) == 0 || g_bytes_get_size(payload_bytes) % 16 != 0) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_DATA, "secret is not a whole number of 16-byte blocks");
		return FALSE;
	}
	self->header_base64 = g_strdup(header);
	self->payload_base64 = g_strdup(payload);
	return TRUE;
}

static gboolean
sl_packet_document_parse_secrets(SlPacketDocument *self, JsonObject *root, GError **error)
{
	JsonNode *node = json_object_get_member(root, "secrets");
	JsonArray *array;

	self->secrets = g_ptr_array_new_with_free_func(g_free);
	if (node == NULL)
		return TRUE;
	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_DATA, "secrets is not an array");
		return FALSE;
	}
	array = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *element = json_array_get_element(array, i);
		SlGuid guid;
		if (json_node_get_value_type(element) != G_TYPE_STRING ||
		    !sl_guid_parse(json_node_get_string(element), &guid, NULL)) {
			g_set_error(error, SL_ERROR, SL_ERROR_INVALID_DATA, "secrets[%u] is not a GUID", i);
			return FALSE;
		}
		g_ptr_array_add(self->secrets, sl_guid_to_string(&guid));
	}
	return TRUE;
}

SlPacketDocument *
sl_packet_document_parse(const gchar *text, gsize len, GError **error)
{
	g_autoptr(SlPacketDocument) self = g_new0(SlPacketDocument, 1);
	g_autoptr(JsonNode) node = sl_json_read_document(text, len, "the packet", error);
	JsonObject *root;
	gint64 gpa = -1;

	if (node == NULL)
		return NULL;
	root = json_node_get_object(node);
	if (!sl_packet_document_parse_envelope(root, error) ||
	    !sl_json_read_hex(root, NULL, "measurement", self->measurement, SL_MEASUREMENT_SIZE, error) ||
	    !sl_json_read_hex(root, NULL, "mnonce", self->mnonce, SL_MNONCE_SIZE, error) ||
	    !sl_packet_document_parse_packet(self, root, error) ||
	    !sl_json_read_int(root, NULL, "secret_gpa", TRUE, 1, SL_PACKET_DOCUMENT_MAX_GPA, &gpa, error) ||
	    !sl_packet_document_parse_secrets(self, root, error)) {
		g_prefix_error(error, "packet: ");
		return NULL;
	}
	self->has_gpa = gpa > 0;
	self->gpa = self->has_gpa ? (guint64)gpa : 0;
	return g_steal_pointer(&self);
}
