/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-cli.h"
#include "sl-error.h"
#include "sl-hashes-table.h"
#include "sl-ovmf.h"

static void
sl_cmd_ovmf_describe_secret_area(SlOvmf *ovmf, SlReport *report)
{
	guint32 base = 0, size = 0;

	if (!sl_ovmf_get_secret_area(ovmf, &base, &size)) {
		sl_report_add_string(report, "secret area", "none");
		sl_report_add_string(
		    report, "secret injection", "needs --secret-gpa: the firmware declares no secret area");
		return;
	}
	sl_report_add_printf(report, "secret area", "base 0x%x size 0x%x", base, size);
	if (base == 0 || size == 0)
		sl_report_add_string(
		    report, "secret injection", "needs --secret-gpa: the firmware's secret area is empty");
	else
		sl_report_add_printf(
		    report, "secret injection", "possible, up to %u bytes of secret table", size);
}

static void
sl_cmd_ovmf_describe(SlOvmf *ovmf, SlReport *report)
{
	g_autoptr(GError) error_hashes = NULL;
	guint32 base = 0, size = 0, reset_addr = 0;
	GPtrArray *entries = sl_ovmf_get_entries(ovmf);

	sl_report_add_uint(report, "size", sl_ovmf_get_image_size(ovmf));
	sl_report_add_bool(report, "footer table", sl_ovmf_has_footer_table(ovmf));
	if (sl_ovmf_get_sev_es_reset_addr(ovmf, &reset_addr)) {
		sl_report_add_printf(report, "sev-es reset address", "0x%08x", reset_addr);
		sl_report_add_string(report, "sev-es", "possible");
	} else {
		sl_report_add_string(report, "sev-es reset address", "none");
		sl_report_add_string(report, "sev-es", "not possible: no SEV-ES reset block");
	}
	sl_cmd_ovmf_describe_secret_area(ovmf, report);
	if (sl_ovmf_get_hashes_area(ovmf, &base, &size))
		sl_report_add_printf(report, "hashes area", "base 0x%x size 0x%x", base, size);
	else
		sl_report_add_string(report, "hashes area", "none");
	if (sl_hashes_table_check_firmware(ovmf, &error_hashes))
		sl_report_add_string(report, "kernel hashes", "possible");
	else
		sl_report_add_printf(report, "kernel hashes", "not possible: %s", error_hashes->message);
	for (guint i = 0; entries != NULL && i < entries->len; i++) {
		SlOvmfEntry *entry = g_ptr_array_index(entries, i);
		g_autofree gchar *key = g_strdup_printf("entry %u", i);
		g_autofree gchar *guid = sl_guid_to_string(&entry->guid);
		sl_report_add_printf(
		    report, key, "%s (%" G_GSIZE_FORMAT " bytes)", guid, g_bytes_get_size(entry->data));
	}
}

gint
sl_cmd_ovmf(gint argc, gchar **argv)
{
	g_auto(SlCliOptions) options = {0};
	g_autoptr(GOptionContext) context = g_option_context_new("FIRMWARE");
	g_autoptr(GError) error = NULL;
	g_autoptr(SlOvmf) ovmf = NULL;
	g_autoptr(SlReport) report = sl_report_new();

	g_option_context_set_summary(context,
				     "Show what an OVMF image supports: SEV-ES reset block, secret area,\n"
				     "kernel hashes area.");
	sl_cli_add_output_options(context, &options);
	if (!sl_cli_parse(context, &argc, &argv, TRUE, &error))
		return sl_cli_print_error(error);
	sl_cli_setup_logging(&options);
	if (argc != 2) {
		g_set_error_literal(
		    &error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "ovmf takes exactly one FIRMWARE argument");
		return sl_cli_print_error(error);
	}
	ovmf = sl_ovmf_new_from_file(argv[1], &error);
	if (ovmf != NULL) {
		sl_report_add_string(report, "firmware", argv[1]);
		sl_cmd_ovmf_describe(ovmf, report);
	}
	return sl_cli_finish(report, options.json, error);
}
