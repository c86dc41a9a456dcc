/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-cli-requirements.h"
#include "sl-cli.h"
#include "sl-manifest.h"

G_BEGIN_DECLS

/* verify's reference values, owner's policy and diagnosis options */
typedef struct {
	gchar *manifest;
	gchar *manifest_signature;
	gchar *manifest_ca;
	gboolean explain;
	SlCliRequirementOptions req;
} SlCliVerifyExtras;

void
sl_cli_verify_extras_clear(SlCliVerifyExtras *self);
void
sl_cli_add_verify_extra_options(GOptionContext *context, SlCliOptions *cli, SlCliVerifyExtras *self);

/*
 * the owner's requirements (options, and the manifest's) and the manifest
 * (NULL without --manifest, whose signature is checked first when given);
 * refuses artifact options beside a manifest
 */
gboolean
sl_cli_verify_extras_load(SlCliVerifyExtras *self,
			  const SlCliOptions *cli,
			  SlManifest **manifest,
			  SlLaunchRequirements *req,
			  SlReport *report,
			  GError **error);

/* a firmware with an NVRAM store gets a warning in the report */
void
sl_cli_verify_warn_nvram(const SlLaunchArtifacts *artifacts, SlReport *report);

G_END_DECLS
