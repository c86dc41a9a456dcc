/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "sl-cli.h"
#include "sl-cpu.h"
#include "sl-error.h"
#include "sl-file.h"
#include "sl-vmsa-fields.h"

#define SL_CMD_VMSA_RDX_NAME "rdx"

/* a field's value: a number, or a segment {selector, attrib, limit, base} */
static void
sl_cmd_vmsa_add_field(SlReport *report, const gchar *key, const SlVmsaField *field, const guint8 *vmsa)
{
	SlVmsaSegment seg;

	if (field->kind != SL_VMSA_FIELD_SEGMENT) {
		sl_report_add_uint_hex(report, key, sl_vmsa_field_get_value(field, vmsa));
		return;
	}
	sl_vmsa_field_get_segment(field, vmsa, &seg);
	sl_report_begin_object(report, key);
	sl_report_add_uint_hex(report, "selector", seg.selector);
	sl_report_add_uint_hex(report, "attrib", seg.attrib);
	sl_report_add_uint_hex(report, "limit", seg.limit);
	sl_report_add_uint_hex(report, "base", seg.base);
	sl_report_end_object(report);
}

static void
sl_cmd_vmsa_describe(const guint8 *vmsa, SlReport *report)
{
	guint count = 0;
	const SlVmsaField *fields = sl_vmsa_fields_get(&count);
	guint64 rdx = 0;
	g_autofree gchar *cpu = NULL;

	sl_report_begin_object(report, "fields");
	for (guint i = 0; i < count; i++) {
		sl_cmd_vmsa_add_field(report, fields[i].name, &fields[i], vmsa);
		if (g_strcmp0(fields[i].name, SL_CMD_VMSA_RDX_NAME) == 0)
			rdx = sl_vmsa_field_get_value(&fields[i], vmsa);
	}
	sl_report_end_object(report);
	/* after reset RDX holds the CPUID 1 signature */
	cpu = sl_cpu_describe_signature((guint32)rdx);
	sl_report_begin_object(report, "cpu");
	sl_report_add_uint_hex(report, "signature", (guint32)rdx);
	sl_report_add_string(report, "description", cpu);
	sl_report_end_object(report);
}

static gboolean
sl_cmd_vmsa_show(gint argc, gchar **argv, SlReport *report, GError **error)
{
	g_autoptr(GBytes) page = NULL;

	if (argc != 3) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "vmsa show takes one FILE");
		return FALSE;
	}
	page = sl_file_load_exact(argv[2], "VMSA file", SL_VMSA_SIZE, error);
	if (page == NULL)
		return FALSE;
	sl_report_add_string(report, "vmsa", argv[2]);
	sl_cmd_vmsa_describe(g_bytes_get_data(page, NULL), report);
	return TRUE;
}

static void
sl_cmd_vmsa_describe_diff(const guint8 *a, const guint8 *b, GPtrArray *names, SlReport *report)
{
	guint count = 0;
	const SlVmsaField *fields = sl_vmsa_fields_get(&count);

	sl_report_add_bool(report, "identical", names->len == 0);
	sl_report_begin_array(report, "differing_fields");
	for (guint i = 0; i < names->len; i++)
		sl_report_add_string(report, NULL, g_ptr_array_index(names, i));
	sl_report_end_array(report);
	sl_report_begin_object(report, "fields");
	for (guint i = 0; i < count; i++) {
		const SlVmsaField *field = &fields[i];
		if (!g_ptr_array_find_with_equal_func(names, field->name, g_str_equal, NULL))
			continue;
		sl_report_begin_object(report, field->name);
		sl_cmd_vmsa_add_field(report, "a", field, a);
		sl_cmd_vmsa_add_field(report, "b", field, b);
		sl_report_end_object(report);
	}
	sl_report_end_object(report);
}

static gboolean
sl_cmd_vmsa_diff(gint argc, gchar **argv, SlReport *report, GError **error)
{
	g_autoptr(GBytes) a = NULL;
	g_autoptr(GBytes) b = NULL;
	g_autoptr(GPtrArray) names = NULL;

	if (argc != 4) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "vmsa diff takes two FILEs");
		return FALSE;
	}
	a = sl_file_load_exact(argv[2], "VMSA file", SL_VMSA_SIZE, error);
	if (a == NULL)
		return FALSE;
	b = sl_file_load_exact(argv[3], "VMSA file", SL_VMSA_SIZE, error);
	if (b == NULL)
		return FALSE;
	names = sl_vmsa_diff(g_bytes_get_data(a, NULL), g_bytes_get_data(b, NULL));
	sl_report_add_string(report, "a", argv[2]);
	sl_report_add_string(report, "b", argv[3]);
	sl_cmd_vmsa_describe_diff(g_bytes_get_data(a, NULL), g_bytes_get_data(b, NULL), names, report);
	return TRUE;
}

gint
sl_cmd_vmsa(gint argc, gchar **argv)
{
	g_auto(SlCliOptions) options = {0};
	g_autoptr(GOptionContext) context = g_option_context_new("show FILE | diff FILE-A FILE-B");
	g_autoptr(SlReport) report = sl_report_new("vmsa");
	g_autoptr(GError) error = NULL;
	gboolean ok;

	g_option_context_set_summary(
	    context,
	    "Print the fields of a VMSA page (4096 bytes) by name, or name the fields\n"
	    "two VMSA pages differ in.");
	sl_cli_add_output_options(context, &options);
	if (!sl_cli_parse(context, &argc, &argv, TRUE, &error))
		return sl_cli_finish_parse_error(report, &options, argc, argv, error);
	sl_cli_setup_logging(&options);
	if (argc >= 2)
		sl_report_add_string(report, "action", argv[1]);
	if (argc >= 2 && g_strcmp0(argv[1], "show") == 0) {
		ok = sl_cmd_vmsa_show(argc, argv, report, &error);
	} else if (argc >= 2 && g_strcmp0(argv[1], "diff") == 0) {
		ok = sl_cmd_vmsa_diff(argc, argv, report, &error);
	} else {
		g_set_error_literal(
		    &error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "vmsa needs 'show FILE' or 'diff A B'");
		ok = FALSE;
	}
	return sl_cli_finish(report, options.json, ok ? NULL : error);
}
