/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * the CPU signature (CPUID 1 EAX) QEMU gives a vCPU; KVM puts it in RDX of
 * every SEV-ES VMSA, so it is part of the launch digest
 */

/* largest values QEMU accepts for the family, model and stepping properties */
#define SL_CPU_FAMILY_MAX (0xf + 0xff)
#define SL_CPU_MODEL_MAX 0xff
#define SL_CPU_STEPPING_MAX 0xf

/*
 * QEMU -cpu model names (EPYC, EPYC-v4, EPYC-Rome, EPYC-Milan-v2, ...),
 * case-sensitive as in QEMU; an unknown name is SL_ERROR_INVALID_ARGUMENT
 */
gboolean
sl_cpu_signature_from_name(const gchar *name, guint32 *signature, GError **error);
/* CPUID 1 EAX with extended family/model; out of range is SL_ERROR_INVALID_ARGUMENT */
gboolean
sl_cpu_signature_from_fms(gint64 family, gint64 model, gint64 stepping, guint32 *signature, GError **error);
/* "family 25 model 1 stepping 1 (EPYC-Milan)": the models QEMU gives that signature */
gchar *
sl_cpu_describe_signature(guint32 signature);
/* one name per distinct signature, the unversioned model: EPYC, EPYC-Rome, ... */
GPtrArray *
sl_cpu_get_distinct_models(void);
/* NULL-terminated list of the names sl_cpu_signature_from_name() accepts */
const gchar *const *
sl_cpu_get_names(void);

G_END_DECLS
