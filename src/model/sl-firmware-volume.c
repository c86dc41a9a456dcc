/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "sl-error.h"
#include "sl-file.h"
#include "sl-firmware-volume.h"

/* EFI_FIRMWARE_VOLUME_HEADER: ZeroVector[16], FileSystemGuid, FvLength u64, Signature */
#define SL_FV_GUID_OFFSET 16
#define SL_FV_LENGTH_OFFSET 32
#define SL_FV_SIGNATURE_OFFSET 40
#define SL_FV_HEADER_MIN 56
#define SL_FV_ALIGN 16
/* flash images are a few MiB; a bound on what is read */
#define SL_FV_MAX_IMAGE (256 * 1024 * 1024)

static guint64
sl_firmware_volume_read_u64(const guint8 *p)
{
	guint64 value = 0;
	for (guint i = 0; i < 8; i++)
		value |= (guint64)p[i] << (8 * i);
	return value;
}

GArray *
sl_firmware_volumes_find_in_image(GBytes *image)
{
	GArray *volumes = g_array_new(FALSE, FALSE, sizeof(SlFirmwareVolume));
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(image, &len);

	for (gsize off = 0; len >= SL_FV_HEADER_MIN && off <= len - SL_FV_HEADER_MIN; off += SL_FV_ALIGN) {
		SlFirmwareVolume volume = {0};
		if (memcmp(data + off + SL_FV_SIGNATURE_OFFSET, "_FVH", 4) != 0)
			continue;
		volume.offset = off;
		volume.length = sl_firmware_volume_read_u64(data + off + SL_FV_LENGTH_OFFSET);
		memcpy(volume.file_system.bytes, data + off + SL_FV_GUID_OFFSET, SL_GUID_SIZE);
		g_array_append_val(volumes, volume);
	}
	return volumes;
}

GArray *
sl_firmware_volumes_find(const gchar *path, GError **error)
{
	g_autoptr(GBytes) image = sl_file_load_whole(path, "firmware", SL_FV_MAX_IMAGE, error);
	if (image == NULL)
		return NULL;
	return sl_firmware_volumes_find_in_image(image);
}

const SlFirmwareVolume *
sl_firmware_volumes_find_nvram(GArray *volumes)
{
	SlGuid nvram = sl_guid_from_string(SL_FV_NVRAM_GUID);
	for (guint i = 0; i < volumes->len; i++) {
		const SlFirmwareVolume *volume = &g_array_index(volumes, SlFirmwareVolume, i);
		if (sl_guid_equal(&volume->file_system, &nvram))
			return volume;
	}
	return NULL;
}
