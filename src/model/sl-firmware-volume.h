/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "sl-guid.h"

G_BEGIN_DECLS

/*
 * the UEFI firmware volumes (PI spec EFI_FIRMWARE_VOLUME_HEADER, signature
 * "_FVH") a flash image is made of. One kind matters here: the NVRAM
 * variable store. SEV measures the image QEMU loads, but a store inside it
 * is the host's to rewrite between boots, and its variables steer the boot.
 */
#define SL_FV_NVRAM_GUID "fff12b8d-7696-4c8b-a985-2747075b4f50" /* gEfiSystemNvDataFvGuid */

typedef struct {
	guint64 offset;
	guint64 length; /* as the header says */
	SlGuid file_system;
} SlFirmwareVolume;

/* every volume header found at a 16-byte boundary of @image, in order */
GArray *
sl_firmware_volumes_find_in_image(GBytes *image);
/* the same, reading the file */
GArray *
sl_firmware_volumes_find(const gchar *path, GError **error);
/* the first NVRAM store in @volumes, or NULL */
const SlFirmwareVolume *
sl_firmware_volumes_find_nvram(GArray *volumes);

G_END_DECLS
