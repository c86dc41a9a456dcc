/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-measurement.h"
#include "sl-secret-packet.h"

G_BEGIN_DECLS

/*
 * a LAUNCH_SECRET packet as `verify --launch-state ... --packet-out` writes
 * it for `inject --packet` (docs/json/packet.schema.json): the measurement
 * and MNONCE it is bound to (its MAC covers the measurement), the two base64
 * arguments of sev-inject-launch-secret and, if chosen, the guest address.
 * Encrypted and MACed: nothing in it is secret.
 */
typedef struct {
	guint8 measurement[SL_MEASUREMENT_SIZE];
	guint8 mnonce[SL_MNONCE_SIZE];
	gchar *header_base64;
	gchar *payload_base64;
	gboolean has_gpa;
	guint64 gpa;
	GPtrArray *secrets; /* GUID strings, for people */
} SlPacketDocument;

void
sl_packet_document_free(SlPacketDocument *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlPacketDocument, sl_packet_document_free)

/* one JSON object on one line, newline-terminated */
gchar *
sl_packet_document_build(const SlSecretPacket *packet,
			 const SlSecretTable *table,
			 const guint8 measurement[SL_MEASUREMENT_SIZE],
			 const guint8 mnonce[SL_MNONCE_SIZE],
			 gboolean has_gpa,
			 guint64 gpa);

/* anything malformed is SL_ERROR_INVALID_DATA naming the member */
SlPacketDocument *
sl_packet_document_parse(const gchar *text, gsize len, GError **error);

G_END_DECLS
