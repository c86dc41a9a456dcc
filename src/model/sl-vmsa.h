/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * the initial VM save area (VMSA) of an SEV-ES vCPU as QEMU/KVM hand it to
 * LAUNCH_UPDATE_VMSA: one page per vCPU, all of it measured
 */

#define SL_VMSA_SIZE 4096

/*
 * the most vCPUs of one guest the tool accepts, wherever the count comes
 * from (option, QEMU, domain XML): each is a VMSA page to build and hash,
 * and QEMU's own -smp limit for q35 is far below
 */
#define SL_MAX_VCPUS 4096

/* sev_features bits (SEV_FEATURES in the VMSA) */
#define SL_VMSA_SEV_FEATURE_DEBUG_SWAP ((guint64)0x20)

typedef enum {
	SL_VMSA_VARIANT_LEGACY, /* KVM_SEV_ES_INIT: FPU state left zero */
	SL_VMSA_VARIANT_INIT2,  /* KVM_SEV_INIT2: KVM also syncs mxcsr and x87 fcw */
} SlVmsaVariant;

/* "legacy" or "init2"; anything else is SL_ERROR_INVALID_ARGUMENT */
gboolean
sl_vmsa_variant_from_string(const gchar *text, SlVmsaVariant *variant, GError **error);
const gchar *
sl_vmsa_variant_to_string(SlVmsaVariant variant);

typedef struct {
	guint32 cpu_signature; /* CPUID 1 EAX, see sl-cpu.h */
	SlVmsaVariant variant;
	guint64 sev_features;
} SlVmsaConfig;

/* the boot vCPU: starts at the reset vector, CS base 0xffff0000, RIP 0xfff0 */
void
sl_vmsa_build_bsp(const SlVmsaConfig *config, guint8 vmsa[SL_VMSA_SIZE]);
/* the other vCPUs: start at the firmware's SEV-ES AP reset address */
void
sl_vmsa_build_ap(const SlVmsaConfig *config, guint32 ap_reset_addr, guint8 vmsa[SL_VMSA_SIZE]);

G_END_DECLS
