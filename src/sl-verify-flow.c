/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "sevlaunch"

#include "qmp-address.h"
#include "qmp-client.h"
#include "qmp-error.h"
#include "qmp-tls.h"
#include "sl-crypto.h"
#include "sl-error.h"
#include "sl-secret-packet.h"
#include "sl-sev-info.h"
#include "sl-verify-flow.h"

/*
 * one verification, as a chain of callbacks on the main loop:
 *   connect -> query-sev -> query-sev-launch-measure [-> query-cpus-fast]
 *   -> (wait for the hashing thread) -> verify
 *   -> match: [sev-inject-launch-secret] -> [cont] -> done
 *   -> mismatch: [quit] -> fail
 * the artifacts are hashed on a worker thread while the QMP round trips run
 */
typedef struct {
	const SlVerifyFlowOptions *options;
	SlReport *report;
	QmpClient *client;
	GTask *task; /* NULL once completed */
	guint timeout_id;
	guint pending_ops; /* callbacks still to come: the flow lives until they ran */
	guint free_id;

	SlLaunchDigestPrefix *prefix;
	GError *hash_error;
	gboolean hash_done;
	gboolean qmp_done;
	GError *pending_error; /* first failure, reported once hashing stopped */

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
	g_clear_pointer(&self->prefix, sl_launch_digest_prefix_free);
	g_clear_error(&self->hash_error);
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

/* completes the task once, and only after the hashing thread has returned */
static void
sl_verify_flow_complete(SlVerifyFlow *self)
{
	GTask *task;

	if (!self->hash_done || self->task == NULL)
		return;
	if (self->timeout_id != 0) {
		g_source_remove(self->timeout_id);
		self->timeout_id = 0;
	}
	task = g_steal_pointer(&self->task);
	if (self->pending_error != NULL)
		g_task_return_error(task, g_steal_pointer(&self->pending_error));
	else
		g_task_return_boolean(task, TRUE);
	g_object_unref(task);
	/* closing the client makes any outstanding command call back, then we are freed */
	if (self->client != NULL)
		qmp_client_close(self->client);
	sl_verify_flow_maybe_free(self);
}

static void
sl_verify_flow_fail(SlVerifyFlow *self, GError *error)
{
	if (self->pending_error == NULL)
		self->pending_error = error;
	else
		g_error_free(error);
	/* nothing more goes to QEMU once a step failed */
	if (self->client != NULL)
		qmp_client_close(self->client);
	sl_verify_flow_complete(self);
}

static void
sl_verify_flow_succeed(SlVerifyFlow *self)
{
	if (self->client != NULL)
		qmp_client_close(self->client);
	sl_verify_flow_complete(self);
}

/* maps a failure of the QMP session itself onto the tool's error domain */
static GError *
sl_verify_flow_map_qmp_error(GError *error, const gchar *command)
{
	GError *mapped;
	SlError code = SL_ERROR_PROTOCOL;

	if (error->domain == SL_ERROR)
		return error;
	if (error->domain == QMP_ERROR &&
	    (error->code == QMP_ERROR_CONNECT || error->code == QMP_ERROR_CLOSED ||
	     error->code == QMP_ERROR_TIMEOUT || error->code == QMP_ERROR_CANCELLED))
		code = SL_ERROR_CONNECTION;
	else if (error->domain != QMP_ERROR)
		code = SL_ERROR_CONNECTION;
	if (command != NULL)
		mapped = g_error_new(SL_ERROR, code, "%s: %s", command, error->message);
	else
		mapped = g_error_new(SL_ERROR, code, "QMP: %s", error->message);
	g_error_free(error);
	return mapped;
}

/* TRUE if QEMU answered the command with an error reply (as opposed to the session failing) */
static gboolean
sl_verify_flow_is_command_error(const GError *error)
{
	return error->domain == QMP_ERROR &&
	       (error->code == QMP_ERROR_GENERIC_ERROR || error->code == QMP_ERROR_COMMAND_NOT_FOUND ||
		error->code == QMP_ERROR_DEVICE_NOT_ACTIVE || error->code == QMP_ERROR_DEVICE_NOT_FOUND ||
		error->code == QMP_ERROR_KVM_MISSING_CAP || error->code == QMP_ERROR_OTHER_CLASS);
}

static gboolean
sl_verify_flow_timeout_cb(gpointer user_data)
{
	SlVerifyFlow *self = user_data;
	self->timeout_id = 0;
	sl_verify_flow_fail(self,
			    g_error_new(SL_ERROR,
					SL_ERROR_CONNECTION,
					"no verdict within %u s (--timeout): VM left as it was",
					self->options->timeout_ms / 1000));
	return G_SOURCE_REMOVE;
}

static void sl_verify_flow_verify(SlVerifyFlow *self);

static void
sl_verify_flow_maybe_verify(SlVerifyFlow *self)
{
	if (self->task == NULL || self->pending_error != NULL)
		return;
	if (self->hash_done && self->qmp_done)
		sl_verify_flow_verify(self);
}

static void
sl_verify_flow_hash_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlVerifyFlow *self = user_data;
	GError *error = NULL;

	self->prefix = sl_launch_artifacts_hash_prefix_finish(self->options->artifacts, res, &error);
	self->hash_done = TRUE;
	self->pending_ops--;
	if (self->prefix == NULL) {
		sl_verify_flow_fail(self, error);
		return;
	}
	g_debug("artifacts hashed");
	if (self->task == NULL || self->pending_error != NULL) {
		sl_verify_flow_complete(self);
		return;
	}
	sl_verify_flow_maybe_verify(self);
}

static void
sl_verify_flow_cont_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlVerifyFlow *self = user_data;
	GError *error = NULL;
	g_autoptr(JsonNode) reply = qmp_client_execute_finish(QMP_CLIENT(source), res, &error);

	if (!sl_verify_flow_op_end(self)) {
		g_clear_error(&error);
		return;
	}

	if (reply == NULL) {
		g_prefix_error(&error, "measurement verified, but resuming the VM failed: ");
		sl_verify_flow_fail(self, sl_verify_flow_map_qmp_error(error, "cont"));
		return;
	}
	sl_report_add_bool(self->report, "resumed", TRUE);
	sl_verify_flow_succeed(self);
}

static void
sl_verify_flow_resume(SlVerifyFlow *self)
{
	if (!self->options->resume) {
		sl_report_add_bool(self->report, "resumed", FALSE);
		sl_verify_flow_succeed(self);
		return;
	}
	sl_verify_flow_op_begin(self);
	qmp_client_execute_async(self->client, "cont", NULL, NULL, sl_verify_flow_cont_cb, self);
}

static void
sl_verify_flow_inject_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlVerifyFlow *self = user_data;
	GError *error = NULL;
	g_autoptr(JsonNode) reply = qmp_client_execute_finish(QMP_CLIENT(source), res, &error);

	if (!sl_verify_flow_op_end(self)) {
		g_clear_error(&error);
		return;
	}

	if (reply == NULL) {
		if (sl_verify_flow_is_command_error(error)) {
			GError *refused = g_error_new(SL_ERROR,
						      SL_ERROR_INJECTION_REFUSED,
						      "QEMU refused the launch secret: %s; VM left paused",
						      error->message);
			g_error_free(error);
			sl_verify_flow_fail(self, refused);
			return;
		}
		sl_verify_flow_fail(self, sl_verify_flow_map_qmp_error(error, "sev-inject-launch-secret"));
		return;
	}
	sl_report_add_uint(self->report, "secrets injected", sl_secret_table_get_count(self->options->secrets));
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
	sl_verify_flow_op_begin(self);
	qmp_client_execute_async(self->client,
				 "sev-inject-launch-secret",
				 args,
				 NULL,
				 sl_verify_flow_inject_cb,
				 self);
}

static void
sl_verify_flow_quit_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlVerifyFlow *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) reply = qmp_client_execute_finish(QMP_CLIENT(source), res, &error);

	if (!sl_verify_flow_op_end(self)) {
		g_clear_error(&error);
		return;
	}

	/* QEMU may close the socket before or right after its reply to quit */
	if (reply == NULL && !g_error_matches(error, QMP_ERROR, QMP_ERROR_CLOSED))
		g_warning("quit after the mismatch failed: %s", error->message);
	sl_report_add_bool(self->report, "qemu quit", reply != NULL || error->code == QMP_ERROR_CLOSED);
	sl_verify_flow_fail(self,
			    g_error_new_literal(SL_ERROR,
						SL_ERROR_MISMATCH,
						"launch measurement mismatch: QEMU told to quit"));
}

static void
sl_verify_flow_mismatch(SlVerifyFlow *self, const guint8 expected[SL_MEASUREMENT_SIZE])
{
	sl_report_add_string(self->report, "verdict", "mismatch");
	sl_report_add_hex(self->report, "expected measurement", expected, SL_MEASUREMENT_SIZE);
	sl_report_add_hex(self->report, "reported measurement", self->reported, SL_MEASUREMENT_SIZE);
	sl_launch_artifacts_describe(self->options->artifacts, self->prefix, self->report);
	if (self->options->on_mismatch == SL_ON_MISMATCH_QUIT) {
		sl_verify_flow_op_begin(self);
	qmp_client_execute_async(self->client, "quit", NULL, NULL, sl_verify_flow_quit_cb, self);
		return;
	}
	sl_verify_flow_fail(self,
			    g_error_new_literal(SL_ERROR,
						SL_ERROR_MISMATCH,
						"launch measurement mismatch: VM left paused, nothing injected"));
}

static void
sl_verify_flow_verify(SlVerifyFlow *self)
{
	const SlVerifyFlowOptions *options = self->options;
	guint8 digest[SL_SHA256_SIZE];
	guint8 expected[SL_MEASUREMENT_SIZE];
	GError *error = NULL;

	if (!sl_launch_artifacts_finish_digest(options->artifacts,
					       self->prefix,
					       self->guest.sev_es,
					       self->vcpus,
					       digest,
					       self->report,
					       &error) ||
	    !sl_measurement_compute(options->keys->tik,
				    &self->guest.params,
				    digest,
				    self->mnonce,
				    expected,
				    &error)) {
		sl_verify_flow_fail(self, error);
		return;
	}
	sl_report_add_hex(self->report, "launch digest", digest, sizeof(digest));
	sl_report_add_hex(self->report, "mnonce", self->mnonce, sizeof(self->mnonce));
	if (!sl_memeq_secret(expected, self->reported, SL_MEASUREMENT_SIZE)) {
		sl_verify_flow_mismatch(self, expected);
		return;
	}
	sl_report_add_string(self->report, "verdict", "verified");
	sl_report_add_hex(self->report, "measurement", expected, sizeof(expected));
	if (options->secrets != NULL) {
		sl_verify_flow_inject(self);
		return;
	}
	sl_verify_flow_resume(self);
}

static void
sl_verify_flow_query_cpus_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlVerifyFlow *self = user_data;
	GError *error = NULL;
	g_autoptr(JsonNode) reply = qmp_client_execute_finish(QMP_CLIENT(source), res, &error);

	if (!sl_verify_flow_op_end(self)) {
		g_clear_error(&error);
		return;
	}

	if (reply == NULL) {
		sl_verify_flow_fail(self, sl_verify_flow_map_qmp_error(error, "query-cpus-fast"));
		return;
	}
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
	GError *error = NULL;
	g_autoptr(JsonNode) reply = qmp_client_execute_finish(QMP_CLIENT(source), res, &error);

	if (!sl_verify_flow_op_end(self)) {
		g_clear_error(&error);
		return;
	}

	if (reply == NULL) {
		if (sl_verify_flow_is_command_error(error)) {
			g_prefix_error(&error, "query-sev-launch-measure: ");
			error->domain = SL_ERROR;
			error->code = SL_ERROR_NOT_VERIFIABLE;
			sl_verify_flow_fail(self, error);
			return;
		}
		sl_verify_flow_fail(self, sl_verify_flow_map_qmp_error(error, "query-sev-launch-measure"));
		return;
	}
	if (!sl_sev_launch_measure_parse(reply, self->reported, self->mnonce, &error)) {
		sl_verify_flow_fail(self, error);
		return;
	}
	if (self->guest.sev_es && self->vcpus == 0) {
		sl_verify_flow_op_begin(self);
	qmp_client_execute_async(self->client,
					 "query-cpus-fast",
					 NULL,
					 NULL,
					 sl_verify_flow_query_cpus_cb,
					 self);
		return;
	}
	self->qmp_done = TRUE;
	sl_verify_flow_maybe_verify(self);
}

/* what QEMU reported must be something we are willing to verify */
static gboolean
sl_verify_flow_check_guest(SlVerifyFlow *self, GError **error)
{
	const SlVerifyFlowOptions *options = self->options;
	const SlLaunchParams *params = &self->guest.params;

	sl_report_add_printf(self->report, "api version", "%u.%u", params->api_major, params->api_minor);
	sl_report_add_uint(self->report, "build id", params->build_id);
	sl_report_add_printf(self->report, "policy", "0x%x", params->policy);
	if (g_strcmp0(self->guest.state, SL_SEV_STATE_LAUNCH_SECRET) != 0) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "guest SEV state is '%s', expected '%s' (a paused guest started with -S)",
			    self->guest.state,
			    SL_SEV_STATE_LAUNCH_SECRET);
		return FALSE;
	}
	if (options->has_expect_policy && options->expect_policy != params->policy) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "guest policy is 0x%x, --expect-policy wants 0x%x",
			    params->policy,
			    options->expect_policy);
		return FALSE;
	}
	if (options->require_sev_es && !self->guest.sev_es) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "--sev-es given, but guest policy 0x%x has no SEV-ES bit (0x4)",
			    params->policy);
		return FALSE;
	}
	if (!self->guest.sev_es && (options->vcpus != 0 || options->artifacts->vmsa_source != SL_VMSA_SOURCE_NONE)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "SEV-ES vCPU options were given, but guest policy 0x%x is not SEV-ES",
			    params->policy);
		return FALSE;
	}
	/* SEV-ES needs a vCPU state source: say so before asking QEMU anything else */
	if (self->guest.sev_es && options->artifacts->vmsa_source == SL_VMSA_SOURCE_NONE)
		return sl_launch_artifacts_check_sev_es(options->artifacts, MAX(self->vcpus, 1), error);
	return TRUE;
}

static void
sl_verify_flow_query_sev_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlVerifyFlow *self = user_data;
	GError *error = NULL;
	g_autoptr(JsonNode) reply = qmp_client_execute_finish(QMP_CLIENT(source), res, &error);

	if (!sl_verify_flow_op_end(self)) {
		g_clear_error(&error);
		return;
	}

	if (reply == NULL) {
		/* QEMU answers query-sev with an error when the guest has no SEV */
		if (sl_verify_flow_is_command_error(error)) {
			GError *off = g_error_new(SL_ERROR,
						  SL_ERROR_NOT_VERIFIABLE,
						  "SEV is not enabled for this guest (QEMU: %s)",
						  error->message);
			g_error_free(error);
			sl_verify_flow_fail(self, off);
			return;
		}
		sl_verify_flow_fail(self, sl_verify_flow_map_qmp_error(error, "query-sev"));
		return;
	}
	if (!sl_sev_guest_info_parse(reply, &self->guest, &error) ||
	    !sl_verify_flow_check_guest(self, &error)) {
		sl_verify_flow_fail(self, error);
		return;
	}
	sl_verify_flow_op_begin(self);
	qmp_client_execute_async(self->client,
				 "query-sev-launch-measure",
				 NULL,
				 NULL,
				 sl_verify_flow_measure_cb,
				 self);
}

static void
sl_verify_flow_connect_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlVerifyFlow *self = user_data;
	GError *error = NULL;
	guint major = 0, minor = 0, micro = 0;
	gboolean connected = qmp_client_connect_finish(QMP_CLIENT(source), res, &error);

	if (!sl_verify_flow_op_end(self)) {
		g_clear_error(&error);
		return;
	}
	if (!connected) {
		g_prefix_error(&error, "%s: ", self->options->qmp_address);
		sl_verify_flow_fail(self, sl_verify_flow_map_qmp_error(error, NULL));
		return;
	}
	if (qmp_client_get_qemu_version(self->client, &major, &minor, &micro))
		sl_report_add_printf(self->report, "qemu version", "%u.%u.%u", major, minor, micro);
	sl_verify_flow_op_begin(self);
	qmp_client_execute_async(self->client, "query-sev", NULL, NULL, sl_verify_flow_query_sev_cb, self);
}

/* a credentials file that cannot be read or used is an input error (exit 2) */
static void
sl_verify_flow_set_tls_error(GError **error, const GError *error_local)
{
	SlError code = SL_ERROR_INVALID_ARGUMENT;

	if (error_local->domain == G_FILE_ERROR)
		code = SL_ERROR_READ;
	else if (error_local->domain == G_TLS_ERROR)
		code = SL_ERROR_INVALID_DATA;
	g_set_error(error, SL_ERROR, code, "--qmp-tls-creds: %s", error_local->message);
}

/* the directory was checked before; it is read again for the client */
static gboolean
sl_verify_flow_setup_tls(SlVerifyFlow *self, GError **error)
{
	const SlVerifyFlowOptions *options = self->options;
	g_autoptr(GError) error_local = NULL;

	if (options->qmp_tls_creds == NULL)
		return TRUE;
	if (!qmp_client_set_tls_creds_dir(self->client, options->qmp_tls_creds, &error_local)) {
		sl_verify_flow_set_tls_error(error, error_local);
		return FALSE;
	}
	if (options->qmp_tls_hostname != NULL)
		qmp_client_set_tls_hostname(self->client, options->qmp_tls_hostname);
	return TRUE;
}

void
sl_verify_flow_run_async(const SlVerifyFlowOptions *options,
			 SlReport *report,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	SlVerifyFlow *self = g_new0(SlVerifyFlow, 1);
	GTask *task = g_task_new(NULL, cancellable, callback, user_data);
	GError *error = NULL;

	g_task_set_source_tag(task, sl_verify_flow_run_async);
	/* the flow holds the task until it completes, then frees itself */
	self->task = g_object_ref(task);
	self->options = options;
	self->report = report;
	self->vcpus = options->vcpus;
	self->client = qmp_client_new();
	if (options->timeout_ms > 0) {
		qmp_client_set_command_timeout(self->client, options->timeout_ms);
		self->timeout_id = g_timeout_add(options->timeout_ms + options->wait_ms,
						 sl_verify_flow_timeout_cb,
						 self);
	}
	sl_verify_flow_op_begin(self);
	sl_launch_artifacts_hash_prefix_async(options->artifacts, NULL, sl_verify_flow_hash_cb, self);
	/* failing here completes the task once the hashing has stopped */
	if (!sl_verify_flow_setup_tls(self, &error)) {
		sl_verify_flow_fail(self, error);
		g_object_unref(task);
		return;
	}
	sl_verify_flow_op_begin(self);
	qmp_client_connect_async(self->client,
				 options->qmp_address,
				 options->wait_ms,
				 NULL,
				 sl_verify_flow_connect_cb,
				 self);
	g_object_unref(task);
}

gboolean
sl_verify_flow_run_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* where the secret will land, decided before anything is sent */
static gboolean
sl_verify_flow_check_secret_area(const SlVerifyFlowOptions *options, GError **error)
{
	SlLaunchArtifacts *artifacts = options->artifacts;
	gsize table_size = sl_secret_table_get_padded_size(options->secrets);
	guint32 base = 0, size = 0;
	gboolean has_area = sl_ovmf_get_secret_area(artifacts->ovmf, &base, &size);

	if (!options->has_secret_gpa) {
		if (!has_area || base == 0 || size == 0) {
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "firmware %s has no usable secret area (%s): pass --secret-gpa ADDRESS",
				    artifacts->firmware,
				    has_area ? "its base is 0" : "none declared");
			return FALSE;
		}
	} else if (!has_area || options->secret_gpa != base) {
		/* an address the firmware does not declare: its size cannot be checked here */
		g_debug("secret goes to --secret-gpa 0x%" G_GINT64_MODIFIER "x, outside the firmware's secret area",
			options->secret_gpa);
		return TRUE;
	}
	if (table_size > size) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "the secret table needs %" G_GSIZE_FORMAT " bytes, but the firmware's secret area "
			    "holds %u",
			    table_size,
			    size);
		return FALSE;
	}
	return TRUE;
}

/* TLS options are usage errors until proven otherwise: nothing is sent yet */
static gboolean
sl_verify_flow_check_tls(const SlVerifyFlowOptions *options, GSocketConnectable *address, GError **error)
{
	g_autoptr(GTlsDatabase) database = NULL;
	g_autoptr(GTlsCertificate) certificate = NULL;
	g_autoptr(GError) error_local = NULL;

	if (options->qmp_tls_creds == NULL) {
		if (options->qmp_tls_hostname != NULL) {
			g_set_error_literal(error,
					    SL_ERROR,
					    SL_ERROR_INVALID_ARGUMENT,
					    "--qmp-tls-hostname needs --qmp-tls-creds");
			return FALSE;
		}
		return TRUE;
	}
	if (!G_IS_NETWORK_ADDRESS(address)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "--qmp-tls-creds needs a tcp:HOST:PORT --qmp address, not '%s'",
			    options->qmp_address);
		return FALSE;
	}
	if (options->qmp_tls_hostname != NULL && options->qmp_tls_hostname[0] == '\0') {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "--qmp-tls-hostname needs a name");
		return FALSE;
	}
	if (!qmp_tls_load_creds_dir(options->qmp_tls_creds, &database, &certificate, &error_local)) {
		sl_verify_flow_set_tls_error(error, error_local);
		return FALSE;
	}
	return TRUE;
}

gboolean
sl_verify_flow_check_options(const SlVerifyFlowOptions *options, GError **error)
{
	g_autoptr(GSocketConnectable) address = NULL;
	g_autoptr(GError) error_local = NULL;

	if (options->qmp_address == NULL || options->qmp_address[0] == '\0') {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "--qmp needs an address");
		return FALSE;
	}
	/* a typo in the address is a usage error, not a connection failure */
	address = qmp_address_parse(options->qmp_address, &error_local);
	if (address == NULL) {
		g_set_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "--qmp: %s", error_local->message);
		return FALSE;
	}
	if (!sl_verify_flow_check_tls(options, address, error))
		return FALSE;
	if (options->artifacts->ovmf == NULL) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INTERNAL, "artifacts were not checked");
		return FALSE;
	}
	if (options->secrets == NULL) {
		if (options->has_secret_gpa) {
			g_set_error_literal(error,
					    SL_ERROR,
					    SL_ERROR_INVALID_ARGUMENT,
					    "--secret-gpa needs --secret");
			return FALSE;
		}
		return TRUE;
	}
	if (options->keys->tek == NULL) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "--secret needs a TEK: pass --tek FILE or --tk FILE");
		return FALSE;
	}
	return sl_verify_flow_check_secret_area(options, error);
}
