/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "config.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "sl-error.h"
#include "sl-hashes-table.h"
#include "sl-ovmf.h"

/*
 * the OVMF reset-vector footer table: the input is the end of a firmware
 * image (or all of it); the same bytes as a file must parse the same way
 */

/* reads every payload byte, so ASan sees any entry that points outside the input */
static guint
sl_fuzz_ovmf_walk(SlOvmf *ovmf)
{
	GPtrArray *entries = sl_ovmf_get_entries(ovmf);
	guint sum = 0;
	guint32 a = 0, b = 0;

	for (guint i = 0; i < entries->len; i++) {
		SlOvmfEntry *entry = g_ptr_array_index(entries, i);
		gsize len = 0;
		const guint8 *data = g_bytes_get_data(entry->data, &len);
		for (gsize j = 0; j < len; j++)
			sum += data[j];
		g_assert_nonnull(sl_ovmf_find_entry(ovmf, &entry->guid));
	}
	if (sl_ovmf_get_sev_es_reset_addr(ovmf, &a))
		sum += a;
	if (sl_ovmf_get_secret_area(ovmf, &a, &b))
		sum += a + b;
	if (sl_ovmf_get_hashes_area(ovmf, &a, &b))
		sum += a + b;
	return sum;
}

/* the file path reads only the tail: it must agree with parsing the whole image */
static void
sl_fuzz_ovmf_compare_file(const uint8_t *data, size_t size, SlOvmf *from_bytes)
{
	g_autoptr(SlOvmf) from_file = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	int fd = memfd_create("fuzz-ovmf", MFD_CLOEXEC);

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(write(fd, data, size), ==, (gssize)size);
	path = g_strdup_printf("/proc/self/fd/%d", fd);
	from_file = sl_ovmf_new_from_file(path, &error);
	close(fd);
	if (size < SL_OVMF_MIN_IMAGE_SIZE) {
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
		return;
	}
	g_assert_true((from_file != NULL) == (from_bytes != NULL));
	if (from_file == NULL)
		return;
	g_assert_cmpuint(sl_ovmf_get_image_size(from_file), ==, size);
	g_assert_true(sl_ovmf_has_footer_table(from_file) == sl_ovmf_has_footer_table(from_bytes));
	g_assert_cmpuint(sl_ovmf_get_entries(from_file)->len, ==, sl_ovmf_get_entries(from_bytes)->len);
	g_assert_cmpuint(sl_fuzz_ovmf_walk(from_file), ==, sl_fuzz_ovmf_walk(from_bytes));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(SlOvmf) ovmf = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_hashes = NULL;

	sl_fuzz_init();
	bytes = g_bytes_new(data, size);
	ovmf = sl_ovmf_new_from_bytes(bytes, &error);
	if (ovmf == NULL) {
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	} else {
		g_assert_no_error(error);
		g_assert_cmpuint(sl_ovmf_get_image_size(ovmf), ==, size);
		if (!sl_ovmf_has_footer_table(ovmf))
			g_assert_cmpuint(sl_ovmf_get_entries(ovmf)->len, ==, 0);
		(void)sl_fuzz_ovmf_walk(ovmf);
		if (!sl_hashes_table_check_firmware(ovmf, &error_hashes))
			g_assert_error(error_hashes, SL_ERROR, SL_ERROR_INVALID_DATA);
	}
	sl_fuzz_ovmf_compare_file(data, size, ovmf);
	return 0;
}
