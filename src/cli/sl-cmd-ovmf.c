/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-cli.h"
#include "sl-error.h"
#include "sl-firmware-volume.h"
#include "sl-guid.h"
#include "sl-hashes-table.h"
#include "sl-ovmf.h"

/* an area of guest memory the firmware declares: {base, size}, or null */
static void
sl_cmd_ovmf_describe_area(SlReport *report, const gchar *key, gboolean found, guint32 base, guint32 size)
{
	if (!found) {
		sl_report_add_null(report, key);
		return;
	}
	sl_report_begin_object(report, key);
	sl_report_add_uint_hex(report, "base", base);
	sl_report_add_uint_hex(report, "size", size);
	sl_report_end_object(report);
}

/* {possible, reason}: a reason only says why not */
static void
sl_cmd_ovmf_describe_support(SlReport *report, const gchar *key, gboolean possible, const gchar *reason)
{
	sl_report_begin_object(report, key);
	sl_report_add_bool(report, "possible", possible);
	if (!possible)
		sl_report_add_string(report, "reason", reason);
	sl_report_end_object(report);
}

static void
sl_cmd_ovmf_describe_secret_area(SlOvmf *ovmf, SlReport *report)
{
	guint32 base = 0, size = 0;
	gboolean found = sl_ovmf_get_secret_area(ovmf, &base, &size);

	sl_cmd_ovmf_describe_area(report, "secret_area", found, base, size);
	if (!found)
		sl_cmd_ovmf_describe_support(report,
					     "secret_injection",
					     FALSE,
					     "needs --secret-gpa: the firmware declares no secret area");
	else if (base == 0 || size == 0)
		sl_cmd_ovmf_describe_support(report,
					     "secret_injection",
					     FALSE,
					     "needs --secret-gpa: the firmware's secret area is empty");
	else
		sl_cmd_ovmf_describe_support(report, "secret_injection", TRUE, NULL);
}

static void
sl_cmd_ovmf_describe_entries(SlOvmf *ovmf, SlReport *report)
{
	GPtrArray *entries = sl_ovmf_get_entries(ovmf);

	sl_report_begin_array(report, "footer_entries");
	for (guint i = 0; entries != NULL && i < entries->len; i++) {
		SlOvmfEntry *entry = g_ptr_array_index(entries, i);
		g_autofree gchar *guid = sl_guid_to_string(&entry->guid);
		sl_report_begin_object(report, NULL);
		sl_report_add_string(report, "guid", guid);
		sl_report_add_uint(report, "size", g_bytes_get_size(entry->data));
		sl_report_end_object(report);
	}
	sl_report_end_array(report);
}

static void
sl_cmd_ovmf_describe(SlOvmf *ovmf, SlReport *report)
{
	g_autoptr(GError) error_hashes = NULL;
	guint32 base = 0, size = 0, reset_addr = 0;
	gboolean has_reset = sl_ovmf_get_sev_es_reset_addr(ovmf, &reset_addr);
	gboolean has_hashes = sl_ovmf_get_hashes_area(ovmf, &base, &size);

	sl_report_add_uint(report, "size", sl_ovmf_get_image_size(ovmf));
	sl_report_add_bool(report, "footer_table", sl_ovmf_has_footer_table(ovmf));
	sl_cmd_ovmf_describe_support(report, "sev_es", has_reset, "no SEV-ES reset block");
	sl_report_begin_object(report, "sev_es");
	if (has_reset)
		sl_report_add_uint_hex(report, "reset_address", reset_addr);
	else
		sl_report_add_null(report, "reset_address");
	sl_report_end_object(report);
	sl_cmd_ovmf_describe_secret_area(ovmf, report);
	sl_cmd_ovmf_describe_area(report, "hashes_area", has_hashes, base, size);
	if (sl_hashes_table_check_firmware(ovmf, &error_hashes))
		sl_cmd_ovmf_describe_support(report, "kernel_hashes", TRUE, NULL);
	else
		sl_cmd_ovmf_describe_support(report, "kernel_hashes", FALSE, error_hashes->message);
	sl_cmd_ovmf_describe_entries(ovmf, report);
}

/* an NVRAM store inside the image: variables the host can rewrite, never measured */
static gboolean
sl_cmd_ovmf_describe_volumes(const gchar *path, SlReport *report, GError **error)
{
	g_autoptr(GArray) volumes = sl_firmware_volumes_find(path, error);
	const SlFirmwareVolume *nvram;

	if (volumes == NULL)
		return FALSE;
	sl_report_add_uint(report, "firmware_volumes", volumes->len);
	nvram = sl_firmware_volumes_find_nvram(volumes);
	if (nvram == NULL) {
		sl_report_add_null(report, "nvram_store");
		return TRUE;
	}
	sl_report_begin_object(report, "nvram_store");
	sl_report_add_uint_hex(report, "offset", nvram->offset);
	sl_report_add_uint_hex(report, "size", nvram->length);
	sl_report_add_string(report, "note", "variables are not measured: the host can change them");
	sl_report_end_object(report);
	return TRUE;
}

gint
sl_cmd_ovmf(gint argc, gchar **argv)
{
	g_auto(SlCliOptions) options = {0};
	g_autoptr(GOptionContext) context = g_option_context_new("FIRMWARE");
	g_autoptr(GError) error = NULL;
	g_autoptr(SlOvmf) ovmf = NULL;
	g_autoptr(SlReport) report = sl_report_new("ovmf");

	g_option_context_set_summary(context,
				     "Show what an OVMF image supports: SEV-ES reset block, secret area,\n"
				     "kernel hashes area, and whether it embeds an NVRAM variable store.");
	sl_cli_add_output_options(context, &options);
	if (!sl_cli_parse(context, &argc, &argv, TRUE, &error))
		return sl_cli_finish_parse_error(report, &options, argc, argv, error);
	sl_cli_setup_logging(&options);
	if (argc != 2) {
		g_set_error_literal(
		    &error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "ovmf takes exactly one FIRMWARE argument");
		return sl_cli_finish(report, options.json, error);
	}
	ovmf = sl_ovmf_new_from_file(argv[1], &error);
	if (ovmf != NULL) {
		sl_report_add_string(report, "firmware", argv[1]);
		sl_cmd_ovmf_describe(ovmf, report);
		(void)sl_cmd_ovmf_describe_volumes(argv[1], report, &error);
	}
	return sl_cli_finish(report, options.json, error);
}
