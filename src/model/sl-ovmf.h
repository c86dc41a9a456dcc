/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "sl-guid.h"

G_BEGIN_DECLS

/*
 * the GUIDed table OVMF places just below its reset vector: QEMU reads the
 * SEV-ES AP reset address, the launch secret area and the kernel hashes area
 * from it (edk2 OvmfPkg/ResetVector, QEMU hw/i386/pc_sysfw_ovmf.c)
 */
#define SL_OVMF_FOOTER_GUID "96b582de-1fb2-45f7-baea-a366c55a082d"
#define SL_OVMF_SEV_ES_RESET_BLOCK_GUID "00f771de-1a7e-4fcb-890e-68c77e2fb44e"
#define SL_OVMF_SEV_SECRET_BLOCK_GUID "4c2eb361-7d9b-4cc3-8081-127c90d3d294"
#define SL_OVMF_SEV_HASH_TABLE_RV_GUID "7255371f-3a3b-4b04-927b-1da6efa8d454"

/* the footer GUID ends 32 bytes before the end of the image */
#define SL_OVMF_FOOTER_OFFSET_FROM_END 48
/* QEMU ignores the table in a flash image smaller than one page */
#define SL_OVMF_MIN_IMAGE_SIZE 4096
/* the whole image is held in memory (OVMF builds are 2 to 4 MiB): bound it */
#define SL_OVMF_MAX_IMAGE_SIZE (64 * 1024 * 1024)

typedef struct {
	SlGuid guid;
	GBytes *data; /* the entry's payload without its length and GUID */
} SlOvmfEntry;

typedef struct _SlOvmf SlOvmf;

/*
 * @image_tail is any suffix of the image that holds the whole table (or the
 * whole image); it must be at least SL_OVMF_FOOTER_OFFSET_FROM_END bytes
 */
SlOvmf *
sl_ovmf_new_from_bytes(GBytes *image_tail, GError **error);
/*
 * the whole image, read once through one descriptor: what is parsed and what
 * is hashed are then the same bytes, whatever happens to the file afterwards
 */
GBytes *
sl_ovmf_read_image(const gchar *path, GError **error);
/* sl_ovmf_read_image(), then sl_ovmf_new_from_bytes() */
SlOvmf *
sl_ovmf_new_from_file(const gchar *path, GError **error);
void
sl_ovmf_free(SlOvmf *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlOvmf, sl_ovmf_free)

/* a firmware without the footer GUID is valid (plain SEV), not an error */
gboolean
sl_ovmf_has_footer_table(const SlOvmf *self);
/* the file size; for _new_from_bytes() the size of the bytes */
guint64
sl_ovmf_get_image_size(const SlOvmf *self);
/* of SlOvmfEntry *, in file order, owned by @self */
GPtrArray *
sl_ovmf_get_entries(const SlOvmf *self);
/* the payload of the entry nearest the footer with @guid, as QEMU finds it */
GBytes *
sl_ovmf_find_entry(const SlOvmf *self, const SlGuid *guid);

/* each returns FALSE when the firmware has no such entry */
gboolean
sl_ovmf_get_sev_es_reset_addr(const SlOvmf *self, guint32 *addr);
gboolean
sl_ovmf_get_secret_area(const SlOvmf *self, guint32 *base, guint32 *size);
gboolean
sl_ovmf_get_hashes_area(const SlOvmf *self, guint32 *base, guint32 *size);

G_END_DECLS
