/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "sl-crypto.h"
#include "sl-report.h"
#include "sl-secret-bytes.h"

G_BEGIN_DECLS

#define SL_MNONCE_SIZE 16
#define SL_MEASUREMENT_SIZE 32
#define SL_LAUNCH_MEASURE_BLOB_SIZE (SL_MEASUREMENT_SIZE + SL_MNONCE_SIZE)

/* guest policy bits (AMD SEV API, section 3) */
#define SL_SEV_POLICY_NODBG 0x1
#define SL_SEV_POLICY_ES 0x4

/* what LAUNCH_MEASURE covers besides the digest, as QEMU reports it */
typedef struct {
	guint8 api_major;
	guint8 api_minor;
	guint8 build_id;
	guint32 policy;
} SlLaunchParams;

/* range-checks values as they come from JSON or the command line */
gboolean
sl_launch_params_init(SlLaunchParams *params,
		      gint64 api_major,
		      gint64 api_minor,
		      gint64 build_id,
		      gint64 policy,
		      GError **error);

/* api_major, api_minor, build_id, policy as numbers in the current report object */
void
sl_launch_params_describe(const SlLaunchParams *params, SlReport *report);

/* HMAC(TIK, 0x04 || api_major || api_minor || build || policy || LD || MNONCE) */
gboolean
sl_measurement_compute(SlSecretBytes *tik,
		       const SlLaunchParams *params,
		       const guint8 digest[SL_SHA256_SIZE],
		       const guint8 mnonce[SL_MNONCE_SIZE],
		       guint8 measurement[SL_MEASUREMENT_SIZE],
		       GError **error);

/*
 * the HMAC keyed with the TIK and fed with the header (context byte, API
 * version, build, policy): each candidate digest then costs one copy, the
 * digest and the nonce (sl_measurement_compute_prepared)
 */
SlHmacSha256 *
sl_measurement_prepare(SlSecretBytes *tik, const SlLaunchParams *params, GError **error);
gboolean
sl_measurement_compute_prepared(SlHmacSha256 *prepared,
				const guint8 digest[SL_SHA256_SIZE],
				const guint8 mnonce[SL_MNONCE_SIZE],
				guint8 measurement[SL_MEASUREMENT_SIZE],
				GError **error);

/* the query-sev-launch-measure data: base64 of measurement(32) || MNONCE(16) */
gboolean
sl_launch_measure_blob_decode(const gchar *base64,
			      const gchar *what,
			      guint8 measurement[SL_MEASUREMENT_SIZE],
			      guint8 mnonce[SL_MNONCE_SIZE],
			      GError **error);
gchar *
sl_launch_measure_blob_encode(const guint8 measurement[SL_MEASUREMENT_SIZE],
			      const guint8 mnonce[SL_MNONCE_SIZE]);

/* recomputes and compares in constant time; SL_ERROR_MISMATCH if different */
gboolean
sl_measurement_verify(SlSecretBytes *tik,
		      const SlLaunchParams *params,
		      const guint8 digest[SL_SHA256_SIZE],
		      const guint8 reported[SL_MEASUREMENT_SIZE],
		      const guint8 mnonce[SL_MNONCE_SIZE],
		      GError **error);

G_END_DECLS
