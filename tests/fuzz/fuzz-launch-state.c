/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "sl-error.h"
#include "sl-launch-state.h"
#include "sl-report.h"

/*
 * the launch-state document (verify --launch-state, certs/session
 * --launch-state): what the host's 'query' wrote. A state that parses, written
 * again as 'query' writes it, parses to the same values.
 */

static void
sl_fuzz_launch_state_check_bytes(GBytes *a, GBytes *b)
{
	g_assert_true((a == NULL) == (b == NULL));
	if (a != NULL)
		g_assert_true(g_bytes_equal(a, b));
}

static void
sl_fuzz_launch_state_check_same(const SlLaunchState *a, const SlLaunchState *b)
{
	g_assert_cmpstr(a->qemu_version, ==, b->qemu_version);
	g_assert_cmpstr(a->state, ==, b->state);
	g_assert_cmpint(a->sev_es, ==, b->sev_es);
	g_assert_cmpuint(a->params.api_major, ==, b->params.api_major);
	g_assert_cmpuint(a->params.api_minor, ==, b->params.api_minor);
	g_assert_cmpuint(a->params.build_id, ==, b->params.build_id);
	g_assert_cmpuint(a->params.policy, ==, b->params.policy);
	g_assert_cmpuint(a->vcpus, ==, b->vcpus);
	g_assert_true(memcmp(a->measurement, b->measurement, SL_MEASUREMENT_SIZE) == 0);
	g_assert_true(memcmp(a->mnonce, b->mnonce, SL_MNONCE_SIZE) == 0);
	g_assert_cmpint(a->has_platform, ==, b->has_platform);
	sl_fuzz_launch_state_check_bytes(a->pdh, b->pdh);
	sl_fuzz_launch_state_check_bytes(a->cert_chain, b->cert_chain);
	sl_fuzz_launch_state_check_bytes(a->cpu0_id, b->cpu0_id);
	g_assert_cmpuint(a->cbitpos, ==, b->cbitpos);
	g_assert_cmpuint(a->reduced_phys_bits, ==, b->reduced_phys_bits);
}

static void
sl_fuzz_launch_state_check_bounds(const SlLaunchState *state)
{
	g_assert_nonnull(state->state);
	if (!state->has_platform) {
		g_assert_null(state->pdh);
		return;
	}
	g_assert_cmpuint(g_bytes_get_size(state->pdh), ==, SL_LAUNCH_STATE_CERT_SIZE);
	g_assert_cmpuint(g_bytes_get_size(state->cert_chain), ==, 3 * SL_LAUNCH_STATE_CERT_SIZE);
	if (state->cpu0_id != NULL)
		g_assert_cmpuint(g_bytes_get_size(state->cpu0_id), <=, SL_LAUNCH_STATE_CPU0_ID_MAX);
	g_assert_cmpuint(state->cbitpos, <=, 63);
	g_assert_cmpuint(state->reduced_phys_bits, <=, 63);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(SlLaunchState) state = NULL;
	g_autoptr(SlLaunchState) again = NULL;
	g_autoptr(SlReport) report = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = NULL;

	sl_fuzz_init();
	state = sl_launch_state_parse((const gchar *)data, size, &error);
	if (state == NULL) {
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
		return 0;
	}
	g_assert_no_error(error);
	sl_fuzz_launch_state_check_bounds(state);

	report = sl_report_new("query");
	sl_launch_state_describe(state, report);
	sl_report_set_result(report, NULL);
	json = sl_report_to_json(report);
	again = sl_launch_state_parse(json, strlen(json), &error);
	if (again == NULL)
		g_error("fuzz: the launch state written again is refused: %s\n%s", error->message, json);
	sl_fuzz_launch_state_check_same(state, again);
	return 0;
}
