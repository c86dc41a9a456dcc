/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-output-file.h"

G_BEGIN_DECLS

/*
 * sl_output_file_new for the file given by @option ("--header-out"): errors
 * name the option, and an existing file points at --force where the
 * command offers it (@force_offered)
 */
SlOutputFile *
sl_cli_output_file_new(const gchar *option,
		       const gchar *path,
		       const gchar *what,
		       mode_t mode,
		       SlOutputFileFlags flags,
		       gboolean force_offered,
		       GError **error);

/* sl_output_file_check with the same messages */
gboolean
sl_cli_output_file_check(const gchar *option,
			 const gchar *path,
			 const gchar *what,
			 SlOutputFileFlags flags,
			 gboolean force_offered,
			 GError **error);

G_END_DECLS
