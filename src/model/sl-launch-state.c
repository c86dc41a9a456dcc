/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-base64.h"
#include "sl-error.h"
#include "sl-json-read.h"
#include "sl-launch-state.h"

/* QEMU's -smp maximum is far below this */
#define SL_LAUNCH_STATE_MAX_VCPUS 4096

SlLaunchState *
sl_launch_state_new(void)
{
	return g_new0(SlLaunchState, 1);
}

void
sl_launch_state_free(SlLaunchState *self)
{
	if (self == NULL)
		return;
	g_free(self->qemu_version);
	g_free(self->state);
	g_clear_pointer(&self->pdh, g_bytes_unref);
	g_clear_pointer(&self->cert_chain, g_bytes_unref);
	g_clear_pointer(&self->cpu0_id, g_bytes_unref);
	g_free(self);
}

static void
sl_launch_state_describe_bytes(SlReport *report, const gchar *key, GBytes *bytes, gboolean hex)
{
	gsize len = 0;
	const guint8 *data = bytes != NULL ? g_bytes_get_data(bytes, &len) : NULL;

	if (bytes == NULL)
		sl_report_add_null(report, key);
	else if (hex)
		sl_report_add_hex(report, key, data, len);
	else
		sl_report_add_base64(report, key, data, len);
}

static void
sl_launch_state_describe_platform(const SlLaunchState *self, SlReport *report)
{
	if (!self->has_platform) {
		sl_report_add_null(report, "platform");
		return;
	}
	sl_report_begin_object(report, "platform");
	sl_launch_state_describe_bytes(report, "pdh", self->pdh, FALSE);
	sl_launch_state_describe_bytes(report, "cert_chain", self->cert_chain, FALSE);
	sl_launch_state_describe_bytes(report, "cpu0_id", self->cpu0_id, TRUE);
	sl_report_add_uint(report, "cbitpos", self->cbitpos);
	sl_report_add_uint(report, "reduced_phys_bits", self->reduced_phys_bits);
	sl_report_end_object(report);
}

void
sl_launch_state_describe(const SlLaunchState *self, SlReport *report)
{
	g_autofree gchar *blob = sl_launch_measure_blob_encode(self->measurement, self->mnonce);

	if (self->qemu_version != NULL) {
		sl_report_begin_object(report, "qemu");
		sl_report_add_string(report, "version", self->qemu_version);
		sl_report_add_uint(report, "major", self->qemu_major);
		sl_report_add_uint(report, "minor", self->qemu_minor);
		sl_report_add_uint(report, "micro", self->qemu_micro);
		sl_report_end_object(report);
	}
	sl_report_begin_object(report, "guest");
	sl_report_add_string(report, "state", self->state);
	sl_report_add_string(report, "sev_mode", self->sev_es ? "SEV-ES" : "SEV");
	sl_launch_params_describe(&self->params, report);
	if (self->vcpus > 0)
		sl_report_add_uint(report, "vcpus", self->vcpus);
	else
		sl_report_add_null(report, "vcpus");
	sl_report_end_object(report);
	sl_report_begin_object(report, "launch_measure");
	sl_report_add_string(report, "data", blob);
	sl_report_add_hex(report, "measurement", self->measurement, SL_MEASUREMENT_SIZE);
	sl_report_add_hex(report, "mnonce", self->mnonce, SL_MNONCE_SIZE);
	sl_report_end_object(report);
	sl_launch_state_describe_platform(self, report);
}

/* the envelope: this version, from query, and a query that succeeded */
static gboolean
sl_launch_state_parse_envelope(JsonObject *root, GError **error)
{
	gint64 version = 0, exit_code = 0;
	const gchar *command = NULL;
	JsonObject *failure = NULL;
	const gchar *message = NULL;

	if (!sl_json_read_int(root, NULL, "schema_version", FALSE, 0, G_MAXINT32, &version, error) ||
	    !sl_json_read_string(root, NULL, "command", FALSE, &command, error) ||
	    !sl_json_read_int(root, NULL, "exit_code", FALSE, 0, 255, &exit_code, error) ||
	    !sl_json_read_object(root, NULL, "error", TRUE, &failure, error) ||
	    !sl_json_read_string(failure, "error", "message", TRUE, &message, error))
		return FALSE;
	if (version != SL_REPORT_SCHEMA_VERSION) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "schema_version %" G_GINT64_FORMAT " is not %d",
			    version,
			    SL_REPORT_SCHEMA_VERSION);
		return FALSE;
	}
	if (g_strcmp0(command, "query") != 0) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "it is the output of '%s', not of 'query'",
			    command);
		return FALSE;
	}
	if (exit_code != 0 || failure != NULL) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "the query failed (exit %" G_GINT64_FORMAT "): %s",
			    exit_code,
			    message != NULL ? message : "no message");
		return FALSE;
	}
	return TRUE;
}

static gboolean
sl_launch_state_parse_guest(SlLaunchState *self, JsonObject *root, GError **error)
{
	JsonObject *guest = NULL;
	const gchar *state = NULL, *mode = NULL;
	gint64 major = 0, minor = 0, build = 0, policy = 0, vcpus = 0;

	if (!sl_json_read_object(root, NULL, "guest", FALSE, &guest, error) ||
	    !sl_json_read_string(guest, "guest", "state", FALSE, &state, error) ||
	    !sl_json_read_string(guest, "guest", "sev_mode", FALSE, &mode, error) ||
	    !sl_json_read_int(guest, "guest", "api_major", FALSE, 0, G_MAXUINT8, &major, error) ||
	    !sl_json_read_int(guest, "guest", "api_minor", FALSE, 0, G_MAXUINT8, &minor, error) ||
	    !sl_json_read_int(guest, "guest", "build_id", FALSE, 0, G_MAXUINT8, &build, error) ||
	    !sl_json_read_int(guest, "guest", "policy", FALSE, 0, G_MAXUINT32, &policy, error) ||
	    !sl_json_read_int(guest, "guest", "vcpus", TRUE, 1, SL_LAUNCH_STATE_MAX_VCPUS, &vcpus, error))
		return FALSE;
	if (g_strcmp0(mode, "SEV") != 0 && g_strcmp0(mode, "SEV-ES") != 0) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "guest.sev_mode '%s' is neither SEV nor SEV-ES",
			    mode);
		return FALSE;
	}
	self->state = g_strdup(state);
	self->sev_es = g_strcmp0(mode, "SEV-ES") == 0;
	self->vcpus = (guint)vcpus;
	return sl_launch_params_init(&self->params, major, minor, build, policy, error);
}

static gboolean
sl_launch_state_parse_measure(SlLaunchState *self, JsonObject *root, GError **error)
{
	JsonObject *measure = NULL;
	const gchar *data = NULL;

	if (!sl_json_read_object(root, NULL, "launch_measure", FALSE, &measure, error) ||
	    !sl_json_read_string(measure, "launch_measure", "data", FALSE, &data, error))
		return FALSE;
	/* the hex members are for people: the blob QEMU gave decides */
	return sl_launch_measure_blob_decode(
	    data, "launch_measure.data", self->measurement, self->mnonce, error);
}

static gboolean
sl_launch_state_parse_platform(SlLaunchState *self, JsonObject *root, GError **error)
{
	JsonObject *platform = NULL;
	const gchar *pdh = NULL, *chain = NULL, *cpu0_id = NULL;
	gint64 cbitpos = 0, reduced = 0;

	if (!sl_json_read_object(root, NULL, "platform", TRUE, &platform, error))
		return FALSE;
	if (platform == NULL)
		return TRUE;
	if (!sl_json_read_string(platform, "platform", "pdh", FALSE, &pdh, error) ||
	    !sl_json_read_string(platform, "platform", "cert_chain", FALSE, &chain, error) ||
	    !sl_json_read_string(platform, "platform", "cpu0_id", TRUE, &cpu0_id, error) ||
	    !sl_json_read_int(platform, "platform", "cbitpos", FALSE, 0, 63, &cbitpos, error) ||
	    !sl_json_read_int(platform, "platform", "reduced_phys_bits", FALSE, 0, 63, &reduced, error))
		return FALSE;
	self->pdh = sl_base64_decode_strict(pdh, SL_LAUNCH_STATE_CERT_SIZE, "platform.pdh", error);
	if (self->pdh == NULL)
		return FALSE;
	self->cert_chain =
	    sl_base64_decode_strict(chain, 3 * SL_LAUNCH_STATE_CERT_SIZE, "platform.cert_chain", error);
	if (self->cert_chain == NULL)
		return FALSE;
	if (cpu0_id != NULL) {
		gsize len = strlen(cpu0_id) / 2;
		g_autofree guint8 *id = g_malloc0(MAX(len, 1));
		if (len == 0 || len > SL_LAUNCH_STATE_CPU0_ID_MAX ||
		    !sl_json_read_hex(platform, "platform", "cpu0_id", id, len, error)) {
			if (error != NULL && *error == NULL)
				g_set_error_literal(error,
						    SL_ERROR,
						    SL_ERROR_INVALID_DATA,
						    "platform.cpu0_id is not 1..64 bytes of hex");
			return FALSE;
		}
		self->cpu0_id = g_bytes_new(id, len);
	}
	self->cbitpos = (guint)cbitpos;
	self->reduced_phys_bits = (guint)reduced;
	self->has_platform = TRUE;
	return TRUE;
}

SlLaunchState *
sl_launch_state_parse(const gchar *text, gsize len, GError **error)
{
	g_autoptr(SlLaunchState) self = sl_launch_state_new();
	g_autoptr(JsonNode) node = sl_json_read_document(text, len, "the launch state", error);
	JsonObject *root;
	JsonObject *qemu = NULL;
	const gchar *version = NULL;

	if (node == NULL)
		return NULL;
	root = json_node_get_object(node);
	if (!sl_launch_state_parse_envelope(root, error) ||
	    !sl_json_read_object(root, NULL, "qemu", TRUE, &qemu, error) ||
	    !sl_json_read_string(qemu, "qemu", "version", TRUE, &version, error) ||
	    !sl_launch_state_parse_guest(self, root, error) ||
	    !sl_launch_state_parse_measure(self, root, error) ||
	    !sl_launch_state_parse_platform(self, root, error)) {
		g_prefix_error(error, "launch state: ");
		return NULL;
	}
	self->qemu_version = g_strdup(version);
	return g_steal_pointer(&self);
}
