/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-launch-target.h"

G_BEGIN_DECLS

/* the run state of a guest whose vCPUs never ran, as QEMU names it (-S, virsh start --paused) */
#define SL_RUN_STATE_PRELAUNCH "prelaunch"

/*
 * the guest must never have run: @info (read with SL_LAUNCH_INFO_RUN_STATE)
 * must say "prelaunch"; anything else is SL_ERROR_NOT_VERIFIABLE with a
 * message saying how to start the guest paused
 */
gboolean
sl_run_state_check_prelaunch(const SlLaunchInfo *info, GError **error);

G_END_DECLS
