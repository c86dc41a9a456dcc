/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-cert-chain.h"
#include "sl-cli-platform.h"
#include "sl-cli.h"
#include "sl-error.h"

/* "links": one {signer, subject, ok, reason} per signature checked */
static void
sl_cmd_certs_report_links(SlCertChain *chain, SlReport *report)
{
	GPtrArray *links = sl_cert_chain_get_links(chain);

	sl_report_begin_array(report, "links");
	for (guint i = 0; i < links->len; i++) {
		SlCertLink *link = g_ptr_array_index(links, i);
		g_autofree gchar *signer = g_ascii_strdown(sl_cert_role_to_string(link->signer), -1);
		g_autofree gchar *subject = g_ascii_strdown(sl_cert_role_to_string(link->subject), -1);
		sl_report_begin_object(report, NULL);
		sl_report_add_string(report, "signer", signer);
		sl_report_add_string(report, "subject", subject);
		sl_report_add_bool(report, "ok", link->ok);
		if (!link->ok)
			sl_report_add_string(report, "reason", link->reason);
		sl_report_end_object(report);
	}
	sl_report_end_array(report);
}

static void
sl_cmd_certs_report_platform(SlCertChain *chain, SlReport *report)
{
	SlSevCert *pdh = sl_cert_chain_get_pdh(chain);

	sl_report_begin_object(report, "platform");
	sl_report_add_uint(report, "api_major", sl_sev_cert_get_api_major(pdh));
	sl_report_add_uint(report, "api_minor", sl_sev_cert_get_api_minor(pdh));
	sl_report_end_object(report);
}

/* the chain a directory holds, under the AMD keys the options name */
static gboolean
sl_cmd_certs_run_dir(SlCliOptions *options, SlReport *report, GError **error)
{
	g_autoptr(SlCertChain) chain = sl_cert_chain_new();
	gboolean ok;

	if (!sl_cli_options_load_chain(options, chain, error))
		return FALSE;
	sl_report_add_string(report, "chain", options->chain);
	sl_report_begin_object(report, "amd_keys");
	sl_report_add_string(report, "source", options->generation != NULL ? "built-in" : "files");
	sl_report_add_string(report, "generation", options->generation);
	sl_report_add_bool(report, "detected", FALSE);
	sl_report_end_object(report);
	sl_cmd_certs_report_platform(chain, report);
	ok = sl_cert_chain_verify(chain, error);
	sl_cmd_certs_report_links(chain, report);
	sl_report_add_bool(report, "verified", ok);
	return ok;
}

/* the chain QEMU (or a launch state) gave: the generation found unless named */
static gboolean
sl_cmd_certs_run_platform(SlCliOptions *options, const SlLaunchState *state, SlReport *report, GError **error)
{
	g_autoptr(SlCertChain) chain = NULL;
	const gchar *generation = NULL;
	gboolean ok = FALSE;

	chain = sl_cli_platform_verify_chain(options, state, &ok, &generation, error);
	if (chain == NULL)
		return FALSE;
	sl_report_add_null(report, "chain");
	sl_report_begin_object(report, "amd_keys");
	sl_report_add_string(report, "source", options->ark != NULL ? "files" : "built-in");
	sl_report_add_string(report, "generation", generation);
	sl_report_add_bool(report, "detected", options->ark == NULL && options->generation == NULL);
	sl_report_end_object(report);
	sl_cmd_certs_report_platform(chain, report);
	sl_cli_platform_describe(state, report);
	sl_cmd_certs_report_links(chain, report);
	sl_report_add_bool(report, "verified", ok);
	return ok;
}

static gboolean
sl_cmd_certs_run(SlCliOptions *options,
		 SlCliHostOptions *host,
		 const gchar *launch_state,
		 SlReport *report,
		 GError **error)
{
	g_autoptr(SlLaunchState) state = NULL;

	if (!sl_cli_platform_get_state(host, launch_state, options, &state, error))
		return FALSE;
	if (state == NULL)
		return sl_cmd_certs_run_dir(options, report, error);
	sl_report_add_string(report, "platform_source", host->qmp != NULL ? "qmp" : "launch-state");
	return sl_cmd_certs_run_platform(options, state, report, error);
}

gint
sl_cmd_certs(gint argc, gchar **argv)
{
	g_auto(SlCliOptions) options = {0};
	g_auto(SlCliHostOptions) host = {0};
	g_autofree gchar *launch_state = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(SlReport) report = sl_report_new("certs");
	g_autoptr(GError) error = NULL;
	const GOptionEntry entries[] = {
	    {"launch-state",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &launch_state,
	     "The platform's certificates from what 'sevlaunch query' printed",
	     "FILE"},
	    {NULL},
	};

	g_option_context_set_summary(
	    context,
	    "Verify the platform's SEV certificate chain: ARK (self-signed) -> ASK -> CEK\n"
	    "-> PEK <- OCA (self-signed), PEK -> PDH. Exit 4 when it does not verify.\n"
	    "The chain comes from --chain DIR, or from QEMU (--qmp, query-sev-capabilities)\n"
	    "or a launch state (--launch-state); then the generation is found from the\n"
	    "built-in ASK that signs the CEK, and the AMD URL of this chip's CEK is shown.");
	sl_cli_add_host_options(context, &options, &host);
	sl_cli_add_entries(context, &options, entries);
	sl_cli_add_output_options(context, &options);
	sl_cli_add_chain_options(context, &options, "Directory with pdh.cert pek.cert oca.cert cek.cert");
	if (!sl_cli_parse(context, &argc, &argv, FALSE, &error))
		return sl_cli_finish_parse_error(report, &options, argc, argv, error);
	sl_cli_setup_logging(&options);
	if (!sl_cmd_certs_run(&options, &host, launch_state, report, &error) && !options.json &&
	    g_error_matches(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE)) {
		/* the verdict of every link says more than the first failure alone */
		(void)sl_report_print(report, FALSE, NULL);
	}
	return sl_cli_finish(report, options.json, error);
}
