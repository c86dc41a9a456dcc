/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-error.h"
#include "sl-json-read.h"

static JsonObject *
document(JsonNode **node, const gchar *text)
{
	g_autoptr(GError) error = NULL;
	*node = sl_json_read_document(text, strlen(text), "doc", &error);
	g_assert_no_error(error);
	return json_node_get_object(*node);
}

static void
test_json_read_members(void)
{
	g_autoptr(JsonNode) node = NULL;
	JsonObject *root =
	    document(&node, "{\"n\":7,\"s\":\"x\",\"b\":true,\"o\":{\"h\":\"0aFf\"},\"z\":null}");
	g_autoptr(GError) error = NULL;
	JsonObject *o = NULL;
	const gchar *str = NULL;
	gint64 n = 0;
	gboolean b = FALSE;
	guint8 hex[2];

	g_assert_true(sl_json_read_int(root, NULL, "n", FALSE, 0, 10, &n, &error));
	g_assert_cmpint(n, ==, 7);
	g_assert_true(sl_json_read_string(root, NULL, "s", FALSE, &str, &error));
	g_assert_cmpstr(str, ==, "x");
	g_assert_true(sl_json_read_bool(root, NULL, "b", &b, &error));
	g_assert_true(b);
	g_assert_true(sl_json_read_object(root, NULL, "o", FALSE, &o, &error));
	g_assert_true(sl_json_read_hex(o, "o", "h", hex, sizeof(hex), &error));
	g_assert_no_error(error);
	g_assert_cmpuint(hex[0], ==, 0x0a);
	g_assert_cmpuint(hex[1], ==, 0xff);
	/* null and missing are the same to an optional member */
	g_assert_true(sl_json_read_string(root, NULL, "z", TRUE, &str, &error));
	g_assert_null(str);
	g_assert_true(sl_json_read_object(root, NULL, "missing", TRUE, &o, &error));
	g_assert_null(o);
	g_assert_no_error(error);
}

static void
test_json_read_refused(void)
{
	g_autoptr(JsonNode) node = NULL;
	JsonObject *root = document(&node, "{\"n\":11,\"s\":1,\"o\":{\"h\":\"0g\"},\"d\":1.5}");
	struct {
		const gchar *needle;
		gboolean ok;
		GError *error;
	} cases[6] = {{0}};
	JsonObject *o = NULL;
	const gchar *str = NULL;
	gint64 n = 0;
	guint8 hex[1];

	cases[0].needle = "n is 11, not in 0..10";
	cases[0].ok = sl_json_read_int(root, NULL, "n", FALSE, 0, 10, &n, &cases[0].error);
	cases[1].needle = "s is not a string";
	cases[1].ok = sl_json_read_string(root, NULL, "s", FALSE, &str, &cases[1].error);
	cases[2].needle = "x is missing";
	cases[2].ok = sl_json_read_string(root, NULL, "x", FALSE, &str, &cases[2].error);
	g_assert_true(sl_json_read_object(root, NULL, "o", FALSE, &o, NULL));
	cases[3].needle = "o.h is not hex";
	cases[3].ok = sl_json_read_hex(o, "o", "h", hex, sizeof(hex), &cases[3].error);
	cases[4].needle = "d is not an integer";
	cases[4].ok = sl_json_read_int(root, NULL, "d", FALSE, 0, 10, &n, &cases[4].error);
	cases[5].needle = "n is not an object";
	cases[5].ok = sl_json_read_object(root, NULL, "n", FALSE, &o, &cases[5].error);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_assert_false(cases[i].ok);
		g_assert_error(cases[i].error, SL_ERROR, SL_ERROR_INVALID_DATA);
		g_assert_cmpstr(cases[i].error->message, ==, cases[i].needle);
		g_clear_error(&cases[i].error);
	}
}

static void
test_json_read_document_refused(void)
{
	const gchar *bad[] = {"", "[1]", "{", "\"s\"", "{\"a\":\"\xc3\x28\"}"};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node = sl_json_read_document(bad[i], strlen(bad[i]), "doc", &error);
		g_assert_null(node);
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/json-read/members", test_json_read_members);
	g_test_add_func("/json-read/refused", test_json_read_refused);
	g_test_add_func("/json-read/document-refused", test_json_read_document_refused);
	return g_test_run();
}
