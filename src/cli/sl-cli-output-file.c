/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-cli-output-file.h"
#include "sl-error.h"

SlOutputFile *
sl_cli_output_file_new(const gchar *option,
		       const gchar *path,
		       const gchar *what,
		       mode_t mode,
		       SlOutputFileFlags flags,
		       gboolean force_offered,
		       GError **error)
{
	g_autoptr(GError) error_local = NULL;
	SlOutputFile *file = sl_output_file_new(path, what, mode, flags, &error_local);

	if (file != NULL)
		return file;
	if (g_error_matches(error_local, SL_ERROR, SL_ERROR_EXISTS)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_EXISTS,
			    "%s: %s%s",
			    option,
			    error_local->message,
			    force_offered ? ": pass --force to replace it" : ": refusing to replace it");
		return NULL;
	}
	g_propagate_prefixed_error(error, g_steal_pointer(&error_local), "%s: ", option);
	return NULL;
}
