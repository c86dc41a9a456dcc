/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "sevlaunch"

#include "qmp-error.h"
#include "sl-error.h"
#include "sl-secret-packet.h"
#include "sl-sev-info.h"
#include "sl-verdict.h"
#include "sl-verify-flow.h"

/*
 * one verification, as a chain of callbacks on the main loop:
 *   connect -> query-sev -> query-sev-launch-measure [-> query-cpus-fast]
 *   -> (wait for the hashing thread) -> verdict
 *   -> match: [sev-inject-launch-secret] -> [cont] -> done
 *   -> mismatch: [quit] -> fail
 * the artifacts are hashed on a worker thread while the QMP round trips run
 */
typedef enum {
	SL_VERIFY_PHASE_QUERYING,  /* nothing changed in the VM yet */
	SL_VERIFY_PHASE_INJECTING, /* verified; the secret is on its way */
	SL_VERIFY_PHASE_RESUMING,  /* verified; cont is on its way */
	SL_VERIFY_PHASE_QUITTING,  /* mismatch; quit is on its way */
} SlVerifyPhase;

typedef struct {
	const SlVerifyFlowOptions *options;
	SlReport *report;
	QmpClient *client;
	GTask *task; /* NULL once completed */
	SlVerifyPhase phase;
	guint timeout_id;
	guint pending_ops; /* callbacks still to come: the flow lives until they ran */
	guint free_id;
	GCancellable *cancellable; /* the caller's, for every QMP call */

	SlLaunchDigestPrefix *prefix; /* NULL until the hashing thread is done */
	gboolean greeted;             /* QEMU's greeting and capabilities went through */
	gboolean qmp_done;
	GError *pending_error; /* the first failure; later ones are dropped */

	SlSevGuestInfo guest;
	guint vcpus;
	guint8 reported[SL_MEASUREMENT_SIZE];
	guint8 mnonce[SL_MNONCE_SIZE];
} SlVerifyFlow;

static void
sl_verify_flow_free(SlVerifyFlow *self)
{
	if (self->timeout_id != 0)
		g_source_remove(self->timeout_id);
	if (self->client != NULL)
		qmp_client_close(self->client);
	g_clear_object(&self->client);
	g_clear_object(&self->cancellable);
	g_clear_pointer(&self->prefix, sl_launch_digest_prefix_free);
	g_clear_error(&self->pending_error);
	sl_sev_guest_info_clear(&self->guest);
	g_free(self);
}

static gboolean
sl_verify_flow_free_cb(gpointer user_data)
{
	sl_verify_flow_free(user_data);
	return G_SOURCE_REMOVE;
}

/*
 * freed from an idle callback: closing the client can call pending callbacks
 * back synchronously, and those frames still use the flow when they return
 */
static void
sl_verify_flow_maybe_free(SlVerifyFlow *self)
{
	if (self->task == NULL && self->pending_ops == 0 && self->free_id == 0)
		self->free_id = g_idle_add(sl_verify_flow_free_cb, self);
}

static void
sl_verify_flow_op_begin(SlVerifyFlow *self)
{
	self->pending_ops++;
}

/* FALSE if the flow already completed: the caller must return at once */
static gboolean
sl_verify_flow_op_end(SlVerifyFlow *self)
{
	self->pending_ops--;
	if (self->task != NULL)
		return TRUE;
	sl_verify_flow_maybe_free(self);
	return FALSE;
}

/*
 * completes the task once; the hashing thread may still run, on its own copy
 * of the paths, and its callback is the last to free the flow
 */
static void
sl_verify_flow_complete(SlVerifyFlow *self)
{
	GTask *task = g_steal_pointer(&self->task);

	if (task == NULL)
		return;
	if (self->timeout_id != 0) {
		g_source_remove(self->timeout_id);
		self->timeout_id = 0;
	}
	if (self->pending_error != NULL)
		g_task_return_error(task, g_steal_pointer(&self->pending_error));
	else
		g_task_return_boolean(task, TRUE);
	g_object_unref(task);
	/* closing the client makes any outstanding command call back */
	if (self->client != NULL)
		qmp_client_close(self->client);
	sl_verify_flow_maybe_free(self);
}

/* nothing more goes to QEMU once a step failed */
static void
sl_verify_flow_fail(SlVerifyFlow *self, GError *error)
{
	if (self->pending_error == NULL)
		self->pending_error = error;
	else
		g_error_free(error);
	sl_verify_flow_complete(self);
}

/* a broken session (as opposed to an error reply) in the tool's error domain */
static GError *
sl_verify_flow_map_qmp_error(GError *error, const gchar *command)
{
	SlError code = SL_ERROR_PROTOCOL;
	GError *mapped;

	if (error->domain == SL_ERROR)
		return error;
	if (error->domain != QMP_ERROR || error->code == QMP_ERROR_CONNECT ||
	    error->code == QMP_ERROR_CLOSED || error->code == QMP_ERROR_TIMEOUT ||
	    error->code == QMP_ERROR_CANCELLED)
		code = SL_ERROR_CONNECTION;
	mapped = g_error_new(SL_ERROR, code, "%s: %s", command, error->message);
	g_error_free(error);
	return mapped;
}

/* TRUE if QEMU answered with an error reply, rather than the session failing */
static gboolean
sl_verify_flow_is_command_error(const GError *error)
{
	return error->domain == QMP_ERROR &&
	       (error->code == QMP_ERROR_GENERIC_ERROR || error->code == QMP_ERROR_COMMAND_NOT_FOUND ||
		error->code == QMP_ERROR_DEVICE_NOT_ACTIVE || error->code == QMP_ERROR_DEVICE_NOT_FOUND ||
		error->code == QMP_ERROR_KVM_MISSING_CAP || error->code == QMP_ERROR_OTHER_CLASS);
}

static GError *
sl_verify_flow_timeout_error(SlVerifyFlow *self);

static void
sl_verify_flow_execute(SlVerifyFlow *self,
		       const gchar *command,
		       JsonObject *args,
		       GAsyncReadyCallback callback)
{
	sl_verify_flow_op_begin(self);
	qmp_client_execute_async(self->client, command, args, self->cancellable, callback, self);
}

/*
 * ends one QMP step; FALSE when the caller must return at once (the flow is
 * over, or this step failed it). An error reply from QEMU becomes
 * @reply_error_code with @reply_error_prefix before QEMU's own words.
 */
static gboolean
sl_verify_flow_step_end(SlVerifyFlow *self,
			GAsyncResult *res,
			const gchar *command,
			SlError reply_error_code,
			const gchar *reply_error_prefix,
			JsonNode **reply)
{
	GError *error = NULL;

	*reply = qmp_client_execute_finish(self->client, res, &error);
	if (!sl_verify_flow_op_end(self)) {
		g_clear_error(&error);
		g_clear_pointer(reply, json_node_unref);
		return FALSE;
	}
	if (*reply != NULL)
		return TRUE;
	/* a command that timed out may still have acted: say which one */
	if (g_error_matches(error, QMP_ERROR, QMP_ERROR_TIMEOUT)) {
		g_error_free(error);
		sl_verify_flow_fail(self, sl_verify_flow_timeout_error(self));
		return FALSE;
	}
	if (sl_verify_flow_is_command_error(error)) {
		sl_verify_flow_fail(
		    self,
		    g_error_new(SL_ERROR, reply_error_code, "%s%s", reply_error_prefix, error->message));
		g_error_free(error);
		return FALSE;
	}
	sl_verify_flow_fail(self, sl_verify_flow_map_qmp_error(error, command));
	return FALSE;
}

/* what a timeout means depends on what was already sent */
static GError *
sl_verify_flow_timeout_error(SlVerifyFlow *self)
{
	guint seconds = self->options->timeout_ms / 1000;
	GError *error;

	if (self->phase == SL_VERIFY_PHASE_INJECTING)
		error =
		    g_error_new(SL_ERROR,
				SL_ERROR_CONNECTION,
				"measurement verified, but no answer to sev-inject-launch-secret within %u s "
				"(--timeout): the secret may have been injected; VM not resumed",
				seconds);
	else if (self->phase == SL_VERIFY_PHASE_RESUMING)
		error = g_error_new(SL_ERROR,
				    SL_ERROR_CONNECTION,
				    "measurement verified, but no answer to cont within %u s (--timeout): "
				    "the VM may be running",
				    seconds);
	else if (self->phase == SL_VERIFY_PHASE_QUITTING)
		error = g_error_new(SL_ERROR,
				    SL_ERROR_MISMATCH,
				    "launch measurement mismatch; no answer to quit within %u s (--timeout)",
				    seconds);
	else if (!self->greeted && self->options->qmp_tls_creds == NULL)
		/* a TLS monitor waits for our hello while we wait for its greeting */
		error =
		    g_error_new(SL_ERROR,
				SL_ERROR_CONNECTION,
				"no QMP greeting within %u s (--timeout); if the monitor is served with TLS, "
				"pass --qmp-tls-creds; nothing sent",
				seconds);
	else
		error = g_error_new(SL_ERROR,
				    SL_ERROR_CONNECTION,
				    "no verdict within %u s (--timeout): nothing injected, VM not resumed",
				    seconds);
	return error;
}

static gboolean
sl_verify_flow_timeout_cb(gpointer user_data)
{
	SlVerifyFlow *self = user_data;

	self->timeout_id = 0;
	sl_verify_flow_fail(self, sl_verify_flow_timeout_error(self));
	return G_SOURCE_REMOVE;
}

static void
sl_verify_flow_cont_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlVerifyFlow *self = user_data;
	g_autoptr(JsonNode) reply = NULL;

	if (!sl_verify_flow_step_end(self,
				     res,
				     "cont",
				     SL_ERROR_PROTOCOL,
				     "measurement verified, but QEMU refused cont: ",
				     &reply))
		return;
	sl_report_add_bool(self->report, "resumed", TRUE);
	sl_verify_flow_complete(self);
}

static void
sl_verify_flow_resume(SlVerifyFlow *self)
{
	if (!self->options->resume) {
		sl_report_add_bool(self->report, "resumed", FALSE);
		sl_verify_flow_complete(self);
		return;
	}
	self->phase = SL_VERIFY_PHASE_RESUMING;
	sl_verify_flow_execute(self, "cont", NULL, sl_verify_flow_cont_cb);
}

static void
sl_verify_flow_inject_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlVerifyFlow *self = user_data;
	g_autoptr(JsonNode) reply = NULL;

	if (!sl_verify_flow_step_end(self,
				     res,
				     "sev-inject-launch-secret",
				     SL_ERROR_INJECTION_REFUSED,
				     "QEMU refused the launch secret (VM left paused): ",
				     &reply))
		return;
	sl_report_add_uint(
	    self->report, "secrets injected", sl_secret_table_get_count(self->options->secrets));
	sl_verify_flow_resume(self);
}

static void
sl_verify_flow_inject(SlVerifyFlow *self)
{
	const SlVerifyFlowOptions *options = self->options;
	g_autoptr(SlSecretPacket) packet = NULL;
	g_autoptr(JsonObject) args = json_object_new();
	GError *error = NULL;

	/* the packet's MAC binds the measurement the firmware reported */
	packet = sl_secret_packet_build(options->keys, self->reported, NULL, options->secrets, &error);
	if (packet == NULL) {
		sl_verify_flow_fail(self, error);
		return;
	}
	json_object_set_string_member(args, "packet-header", packet->header_base64);
	json_object_set_string_member(args, "secret", packet->payload_base64);
	if (options->has_secret_gpa)
		json_object_set_int_member(args, "gpa", (gint64)options->secret_gpa);
	self->phase = SL_VERIFY_PHASE_INJECTING;
	sl_verify_flow_execute(self, "sev-inject-launch-secret", args, sl_verify_flow_inject_cb);
}

static void
sl_verify_flow_quit_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlVerifyFlow *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) reply = qmp_client_execute_finish(self->client, res, &error);

	if (!sl_verify_flow_op_end(self))
		return;
	/* QEMU may close the socket before or right after its reply to quit */
	if (reply != NULL || g_error_matches(error, QMP_ERROR, QMP_ERROR_CLOSED))
		sl_report_add_string(self->report, "qemu quit", "yes");
	else
		sl_report_add_printf(self->report, "qemu quit", "no: %s", error->message);
	sl_verify_flow_fail(
	    self,
	    g_error_new_literal(SL_ERROR,
				SL_ERROR_MISMATCH,
				"launch measurement mismatch: nothing injected, QEMU told to quit"));
}

static void
sl_verify_flow_verify(SlVerifyFlow *self)
{
	const SlVerifyFlowOptions *options = self->options;
	guint8 digest[SL_SHA256_SIZE];
	GError *error = NULL;

	if (!sl_launch_artifacts_finish_digest(options->artifacts,
					       self->prefix,
					       self->guest.sev_es,
					       self->vcpus,
					       digest,
					       self->report,
					       &error)) {
		sl_verify_flow_fail(self, error);
		return;
	}
	if (!sl_verdict_check(options->artifacts,
			      self->prefix,
			      options->keys->tik,
			      &self->guest.params,
			      digest,
			      self->reported,
			      self->mnonce,
			      self->report,
			      &error)) {
		/* a mismatch never resumes; on request QEMU is told to quit */
		if (g_error_matches(error, SL_ERROR, SL_ERROR_MISMATCH) &&
		    options->on_mismatch == SL_ON_MISMATCH_QUIT) {
			g_error_free(error);
			self->phase = SL_VERIFY_PHASE_QUITTING;
			sl_verify_flow_execute(self, "quit", NULL, sl_verify_flow_quit_cb);
			return;
		}
		sl_verify_flow_fail(self, error);
		return;
	}
	if (options->secrets != NULL) {
		sl_verify_flow_inject(self);
		return;
	}
	sl_verify_flow_resume(self);
}

/* the verdict needs both the QMP answers and the hashing thread's result */
static void
sl_verify_flow_maybe_verify(SlVerifyFlow *self)
{
	if (self->task != NULL && self->prefix != NULL && self->qmp_done)
		sl_verify_flow_verify(self);
}

static void
sl_verify_flow_hash_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlVerifyFlow *self = user_data;
	GError *error = NULL;
	SlLaunchDigestPrefix *prefix = sl_launch_artifacts_hash_prefix_finish(NULL, res, &error);

	if (!sl_verify_flow_op_end(self)) {
		g_clear_error(&error);
		g_clear_pointer(&prefix, sl_launch_digest_prefix_free);
		return;
	}
	if (prefix == NULL) {
		sl_verify_flow_fail(self, error);
		return;
	}
	g_debug("artifacts hashed");
	self->prefix = prefix;
	sl_verify_flow_maybe_verify(self);
}

static void
sl_verify_flow_query_cpus_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlVerifyFlow *self = user_data;
	g_autoptr(JsonNode) reply = NULL;
	GError *error = NULL;

	if (!sl_verify_flow_step_end(
		self, res, "query-cpus-fast", SL_ERROR_PROTOCOL, "query-cpus-fast: ", &reply))
		return;
	if (!sl_sev_cpu_count_parse(reply, &self->vcpus, &error)) {
		sl_verify_flow_fail(self, error);
		return;
	}
	g_debug("QEMU has %u vCPUs", self->vcpus);
	self->qmp_done = TRUE;
	sl_verify_flow_maybe_verify(self);
}

static void
sl_verify_flow_measure_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlVerifyFlow *self = user_data;
	g_autoptr(JsonNode) reply = NULL;
	GError *error = NULL;

	if (!sl_verify_flow_step_end(self,
				     res,
				     "query-sev-launch-measure",
				     SL_ERROR_NOT_VERIFIABLE,
				     "query-sev-launch-measure: ",
				     &reply))
		return;
	if (!sl_sev_launch_measure_parse(reply, self->reported, self->mnonce, &error)) {
		sl_verify_flow_fail(self, error);
		return;
	}
	if (self->guest.sev_es && self->vcpus == 0) {
		sl_verify_flow_execute(self, "query-cpus-fast", NULL, sl_verify_flow_query_cpus_cb);
		return;
	}
	self->qmp_done = TRUE;
	sl_verify_flow_maybe_verify(self);
}

static void
sl_verify_flow_query_sev_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlVerifyFlow *self = user_data;
	g_autoptr(JsonNode) reply = NULL;
	GError *error = NULL;

	/* QEMU answers query-sev with an error when the guest has no SEV */
	if (!sl_verify_flow_step_end(self,
				     res,
				     "query-sev",
				     SL_ERROR_NOT_VERIFIABLE,
				     "SEV is not enabled for this guest: QEMU says: ",
				     &reply))
		return;
	if (!sl_sev_guest_info_parse(reply, &self->guest, &error) ||
	    !sl_verify_options_check_guest(self->options, &self->guest, self->vcpus, self->report, &error)) {
		sl_verify_flow_fail(self, error);
		return;
	}
	sl_verify_flow_execute(self, "query-sev-launch-measure", NULL, sl_verify_flow_measure_cb);
}

static void
sl_verify_flow_connect_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlVerifyFlow *self = user_data;
	GError *error = NULL;
	guint major = 0, minor = 0, micro = 0;
	gboolean connected = qmp_client_connect_finish(self->client, res, &error);

	if (!sl_verify_flow_op_end(self)) {
		g_clear_error(&error);
		return;
	}
	if (!connected && g_error_matches(error, QMP_ERROR, QMP_ERROR_TIMEOUT)) {
		g_error_free(error);
		sl_verify_flow_fail(self, sl_verify_flow_timeout_error(self));
		return;
	}
	if (!connected) {
		/* the QMP error names the address already */
		sl_verify_flow_fail(self, sl_verify_flow_map_qmp_error(error, "QMP"));
		return;
	}
	self->greeted = TRUE;
	if (qmp_client_get_qemu_version(self->client, &major, &minor, &micro))
		sl_report_add_printf(self->report, "qemu version", "%u.%u.%u", major, minor, micro);
	sl_verify_flow_execute(self, "query-sev", NULL, sl_verify_flow_query_sev_cb);
}

void
sl_verify_flow_run_async(const SlVerifyFlowOptions *options,
			 SlReport *report,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	SlVerifyFlow *self = g_new0(SlVerifyFlow, 1);
	g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);
	GError *error = NULL;

	g_task_set_source_tag(task, sl_verify_flow_run_async);
	/* the flow holds the task until it completes, then frees itself */
	self->task = g_object_ref(task);
	self->options = options;
	self->report = report;
	self->vcpus = options->vcpus;
	self->phase = SL_VERIFY_PHASE_QUERYING;
	self->cancellable = cancellable != NULL ? g_object_ref(cancellable) : NULL;
	self->client = qmp_client_new();
	/* one deadline, --wait + --timeout from now; no single command outlives it */
	if (options->timeout_ms > 0) {
		qmp_client_set_command_timeout(self->client, options->timeout_ms + options->wait_ms);
		self->timeout_id =
		    g_timeout_add(options->timeout_ms + options->wait_ms, sl_verify_flow_timeout_cb, self);
	}
	sl_verify_flow_op_begin(self);
	sl_launch_artifacts_hash_prefix_async(options->artifacts, cancellable, sl_verify_flow_hash_cb, self);
	if (!sl_verify_options_apply_tls(options, self->client, &error)) {
		sl_verify_flow_fail(self, error);
		return;
	}
	sl_verify_flow_op_begin(self);
	qmp_client_connect_async(self->client,
				 options->qmp_address,
				 options->wait_ms,
				 cancellable,
				 sl_verify_flow_connect_cb,
				 self);
}

gboolean
sl_verify_flow_run_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}
