/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sl-measurement.h"

G_BEGIN_DECLS

#define SL_SEV_POLICY_NODBG 0x1
#define SL_SEV_POLICY_ES 0x4
#define SL_SEV_STATE_LAUNCH_SECRET "launch-secret"

/* what query-sev tells about the guest; everything in it came from the host */
typedef struct {
	SlLaunchParams params;
	gchar *state;
	gboolean sev_es;
	gboolean has_sev_type; /* QEMU >= 9.1 reports "sev-type" */
} SlSevGuestInfo;

void
sl_sev_guest_info_clear(SlSevGuestInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SlSevGuestInfo, sl_sev_guest_info_clear)

/*
 * parses the "return" of query-sev (QEMU < 9.1 flat SevInfo, or 9.1+ with
 * "sev-type"); SEV off, SNP or an unknown type -> SL_ERROR_NOT_VERIFIABLE,
 * wrong member types -> SL_ERROR_PROTOCOL; the state is not checked here
 */
gboolean
sl_sev_guest_info_parse(JsonNode *reply, SlSevGuestInfo *info, GError **error);

/* the "return" of query-sev-launch-measure: {"data": base64 of 48 bytes} */
gboolean
sl_sev_launch_measure_parse(JsonNode *reply,
			    guint8 measurement[SL_MEASUREMENT_SIZE],
			    guint8 mnonce[SL_MNONCE_SIZE],
			    GError **error);

/* the "return" of query-cpus-fast: an array, one element per vCPU */
gboolean
sl_sev_cpu_count_parse(JsonNode *reply, guint *count, GError **error);

G_END_DECLS
