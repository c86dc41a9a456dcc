/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-cpu.h"
#include "sl-error.h"

typedef struct {
	const gchar *name;
	guint family;
	guint model;
	guint stepping;
} SlCpuModel;

/*
 * family/model/stepping of QEMU's builtin_x86_defs in target/i386/cpu.c:
 * EPYC 23/1/2, EPYC-Rome 23/49/0, EPYC-Milan 25/1/1, EPYC-Genoa 25/17/0
 * (qemu/qemu 0048035a870312f2fd0f3dd28115398d26e419bb), EPYC-Turin 26/0/0
 * (the qemu-devel patch adding it); the -vN versions and the EPYC-IBPB
 * alias only change features and model-id, never the signature
 */
/* one model per line, aligned; clang-format would pack three to a line */
/* clang-format off */
static const SlCpuModel sl_cpu_models[] = {
	{"EPYC",           23,  1, 2},
	{"EPYC-v1",        23,  1, 2},
	{"EPYC-v2",        23,  1, 2},
	{"EPYC-IBPB",      23,  1, 2},
	{"EPYC-v3",        23,  1, 2},
	{"EPYC-v4",        23,  1, 2},
	{"EPYC-v5",        23,  1, 2},
	{"EPYC-Rome",      23, 49, 0},
	{"EPYC-Rome-v1",   23, 49, 0},
	{"EPYC-Rome-v2",   23, 49, 0},
	{"EPYC-Rome-v3",   23, 49, 0},
	{"EPYC-Rome-v4",   23, 49, 0},
	{"EPYC-Rome-v5",   23, 49, 0},
	{"EPYC-Milan",     25,  1, 1},
	{"EPYC-Milan-v1",  25,  1, 1},
	{"EPYC-Milan-v2",  25,  1, 1},
	{"EPYC-Milan-v3",  25,  1, 1},
	{"EPYC-Genoa",     25, 17, 0},
	{"EPYC-Genoa-v1",  25, 17, 0},
	{"EPYC-Genoa-v2",  25, 17, 0},
	{"EPYC-Turin",     26,  0, 0},
	{"EPYC-Turin-v1",  26,  0, 0},
};
/* clang-format on */

const gchar *const *
sl_cpu_get_names(void)
{
	static gsize names_ready = 0;
	static const gchar **names = NULL;

	/* built once from the table so the two cannot drift apart */
	if (g_once_init_enter(&names_ready)) {
		names = g_new0(const gchar *, G_N_ELEMENTS(sl_cpu_models) + 1);
		for (guint i = 0; i < G_N_ELEMENTS(sl_cpu_models); i++)
			names[i] = sl_cpu_models[i].name;
		g_once_init_leave(&names_ready, 1);
	}
	return names;
}

static gboolean
sl_cpu_check_range(const gchar *what, gint64 value, gint64 max, GError **error)
{
	if (value < 0 || value > max) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "CPU %s %" G_GINT64_FORMAT " is out of range 0..%" G_GINT64_FORMAT,
			    what,
			    value,
			    max);
		return FALSE;
	}
	return TRUE;
}

gboolean
sl_cpu_signature_from_fms(gint64 family, gint64 model, gint64 stepping, guint32 *signature, GError **error)
{
	guint32 sig = 0;

	g_return_val_if_fail(signature != NULL, FALSE);

	if (!sl_cpu_check_range("family", family, SL_CPU_FAMILY_MAX, error))
		return FALSE;
	if (!sl_cpu_check_range("model", model, SL_CPU_MODEL_MAX, error))
		return FALSE;
	if (!sl_cpu_check_range("stepping", stepping, SL_CPU_STEPPING_MAX, error))
		return FALSE;

	/* families above 15 are 0xf plus the extended family in bits 27:20 */
	if (family > 0xf)
		sig |= 0xf00 | ((guint32)(family - 0xf) << 20);
	else
		sig |= (guint32)family << 8;
	/* QEMU always splits the model, whatever the family */
	sig |= ((guint32)model & 0xf) << 4;
	sig |= ((guint32)model >> 4) << 16;
	sig |= (guint32)stepping;
	*signature = sig;
	return TRUE;
}

gboolean
sl_cpu_signature_from_name(const gchar *name, guint32 *signature, GError **error)
{
	g_autofree gchar *known = NULL;

	g_return_val_if_fail(signature != NULL, FALSE);

	for (guint i = 0; name != NULL && i < G_N_ELEMENTS(sl_cpu_models); i++) {
		const SlCpuModel *model = &sl_cpu_models[i];
		if (strcmp(model->name, name) == 0)
			return sl_cpu_signature_from_fms(
			    model->family, model->model, model->stepping, signature, error);
	}
	known = g_strjoinv(", ", (gchar **)sl_cpu_get_names());
	g_set_error(error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "unknown CPU model '%s' (names are case-sensitive, as in QEMU); "
		    "known models: %s; for any other CPU give its family, model and stepping",
		    name != NULL ? name : "",
		    known);
	return FALSE;
}

static guint32
sl_cpu_model_signature(const SlCpuModel *model)
{
	guint32 signature = 0;
	(void)sl_cpu_signature_from_fms(model->family, model->model, model->stepping, &signature, NULL);
	return signature;
}

GPtrArray *
sl_cpu_get_distinct_models(void)
{
	GPtrArray *names = g_ptr_array_new();
	g_autoptr(GArray) seen = g_array_new(FALSE, FALSE, sizeof(guint32));

	/* the table lists each family's unversioned name first */
	for (guint i = 0; i < G_N_ELEMENTS(sl_cpu_models); i++) {
		guint32 signature = sl_cpu_model_signature(&sl_cpu_models[i]);
		gboolean known = FALSE;
		for (guint j = 0; j < seen->len; j++)
			known |= g_array_index(seen, guint32, j) == signature;
		if (known)
			continue;
		g_array_append_val(seen, signature);
		g_ptr_array_add(names, (gpointer)sl_cpu_models[i].name);
	}
	return names;
}

gchar *
sl_cpu_describe_signature(guint32 signature)
{
	guint family = (signature >> 8) & 0xf;
	guint model = ((signature >> 4) & 0xf) | (((signature >> 16) & 0xf) << 4);
	g_autoptr(GPtrArray) models = sl_cpu_get_distinct_models();
	GString *text = g_string_new(NULL);

	if (family == 0xf)
		family += (signature >> 20) & 0xff;
	g_string_append_printf(text, "family %u model %u stepping %u", family, model, signature & 0xf);
	for (guint i = 0; i < models->len; i++) {
		guint32 known = 0;
		(void)sl_cpu_signature_from_name(g_ptr_array_index(models, i), &known, NULL);
		if (known == signature)
			g_string_append_printf(text, " (%s)", (const gchar *)g_ptr_array_index(models, i));
	}
	return g_string_free(text, FALSE);
}
