/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <unistd.h>

#include "sl-cli-config.h"
#include "sl-error.h"
#include "sl-file.h"
#include "sl-number.h"

/* a config is a few lines; anything near this is not one */
#define SL_CLI_CONFIG_MAX_SIZE (64 * 1024)

/* what an option's variable held before the command line was parsed */
typedef union {
	gboolean boolean;
	gint integer;
	gint64 integer64;
	gdouble number;
	gpointer pointer;
} SlCliConfigValue;

struct _SlCliConfig {
	GArray *entries; /* of GOptionEntry, borrowed strings and variables */
	GArray *before;  /* of SlCliConfigValue, one per entry */
	gchar *path;     /* --config */
	gchar *help;     /* of --config, naming the command's group */
};

static const gchar *const *sl_cli_config_commands = NULL;

void
sl_cli_config_set_commands(const gchar *const *commands)
{
	sl_cli_config_commands = commands;
}

void
sl_cli_config_free(SlCliConfig *self)
{
	g_array_unref(self->entries);
	g_array_unref(self->before);
	g_free(self->path);
	g_free(self->help);
	g_free(self);
}

const gchar *
sl_cli_config_get_path(const SlCliConfig *self)
{
	return self != NULL ? self->path : NULL;
}

static SlCliConfigValue
sl_cli_config_value_get(const GOptionEntry *entry)
{
	SlCliConfigValue value = {0};

	switch (entry->arg) {
	case G_OPTION_ARG_NONE:
		value.boolean = *(gboolean *)entry->arg_data;
		break;
	case G_OPTION_ARG_INT:
		value.integer = *(gint *)entry->arg_data;
		break;
	case G_OPTION_ARG_INT64:
		value.integer64 = *(gint64 *)entry->arg_data;
		break;
	case G_OPTION_ARG_DOUBLE:
		value.number = *(gdouble *)entry->arg_data;
		break;
	case G_OPTION_ARG_CALLBACK:
		break;
	default:
		value.pointer = *(gpointer *)entry->arg_data;
		break;
	}
	return value;
}

/* GOption changes an option's variable only when the command line gives it */
static gboolean
sl_cli_config_given_on_command_line(SlCliConfig *self, guint i)
{
	const GOptionEntry *entry = &g_array_index(self->entries, GOptionEntry, i);
	SlCliConfigValue now = sl_cli_config_value_get(entry);
	SlCliConfigValue was = g_array_index(self->before, SlCliConfigValue, i);

	switch (entry->arg) {
	case G_OPTION_ARG_NONE:
		return now.boolean != was.boolean;
	case G_OPTION_ARG_INT:
		return now.integer != was.integer;
	case G_OPTION_ARG_INT64:
		return now.integer64 != was.integer64;
	case G_OPTION_ARG_DOUBLE:
		return now.number != was.number;
	case G_OPTION_ARG_CALLBACK:
		return FALSE;
	default:
		return now.pointer != was.pointer;
	}
}

static gboolean
sl_cli_config_pre_parse_cb(GOptionContext *context, GOptionGroup *group, gpointer data, GError **error)
{
	SlCliConfig *self = data;

	g_array_set_size(self->before, 0);
	for (guint i = 0; i < self->entries->len; i++) {
		SlCliConfigValue value =
		    sl_cli_config_value_get(&g_array_index(self->entries, GOptionEntry, i));
		g_array_append_val(self->before, value);
	}
	return TRUE;
}

/* the running command, from the program name main() set ("sevlaunch verify") */
static const gchar *
sl_cli_config_command(void)
{
	const gchar *prgname = g_get_prgname();
	const gchar *space = prgname != NULL ? strrchr(prgname, ' ') : NULL;
	return space != NULL ? space + 1 : prgname;
}

static gchar *
sl_cli_config_read_fd(int fd, const gchar *path, const struct stat *st, GError **error)
{
	g_autofree gchar *text = NULL;

	if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_PERMISSION,
			    "config %s is writable by group or others (chmod go-w)",
			    path);
		return NULL;
	}
	if (st->st_uid != 0 && st->st_uid != geteuid()) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_PERMISSION,
			    "config %s belongs to uid %u, neither root nor this user",
			    path,
			    (guint)st->st_uid);
		return NULL;
	}
	if (st->st_size > SL_CLI_CONFIG_MAX_SIZE) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "config %s is larger than %u bytes",
			    path,
			    (guint)SL_CLI_CONFIG_MAX_SIZE);
		return NULL;
	}
	text = g_malloc0((gsize)st->st_size + 1);
	if (!sl_file_read_exact(fd, path, "config", (guint8 *)text, (gsize)st->st_size, error) ||
	    !sl_file_check_end(fd, path, "config", error))
		return NULL;
	return g_steal_pointer(&text);
}

/* the file is opened once and checked through that descriptor: no swap after the check */
static gchar *
sl_cli_config_read(const gchar *path, gsize *len, GError **error)
{
	g_autofree gchar *text = NULL;
	struct stat st;
	int fd = sl_file_open_regular(path, "config", &st, error);

	if (fd < 0)
		return NULL;
	text = sl_cli_config_read_fd(fd, path, &st, error);
	close(fd);
	*len = (gsize)st.st_size;
	return g_steal_pointer(&text);
}

static GKeyFile *
sl_cli_config_parse(const gchar *path, const gchar *text, gsize len, GError **error)
{
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	g_autoptr(GError) error_local = NULL;

	if (!g_key_file_load_from_data(keyfile, text, len, G_KEY_FILE_NONE, &error_local)) {
		g_set_error(
		    error, SL_ERROR, SL_ERROR_INVALID_DATA, "config %s: %s", path, error_local->message);
		return NULL;
	}
	return g_steal_pointer(&keyfile);
}

static gboolean
sl_cli_config_check_groups(GKeyFile *keyfile, const gchar *path, const gchar *command, GError **error)
{
	g_auto(GStrv) groups = g_key_file_get_groups(keyfile, NULL);
	const gchar *const only_command[] = {command, NULL};
	const gchar *const *known = sl_cli_config_commands != NULL ? sl_cli_config_commands : only_command;

	for (guint i = 0; groups[i] != NULL; i++) {
		if (!g_strv_contains(known, groups[i])) {
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "config %s: unknown group [%s] (groups are command names)",
				    path,
				    groups[i]);
			return FALSE;
		}
	}
	if (!g_key_file_has_group(keyfile, command)) {
		g_set_error(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "config %s has no [%s] group", path, command);
		return FALSE;
	}
	return TRUE;
}

/* the entry @key sets; a key "X" also sets a "no-X" switch, inverted */
static gint
sl_cli_config_find_entry(SlCliConfig *self, const gchar *key, gboolean *inverted)
{
	g_autofree gchar *negated = g_strdup_printf("no-%s", key);

	*inverted = FALSE;
	for (guint i = 0; i < self->entries->len; i++) {
		const GOptionEntry *entry = &g_array_index(self->entries, GOptionEntry, i);
		if (g_strcmp0(entry->long_name, key) == 0)
			return (gint)i;
	}
	for (guint i = 0; i < self->entries->len; i++) {
		const GOptionEntry *entry = &g_array_index(self->entries, GOptionEntry, i);
		if (entry->arg == G_OPTION_ARG_NONE && g_strcmp0(entry->long_name, negated) == 0) {
			*inverted = TRUE;
			return (gint)i;
		}
	}
	return -1;
}

/* a relative path in a config is relative to the config's directory, not to the cwd */
static gchar *
sl_cli_config_resolve(const gchar *config_dir, const gchar *path)
{
	if (g_path_is_absolute(path))
		return g_strdup(path);
	return g_build_filename(config_dir, path, NULL);
}

/* "GUID-OR-ALIAS:FILE": the part after the first ':' is a path */
static gchar *
sl_cli_config_resolve_item(const GOptionEntry *entry, const gchar *config_dir, const gchar *value)
{
	const gchar *sep = strchr(value, ':');
	g_autofree gchar *name = NULL;
	g_autofree gchar *path = NULL;

	if (entry->arg == G_OPTION_ARG_FILENAME || entry->arg == G_OPTION_ARG_FILENAME_ARRAY)
		return sl_cli_config_resolve(config_dir, value);
	if (entry->arg_description == NULL || !g_str_has_suffix(entry->arg_description, ":FILE") ||
	    sep == NULL)
		return g_strdup(value);
	name = g_strndup(value, (gsize)(sep - value));
	path = sl_cli_config_resolve(config_dir, sep + 1);
	return g_strdup_printf("%s:%s", name, path);
}

/* numbers are checked here, so that the error names the file; ranges are the command's */
static gboolean
sl_cli_config_check_string(const GOptionEntry *entry, const gchar *value, GError **error)
{
	const gchar *kind = entry->arg_description;
	guint64 number = 0;

	if (value[0] == '\0') {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "empty value");
		return FALSE;
	}
	if ((g_strcmp0(kind, "N") == 0 || g_strcmp0(kind, "SECONDS") == 0) &&
	    !sl_number_parse(value, "value", 0, G_MAXUINT64, &number, NULL)) {
		g_set_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "'%s' is not a number", value);
		return FALSE;
	}
	if (g_strcmp0(kind, "HEX") == 0 && !sl_number_parse_hex(value, "value", G_MAXUINT64, &number, NULL)) {
		g_set_error(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "'%s' is not a hexadecimal number", value);
		return FALSE;
	}
	return TRUE;
}

/* GKeyFile's errors (a value not UTF-8, a bad escape) in our one error domain */
static gboolean
sl_cli_config_refuse_value(const GError *error_local, GError **error)
{
	g_set_error(error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "not a valid value (%s)",
		    error_local != NULL ? error_local->message : "no value");
	return FALSE;
}

/*
 * GLib hands back a value even when it refused an escape in it, and warns on
 * stderr when it refuses two: only the escapes GKeyFile defines get to GLib
 */
static gboolean
sl_cli_config_check_escapes(
    GKeyFile *keyfile, const gchar *group, const gchar *key, gboolean list, GError **error)
{
	g_autofree gchar *raw = g_key_file_get_value(keyfile, group, key, NULL);

	for (const gchar *p = raw; p != NULL && *p != '\0'; p++) {
		if (*p != '\\')
			continue;
		p++;
		if (*p == '\0' || strchr(list ? "sntr\\;" : "sntr\\", *p) == NULL) {
			g_set_error_literal(
			    error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "not a valid value (a backslash starts no escape GKeyFile knows)");
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
sl_cli_config_set_strings(const GOptionEntry *entry,
			  GKeyFile *keyfile,
			  const gchar *group,
			  const gchar *key,
			  const gchar *config_dir,
			  GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_auto(GStrv) values = NULL;
	g_autoptr(GPtrArray) resolved = g_ptr_array_new_with_free_func(g_free);

	if (!sl_cli_config_check_escapes(keyfile, group, key, TRUE, error))
		return FALSE;
	values = g_key_file_get_string_list(keyfile, group, key, NULL, &error_local);
	if (values == NULL || error_local != NULL)
		return sl_cli_config_refuse_value(error_local, error);
	if (values[0] == NULL) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "empty list");
		return FALSE;
	}
	for (guint i = 0; values[i] != NULL; i++) {
		if (!sl_cli_config_check_string(entry, values[i], error))
			return FALSE;
		g_ptr_array_add(resolved, sl_cli_config_resolve_item(entry, config_dir, values[i]));
	}
	g_ptr_array_add(resolved, NULL);
	*(gchar ***)entry->arg_data = (gchar **)g_ptr_array_free(g_steal_pointer(&resolved), FALSE);
	return TRUE;
}

static gboolean
sl_cli_config_set_string(const GOptionEntry *entry,
			 GKeyFile *keyfile,
			 const gchar *group,
			 const gchar *key,
			 const gchar *config_dir,
			 GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *value = NULL;

	if (!sl_cli_config_check_escapes(keyfile, group, key, FALSE, error))
		return FALSE;
	value = g_key_file_get_string(keyfile, group, key, &error_local);
	if (value == NULL || error_local != NULL)
		return sl_cli_config_refuse_value(error_local, error);
	if (!sl_cli_config_check_string(entry, value, error))
		return FALSE;
	*(gchar **)entry->arg_data = sl_cli_config_resolve_item(entry, config_dir, value);
	return TRUE;
}

static gboolean
sl_cli_config_set_boolean(const GOptionEntry *entry,
			  GKeyFile *keyfile,
			  const gchar *group,
			  const gchar *key,
			  gboolean inverted,
			  GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gboolean value = g_key_file_get_boolean(keyfile, group, key, &error_local);

	if (error_local != NULL) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "not true or false");
		return FALSE;
	}
	if ((entry->flags & G_OPTION_FLAG_REVERSE) != 0)
		inverted = !inverted;
	*(gboolean *)entry->arg_data = inverted ? !value : value;
	return TRUE;
}

static gboolean
sl_cli_config_set_value(const GOptionEntry *entry,
			GKeyFile *keyfile,
			const gchar *group,
			const gchar *key,
			gboolean inverted,
			const gchar *config_dir,
			GError **error)
{
	g_autoptr(GError) error_local = NULL;

	switch (entry->arg) {
	case G_OPTION_ARG_NONE:
		return sl_cli_config_set_boolean(entry, keyfile, group, key, inverted, error);
	case G_OPTION_ARG_STRING:
	case G_OPTION_ARG_FILENAME:
		return sl_cli_config_set_string(entry, keyfile, group, key, config_dir, error);
	case G_OPTION_ARG_STRING_ARRAY:
	case G_OPTION_ARG_FILENAME_ARRAY:
		return sl_cli_config_set_strings(entry, keyfile, group, key, config_dir, error);
	case G_OPTION_ARG_INT:
		*(gint *)entry->arg_data = g_key_file_get_integer(keyfile, group, key, &error_local);
		break;
	case G_OPTION_ARG_INT64:
		*(gint64 *)entry->arg_data = g_key_file_get_int64(keyfile, group, key, &error_local);
		break;
	case G_OPTION_ARG_DOUBLE:
		*(gdouble *)entry->arg_data = g_key_file_get_double(keyfile, group, key, &error_local);
		break;
	default:
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "cannot be set in a config");
		return FALSE;
	}
	if (error_local != NULL) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "not a number");
		return FALSE;
	}
	return TRUE;
}

static gboolean
sl_cli_config_apply_key(SlCliConfig *self,
			GKeyFile *keyfile,
			const gchar *group,
			const gchar *key,
			const gchar *config_dir,
			GHashTable *variables_set,
			GError **error)
{
	gboolean inverted = FALSE;
	gint i = sl_cli_config_find_entry(self, key, &inverted);
	const GOptionEntry *entry = NULL;

	if (i < 0 || g_strcmp0(key, "config") == 0) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "unknown key");
		return FALSE;
	}
	entry = &g_array_index(self->entries, GOptionEntry, i);
	/* "vcpus" and its alias "num-cpus", or "resume" and "no-resume": one value, not two */
	if (g_strcmp0(g_hash_table_lookup(variables_set, entry->arg_data), key) == 0) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "given twice");
		return FALSE;
	}
	if (g_hash_table_contains(variables_set, entry->arg_data)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "sets the same option as %s",
			    (const gchar *)g_hash_table_lookup(variables_set, entry->arg_data));
		return FALSE;
	}
	g_hash_table_insert(variables_set, entry->arg_data, (gpointer)key);
	if (sl_cli_config_given_on_command_line(self, (guint)i))
		return TRUE;
	return sl_cli_config_set_value(entry, keyfile, group, key, inverted, config_dir, error);
}

static gboolean
sl_cli_config_apply(
    SlCliConfig *self, GKeyFile *keyfile, const gchar *path, const gchar *group, GError **error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(keyfile, group, NULL, NULL);
	g_autoptr(GHashTable) variables_set = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_autofree gchar *absolute = g_canonicalize_filename(path, NULL);
	g_autofree gchar *config_dir = g_path_get_dirname(absolute);

	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		if (!sl_cli_config_apply_key(
			self, keyfile, group, keys[i], config_dir, variables_set, error)) {
			g_prefix_error(error, "config %s: [%s] %s: ", path, group, keys[i]);
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
sl_cli_config_apply_data(
    SlCliConfig *self, const gchar *path, const gchar *command, const gchar *text, gsize len, GError **error)
{
	g_autoptr(GKeyFile) keyfile = NULL;

	/* which options the command line gave is known only once it was parsed */
	g_return_val_if_fail(self->before->len == self->entries->len, FALSE);
	keyfile = sl_cli_config_parse(path, text, len, error);
	if (keyfile == NULL)
		return FALSE;
	if (!sl_cli_config_check_groups(keyfile, path, command, error))
		return FALSE;
	return sl_cli_config_apply(self, keyfile, path, command, error);
}

static gboolean
sl_cli_config_post_parse_cb(GOptionContext *context, GOptionGroup *group, gpointer data, GError **error)
{
	SlCliConfig *self = data;
	g_autofree gchar *text = NULL;
	gsize len = 0;

	if (self->path == NULL)
		return TRUE;
	text = sl_cli_config_read(self->path, &len, error);
	if (text == NULL)
		return FALSE;
	return sl_cli_config_apply_data(self, self->path, sl_cli_config_command(), text, len, error);
}

static SlCliConfig *
sl_cli_config_new(GOptionContext *context)
{
	SlCliConfig *self = g_new0(SlCliConfig, 1);
	GOptionGroup *group = g_option_group_new(NULL, NULL, NULL, self, NULL);
	GOptionEntry entries[] = {
	    {"config", 0, 0, G_OPTION_ARG_FILENAME, &self->path, NULL, "FILE"},
	    {NULL},
	};

	self->help = g_strdup_printf("Read options from FILE's [%s] group (key: the long option name)",
				     sl_cli_config_command());
	entries[0].description = self->help;

	self->entries = g_array_new(FALSE, FALSE, sizeof(GOptionEntry));
	self->before = g_array_new(FALSE, FALSE, sizeof(SlCliConfigValue));
	/* the hooks see the variables before and after the command line is parsed */
	g_option_group_set_parse_hooks(group, sl_cli_config_pre_parse_cb, sl_cli_config_post_parse_cb);
	g_option_group_add_entries(group, entries);
	g_array_append_vals(self->entries, entries, 1);
	g_option_context_set_main_group(context, group);
	return self;
}

void
sl_cli_config_add_entries(SlCliConfig **self, GOptionContext *context, const GOptionEntry *entries)
{
	guint n = 0;

	if (*self == NULL) {
		/* options added behind our back would be unknown to the config */
		g_return_if_fail(g_option_context_get_main_group(context) == NULL);
		*self = sl_cli_config_new(context);
	}
	while (entries[n].long_name != NULL)
		n++;
	g_option_group_add_entries(g_option_context_get_main_group(context), entries);
	g_array_append_vals((*self)->entries, entries, n);
}
