/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-measurement.h"

G_BEGIN_DECLS

/* guest policy bits the owner can require (SEV API, LAUNCH_START POLICY) */
#define SL_POLICY_NODBG 0x01
#define SL_POLICY_NOKS 0x02
#define SL_POLICY_ES 0x04
#define SL_POLICY_NOSEND 0x08
#define SL_POLICY_DOMAIN 0x10
#define SL_POLICY_SEV 0x20

/*
 * the owner's rules for a launch, checked before any secret leaves; API
 * version, build id and policy are bound into the measurement, so a host
 * that lies about them fails the verdict anyway
 */
typedef struct {
	gboolean has_min_api;
	guint8 min_api_major;
	guint8 min_api_minor;
	gboolean has_min_build_id;
	guint8 min_build_id;
	guint32 required_policy; /* bits the policy must have */
} SlLaunchRequirements;

/* "MAJOR.MINOR", each 0..255 */
gboolean
sl_launch_requirements_set_min_api(SlLaunchRequirements *self, const gchar *text, GError **error);
/* "NODBG,NOKS,ES,NOSEND,DOMAIN,SEV" in any order and case; or a number */
gboolean
sl_launch_requirements_set_required_policy(SlLaunchRequirements *self, const gchar *text, GError **error);
/* the stricter of both */
void
sl_launch_requirements_merge(SlLaunchRequirements *self, const SlLaunchRequirements *other);
gboolean
sl_launch_requirements_is_empty(const SlLaunchRequirements *self);

/* NULL-terminated names of the bits set in @policy that have a name */
gchar **
sl_launch_policy_to_names(guint32 policy);

/* SL_ERROR_NOT_VERIFIABLE naming the first rule @params break */
gboolean
sl_launch_requirements_check(const SlLaunchRequirements *self, const SlLaunchParams *params, GError **error);

G_END_DECLS
