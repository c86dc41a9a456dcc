/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "file-test-util.h"
#include "sl-cli-config.h"
#include "sl-error.h"

/* the variables of a command with one option of each kind the CLI uses */
typedef struct {
	gchar *dir;
	gchar *qmp;
	gchar *firmware;
	gchar *vcpus;
	gchar *cpu_signature;
	gchar **secrets;
	gboolean sev_es;
	gboolean no_resume;
	gint count;
	SlCliConfig *config;
} Fixture;

static void
fixture_setup(Fixture *fx, gconstpointer user_data)
{
	fx->dir = file_test_dir_new("sl-cli-config-XXXXXX");
	g_set_prgname("sevlaunch verify");
}

static void
fixture_teardown(Fixture *fx, gconstpointer user_data)
{
	file_test_dir_remove(fx->dir);
	g_free(fx->dir);
	g_free(fx->qmp);
	g_free(fx->firmware);
	g_free(fx->vcpus);
	g_free(fx->cpu_signature);
	g_strfreev(fx->secrets);
	g_clear_pointer(&fx->config, sl_cli_config_free);
}

static gchar *
write_config(Fixture *fx, const gchar *text, int mode)
{
	static guint serial = 0;
	g_autofree gchar *name = g_strdup_printf("sevlaunch-%u.conf", serial++);
	return file_test_write(fx->dir, name, text, strlen(text), mode);
}

/* parses @args (NULL-terminated, after the program name) as "sevlaunch verify" would */
static gboolean
parse(Fixture *fx, const gchar *const *args, GError **error)
{
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	gchar **argv_data;
	gint argc;
	const GOptionEntry entries[] = {
	    {"qmp", 0, 0, G_OPTION_ARG_STRING, &fx->qmp, "QMP", "ADDRESS"},
	    {"firmware", 0, 0, G_OPTION_ARG_FILENAME, &fx->firmware, "Firmware", "FILE"},
	    {"vcpus", 0, 0, G_OPTION_ARG_STRING, &fx->vcpus, "vCPUs", "N"},
	    {"num-cpus", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &fx->vcpus, "vCPUs", "N"},
	    {"cpu-signature", 0, 0, G_OPTION_ARG_STRING, &fx->cpu_signature, "CPUID", "HEX"},
	    {"secret", 0, 0, G_OPTION_ARG_STRING_ARRAY, &fx->secrets, "Secret", "GUID-OR-ALIAS:FILE"},
	    {"no-resume", 0, 0, G_OPTION_ARG_NONE, &fx->no_resume, "No resume", NULL},
	    {NULL},
	};
	const GOptionEntry more_entries[] = {
	    {"sev-es", 0, 0, G_OPTION_ARG_NONE, &fx->sev_es, "SEV-ES", NULL},
	    {"count", 0, 0, G_OPTION_ARG_INT, &fx->count, "Count", "N"},
	    {NULL},
	};

	sl_cli_config_add_entries(&fx->config, context, entries);
	sl_cli_config_add_entries(&fx->config, context, more_entries);
	g_ptr_array_add(argv, "sevlaunch-verify");
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	argc = (gint)argv->len;
	argv_data = (gchar **)argv->pdata;
	return g_option_context_parse(context, &argc, &argv_data, error);
}

static void
test_config_sets_options(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path =
	    write_config(fx,
			 "# a hook's config\n[verify]\n"
			 "qmp=unix:/run/sevlaunch/guest.qmp\n"
			 "firmware=OVMF.fd\n"
			 "vcpus=4\n"
			 "cpu-signature=a00f11\n"
			 "sev-es=true\n"
			 "count=7\n"
			 "secret=luks-key:secrets/disk;736869e5-aaaa-4973-92ec-06879ce3da0b:/abs/x\n",
			 0600);
	const gchar *args[] = {"--config", path, NULL};
	g_autofree gchar *firmware = g_build_filename(fx->dir, "OVMF.fd", NULL);
	g_autofree gchar *secret0 = g_strdup_printf("luks-key:%s/secrets/disk", fx->dir);

	g_assert_true(parse(fx, args, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(fx->qmp, ==, "unix:/run/sevlaunch/guest.qmp");
	/* relative to the config's directory, not to the cwd */
	g_assert_cmpstr(fx->firmware, ==, firmware);
	g_assert_cmpstr(fx->vcpus, ==, "4");
	g_assert_cmpstr(fx->cpu_signature, ==, "a00f11");
	g_assert_true(fx->sev_es);
	g_assert_false(fx->no_resume);
	g_assert_cmpint(fx->count, ==, 7);
	g_assert_cmpuint(g_strv_length(fx->secrets), ==, 2);
	g_assert_cmpstr(fx->secrets[0], ==, secret0);
	g_assert_cmpstr(fx->secrets[1], ==, "736869e5-aaaa-4973-92ec-06879ce3da0b:/abs/x");
	g_assert_cmpstr(sl_cli_config_get_path(fx->config), ==, path);
}

static void
test_config_command_line_wins(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = write_config(
	    fx, "[verify]\nqmp=unix:/from/file\nvcpus=4\nsecret=a:one;b:two\nno-resume=true\n", 0600);
	const gchar *args[] = {
	    "--qmp", "unix:/from/cli", "--config", path, "--num-cpus", "2", "--secret", "c:three", NULL};

	g_assert_true(parse(fx, args, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(fx->qmp, ==, "unix:/from/cli");
	/* an alias on the command line wins over the file's canonical key */
	g_assert_cmpstr(fx->vcpus, ==, "2");
	/* a list on the command line replaces the file's list */
	g_assert_cmpuint(g_strv_length(fx->secrets), ==, 1);
	g_assert_cmpstr(fx->secrets[0], ==, "c:three");
	g_assert_true(fx->no_resume);
}

static void
test_config_negated_switch(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = write_config(fx, "[verify]\nresume=false\n", 0600);
	const gchar *args[] = {"--config", path, NULL};

	g_assert_true(parse(fx, args, &error));
	g_assert_no_error(error);
	g_assert_true(fx->no_resume);
}

static void
test_config_negated_switch_true(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = write_config(fx, "[verify]\nresume=true\n", 0600);
	const gchar *args[] = {"--config", path, NULL};

	g_assert_true(parse(fx, args, &error));
	g_assert_no_error(error);
	g_assert_false(fx->no_resume);
}

/* each bad config is refused with one error naming the file and what is wrong */
typedef struct {
	const gchar *text;
	int mode;
	const gchar *const words[3];
} BadConfig;

static const BadConfig bad_configs[] = {
    {"[verify]\nqmp=x\ntik-bytes=AAAA\n", 0600, {"[verify] tik-bytes", "unknown key"}},
    {"[verify]\nconfig=/etc/other.conf\n", 0600, {"[verify] config", "unknown key"}},
    {"[verify]\nqmp=x\n[verfy]\nqmp=y\n", 0600, {"[verfy]", "unknown group"}},
    {"[measure]\nfirmware=x\n", 0600, {"no [verify] group"}},
    {"[verify]\nqmp=x\n", 0620, {"writable by group or others"}},
    {"[verify]\nqmp=x\n", 0602, {"writable by group or others"}},
    {"[verify]\nsev-es=yes\n", 0600, {"[verify] sev-es", "not true or false"}},
    {"[verify]\nvcpus=four\n", 0600, {"[verify] vcpus"}},
    {"[verify]\ncpu-signature=xyz\n", 0600, {"[verify] cpu-signature"}},
    {"[verify]\ncount=many\n", 0600, {"[verify] count", "not a number"}},
    {"[verify]\nfirmware=\n", 0600, {"[verify] firmware", "empty value"}},
    {"[verify]\nvcpus=2\nnum-cpus=4\n", 0600, {"[verify] num-cpus", "same option as vcpus"}},
    {"[verify]\nresume=false\nno-resume=true\n", 0600, {"[verify] no-resume", "same option as resume"}},
    {"[verify]\nqmp=x\nqmp=y\n", 0600, {"[verify] qmp", "given twice"}},
    {"[verify]\nvcpus=1\n[verify]\nvcpus=2\n", 0600, {"[verify] vcpus", "given twice"}},
    {"[verify]\nqmp=\xff\xfe\n", 0600, {"[verify] qmp", "not UTF-8"}},
    {"[verify]\nqmp=a\\;b\\\n", 0600, {"[verify] qmp", "no escape"}},
    {"[verify]\nsecret=a\\qb\n", 0600, {"[verify] secret", "no escape"}},
    {"[verify]\nsecret=disk:a;\xff:b\n", 0600, {"[verify] secret", "not a valid value"}},
    {"[verify\nqmp=x\n", 0600, {".conf"}},
    {"qmp=x\n", 0600, {".conf"}},
};

static void
test_config_refused(Fixture *fx, gconstpointer user_data)
{
	const gchar *const commands[] = {"verify", "measure", NULL};

	sl_cli_config_set_commands(commands);
	for (guint i = 0; i < G_N_ELEMENTS(bad_configs); i++) {
		const BadConfig *bad = &bad_configs[i];
		g_autoptr(GError) error = NULL;
		g_autofree gchar *path = write_config(fx, bad->text, bad->mode);
		const gchar *args[] = {"--config", path, NULL};
		g_autofree gchar *shown = g_strescape(bad->text, NULL);

		g_test_message("config: %s", shown);
		g_assert_false(parse(fx, args, &error));
		g_assert_nonnull(error);
		/* GKeyFile's own errors too: one domain, so the exit code and class are ours */
		g_assert_true(error->domain == SL_ERROR);
		g_test_message("error: %s", error->message);
		g_assert_nonnull(strstr(error->message, path));
		for (guint j = 0; bad->words[j] != NULL; j++)
			g_assert_nonnull(strstr(error->message, bad->words[j]));
		g_clear_pointer(&fx->config, sl_cli_config_free);
		g_clear_pointer(&fx->vcpus, g_free);
		g_clear_pointer(&fx->qmp, g_free);
		g_clear_pointer(&fx->firmware, g_free);
	}
	sl_cli_config_set_commands(NULL);
}

static void
test_config_missing_file(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = g_build_filename(fx->dir, "absent.conf", NULL);
	const gchar *args[] = {"--config", path, NULL};

	g_assert_false(parse(fx, args, &error));
	g_assert_nonnull(error);
	g_assert_nonnull(strstr(error->message, path));
}

static void
test_config_not_regular(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	const gchar *args[] = {"--config", fx->dir, NULL};

	g_assert_false(parse(fx, args, &error));
	g_assert_nonnull(error);
}

static void
test_config_other_commands_groups(Fixture *fx, gconstpointer user_data)
{
	const gchar *const commands[] = {"verify", "measure", NULL};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = write_config(fx, "[measure]\nbogus=1\n[verify]\nvcpus=3\n", 0600);
	const gchar *args[] = {"--config", path, NULL};

	sl_cli_config_set_commands(commands);
	g_assert_true(parse(fx, args, &error));
	sl_cli_config_set_commands(NULL);
	g_assert_no_error(error);
	g_assert_cmpstr(fx->vcpus, ==, "3");
}

static void
test_config_none(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	const gchar *args[] = {"--vcpus", "5", NULL};

	g_assert_true(parse(fx, args, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(fx->vcpus, ==, "5");
	g_assert_null(sl_cli_config_get_path(fx->config));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/cli-config/sets-options",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_config_sets_options,
		   fixture_teardown);
	g_test_add("/cli-config/command-line-wins",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_config_command_line_wins,
		   fixture_teardown);
	g_test_add("/cli-config/negated-switch",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_config_negated_switch,
		   fixture_teardown);
	g_test_add("/cli-config/negated-switch-true",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_config_negated_switch_true,
		   fixture_teardown);
	g_test_add(
	    "/cli-config/refused", Fixture, NULL, fixture_setup, test_config_refused, fixture_teardown);
	g_test_add("/cli-config/missing-file",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_config_missing_file,
		   fixture_teardown);
	g_test_add("/cli-config/not-regular",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_config_not_regular,
		   fixture_teardown);
	g_test_add("/cli-config/other-commands-groups",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_config_other_commands_groups,
		   fixture_teardown);
	g_test_add("/cli-config/none", Fixture, NULL, fixture_setup, test_config_none, fixture_teardown);
	return g_test_run();
}
