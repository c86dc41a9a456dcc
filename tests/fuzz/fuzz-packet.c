/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "fuzz-common.h"
#include "sl-error.h"
#include "sl-guid.h"
#include "sl-packet-document.h"
#include "sl-report.h"

/*
 * the packet document (inject --packet): what the owner's verify
 * --packet-out wrote, carried by the host. What parses is what QEMU takes
 * (a 52-byte header, whole 16-byte blocks, canonical base64, canonical GUIDs)
 * and, written again with the same members, parses to the same values.
 */

static void
sl_fuzz_packet_check_base64(const gchar *text, gsize expected_len)
{
	gsize len = 0;
	g_autofree guchar *raw = g_base64_decode(text, &len);
	g_autofree gchar *again = g_base64_encode(raw, len);

	g_assert_cmpstr(again, ==, text);
	if (expected_len != 0)
		g_assert_cmpuint(len, ==, expected_len);
	else
		g_assert_true(len > 0 && len % 16 == 0);
}

static gchar *
sl_fuzz_packet_write(const SlPacketDocument *doc)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *measurement = NULL;
	g_autofree gchar *mnonce = NULL;

	measurement = g_malloc0(2 * SL_MEASUREMENT_SIZE + 1);
	for (guint i = 0; i < SL_MEASUREMENT_SIZE; i++)
		g_snprintf(measurement + 2 * i, 3, "%02x", doc->measurement[i]);
	mnonce = g_malloc0(2 * SL_MNONCE_SIZE + 1);
	for (guint i = 0; i < SL_MNONCE_SIZE; i++)
		g_snprintf(mnonce + 2 * i, 3, "%02x", doc->mnonce[i]);
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "schema_version");
	json_builder_add_int_value(builder, SL_REPORT_SCHEMA_VERSION);
	json_builder_set_member_name(builder, "document");
	json_builder_add_string_value(builder, "packet");
	json_builder_set_member_name(builder, "measurement");
	json_builder_add_string_value(builder, measurement);
	json_builder_set_member_name(builder, "mnonce");
	json_builder_add_string_value(builder, mnonce);
	json_builder_set_member_name(builder, "packet_header");
	json_builder_add_string_value(builder, doc->header_base64);
	json_builder_set_member_name(builder, "secret");
	json_builder_add_string_value(builder, doc->payload_base64);
	if (doc->has_gpa) {
		json_builder_set_member_name(builder, "secret_gpa");
		json_builder_add_int_value(builder, (gint64)doc->gpa);
	}
	json_builder_set_member_name(builder, "secrets");
	json_builder_begin_array(builder);
	for (guint i = 0; i < doc->secrets->len; i++)
		json_builder_add_string_value(builder, g_ptr_array_index(doc->secrets, i));
	json_builder_end_array(builder);
	json_builder_end_object(builder);
	root = json_builder_get_root(builder);
	json_generator_set_root(generator, root);
	return json_generator_to_data(generator, NULL);
}

static void
sl_fuzz_packet_check_same(const SlPacketDocument *a, const SlPacketDocument *b)
{
	g_assert_true(memcmp(a->measurement, b->measurement, SL_MEASUREMENT_SIZE) == 0);
	g_assert_true(memcmp(a->mnonce, b->mnonce, SL_MNONCE_SIZE) == 0);
	g_assert_cmpstr(a->header_base64, ==, b->header_base64);
	g_assert_cmpstr(a->payload_base64, ==, b->payload_base64);
	g_assert_cmpint(a->has_gpa, ==, b->has_gpa);
	g_assert_cmpuint(a->gpa, ==, b->gpa);
	g_assert_cmpuint(a->secrets->len, ==, b->secrets->len);
	for (guint i = 0; i < a->secrets->len; i++)
		g_assert_cmpstr(g_ptr_array_index(a->secrets, i), ==, g_ptr_array_index(b->secrets, i));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(SlPacketDocument) doc = NULL;
	g_autoptr(SlPacketDocument) again = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = NULL;

	sl_fuzz_init();
	doc = sl_packet_document_parse((const gchar *)data, size, &error);
	if (doc == NULL) {
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
		return 0;
	}
	g_assert_no_error(error);
	sl_fuzz_packet_check_base64(doc->header_base64, SL_SECRET_PACKET_HEADER_SIZE);
	sl_fuzz_packet_check_base64(doc->payload_base64, 0);
	g_assert_true(doc->has_gpa == (doc->gpa != 0));
	g_assert_cmpuint(doc->gpa, <=, G_MAXINT64);
	for (guint i = 0; i < doc->secrets->len; i++) {
		const gchar *text = g_ptr_array_index(doc->secrets, i);
		g_autofree gchar *lower = g_ascii_strdown(text, -1);
		SlGuid guid;
		g_assert_true(sl_guid_parse(text, &guid, NULL));
		g_assert_cmpstr(lower, ==, text);
	}

	json = sl_fuzz_packet_write(doc);
	again = sl_packet_document_parse(json, strlen(json), &error);
	if (again == NULL)
		g_error("fuzz: the packet written again is refused: %s\n%s", error->message, json);
	sl_fuzz_packet_check_same(doc, again);
	return 0;
}
