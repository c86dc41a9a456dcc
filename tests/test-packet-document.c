/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-error.h"
#include "sl-packet-document.h"

static SlPacketDocument *
parse(const gchar *text, GError **error)
{
	return sl_packet_document_parse(text, strlen(text), error);
}

static void
test_packet_document_round_trip(void)
{
	g_autoptr(SlSecretTable) table = sl_secret_table_new();
	g_autoptr(SlPacketDocument) doc = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = NULL;
	SlSecretPacket packet = {
	    /* 52 bytes of header, 32 of payload: shapes only, nothing here is checked cryptographically */
	    .header_base64 =
		(gchar *)"AAAAAKxUdO1N0yx9mJ7FI9klWey8FSzeYQ4X8K71VzNKLU/KQsIsQxLjtbhaPUewqshX5Q==",
	    .payload_base64 = (gchar *)"0U3e5PcXv0UW+H4tSBFKOdCYfKE1+j38Bc2fuO16mYg=",
	};
	guint8 measurement[SL_MEASUREMENT_SIZE];
	guint8 mnonce[SL_MNONCE_SIZE];
	SlGuid guid = sl_guid_from_string("736869e5-84f0-4973-92ec-06879ce3da0b");
	g_autoptr(SlSecretBytes) secret = sl_secret_bytes_new_copy("x", 1);

	memset(measurement, 0xa5, sizeof(measurement));
	memset(mnonce, 0x5a, sizeof(mnonce));
	g_assert_true(sl_secret_table_add(table, &guid, secret, &error));
	text = sl_packet_document_build(&packet, table, measurement, mnonce, TRUE, 0x80c000);
	g_assert_true(g_str_has_suffix(text, "}\n"));
	/* one line: a pipeline reads it as one document */
	g_assert_true(strchr(text, '\n') == text + strlen(text) - 1);
	g_assert_nonnull(strstr(text, "\"secret_gpa\":8437760"));
	g_assert_nonnull(strstr(text, "\"measurement\":\"a5a5"));
	doc = parse(text, &error);
	g_assert_no_error(error);
	g_assert_cmpmem(doc->measurement, 32, measurement, 32);
	g_assert_cmpmem(doc->mnonce, 16, mnonce, 16);
	g_assert_cmpstr(doc->header_base64, ==, packet.header_base64);
	g_assert_cmpstr(doc->payload_base64, ==, packet.payload_base64);
	g_assert_true(doc->has_gpa);
	g_assert_cmpuint(doc->gpa, ==, 0x80c000);
	g_assert_cmpuint(doc->secrets->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(doc->secrets, 0), ==, "736869e5-84f0-4973-92ec-06879ce3da0b");
}

#define M64 "a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5"
#define N32 "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"
#define HDR "AAAAAKxUdO1N0yx9mJ7FI9klWey8FSzeYQ4X8K71VzNKLU/KQsIsQxLjtbhaPUewqshX5Q=="
#define PAY "0U3e5PcXv0UW+H4tSBFKOdCYfKE1+j38Bc2fuO16mYg="

static void
test_packet_document_refused(void)
{
	const gchar *bad[] = {
	    "{}",
	    /* not a packet document */
	    "{\"schema_version\":1,\"command\":\"query\",\"exit_code\":0}",
	    /* measurement short by one byte */
	    "{\"schema_version\":1,\"document\":\"packet\",\"measurement\":\"a5a5\",\"mnonce\":\"" N32
	    "\",\"packet_header\":\"" HDR "\",\"secret\":\"" PAY "\"}",
	    /* header not 52 bytes */
	    "{\"schema_version\":1,\"document\":\"packet\",\"measurement\":\"" M64 "\",\"mnonce\":\"" N32
	    "\",\"packet_header\":\"AAAA\",\"secret\":\"" PAY "\"}",
	    /* payload not whole blocks */
	    "{\"schema_version\":1,\"document\":\"packet\",\"measurement\":\"" M64 "\",\"mnonce\":\"" N32
	    "\",\"packet_header\":\"" HDR "\",\"secret\":\"AAAA\"}",
	    /* a gpa QEMU cannot take */
	    "{\"schema_version\":1,\"document\":\"packet\",\"measurement\":\"" M64 "\",\"mnonce\":\"" N32
	    "\",\"packet_header\":\"" HDR "\",\"secret\":\"" PAY "\",\"secret_gpa\":0}",
	    /* not hex */
	    "{\"schema_version\":1,\"document\":\"packet\",\"measurement\":\"" M64 "\",\"mnonce\":\"" N32
	    "\",\"packet_header\":\"" HDR "\",\"secret\":\"" PAY "\",\"secrets\":[\"nope\"]}",
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SlPacketDocument) doc = parse(bad[i], &error);
		g_assert_null(doc);
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/packet-document/round-trip", test_packet_document_round_trip);
	g_test_add_func("/packet-document/refused", test_packet_document_refused);
	return g_test_run();
}
