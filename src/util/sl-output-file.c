/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
/* renameat2 and RENAME_NOREPLACE */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sl-error.h"
#include "sl-file.h"
#include "sl-output-file.h"
#include "sl-secret-bytes.h"

/* attempts at a fresh temporary name before giving up */
#define SL_OUTPUT_FILE_TMP_TRIES 100

struct _SlOutputFile {
	gchar *path; /* as given, for messages */
	gchar *what;
	SlOutputFileFlags flags;
	int dir_fd; /* the directory holding the file; -1 for standard output */
	gchar *name;
	gchar *tmp_name; /* set while the temporary file exists */
	int tmp_fd;
	GByteArray *buffer; /* standard output, written on commit */
	gboolean committed;
	gboolean replaced; /* the commit replaced an existing file */
	struct stat st;    /* of the written file, once committed */
};

const gchar *
sl_output_file_get_path(const SlOutputFile *self)
{
	return self->path;
}

static gboolean
sl_output_file_is_stdout(const SlOutputFile *self)
{
	return self->dir_fd < 0;
}

static void
sl_output_file_set_errno(SlOutputFile *self, int errsv, const gchar *action, GError **error)
{
	g_set_error(error,
		    SL_ERROR,
		    SL_ERROR_WRITE,
		    "cannot %s %s %s: %s",
		    action,
		    self->what,
		    self->path,
		    g_strerror(errsv));
}

/* what may be at the path: nothing, or a regular file that is no input (and only with FORCE) */
static gboolean
sl_output_file_check_target(SlOutputFile *self, gboolean *exists, GError **error)
{
	struct stat st;

	*exists = FALSE;
	if (fstatat(self->dir_fd, self->name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		int errsv = errno;
		if (errsv == ENOENT)
			return TRUE;
		sl_output_file_set_errno(self, errsv, "check", error);
		return FALSE;
	}
	*exists = TRUE;
	if (S_ISLNK(st.st_mode)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_WRITE,
			    "%s %s is a symbolic link: refusing to write through it",
			    self->what,
			    self->path);
		return FALSE;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(
		    error, SL_ERROR, SL_ERROR_WRITE, "%s %s is not a regular file", self->what, self->path);
		return FALSE;
	}
	if (sl_file_is_input(&st)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_WRITE,
			    "%s %s is also an input of this command",
			    self->what,
			    self->path);
		return FALSE;
	}
	if ((self->flags & SL_OUTPUT_FILE_FLAG_FORCE) == 0) {
		g_set_error(error, SL_ERROR, SL_ERROR_EXISTS, "%s %s exists", self->what, self->path);
		return FALSE;
	}
	return TRUE;
}

/* ".NAME.XXXXXX" beside the target, so that the final rename stays in one directory */
static gboolean
sl_output_file_create_tmp(SlOutputFile *self, mode_t mode, GError **error)
{
	static const gchar chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	for (guint attempt = 0; attempt < SL_OUTPUT_FILE_TMP_TRIES; attempt++) {
		g_autofree gchar *name = NULL;
		gchar suffix[7] = {0};
		int fd;

		for (guint i = 0; i < sizeof(suffix) - 1; i++)
			suffix[i] = chars[g_random_int_range(0, sizeof(chars) - 1)];
		name = g_strdup_printf(".%s.%s", self->name, suffix);
		fd = openat(self->dir_fd,
			    name,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
			    mode);
		if (fd >= 0) {
			self->tmp_fd = fd;
			self->tmp_name = g_steal_pointer(&name);
			return TRUE;
		}
		if (errno != EEXIST) {
			sl_output_file_set_errno(self, errno, "create", error);
			return FALSE;
		}
	}
	g_set_error(error,
		    SL_ERROR,
		    SL_ERROR_WRITE,
		    "cannot create %s %s: no free temporary name",
		    self->what,
		    self->path);
	return FALSE;
}

static gboolean
sl_output_file_open_dir(SlOutputFile *self, GError **error)
{
	g_autofree gchar *dir = NULL;

	if (self->path[0] == '\0' || g_str_has_suffix(self->path, "/")) {
		g_set_error(
		    error, SL_ERROR, SL_ERROR_WRITE, "%s '%s' is not a file name", self->what, self->path);
		return FALSE;
	}
	self->name = g_path_get_basename(self->path);
	if (g_strcmp0(self->name, ".") == 0 || g_strcmp0(self->name, "..") == 0) {
		g_set_error(
		    error, SL_ERROR, SL_ERROR_WRITE, "%s '%s' is not a file name", self->what, self->path);
		return FALSE;
	}
	dir = g_path_get_dirname(self->path);
	self->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (self->dir_fd < 0) {
		int errsv = errno;
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_WRITE,
			    "cannot create %s %s: directory %s: %s",
			    self->what,
			    self->path,
			    dir,
			    g_strerror(errsv));
		return FALSE;
	}
	return TRUE;
}

/* everything but the temporary file */
static SlOutputFile *
sl_output_file_prepare(const gchar *path, const gchar *what, SlOutputFileFlags flags, GError **error)
{
	g_autoptr(SlOutputFile) self = g_new0(SlOutputFile, 1);
	gboolean exists = FALSE;

	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(what != NULL, NULL);

	self->path = g_strdup(path);
	self->what = g_strdup(what);
	self->flags = flags;
	self->dir_fd = -1;
	self->tmp_fd = -1;
	if (g_strcmp0(path, "-") == 0) {
		if ((flags & SL_OUTPUT_FILE_FLAG_STDOUT) == 0) {
			g_set_error(error, SL_ERROR, SL_ERROR_WRITE, "%s cannot go to standard output", what);
			return NULL;
		}
		self->buffer = g_byte_array_new();
		return g_steal_pointer(&self);
	}
	if (!sl_output_file_open_dir(self, error))
		return NULL;
	if (!sl_output_file_check_target(self, &exists, error))
		return NULL;
	return g_steal_pointer(&self);
}

SlOutputFile *
sl_output_file_new(const gchar *path, const gchar *what, mode_t mode, SlOutputFileFlags flags, GError **error)
{
	g_autoptr(SlOutputFile) self = sl_output_file_prepare(path, what, flags, error);

	if (self == NULL)
		return NULL;
	if (!sl_output_file_is_stdout(self) && !sl_output_file_create_tmp(self, mode, error))
		return NULL;
	return g_steal_pointer(&self);
}

gboolean
sl_output_file_check(const gchar *path, const gchar *what, SlOutputFileFlags flags, GError **error)
{
	g_autoptr(SlOutputFile) self = sl_output_file_prepare(path, what, flags, error);
	return self != NULL;
}

gboolean
sl_output_file_write(SlOutputFile *self, const guint8 *data, gsize len, GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(!self->committed, FALSE);

	if (sl_output_file_is_stdout(self)) {
		g_byte_array_append(self->buffer, data, len);
		return TRUE;
	}
	if (!sl_file_write_all(self->tmp_fd, self->path, data, len, error)) {
		g_prefix_error(error, "%s: ", self->what);
		return FALSE;
	}
	return TRUE;
}

static gboolean
sl_output_file_commit_stdout(SlOutputFile *self, GError **error)
{
	if (!sl_file_write_all(
		STDOUT_FILENO, "standard output", self->buffer->data, self->buffer->len, error)) {
		g_prefix_error(error, "%s: ", self->what);
		return FALSE;
	}
	self->committed = TRUE;
	return TRUE;
}

/* the temporary file takes the name: without replacing anything, or (FORCE) over a regular file */
static gboolean
sl_output_file_rename(SlOutputFile *self, GError **error)
{
	gboolean exists = FALSE;

	/* checked again: the path may have changed since the file was opened */
	if (!sl_output_file_check_target(self, &exists, error))
		return FALSE;
	if (exists) {
		if (renameat(self->dir_fd, self->tmp_name, self->dir_fd, self->name) != 0) {
			sl_output_file_set_errno(self, errno, "replace", error);
			return FALSE;
		}
		self->replaced = TRUE;
		return TRUE;
	}
	if (renameat2(self->dir_fd, self->tmp_name, self->dir_fd, self->name, RENAME_NOREPLACE) == 0)
		return TRUE;
	/* a file system without RENAME_NOREPLACE: link(2) never replaces either */
	if (errno == EINVAL || errno == ENOSYS) {
		if (linkat(self->dir_fd, self->tmp_name, self->dir_fd, self->name, 0) == 0) {
			(void)unlinkat(self->dir_fd, self->tmp_name, 0);
			return TRUE;
		}
	}
	if (errno == EEXIST) {
		g_set_error(error, SL_ERROR, SL_ERROR_EXISTS, "%s %s exists", self->what, self->path);
		return FALSE;
	}
	sl_output_file_set_errno(self, errno, "create", error);
	return FALSE;
}

gboolean
sl_output_file_commit(SlOutputFile *self, GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(!self->committed, FALSE);

	if (sl_output_file_is_stdout(self))
		return sl_output_file_commit_stdout(self, error);
	if (fsync(self->tmp_fd) != 0 || fstat(self->tmp_fd, &self->st) != 0) {
		sl_output_file_set_errno(self, errno, "write", error);
		return FALSE;
	}
	if (close(g_steal_fd(&self->tmp_fd)) != 0) {
		sl_output_file_set_errno(self, errno, "write", error);
		return FALSE;
	}
	if (!sl_output_file_rename(self, error))
		return FALSE;
	g_clear_pointer(&self->tmp_name, g_free);
	/* the new directory entry lasts a crash too */
	(void)fsync(self->dir_fd);
	self->committed = TRUE;
	return TRUE;
}

void
sl_output_file_revert(SlOutputFile *self)
{
	struct stat st;

	if (self == NULL || !self->committed || self->replaced || sl_output_file_is_stdout(self))
		return;
	/* only the very file this run wrote */
	if (fstatat(self->dir_fd, self->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    st.st_dev == self->st.st_dev && st.st_ino == self->st.st_ino)
		(void)unlinkat(self->dir_fd, self->name, 0);
	self->committed = FALSE;
}

gboolean
sl_output_file_is_same_target(const SlOutputFile *self, const SlOutputFile *other)
{
	struct stat st_self;
	struct stat st_other;

	if (sl_output_file_is_stdout(self) || sl_output_file_is_stdout(other))
		return sl_output_file_is_stdout(self) && sl_output_file_is_stdout(other);
	if (g_strcmp0(self->name, other->name) != 0)
		return FALSE;
	if (fstat(self->dir_fd, &st_self) != 0 || fstat(other->dir_fd, &st_other) != 0)
		return TRUE;
	return st_self.st_dev == st_other.st_dev && st_self.st_ino == st_other.st_ino;
}

gboolean
sl_output_file_paths_same_target(const gchar *path, const gchar *other)
{
	g_autofree gchar *name = NULL;
	g_autofree gchar *other_name = NULL;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *other_dir = NULL;
	struct stat st;
	struct stat st_other;

	if (g_strcmp0(path, "-") == 0 || g_strcmp0(other, "-") == 0)
		return g_strcmp0(path, other) == 0;
	name = g_path_get_basename(path);
	other_name = g_path_get_basename(other);
	if (g_strcmp0(name, other_name) != 0)
		return FALSE;
	dir = g_path_get_dirname(path);
	other_dir = g_path_get_dirname(other);
	if (stat(dir, &st) != 0 || stat(other_dir, &st_other) != 0)
		return g_strcmp0(dir, other_dir) == 0;
	return st.st_dev == st_other.st_dev && st.st_ino == st_other.st_ino;
}

void
sl_output_file_free(SlOutputFile *self)
{
	if (self == NULL)
		return;
	if (self->tmp_fd >= 0)
		close(self->tmp_fd);
	if (self->tmp_name != NULL)
		(void)unlinkat(self->dir_fd, self->tmp_name, 0);
	if (self->dir_fd >= 0)
		close(self->dir_fd);
	if (self->buffer != NULL) {
		sl_wipe(self->buffer->data, self->buffer->len);
		g_byte_array_unref(self->buffer);
	}
	g_free(self->tmp_name);
	g_free(self->name);
	g_free(self->what);
	g_free(self->path);
	g_free(self);
}

gboolean
sl_output_files_commit(GPtrArray *files, GError **error)
{
	for (guint i = 0; i < files->len; i++) {
		if (sl_output_file_commit(g_ptr_array_index(files, i), error))
			continue;
		for (guint j = 0; j < i; j++)
			sl_output_file_revert(g_ptr_array_index(files, j));
		return FALSE;
	}
	return TRUE;
}

gboolean
sl_output_file_write_contents(const gchar *path,
			      const gchar *what,
			      mode_t mode,
			      SlOutputFileFlags flags,
			      const guint8 *data,
			      gsize len,
			      GError **error)
{
	g_autoptr(SlOutputFile) file = sl_output_file_new(path, what, mode, flags, error);

	if (file == NULL)
		return FALSE;
	return sl_output_file_write(file, data, len, error) && sl_output_file_commit(file, error);
}
