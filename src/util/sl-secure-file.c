/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-error.h"
#include "sl-file.h"
#include "sl-secure-file.h"

/* checked on the open descriptor's stat, so a rename in between cannot fool it */
static gboolean
sl_secure_file_check_stat(const struct stat *st,
			  const gchar *path,
			  const gchar *what,
			  gsize exact_size,
			  gsize max_size,
			  SlSecureFileFlags flags,
			  GError **error)
{
	if ((st->st_mode & (S_IRGRP | S_IROTH)) != 0 &&
	    (flags & SL_SECURE_FILE_FLAG_ALLOW_OPEN_PERMISSIONS) == 0) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_PERMISSION,
			    "%s %s is readable by group or others (mode %04o): chmod 600 it",
			    what,
			    path,
			    (guint)(st->st_mode & 07777));
		return FALSE;
	}
	if (exact_size != 0 && (guint64)st->st_size != exact_size) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s %s has %" G_GUINT64_FORMAT " bytes, expected %" G_GSIZE_FORMAT,
			    what,
			    path,
			    (guint64)st->st_size,
			    exact_size);
		return FALSE;
	}
	if (exact_size == 0 && (guint64)st->st_size > max_size) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s %s has %" G_GUINT64_FORMAT " bytes, at most %" G_GSIZE_FORMAT " allowed",
			    what,
			    path,
			    (guint64)st->st_size,
			    max_size);
		return FALSE;
	}
	if (st->st_size == 0 && (flags & SL_SECURE_FILE_FLAG_REFUSE_EMPTY) != 0) {
		g_set_error(error, SL_ERROR, SL_ERROR_INVALID_DATA, "%s %s is empty", what, path);
		return FALSE;
	}
	return TRUE;
}

SlSecretBytes *
sl_secure_file_read(const gchar *path,
		    const gchar *what,
		    gsize exact_size,
		    gsize max_size,
		    SlSecureFileFlags flags,
		    GError **error)
{
	g_autoptr(SlSecretBytes) bytes = NULL;
	struct stat st;
	g_auto(SlFd) fd = sl_file_open_regular(path, what, &st, error);

	if (fd < 0)
		return NULL;
	if (!sl_secure_file_check_stat(&st, path, what, exact_size, max_size, flags, error))
		return NULL;
	bytes = sl_secret_bytes_new((gsize)st.st_size);
	if (!sl_file_read_exact(fd, path, what, sl_secret_bytes_get_data(bytes), (gsize)st.st_size, error) ||
	    !sl_file_check_end(fd, path, what, error))
		return NULL;
	return g_steal_pointer(&bytes);
}
