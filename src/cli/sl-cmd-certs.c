/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-cert-chain.h"
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

static gboolean
sl_cmd_certs_run(SlCliOptions *options, SlReport *report, GError **error)
{
	g_autoptr(SlCertChain) chain = sl_cert_chain_new();
	gboolean ok;
	SlSevCert *pdh;

	if (!sl_cli_options_load_chain(options, chain, error))
		return FALSE;
	sl_report_add_string(report, "chain", options->chain);
	sl_report_begin_object(report, "amd_keys");
	sl_report_add_string(report, "source", options->generation != NULL ? "built-in" : "files");
	sl_report_add_string(report, "generation", options->generation);
	sl_report_end_object(report);
	pdh = sl_cert_chain_get_pdh(chain);
	sl_report_begin_object(report, "platform");
	sl_report_add_uint(report, "api_major", sl_sev_cert_get_api_major(pdh));
	sl_report_add_uint(report, "api_minor", sl_sev_cert_get_api_minor(pdh));
	sl_report_end_object(report);
	ok = sl_cert_chain_verify(chain, error);
	sl_cmd_certs_report_links(chain, report);
	sl_report_add_bool(report, "verified", ok);
	return ok;
}

gint
sl_cmd_certs(gint argc, gchar **argv)
{
	g_auto(SlCliOptions) options = {0};
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(SlReport) report = sl_report_new("certs");
	g_autoptr(GError) error = NULL;

	g_option_context_set_summary(
	    context,
	    "Verify the platform's SEV certificate chain: ARK (self-signed) -> ASK -> CEK\n"
	    "-> PEK <- OCA (self-signed), PEK -> PDH. Exit 4 when it does not verify.");
	sl_cli_add_output_options(context, &options);
	sl_cli_add_chain_options(context, &options, "Directory with pdh.cert pek.cert oca.cert cek.cert");
	if (!sl_cli_parse(context, &argc, &argv, FALSE, &error))
		return sl_cli_finish_parse_error(report, &options, argc, argv, error);
	sl_cli_setup_logging(&options);
	if (!sl_cmd_certs_run(&options, report, &error) && !options.json &&
	    g_error_matches(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE)) {
		/* the verdict of every link says more than the first failure alone */
		(void)sl_report_print(report, FALSE, NULL);
	}
	return sl_cli_finish(report, options.json, error);
}
