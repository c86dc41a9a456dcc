/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * --config FILE: the options of the group named after the command, read from
 * a GKeyFile after the command line was parsed; an option given on the
 * command line wins (a list given there replaces the file's list). Every
 * option added with sl_cli_config_add_entries can come from a config.
 */
typedef struct _SlCliConfig SlCliConfig;

void
sl_cli_config_free(SlCliConfig *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlCliConfig, sl_cli_config_free)

/*
 * adds @entries to the main group of @context and remembers them for the
 * config; the first call makes *@self and the main group (with --config)
 */
void
sl_cli_config_add_entries(SlCliConfig **self, GOptionContext *context, const GOptionEntry *entries);

/* the group names a config may hold (the commands); NULL: only the running command's */
void
sl_cli_config_set_commands(const gchar *const *commands);

/* the config file named with --config, or NULL */
const gchar *
sl_cli_config_get_path(const SlCliConfig *self);

/*
 * what --config does once the file is read: @text (@len bytes of the file
 * @path, which anchors relative paths) as a key file whose [@command] group
 * sets the options the command line did not give; only after the command
 * line was parsed (the fuzz harness calls it with bytes)
 */
gboolean
sl_cli_config_apply_data(
    SlCliConfig *self, const gchar *path, const gchar *command, const gchar *text, gsize len, GError **error);

G_END_DECLS
