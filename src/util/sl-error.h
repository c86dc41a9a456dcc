/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SL_ERROR sl_error_quark()

/*
 * one error domain for the whole tool; every code maps onto one of the
 * documented exit codes (see sl_error_to_exit_code), so pipelines can rely
 * on them
 */
typedef enum {
	SL_ERROR_INVALID_ARGUMENT,  /* bad option or option value: exit 2 */
	SL_ERROR_INVALID_DATA,      /* malformed file or value: exit 2 */
	SL_ERROR_READ,              /* unreadable file: exit 2 */
	SL_ERROR_WRITE,             /* output file not written: exit 2 */
	SL_ERROR_PERMISSION,        /* key or secret file too open: exit 2 */
	SL_ERROR_INTERNAL,          /* crypto library failure: exit 2 */
	SL_ERROR_MISMATCH,          /* measurement differs: exit 1 */
	SL_ERROR_CONNECTION,        /* cannot reach QMP: exit 3 */
	SL_ERROR_PROTOCOL,          /* QMP misbehaved: exit 3 */
	SL_ERROR_NOT_VERIFIABLE,    /* SEV off, wrong state, SNP: exit 4 */
	SL_ERROR_INJECTION_REFUSED, /* secret not injected: exit 5 */
	SL_ERROR_EXISTS,            /* output file exists, replacing it was not asked for: exit 2 */
} SlError;

/* documented exit codes */
typedef enum {
	SL_EXIT_VERIFIED = 0,
	SL_EXIT_MISMATCH = 1,
	SL_EXIT_INPUT = 2,
	SL_EXIT_CONNECTION = 3,
	SL_EXIT_NOT_VERIFIABLE = 4,
	SL_EXIT_INJECTION_REFUSED = 5,
} SlExitCode;

GQuark
sl_error_quark(void);
SlExitCode
sl_error_to_exit_code(const GError *error);
/*
 * the class a JSON report names for @error: usage, invalid-data, read,
 * write, permission, internal, mismatch, connection, protocol,
 * not-verifiable, injection-refused, exists (a new SlError needs its class
 * here and in scripts/json-schemas.py)
 */
const gchar *
sl_error_to_class(const GError *error);

G_END_DECLS
