/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-cert-chain.h"
#include "sl-cli-host.h"
#include "sl-launch-state.h"

G_BEGIN_DECLS

/* AMD's key distribution server: the CEK of a chip, by its id (as sevctl fetches it) */
#define SL_CLI_PLATFORM_KDS_CEK_URL "https://kdsintf.amd.com/cek/id/"

/*
 * the platform's PDH and chain (PEK, OCA, CEK) from QEMU (--qmp, with
 * query-sev-capabilities) or from a launch state file (--launch-state);
 * *@state is NULL when neither was given
 */
gboolean
sl_cli_platform_get_state(SlCliHostOptions *host,
			  const gchar *launch_state,
			  const SlCliOptions *cli,
			  SlLaunchState **state,
			  GError **error);

/*
 * @state's certificates under AMD's keys: --generation, --ark/--ask, or
 * else each built-in generation in turn until one's ASK signs the CEK.
 * Returns the chain (NULL only when a certificate does not even parse);
 * *@verified says whether it verified, *@generation which built-in keys did
 * (NULL with --ark/--ask or when none did); @error is set when it did not.
 */
SlCertChain *
sl_cli_platform_verify_chain(const SlCliOptions *cli,
			     const SlLaunchState *state,
			     gboolean *verified,
			     const gchar **generation,
			     GError **error);

/* "cek_url": where the owner fetches this chip's CEK (null without a cpu0 id) */
void
sl_cli_platform_describe(const SlLaunchState *state, SlReport *report);

G_END_DECLS
