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
				   "no answer to sev-inject-launch-secret within %u s (--timeout)",
				   seconds);
	case SL_VERIFY_PHASE_RESUMING:
		return g_error_new(
		    SL_ERROR, SL_ERROR_CONNECTION, "no answer to cont within %u s (--timeout)", seconds);
	case SL_VERIFY_PHASE_QUITTING:
		return g_error_new(SL_ERROR,
				   SL_ERROR_MISMATCH,
				   "launch measurement mismatch; no answer to quit within %u s (--timeout)",
				   seconds);
	case SL_VERIFY_PHASE_OPENING:
		if (stall != NULL)
			return g_error_new_literal(SL_ERROR, SL_ERROR_CONNECTION, stall);
		break;
	case SL_VERIFY_PHASE_QUERYING:
	default:
		break;
	}
	return g_error_new(SL_ERROR, SL_ERROR_CONNECTION, "no verdict within %u s (--timeout)", seconds);
}

GError *
sl_verify_phase_cancelled_error(SlVerifyPhase phase)
{
	const gchar *what = "interrupted before a verdict";

	switch (phase) {
	case SL_VERIFY_PHASE_OPENING:
		what = "interrupted before the VM answered";
		break;
	case SL_VERIFY_PHASE_INJECTING:
		what = "interrupted before sev-inject-launch-secret was answered";
		break;
	case SL_VERIFY_PHASE_RESUMING:
		what = "interrupted before cont was answered";
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

	if (!g_error_matches(error, SL_ERROR, SL_ERROR_CONNECTION))
		return g_steal_pointer(&error_owned);
	if (phase == SL_VERIFY_PHASE_INJECTING)
		sent = "sev-inject-launch-secret";
	else if (phase == SL_VERIFY_PHASE_RESUMING)
		sent = "cont";
	else
		return g_steal_pointer(&error_owned);
	return g_error_new(SL_ERROR,
			   SL_ERROR_CONNECTION,
			   "the connection ended after %s was sent (%s)",
			   sent,
			   error->message);
}

/* did the command of @phase perhaps reach the VM although @error ended it? */
static gboolean
sl_verify_phase_may_have_acted(const GError *error)
{
	/* an answer that says no (a refusal, an error reply) means it did not */
	return g_error_matches(error, SL_ERROR, SL_ERROR_CONNECTION) ||
	       g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

GError *
sl_verify_phase_describe(SlVerifyPhase phase, gboolean secret_sent, GError *error)
{
	const gchar *verified = "";
	const gchar *sent;
	g_autofree gchar *cause = NULL;

	switch (phase) {
	case SL_VERIFY_PHASE_OPENING:
		sent = "nothing sent";
		break;
	case SL_VERIFY_PHASE_INJECTING:
		verified = "measurement verified, but ";
		sent = sl_verify_phase_may_have_acted(error)
			   ? "the secret may have been injected; VM not resumed"
			   : "VM not resumed";
		break;
	case SL_VERIFY_PHASE_RESUMING:
		verified = "measurement verified, but ";
		if (sl_verify_phase_may_have_acted(error))
			sent = secret_sent ? "the secret was injected; the VM may be running"
					   : "the VM may be running";
		else
			sent = secret_sent ? "the secret was injected; VM not resumed" : "VM not resumed";
		break;
	case SL_VERIFY_PHASE_QUERYING:
	case SL_VERIFY_PHASE_QUITTING:
	default:
		sent = "nothing injected, VM not resumed";
		break;
	}
	cause = g_steal_pointer(&error->message);
	error->message = g_strdup_printf("%s%s: %s", verified, cause, sent);
	return error;
}
