/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "qmp-error.h"
#include "qmp-json.h"
#include "qmp-message.h"
#include "qmp-stream.h"

static JsonObject *
parse_object(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = json_from_string(text, &error);
	g_assert_no_error(error);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(node));
	return json_object_ref(json_node_get_object(node));
}

static void
assert_protocol_error(GError *error, const gchar *member, const gchar *expected)
{
	g_assert_error(error, QMP_ERROR, QMP_ERROR_PROTOCOL);
	g_assert_nonnull(strstr(error->message, member));
	g_assert_nonnull(strstr(error->message, expected));
}

static void
test_get_int(void)
{
	g_autoptr(JsonObject) obj =
	    parse_object("{\"i\": -42, \"big\": 9007199254740993, \"d\": 1.0, \"b\": true, "
			 "\"s\": \"1\", \"n\": null, \"o\": {}}");
	const gchar *wrong[] = {"d", "b", "s", "n", "o", "missing"};
	gint64 value = 0;

	g_assert_true(qmp_json_get_int(obj, "i", &value, NULL));
	g_assert_cmpint(value, ==, -42);
	/* above 2^53: kept exactly, not through a double */
	g_assert_true(qmp_json_get_int(obj, "big", &value, NULL));
	g_assert_cmpint(value, ==, G_GINT64_CONSTANT(9007199254740993));

	for (guint i = 0; i < G_N_ELEMENTS(wrong); i++) {
		g_autoptr(GError) error = NULL;
		value = 7;
		g_assert_false(qmp_json_get_int(obj, wrong[i], &value, &error));
		assert_protocol_error(error, wrong[i], "an integer");
		/* outputs are only written on success */
		g_assert_cmpint(value, ==, 7);
	}
}

static void
test_get_other_types(void)
{
	g_autoptr(JsonObject) obj = parse_object(
	    "{\"s\": \"text\", \"b\": false, \"o\": {\"x\": 1}, \"a\": [1, 2], \"i\": 3, \"n\": null}");
	g_autoptr(GError) error1 = NULL;
	g_autoptr(GError) error2 = NULL;
	g_autoptr(GError) error3 = NULL;
	g_autoptr(GError) error4 = NULL;
	g_autoptr(GError) error5 = NULL;
	const gchar *str = NULL;
	gboolean b = TRUE;
	JsonObject *o = NULL;
	JsonArray *a = NULL;

	g_assert_true(qmp_json_get_string(obj, "s", &str, NULL));
	g_assert_cmpstr(str, ==, "text");
	g_assert_true(qmp_json_get_bool(obj, "b", &b, NULL));
	g_assert_false(b);
	g_assert_true(qmp_json_get_object(obj, "o", &o, NULL));
	g_assert_true(json_object_has_member(o, "x"));
	g_assert_true(qmp_json_get_array(obj, "a", &a, NULL));
	g_assert_cmpuint(json_array_get_length(a), ==, 2);

	g_assert_false(qmp_json_get_string(obj, "i", &str, &error1));
	assert_protocol_error(error1, "'i'", "a string");
	g_assert_false(qmp_json_get_bool(obj, "i", &b, &error2));
	assert_protocol_error(error2, "'i'", "a boolean");
	g_assert_false(qmp_json_get_object(obj, "a", &o, &error3));
	assert_protocol_error(error3, "'a'", "an object");
	g_assert_false(qmp_json_get_array(obj, "o", &a, &error4));
	assert_protocol_error(error4, "'o'", "an array");
	/* null is not a string */
	g_assert_false(qmp_json_get_string(obj, "n", &str, &error5));
	assert_protocol_error(error5, "'n'", "a string");

	g_assert_true(qmp_json_has_member(obj, "n"));
	g_assert_false(qmp_json_has_member(obj, "nope"));
	g_assert_false(qmp_json_has_member(NULL, "nope"));
}

static void
test_node_get_object(void)
{
	g_autoptr(JsonNode) array = json_from_string("[1]", NULL);
	g_autoptr(JsonNode) object = json_from_string("{\"a\": 1}", NULL);
	g_autoptr(GError) error1 = NULL;
	g_autoptr(GError) error2 = NULL;

	g_assert_nonnull(qmp_json_node_get_object(object, "reply", NULL));
	g_assert_null(qmp_json_node_get_object(array, "reply", &error1));
	assert_protocol_error(error1, "reply", "an object");
	g_assert_null(qmp_json_node_get_object(NULL, "reply", &error2));
	assert_protocol_error(error2, "reply", "an object");
}

static void
test_message_command(void)
{
	g_autoptr(JsonObject) args = json_object_new();
	g_autoptr(JsonNode) cmd = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *plain = NULL;
	g_autofree gchar *secret = NULL;
	g_autofree gchar *upper = NULL;

	json_object_set_string_member(args, "secret", "hidden");
	cmd = qmp_message_new_command("query-x", args, "__sevlaunch#1");
	text = json_to_string(cmd, FALSE);
	g_assert_cmpstr(
	    text,
	    ==,
	    "{\"execute\":\"query-x\",\"arguments\":{\"secret\":\"hidden\"},\"id\":\"__sevlaunch#1\"}");

	plain = qmp_message_command_to_log_string("query-x", args, "i");
	g_assert_nonnull(strstr(plain, "hidden"));
	secret = qmp_message_command_to_log_string("sev-inject-launch-secret", args, "i");
	g_assert_null(strstr(secret, "hidden"));
	g_assert_nonnull(strstr(secret, "<redacted>"));
	upper = qmp_message_command_to_log_string("set-SECRET", args, "i");
	g_assert_null(strstr(upper, "hidden"));
}

static void
test_message_greeting(void)
{
	g_autoptr(JsonObject) good = parse_object("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, "
						  "\"minor\": 2, \"major\": 9}, \"package\": \"\"}, "
						  "\"capabilities\": []}}");
	const gchar *bad[] = {
	    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": -9}}, "
	    "\"capabilities\": []}}",
	    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 4294967296}}, "
	    "\"capabilities\": []}}",
	    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2.5, \"major\": 9}}, "
	    "\"capabilities\": []}}",
	    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 9}}}}",
	    "{\"QMP\": {\"version\": {\"qemu\": \"9.2.0\"}, \"capabilities\": []}}",
	    "{\"QMP\": []}",
	};
	guint major = 0, minor = 0, micro = 0;

	g_assert_true(qmp_message_parse_greeting(good, &major, &minor, &micro, NULL));
	g_assert_cmpuint(major, ==, 9);
	g_assert_cmpuint(minor, ==, 2);
	g_assert_cmpuint(micro, ==, 0);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(JsonObject) obj = parse_object(bad[i]);
		g_autoptr(GError) error = NULL;
		g_assert_false(qmp_message_parse_greeting(obj, &major, &minor, &micro, &error));
		g_assert_error(error, QMP_ERROR, QMP_ERROR_PROTOCOL);
	}
}

static void
test_message_event(void)
{
	g_autoptr(JsonObject) full = parse_object("{\"event\": \"STOP\", \"data\": {\"a\": 1}, "
						  "\"timestamp\": {\"seconds\": 2, \"microseconds\": 5}}");
	g_autoptr(JsonObject) bare = parse_object("{\"event\": \"STOP\"}");
	g_autoptr(JsonObject) noclock =
	    parse_object("{\"event\": \"STOP\", \"timestamp\": {\"seconds\": -1, \"microseconds\": -1}}");
	const gchar *bad[] = {
	    "{\"event\": 1}",
	    "{\"event\": \"STOP\", \"data\": \"x\"}",
	    "{\"event\": \"STOP\", \"timestamp\": {\"seconds\": 1}}",
	    "{\"event\": \"STOP\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 1000000}}",
	    "{\"event\": \"STOP\", \"timestamp\": {\"seconds\": 9223372036854775807, \"microseconds\": 0}}",
	    "{\"event\": \"STOP\", \"timestamp\": {\"seconds\": -5, \"microseconds\": 0}}",
	};
	const gchar *name = NULL;
	JsonObject *data = NULL;
	gint64 ts = 0;

	g_assert_true(qmp_message_parse_event(full, &name, &data, &ts, NULL));
	g_assert_cmpstr(name, ==, "STOP");
	g_assert_nonnull(data);
	g_assert_cmpint(ts, ==, 2000005);
	g_assert_true(qmp_message_parse_event(bare, &name, &data, &ts, NULL));
	g_assert_null(data);
	g_assert_cmpint(ts, ==, -1);
	g_assert_true(qmp_message_parse_event(noclock, &name, &data, &ts, NULL));
	g_assert_cmpint(ts, ==, -1);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(JsonObject) obj = parse_object(bad[i]);
		g_autoptr(GError) error = NULL;
		g_assert_false(qmp_message_parse_event(obj, &name, &data, &ts, &error));
		g_assert_error(error, QMP_ERROR, QMP_ERROR_PROTOCOL);
	}
}

static void
test_message_error_reply(void)
{
	struct {
		const gchar *text;
		gint code;
		const gchar *message;
	} cases[] = {
	    {"{\"error\": {\"class\": \"GenericError\", \"desc\": \"d1\"}}", QMP_ERROR_GENERIC_ERROR, "d1"},
	    {"{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"d2\"}}",
	     QMP_ERROR_COMMAND_NOT_FOUND,
	     "d2"},
	    {"{\"error\": {\"class\": \"DeviceNotActive\", \"desc\": \"d3\"}}",
	     QMP_ERROR_DEVICE_NOT_ACTIVE,
	     "d3"},
	    {"{\"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"d4\"}}",
	     QMP_ERROR_DEVICE_NOT_FOUND,
	     "d4"},
	    {"{\"error\": {\"class\": \"KVMMissingCap\", \"desc\": \"d5\"}}",
	     QMP_ERROR_KVM_MISSING_CAP,
	     "d5"},
	    {"{\"error\": {\"class\": \"Odd\", \"desc\": \"d6\"}}", QMP_ERROR_OTHER_CLASS, "Odd: d6"},
	    {"{\"error\": {\"class\": \"GenericError\"}}", QMP_ERROR_PROTOCOL, NULL},
	    {"{\"error\": {\"desc\": \"x\"}}", QMP_ERROR_PROTOCOL, NULL},
	    {"{\"error\": \"GenericError\"}", QMP_ERROR_PROTOCOL, NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(JsonObject) obj = parse_object(cases[i].text);
		g_autoptr(GError) error = qmp_message_parse_error_reply(obj);
		g_assert_error(error, QMP_ERROR, cases[i].code);
		if (cases[i].message != NULL)
			g_assert_cmpstr(error->message, ==, cases[i].message);
	}
}

static void
test_message_classify(void)
{
	struct {
		const gchar *text;
		gint kind; /* -1: protocol error */
	} cases[] = {
	    {"{\"QMP\": {}}", QMP_MESSAGE_KIND_GREETING},
	    {"{\"event\": \"X\"}", QMP_MESSAGE_KIND_EVENT},
	    {"{\"return\": 1, \"id\": \"a\"}", QMP_MESSAGE_KIND_RETURN},
	    {"{\"error\": {}, \"id\": \"a\"}", QMP_MESSAGE_KIND_ERROR},
	    {"{\"id\": \"a\"}", -1},
	    {"{}", -1},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(JsonObject) obj = parse_object(cases[i].text);
		g_autoptr(GError) error = NULL;
		QmpMessageKind kind = QMP_MESSAGE_KIND_GREETING;
		gboolean ok = qmp_message_classify(obj, &kind, &error);
		if (cases[i].kind < 0) {
			g_assert_false(ok);
			g_assert_error(error, QMP_ERROR, QMP_ERROR_PROTOCOL);
		} else {
			g_assert_true(ok);
			g_assert_cmpint(kind, ==, cases[i].kind);
		}
	}
	{
		g_autoptr(JsonObject) num_id = parse_object("{\"return\": 1, \"id\": 5}");
		g_autoptr(JsonObject) str_id = parse_object("{\"return\": 1, \"id\": \"x\"}");
		g_assert_null(qmp_message_get_id(num_id));
		g_assert_cmpstr(qmp_message_get_id(str_id), ==, "x");
	}
}

static gboolean
check_syntax(const gchar *text, gsize len)
{
	g_autoptr(GError) error = NULL;
	gboolean ok = qmp_stream_check_syntax(text, len, &error);
	if (!ok)
		g_assert_error(error, QMP_ERROR, QMP_ERROR_PROTOCOL);
	return ok;
}

static void
test_stream_syntax(void)
{
	const gchar *good[] = {
	    "{}",
	    " {\"return\": {}, \"id\": \"x\"} ",
	    "{\"a\": [1, -2.5e+3, true, false, null], \"b\": {\"c\": \"}]\\\"[{\"}}",
	    "{\"s\": \"caf\xc3\xa9\"}",
	};
	const gchar *bad[] = {
	    "",
	    "   ",
	    "[1]",
	    "1",
	    "\"s\"",
	    "{} {}",
	    "{}x",
	    "{'a': 1}",
	    "/* c */ {}",
	    "{/* c */}",
	    "var x = {}",
	    "{\"a\": 1",
	    "{\"a\": \"b}",
	    "{\"a\": \"\t\"}",
	    "{\"a\": \"\xff\"}",
	    "{\"a\": x}",
	};
	g_autoptr(GString) deep = g_string_new("{\"a\": ");
	const gchar nul[] = "{\"a\": \"b\0c\"}";

	for (guint i = 0; i < G_N_ELEMENTS(good); i++)
		g_assert_true(check_syntax(good[i], strlen(good[i])));
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_false(check_syntax(bad[i], strlen(bad[i])));
	g_assert_false(check_syntax(nul, sizeof(nul) - 1));

	/* the object itself is one level: 1023 arrays inside still pass */
	for (guint i = 0; i < QMP_STREAM_MAX_DEPTH - 1; i++)
		g_string_append_c(deep, '[');
	for (guint i = 0; i < QMP_STREAM_MAX_DEPTH - 1; i++)
		g_string_append_c(deep, ']');
	g_string_append_c(deep, '}');
	g_assert_true(check_syntax(deep->str, deep->len));
	g_string_insert_c(deep, 6, '[');
	g_string_insert_c(deep, deep->len - 1, ']');
	g_assert_false(check_syntax(deep->str, deep->len));
}

/* what json-glib would misread: wrapped integers, leading zeros, \u0000, node floods */
static void
test_stream_syntax_numbers(void)
{
	const gchar *good[] = {
	    "{\"a\": 0}",
	    "{\"a\": -0.5}",
	    "{\"a\": 1e05}",
	    "{\"a\": 10.05}",
	    "{\"a\": 9223372036854775807}",
	    "{\"a\": -9223372036854775807}",
	    "{\"a\": -9223372036854775808}",
	    /* what QEMU's %.17g prints for doubles */
	    "{\"a\": 1e-07, \"b\": 1e+05, \"c\": 2.5E-08, \"d\": 0.00012345678901234567}",
	    "{\"a\": 123456789012345678901234.5}",
	    "{\"a\": [0, -0, 10, -10]}",
	    "{\"a\": \"\\u0001 and 00012345678901234567890\"}",
	};
	const gchar *bad[] = {
	    "{\"a\": 00}",
	    "{\"a\": 0003}",
	    "{\"a\": -01}",
	    "{\"a\": 9223372036854775808}",
	    "{\"a\": -9223372036854775809}",
	    "{\"a\": 9999999999999999999}",
	    "{\"a\": 18446744073709551619}",
	    "{\"a\": 99999999999999999999999}",
	    "{\"state\": \"launch-secret\\u0000x\"}",
	};
	g_autoptr(GString) flood = g_string_new("{\"a\": [");

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_test_message("good: %s", good[i]);
		g_assert_true(check_syntax(good[i], strlen(good[i])));
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_test_message("bad: %s", bad[i]);
		g_assert_false(check_syntax(bad[i], strlen(bad[i])));
	}
	/* the bound counts values, not bytes: just under it passes, just over fails */
	for (guint i = 0; i < QMP_STREAM_MAX_VALUES - 3; i++)
		g_string_append(flood, "0,");
	g_string_append(flood, "0]}");
	g_assert_true(check_syntax(flood->str, flood->len));
	g_string_insert(flood, 7, "0,0,");
	g_assert_false(check_syntax(flood->str, flood->len));
}

/*
 * escapes: only JSON's own. json-glib 1.6 swallows the character after a lone
 * surrogate or a \u without four hex digits (so the two disagree about where
 * strings end) and reads \0 to \7 as octal bytes
 */
static void
test_stream_syntax_escapes(void)
{
	const gchar *good[] = {
	    "{\"a\": \"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"}",
	    "{\"a\": \"\\u00e9\\u00E9\\u0001\\uffff\"}",
	    "{\"a\": \"\\ud83d\\ude00\"}",
	    "{\"a\": \"\\uD83D\\uDE00x\"}",
	};
	const gchar *bad[] = {
	    "{\"e\": \"\\udc00\"}",
	    "{\"e\": \"\\udc00\"\"}",
	    "{\"e\": \"\\ud800\"}",
	    "{\"e\": \"\\ud800x\"}",
	    "{\"e\": \"\\ud800\\n\"}",
	    "{\"e\": \"\\ud800\\u0041\"}",
	    "{\"e\": \"\\ud800\\ud800\"}",
	    "{\"e\": \"\\udc00\\ud800\"}",
	    "{\"e\": \"\\ud800\\udc0\"}",
	    "{\"e\": \"\\u12\"\"}",
	    "{\"e\": \"\\u\"}",
	    "{\"e\": \"\\uzzzz\"}",
	    "{\"e\": \"\\0\"}",
	    "{\"e\": \"launch-secret\\0x\"}",
	    "{\"e\": \"\\7\"}",
	    "{\"e\": \"\\x41\"}",
	    "{\"e\": \"\\'\"}",
	    "{\"e\": \"\\",
	};
	g_autoptr(GString) hidden = g_string_new("{\"e\":\"\\udc00\"\",\"e\":");

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_test_message("good: %s", good[i]);
		g_assert_true(check_syntax(good[i], strlen(good[i])));
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_test_message("bad: %s", bad[i]);
		g_assert_false(check_syntax(bad[i], strlen(bad[i])));
	}
	/* the reply that crashed json-glib: the arrays sit inside a string for a naive scan */
	for (guint i = 0; i < 100000; i++)
		g_string_append_c(hidden, '[');
	g_string_append(hidden, "\"}");
	g_assert_false(check_syntax(hidden->str, hidden->len));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/qmp-json/get-int", test_get_int);
	g_test_add_func("/qmp-json/get-other-types", test_get_other_types);
	g_test_add_func("/qmp-json/node-get-object", test_node_get_object);
	g_test_add_func("/qmp-message/command", test_message_command);
	g_test_add_func("/qmp-message/greeting", test_message_greeting);
	g_test_add_func("/qmp-message/event", test_message_event);
	g_test_add_func("/qmp-message/error-reply", test_message_error_reply);
	g_test_add_func("/qmp-message/classify", test_message_classify);
	g_test_add_func("/qmp-stream/syntax", test_stream_syntax);
	g_test_add_func("/qmp/stream/syntax-numbers", test_stream_syntax_numbers);
	g_test_add_func("/qmp-stream/syntax-escapes", test_stream_syntax_escapes);
	return g_test_run();
}
