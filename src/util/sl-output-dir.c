/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "sl-error.h"
#include "sl-output-dir.h"

struct _SlOutputDir {
	gchar *path;
	GPtrArray *created; /* directories this set made, parents first */
	GPtrArray *files;   /* of SlOutputFile */
	gboolean committed;
};

static gboolean
sl_output_dir_create(SlOutputDir *self, const gchar *path, mode_t mode, GError **error)
{
	g_autofree gchar *parent = g_path_get_dirname(path);
	GStatBuf st;

	if (g_stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return TRUE;
		g_set_error(error, SL_ERROR, SL_ERROR_WRITE, "%s is not a directory", path);
		return FALSE;
	}
	if (g_strcmp0(parent, path) != 0 && !sl_output_dir_create(self, parent, mode, error))
		return FALSE;
	if (g_mkdir(path, mode) != 0) {
		int errsv = errno;
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_WRITE,
			    "cannot create directory %s: %s",
			    path,
			    g_strerror(errsv));
		return FALSE;
	}
	g_ptr_array_add(self->created, g_strdup(path));
	return TRUE;
}

/* rmdir(2) removes only empty directories: whatever someone else put there stays */
static void
sl_output_dir_remove_created(SlOutputDir *self)
{
	for (guint i = self->created->len; i > 0; i--)
		(void)g_rmdir(g_ptr_array_index(self->created, i - 1));
	g_ptr_array_set_size(self->created, 0);
}

SlOutputDir *
sl_output_dir_new(const gchar *path, mode_t mode, GError **error)
{
	g_autoptr(SlOutputDir) self = g_new0(SlOutputDir, 1);

	self->path = g_strdup(path);
	self->created = g_ptr_array_new_with_free_func(g_free);
	self->files = g_ptr_array_new_with_free_func((GDestroyNotify)sl_output_file_free);
	if (path[0] == '\0') {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_WRITE, "an empty directory name");
		return NULL;
	}
	if (!sl_output_dir_create(self, path, mode, error))
		return NULL;
	return g_steal_pointer(&self);
}

SlOutputFile *
sl_output_dir_add_file(SlOutputDir *self, const gchar *name, const gchar *what, mode_t mode, GError **error)
{
	g_autofree gchar *path = g_build_filename(self->path, name, NULL);
	SlOutputFile *file = sl_output_file_new(path, what, mode, SL_OUTPUT_FILE_FLAG_NONE, error);

	if (file != NULL)
		g_ptr_array_add(self->files, file);
	return file;
}

gboolean
sl_output_dir_commit(SlOutputDir *self, GError **error)
{
	if (!sl_output_files_commit(self->files, error))
		return FALSE;
	self->committed = TRUE;
	return TRUE;
}

void
sl_output_dir_revert(SlOutputDir *self)
{
	if (!self->committed)
		return;
	for (guint i = 0; i < self->files->len; i++)
		sl_output_file_revert(g_ptr_array_index(self->files, i));
	self->committed = FALSE;
}

void
sl_output_dir_free(SlOutputDir *self)
{
	if (self == NULL)
		return;
	/* temporary files first, so that the directories are empty */
	g_clear_pointer(&self->files, g_ptr_array_unref);
	if (!self->committed && self->created != NULL)
		sl_output_dir_remove_created(self);
	g_clear_pointer(&self->created, g_ptr_array_unref);
	g_free(self->path);
	g_free(self);
}
