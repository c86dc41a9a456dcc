/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-cli-verify-extras.h"
#include "sl-cli.h"

G_BEGIN_DECLS

/* what `verify --launch-state` takes besides the shared options */
typedef struct {
	const gchar *launch_state; /* FILE or "-" */
	const gchar *packet_out;   /* FILE or "-"; NULL: no packet */
	gboolean force;
	const gchar *secret_gpa;
	const gchar *expect_policy; /* the policy the document must say, or NULL */
	SlCliVerifyExtras *extras;  /* --manifest, the owner's rules, --explain */
} SlCmdVerifyStateOptions;

/*
 * the owner's side of a split launch, without QEMU: verifies the measurement
 * of a `query` document against the owner's artifacts and TIK and, with
 * secrets, writes the packet document bound to it, only on a match
 */
gboolean
sl_cmd_verify_launch_state(SlCliOptions *cli,
			   const SlCmdVerifyStateOptions *options,
			   SlReport *report,
			   GError **error);

G_END_DECLS
