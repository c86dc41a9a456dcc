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
