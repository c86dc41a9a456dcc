/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-error.h"
#include "sl-run-state.h"

static SlLaunchInfo *
info_new(const gchar *state, gboolean running)
{
	SlLaunchInfo *info = sl_launch_info_new();
	info->have = SL_LAUNCH_INFO_RUN_STATE;
	info->run_state = g_strdup(state);
	info->running = running;
	return info;
}

static void
test_run_state_prelaunch(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlLaunchInfo) info = info_new("prelaunch", FALSE);

	g_assert_true(sl_run_state_check_prelaunch(info, &error));
	g_assert_no_error(error);
}

static void
test_run_state_already_ran(void)
{
	const struct {
		const gchar *state;
		gboolean running;
	} cases[] = {
	    {"running", TRUE},
	    {"paused", FALSE},
	    {"inmigrate", FALSE},
	    {"prelaunch", TRUE}, /* contradictory: refused */
	    {NULL, FALSE},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SlLaunchInfo) info = info_new(cases[i].state, cases[i].running);

		g_assert_false(sl_run_state_check_prelaunch(info, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
		g_assert_nonnull(strstr(error->message, "virsh start --paused"));
	}
}

static void
test_run_state_not_read(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlLaunchInfo) info = info_new("prelaunch", FALSE);

	/* a target that did not read the state has not shown the guest never ran */
	info->have = SL_LAUNCH_INFO_GUEST;
	g_assert_false(sl_run_state_check_prelaunch(info, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/run-state/prelaunch", test_run_state_prelaunch);
	g_test_add_func("/run-state/already-ran", test_run_state_already_ran);
	g_test_add_func("/run-state/not-read", test_run_state_not_read);
	return g_test_run();
}
