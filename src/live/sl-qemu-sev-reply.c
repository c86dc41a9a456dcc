/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "qmp-error.h"
#include "qmp-json.h"
#include "sl-error.h"
#include "sl-qemu-sev-reply.h"

/* QEMU caps -smp far below this; anything larger is a lying peer */
#define SL_SEV_MAX_VCPUS 4096

/* qmp-json reports type errors in its own domain; here they are protocol errors */
static gboolean
sl_qemu_sev_reply_fail(GError **error, GError *error_local, const gchar *what)
{
	g_set_error(error, SL_ERROR, SL_ERROR_PROTOCOL, "%s: %s", what, error_local->message);
	g_error_free(error_local);
	return FALSE;
}

static gboolean
sl_qemu_sev_reply_parse_sev_type(JsonObject *obj, SlSevGuestInfo *info, GError **error)
{
	GError *error_local = NULL;
	const gchar *sev_type = NULL;

	if (!qmp_json_has_member(obj, "sev-type"))
		return TRUE;
	info->has_sev_type = TRUE;
	if (!qmp_json_get_string(obj, "sev-type", &sev_type, &error_local))
		return sl_qemu_sev_reply_fail(error, error_local, "query-sev");
	if (g_strcmp0(sev_type, "sev-snp") == 0) {
		g_set_error_literal(
		    error,
		    SL_ERROR,
		    SL_ERROR_NOT_VERIFIABLE,
		    "this is an SEV-SNP guest: SEV-SNP guests are attested from inside the guest");
		return FALSE;
	}
	if (g_strcmp0(sev_type, "sev") != 0) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "query-sev reports unknown sev-type '%s'",
			    sev_type);
		return FALSE;
	}
	return TRUE;
}

gboolean
sl_qemu_sev_reply_parse_query_sev(JsonNode *reply, SlSevGuestInfo *info, GError **error)
{
	GError *error_local = NULL;
	JsonObject *obj;
	gboolean enabled = FALSE;
	const gchar *state = NULL;
	gint64 api_major = 0, api_minor = 0, build_id = 0, policy = 0;

	obj = qmp_json_node_get_object(reply, "query-sev reply", &error_local);
	if (obj == NULL)
		return sl_qemu_sev_reply_fail(error, error_local, "query-sev");
	if (!qmp_json_get_bool(obj, "enabled", &enabled, &error_local))
		return sl_qemu_sev_reply_fail(error, error_local, "query-sev");
	if (!enabled) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE, "SEV is not enabled for this guest");
		return FALSE;
	}
	/* an SNP guest has no "policy" member: check the type first */
	if (!sl_qemu_sev_reply_parse_sev_type(obj, info, error))
		return FALSE;
	if (!qmp_json_get_string(obj, "state", &state, &error_local) ||
	    !qmp_json_get_int(obj, "api-major", &api_major, &error_local) ||
	    !qmp_json_get_int(obj, "api-minor", &api_minor, &error_local) ||
	    !qmp_json_get_int(obj, "build-id", &build_id, &error_local) ||
	    !qmp_json_get_int(obj, "policy", &policy, &error_local))
		return sl_qemu_sev_reply_fail(error, error_local, "query-sev");
	if (!sl_launch_params_init(&info->params, api_major, api_minor, build_id, policy, &error_local))
		return sl_qemu_sev_reply_fail(error, error_local, "query-sev");
	g_free(info->state);
	info->state = g_strdup(state);
	info->sev_es = (info->params.policy & SL_SEV_POLICY_ES) != 0;
	return TRUE;
}

gboolean
sl_qemu_sev_reply_parse_launch_measure(JsonNode *reply,
				       guint8 measurement[SL_MEASUREMENT_SIZE],
				       guint8 mnonce[SL_MNONCE_SIZE],
				       GError **error)
{
	GError *error_local = NULL;
	JsonObject *obj;
	const gchar *data = NULL;

	obj = qmp_json_node_get_object(reply, "query-sev-launch-measure reply", &error_local);
	if (obj == NULL || !qmp_json_get_string(obj, "data", &data, &error_local))
		return sl_qemu_sev_reply_fail(error, error_local, "query-sev-launch-measure");
	if (!sl_launch_measure_blob_decode(
		data, "the launch measurement QEMU reported", measurement, mnonce, &error_local))
		return sl_qemu_sev_reply_fail(error, error_local, "query-sev-launch-measure");
	return TRUE;
}

gboolean
sl_qemu_sev_reply_parse_cpus_fast(JsonNode *reply, guint *count, GError **error)
{
	JsonArray *cpus;

	if (reply == NULL || !JSON_NODE_HOLDS_ARRAY(reply)) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_PROTOCOL, "query-cpus-fast: reply is not an array");
		return FALSE;
	}
	cpus = json_node_get_array(reply);
	if (json_array_get_length(cpus) == 0 || json_array_get_length(cpus) > SL_SEV_MAX_VCPUS) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_PROTOCOL,
			    "query-cpus-fast: implausible vCPU count %u",
			    json_array_get_length(cpus));
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(cpus); i++) {
		if (!JSON_NODE_HOLDS_OBJECT(json_array_get_element(cpus, i))) {
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_PROTOCOL,
				    "query-cpus-fast: element %u is not an object",
				    i);
			return FALSE;
		}
	}
	*count = json_array_get_length(cpus);
	return TRUE;
}

gboolean
sl_qemu_sev_reply_parse_status(JsonNode *reply, gboolean *running, gchar **status, GError **error)
{
	GError *error_local = NULL;
	JsonObject *obj;
	gboolean is_running = FALSE;
	const gchar *text = NULL;

	obj = qmp_json_node_get_object(reply, "query-status reply", &error_local);
	if (obj == NULL || !qmp_json_get_bool(obj, "running", &is_running, &error_local) ||
	    !qmp_json_get_string(obj, "status", &text, &error_local))
		return sl_qemu_sev_reply_fail(error, error_local, "query-status");
	*running = is_running;
	*status = g_strdup(text);
	return TRUE;
}

/* one part of a version: QEMU's are small non-negative numbers */
static gboolean
sl_qemu_sev_reply_get_version_part(JsonObject *obj, const gchar *member, guint *out, GError **error)
{
	gint64 value = 0;

	if (!qmp_json_get_int(obj, member, &value, error))
		return FALSE;
	if (value < 0 || value > G_MAXUINT16) {
		g_set_error(
		    error, SL_ERROR, SL_ERROR_PROTOCOL, "implausible %s %" G_GINT64_FORMAT, member, value);
		return FALSE;
	}
	*out = (guint)value;
	return TRUE;
}

gboolean
sl_qemu_sev_reply_parse_version(JsonNode *reply, guint *major, guint *minor, guint *micro, GError **error)
{
	GError *error_local = NULL;
	JsonObject *obj;
	JsonObject *qemu = NULL;
	guint parts[3] = {0};

	obj = qmp_json_node_get_object(reply, "query-version reply", &error_local);
	if (obj == NULL || !qmp_json_get_object(obj, "qemu", &qemu, &error_local) ||
	    !sl_qemu_sev_reply_get_version_part(qemu, "major", &parts[0], &error_local) ||
	    !sl_qemu_sev_reply_get_version_part(qemu, "minor", &parts[1], &error_local) ||
	    !sl_qemu_sev_reply_get_version_part(qemu, "micro", &parts[2], &error_local))
		return sl_qemu_sev_reply_fail(error, error_local, "query-version");
	*major = parts[0];
	*minor = parts[1];
	*micro = parts[2];
	return TRUE;
}

void
sl_sev_capabilities_clear(SlSevCapabilities *caps)
{
	g_clear_pointer(&caps->pdh, g_free);
	g_clear_pointer(&caps->cert_chain, g_free);
	g_clear_pointer(&caps->cpu0_id, g_free);
}

/* a page-table bit position or a count of address bits: below 64 */
static gboolean
sl_qemu_sev_reply_get_bits(JsonObject *obj, const gchar *member, guint *out, GError **error)
{
	gint64 value = 0;

	if (!qmp_json_get_int(obj, member, &value, error))
		return FALSE;
	if (value < 0 || value > 63) {
		g_set_error(
		    error, SL_ERROR, SL_ERROR_PROTOCOL, "implausible %s %" G_GINT64_FORMAT, member, value);
		return FALSE;
	}
	*out = (guint)value;
	return TRUE;
}

gboolean
sl_qemu_sev_reply_parse_capabilities(JsonNode *reply, SlSevCapabilities *caps, GError **error)
{
	GError *error_local = NULL;
	JsonObject *obj;
	const gchar *pdh = NULL, *chain = NULL, *cpu0_id = NULL;
	guint cbitpos = 0, reduced = 0;

	obj = qmp_json_node_get_object(reply, "query-sev-capabilities reply", &error_local);
	if (obj == NULL || !qmp_json_get_string(obj, "pdh", &pdh, &error_local) ||
	    !qmp_json_get_string(obj, "cert-chain", &chain, &error_local) ||
	    (qmp_json_has_member(obj, "cpu0-id") &&
	     !qmp_json_get_string(obj, "cpu0-id", &cpu0_id, &error_local)) ||
	    !sl_qemu_sev_reply_get_bits(obj, "cbitpos", &cbitpos, &error_local) ||
	    !sl_qemu_sev_reply_get_bits(obj, "reduced-phys-bits", &reduced, &error_local))
		return sl_qemu_sev_reply_fail(error, error_local, "query-sev-capabilities");
	sl_sev_capabilities_clear(caps);
	caps->pdh = g_strdup(pdh);
	caps->cert_chain = g_strdup(chain);
	caps->cpu0_id = g_strdup(cpu0_id);
	caps->cbitpos = cbitpos;
	caps->reduced_phys_bits = reduced;
	return TRUE;
}
