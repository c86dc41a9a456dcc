/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "sevlaunch"

#include <string.h>

#include "sl-error.h"
#include "sl-run-state.h"
#include "sl-secret-packet.h"
#include "sl-verdict.h"
#include "sl-verify-flow.h"
#include "sl-verify-phase.h"

/*
 * one verification, as a chain of callbacks on the main loop:
 *   open -> read run state (never ran?) -> read guest -> check it -> read measurement [and vCPUs]
 *   -> (wait for the hashing thread) -> verdict
 *   -> match: [inject the secret] -> [resume] -> done
 *   -> mismatch: [quit] -> fail
 * the artifacts are hashed on a worker thread while the target answers.
 * The state is the task's data; every pending call holds a ref on the task,
 * so the state lives until the last callback has run.
 */
typedef struct {
	const SlVerifyFlowOptions *options;
	SlLaunchTarget *target;
	SlReport *report;
	GCancellable *cancellable; /* ours, for every call; cancelled when the flow ends */
	GSource *timeout_source;
	GSource *caller_cancel_source;
	SlVerifyPhase phase;
	gboolean done; /* the task returned: later callbacks only drop their results */

	SlLaunchDigestPrefix *prefix; /* NULL until the hashing thread is done */
	gboolean measured;            /* the target's answers are all in */
	SlSevGuestInfo guest;
	guint vcpus;
	guint8 reported[SL_MEASUREMENT_SIZE];
	guint8 mnonce[SL_MNONCE_SIZE];
} SlVerifyFlow;

static void
sl_verify_flow_clear_source(GSource **source)
{
	if (*source == NULL)
		return;
	g_source_destroy(*source);
	g_clear_pointer(source, g_source_unref);
}

static void
sl_verify_flow_free(SlVerifyFlow *self)
{
	sl_verify_flow_clear_source(&self->timeout_source);
	sl_verify_flow_clear_source(&self->caller_cancel_source);
	g_clear_object(&self->target);
	g_clear_object(&self->cancellable);
	g_clear_pointer(&self->prefix, sl_launch_digest_prefix_free);
	sl_sev_guest_info_clear(&self->guest);
	g_free(self);
}

/*
 * returns the task once, with @error (taken) or success; calls still pending
 * are cancelled and the target closed, so nothing more reaches the VM
 */
static void
sl_verify_flow_complete(GTask *task, GError *error)
{
	SlVerifyFlow *self = g_task_get_task_data(task);

	if (self->done) {
		g_clear_error(&error);
		return;
	}
	self->done = TRUE;
	sl_verify_flow_clear_source(&self->timeout_source);
	sl_verify_flow_clear_source(&self->caller_cancel_source);
	g_cancellable_cancel(self->cancellable);
	sl_launch_target_close(self->target);
	if (error != NULL)
		g_task_return_error(
		    task, sl_verify_phase_describe(self->phase, self->options->secrets != NULL, error));
	else
		g_task_return_boolean(task, TRUE);
}

/*
 * ends one step; FALSE when the caller must return at once: the flow is over,
 * or this step failed it with @error (taken)
 */
static gboolean
sl_verify_flow_step_end(GTask *task, gboolean ok, GError *error)
{
	SlVerifyFlow *self = g_task_get_task_data(task);

	if (self->done) {
		g_clear_error(&error);
		return FALSE;
	}
	if (!ok) {
		/* a connection lost after the secret or cont went out says so */
		sl_verify_flow_complete(task, sl_verify_phase_step_error(self->phase, error));
		return FALSE;
	}
	return TRUE;
}

static gboolean
sl_verify_flow_timeout_cb(gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	SlVerifyFlow *self = g_task_get_task_data(task);
	guint seconds = self->options->timeout_ms / 1000;
	g_autofree gchar *stall = NULL;

	/* before the target is open, only it can say what it waits for */
	if (self->phase == SL_VERIFY_PHASE_OPENING)
		stall = sl_launch_target_describe_open_timeout(self->target, seconds);
	sl_verify_flow_complete(task, sl_verify_phase_timeout_error(self->phase, seconds, stall));
	return G_SOURCE_REMOVE;
}

static gboolean
sl_verify_flow_caller_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	SlVerifyFlow *self = g_task_get_task_data(task);

	sl_verify_flow_complete(task, sl_verify_phase_cancelled_error(self->phase));
	return G_SOURCE_REMOVE;
}

static void
sl_verify_flow_resume_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	SlVerifyFlow *self = g_task_get_task_data(task);
	GError *error = NULL;
	gboolean ok = sl_launch_target_resume_finish(SL_LAUNCH_TARGET(source), res, &error);

	if (!sl_verify_flow_step_end(task, ok, error))
		return;
	sl_report_add_bool(self->report, "resumed", TRUE);
	sl_verify_flow_complete(task, NULL);
}

static void
sl_verify_flow_resume(GTask *task)
{
	SlVerifyFlow *self = g_task_get_task_data(task);

	if (!self->options->resume) {
		sl_report_add_bool(self->report, "resumed", FALSE);
		sl_verify_flow_complete(task, NULL);
		return;
	}
	self->phase = SL_VERIFY_PHASE_RESUMING;
	sl_launch_target_resume_async(
	    self->target, self->cancellable, sl_verify_flow_resume_cb, g_object_ref(task));
}

static void
sl_verify_flow_inject_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	SlVerifyFlow *self = g_task_get_task_data(task);
	GError *error = NULL;
	gboolean ok = sl_launch_target_inject_secret_finish(SL_LAUNCH_TARGET(source), res, &error);

	if (!sl_verify_flow_step_end(task, ok, error))
		return;
	sl_secret_table_describe(self->options->secrets, "secrets_injected", self->report);
	if (self->options->has_secret_gpa)
		sl_report_add_uint_hex(self->report, "secret_gpa", self->options->secret_gpa);
	sl_verify_flow_resume(task);
}

static void
sl_verify_flow_inject(GTask *task)
{
	SlVerifyFlow *self = g_task_get_task_data(task);
	const SlVerifyFlowOptions *options = self->options;
	g_autoptr(SlSecretPacket) packet = NULL;
	GError *error = NULL;

	/* the packet's MAC binds the measurement the firmware reported */
	packet = sl_secret_packet_build(options->keys, self->reported, NULL, options->secrets, &error);
	if (packet == NULL) {
		sl_verify_flow_complete(task, error);
		return;
	}
	self->phase = SL_VERIFY_PHASE_INJECTING;
	sl_launch_target_inject_secret_async(self->target,
					     packet->header_base64,
					     packet->payload_base64,
					     options->has_secret_gpa,
					     options->secret_gpa,
					     self->cancellable,
					     sl_verify_flow_inject_cb,
					     g_object_ref(task));
}

static void
sl_verify_flow_quit_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	SlVerifyFlow *self = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	gboolean ok = sl_launch_target_quit_finish(SL_LAUNCH_TARGET(source), res, &error);

	if (self->done)
		return;
	sl_report_begin_object(self->report, "quit");
	sl_report_add_bool(self->report, "done", ok);
	if (!ok)
		sl_report_add_string(self->report, "reason", error->message);
	sl_report_end_object(self->report);
	sl_verify_flow_complete(task,
				g_error_new_literal(SL_ERROR,
						    SL_ERROR_MISMATCH,
						    "launch measurement mismatch; QEMU told to quit"));
}

/* against the artifacts: the digest, the verdict and, on a mismatch, --explain */
static gboolean
sl_verify_flow_verdict_artifacts(SlVerifyFlow *self, GError **error)
{
	const SlVerifyFlowOptions *options = self->options;
	g_autoptr(GError) error_verdict = NULL;
	guint8 digest[SL_SHA256_SIZE];

	if (!sl_launch_artifacts_finish_digest(options->artifacts,
					       self->prefix,
					       self->guest.sev_es,
					       self->vcpus,
					       digest,
					       self->report,
					       error))
		return FALSE;
	if (sl_verdict_check(options->artifacts,
			     self->prefix,
			     options->keys->tik,
			     &self->guest.params,
			     digest,
			     self->reported,
			     self->mnonce,
			     self->report,
			     &error_verdict))
		return TRUE;
	if (options->explain && g_error_matches(error_verdict, SL_ERROR, SL_ERROR_MISMATCH) &&
	    !sl_verdict_explain(options->artifacts,
				self->prefix,
				self->guest.sev_es,
				self->vcpus,
				options->keys->tik,
				&self->guest.params,
				self->reported,
				self->mnonce,
				self->report,
				error))
		return FALSE;
	g_propagate_error(error, g_steal_pointer(&error_verdict));
	return FALSE;
}

static void
sl_verify_flow_verify(GTask *task)
{
	SlVerifyFlow *self = g_task_get_task_data(task);
	const SlVerifyFlowOptions *options = self->options;
	GError *error = NULL;
	gboolean verified;

	if (options->manifest != NULL)
		verified = sl_verdict_check_manifest(options->manifest,
						     options->keys->tik,
						     &self->guest.params,
						     self->reported,
						     self->mnonce,
						     self->report,
						     &error);
	else
		verified = sl_verify_flow_verdict_artifacts(self, &error);
	if (!verified) {
		/* a mismatch never resumes; on request the VM is told to quit */
		if (g_error_matches(error, SL_ERROR, SL_ERROR_MISMATCH) &&
		    options->on_mismatch == SL_ON_MISMATCH_QUIT) {
			g_error_free(error);
			self->phase = SL_VERIFY_PHASE_QUITTING;
			sl_launch_target_quit_async(
			    self->target, self->cancellable, sl_verify_flow_quit_cb, g_object_ref(task));
			return;
		}
		sl_verify_flow_complete(task, error);
		return;
	}
	if (options->secrets != NULL) {
		sl_verify_flow_inject(task);
		return;
	}
	sl_verify_flow_resume(task);
}

/* the verdict needs both the target's answers and the hashing thread's result */
static void
sl_verify_flow_maybe_verify(GTask *task)
{
	SlVerifyFlow *self = g_task_get_task_data(task);

	/* a manifest needs no hashing */
	if ((self->prefix != NULL || self->options->manifest != NULL) && self->measured)
		sl_verify_flow_verify(task);
}

static void
sl_verify_flow_hash_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	SlVerifyFlow *self = g_task_get_task_data(task);
	GError *error = NULL;
	SlLaunchDigestPrefix *prefix = sl_launch_artifacts_hash_prefix_finish(NULL, res, &error);

	if (!sl_verify_flow_step_end(task, prefix != NULL, error)) {
		g_clear_pointer(&prefix, sl_launch_digest_prefix_free);
		return;
	}
	g_debug("artifacts hashed");
	self->prefix = prefix;
	sl_verify_flow_maybe_verify(task);
}

static void
sl_verify_flow_measure_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	SlVerifyFlow *self = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(SlLaunchInfo) info =
	    sl_launch_target_read_info_finish(SL_LAUNCH_TARGET(source), res, &error);

	if (!sl_verify_flow_step_end(task, info != NULL, error))
		return;
	memcpy(self->reported, info->measurement, sizeof(self->reported));
	memcpy(self->mnonce, info->mnonce, sizeof(self->mnonce));
	if ((info->have & SL_LAUNCH_INFO_VCPUS) != 0) {
		g_debug("the VM has %u vCPUs", info->vcpus);
		self->vcpus = info->vcpus;
	}
	self->measured = TRUE;
	sl_verify_flow_maybe_verify(task);
}

static void
sl_verify_flow_guest_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	SlVerifyFlow *self = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(SlLaunchInfo) info =
	    sl_launch_target_read_info_finish(SL_LAUNCH_TARGET(source), res, &error);
	SlLaunchInfoFlags what = SL_LAUNCH_INFO_MEASUREMENT;

	if (!sl_verify_flow_step_end(task, info != NULL, error))
		return;
	self->guest = info->guest;
	memset(&info->guest, 0, sizeof(info->guest));
	/* nothing more is asked of a guest these options cannot verify */
	if (!sl_verify_options_check_guest(self->options, &self->guest, self->vcpus, self->report, &error)) {
		sl_verify_flow_complete(task, error);
		return;
	}
	/* with a manifest the measurement alone decides the vCPU count */
	if (self->guest.sev_es && self->vcpus == 0 && self->options->manifest == NULL)
		what |= SL_LAUNCH_INFO_VCPUS;
	sl_launch_target_read_info_async(
	    self->target, what, self->cancellable, sl_verify_flow_measure_cb, g_steal_pointer(&task));
}

/* a guest that already ran is refused before anything SEV is asked */
static void
sl_verify_flow_run_state_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	SlVerifyFlow *self = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(SlLaunchInfo) info =
	    sl_launch_target_read_info_finish(SL_LAUNCH_TARGET(source), res, &error);

	if (!sl_verify_flow_step_end(task, info != NULL, error))
		return;
	if (!sl_run_state_check_prelaunch(info, &error)) {
		sl_verify_flow_complete(task, error);
		return;
	}
	sl_launch_target_read_info_async(self->target,
					 SL_LAUNCH_INFO_GUEST,
					 self->cancellable,
					 sl_verify_flow_guest_cb,
					 g_steal_pointer(&task));
}

static void
sl_verify_flow_open_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	SlVerifyFlow *self = g_task_get_task_data(task);
	GError *error = NULL;
	gboolean ok = sl_launch_target_open_finish(SL_LAUNCH_TARGET(source), res, &error);

	if (!sl_verify_flow_step_end(task, ok, error))
		return;
	self->phase = SL_VERIFY_PHASE_QUERYING;
	sl_launch_target_add_to_report(self->target, self->report);
	sl_launch_target_read_info_async(self->target,
					 SL_LAUNCH_INFO_RUN_STATE,
					 self->cancellable,
					 sl_verify_flow_run_state_cb,
					 g_steal_pointer(&task));
}

/* a source on the main context that holds a ref on @task until it is destroyed */
static GSource *
sl_verify_flow_attach_source(GSource *source, GSourceFunc func, GTask *task)
{
	g_source_set_callback(source, func, g_object_ref(task), g_object_unref);
	g_source_attach(source, g_task_get_context(task));
	return source;
}

void
sl_verify_flow_run_async(SlLaunchTarget *target,
			 const SlVerifyFlowOptions *options,
			 SlReport *report,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);
	SlVerifyFlow *self = g_new0(SlVerifyFlow, 1);

	g_return_if_fail(SL_IS_LAUNCH_TARGET(target));

	g_task_set_source_tag(task, sl_verify_flow_run_async);
	/* a cancelled run reports what it had sent, not just "cancelled" */
	g_task_set_check_cancellable(task, FALSE);
	g_task_set_task_data(task, self, (GDestroyNotify)sl_verify_flow_free);
	self->options = options;
	self->target = g_object_ref(target);
	self->report = report;
	self->vcpus = options->vcpus;
	self->phase = SL_VERIFY_PHASE_OPENING;
	self->cancellable = g_cancellable_new();
	/* one deadline, --wait + --timeout from now */
	if (options->timeout_ms > 0)
		self->timeout_source =
		    sl_verify_flow_attach_source(g_timeout_source_new(options->timeout_ms + options->wait_ms),
						 sl_verify_flow_timeout_cb,
						 task);
	if (cancellable != NULL)
		self->caller_cancel_source =
		    sl_verify_flow_attach_source(g_cancellable_source_new(cancellable),
						 G_SOURCE_FUNC(sl_verify_flow_caller_cancelled_cb),
						 task);
	if (options->manifest == NULL)
		sl_launch_artifacts_hash_prefix_async(
		    options->artifacts, self->cancellable, sl_verify_flow_hash_cb, g_object_ref(task));
	sl_launch_target_open_async(target, self->cancellable, sl_verify_flow_open_cb, g_object_ref(task));
}

gboolean
sl_verify_flow_run_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}
