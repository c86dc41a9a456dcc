/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-error.h"
#include "sl-le.h"
#include "sl-vmsa-layout.h"
#include "sl-vmsa.h"

/* segment attributes in the VMCB's packed form: P=0x80, S=0x10, low nibble type */
#define SL_VMSA_ATTR_DATA 0x93 /* present, read/write data, accessed */
#define SL_VMSA_ATTR_CODE 0x9b /* present, execute/read code, accessed */
#define SL_VMSA_ATTR_LDT 0x82  /* present system segment, LDT */
#define SL_VMSA_ATTR_TSS 0x8b  /* present system segment, busy 32-bit TSS */

/* the x86 reset state as QEMU sets it and KVM adds to it */
#define SL_VMSA_RESET_SELECTOR_CS 0xf000
#define SL_VMSA_RESET_LIMIT 0xffff
#define SL_VMSA_RESET_EFER 0x1000 /* KVM sets EFER.SVME */
#define SL_VMSA_RESET_CR4 0x40    /* KVM sets CR4.MCE */
#define SL_VMSA_RESET_CR0 0x10    /* ET */
#define SL_VMSA_RESET_DR7 0x400
#define SL_VMSA_RESET_DR6 0xffff0ff0
#define SL_VMSA_RESET_RFLAGS 0x2
#define SL_VMSA_RESET_G_PAT G_GUINT64_CONSTANT(0x0007040600070406)
#define SL_VMSA_RESET_XCR0 0x1 /* x87 only */
#define SL_VMSA_RESET_MXCSR 0x1f80
#define SL_VMSA_RESET_X87_FCW 0x37f

/* the BSP starts at the architectural reset vector 0xfffffff0 */
#define SL_VMSA_BSP_RESET_ADDR 0xfffffff0

static void
sl_vmsa_put_segment(guint8 *vmsa, gsize offset, guint16 selector, guint16 attrib, guint32 limit, guint64 base)
{
	sl_le_write_u16(vmsa, SL_VMSA_SIZE, offset + SL_VMSA_SEG_SELECTOR, selector);
	sl_le_write_u16(vmsa, SL_VMSA_SIZE, offset + SL_VMSA_SEG_ATTRIB, attrib);
	sl_le_write_u32(vmsa, SL_VMSA_SIZE, offset + SL_VMSA_SEG_LIMIT, limit);
	sl_le_write_u64(vmsa, SL_VMSA_SIZE, offset + SL_VMSA_SEG_BASE, base);
}

/* real mode at @reset_addr: CS base is its upper 16 bits, RIP the lower */
static void
sl_vmsa_build(const SlVmsaConfig *config, guint32 reset_addr, guint8 *vmsa)
{
	static const gsize data_segments[] = {SL_VMSA_ES, SL_VMSA_SS, SL_VMSA_DS, SL_VMSA_FS, SL_VMSA_GS};

	memset(vmsa, 0, SL_VMSA_SIZE);

	for (guint i = 0; i < G_N_ELEMENTS(data_segments); i++)
		sl_vmsa_put_segment(vmsa, data_segments[i], 0, SL_VMSA_ATTR_DATA, SL_VMSA_RESET_LIMIT, 0);
	sl_vmsa_put_segment(vmsa,
			    SL_VMSA_CS,
			    SL_VMSA_RESET_SELECTOR_CS,
			    SL_VMSA_ATTR_CODE,
			    SL_VMSA_RESET_LIMIT,
			    reset_addr & 0xffff0000);
	sl_vmsa_put_segment(vmsa, SL_VMSA_GDTR, 0, 0, SL_VMSA_RESET_LIMIT, 0);
	sl_vmsa_put_segment(vmsa, SL_VMSA_LDTR, 0, SL_VMSA_ATTR_LDT, SL_VMSA_RESET_LIMIT, 0);
	sl_vmsa_put_segment(vmsa, SL_VMSA_IDTR, 0, 0, SL_VMSA_RESET_LIMIT, 0);
	sl_vmsa_put_segment(vmsa, SL_VMSA_TR, 0, SL_VMSA_ATTR_TSS, SL_VMSA_RESET_LIMIT, 0);

	sl_le_write_u64(vmsa, SL_VMSA_SIZE, SL_VMSA_EFER, SL_VMSA_RESET_EFER);
	sl_le_write_u64(vmsa, SL_VMSA_SIZE, SL_VMSA_CR4, SL_VMSA_RESET_CR4);
	sl_le_write_u64(vmsa, SL_VMSA_SIZE, SL_VMSA_CR0, SL_VMSA_RESET_CR0);
	sl_le_write_u64(vmsa, SL_VMSA_SIZE, SL_VMSA_DR7, SL_VMSA_RESET_DR7);
	sl_le_write_u64(vmsa, SL_VMSA_SIZE, SL_VMSA_DR6, SL_VMSA_RESET_DR6);
	sl_le_write_u64(vmsa, SL_VMSA_SIZE, SL_VMSA_RFLAGS, SL_VMSA_RESET_RFLAGS);
	sl_le_write_u64(vmsa, SL_VMSA_SIZE, SL_VMSA_RIP, reset_addr & 0xffff);
	sl_le_write_u64(vmsa, SL_VMSA_SIZE, SL_VMSA_G_PAT, SL_VMSA_RESET_G_PAT);
	/* after reset RDX holds the CPUID 1 signature */
	sl_le_write_u64(vmsa, SL_VMSA_SIZE, SL_VMSA_RDX, config->cpu_signature);
	sl_le_write_u64(vmsa, SL_VMSA_SIZE, SL_VMSA_SEV_FEATURES, config->sev_features);
	sl_le_write_u64(vmsa, SL_VMSA_SIZE, SL_VMSA_XCR0, SL_VMSA_RESET_XCR0);

	/* with KVM_SEV_INIT2 KVM copies its initialised FPU state into the VMSA */
	if (config->variant == SL_VMSA_VARIANT_INIT2) {
		sl_le_write_u32(vmsa, SL_VMSA_SIZE, SL_VMSA_MXCSR, SL_VMSA_RESET_MXCSR);
		sl_le_write_u16(vmsa, SL_VMSA_SIZE, SL_VMSA_X87_FCW, SL_VMSA_RESET_X87_FCW);
	}
}

void
sl_vmsa_build_bsp(const SlVmsaConfig *config, guint8 vmsa[SL_VMSA_SIZE])
{
	g_return_if_fail(config != NULL);
	g_return_if_fail(vmsa != NULL);
	sl_vmsa_build(config, SL_VMSA_BSP_RESET_ADDR, vmsa);
}

void
sl_vmsa_build_ap(const SlVmsaConfig *config, guint32 ap_reset_addr, guint8 vmsa[SL_VMSA_SIZE])
{
	g_return_if_fail(config != NULL);
	g_return_if_fail(vmsa != NULL);
	sl_vmsa_build(config, ap_reset_addr, vmsa);
}

gboolean
sl_vmsa_variant_from_string(const gchar *text, SlVmsaVariant *variant, GError **error)
{
	g_return_val_if_fail(variant != NULL, FALSE);

	if (g_strcmp0(text, "legacy") == 0) {
		*variant = SL_VMSA_VARIANT_LEGACY;
		return TRUE;
	}
	if (g_strcmp0(text, "init2") == 0) {
		*variant = SL_VMSA_VARIANT_INIT2;
		return TRUE;
	}
	g_set_error(error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "unknown VMSA variant '%s': expected 'legacy' (KVM_SEV_ES_INIT) "
		    "or 'init2' (KVM_SEV_INIT2)",
		    text != NULL ? text : "");
	return FALSE;
}

const gchar *
sl_vmsa_variant_to_string(SlVmsaVariant variant)
{
	switch (variant) {
	case SL_VMSA_VARIANT_LEGACY:
		return "legacy";
	case SL_VMSA_VARIANT_INIT2:
		return "init2";
	default:
		return NULL;
	}
}
