/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "sl-firmware-volume.h"

/*
 * the firmware volumes of a firmware image (ovmf show, verify's NVRAM
 * warning): every volume found has its header inside the image, on a 16-byte
 * boundary, in order; the NVRAM store found is one of them, with its GUID
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GBytes) image = g_bytes_new(data, size);
	g_autoptr(GArray) volumes = sl_firmware_volumes_find_in_image(image);
	SlGuid nvram_guid = sl_guid_from_string(SL_FV_NVRAM_GUID);
	const SlFirmwareVolume *nvram = NULL;

	sl_fuzz_init();
	for (guint i = 0; i < volumes->len; i++) {
		const SlFirmwareVolume *volume = &g_array_index(volumes, SlFirmwareVolume, i);
		g_assert_cmpuint(volume->offset % 16, ==, 0);
		g_assert_cmpuint(volume->offset + 56, <=, size);
		g_assert_true(memcmp(data + volume->offset + 40, "_FVH", 4) == 0);
		g_assert_true(memcmp(data + volume->offset + 16, volume->file_system.bytes, SL_GUID_SIZE) ==
			      0);
		if (i > 0)
			g_assert_cmpuint(
			    volume->offset, >, g_array_index(volumes, SlFirmwareVolume, i - 1).offset);
	}
	nvram = sl_firmware_volumes_find_nvram(volumes);
	if (nvram != NULL) {
		g_assert_true(nvram >= &g_array_index(volumes, SlFirmwareVolume, 0));
		g_assert_true(sl_guid_equal(&nvram->file_system, &nvram_guid));
	}
	return 0;
}
