/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* how far a verification got: what an early end means depends on it */
typedef enum {
	SL_VERIFY_PHASE_OPENING,   /* nothing sent to the VM yet */
	SL_VERIFY_PHASE_QUERYING,  /* nothing changed in the VM yet */
	SL_VERIFY_PHASE_INJECTING, /* verified; the secret is on its way */
	SL_VERIFY_PHASE_RESUMING,  /* verified; the resume is on its way */
	SL_VERIFY_PHASE_QUITTING,  /* mismatch; quit is on its way */
} SlVerifyPhase;

/*
 * the causes of an early end; each says what went wrong, not what was sent:
 * sl_verify_phase_describe() adds that, once, to every error of a run
 */

/*
 * the deadline (--timeout, @seconds) passed in @phase; @stall is the
 * target's own account of an open that never completed (NULL: none)
 */
GError *
sl_verify_phase_timeout_error(SlVerifyPhase phase, guint seconds, const gchar *stall);

/* the caller cancelled the run (a signal): G_IO_ERROR_CANCELLED */
GError *
sl_verify_phase_cancelled_error(SlVerifyPhase phase);

/*
 * a step of @phase failed with @error (taken): a connection that ended after
 * the secret or the resume went out is said to have ended after that command
 */
GError *
sl_verify_phase_step_error(SlVerifyPhase phase, GError *error);

/*
 * the error a run ends with, from the cause @error (taken): the same domain
 * and code, its message followed by what had already been sent to the VM in
 * @phase (nothing; the secret, which may have arrived; cont, so the VM may be
 * running); @secret_sent: a secret went out before @phase
 */
GError *
sl_verify_phase_describe(SlVerifyPhase phase, gboolean secret_sent, GError *error);

G_END_DECLS
