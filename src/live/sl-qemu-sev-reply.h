/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sl-launch-target.h"

G_BEGIN_DECLS

/*
 * the "return" member of QEMU's replies, checked: everything in them came
 * from the host. Wrong member types are SL_ERROR_PROTOCOL.
 */

/*
 * query-sev (QEMU < 9.1 flat SevInfo, or 9.1+ with "sev-type"); SEV off, SNP
 * or an unknown type -> SL_ERROR_NOT_VERIFIABLE; the state is not checked here
 */
gboolean
sl_qemu_sev_reply_parse_query_sev(JsonNode *reply, SlSevGuestInfo *info, GError **error);

/* query-sev-launch-measure: {"data": base64 of 48 bytes} */
gboolean
sl_qemu_sev_reply_parse_launch_measure(JsonNode *reply,
				       guint8 measurement[SL_MEASUREMENT_SIZE],
				       guint8 mnonce[SL_MNONCE_SIZE],
				       GError **error);

/* query-cpus-fast: an array, one element per vCPU */
gboolean
sl_qemu_sev_reply_parse_cpus_fast(JsonNode *reply, guint *count, GError **error);

/* query-status: {"running": bool, "status": "prelaunch" | "paused" | ...} */
gboolean
sl_qemu_sev_reply_parse_status(JsonNode *reply, gboolean *running, gchar **status, GError **error);

/* query-version: {"qemu": {"major", "minor", "micro"}, "package"} */
gboolean
sl_qemu_sev_reply_parse_version(JsonNode *reply, guint *major, guint *minor, guint *micro, GError **error);

/* what query-sev-capabilities tells about the platform; all from the host */
typedef struct {
	gchar *pdh;        /* base64 of the platform's PDH certificate */
	gchar *cert_chain; /* base64 of its certificate chain (PEK, OCA, CEK) */
	gchar *cpu0_id;    /* base64 of CPU0's unique id; NULL before QEMU 7.1 */
	guint cbitpos;
	guint reduced_phys_bits;
} SlSevCapabilities;

void
sl_sev_capabilities_clear(SlSevCapabilities *caps);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SlSevCapabilities, sl_sev_capabilities_clear)

/* query-sev-capabilities: {"pdh", "cert-chain", ["cpu0-id",] "cbitpos", "reduced-phys-bits"} */
gboolean
sl_qemu_sev_reply_parse_capabilities(JsonNode *reply, SlSevCapabilities *caps, GError **error);

G_END_DECLS
