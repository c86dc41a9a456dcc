/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-error.h"
#include "sl-hashes-table.h"
#include "sl-le.h"

/* each entry is GUID(16) || u16 length || sha256(32) */
#define SL_HASHES_TABLE_ENTRY_SIZE (SL_GUID_SIZE + 2 + SL_SHA256_SIZE)
#define SL_HASHES_TABLE_HEADER_SIZE (SL_GUID_SIZE + 2)

G_STATIC_ASSERT(SL_HASHES_TABLE_HEADER_SIZE + 3 * SL_HASHES_TABLE_ENTRY_SIZE == SL_HASHES_TABLE_SIZE);
G_STATIC_ASSERT(SL_HASHES_TABLE_PADDED_SIZE % 16 == 0);
G_STATIC_ASSERT(SL_HASHES_TABLE_PADDED_SIZE - SL_HASHES_TABLE_SIZE < 16);

gboolean
sl_kernel_hashes_compute(const gchar *kernel_path,
			 const gchar *initrd_path,
			 const gchar *cmdline,
			 SlKernelHashes *hashes,
			 GError **error)
{
	SlKernelHashes tmp = {0};

	g_return_val_if_fail(kernel_path != NULL, FALSE);
	g_return_val_if_fail(hashes != NULL, FALSE);

	if (!sl_sha256_file(kernel_path, tmp.kernel, error)) {
		g_prefix_error(error, "kernel: ");
		return FALSE;
	}
	if (initrd_path != NULL) {
		if (!sl_sha256_file(initrd_path, tmp.initrd, error)) {
			g_prefix_error(error, "initrd: ");
			return FALSE;
		}
	} else if (!sl_sha256_buffer("", 0, tmp.initrd, error)) {
		return FALSE;
	}
	/* the terminating NUL is part of what QEMU hashes, also for no cmdline */
	if (cmdline == NULL)
		cmdline = "";
	if (!sl_sha256_buffer(cmdline, strlen(cmdline) + 1, tmp.cmdline, error))
		return FALSE;
	*hashes = tmp;
	return TRUE;
}

static gsize
sl_hashes_table_put_header(guint8 *buf, const gchar *guid_str, guint16 len)
{
	SlGuid guid = sl_guid_from_string(guid_str);
	memcpy(buf, guid.bytes, SL_GUID_SIZE);
	sl_le_write_u16(buf, SL_HASHES_TABLE_HEADER_SIZE, SL_GUID_SIZE, len);
	return SL_HASHES_TABLE_HEADER_SIZE;
}

static gsize
sl_hashes_table_put_entry(guint8 *buf, const gchar *guid_str, const guint8 hash[SL_SHA256_SIZE])
{
	gsize off = sl_hashes_table_put_header(buf, guid_str, SL_HASHES_TABLE_ENTRY_SIZE);
	memcpy(buf + off, hash, SL_SHA256_SIZE);
	return off + SL_SHA256_SIZE;
}

void
sl_hashes_table_build(const SlKernelHashes *hashes, guint8 table[SL_HASHES_TABLE_PADDED_SIZE])
{
	gsize off = 0;

	g_return_if_fail(hashes != NULL);
	g_return_if_fail(table != NULL);

	/* the padding is measured too, so it must be zero */
	memset(table, 0, SL_HASHES_TABLE_PADDED_SIZE);
	off += sl_hashes_table_put_header(table, SL_HASHES_TABLE_GUID, SL_HASHES_TABLE_SIZE);
	off += sl_hashes_table_put_entry(table + off, SL_HASHES_TABLE_CMDLINE_GUID, hashes->cmdline);
	off += sl_hashes_table_put_entry(table + off, SL_HASHES_TABLE_INITRD_GUID, hashes->initrd);
	off += sl_hashes_table_put_entry(table + off, SL_HASHES_TABLE_KERNEL_GUID, hashes->kernel);
	g_assert(off == SL_HASHES_TABLE_SIZE);
}

gboolean
sl_hashes_table_check_firmware(const SlOvmf *ovmf, GError **error)
{
	guint32 base = 0;
	guint32 size = 0;

	g_return_val_if_fail(ovmf != NULL, FALSE);

	if (!sl_ovmf_get_hashes_area(ovmf, &base, &size)) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_DATA,
				    "firmware has no kernel hashes area (GUID " SL_OVMF_SEV_HASH_TABLE_RV_GUID
				    "): it cannot measure a kernel given with -kernel");
		return FALSE;
	}
	if (base == 0 || size < SL_HASHES_TABLE_PADDED_SIZE) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "firmware's kernel hashes area is unusable (base 0x%x, size 0x%x): "
			    "it needs a non-zero base and at least %u bytes",
			    base,
			    size,
			    (guint)SL_HASHES_TABLE_PADDED_SIZE);
		return FALSE;
	}
	return TRUE;
}
