/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-base64.h"
#include "sl-error.h"
#include "sl-launch-keys.h"
#include "sl-le.h"
#include "sl-measurement.h"

/* the SEV API's context byte for LAUNCH_MEASURE */
#define SL_MEASUREMENT_CONTEXT 0x04

static gboolean
sl_launch_params_check(const gchar *name, gint64 value, gint64 max, GError **error)
{
	if (value >= 0 && value <= max)
		return TRUE;
	g_set_error(error,
		    SL_ERROR,
		    SL_ERROR_INVALID_DATA,
		    "%s %" G_GINT64_FORMAT " is out of range 0..%" G_GINT64_FORMAT,
		    name,
		    value,
		    max);
	return FALSE;
}

gboolean
sl_launch_params_init(SlLaunchParams *params,
		      gint64 api_major,
		      gint64 api_minor,
		      gint64 build_id,
		      gint64 policy,
		      GError **error)
{
	g_return_val_if_fail(params != NULL, FALSE);

	if (!sl_launch_params_check("api-major", api_major, G_MAXUINT8, error) ||
	    !sl_launch_params_check("api-minor", api_minor, G_MAXUINT8, error) ||
	    !sl_launch_params_check("build-id", build_id, G_MAXUINT8, error) ||
	    !sl_launch_params_check("policy", policy, G_MAXUINT32, error))
		return FALSE;
	params->api_major = (guint8)api_major;
	params->api_minor = (guint8)api_minor;
	params->build_id = (guint8)build_id;
	params->policy = (guint32)policy;
	return TRUE;
}

SlHmacSha256 *
sl_measurement_prepare(SlSecretBytes *tik, const SlLaunchParams *params, GError **error)
{
	g_autoptr(SlHmacSha256) hmac = NULL;
	guint8 header[8];

	g_return_val_if_fail(tik != NULL, NULL);
	g_return_val_if_fail(params != NULL, NULL);

	if (sl_secret_bytes_get_size(tik) != SL_LAUNCH_KEY_SIZE) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "TIK is %" G_GSIZE_FORMAT " bytes, expected %u",
			    sl_secret_bytes_get_size(tik),
			    (guint)SL_LAUNCH_KEY_SIZE);
		return NULL;
	}
	hmac = sl_hmac_sha256_new(sl_secret_bytes_get_data(tik), SL_LAUNCH_KEY_SIZE, error);
	if (hmac == NULL)
		return NULL;
	header[0] = SL_MEASUREMENT_CONTEXT;
	header[1] = params->api_major;
	header[2] = params->api_minor;
	header[3] = params->build_id;
	sl_le_write_u32(header, sizeof(header), 4, params->policy);
	sl_hmac_sha256_update(hmac, header, sizeof(header));
	return g_steal_pointer(&hmac);
}

gboolean
sl_measurement_compute_prepared(SlHmacSha256 *prepared,
				const guint8 digest[SL_SHA256_SIZE],
				const guint8 mnonce[SL_MNONCE_SIZE],
				guint8 measurement[SL_MEASUREMENT_SIZE],
				GError **error)
{
	g_autoptr(SlHmacSha256) hmac = sl_hmac_sha256_copy(prepared, error);

	if (hmac == NULL)
		return FALSE;
	sl_hmac_sha256_update(hmac, digest, SL_SHA256_SIZE);
	sl_hmac_sha256_update(hmac, mnonce, SL_MNONCE_SIZE);
	sl_hmac_sha256_finish(hmac, measurement);
	return TRUE;
}

gboolean
sl_measurement_compute(SlSecretBytes *tik,
		       const SlLaunchParams *params,
		       const guint8 digest[SL_SHA256_SIZE],
		       const guint8 mnonce[SL_MNONCE_SIZE],
		       guint8 measurement[SL_MEASUREMENT_SIZE],
		       GError **error)
{
	g_autoptr(SlHmacSha256) hmac = NULL;

	g_return_val_if_fail(digest != NULL, FALSE);
	g_return_val_if_fail(mnonce != NULL, FALSE);
	g_return_val_if_fail(measurement != NULL, FALSE);

	hmac = sl_measurement_prepare(tik, params, error);
	if (hmac == NULL)
		return FALSE;
	sl_hmac_sha256_update(hmac, digest, SL_SHA256_SIZE);
	sl_hmac_sha256_update(hmac, mnonce, SL_MNONCE_SIZE);
	sl_hmac_sha256_finish(hmac, measurement);
	return TRUE;
}

gboolean
sl_launch_measure_blob_decode(const gchar *base64,
			      const gchar *what,
			      guint8 measurement[SL_MEASUREMENT_SIZE],
			      guint8 mnonce[SL_MNONCE_SIZE],
			      GError **error)
{
	g_autoptr(GBytes) blob = NULL;
	const guint8 *data;

	g_return_val_if_fail(what != NULL, FALSE);
	g_return_val_if_fail(measurement != NULL, FALSE);
	g_return_val_if_fail(mnonce != NULL, FALSE);

	blob = sl_base64_decode_strict(base64, SL_LAUNCH_MEASURE_BLOB_SIZE, what, error);
	if (blob == NULL)
		return FALSE;
	data = g_bytes_get_data(blob, NULL);
	memcpy(measurement, data, SL_MEASUREMENT_SIZE);
	memcpy(mnonce, data + SL_MEASUREMENT_SIZE, SL_MNONCE_SIZE);
	return TRUE;
}

gchar *
sl_launch_measure_blob_encode(const guint8 measurement[SL_MEASUREMENT_SIZE],
			      const guint8 mnonce[SL_MNONCE_SIZE])
{
	guint8 blob[SL_LAUNCH_MEASURE_BLOB_SIZE];

	g_return_val_if_fail(measurement != NULL, NULL);
	g_return_val_if_fail(mnonce != NULL, NULL);

	memcpy(blob, measurement, SL_MEASUREMENT_SIZE);
	memcpy(blob + SL_MEASUREMENT_SIZE, mnonce, SL_MNONCE_SIZE);
	return g_base64_encode(blob, sizeof(blob));
}

gboolean
sl_measurement_verify(SlSecretBytes *tik,
		      const SlLaunchParams *params,
		      const guint8 digest[SL_SHA256_SIZE],
		      const guint8 reported[SL_MEASUREMENT_SIZE],
		      const guint8 mnonce[SL_MNONCE_SIZE],
		      GError **error)
{
	guint8 expected[SL_MEASUREMENT_SIZE];
	gboolean equal;

	g_return_val_if_fail(reported != NULL, FALSE);

	if (!sl_measurement_compute(tik, params, digest, mnonce, expected, error))
		return FALSE;
	/* constant time: a partial match must not show in the timing */
	equal = sl_memeq_secret(expected, reported, SL_MEASUREMENT_SIZE);
	sl_wipe(expected, sizeof(expected));
	if (!equal) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_MISMATCH,
				    "launch measurement does not match the expected firmware, "
				    "kernel, vCPU state and policy");
		return FALSE;
	}
	return TRUE;
}

void
sl_launch_params_describe(const SlLaunchParams *params, SlReport *report)
{
	sl_report_add_uint(report, "api_major", params->api_major);
	sl_report_add_uint(report, "api_minor", params->api_minor);
	sl_report_add_uint(report, "build_id", params->build_id);
	sl_report_add_uint_hex(report, "policy", params->policy);
}
