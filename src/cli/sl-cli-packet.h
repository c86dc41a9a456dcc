/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-cli-options.h"
#include "sl-report.h"
#include "sl-secret-packet.h"

G_BEGIN_DECLS

/*
 * where offline verify writes the packet it built for a verified
 * measurement: the one packet, in every form asked for
 */
typedef struct {
	gchar *header_out;  /* packet-header, base64, as sev-inject-launch-secret takes it */
	gchar *payload_out; /* secret, base64 */
	gboolean force;     /* the command's --force */
} SlCliPacketOptions;

void
sl_cli_packet_options_clear(SlCliPacketOptions *self);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SlCliPacketOptions, sl_cli_packet_options_clear)

/* --header-out, --payload-out, registered with @cli; @self must outlive the context */
void
sl_cli_add_packet_options(GOptionContext *context, SlCliOptions *cli, SlCliPacketOptions *self);
/* TRUE when any packet output was given */
gboolean
sl_cli_packet_options_wanted(const SlCliPacketOptions *self);
/* TRUE when a packet output is standard output, which the report must then leave alone */
gboolean
sl_cli_packet_options_to_stdout(const SlCliPacketOptions *self);
/* refuses outputs without --secret (and the reverse), half a pair, and '-' beside --json */
gboolean
sl_cli_packet_options_check(const SlCliPacketOptions *self,
			    gboolean have_secrets,
			    gboolean json,
			    GError **error);
/* sl_cli_packet_options_check for @cli's --secret and --json, and a TEK to encrypt with */
gboolean
sl_cli_packet_options_check_request(const SlCliPacketOptions *self, const SlCliOptions *cli, GError **error);
/*
 * checks the outputs before the verdict, so that a match is not followed by
 * a refusal; call it after every input was read (an output may not be one);
 * TRUE when no packet output was asked for
 */
gboolean
sl_cli_packet_check_outputs(const SlCliPacketOptions *self, GError **error);
/* writes @packet (of @secrets) in each form asked for: all of them or none */
gboolean
sl_cli_packet_write(const SlCliPacketOptions *self,
		    const SlSecretPacket *packet,
		    const SlSecretTable *secrets,
		    SlReport *report,
		    GError **error);

/* builds the one packet for the verified @measurement and writes it in each form asked for */
gboolean
sl_cli_packet_build_and_write(const SlCliPacketOptions *self,
			      const SlLaunchKeys *keys,
			      const guint8 measurement[SL_SHA256_SIZE],
			      const SlSecretTable *secrets,
			      SlReport *report,
			      GError **error);

G_END_DECLS
