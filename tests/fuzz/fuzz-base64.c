/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "sl-base64.h"
#include "sl-error.h"
#include "sl-measurement.h"

/*
 * strict base64 and the launch measure blob (--nonce, --measurement,
 * --launch-measure-blob, the query-sev-launch-measure data): whatever is
 * accepted must be canonical, so it encodes back to the very same text
 */

static void
sl_fuzz_base64_check_blob(const gchar *text, GBytes *decoded)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *again = NULL;
	guint8 measurement[SL_MEASUREMENT_SIZE];
	guint8 mnonce[SL_MNONCE_SIZE];
	gboolean ok = sl_launch_measure_blob_decode(text, "fuzz", measurement, mnonce, &error);

	if (decoded == NULL || g_bytes_get_size(decoded) != SL_LAUNCH_MEASURE_BLOB_SIZE) {
		g_assert_false(ok);
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
		return;
	}
	g_assert_true(ok);
	g_assert_cmpmem(
	    measurement, SL_MEASUREMENT_SIZE, g_bytes_get_data(decoded, NULL), SL_MEASUREMENT_SIZE);
	again = sl_launch_measure_blob_encode(measurement, mnonce);
	g_assert_cmpstr(again, ==, text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree gchar *text = NULL;
	g_autoptr(GBytes) decoded = NULL;
	g_autoptr(GBytes) nonce = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_nonce = NULL;

	sl_fuzz_init();
	text = sl_fuzz_strndup(data, size);
	decoded = sl_base64_decode_strict(text, 0, "fuzz", &error);
	if (decoded == NULL) {
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	} else {
		gsize len = 0;
		const guint8 *bytes = g_bytes_get_data(decoded, &len);
		g_autofree gchar *again = g_base64_encode(bytes, len);
		g_assert_no_error(error);
		g_assert_cmpstr(again, ==, text);
		g_assert_cmpuint(len,
				 ==,
				 strlen(text) / 4 * 3 - (text[strlen(text) - 1] == '=') -
				     (text[strlen(text) - 2] == '='));
	}

	/* a fixed length is the same decode plus a length check */
	nonce = sl_base64_decode_strict(text, SL_MNONCE_SIZE, "fuzz", &error_nonce);
	g_assert_true((nonce != NULL) == (decoded != NULL && g_bytes_get_size(decoded) == SL_MNONCE_SIZE));
	if (nonce == NULL)
		g_assert_error(error_nonce, SL_ERROR, SL_ERROR_INVALID_DATA);

	sl_fuzz_base64_check_blob(text, decoded);
	return 0;
}
