/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-launch-state.h"
#include "sl-packet-document.h"
#include "sl-qmp-target.h"
#include "sl-report.h"

G_BEGIN_DECLS

/*
 * the keyless host side of a split launch: the host reads what the owner
 * needs (query) and later delivers what the owner built (inject); neither
 * holds a key. Both first check that the guest never ran (prelaunch) and is
 * an SEV or SEV-ES guest in the launch-secret state: anything else is
 * SL_ERROR_NOT_VERIFIABLE. @target is closed when the operation completes.
 */

/*
 * reads the launch state: query-status, query-sev, query-sev-launch-measure,
 * query-cpus-fast and query-sev-capabilities (when QEMU answers it; a
 * platform without it is no error). Sends nothing that changes the VM.
 */
void
sl_host_query_async(SlQmpTarget *target,
		    GCancellable *cancellable,
		    GAsyncReadyCallback callback,
		    gpointer user_data);
SlLaunchState *
sl_host_query_finish(GAsyncResult *result, GError **error);

/*
 * the platform alone (query-sev-capabilities; no guest state is read or
 * needed): a launch state with has_platform set and no guest; a QEMU that
 * cannot answer is SL_ERROR_NOT_VERIFIABLE. Finish with sl_host_query_finish().
 */
void
sl_host_platform_async(SlQmpTarget *target,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data);

/*
 * re-reads the measurement and refuses, before sending anything, a packet
 * bound to another measurement or MNONCE (SL_ERROR_MISMATCH: QEMU was
 * restarted, or the packet is for another guest); otherwise injects it at
 * @gpa (@has_gpa; else the packet's address, else QEMU's choice) and, with
 * @resume, resumes the VM. A refused injection is
 * SL_ERROR_INJECTION_REFUSED and nothing more is sent. @report gets what was
 * done; @packet and @report must outlive the call.
 */
void
sl_host_inject_async(SlLaunchTarget *target,
		     const SlPacketDocument *packet,
		     gboolean has_gpa,
		     guint64 gpa,
		     gboolean resume,
		     SlReport *report,
		     GCancellable *cancellable,
		     GAsyncReadyCallback callback,
		     gpointer user_data);
gboolean
sl_host_inject_finish(GAsyncResult *result, GError **error);

G_END_DECLS
