/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-cert-chain.h"
#include "sl-cli-config.h"
#include "sl-launch-artifacts.h"
#include "sl-launch-keys.h"
#include "sl-measurement.h"
#include "sl-secret-table.h"

G_BEGIN_DECLS

/* raw option values shared by the subcommands, converted once parsing is done */
typedef struct {
	/* artifacts */
	gchar *firmware;
	gchar *kernel;
	gchar *initrd;
	gchar *cmdline;
	gboolean sev_es;
	gchar *vcpus;
	gchar *cpu;
	gchar *cpu_family;
	gchar *cpu_model;
	gchar *cpu_stepping;
	gchar *cpu_signature;
	gchar *vmsa_cpu0;
	gchar *vmsa_cpu1;
	gchar *vmsa_variant;
	gchar *sev_features;
	/* keys */
	gchar *tik;
	gchar *tek;
	gchar *tk;
	gboolean allow_open_permissions;
	/* what the measurement binds */
	gchar *api_major;
	gchar *api_minor;
	gchar *build_id;
	gchar *policy;
	gchar *nonce;
	gchar *launch_measure_blob;
	gchar *measurement;
	/* secrets */
	gchar **secrets;
	/* the platform certificate chain */
	gchar *chain;
	gchar *generation;
	gchar *ark;
	gchar *ask;
	/* output */
	gboolean json;
	gboolean verbose;
	/* every option added with sl_cli_add_entries, for --config */
	SlCliConfig *config;
} SlCliOptions;

void
sl_cli_options_clear(SlCliOptions *self);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SlCliOptions, sl_cli_options_clear)

/*
 * adds a command's own options: always this way, never with
 * g_option_context_add_main_entries, so that --config can set them
 */
void
sl_cli_add_entries(GOptionContext *context, SlCliOptions *self, const GOptionEntry *entries);
/* option groups; @self must outlive the context */
void
sl_cli_add_artifact_options(GOptionContext *context, SlCliOptions *self);
void
sl_cli_add_key_options(GOptionContext *context, SlCliOptions *self);
void
sl_cli_add_launch_options(GOptionContext *context, SlCliOptions *self);
void
sl_cli_add_output_options(GOptionContext *context, SlCliOptions *self);
/* --chain DIR and the AMD keys it is checked against; @chain_help says what the chain is for */
void
sl_cli_add_chain_options(GOptionContext *context, SlCliOptions *self, const gchar *chain_help);

/* parses argv; a leftover argument or a bad option is an SL_ERROR_INVALID_ARGUMENT */
gboolean
sl_cli_parse(GOptionContext *context, gint *argc, gchar ***argv, gboolean allow_extra_args, GError **error);

/* refuses an option that is meaningless where it was given */
gboolean
sl_cli_refuse_option(const gchar *value, const gchar *name, const gchar *why, GError **error);

/* the values, converted and checked together (sl-cli-values.c) */
SlLaunchArtifacts *
sl_cli_options_get_artifacts(SlCliOptions *self, GError **error);
SlLaunchKeys *
sl_cli_options_get_keys(SlCliOptions *self, GError **error);
SlSecureFileFlags
sl_cli_options_get_file_flags(const SlCliOptions *self);
/* --api-major/--api-minor/--build-id/--policy, all four or none (FALSE + no error) */
gboolean
sl_cli_options_get_launch_params(SlCliOptions *self, SlLaunchParams *params, gboolean *found, GError **error);
/* --secret options; *table is NULL when none were given */
gboolean
sl_cli_options_get_secret_table(SlCliOptions *self, SlSecretTable **table, GError **error);
/*
 * the platform's certificates from --chain DIR and AMD's keys either built in
 * (--generation) or from --ark and --ask files
 */
gboolean
sl_cli_options_load_chain(const SlCliOptions *self, SlCertChain *chain, GError **error);
/* a hint for an error about VMSA files: "pass --vmsa-cpu1 FILE" when only --vmsa-cpu0 was given */
void
sl_cli_options_add_vmsa_hint(const SlCliOptions *self, GError **error);

/*
 * offline, the guest is SEV-ES if --sev-es or the --policy bit says so; the
 * two must agree, SEV-ES needs its inputs, and SEV-ES inputs for a guest
 * that is not SEV-ES are refused, never ignored
 */
gboolean
sl_cli_resolve_sev_es(
    const SlCliOptions *cli, guint32 policy, SlLaunchArtifacts *artifacts, gboolean *sev_es, GError **error);

G_END_DECLS
