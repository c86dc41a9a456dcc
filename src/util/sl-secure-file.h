/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-secret-bytes.h"

G_BEGIN_DECLS

typedef enum {
	SL_SECURE_FILE_FLAG_NONE = 0,
	/* the user said files readable by group or others are acceptable */
	SL_SECURE_FILE_FLAG_ALLOW_OPEN_PERMISSIONS = 1 << 0,
	/* an empty file is an error */
	SL_SECURE_FILE_FLAG_REFUSE_EMPTY = 1 << 1,
} SlSecureFileFlags;

/*
 * reads a key or secret file into wiped memory; @what names it in errors
 * ("TIK file", "secret file"); @exact_size, when non-zero, must match,
 * otherwise the file may be at most @max_size bytes
 */
SlSecretBytes *
sl_secure_file_read(const gchar *path,
		    const gchar *what,
		    gsize exact_size,
		    gsize max_size,
		    SlSecureFileFlags flags,
		    GError **error);

G_END_DECLS
