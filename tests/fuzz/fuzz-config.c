/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "sl-cli-options.h"
#include "sl-error.h"

/*
 * --config: the bytes of a config file applied to the real option tables
 * (artifacts, keys, launch, output, chain) plus verify's --qmp, --timeout
 * and --secret, an alias, and one option of each other GOption type; --json is given on the command line, so
 * the file cannot change it. Whatever a file sets, written back as a key file, sets the same values again.
 */

#define SL_FUZZ_CONFIG_PATH "/fuzz-config-dir/sevlaunch.conf"

typedef struct {
	SlCliOptions options;
	gchar *qmp;
	gchar *timeout;
	gboolean no_cont;
	gint retries;
	gint64 limit;
	gdouble delay;
	GOptionContext *context;
} SlFuzzConfig;

static void
sl_fuzz_config_free(SlFuzzConfig *self)
{
	sl_cli_options_clear(&self->options);
	g_free(self->qmp);
	g_free(self->timeout);
	g_option_context_free(self->context);
	g_free(self);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlFuzzConfig, sl_fuzz_config_free)

/* a context as a command makes it, its command line parsed: only --json given */
static SlFuzzConfig *
sl_fuzz_config_new(void)
{
	SlFuzzConfig *self = g_new0(SlFuzzConfig, 1);
	const GOptionEntry extra[] = {
	    {"qmp", 0, 0, G_OPTION_ARG_STRING, &self->qmp, "QMP socket", "SOCKET"},
	    {"timeout", 0, 0, G_OPTION_ARG_STRING, &self->timeout, "seconds", "SECONDS"},
	    {"num-cpus", 0, 0, G_OPTION_ARG_STRING, &self->options.vcpus, "alias of --vcpus", "N"},
	    {"secret",
	     0,
	     0,
	     G_OPTION_ARG_STRING_ARRAY,
	     &self->options.secrets,
	     "secret",
	     "GUID-OR-NAME:FILE"},
	    {"no-cont", 0, 0, G_OPTION_ARG_NONE, &self->no_cont, "do not resume", NULL},
	    {"retries", 0, 0, G_OPTION_ARG_INT, &self->retries, "retries", "N"},
	    {"limit", 0, 0, G_OPTION_ARG_INT64, &self->limit, "limit", "N"},
	    {"delay", 0, 0, G_OPTION_ARG_DOUBLE, &self->delay, "delay", "SECONDS"},
	    {NULL},
	};
	gchar *args[] = {"sevlaunch", "--json", NULL};
	gchar **argv = args;
	gint argc = 2;
	g_autoptr(GError) error = NULL;

	self->context = g_option_context_new(NULL);
	sl_cli_add_artifact_options(self->context, &self->options);
	sl_cli_add_key_options(self->context, &self->options);
	sl_cli_add_launch_options(self->context, &self->options);
	sl_cli_add_output_options(self->context, &self->options);
	sl_cli_add_chain_options(self->context, &self->options, "chain");
	sl_cli_add_entries(self->context, &self->options, extra);
	g_assert_true(g_option_context_parse(self->context, &argc, &argv, &error));
	g_assert_no_error(error);
	g_assert_true(self->options.json);
	return self;
}

/* @entry's value as key file text, into @keyfile; FALSE: still the default */
static gboolean
sl_fuzz_config_write_entry(GKeyFile *keyfile, const GOptionEntry *entry)
{
	switch (entry->arg) {
	case G_OPTION_ARG_NONE:
		if (!*(gboolean *)entry->arg_data)
			return FALSE;
		g_key_file_set_boolean(keyfile, "verify", entry->long_name, TRUE);
		return TRUE;
	case G_OPTION_ARG_STRING:
	case G_OPTION_ARG_FILENAME:
		if (*(gchar **)entry->arg_data == NULL)
			return FALSE;
		g_key_file_set_string(keyfile, "verify", entry->long_name, *(gchar **)entry->arg_data);
		return TRUE;
	case G_OPTION_ARG_STRING_ARRAY:
	case G_OPTION_ARG_FILENAME_ARRAY: {
		gchar **list = *(gchar ***)entry->arg_data;
		if (list == NULL)
			return FALSE;
		g_key_file_set_string_list(
		    keyfile, "verify", entry->long_name, (const gchar *const *)list, g_strv_length(list));
		return TRUE;
	}
	default:
		return FALSE;
	}
}

static void
sl_fuzz_config_check_same(const SlFuzzConfig *a, const SlFuzzConfig *b)
{
	const gchar *const *la = (const gchar *const *)a->options.secrets;
	const gchar *const *lb = (const gchar *const *)b->options.secrets;

	g_assert_cmpstr(a->options.firmware, ==, b->options.firmware);
	g_assert_cmpstr(a->options.kernel, ==, b->options.kernel);
	g_assert_cmpstr(a->options.cmdline, ==, b->options.cmdline);
	g_assert_cmpstr(a->options.vcpus, ==, b->options.vcpus);
	g_assert_cmpstr(a->options.policy, ==, b->options.policy);
	g_assert_cmpstr(a->options.sev_features, ==, b->options.sev_features);
	g_assert_cmpstr(a->options.tik, ==, b->options.tik);
	g_assert_cmpstr(a->qmp, ==, b->qmp);
	g_assert_cmpstr(a->timeout, ==, b->timeout);
	g_assert_cmpint(a->options.sev_es, ==, b->options.sev_es);
	g_assert_cmpint(a->options.verbose, ==, b->options.verbose);
	g_assert_cmpint(a->no_cont, ==, b->no_cont);
	g_assert_true((la == NULL) == (lb == NULL));
	if (la != NULL)
		g_assert_true(g_strv_equal(la, lb));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(SlFuzzConfig) first = NULL;
	g_autoptr(SlFuzzConfig) again = NULL;
	g_autoptr(GKeyFile) written = g_key_file_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = NULL;
	gsize len = 0;
	static const gchar *const commands[] = {"verify", "measure", "inject", NULL};

	sl_fuzz_init();
	g_set_prgname("sevlaunch verify");
	sl_cli_config_set_commands(commands);
	first = sl_fuzz_config_new();
	if (!sl_cli_config_apply_data(
		first->options.config, SL_FUZZ_CONFIG_PATH, "verify", (const gchar *)data, size, &error)) {
		g_assert_true(g_error_matches(error, SL_ERROR, SL_ERROR_INVALID_DATA) ||
			      g_error_matches(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT));
		/* the error names the file */
		g_assert_nonnull(strstr(error->message, SL_FUZZ_CONFIG_PATH));
		return 0;
	}
	g_assert_no_error(error);
	/* given on the command line: the file cannot take it back */
	g_assert_true(first->options.json);
	/* a path in a config is relative to the config's directory */
	if (first->options.firmware != NULL)
		g_assert_true(g_path_is_absolute(first->options.firmware));
	for (guint i = 0; first->options.secrets != NULL && first->options.secrets[i] != NULL; i++)
		g_assert_cmpstr(first->options.secrets[i], !=, "");

	/* written back as a key file, the values read the same */
	/* the group, even when the file set nothing */
	g_assert_true(g_key_file_load_from_data(written, "[verify]\n", (gsize)-1, G_KEY_FILE_NONE, NULL));
	{
		/* json is left out: the command line gave it */
		const GOptionEntry all[] = {
		    {"firmware", 0, 0, G_OPTION_ARG_FILENAME, &first->options.firmware},
		    {"kernel", 0, 0, G_OPTION_ARG_FILENAME, &first->options.kernel},
		    {"cmdline", 0, 0, G_OPTION_ARG_STRING, &first->options.cmdline},
		    {"vcpus", 0, 0, G_OPTION_ARG_STRING, &first->options.vcpus},
		    {"policy", 0, 0, G_OPTION_ARG_STRING, &first->options.policy},
		    {"sev-features", 0, 0, G_OPTION_ARG_STRING, &first->options.sev_features},
		    {"tik", 0, 0, G_OPTION_ARG_FILENAME, &first->options.tik},
		    {"qmp", 0, 0, G_OPTION_ARG_STRING, &first->qmp},
		    {"timeout", 0, 0, G_OPTION_ARG_STRING, &first->timeout},
		    {"sev-es", 0, 0, G_OPTION_ARG_NONE, &first->options.sev_es},
		    {"verbose", 0, 0, G_OPTION_ARG_NONE, &first->options.verbose},
		    {"no-cont", 0, 0, G_OPTION_ARG_NONE, &first->no_cont},
		    {"secret", 0, 0, G_OPTION_ARG_STRING_ARRAY, &first->options.secrets},
		};
		for (guint i = 0; i < G_N_ELEMENTS(all); i++)
			(void)sl_fuzz_config_write_entry(written, &all[i]);
	}
	text = g_key_file_to_data(written, &len, NULL);
	again = sl_fuzz_config_new();
	if (!sl_cli_config_apply_data(
		again->options.config, SL_FUZZ_CONFIG_PATH, "verify", text, len, &error))
		g_error("fuzz: the config written back is refused: %s\n%s", error->message, text);
	sl_fuzz_config_check_same(first, again);
	return 0;
}
