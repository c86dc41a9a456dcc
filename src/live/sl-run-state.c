/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-error.h"
#include "sl-run-state.h"

gboolean
sl_run_state_check_prelaunch(const SlLaunchInfo *info, GError **error)
{
	const gchar *state = info->run_state != NULL ? info->run_state : "unknown";

	/* once the vCPUs ran, the guest may have changed what the measurement vouches for */
	if ((info->have & SL_LAUNCH_INFO_RUN_STATE) == 0 || info->running ||
	    g_strcmp0(info->run_state, SL_RUN_STATE_PRELAUNCH) != 0) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "the guest's vCPUs have already run (QEMU status '%s', not 'prelaunch'): start "
			    "it paused and verify before it runs (QEMU -S; libvirt: virsh start --paused)",
			    state);
		return FALSE;
	}
	return TRUE;
}
