/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-error.h"
#include "sl-launch-state.h"

/* VECTORS.md M3: measurement || MNONCE as QEMU reports it */
#define M3_BLOB "oMDewIouJSpbpNRHj7Mk3p08H2dPZQdsZMU14qIymBnDE/q1EcIWsVBbGy6pkDxA"
#define M3_MEASUREMENT "a0c0dec08a2e252a5ba4d4478fb324de9d3c1f674f65076c64c535e2a2329819"

static gchar *
launch_state_text(const gchar *guest_extra, const gchar *platform)
{
	return g_strdup_printf("{\"schema_version\":1,\"command\":\"query\",\"qemu\":{\"version\":\"7.2.0\"},"
			       "\"guest\":{\"state\":\"launch-secret\",\"sev_mode\":\"SEV\",\"api_major\":1,"
			       "\"api_minor\":40,\"build_id\":40,\"policy\":3,\"vcpus\":2%s},"
			       "\"launch_measure\":{\"data\":\"" M3_BLOB
			       "\"},\"platform\":%s,\"exit_code\":0}",
			       guest_extra,
			       platform);
}

static void
test_launch_state_parse(void)
{
	g_autofree gchar *text = launch_state_text("", "null");
	g_autoptr(GError) error = NULL;
	g_autoptr(SlLaunchState) state = sl_launch_state_parse(text, strlen(text), &error);
	g_autofree gchar *hex = NULL;

	g_assert_no_error(error);
	g_assert_nonnull(state);
	g_assert_cmpstr(state->state, ==, "launch-secret");
	g_assert_false(state->sev_es);
	g_assert_cmpuint(state->params.api_major, ==, 1);
	g_assert_cmpuint(state->params.api_minor, ==, 40);
	g_assert_cmpuint(state->params.build_id, ==, 40);
	g_assert_cmpuint(state->params.policy, ==, 3);
	g_assert_cmpuint(state->vcpus, ==, 2);
	g_assert_false(state->has_platform);
	hex = g_strdup_printf("%02x%02x", state->measurement[0], state->measurement[31]);
	g_assert_cmpstr(hex, ==, "a019");
	g_assert_cmpuint(state->mnonce[0], ==, 0xc3);
}

/* what describe writes, parse reads back */
static void
test_launch_state_round_trip(void)
{
	g_autoptr(SlLaunchState) state = sl_launch_state_new();
	g_autoptr(SlLaunchState) back = NULL;
	g_autoptr(SlReport) report = sl_report_new("query");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = NULL;
	guint8 cert[SL_LAUNCH_STATE_CERT_SIZE * 3];
	const guint8 id[] = {0xab, 0xcd};

	memset(cert, 0x11, sizeof(cert));
	state->state = g_strdup("launch-secret");
	state->sev_es = TRUE;
	state->params.policy = 0x5;
	state->params.build_id = 7;
	state->vcpus = 4;
	memset(state->measurement, 0x22, sizeof(state->measurement));
	memset(state->mnonce, 0x33, sizeof(state->mnonce));
	state->has_platform = TRUE;
	state->pdh = g_bytes_new(cert, SL_LAUNCH_STATE_CERT_SIZE);
	state->cert_chain = g_bytes_new(cert, sizeof(cert));
	state->cpu0_id = g_bytes_new(id, sizeof(id));
	state->cbitpos = 51;
	sl_launch_state_describe(state, report);
	sl_report_set_result(report, NULL);
	json = sl_report_to_json(report);
	g_assert_nonnull(strstr(json, "\"cpu0_id\":\"abcd\""));
	g_assert_nonnull(strstr(json, "\"policy\":5"));
	back = sl_launch_state_parse(json, strlen(json), &error);
	g_assert_no_error(error);
	g_assert_true(back->sev_es);
	g_assert_cmpuint(back->params.policy, ==, 5);
	g_assert_cmpuint(back->vcpus, ==, 4);
	g_assert_cmpmem(back->measurement, 32, state->measurement, 32);
	g_assert_cmpmem(back->mnonce, 16, state->mnonce, 16);
	g_assert_true(back->has_platform);
	g_assert_true(g_bytes_equal(back->pdh, state->pdh));
	g_assert_true(g_bytes_equal(back->cert_chain, state->cert_chain));
	g_assert_true(g_bytes_equal(back->cpu0_id, state->cpu0_id));
	g_assert_cmpuint(back->cbitpos, ==, 51);
}

static void
test_launch_state_refused(void)
{
	const gchar *bad[] = {
	    "",
	    "[]",
	    "{\"schema_version\":2,\"command\":\"query\",\"exit_code\":0}",
	    "{\"schema_version\":1,\"command\":\"verify\",\"exit_code\":0}",
	    /* a query that failed carries its error, which the owner sees */
	    "{\"schema_version\":1,\"command\":\"query\",\"exit_code\":4,"
	    "\"error\":{\"class\":\"not-verifiable\",\"message\":\"SEV off\"}}",
	    "{\"schema_version\":\"1\",\"command\":\"query\",\"exit_code\":0}",
	    "{\"schema_version\":1,\"command\":\"query\",\"exit_code\":0,\"guest\":[]}",
	    "\xff\xfe",
	};
	g_autofree gchar *policy = launch_state_text(",\"policy\":4294967296", "null");
	g_autofree gchar *platform = launch_state_text("", "{\"pdh\":\"AAAA\"}");

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SlLaunchState) state = sl_launch_state_parse(bad[i], strlen(bad[i]), &error);
		g_assert_null(state);
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	}
	{
		g_autoptr(GError) error = NULL;
		g_assert_null(sl_launch_state_parse(policy, strlen(policy), &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
		g_assert_nonnull(strstr(error->message, "guest.policy"));
	}
	{
		g_autoptr(GError) error = NULL;
		g_assert_null(sl_launch_state_parse(platform, strlen(platform), &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/launch-state/parse", test_launch_state_parse);
	g_test_add_func("/launch-state/round-trip", test_launch_state_round_trip);
	g_test_add_func("/launch-state/refused", test_launch_state_refused);
	return g_test_run();
}
