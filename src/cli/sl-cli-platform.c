/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-amd-keys.h"
#include "sl-cli-platform.h"
#include "sl-error.h"
#include "sl-host-ops.h"

typedef struct {
	gboolean done;
	SlLaunchState *state;
	GError *error;
} SlCliPlatformResult;

static void
sl_cli_platform_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlCliPlatformResult *result = user_data;
	result->state = sl_host_query_finish(res, &result->error);
	result->done = TRUE;
}

static SlLaunchState *
sl_cli_platform_from_qmp(SlCliHostOptions *host, const SlCliOptions *cli, GError **error)
{
	g_autoptr(SlQmpTarget) target = sl_cli_host_options_get_target(host, cli, error);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	SlCliPlatformResult result = {0};

	if (target == NULL)
		return NULL;
	sl_host_platform_async(target, cancellable, sl_cli_platform_done_cb, &result);
	sl_cli_host_run_until(cancellable, &result.done, &result.error);
	if (result.state == NULL)
		g_propagate_error(error, result.error);
	return result.state;
}

static SlLaunchState *
sl_cli_platform_from_file(const gchar *path, GError **error)
{
	gsize len = 0;
	g_autofree gchar *text = sl_cli_read_document("--launch-state", path, &len, error);
	g_autoptr(SlLaunchState) state = NULL;

	if (text == NULL)
		return NULL;
	state = sl_launch_state_parse(text, len, error);
	if (state == NULL) {
		g_prefix_error(error, "--launch-state %s: ", path);
		return NULL;
	}
	if (!state->has_platform) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "--launch-state %s has no platform certificates (QEMU did not answer "
			    "query-sev-capabilities)",
			    path);
		return NULL;
	}
	return g_steal_pointer(&state);
}

gboolean
sl_cli_platform_get_state(SlCliHostOptions *host,
			  const gchar *launch_state,
			  const SlCliOptions *cli,
			  SlLaunchState **state,
			  GError **error)
{
	*state = NULL;
	if (host->qmp == NULL && launch_state == NULL) {
		return sl_cli_refuse_option(host->wait, "--wait", "needs --qmp", error) &&
		       sl_cli_refuse_option(host->timeout, "--timeout", "needs --qmp", error) &&
		       sl_cli_refuse_option(host->qmp_tls_creds, "--qmp-tls-creds", "needs --qmp", error);
	}
	if (host->qmp != NULL && launch_state != NULL) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "give --qmp or --launch-state, not both");
		return FALSE;
	}
	if (!sl_cli_refuse_option(
		cli->chain, "--chain", "comes from QEMU with --qmp or --launch-state", error))
		return FALSE;
	*state = host->qmp != NULL ? sl_cli_platform_from_qmp(host, cli, error)
				   : sl_cli_platform_from_file(launch_state, error);
	return *state != NULL;
}

/* the platform's four certificates */
static gboolean
sl_cli_platform_load(SlCertChain *chain, const SlLaunchState *state, GError **error)
{
	const guint8 *certs = g_bytes_get_data(state->cert_chain, NULL);
	const SlCertRole roles[] = {SL_CERT_ROLE_PEK, SL_CERT_ROLE_OCA, SL_CERT_ROLE_CEK};
	const gchar *names[] = {"PEK from the platform", "OCA from the platform", "CEK from the platform"};

	if (!sl_cert_chain_set_cert(chain, SL_CERT_ROLE_PDH, state->pdh, "PDH from the platform", error))
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(roles); i++) {
		g_autoptr(GBytes) cert =
		    g_bytes_new(certs + i * SL_LAUNCH_STATE_CERT_SIZE, SL_LAUNCH_STATE_CERT_SIZE);
		if (!sl_cert_chain_set_cert(chain, roles[i], cert, names[i], error))
			return FALSE;
	}
	return TRUE;
}

/* AMD's keys as the options say, or @generation's */
static SlCertChain *
sl_cli_platform_chain_new(const SlCliOptions *cli,
			  const SlLaunchState *state,
			  const gchar *generation,
			  GError **error)
{
	g_autoptr(SlCertChain) chain = sl_cert_chain_new();

	if (generation != NULL) {
		if (!sl_cert_chain_load_builtin(chain, generation, error))
			return NULL;
	} else if (!sl_cert_chain_load_file(chain, SL_CERT_ROLE_ARK, cli->ark, error) ||
		   !sl_cert_chain_load_file(chain, SL_CERT_ROLE_ASK, cli->ask, error)) {
		return NULL;
	}
	if (!sl_cli_platform_load(chain, state, error))
		return NULL;
	return g_steal_pointer(&chain);
}

SlCertChain *
sl_cli_platform_verify_chain(const SlCliOptions *cli,
			     const SlLaunchState *state,
			     gboolean *verified,
			     const gchar **generation,
			     GError **error)
{
	const gchar *const *generations = sl_amd_keys_get_generations();
	gboolean files = cli->ark != NULL || cli->ask != NULL;
	g_autoptr(SlCertChain) chain = NULL;

	*verified = FALSE;
	*generation = NULL;
	if ((files && (cli->ark == NULL || cli->ask == NULL)) || (files && cli->generation != NULL)) {
		g_set_error_literal(
		    error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "AMD's keys come from --generation NAME or from --ark FILE and --ask FILE");
		return NULL;
	}
	if (files || cli->generation != NULL) {
		chain = sl_cli_platform_chain_new(cli, state, cli->generation, error);
		if (chain == NULL)
			return NULL;
		*verified = sl_cert_chain_verify(chain, error);
		*generation = *verified ? cli->generation : NULL;
		return g_steal_pointer(&chain);
	}
	/* which built-in ASK signs the CEK names the generation */
	for (guint i = 0; generations[i] != NULL; i++) {
		g_autoptr(GError) error_local = NULL;
		g_clear_pointer(&chain, sl_cert_chain_free);
		chain = sl_cli_platform_chain_new(cli, state, generations[i], error);
		if (chain == NULL)
			return NULL;
		if (sl_cert_chain_verify(chain, &error_local)) {
			*verified = TRUE;
			*generation = generations[i];
			return g_steal_pointer(&chain);
		}
		g_debug("not %s: %s", generations[i], error_local->message);
	}
	g_set_error_literal(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "the platform's certificate chain does not verify under the AMD keys of any "
			    "known generation (naples, rome, milan, genoa, turin): no built-in ASK signs its "
			    "CEK, or a later link is broken");
	return g_steal_pointer(&chain);
}

void
sl_cli_platform_describe(const SlLaunchState *state, SlReport *report)
{
	gsize len = 0;
	const guint8 *id = state->cpu0_id != NULL ? g_bytes_get_data(state->cpu0_id, &len) : NULL;
	GString *url;

	if (id == NULL) {
		sl_report_add_null(report, "cek_url");
		return;
	}
	/* as sevctl formats the id: upper-case hex */
	url = g_string_new(SL_CLI_PLATFORM_KDS_CEK_URL);
	for (gsize i = 0; i < len; i++)
		g_string_append_printf(url, "%02X", id[i]);
	sl_report_add_string(report, "cek_url", url->str);
	g_string_free(url, TRUE);
}
