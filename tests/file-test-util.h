/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* a fresh temporary directory named after @tmpl ("sl-foo-XXXXXX") */
gchar *
file_test_dir_new(const gchar *tmpl);
/* removes @dir, its files and links and its empty subdirectories */
void
file_test_dir_remove(const gchar *dir);
/* writes @dir/@name with exactly @mode, whatever the umask; returns the path */
gchar *
file_test_write(const gchar *dir, const gchar *name, const void *data, gsize len, int mode);

G_END_DECLS
