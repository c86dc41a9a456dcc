/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-cli-output-file.h"
#include "sl-error.h"

/* names the option, and says what to do about an existing file */
static void
sl_cli_output_file_explain(const gchar *option, gboolean force_offered, GError *error_local, GError **error)
{
	if (g_error_matches(error_local, SL_ERROR, SL_ERROR_EXISTS)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_EXISTS,
			    "%s: %s%s",
			    option,
			    error_local->message,
			    force_offered ? ": pass --force to replace it" : ": refusing to replace it");
		g_error_free(error_local);
		return;
	}
	g_propagate_prefixed_error(error, error_local, "%s: ", option);
}

SlOutputFile *
sl_cli_output_file_new(const gchar *option,
		       const gchar *path,
		       const gchar *what,
		       mode_t mode,
		       SlOutputFileFlags flags,
		       gboolean force_offered,
		       GError **error)
{
	GError *error_local = NULL;
	SlOutputFile *file = sl_output_file_new(path, what, mode, flags, &error_local);

	if (file == NULL)
		sl_cli_output_file_explain(option, force_offered, error_local, error);
	return file;
}

gboolean
sl_cli_output_file_check(const gchar *option,
			 const gchar *path,
			 const gchar *what,
			 SlOutputFileFlags flags,
			 gboolean force_offered,
			 GError **error)
{
	GError *error_local = NULL;

	if (sl_output_file_check(path, what, flags, &error_local))
		return TRUE;
	sl_cli_output_file_explain(option, force_offered, error_local, error);
	return FALSE;
}
