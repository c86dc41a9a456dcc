/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef enum {
	SL_OUTPUT_FILE_FLAG_NONE = 0,
	/* an existing regular file may be replaced (never a link, FIFO, device or input) */
	SL_OUTPUT_FILE_FLAG_FORCE = 1 << 0,
	/* "-" means standard output */
	SL_OUTPUT_FILE_FLAG_STDOUT = 1 << 1,
} SlOutputFileFlags;

/*
 * a file the tool writes. The data goes to a temporary file beside @path,
 * created with O_EXCL|O_NOFOLLOW and @mode, and appears at @path only on
 * commit: with a no-replace rename without FORCE, with rename(2) over an
 * existing regular file with FORCE. So @path is never written through a
 * symbolic link, never opened if it is a FIFO, socket or device, never
 * half-written, and a replaced file gets @mode, not the old file's mode.
 * A path that is also an input of the command (any file read through
 * sl_file_open_regular, compared by device and inode) is refused.
 * Standard output ("-" with SL_OUTPUT_FILE_FLAG_STDOUT) is buffered and
 * written on commit, so a set of outputs is written all or nothing.
 */
typedef struct _SlOutputFile SlOutputFile;

/*
 * checks @path and creates the temporary file; @what names the file in
 * errors ("packet header"); an existing file without FORCE is SL_ERROR_EXISTS,
 * any other refusal SL_ERROR_WRITE
 */
SlOutputFile *
sl_output_file_new(
    const gchar *path, const gchar *what, mode_t mode, SlOutputFileFlags flags, GError **error);
/*
 * what sl_output_file_new would refuse, without creating anything: for a
 * command to fail before work whose result would have nowhere to go
 */
gboolean
sl_output_file_check(const gchar *path, const gchar *what, SlOutputFileFlags flags, GError **error);
gboolean
sl_output_file_write(SlOutputFile *self, const guint8 *data, gsize len, GError **error);
/* makes the file appear at its path (or writes standard output) */
gboolean
sl_output_file_commit(SlOutputFile *self, GError **error);
/*
 * takes back a committed file this run created, when a later file of the
 * same set failed; a file that replaced another (FORCE) or went to
 * standard output cannot be taken back
 */
void
sl_output_file_revert(SlOutputFile *self);
/* TRUE when both write to the same directory entry, or both to standard output */
gboolean
sl_output_file_is_same_target(const SlOutputFile *self, const SlOutputFile *other);
/* the same for two paths not opened yet ("a" and "./a", or "-" twice) */
gboolean
sl_output_file_paths_same_target(const gchar *path, const gchar *other);
const gchar *
sl_output_file_get_path(const SlOutputFile *self);
/* removes an uncommitted temporary file and wipes buffered standard output */
void
sl_output_file_free(SlOutputFile *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlOutputFile, sl_output_file_free)

/*
 * commits @files (of SlOutputFile) in order: all or none; on a failure the
 * files this call committed are reverted
 */
gboolean
sl_output_files_commit(GPtrArray *files, GError **error);

/* new + write + commit, for a command that writes one file */
gboolean
sl_output_file_write_contents(const gchar *path,
			      const gchar *what,
			      mode_t mode,
			      SlOutputFileFlags flags,
			      const guint8 *data,
			      gsize len,
			      GError **error);

G_END_DECLS
