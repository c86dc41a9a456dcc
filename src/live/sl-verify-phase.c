/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-error.h"
#include "sl-verify-phase.h"

GError *
sl_verify_phase_timeout_error(SlVerifyPhase phase, guint seconds, const gchar *stall)
{
	switch (phase) {
	case SL_VERIFY_PHASE_INJECTING:
		return g_error_new(SL_ERROR,
				   SL_ERROR_CONNECTION,
				   "measurement verified, but no answer to sev-inject-launch-secret within "
				   "%u s (--timeout): the secret may have been injected; VM not resumed",
				   seconds);
	case SL_VERIFY_PHASE_RESUMING:
		return g_error_new(SL_ERROR,
				   SL_ERROR_CONNECTION,
				   "measurement verified, but no answer to cont within %u s (--timeout): "
				   "the VM may be running",
				   seconds);
	case SL_VERIFY_PHASE_QUITTING:
		return g_error_new(SL_ERROR,
				   SL_ERROR_MISMATCH,
				   "launch measurement mismatch; no answer to quit within %u s (--timeout)",
				   seconds);
	case SL_VERIFY_PHASE_OPENING:
		if (stall != NULL)
			return g_error_new(SL_ERROR, SL_ERROR_CONNECTION, "%s; nothing sent", stall);
		break;
	case SL_VERIFY_PHASE_QUERYING:
	default:
		break;
	}
	return g_error_new(SL_ERROR,
			   SL_ERROR_CONNECTION,
			   "no verdict within %u s (--timeout): nothing injected, VM not resumed",
			   seconds);
}

GError *
sl_verify_phase_cancelled_error(SlVerifyPhase phase)
{
	const gchar *what = "interrupted before a verdict: nothing injected, VM not resumed";

	switch (phase) {
	case SL_VERIFY_PHASE_OPENING:
		what = "interrupted before the VM answered: nothing sent";
		break;
	case SL_VERIFY_PHASE_INJECTING:
		what = "measurement verified, but interrupted before sev-inject-launch-secret was "
		       "answered: the secret may have been injected; VM not resumed";
		break;
	case SL_VERIFY_PHASE_RESUMING:
		what = "measurement verified, but interrupted before cont was answered: the VM may "
		       "be running";
		break;
	case SL_VERIFY_PHASE_QUITTING:
		what = "launch measurement mismatch; interrupted before quit was answered";
		break;
	case SL_VERIFY_PHASE_QUERYING:
	default:
		break;
	}
	return g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CANCELLED, what);
}

GError *
sl_verify_phase_step_error(SlVerifyPhase phase, GError *error)
{
	g_autoptr(GError) error_owned = error;
	const gchar *sent = NULL;
	const gchar *what = NULL;

	if (!g_error_matches(error, SL_ERROR, SL_ERROR_CONNECTION))
		return g_steal_pointer(&error_owned);
	if (phase == SL_VERIFY_PHASE_INJECTING) {
		sent = "sev-inject-launch-secret";
		what = "the secret may have been injected; VM not resumed";
	} else if (phase == SL_VERIFY_PHASE_RESUMING) {
		sent = "cont";
		what = "the VM may be running";
	} else {
		return g_steal_pointer(&error_owned);
	}
	return g_error_new(SL_ERROR,
			   SL_ERROR_CONNECTION,
			   "measurement verified, but the connection ended after %s was sent: %s (%s)",
			   sent,
			   what,
			   error->message);
}
