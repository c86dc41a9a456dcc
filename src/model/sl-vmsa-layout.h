/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

/*
 * byte offsets in the VMSA, named after the fields of the SEV-ES save area
 * (AMD APM vol. 2 table B-4, Linux struct sev_es_save_area); every field is
 * little-endian
 */
#define SL_VMSA_ES 0x000 /* segments: selector u16, attrib u16, limit u32, base u64 */
#define SL_VMSA_CS 0x010
#define SL_VMSA_SS 0x020
#define SL_VMSA_DS 0x030
#define SL_VMSA_FS 0x040
#define SL_VMSA_GS 0x050
#define SL_VMSA_GDTR 0x060
#define SL_VMSA_LDTR 0x070
#define SL_VMSA_IDTR 0x080
#define SL_VMSA_TR 0x090
#define SL_VMSA_EFER 0x0d0
#define SL_VMSA_CR4 0x148
#define SL_VMSA_CR0 0x158
#define SL_VMSA_DR7 0x160
#define SL_VMSA_DR6 0x168
#define SL_VMSA_RFLAGS 0x170
#define SL_VMSA_RIP 0x178
#define SL_VMSA_G_PAT 0x268
#define SL_VMSA_RDX 0x310
#define SL_VMSA_SEV_FEATURES 0x3b0
#define SL_VMSA_XCR0 0x3e8
#define SL_VMSA_MXCSR 0x408
#define SL_VMSA_X87_FCW 0x410

/* offsets inside one segment record */
#define SL_VMSA_SEG_SELECTOR 0x0
#define SL_VMSA_SEG_ATTRIB 0x2
#define SL_VMSA_SEG_LIMIT 0x4
#define SL_VMSA_SEG_BASE 0x8
