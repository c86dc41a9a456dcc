/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>
#include <sys/stat.h>

G_BEGIN_DECLS

/*
 * a descriptor closed when it leaves scope: g_auto(SlFd) fd = ...;
 * g_steal_fd() hands it over. GLib's own g_autofd needs 2.76, and Debian 12
 * ships 2.74
 */
typedef int SlFd;
void
sl_fd_close(int fd);
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(SlFd, sl_fd_close, -1)

/*
 * opens a file the tool reads as input: regular files only, so a FIFO or a
 * device such as /dev/zero cannot hang or flood it; never blocks on open.
 * @what names the file in errors ("firmware", "TIK file"); @st gets its stat.
 * returns the descriptor, or -1 with an SL_ERROR_READ error
 */
int
sl_file_open_regular(const gchar *path, const gchar *what, struct stat *st, GError **error);

/*
 * TRUE when @st (device and inode) is a file this process opened through
 * sl_file_open_regular: an output must never replace an input
 */
gboolean
sl_file_is_input(const struct stat *st);
/* forgets every input: for test programs that play several commands in one process */
void
sl_file_forget_inputs(void);

/*
 * reads exactly @len bytes; a file that is shorter than it said is an error;
 * a file that turned out longer is caught by the caller reading one byte more
 */
gboolean
sl_file_read_exact(int fd, const gchar *path, const gchar *what, guint8 *buf, gsize len, GError **error);

/* reads up to @len bytes, stopping at end of file; returns the count or -1 */
gssize
sl_file_read_some(int fd, const gchar *path, const gchar *what, guint8 *buf, gsize len, GError **error);

/*
 * reads one byte more after the @len bytes the caller checked: a file that
 * grew after its stat is not the file that was checked; TRUE at end of file
 */
gboolean
sl_file_check_end(int fd, const gchar *path, const gchar *what, GError **error);

/* a whole regular file of exactly @size bytes, e.g. a VMSA page */
GBytes *
sl_file_load_exact(const gchar *path, const gchar *what, gsize size, GError **error);

/*
 * a whole regular file of at most @max_size bytes, e.g. a certificate;
 * @what names the kind in errors ("certificate")
 */
GBytes *
sl_file_read_bounded(const gchar *path, const gchar *what, gsize max_size, GError **error);

/*
 * a whole regular file of at most @max_size bytes, read at the size its
 * stat gives (no buffer of @max_size, for large limits such as firmware);
 * the bytes are followed by a NUL (not counted), so text can be parsed in place
 */
GBytes *
sl_file_load_whole(const gchar *path, const gchar *what, gsize max_size, GError **error);

/* writes all of @data, retrying short writes; errors name @path */
gboolean
sl_file_write_all(int fd, const gchar *path, const guint8 *data, gsize len, GError **error);

G_END_DECLS
