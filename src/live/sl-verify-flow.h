/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sl-report.h"
#include "sl-verify-options.h"

G_BEGIN_DECLS

/*
 * attach, query, verify; on a match inject the secrets and resume; on a
 * mismatch never resume. @report collects what is shown to the user.
 * Check @options with sl_verify_options_check() first.
 */
void
sl_verify_flow_run_async(const SlVerifyFlowOptions *options,
			 SlReport *report,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data);
gboolean
sl_verify_flow_run_finish(GAsyncResult *result, GError **error);

G_END_DECLS
