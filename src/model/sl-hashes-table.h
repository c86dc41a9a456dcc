/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "sl-crypto.h"
#include "sl-ovmf.h"

G_BEGIN_DECLS

/*
 * QEMU's kernel hashes table (PaddedSevHashTable, target/i386/sev.c), written
 * into the firmware's hashes area and measured with kernel-hashes=on
 */
#define SL_HASHES_TABLE_GUID "9438d606-4f22-4cc9-b479-a793d411fd21"
#define SL_HASHES_TABLE_CMDLINE_GUID "97d02dd8-bd20-4c94-aa78-e7714d36ab2a"
#define SL_HASHES_TABLE_INITRD_GUID "44baf731-3a2f-4bd7-9af1-41e29169781d"
#define SL_HASHES_TABLE_KERNEL_GUID "4de79437-abd2-427f-b835-d5b172d2045b"
#define SL_HASHES_TABLE_SIZE 168
#define SL_HASHES_TABLE_PADDED_SIZE 176

typedef struct {
	guint8 cmdline[SL_SHA256_SIZE];
	guint8 initrd[SL_SHA256_SIZE];
	guint8 kernel[SL_SHA256_SIZE];
} SlKernelHashes;

/*
 * streams the files, never reads them whole; with no @initrd_path the initrd
 * hash is that of empty input, with no @cmdline that of a single NUL byte
 * (QEMU hashes the command line with its terminating NUL)
 */
gboolean
sl_kernel_hashes_compute(const gchar *kernel_path,
			 const gchar *initrd_path,
			 const gchar *cmdline,
			 SlKernelHashes *hashes,
			 GError **error);
/* the table as QEMU lays it out, zero-padded to a multiple of 16 bytes */
void
sl_hashes_table_build(const SlKernelHashes *hashes, guint8 table[SL_HASHES_TABLE_PADDED_SIZE]);
/*
 * QEMU's rules for kernel-hashes=on: the firmware must have a hashes area
 * with a non-zero base and room for the padded table
 */
gboolean
sl_hashes_table_check_firmware(const SlOvmf *ovmf, GError **error);

G_END_DECLS
