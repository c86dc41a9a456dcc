/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sl-error.h"
#include "sl-file.h"
#include "sl-secret-bytes.h"

/* every input opened so far, by device and inode */
typedef struct {
	dev_t dev;
	ino_t ino;
} SlFileId;

G_LOCK_DEFINE_STATIC(sl_file_inputs);
static GArray *sl_file_inputs = NULL;

static void
sl_file_note_input(const struct stat *st)
{
	SlFileId id = {st->st_dev, st->st_ino};

	G_LOCK(sl_file_inputs);
	if (sl_file_inputs == NULL)
		sl_file_inputs = g_array_new(FALSE, FALSE, sizeof(SlFileId));
	g_array_append_val(sl_file_inputs, id);
	G_UNLOCK(sl_file_inputs);
}

gboolean
sl_file_is_input(const struct stat *st)
{
	gboolean found = FALSE;

	G_LOCK(sl_file_inputs);
	for (guint i = 0; sl_file_inputs != NULL && i < sl_file_inputs->len && !found; i++) {
		const SlFileId *id = &g_array_index(sl_file_inputs, SlFileId, i);
		found = id->dev == st->st_dev && id->ino == st->st_ino;
	}
	G_UNLOCK(sl_file_inputs);
	return found;
}

void
sl_fd_close(int fd)
{
	int errsv = errno;
	/* for descriptors that were read: a writer checks close() itself; errno stays for the caller */
	(void)g_close(fd, NULL);
	errno = errsv;
}

void
sl_file_forget_inputs(void)
{
	G_LOCK(sl_file_inputs);
	g_clear_pointer(&sl_file_inputs, g_array_unref);
	G_UNLOCK(sl_file_inputs);
}

int
sl_file_open_regular(const gchar *path, const gchar *what, struct stat *st, GError **error)
{
	struct stat st_local;
	g_auto(SlFd) fd = -1;

	if (st == NULL)
		st = &st_local;
	/* O_NONBLOCK: opening a FIFO with no writer must not hang us */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int errsv = errno;
		g_set_error(
		    error, SL_ERROR, SL_ERROR_READ, "cannot open %s %s: %s", what, path, g_strerror(errsv));
		return -1;
	}
	if (fstat(fd, st) < 0) {
		int errsv = errno;
		g_set_error(
		    error, SL_ERROR, SL_ERROR_READ, "cannot stat %s %s: %s", what, path, g_strerror(errsv));
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		g_set_error(error, SL_ERROR, SL_ERROR_READ, "%s %s is not a regular file", what, path);
		return -1;
	}
	sl_file_note_input(st);
	/* regular files never block; clear the flag so reads behave as usual */
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return g_steal_fd(&fd);
}

gssize
sl_file_read_some(int fd, const gchar *path, const gchar *what, guint8 *buf, gsize len, GError **error)
{
	gsize done = 0;
	while (done < len) {
		ssize_t n = read(fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int errsv = errno;
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_READ,
				    "cannot read %s %s: %s",
				    what,
				    path,
				    g_strerror(errsv));
			return -1;
		}
		if (n == 0)
			break;
		done += (gsize)n;
	}
	return (gssize)done;
}

gboolean
sl_file_read_exact(int fd, const gchar *path, const gchar *what, guint8 *buf, gsize len, GError **error)
{
	gssize n = sl_file_read_some(fd, path, what, buf, len, error);
	if (n < 0)
		return FALSE;
	if ((gsize)n != len) {
		g_set_error(error, SL_ERROR, SL_ERROR_READ, "%s %s shrank while it was read", what, path);
		return FALSE;
	}
	return TRUE;
}

gboolean
sl_file_check_end(int fd, const gchar *path, const gchar *what, GError **error)
{
	guint8 extra = 0;
	gssize n = sl_file_read_some(fd, path, what, &extra, 1, error);

	/* the byte may belong to a secret file */
	sl_wipe(&extra, sizeof(extra));
	if (n < 0)
		return FALSE;
	if (n > 0) {
		g_set_error(error, SL_ERROR, SL_ERROR_READ, "%s %s grew while it was read", what, path);
		return FALSE;
	}
	return TRUE;
}

GBytes *
sl_file_load_exact(const gchar *path, const gchar *what, gsize size, GError **error)
{
	g_autofree guint8 *buf = NULL;
	struct stat st;
	g_auto(SlFd) fd = sl_file_open_regular(path, what, &st, error);

	if (fd < 0)
		return NULL;
	if ((guint64)st.st_size != size) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s %s has %" G_GUINT64_FORMAT " bytes, expected %" G_GSIZE_FORMAT,
			    what,
			    path,
			    (guint64)st.st_size,
			    size);
		return NULL;
	}
	buf = g_malloc(size);
	if (!sl_file_read_exact(fd, path, what, buf, size, error) ||
	    !sl_file_check_end(fd, path, what, error))
		return NULL;
	return g_bytes_new_take(g_steal_pointer(&buf), size);
}

GBytes *
sl_file_read_bounded(const gchar *path, const gchar *what, gsize max_size, GError **error)
{
	g_autofree guint8 *buf = g_malloc(max_size + 1);
	gssize got;
	g_auto(SlFd) fd = sl_file_open_regular(path, what, NULL, error);

	if (fd < 0)
		return NULL;
	/* one byte more than allowed tells an oversized file apart */
	got = sl_file_read_some(fd, path, what, buf, max_size + 1, error);
	if (got < 0)
		return NULL;
	if ((gsize)got > max_size) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s: larger than any %s (%" G_GSIZE_FORMAT " bytes at most)",
			    path,
			    what,
			    max_size);
		return NULL;
	}
	return g_bytes_new(buf, got);
}

gboolean
sl_file_write_all(int fd, const gchar *path, const guint8 *data, gsize len, GError **error)
{
	gsize done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int errsv = errno;
			g_set_error(
			    error, SL_ERROR, SL_ERROR_WRITE, "cannot write %s: %s", path, g_strerror(errsv));
			return FALSE;
		}
		done += (gsize)n;
	}
	return TRUE;
}

GBytes *
sl_file_load_whole(const gchar *path, const gchar *what, gsize max_size, GError **error)
{
	g_autofree guint8 *data = NULL;
	struct stat st;
	gboolean ok;
	int fd = sl_file_open_regular(path, what, &st, error);

	if (fd < 0)
		return NULL;
	if ((guint64)st.st_size > max_size) {
		close(fd);
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "%s %s is larger than %" G_GSIZE_FORMAT " bytes",
			    what,
			    path,
			    max_size);
		return NULL;
	}
	data = g_malloc((gsize)st.st_size + 1);
	ok = sl_file_read_exact(fd, path, what, data, (gsize)st.st_size, error) &&
	     sl_file_check_end(fd, path, what, error);
	close(fd);
	if (!ok)
		return NULL;
	data[st.st_size] = '\0';
	return g_bytes_new_take(g_steal_pointer(&data), (gsize)st.st_size);
}
