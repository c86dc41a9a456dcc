/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sl-error.h"
#include "sl-secure-file.h"

static gboolean
sl_secure_file_check_stat(int fd,
			  const gchar *path,
			  const gchar *what,
			  gsize exact_size,
			  gsize max_size,
			  SlSecureFileFlags flags,
			  GError **error)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		int errsv = errno;
		g_set_error(error, SL_ERROR, SL_ERROR_READ, "cannot stat %s %s: %s", what, path, g_strerror(errsv));
		return FALSE;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(error, SL_ERROR, SL_ERROR_READ, "%s %s is not a regular file", what, path);
		return FALSE;
	}
	/* checked on the open descriptor, so a rename in between cannot fool it */
	if ((st.st_mode & (S_IRGRP | S_IROTH)) != 0 &&
	    (flags & SL_SECURE_FILE_FLAG_ALLOW_OPEN_PERMISSIONS) == 0) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_PERMISSION,
			    "%s %s is readable by group or others (mode %04o): "
			    "chmod 600 it, or pass --allow-open-permissions",
			    what,
			    path,
			    (guint)(st.st_mode & 07777));
		return FALSE;
	}
	if (exact_size != 0 && (guint64)st.st_size != exact_size) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s %s has %" G_GUINT64_FORMAT " bytes, expected %" G_GSIZE_FORMAT,
			    what,
			    path,
			    (guint64)st.st_size,
			    exact_size);
		return FALSE;
	}
	if (exact_size == 0 && (guint64)st.st_size > max_size) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s %s has %" G_GUINT64_FORMAT " bytes, at most %" G_GSIZE_FORMAT " allowed",
			    what,
			    path,
			    (guint64)st.st_size,
			    max_size);
		return FALSE;
	}
	if (st.st_size == 0 && (flags & SL_SECURE_FILE_FLAG_REFUSE_EMPTY) != 0) {
		g_set_error(error, SL_ERROR, SL_ERROR_INVALID_DATA, "%s %s is empty", what, path);
		return FALSE;
	}
	return TRUE;
}

static gboolean
sl_secure_file_read_exact(int fd, const gchar *path, const gchar *what, guint8 *buf, gsize len, GError **error)
{
	gsize done = 0;
	while (done < len) {
		ssize_t n = read(fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int errsv = errno;
			g_set_error(error, SL_ERROR, SL_ERROR_READ, "cannot read %s %s: %s", what, path, g_strerror(errsv));
			return FALSE;
		}
		if (n == 0) {
			g_set_error(error, SL_ERROR, SL_ERROR_READ, "%s %s shrank while it was read", what, path);
			return FALSE;
		}
		done += (gsize)n;
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
	int fd;

	/* O_NONBLOCK: a FIFO without a writer must be refused, not wait forever */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int errsv = errno;
		g_set_error(error, SL_ERROR, SL_ERROR_READ, "cannot open %s %s: %s", what, path, g_strerror(errsv));
		return NULL;
	}
	if (!sl_secure_file_check_stat(fd, path, what, exact_size, max_size, flags, error) ||
	    fstat(fd, &st) < 0) {
		close(fd);
		return NULL;
	}
	bytes = sl_secret_bytes_new((gsize)st.st_size);
	if (!sl_secure_file_read_exact(fd, path, what, sl_secret_bytes_get_data(bytes), (gsize)st.st_size, error)) {
		close(fd);
		return NULL;
	}
	close(fd);
	return g_steal_pointer(&bytes);
}
