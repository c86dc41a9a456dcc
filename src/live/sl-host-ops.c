/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "sevlaunch"

#include <string.h>

#include "sl-base64.h"
#include "sl-error.h"
#include "sl-host-ops.h"
#include "sl-qemu-sev.h"
#include "sl-run-state.h"

/*
 * one operation: open -> query-status (prelaunch) -> query-sev
 * (launch-secret) -> measurement (and vCPUs) -> then query's capabilities,
 * or inject's check, sev-inject-launch-secret and cont
 */
typedef struct {
	SlLaunchTarget *target;
	gboolean is_query;
	gboolean platform_only; /* query-sev-capabilities alone: no guest needed */
	SlLaunchState *state;
	/* inject */
	const SlPacketDocument *packet;
	gboolean has_gpa;
	guint64 gpa;
	gboolean resume;
	SlReport *report;
} SlHostOp;

static void
sl_host_op_free(SlHostOp *self)
{
	if (self->target != NULL)
		sl_launch_target_close(self->target);
	g_clear_object(&self->target);
	g_clear_pointer(&self->state, sl_launch_state_free);
	g_free(self);
}

static void
sl_host_op_fail(GTask *task, GError *error)
{
	SlHostOp *self = g_task_get_task_data(task);
	sl_launch_target_close(self->target);
	g_task_return_error(task, error);
}

static void
sl_host_op_measured(GTask *task);
static void
sl_host_query_measured(GTask *task);

static void
sl_host_op_measure_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	SlHostOp *self = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(SlLaunchInfo) info =
	    sl_launch_target_read_info_finish(SL_LAUNCH_TARGET(source), res, &error);

	if (info == NULL) {
		sl_host_op_fail(task, error);
		return;
	}
	memcpy(self->state->measurement, info->measurement, SL_MEASUREMENT_SIZE);
	memcpy(self->state->mnonce, info->mnonce, SL_MNONCE_SIZE);
	if ((info->have & SL_LAUNCH_INFO_VCPUS) != 0)
		self->state->vcpus = info->vcpus;
	sl_host_op_measured(g_steal_pointer(&task));
}

static void
sl_host_op_guest_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	SlHostOp *self = g_task_get_task_data(task);
	GCancellable *cancellable = g_task_get_cancellable(task);
	GError *error = NULL;
	g_autoptr(SlLaunchInfo) info =
	    sl_launch_target_read_info_finish(SL_LAUNCH_TARGET(source), res, &error);
	SlLaunchInfoFlags what = SL_LAUNCH_INFO_MEASUREMENT;

	if (info == NULL) {
		sl_host_op_fail(task, error);
		return;
	}
	if (g_strcmp0(info->guest.state, SL_SEV_STATE_LAUNCH_SECRET) != 0) {
		sl_host_op_fail(
		    task,
		    g_error_new(SL_ERROR,
				SL_ERROR_NOT_VERIFIABLE,
				"guest SEV state is '%s', expected '%s' (a paused guest started with -S)",
				info->guest.state != NULL ? info->guest.state : "unknown",
				SL_SEV_STATE_LAUNCH_SECRET));
		return;
	}
	self->state->state = g_strdup(info->guest.state);
	self->state->sev_es = info->guest.sev_es;
	self->state->params = info->guest.params;
	/* the owner needs the count for SEV-ES; it is harmless to ask it for SEV */
	if (self->is_query)
		what |= SL_LAUNCH_INFO_VCPUS;
	sl_launch_target_read_info_async(
	    self->target, what, cancellable, sl_host_op_measure_cb, g_steal_pointer(&task));
}

static void
sl_host_op_run_state_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	SlHostOp *self = g_task_get_task_data(task);
	GCancellable *cancellable = g_task_get_cancellable(task);
	GError *error = NULL;
	g_autoptr(SlLaunchInfo) info =
	    sl_launch_target_read_info_finish(SL_LAUNCH_TARGET(source), res, &error);

	if (info == NULL || !sl_run_state_check_prelaunch(info, &error)) {
		sl_host_op_fail(task, error);
		return;
	}
	sl_launch_target_read_info_async(
	    self->target, SL_LAUNCH_INFO_GUEST, cancellable, sl_host_op_guest_cb, g_steal_pointer(&task));
}

static void
sl_host_op_open_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	SlHostOp *self = g_task_get_task_data(task);
	GCancellable *cancellable = g_task_get_cancellable(task);
	GError *error = NULL;

	if (!sl_launch_target_open_finish(SL_LAUNCH_TARGET(source), res, &error)) {
		sl_host_op_fail(task, error);
		return;
	}
	if (self->report != NULL)
		sl_launch_target_add_to_report(self->target, self->report);
	if (self->platform_only) {
		sl_host_op_measured(g_steal_pointer(&task));
		return;
	}
	sl_launch_target_read_info_async(self->target,
					 SL_LAUNCH_INFO_RUN_STATE,
					 cancellable,
					 sl_host_op_run_state_cb,
					 g_steal_pointer(&task));
}

static GTask *
sl_host_op_start(SlLaunchTarget *target,
		 gboolean is_query,
		 gpointer source_tag,
		 GCancellable *cancellable,
		 GAsyncReadyCallback callback,
		 gpointer user_data)
{
	GTask *task = g_task_new(NULL, cancellable, callback, user_data);
	SlHostOp *self = g_new0(SlHostOp, 1);

	g_task_set_source_tag(task, source_tag);
	self->target = g_object_ref(target);
	self->is_query = is_query;
	self->state = sl_launch_state_new();
	g_task_set_task_data(task, self, (GDestroyNotify)sl_host_op_free);
	return task;
}

/* query: the platform's certificates, when QEMU has them */
static gboolean
sl_host_query_set_platform(SlLaunchState *state, const SlSevCapabilities *caps, GError **error)
{
	state->pdh = sl_base64_decode_strict(caps->pdh, SL_LAUNCH_STATE_CERT_SIZE, "pdh", error);
	if (state->pdh == NULL)
		return FALSE;
	state->cert_chain =
	    sl_base64_decode_strict(caps->cert_chain, 3 * SL_LAUNCH_STATE_CERT_SIZE, "cert-chain", error);
	if (state->cert_chain == NULL)
		return FALSE;
	if (caps->cpu0_id != NULL) {
		state->cpu0_id = sl_base64_decode_strict(caps->cpu0_id, 0, "cpu0-id", error);
		if (state->cpu0_id == NULL)
			return FALSE;
		if (g_bytes_get_size(state->cpu0_id) == 0 ||
		    g_bytes_get_size(state->cpu0_id) > SL_LAUNCH_STATE_CPU0_ID_MAX) {
			g_set_error_literal(error, SL_ERROR, SL_ERROR_PROTOCOL, "cpu0-id is not 1..64 bytes");
			return FALSE;
		}
	}
	state->cbitpos = caps->cbitpos;
	state->reduced_phys_bits = caps->reduced_phys_bits;
	state->has_platform = TRUE;
	return TRUE;
}

static void
sl_host_query_caps_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	SlHostOp *self = g_task_get_task_data(task);
	g_auto(SlSevCapabilities) caps = {0};
	GError *error = NULL;

	if (!sl_qemu_sev_query_capabilities_finish(QMP_CLIENT(source), res, &caps, &error)) {
		/* a platform QEMU cannot ask (or an old QEMU): the launch state goes without it */
		if (self->platform_only || !g_error_matches(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE)) {
			sl_host_op_fail(task, error);
			return;
		}
		g_debug("no platform certificates: %s", error->message);
		g_error_free(error);
	} else if (!sl_host_query_set_platform(self->state, &caps, &error)) {
		g_prefix_error(&error, "query-sev-capabilities: ");
		error->code = SL_ERROR_PROTOCOL;
		sl_host_op_fail(task, error);
		return;
	}
	sl_launch_target_close(self->target);
	g_task_return_pointer(task, g_steal_pointer(&self->state), (GDestroyNotify)sl_launch_state_free);
}

static void
sl_host_query_measured(GTask *task)
{
	SlHostOp *self = g_task_get_task_data(task);
	GCancellable *cancellable = g_task_get_cancellable(task);
	QmpClient *client = sl_qmp_target_get_client(SL_QMP_TARGET(self->target));
	guint major = 0, minor = 0, micro = 0;

	if (qmp_client_get_qemu_version(client, &major, &minor, &micro)) {
		self->state->qemu_version = g_strdup_printf("%u.%u.%u", major, minor, micro);
		self->state->qemu_major = major;
		self->state->qemu_minor = minor;
		self->state->qemu_micro = micro;
	}
	sl_qemu_sev_query_capabilities_async(client, cancellable, sl_host_query_caps_cb, task);
}

void
sl_host_query_async(SlQmpTarget *target,
		    GCancellable *cancellable,
		    GAsyncReadyCallback callback,
		    gpointer user_data)
{
	GTask *task = sl_host_op_start(
	    SL_LAUNCH_TARGET(target), TRUE, sl_host_query_async, cancellable, callback, user_data);
	sl_launch_target_open_async(SL_LAUNCH_TARGET(target), cancellable, sl_host_op_open_cb, task);
}

void
sl_host_platform_async(SlQmpTarget *target,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	GTask *task = sl_host_op_start(
	    SL_LAUNCH_TARGET(target), TRUE, sl_host_query_async, cancellable, callback, user_data);
	SlHostOp *self = g_task_get_task_data(task);

	self->platform_only = TRUE;
	sl_launch_target_open_async(SL_LAUNCH_TARGET(target), cancellable, sl_host_op_open_cb, task);
}

SlLaunchState *
sl_host_query_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

static void
sl_host_inject_resume_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	SlHostOp *self = g_task_get_task_data(task);
	GError *error = NULL;

	if (!sl_launch_target_resume_finish(SL_LAUNCH_TARGET(source), res, &error)) {
		g_prefix_error(&error, "secret injected, but the VM was not resumed: ");
		sl_host_op_fail(task, error);
		return;
	}
	sl_report_add_bool(self->report, "resumed", TRUE);
	sl_launch_target_close(self->target);
	g_task_return_boolean(task, TRUE);
}

static void
sl_host_inject_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	SlHostOp *self = g_task_get_task_data(task);
	GCancellable *cancellable = g_task_get_cancellable(task);
	GError *error = NULL;

	if (!sl_launch_target_inject_secret_finish(SL_LAUNCH_TARGET(source), res, &error)) {
		sl_host_op_fail(task, error);
		return;
	}
	sl_report_add_bool(self->report, "injected", TRUE);
	if (!self->resume) {
		sl_launch_target_close(self->target);
		g_task_return_boolean(task, TRUE);
		return;
	}
	sl_launch_target_resume_async(
	    self->target, cancellable, sl_host_inject_resume_cb, g_steal_pointer(&task));
}

static void
sl_host_inject_measured(GTask *task)
{
	SlHostOp *self = g_task_get_task_data(task);
	GCancellable *cancellable = g_task_get_cancellable(task);
	const SlPacketDocument *packet = self->packet;
	gboolean has_gpa = self->has_gpa || packet->has_gpa;
	guint64 gpa = self->has_gpa ? self->gpa : packet->gpa;

	sl_report_add_hex(self->report, "measurement", self->state->measurement, SL_MEASUREMENT_SIZE);
	sl_report_add_hex(self->report, "mnonce", self->state->mnonce, SL_MNONCE_SIZE);
	/* the packet's MAC covers the measurement: a packet for another launch is refused here */
	if (memcmp(packet->measurement, self->state->measurement, SL_MEASUREMENT_SIZE) != 0 ||
	    memcmp(packet->mnonce, self->state->mnonce, SL_MNONCE_SIZE) != 0) {
		sl_report_add_bool(self->report, "bound_to_this_launch", FALSE);
		sl_host_op_fail(
		    task,
		    g_error_new_literal(SL_ERROR,
					SL_ERROR_MISMATCH,
					"the packet is bound to another launch measurement than the "
					"guest reports (QEMU was restarted, or the packet is for "
					"another guest): nothing sent, VM not resumed"));
		g_object_unref(task);
		return;
	}
	sl_report_add_bool(self->report, "bound_to_this_launch", TRUE);
	sl_report_begin_array(self->report, "secrets");
	for (guint i = 0; i < packet->secrets->len; i++)
		sl_report_add_string(self->report, NULL, g_ptr_array_index(packet->secrets, i));
	sl_report_end_array(self->report);
	if (has_gpa)
		sl_report_add_uint_hex(self->report, "secret_gpa", gpa);
	sl_launch_target_inject_secret_async(self->target,
					     packet->header_base64,
					     packet->payload_base64,
					     has_gpa,
					     gpa,
					     cancellable,
					     sl_host_inject_cb,
					     task);
}

static void
sl_host_op_measured(GTask *task)
{
	SlHostOp *self = g_task_get_task_data(task);
	if (self->is_query)
		sl_host_query_measured(task);
	else
		sl_host_inject_measured(task);
}

void
sl_host_inject_async(SlLaunchTarget *target,
		     const SlPacketDocument *packet,
		     gboolean has_gpa,
		     guint64 gpa,
		     gboolean resume,
		     SlReport *report,
		     GCancellable *cancellable,
		     GAsyncReadyCallback callback,
		     gpointer user_data)
{
	GTask *task = sl_host_op_start(target, FALSE, sl_host_inject_async, cancellable, callback, user_data);
	SlHostOp *self = g_task_get_task_data(task);

	self->packet = packet;
	self->has_gpa = has_gpa;
	self->gpa = gpa;
	self->resume = resume;
	self->report = report;
	sl_report_add_bool(report, "injected", FALSE);
	sl_report_add_bool(report, "resumed", FALSE);
	sl_launch_target_open_async(target, cancellable, sl_host_op_open_cb, task);
}

gboolean
sl_host_inject_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}
