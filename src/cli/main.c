/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sl-cli.h"
#include "sl-error.h"

typedef struct {
	const gchar *name;
	gint (*run)(gint argc, gchar **argv);
	const gchar *summary;
} SlCommand;

static const SlCommand sl_commands[] = {
    {"verify", sl_cmd_verify, "verify a launch measurement (live over QMP or libvirt, or offline)"},
    {"start", sl_cmd_start, "start a libvirt domain paused, verify, inject, resume (or destroy)"},
    {"measure", sl_cmd_measure, "compute the launch digest and measurement from artifacts"},
    {"ovmf", sl_cmd_ovmf, "show what a firmware image supports"},
    {"certs", sl_cmd_certs, "verify the platform's SEV certificate chain"},
    {"session", sl_cmd_session, "build the launch session (GODH, session blob, TIK/TEK)"},
    {"query", sl_cmd_query, "host, no keys: print a paused guest's launch state (JSON)"},
    {"inject", sl_cmd_inject, "host, no keys: inject the owner's packet and resume"},
    {"manifest", sl_cmd_manifest, "build, show or sign reference values for many launches"},
    {"vmsa", sl_cmd_vmsa, "show a VMSA page's fields, or the fields two pages differ in"},
};

static void
sl_main_usage(FILE *out)
{
	fprintf(out, "Usage: sevlaunch COMMAND [OPTION...]\n\nCommands:\n");
	for (guint i = 0; i < G_N_ELEMENTS(sl_commands); i++)
		fprintf(out, "  %-9s %s\n", sl_commands[i].name, sl_commands[i].summary);
	fprintf(out,
		"\n'sevlaunch COMMAND --help' shows a command's options.\n\n"
		"Exit codes: 0 verified (or success); 1 measurement mismatch (inject: the packet\n"
		"is bound to another launch); 2 usage or input error (or standard output could\n"
		"not be written); 3 connection or QMP protocol\n"
		"error (or a live verify ended by SIGINT, SIGTERM or SIGHUP); 4 guest not\n"
		"verifiable (SEV off, wrong state, SEV-SNP, unexpected policy; certs/session:\n"
		"the platform certificate chain does not verify); 5 secret injection refused.\n");
}

/* keys and secrets pass through this process: never let them reach a core file */
static void
sl_main_disable_core_dumps(void)
{
	struct rlimit none = {0, 0};
	(void)setrlimit(RLIMIT_CORE, &none);
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* what main returns; GOption's --help exits 0 from inside the parser */
static gint sl_main_exit_code = SL_EXIT_VERIFIED;

/*
 * stdout is what most commands produce: a write or close that failed must
 * not end in success. At exit, so every path out (GOption's too) is covered.
 */
static void
sl_main_close_stdout(void)
{
	gboolean failed = ferror(stdout) != 0;
	gint saved_errno = 0;

	if (fflush(stdout) != 0) {
		failed = TRUE;
		saved_errno = errno;
	}
	/* a stdout closed before we ran had nothing to write */
	if (fclose(stdout) != 0 && errno != EBADF) {
		failed = TRUE;
		saved_errno = errno;
	}
	if (!failed)
		return;
	g_printerr("sevlaunch: cannot write to stdout: %s\n",
		   saved_errno != 0 ? g_strerror(saved_errno) : "write error");
	_exit(sl_main_exit_code != SL_EXIT_VERIFIED ? sl_main_exit_code : SL_EXIT_INPUT);
}

static gint
sl_main_run(int argc, char **argv)
{
	if (argc < 2) {
		sl_main_usage(stderr);
		return SL_EXIT_INPUT;
	}
	if (g_strcmp0(argv[1], "--help") == 0 || g_strcmp0(argv[1], "-h") == 0 ||
	    g_strcmp0(argv[1], "help") == 0) {
		sl_main_usage(stdout);
		return SL_EXIT_VERIFIED;
	}
	if (g_strcmp0(argv[1], "--version") == 0) {
		printf("sevlaunch %s\n", PACKAGE_VERSION);
		return SL_EXIT_VERIFIED;
	}
	for (guint i = 0; i < G_N_ELEMENTS(sl_commands); i++) {
		if (g_strcmp0(argv[1], sl_commands[i].name) == 0) {
			g_autofree gchar *prgname = g_strdup_printf("sevlaunch %s", sl_commands[i].name);
			g_set_prgname(prgname);
			return sl_commands[i].run(argc - 1, argv + 1);
		}
	}
	/* a packet is built only for a verified measurement */
	if (g_strcmp0(argv[1], "secret") == 0) {
		g_printerr(
		    "sevlaunch: there is no 'secret' command any more: 'sevlaunch verify --measurement "
		    "... --secret ... --header-out FILE --payload-out FILE' builds the packet after a "
		    "match\n");
		return SL_EXIT_INPUT;
	}
	g_printerr("sevlaunch: unknown command '%s' (try 'sevlaunch --help')\n", argv[1]);
	return SL_EXIT_INPUT;
}

int
main(int argc, char **argv)
{
	const gchar *command_names[G_N_ELEMENTS(sl_commands) + 1] = {NULL};

	sl_main_disable_core_dumps();
	/* a config may hold a group for each command */
	for (guint i = 0; i < G_N_ELEMENTS(sl_commands); i++)
		command_names[i] = sl_commands[i].name;
	sl_cli_config_set_commands(command_names);
	setlocale(LC_ALL, "");
	g_set_prgname("sevlaunch");
	atexit(sl_main_close_stdout);
	sl_main_exit_code = sl_main_run(argc, argv);
	return sl_main_exit_code;
}
