/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-output-file.h"

G_BEGIN_DECLS

/*
 * a set of new files in one directory, written all or none: each file goes
 * to a temporary file first (see SlOutputFile) and the set appears only on
 * commit; freed uncommitted, the set leaves nothing behind, not even the
 * directories it created. Files are never replaced.
 */
typedef struct _SlOutputDir SlOutputDir;

/* opens @path, creating it and missing parents with @mode; nothing is written yet */
SlOutputDir *
sl_output_dir_new(const gchar *path, mode_t mode, GError **error);
/* a new file @name in the directory; owned by @self */
SlOutputFile *
sl_output_dir_add_file(SlOutputDir *self, const gchar *name, const gchar *what, mode_t mode, GError **error);
/* makes every file appear, or (on an error) none of them */
gboolean
sl_output_dir_commit(SlOutputDir *self, GError **error);
/* takes back a committed set: the files, then the directories this set created */
void
sl_output_dir_revert(SlOutputDir *self);
void
sl_output_dir_free(SlOutputDir *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlOutputDir, sl_output_dir_free)

G_END_DECLS
