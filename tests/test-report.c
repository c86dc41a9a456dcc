/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-error.h"
#include "sl-report.h"

static void
test_report_json_types(void)
{
	g_autoptr(SlReport) report = sl_report_new("verify");
	const guint8 digest[] = {0x00, 0xab, 0xff};
	g_autofree gchar *json = NULL;

	sl_report_begin_object(report, "guest");
	sl_report_add_uint(report, "api_major", 1);
	sl_report_add_uint_hex(report, "policy", 0x5);
	sl_report_add_null(report, "vcpus");
	sl_report_end_object(report);
	sl_report_add_hex(report, "launch digest", digest, sizeof(digest));
	sl_report_add_bool(report, "resumed", FALSE);
	sl_report_begin_array(report, "secrets_injected");
	sl_report_add_string(report, NULL, "736869e5-84f0-4973-92ec-06879ce3da0b");
	sl_report_end_array(report);
	sl_report_add_base64(report, "blob", (const guint8 *)"abc", 3);
	sl_report_set_result(report, NULL);
	json = sl_report_to_json(report);
	g_assert_cmpstr(json,
			==,
			"{\"schema_version\":1,\"command\":\"verify\",\"guest\":{\"api_major\":1,"
			"\"policy\":5,\"vcpus\":null},\"launch_digest\":\"00abff\",\"resumed\":false,"
			"\"secrets_injected\":[\"736869e5-84f0-4973-92ec-06879ce3da0b\"],"
			"\"blob\":\"YWJj\",\"exit_code\":0}");
}

static void
test_report_text(void)
{
	g_autoptr(SlReport) report = sl_report_new("ovmf");
	g_autofree gchar *text = NULL;

	sl_report_add_string(report, "verdict", "verified");
	sl_report_begin_object(report, "secret_area");
	sl_report_add_uint_hex(report, "base", 0x80c000);
	sl_report_add_uint(report, "size", 3072);
	sl_report_end_object(report);
	sl_report_begin_array(report, "footer_entries");
	sl_report_begin_object(report, NULL);
	sl_report_add_string(report, "guid", "g1");
	sl_report_add_uint(report, "size", 4);
	sl_report_end_object(report);
	sl_report_end_array(report);
	sl_report_begin_array(report, "names");
	sl_report_add_string(report, NULL, "a");
	sl_report_add_string(report, NULL, "b");
	sl_report_end_array(report);
	sl_report_begin_array(report, "none");
	sl_report_end_array(report);
	sl_report_add_bool(report, "resumed", TRUE);
	sl_report_set_result(report, NULL);
	text = sl_report_to_text(report);
	/* no schema_version, command or exit_code for people */
	g_assert_cmpstr(text,
			==,
			"verdict: verified\n"
			"secret area:\n"
			"  base: 0x80c000\n"
			"  size: 3072\n"
			"footer entries:\n"
			"  - guid: g1\n"
			"    size: 4\n"
			"names: a, b\n"
			"none: (none)\n"
			"resumed: yes\n");
}

static void
test_report_continue_and_replace(void)
{
	g_autoptr(SlReport) report = sl_report_new("verify");
	g_autofree gchar *json = NULL;

	sl_report_begin_object(report, "guest");
	sl_report_add_uint(report, "api_major", 1);
	sl_report_end_object(report);
	sl_report_add_bool(report, "resumed", FALSE);
	/* a second step adds to "guest" and changes "resumed" where it stands */
	sl_report_begin_object(report, "guest");
	g_assert_true(sl_report_has_member(report, "api_major"));
	g_assert_false(sl_report_has_member(report, "vcpus"));
	sl_report_add_uint(report, "vcpus", 2);
	sl_report_end_object(report);
	sl_report_add_bool(report, "resumed", TRUE);
	g_assert_true(sl_report_has_key(report, "resumed"));
	g_assert_false(sl_report_has_key(report, "vcpus"));
	json = sl_report_to_json(report);
	g_assert_cmpstr(json,
			==,
			"{\"schema_version\":1,\"command\":\"verify\",\"guest\":{\"api_major\":1,"
			"\"vcpus\":2},\"resumed\":true}");
}

static void
test_report_error(void)
{
	g_autoptr(SlReport) report = sl_report_new("inject");
	g_autoptr(GError) error = g_error_new_literal(SL_ERROR, SL_ERROR_INJECTION_REFUSED, "QEMU said:\nno");
	g_autofree gchar *json = NULL;

	/* the result goes on the top level even with a container left open */
	sl_report_begin_object(report, "qemu");
	sl_report_set_result(report, NULL);
	sl_report_set_result(report, error);
	json = sl_report_to_json(report);
	g_assert_cmpstr(json,
			==,
			"{\"schema_version\":1,\"command\":\"inject\",\"qemu\":{},\"exit_code\":5,"
			"\"error\":{\"class\":\"injection-refused\",\"message\":\"QEMU said: no\"}}");
}

static void
test_report_error_classes(void)
{
	struct {
		SlError code;
		const gchar *name;
	} classes[] = {
	    {SL_ERROR_INVALID_ARGUMENT, "usage"},
	    {SL_ERROR_MISMATCH, "mismatch"},
	    {SL_ERROR_CONNECTION, "connection"},
	    {SL_ERROR_PROTOCOL, "protocol"},
	    {SL_ERROR_NOT_VERIFIABLE, "not-verifiable"},
	    {SL_ERROR_INJECTION_REFUSED, "injection-refused"},
	    {SL_ERROR_WRITE, "write"},
	    {SL_ERROR_EXISTS, "exists"},
	};
	g_autoptr(GError) io = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CLOSED, "x");

	for (guint i = 0; i < G_N_ELEMENTS(classes); i++) {
		g_autoptr(GError) error = g_error_new_literal(SL_ERROR, classes[i].code, "x");
		g_assert_cmpstr(sl_error_to_class(error), ==, classes[i].name);
	}
	g_assert_cmpstr(sl_error_to_class(io), ==, "connection");
	g_assert_null(sl_error_to_class(NULL));
}

/* a peer's bytes: JSON stays valid UTF-8, text gets no control characters */
static void
test_report_hostile_text(void)
{
	g_autoptr(SlReport) report = sl_report_new("query");
	const gchar *hostile = "a\xff\xfe"
			       "b\n\x1b[31mc\xc2\x9b"
			       "d\te";
	g_autofree gchar *json = NULL;
	g_autofree gchar *text = NULL;

	sl_report_add_string(report, "state", hostile);
	json = sl_report_to_json(report);
	text = sl_report_to_text(report);
	g_assert_true(g_utf8_validate(json, -1, NULL));
	g_assert_nonnull(strstr(json,
				"\"a\xef\xbf\xbd\xef\xbf\xbd"
				"b\\n\\u001b[31mc\xc2\x9b"
				"d\\te\""));
	g_assert_true(g_utf8_validate(text, -1, NULL));
	g_assert_cmpstr(text,
			==,
			"state: a\xef\xbf\xbd\xef\xbf\xbd"
			"b ?[31mc?d e\n");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/report/json-types", test_report_json_types);
	g_test_add_func("/report/text", test_report_text);
	g_test_add_func("/report/continue-and-replace", test_report_continue_and_replace);
	g_test_add_func("/report/error", test_report_error);
	g_test_add_func("/report/error-classes", test_report_error_classes);
	g_test_add_func("/report/hostile-text", test_report_hostile_text);
	return g_test_run();
}
