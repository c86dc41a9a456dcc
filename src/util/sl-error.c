/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "sl-error.h"

G_DEFINE_QUARK(sl - error - quark, sl_error)

SlExitCode
sl_error_to_exit_code(const GError *error)
{
	if (error == NULL)
		return SL_EXIT_VERIFIED;
	if (error->domain != SL_ERROR) {
		/* anything from GIO that escaped the flow is about the connection */
		if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR ||
		    error->domain == G_TLS_ERROR)
			return SL_EXIT_CONNECTION;
		return SL_EXIT_INPUT;
	}
	switch ((SlError)error->code) {
	case SL_ERROR_MISMATCH:
		return SL_EXIT_MISMATCH;
	case SL_ERROR_CONNECTION:
	case SL_ERROR_PROTOCOL:
		return SL_EXIT_CONNECTION;
	case SL_ERROR_NOT_VERIFIABLE:
		return SL_EXIT_NOT_VERIFIABLE;
	case SL_ERROR_INJECTION_REFUSED:
		return SL_EXIT_INJECTION_REFUSED;
	case SL_ERROR_INVALID_ARGUMENT:
	case SL_ERROR_INVALID_DATA:
	case SL_ERROR_READ:
	case SL_ERROR_WRITE:
	case SL_ERROR_EXISTS:
	case SL_ERROR_PERMISSION:
	case SL_ERROR_INTERNAL:
	default:
		return SL_EXIT_INPUT;
	}
}

const gchar *
sl_error_to_class(const GError *error)
{
	static const gchar *const names[] = {
	    [SL_ERROR_INVALID_ARGUMENT] = "usage",
	    [SL_ERROR_INVALID_DATA] = "invalid-data",
	    [SL_ERROR_READ] = "read",
	    [SL_ERROR_WRITE] = "write",
	    [SL_ERROR_PERMISSION] = "permission",
	    [SL_ERROR_INTERNAL] = "internal",
	    [SL_ERROR_MISMATCH] = "mismatch",
	    [SL_ERROR_CONNECTION] = "connection",
	    [SL_ERROR_PROTOCOL] = "protocol",
	    [SL_ERROR_NOT_VERIFIABLE] = "not-verifiable",
	    [SL_ERROR_INJECTION_REFUSED] = "injection-refused",
	    [SL_ERROR_EXISTS] = "exists",
	};

	if (error == NULL)
		return NULL;
	if (error->domain != SL_ERROR)
		return sl_error_to_exit_code(error) == SL_EXIT_CONNECTION ? "connection" : "invalid-data";
	if (error->code < 0 || (guint)error->code >= G_N_ELEMENTS(names) || names[error->code] == NULL) {
		/* a new code needs its class here and in docs/json */
		g_critical("error code %d has no class", error->code);
		return "internal";
	}
	return names[error->code];
}
