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
 * the deadline (--timeout, @seconds) passed in @phase: says what may have
 * happened; @stall is the target's own account of an open that never
 * completed (NULL: none)
 */
GError *
sl_verify_phase_timeout_error(SlVerifyPhase phase, guint seconds, const gchar *stall);

/* the same for a run the caller cancelled (a signal): G_IO_ERROR_CANCELLED */
GError *
sl_verify_phase_cancelled_error(SlVerifyPhase phase);

/*
 * a step of @phase failed with @error (taken): a connection that ended after
 * the secret or the resume went out may have delivered it, and the error
 * says so; any other error is returned as it is
 */
GError *
sl_verify_phase_step_error(SlVerifyPhase phase, GError *error);

G_END_DECLS
