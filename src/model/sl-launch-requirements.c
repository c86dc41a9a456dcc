/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-error.h"
#include "sl-launch-requirements.h"
#include "sl-number.h"

typedef struct {
	const gchar *name;
	guint32 bit;
	const gchar *meaning;
} SlPolicyBit;

static const SlPolicyBit sl_policy_bits[] = {
    {"NODBG", SL_POLICY_NODBG, "debugging forbidden"},
    {"NOKS", SL_POLICY_NOKS, "key sharing forbidden"},
    {"ES", SL_POLICY_ES, "SEV-ES required"},
    {"NOSEND", SL_POLICY_NOSEND, "sending to another platform forbidden"},
    {"DOMAIN", SL_POLICY_DOMAIN, "migration only within the domain"},
    {"SEV", SL_POLICY_SEV, "migration only to SEV platforms"},
};

gboolean
sl_launch_requirements_set_min_api(SlLaunchRequirements *self, const gchar *text, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(text != NULL ? text : "", ".", -1);
	guint64 major = 0, minor = 0;

	if (g_strv_length(parts) != 2) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "minimum API version '%s' is not MAJOR.MINOR",
			    text != NULL ? text : "");
		return FALSE;
	}
	if (!sl_number_parse(parts[0], "API major version", 0, G_MAXUINT8, &major, error) ||
	    !sl_number_parse(parts[1], "API minor version", 0, G_MAXUINT8, &minor, error))
		return FALSE;
	self->has_min_api = TRUE;
	self->min_api_major = (guint8)major;
	self->min_api_minor = (guint8)minor;
	return TRUE;
}

gboolean
sl_launch_requirements_set_required_policy(SlLaunchRequirements *self, const gchar *text, GError **error)
{
	g_auto(GStrv) names = g_strsplit(text != NULL ? text : "", ",", -1);
	guint32 bits = 0;

	if (names[0] == NULL) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "no policy bit named");
		return FALSE;
	}
	for (guint i = 0; names[i] != NULL; i++) {
		const gchar *name = g_strstrip(names[i]);
		guint64 value = 0;
		gboolean known = FALSE;
		for (guint j = 0; j < G_N_ELEMENTS(sl_policy_bits); j++) {
			if (g_ascii_strcasecmp(name, sl_policy_bits[j].name) == 0) {
				bits |= sl_policy_bits[j].bit;
				known = TRUE;
			}
		}
		if (known)
			continue;
		if (g_ascii_isdigit(name[0]) &&
		    sl_number_parse(name, "required policy", 0, G_MAXUINT32, &value, NULL)) {
			bits |= (guint32)value;
			continue;
		}
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "unknown policy bit '%s': expected NODBG, NOKS, ES, NOSEND, DOMAIN or SEV",
			    name);
		return FALSE;
	}
	self->required_policy |= bits;
	return TRUE;
}

void
sl_launch_requirements_merge(SlLaunchRequirements *self, const SlLaunchRequirements *other)
{
	if (other->has_min_api &&
	    (!self->has_min_api || other->min_api_major > self->min_api_major ||
	     (other->min_api_major == self->min_api_major && other->min_api_minor > self->min_api_minor))) {
		self->has_min_api = TRUE;
		self->min_api_major = other->min_api_major;
		self->min_api_minor = other->min_api_minor;
	}
	if (other->has_min_build_id &&
	    (!self->has_min_build_id || other->min_build_id > self->min_build_id)) {
		self->has_min_build_id = TRUE;
		self->min_build_id = other->min_build_id;
	}
	self->required_policy |= other->required_policy;
}

gboolean
sl_launch_requirements_is_empty(const SlLaunchRequirements *self)
{
	return !self->has_min_api && !self->has_min_build_id && self->required_policy == 0;
}

gchar **
sl_launch_policy_to_names(guint32 policy)
{
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
	for (guint i = 0; i < G_N_ELEMENTS(sl_policy_bits); i++) {
		if (policy & sl_policy_bits[i].bit)
			g_strv_builder_add(builder, sl_policy_bits[i].name);
	}
	return g_strv_builder_end(builder);
}

static gboolean
sl_launch_requirements_check_policy(const SlLaunchRequirements *self, guint32 policy, GError **error)
{
	for (guint i = 0; i < G_N_ELEMENTS(sl_policy_bits); i++) {
		const SlPolicyBit *bit = &sl_policy_bits[i];
		if ((self->required_policy & bit->bit) && !(policy & bit->bit)) {
			g_set_error(
			    error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "owner policy: guest policy 0x%x lacks %s (0x%x, %s), which the owner requires",
			    policy,
			    bit->name,
			    bit->bit,
			    bit->meaning);
			return FALSE;
		}
	}
	if ((self->required_policy & ~policy) != 0) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "owner policy: guest policy 0x%x lacks bits 0x%x, which the owner requires",
			    policy,
			    self->required_policy & ~policy);
		return FALSE;
	}
	return TRUE;
}

gboolean
sl_launch_requirements_check(const SlLaunchRequirements *self, const SlLaunchParams *params, GError **error)
{
	if (self->has_min_api &&
	    (params->api_major < self->min_api_major ||
	     (params->api_major == self->min_api_major && params->api_minor < self->min_api_minor))) {
		g_set_error(
		    error,
		    SL_ERROR,
		    SL_ERROR_NOT_VERIFIABLE,
		    "owner policy: SEV API version %u.%u is older than the minimum %u.%u the owner accepts",
		    params->api_major,
		    params->api_minor,
		    self->min_api_major,
		    self->min_api_minor);
		return FALSE;
	}
	if (self->has_min_build_id && params->build_id < self->min_build_id) {
		g_set_error(
		    error,
		    SL_ERROR,
		    SL_ERROR_NOT_VERIFIABLE,
		    "owner policy: SEV firmware build id %u is older than the minimum %u the owner accepts",
		    params->build_id,
		    self->min_build_id);
		return FALSE;
	}
	return sl_launch_requirements_check_policy(self, params->policy, error);
}
