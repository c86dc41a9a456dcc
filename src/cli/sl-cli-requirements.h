/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-cli-options.h"
#include "sl-launch-requirements.h"

G_BEGIN_DECLS

/* --min-api-version, --min-build-id, --require-policy as given */
typedef struct {
	gchar *min_api_version;
	gchar *min_build_id;
	gchar *require_policy;
} SlCliRequirementOptions;

void
sl_cli_requirement_options_clear(SlCliRequirementOptions *self);
void
sl_cli_add_requirement_options(GOptionContext *context, SlCliOptions *cli, SlCliRequirementOptions *self);
gboolean
sl_cli_requirement_options_get(const SlCliRequirementOptions *self,
			       SlLaunchRequirements *req,
			       GError **error);

G_END_DECLS
