/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "file-test-util.h"

gchar *
file_test_dir_new(const gchar *tmpl)
{
	g_autoptr(GError) error = NULL;
	gchar *dir = g_dir_make_tmp(tmpl, &error);
	g_assert_no_error(error);
	return dir;
}

void
file_test_dir_remove(const gchar *dir_path)
{
	g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
	const gchar *name;
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir_path, name, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
			g_assert_cmpint(g_rmdir(path), ==, 0);
		else
			g_assert_cmpint(g_unlink(path), ==, 0);
	}
	g_assert_cmpint(g_rmdir(dir_path), ==, 0);
}

gchar *
file_test_write(const gchar *dir, const gchar *name, const void *data, gsize len, int mode)
{
	g_autoptr(GError) error = NULL;
	gchar *path = g_build_filename(dir, name, NULL);
	g_file_set_contents_full(path, data, (gssize)len, G_FILE_SET_CONTENTS_NONE, mode, &error);
	g_assert_no_error(error);
	/* the umask must not decide what the test checks */
	g_assert_cmpint(g_chmod(path, mode), ==, 0);
	return path;
}
