/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sl-error.h"
#include "sl-firmware-volume.h"

#define DEBIAN_OVMF "/usr/share/ovmf/OVMF.fd"
#define DEBIAN_OVMF_CODE "/usr/share/OVMF/OVMF_CODE.fd"

/* a volume header as the PI spec lays it out: GUID at 16, length at 32, "_FVH" at 40 */
static void
test_put_volume(guint8 *image, gsize offset, const gchar *guid, guint64 length)
{
	SlGuid parsed = sl_guid_from_string(guid);
	memcpy(image + offset + 16, parsed.bytes, SL_GUID_SIZE);
	for (guint i = 0; i < 8; i++)
		image[offset + 32 + i] = (guint8)(length >> (8 * i));
	memcpy(image + offset + 40, "_FVH", 4);
}

static gchar *
test_write_image(const guint8 *image, gsize len)
{
	g_autoptr(GError) error = NULL;
	gchar *path = NULL;
	int fd = g_file_open_tmp("sl-test-fv-XXXXXX", &path, &error);
	g_assert_no_error(error);
	close(fd);
	g_assert_true(g_file_set_contents(path, (const gchar *)image, (gssize)len, NULL));
	return path;
}

static void
test_firmware_volume_synthetic(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *image = g_malloc0(0x3000);
	g_autofree gchar *path = NULL;
	g_autoptr(GArray) volumes = NULL;
	const SlFirmwareVolume *nvram;

	test_put_volume(image, 0x0, "8c8ce578-8a3d-4f1c-9935-896185c32dd3", 0x1000);
	test_put_volume(image, 0x1010, SL_FV_NVRAM_GUID, 0x800);
	path = test_write_image(image, 0x3000);
	volumes = sl_firmware_volumes_find(path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(volumes->len, ==, 2);
	nvram = sl_firmware_volumes_find_nvram(volumes);
	g_assert_nonnull(nvram);
	g_assert_cmpuint(nvram->offset, ==, 0x1010);
	g_assert_cmpuint(nvram->length, ==, 0x800);
	g_unlink(path);
}

static void
test_firmware_volume_stateless(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *image = g_malloc0(0x2000);
	g_autofree gchar *path = NULL;
	g_autoptr(GArray) volumes = NULL;

	test_put_volume(image, 0x1000, "8c8ce578-8a3d-4f1c-9935-896185c32dd3", 0x1000);
	/* the GUID without the signature is no volume */
	test_put_volume(image, 0x0, SL_FV_NVRAM_GUID, 0x1000);
	memset(image + 40, 0, 4);
	path = test_write_image(image, 0x2000);
	volumes = sl_firmware_volumes_find(path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(volumes->len, ==, 1);
	g_assert_null(sl_firmware_volumes_find_nvram(volumes));
	g_unlink(path);
}

static void
test_firmware_volume_debian(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) stateful = NULL;
	g_autoptr(GArray) stateless = NULL;
	const SlFirmwareVolume *nvram;

	if (!g_file_test(DEBIAN_OVMF, G_FILE_TEST_IS_REGULAR) ||
	    !g_file_test(DEBIAN_OVMF_CODE, G_FILE_TEST_IS_REGULAR)) {
		g_test_skip("Debian's ovmf package is not installed");
		return;
	}
	stateful = sl_firmware_volumes_find(DEBIAN_OVMF, &error);
	g_assert_no_error(error);
	nvram = sl_firmware_volumes_find_nvram(stateful);
	g_assert_nonnull(nvram);
	/* the variable store comes first in the combined image */
	g_assert_cmpuint(nvram->offset, ==, 0);
	stateless = sl_firmware_volumes_find(DEBIAN_OVMF_CODE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(stateless->len, >, 0);
	g_assert_null(sl_firmware_volumes_find_nvram(stateless));
}

static void
test_firmware_volume_missing(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) volumes = sl_firmware_volumes_find("/nonexistent/firmware.fd", &error);
	g_assert_null(volumes);
	g_assert_error(error, SL_ERROR, SL_ERROR_READ);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/firmware-volume/synthetic", test_firmware_volume_synthetic);
	g_test_add_func("/firmware-volume/stateless", test_firmware_volume_stateless);
	g_test_add_func("/firmware-volume/debian", test_firmware_volume_debian);
	g_test_add_func("/firmware-volume/missing", test_firmware_volume_missing);
	return g_test_run();
}
