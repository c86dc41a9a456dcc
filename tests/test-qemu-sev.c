/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-error.h"
#include "sl-qemu-sev-reply.h"
#include "sl-qemu-sev.h"

/* VECTORS.md section 1, M5: what QEMU reports for the SEV-ES guest */
#define M5_BLOB "/o0nzDKE5XgtVnUZWPhUea/WZYrTKLExR7KCwuMdbActvpWfXTFk21KMZIAAhQny"

/* replies are written as QMP sends them; a parse failure is a bug in the test */
static JsonNode *
test_json(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	JsonNode *node = json_from_string(text, &error);
	g_assert_no_error(error);
	g_assert_nonnull(node);
	return node;
}

static void
test_guest_info_expect_error(const gchar *text, gint code)
{
	g_autoptr(JsonNode) node = test_json(text);
	g_autoptr(GError) error = NULL;
	g_auto(SlSevGuestInfo) info = {0};

	g_assert_false(sl_qemu_sev_reply_parse_query_sev(node, &info, &error));
	g_assert_error(error, SL_ERROR, code);
}

/* QEMU 7.2 SevInfo: flat, no sev-type */
static void
test_guest_info_qemu72(void)
{
	g_autoptr(JsonNode) node = test_json("{\"enabled\": true, \"api-major\": 1, \"api-minor\": 49,"
					     " \"build-id\": 6, \"policy\": 5, \"state\": \"launch-secret\","
					     " \"handle\": 1}");
	g_autoptr(GError) error = NULL;
	g_auto(SlSevGuestInfo) info = {0};

	g_assert_true(sl_qemu_sev_reply_parse_query_sev(node, &info, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(info.params.api_major, ==, 1);
	g_assert_cmpuint(info.params.api_minor, ==, 49);
	g_assert_cmpuint(info.params.build_id, ==, 6);
	g_assert_cmpuint(info.params.policy, ==, 5);
	g_assert_cmpstr(info.state, ==, "launch-secret");
	g_assert_true(info.sev_es);
	g_assert_false(info.has_sev_type);
}

/* QEMU 9.1 SevInfo: a union on sev-type, policy in the "sev" branch */
static void
test_guest_info_qemu91(void)
{
	g_autoptr(JsonNode) node = test_json("{\"enabled\": true, \"api-major\": 1, \"api-minor\": 40,"
					     " \"build-id\": 40, \"sev-type\": \"sev\", \"policy\": 3,"
					     " \"state\": \"launch-secret\", \"handle\": 2}");
	g_autoptr(GError) error = NULL;
	g_auto(SlSevGuestInfo) info = {0};

	g_assert_true(sl_qemu_sev_reply_parse_query_sev(node, &info, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(info.params.api_major, ==, 1);
	g_assert_cmpuint(info.params.api_minor, ==, 40);
	g_assert_cmpuint(info.params.build_id, ==, 40);
	g_assert_cmpuint(info.params.policy, ==, 3);
	g_assert_cmpstr(info.state, ==, "launch-secret");
	g_assert_false(info.sev_es);
	g_assert_true(info.has_sev_type);
}

/* the state is the flow's business: any string parses */
static void
test_guest_info_other_state(void)
{
	g_autoptr(JsonNode) node =
	    test_json("{\"enabled\": true, \"api-major\": 0, \"api-minor\": 24,"
		      " \"build-id\": 15, \"policy\": 4294967295, \"state\": \"running\","
		      " \"handle\": 1}");
	g_autoptr(GError) error = NULL;
	g_auto(SlSevGuestInfo) info = {0};

	g_assert_true(sl_qemu_sev_reply_parse_query_sev(node, &info, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(info.params.policy, ==, G_MAXUINT32);
	g_assert_cmpstr(info.state, ==, "running");
	g_assert_true(info.sev_es);
}

static void
test_guest_info_not_verifiable(void)
{
	/* SEV off */
	test_guest_info_expect_error("{\"enabled\": false, \"api-major\": 0, \"api-minor\": 0,"
				     " \"build-id\": 0, \"policy\": 0, \"state\": \"uninit\", \"handle\": 0}",
				     SL_ERROR_NOT_VERIFIABLE);
	test_guest_info_expect_error("{\"enabled\": false}", SL_ERROR_NOT_VERIFIABLE);
	/* SNP has snp-policy and no policy: still "not verifiable", not a protocol error */
	test_guest_info_expect_error("{\"enabled\": true, \"api-major\": 1, \"api-minor\": 55,"
				     " \"build-id\": 21, \"sev-type\": \"sev-snp\", \"snp-policy\": 196608,"
				     " \"state\": \"launch-update\"}",
				     SL_ERROR_NOT_VERIFIABLE);
	/* a type this tool does not know */
	test_guest_info_expect_error("{\"enabled\": true, \"api-major\": 1, \"api-minor\": 55,"
				     " \"build-id\": 21, \"sev-type\": \"sev-tdx\", \"policy\": 1,"
				     " \"state\": \"launch-secret\"}",
				     SL_ERROR_NOT_VERIFIABLE);
	test_guest_info_expect_error("{\"enabled\": true, \"api-major\": 1, \"api-minor\": 55,"
				     " \"build-id\": 21, \"sev-type\": \"\", \"policy\": 1,"
				     " \"state\": \"launch-secret\"}",
				     SL_ERROR_NOT_VERIFIABLE);
}

static void
test_guest_info_missing_members(void)
{
	const gchar *replies[] = {
	    "{}",
	    "{\"api-major\": 1, \"api-minor\": 40, \"build-id\": 40, \"policy\": 3, \"state\": "
	    "\"launch-secret\"}",
	    "{\"enabled\": true, \"api-minor\": 40, \"build-id\": 40, \"policy\": 3, \"state\": "
	    "\"launch-secret\"}",
	    "{\"enabled\": true, \"api-major\": 1, \"build-id\": 40, \"policy\": 3, \"state\": "
	    "\"launch-secret\"}",
	    "{\"enabled\": true, \"api-major\": 1, \"api-minor\": 40, \"policy\": 3, \"state\": "
	    "\"launch-secret\"}",
	    "{\"enabled\": true, \"api-major\": 1, \"api-minor\": 40, \"build-id\": 40, \"state\": "
	    "\"launch-secret\"}",
	    "{\"enabled\": true, \"api-major\": 1, \"api-minor\": 40, \"build-id\": 40, \"policy\": 3}",
	    /* a 9.1 "sev" branch without its policy */
	    "{\"enabled\": true, \"api-major\": 1, \"api-minor\": 40, \"build-id\": 40, \"sev-type\": "
	    "\"sev\", \"state\": \"launch-secret\"}",
	};
	for (guint i = 0; i < G_N_ELEMENTS(replies); i++)
		test_guest_info_expect_error(replies[i], SL_ERROR_PROTOCOL);
}

static void
test_guest_info_wrong_types(void)
{
	const gchar *replies[] = {
	    /* the reply itself */
	    "[]",
	    "\"sev\"",
	    "null",
	    "42",
	    /* each member */
	    "{\"enabled\": \"true\", \"api-major\": 1, \"api-minor\": 40, \"build-id\": 40, \"policy\": 3,"
	    " \"state\": \"launch-secret\"}",
	    "{\"enabled\": 1, \"api-major\": 1, \"api-minor\": 40, \"build-id\": 40, \"policy\": 3,"
	    " \"state\": \"launch-secret\"}",
	    "{\"enabled\": true, \"api-major\": 1, \"api-minor\": 40, \"build-id\": 40, \"policy\": \"3\","
	    " \"state\": \"launch-secret\"}",
	    "{\"enabled\": true, \"api-major\": 1.0, \"api-minor\": 40, \"build-id\": 40, \"policy\": 3,"
	    " \"state\": \"launch-secret\"}",
	    "{\"enabled\": true, \"api-major\": 1, \"api-minor\": 40.5, \"build-id\": 40, \"policy\": 3,"
	    " \"state\": \"launch-secret\"}",
	    "{\"enabled\": true, \"api-major\": 1, \"api-minor\": 40, \"build-id\": null, \"policy\": 3,"
	    " \"state\": \"launch-secret\"}",
	    "{\"enabled\": true, \"api-major\": 1, \"api-minor\": 40, \"build-id\": 40, \"policy\": [3],"
	    " \"state\": \"launch-secret\"}",
	    "{\"enabled\": true, \"api-major\": 1, \"api-minor\": 40, \"build-id\": 40, \"policy\": 3,"
	    " \"state\": true}",
	    "{\"enabled\": true, \"api-major\": 1, \"api-minor\": 40, \"build-id\": 40, \"policy\": 3,"
	    " \"state\": {\"name\": \"launch-secret\"}}",
	    "{\"enabled\": true, \"api-major\": 1, \"api-minor\": 40, \"build-id\": 40, \"policy\": 3,"
	    " \"sev-type\": 0, \"state\": \"launch-secret\"}",
	};
	for (guint i = 0; i < G_N_ELEMENTS(replies); i++)
		test_guest_info_expect_error(replies[i], SL_ERROR_PROTOCOL);
}

static void
test_guest_info_out_of_range(void)
{
	const gchar *replies[] = {
	    "{\"enabled\": true, \"api-major\": 256, \"api-minor\": 40, \"build-id\": 40, \"policy\": 3,"
	    " \"state\": \"launch-secret\"}",
	    "{\"enabled\": true, \"api-major\": 1, \"api-minor\": 256, \"build-id\": 40, \"policy\": 3,"
	    " \"state\": \"launch-secret\"}",
	    "{\"enabled\": true, \"api-major\": 1, \"api-minor\": 40, \"build-id\": 256, \"policy\": 3,"
	    " \"state\": \"launch-secret\"}",
	    "{\"enabled\": true, \"api-major\": 1, \"api-minor\": 40, \"build-id\": 40, \"policy\": "
	    "4294967296,"
	    " \"state\": \"launch-secret\"}",
	    "{\"enabled\": true, \"api-major\": -1, \"api-minor\": 40, \"build-id\": 40, \"policy\": 3,"
	    " \"state\": \"launch-secret\"}",
	    "{\"enabled\": true, \"api-major\": 1, \"api-minor\": 40, \"build-id\": 40, \"policy\": -1,"
	    " \"state\": \"launch-secret\"}",
	    "{\"enabled\": true, \"api-major\": 1, \"api-minor\": 40, \"build-id\": 40,"
	    " \"policy\": -9223372036854775808, \"state\": \"launch-secret\"}",
	};
	for (guint i = 0; i < G_N_ELEMENTS(replies); i++)
		test_guest_info_expect_error(replies[i], SL_ERROR_PROTOCOL);
}

/* a NULL node (no "return" at all) is the peer's fault, never a critical */
static void
test_guest_info_null_node(void)
{
	g_autoptr(GError) error = NULL;
	g_auto(SlSevGuestInfo) info = {0};

	g_assert_false(sl_qemu_sev_reply_parse_query_sev(NULL, &info, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_PROTOCOL);
}

static void
test_launch_measure_ok(void)
{
	g_autoptr(JsonNode) node = test_json("{\"data\": \"" M5_BLOB "\"}");
	g_autoptr(GError) error = NULL;
	g_autofree guchar *expected = NULL;
	gsize expected_len = 0;
	guint8 measurement[SL_MEASUREMENT_SIZE];
	guint8 mnonce[SL_MNONCE_SIZE];

	g_assert_true(sl_qemu_sev_reply_parse_launch_measure(node, measurement, mnonce, &error));
	g_assert_no_error(error);
	/* GLib's lenient decoder as an independent reference */
	expected = g_base64_decode(M5_BLOB, &expected_len);
	g_assert_cmpuint(expected_len, ==, 48);
	g_assert_cmpmem(measurement, sizeof(measurement), expected, 32);
	g_assert_cmpmem(mnonce, sizeof(mnonce), expected + 32, 16);
}

static void
test_launch_measure_expect_error(JsonNode *node)
{
	g_autoptr(GError) error = NULL;
	guint8 measurement[SL_MEASUREMENT_SIZE];
	guint8 mnonce[SL_MNONCE_SIZE];

	g_assert_false(sl_qemu_sev_reply_parse_launch_measure(node, measurement, mnonce, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_PROTOCOL);
}

static void
test_launch_measure_expect_error_json(const gchar *text)
{
	g_autoptr(JsonNode) node = test_json(text);
	test_launch_measure_expect_error(node);
}

static void
test_launch_measure_wrong_length(void)
{
	guint8 buf[64] = {0};
	gsize lens[] = {0, 1, 32, 47, 49, 64};

	for (guint i = 0; i < G_N_ELEMENTS(lens); i++) {
		g_autofree gchar *b64 = g_base64_encode(buf, lens[i]);
		g_autofree gchar *text = g_strdup_printf("{\"data\": \"%s\"}", b64);
		test_launch_measure_expect_error_json(text);
	}
}

static void
test_launch_measure_malformed(void)
{
	const gchar *replies[] = {
	    "{}",
	    "{\"data\": null}",
	    "{\"data\": 48}",
	    "{\"data\": true}",
	    "{\"data\": [\"" M5_BLOB "\"]}",
	    "{\"data\": {\"data\": \"" M5_BLOB "\"}}",
	    "[\"" M5_BLOB "\"]",
	    "\"" M5_BLOB "\"",
	    /* not base64: bad characters, missing padding, stray whitespace, embedded padding */
	    "{\"data\": \"/o0nzDKE5XgtVnUZWPhUea/WZYrTKLExR7KCwuMdbActvpWfXTFk21KMZIAAhQn*\"}",
	    "{\"data\": \"/o0nzDKE5XgtVnUZWPhUea/WZYrTKLExR7KCwuMdbActvpWfXTFk21KMZIAAhQn\"}",
	    "{\"data\": \" /o0nzDKE5XgtVnUZWPhUea/WZYrTKLExR7KCwuMdbActvpWfXTFk21KMZIAAhQny\"}",
	    "{\"data\": \"/o0nzDKE5XgtVnUZWPhUea/WZYrTKLExR7KCwuMdbActvpWfXTFk21KMZIAA==ny\"}",
	    "{\"data\": \"\"}",
	};
	for (guint i = 0; i < G_N_ELEMENTS(replies); i++)
		test_launch_measure_expect_error_json(replies[i]);
	test_launch_measure_expect_error(NULL);
}

static JsonNode *
test_cpus_reply(guint count)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();

	json_builder_begin_array(builder);
	for (guint i = 0; i < count; i++) {
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "cpu-index");
		json_builder_add_int_value(builder, i);
		json_builder_set_member_name(builder, "qom-path");
		json_builder_add_string_value(builder, "/machine/unattached/device[0]");
		json_builder_set_member_name(builder, "thread-id");
		json_builder_add_int_value(builder, 1000 + i);
		json_builder_set_member_name(builder, "target");
		json_builder_add_string_value(builder, "x86_64");
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
	return json_builder_get_root(builder);
}

static void
test_cpu_count_ok(void)
{
	guint counts[] = {1, 4, 288};

	for (guint i = 0; i < G_N_ELEMENTS(counts); i++) {
		g_autoptr(JsonNode) node = test_cpus_reply(counts[i]);
		g_autoptr(GError) error = NULL;
		guint count = 0;
		g_assert_true(sl_qemu_sev_reply_parse_cpus_fast(node, &count, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(count, ==, counts[i]);
	}
}

static void
test_cpu_count_expect_error(JsonNode *node)
{
	g_autoptr(GError) error = NULL;
	guint count = 0;

	g_assert_false(sl_qemu_sev_reply_parse_cpus_fast(node, &count, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_PROTOCOL);
}

static void
test_cpu_count_malformed(void)
{
	const gchar *replies[] = {
	    "[]",
	    "{}",
	    "{\"cpus\": [{}]}",
	    "\"4\"",
	    "4",
	    "null",
	    "[{\"cpu-index\": 0}, 1]",
	    "[{\"cpu-index\": 0}, null]",
	    "[[], {\"cpu-index\": 1}]",
	    "[{\"cpu-index\": 0}, \"cpu1\"]",
	};
	for (guint i = 0; i < G_N_ELEMENTS(replies); i++) {
		g_autoptr(JsonNode) node = test_json(replies[i]);
		test_cpu_count_expect_error(node);
	}
	test_cpu_count_expect_error(NULL);
}

/* a peer that claims thousands of vCPUs would make us hash that many VMSAs */
static void
test_cpu_count_too_many(void)
{
	g_autoptr(JsonNode) node = test_cpus_reply(5000);
	test_cpu_count_expect_error(node);
}

static void
test_status_ok(void)
{
	g_autoptr(JsonNode) node =
	    test_json("{\"running\": false, \"singlestep\": false, \"status\": \"prelaunch\"}");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *status = NULL;
	gboolean running = TRUE;

	g_assert_true(sl_qemu_sev_reply_parse_status(node, &running, &status, &error));
	g_assert_no_error(error);
	g_assert_false(running);
	g_assert_cmpstr(status, ==, "prelaunch");
}

static void
test_status_malformed(void)
{
	const gchar *replies[] = {
	    "{\"running\": \"no\", \"status\": \"paused\"}",
	    "{\"running\": true}",
	    "{\"running\": true, \"status\": 3}",
	    "[]",
	};

	for (guint i = 0; i < G_N_ELEMENTS(replies); i++) {
		g_autoptr(JsonNode) node = test_json(replies[i]);
		g_autoptr(GError) error = NULL;
		g_autofree gchar *status = NULL;
		gboolean running = FALSE;

		g_assert_false(sl_qemu_sev_reply_parse_status(node, &running, &status, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_PROTOCOL);
		g_assert_null(status);
	}
}

static void
test_version_ok(void)
{
	g_autoptr(JsonNode) node = test_json(
	    "{\"qemu\": {\"major\": 9, \"minor\": 2, \"micro\": 1}, \"package\": \"Debian 1:9.2\"}");
	g_autoptr(GError) error = NULL;
	guint major = 0, minor = 0, micro = 0;

	g_assert_true(sl_qemu_sev_reply_parse_version(node, &major, &minor, &micro, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(major, ==, 9);
	g_assert_cmpuint(minor, ==, 2);
	g_assert_cmpuint(micro, ==, 1);
}

static void
test_version_malformed(void)
{
	const gchar *replies[] = {
	    "{\"qemu\": {\"major\": 9, \"minor\": 2}}",
	    "{\"qemu\": {\"major\": -1, \"minor\": 2, \"micro\": 0}}",
	    "{\"qemu\": {\"major\": 9, \"minor\": 99999999, \"micro\": 0}}",
	    "{\"qemu\": \"9.2.1\"}",
	    "{}",
	};

	for (guint i = 0; i < G_N_ELEMENTS(replies); i++) {
		g_autoptr(JsonNode) node = test_json(replies[i]);
		g_autoptr(GError) error = NULL;
		guint major = 7, minor = 7, micro = 7;

		g_assert_false(sl_qemu_sev_reply_parse_version(node, &major, &minor, &micro, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_PROTOCOL);
		g_assert_cmpuint(major, ==, 7);
	}
}

static void
test_capabilities_ok(void)
{
	g_autoptr(JsonNode) node =
	    test_json("{\"pdh\": \"UERI\", \"cert-chain\": \"Q0hBSU4=\", "
		      "\"cpu0-id\": \"SUQ=\", \"cbitpos\": 51, \"reduced-phys-bits\": 1}");
	g_autoptr(JsonNode) old = test_json(
	    "{\"pdh\": \"UERI\", \"cert-chain\": \"Q0hBSU4=\", \"cbitpos\": 47, \"reduced-phys-bits\": 5}");
	g_autoptr(GError) error = NULL;
	g_auto(SlSevCapabilities) caps = {0};

	g_assert_true(sl_qemu_sev_reply_parse_capabilities(node, &caps, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(caps.pdh, ==, "UERI");
	g_assert_cmpstr(caps.cert_chain, ==, "Q0hBSU4=");
	g_assert_cmpstr(caps.cpu0_id, ==, "SUQ=");
	g_assert_cmpuint(caps.cbitpos, ==, 51);
	g_assert_cmpuint(caps.reduced_phys_bits, ==, 1);
	/* before QEMU 7.1 there is no cpu0-id */
	g_assert_true(sl_qemu_sev_reply_parse_capabilities(old, &caps, &error));
	g_assert_null(caps.cpu0_id);
	g_assert_cmpuint(caps.cbitpos, ==, 47);
}

static void
test_capabilities_malformed(void)
{
	const gchar *replies[] = {
	    "{\"cert-chain\": \"Q0hBSU4=\", \"cbitpos\": 47, \"reduced-phys-bits\": 5}",
	    "{\"pdh\": 1, \"cert-chain\": \"Q0hBSU4=\", \"cbitpos\": 47, \"reduced-phys-bits\": 5}",
	    "{\"pdh\": \"UERI\", \"cert-chain\": \"Q0hBSU4=\", \"cpu0-id\": 7, \"cbitpos\": 47, "
	    "\"reduced-phys-bits\": 5}",
	    "{\"pdh\": \"UERI\", \"cert-chain\": \"Q0hBSU4=\", \"cbitpos\": 64, \"reduced-phys-bits\": 5}",
	    "{\"pdh\": \"UERI\", \"cert-chain\": \"Q0hBSU4=\", \"cbitpos\": 47, \"reduced-phys-bits\": -1}",
	};

	for (guint i = 0; i < G_N_ELEMENTS(replies); i++) {
		g_autoptr(JsonNode) node = test_json(replies[i]);
		g_autoptr(GError) error = NULL;
		g_auto(SlSevCapabilities) caps = {0};

		g_assert_false(sl_qemu_sev_reply_parse_capabilities(node, &caps, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_PROTOCOL);
		g_assert_null(caps.pdh);
	}
}

/* the one mapping of QMP failures: error replies, broken sessions, cancellation */
static void
test_error_mapping(void)
{
	struct {
		GQuark domain;
		gint code;
		gint expected;
		const gchar *message;
	} cases[] = {
	    {QMP_ERROR, QMP_ERROR_GENERIC_ERROR, SL_ERROR_INJECTION_REFUSED, "refused: desc"},
	    {QMP_ERROR, QMP_ERROR_COMMAND_NOT_FOUND, SL_ERROR_INJECTION_REFUSED, "refused: desc"},
	    {QMP_ERROR, QMP_ERROR_OTHER_CLASS, SL_ERROR_INJECTION_REFUSED, "refused: desc"},
	    {QMP_ERROR, QMP_ERROR_CLOSED, SL_ERROR_CONNECTION, "cmd: desc"},
	    {QMP_ERROR, QMP_ERROR_TIMEOUT, SL_ERROR_CONNECTION, "cmd: desc"},
	    {QMP_ERROR, QMP_ERROR_CONNECT, SL_ERROR_CONNECTION, "cmd: desc"},
	    {QMP_ERROR, QMP_ERROR_PROTOCOL, SL_ERROR_PROTOCOL, "cmd: desc"},
	    {G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, SL_ERROR_CONNECTION, "cmd: desc"},
	};
	g_autoptr(GError) cancelled = NULL;
	g_autoptr(GError) own = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error =
		    sl_qemu_sev_error_new(g_error_new_literal(cases[i].domain, cases[i].code, "desc"),
					  "cmd",
					  SL_ERROR_INJECTION_REFUSED,
					  "refused: ");
		g_assert_error(error, SL_ERROR, cases[i].expected);
		g_assert_cmpstr(error->message, ==, cases[i].message);
	}
	/* what GIO callers test for, and our own errors, pass through */
	cancelled = sl_qemu_sev_error_new(g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CANCELLED, "stop"),
					  "cmd",
					  SL_ERROR_INJECTION_REFUSED,
					  "refused: ");
	g_assert_error(cancelled, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpstr(cancelled->message, ==, "stop");
	own = sl_qemu_sev_error_new(g_error_new_literal(SL_ERROR, SL_ERROR_NOT_VERIFIABLE, "snp"),
				    "cmd",
				    SL_ERROR_INJECTION_REFUSED,
				    "refused: ");
	g_assert_error(own, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
	g_assert_cmpstr(own->message, ==, "snp");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/qemu-sev/guest/qemu-7.2", test_guest_info_qemu72);
	g_test_add_func("/qemu-sev/guest/qemu-9.1", test_guest_info_qemu91);
	g_test_add_func("/qemu-sev/guest/other-state", test_guest_info_other_state);
	g_test_add_func("/qemu-sev/guest/not-verifiable", test_guest_info_not_verifiable);
	g_test_add_func("/qemu-sev/guest/missing-members", test_guest_info_missing_members);
	g_test_add_func("/qemu-sev/guest/wrong-types", test_guest_info_wrong_types);
	g_test_add_func("/qemu-sev/guest/out-of-range", test_guest_info_out_of_range);
	g_test_add_func("/qemu-sev/guest/null-node", test_guest_info_null_node);
	g_test_add_func("/qemu-sev/launch-measure/ok", test_launch_measure_ok);
	g_test_add_func("/qemu-sev/launch-measure/wrong-length", test_launch_measure_wrong_length);
	g_test_add_func("/qemu-sev/launch-measure/malformed", test_launch_measure_malformed);
	g_test_add_func("/qemu-sev/cpus/ok", test_cpu_count_ok);
	g_test_add_func("/qemu-sev/cpus/malformed", test_cpu_count_malformed);
	g_test_add_func("/qemu-sev/cpus/too-many", test_cpu_count_too_many);
	g_test_add_func("/qemu-sev/status/ok", test_status_ok);
	g_test_add_func("/qemu-sev/status/malformed", test_status_malformed);
	g_test_add_func("/qemu-sev/version/ok", test_version_ok);
	g_test_add_func("/qemu-sev/version/malformed", test_version_malformed);
	g_test_add_func("/qemu-sev/capabilities/ok", test_capabilities_ok);
	g_test_add_func("/qemu-sev/capabilities/malformed", test_capabilities_malformed);
	g_test_add_func("/qemu-sev/error-mapping", test_error_mapping);
	return g_test_run();
}
