/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-cli-requirements.h"
#include "sl-number.h"

void
sl_cli_requirement_options_clear(SlCliRequirementOptions *self)
{
	g_clear_pointer(&self->min_api_version, g_free);
	g_clear_pointer(&self->min_build_id, g_free);
	g_clear_pointer(&self->require_policy, g_free);
}

void
sl_cli_add_requirement_options(GOptionContext *context, SlCliOptions *cli, SlCliRequirementOptions *self)
{
	const GOptionEntry entries[] = {
	    {"min-api-version",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &self->min_api_version,
	     "Refuse SEV firmware with an older API version",
	     "MAJOR.MINOR"},
	    {"min-build-id",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &self->min_build_id,
	     "Refuse SEV firmware with an older build id",
	     "N"},
	    {"require-policy",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &self->require_policy,
	     "Policy bits the guest must have: NODBG,NOKS,ES,NOSEND,DOMAIN,SEV",
	     "LIST"},
	    {NULL},
	};
	sl_cli_add_entries(context, cli, entries);
}

gboolean
sl_cli_requirement_options_get(const SlCliRequirementOptions *self, SlLaunchRequirements *req, GError **error)
{
	guint64 value = 0;

	if (self->min_api_version != NULL &&
	    !sl_launch_requirements_set_min_api(req, self->min_api_version, error)) {
		g_prefix_error(error, "--min-api-version: ");
		return FALSE;
	}
	if (self->min_build_id != NULL) {
		if (!sl_number_parse(self->min_build_id, "--min-build-id", 0, G_MAXUINT8, &value, error))
			return FALSE;
		req->has_min_build_id = TRUE;
		req->min_build_id = (guint8)value;
	}
	if (self->require_policy != NULL &&
	    !sl_launch_requirements_set_required_policy(req, self->require_policy, error)) {
		g_prefix_error(error, "--require-policy: ");
		return FALSE;
	}
	return TRUE;
}
