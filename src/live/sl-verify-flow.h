/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sl-launch-target.h"
#include "sl-report.h"
#include "sl-verify-options.h"

G_BEGIN_DECLS

/*
 * opens @target, reads the guest and its measurement, verifies; on a match
 * injects the secrets and resumes; on a mismatch never resumes. @report
 * collects what is shown to the user; @options, @report and @target must
 * outlive the call. Check @options with sl_verify_options_check() first.
 * When it completes, calls still pending are cancelled and @target is
 * closed. Cancelling @cancellable ends the run with G_IO_ERROR_CANCELLED, its
 * message saying what was already sent (as a timeout does).
 */
void
sl_verify_flow_run_async(SlLaunchTarget *target,
			 const SlVerifyFlowOptions *options,
			 SlReport *report,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data);
gboolean
sl_verify_flow_run_finish(GAsyncResult *result, GError **error);

G_END_DECLS
