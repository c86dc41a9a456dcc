/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "sevlaunch"

#include "sl-qemu-sev-reply.h"
#include "sl-qemu-sev.h"

/* how one command's failures read */
typedef struct {
	const gchar *name;
	SlError reply_code;        /* QEMU answered with an error reply */
	const gchar *reply_prefix; /* before QEMU's words */
	gboolean ends_session;     /* the connection closing is its success */
} SlQemuSevCommand;

static const SlQemuSevCommand sl_qemu_sev_query_sev = {
    "query-sev", SL_ERROR_NOT_VERIFIABLE, "SEV is not enabled for this guest: QEMU says: ", FALSE};
static const SlQemuSevCommand sl_qemu_sev_query_launch_measure = {
    "query-sev-launch-measure", SL_ERROR_NOT_VERIFIABLE, "query-sev-launch-measure: ", FALSE};
static const SlQemuSevCommand sl_qemu_sev_query_cpus_fast = {
    "query-cpus-fast", SL_ERROR_PROTOCOL, "query-cpus-fast: ", FALSE};
static const SlQemuSevCommand sl_qemu_sev_query_status = {
    "query-status", SL_ERROR_PROTOCOL, "query-status: ", FALSE};
static const SlQemuSevCommand sl_qemu_sev_query_version = {
    "query-version", SL_ERROR_PROTOCOL, "query-version: ", FALSE};
static const SlQemuSevCommand sl_qemu_sev_query_capabilities = {
    "query-sev-capabilities",
    SL_ERROR_NOT_VERIFIABLE,
    "SEV is not available on this host: QEMU says: ",
    FALSE};
static const SlQemuSevCommand sl_qemu_sev_inject_launch_secret = {
    "sev-inject-launch-secret",
    SL_ERROR_INJECTION_REFUSED,
    "QEMU refused the launch secret (VM left paused): ",
    FALSE};
static const SlQemuSevCommand sl_qemu_sev_cont = {"cont", SL_ERROR_PROTOCOL, "QEMU refused cont: ", FALSE};
static const SlQemuSevCommand sl_qemu_sev_quit = {"quit", SL_ERROR_PROTOCOL, "QEMU refused quit: ", TRUE};

/* TRUE if QEMU answered with an error reply, rather than the session failing */
static gboolean
sl_qemu_sev_is_error_reply(const GError *error)
{
	return error->domain == QMP_ERROR &&
	       (error->code == QMP_ERROR_GENERIC_ERROR || error->code == QMP_ERROR_COMMAND_NOT_FOUND ||
		error->code == QMP_ERROR_DEVICE_NOT_ACTIVE || error->code == QMP_ERROR_DEVICE_NOT_FOUND ||
		error->code == QMP_ERROR_KVM_MISSING_CAP || error->code == QMP_ERROR_OTHER_CLASS);
}

GError *
sl_qemu_sev_error_new(GError *error, const gchar *command, SlError reply_code, const gchar *reply_prefix)
{
	g_autoptr(GError) error_owned = error;
	SlError code = SL_ERROR_CONNECTION;

	if (error->domain == SL_ERROR || g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return g_steal_pointer(&error_owned);
	if (sl_qemu_sev_is_error_reply(error))
		return g_error_new(SL_ERROR, reply_code, "%s%s", reply_prefix, error->message);
	if (error->domain == QMP_ERROR && error->code == QMP_ERROR_PROTOCOL)
		code = SL_ERROR_PROTOCOL;
	return g_error_new(SL_ERROR, code, "%s: %s", command, error->message);
}

static void
sl_qemu_sev_execute_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	const SlQemuSevCommand *command = g_task_get_task_data(task);
	GError *error = NULL;
	JsonNode *reply = qmp_client_execute_finish(QMP_CLIENT(source), res, &error);

	if (reply == NULL && command->ends_session && g_error_matches(error, QMP_ERROR, QMP_ERROR_CLOSED)) {
		g_clear_error(&error);
		reply = json_node_new(JSON_NODE_NULL);
	}
	if (reply == NULL) {
		g_task_return_error(
		    task,
		    sl_qemu_sev_error_new(error, command->name, command->reply_code, command->reply_prefix));
		return;
	}
	g_task_return_pointer(task, reply, (GDestroyNotify)json_node_unref);
}

static void
sl_qemu_sev_execute(QmpClient *client,
		    const SlQemuSevCommand *command,
		    JsonObject *arguments,
		    gpointer source_tag,
		    GCancellable *cancellable,
		    GAsyncReadyCallback callback,
		    gpointer user_data)
{
	GTask *task = g_task_new(client, cancellable, callback, user_data);

	g_task_set_source_tag(task, source_tag);
	g_task_set_task_data(task, (gpointer)command, NULL);
	/* the client reports cancellation itself, and drops the late reply */
	g_task_set_check_cancellable(task, FALSE);
	qmp_client_execute_async(client, command->name, arguments, cancellable, sl_qemu_sev_execute_cb, task);
}

/* the reply (new ref), or NULL with the mapped error */
static JsonNode *
sl_qemu_sev_execute_finish(QmpClient *client, GAsyncResult *result, gpointer source_tag, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, client), NULL);
	g_return_val_if_fail(g_task_get_source_tag(G_TASK(result)) == source_tag, NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

void
sl_qemu_sev_query_sev_async(QmpClient *client,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	sl_qemu_sev_execute(client,
			    &sl_qemu_sev_query_sev,
			    NULL,
			    sl_qemu_sev_query_sev_async,
			    cancellable,
			    callback,
			    user_data);
}

gboolean
sl_qemu_sev_query_sev_finish(QmpClient *client, GAsyncResult *result, SlSevGuestInfo *info, GError **error)
{
	g_autoptr(JsonNode) reply =
	    sl_qemu_sev_execute_finish(client, result, sl_qemu_sev_query_sev_async, error);

	return reply != NULL && sl_qemu_sev_reply_parse_query_sev(reply, info, error);
}

void
sl_qemu_sev_query_launch_measure_async(QmpClient *client,
				       GCancellable *cancellable,
				       GAsyncReadyCallback callback,
				       gpointer user_data)
{
	sl_qemu_sev_execute(client,
			    &sl_qemu_sev_query_launch_measure,
			    NULL,
			    sl_qemu_sev_query_launch_measure_async,
			    cancellable,
			    callback,
			    user_data);
}

gboolean
sl_qemu_sev_query_launch_measure_finish(QmpClient *client,
					GAsyncResult *result,
					guint8 measurement[SL_MEASUREMENT_SIZE],
					guint8 mnonce[SL_MNONCE_SIZE],
					GError **error)
{
	g_autoptr(JsonNode) reply =
	    sl_qemu_sev_execute_finish(client, result, sl_qemu_sev_query_launch_measure_async, error);

	return reply != NULL && sl_qemu_sev_reply_parse_launch_measure(reply, measurement, mnonce, error);
}

void
sl_qemu_sev_query_cpus_fast_async(QmpClient *client,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	sl_qemu_sev_execute(client,
			    &sl_qemu_sev_query_cpus_fast,
			    NULL,
			    sl_qemu_sev_query_cpus_fast_async,
			    cancellable,
			    callback,
			    user_data);
}

gboolean
sl_qemu_sev_query_cpus_fast_finish(QmpClient *client, GAsyncResult *result, guint *count, GError **error)
{
	g_autoptr(JsonNode) reply =
	    sl_qemu_sev_execute_finish(client, result, sl_qemu_sev_query_cpus_fast_async, error);

	return reply != NULL && sl_qemu_sev_reply_parse_cpus_fast(reply, count, error);
}

void
sl_qemu_sev_query_status_async(QmpClient *client,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	sl_qemu_sev_execute(client,
			    &sl_qemu_sev_query_status,
			    NULL,
			    sl_qemu_sev_query_status_async,
			    cancellable,
			    callback,
			    user_data);
}

gboolean
sl_qemu_sev_query_status_finish(
    QmpClient *client, GAsyncResult *result, gboolean *running, gchar **status, GError **error)
{
	g_autoptr(JsonNode) reply =
	    sl_qemu_sev_execute_finish(client, result, sl_qemu_sev_query_status_async, error);

	return reply != NULL && sl_qemu_sev_reply_parse_status(reply, running, status, error);
}

void
sl_qemu_sev_query_version_async(QmpClient *client,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	sl_qemu_sev_execute(client,
			    &sl_qemu_sev_query_version,
			    NULL,
			    sl_qemu_sev_query_version_async,
			    cancellable,
			    callback,
			    user_data);
}

gboolean
sl_qemu_sev_query_version_finish(
    QmpClient *client, GAsyncResult *result, guint *major, guint *minor, guint *micro, GError **error)
{
	g_autoptr(JsonNode) reply =
	    sl_qemu_sev_execute_finish(client, result, sl_qemu_sev_query_version_async, error);

	return reply != NULL && sl_qemu_sev_reply_parse_version(reply, major, minor, micro, error);
}

void
sl_qemu_sev_query_capabilities_async(QmpClient *client,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data)
{
	sl_qemu_sev_execute(client,
			    &sl_qemu_sev_query_capabilities,
			    NULL,
			    sl_qemu_sev_query_capabilities_async,
			    cancellable,
			    callback,
			    user_data);
}

gboolean
sl_qemu_sev_query_capabilities_finish(QmpClient *client,
				      GAsyncResult *result,
				      SlSevCapabilities *caps,
				      GError **error)
{
	g_autoptr(JsonNode) reply =
	    sl_qemu_sev_execute_finish(client, result, sl_qemu_sev_query_capabilities_async, error);

	return reply != NULL && sl_qemu_sev_reply_parse_capabilities(reply, caps, error);
}

void
sl_qemu_sev_inject_launch_secret_async(QmpClient *client,
				       const gchar *header_base64,
				       const gchar *payload_base64,
				       gboolean has_gpa,
				       guint64 gpa,
				       GCancellable *cancellable,
				       GAsyncReadyCallback callback,
				       gpointer user_data)
{
	g_autoptr(JsonObject) args = json_object_new();

	json_object_set_string_member(args, "packet-header", header_base64);
	json_object_set_string_member(args, "secret", payload_base64);
	/* QEMU takes gpa as a signed 64-bit value; callers refuse larger ones */
	if (has_gpa)
		json_object_set_int_member(args, "gpa", (gint64)gpa);
	sl_qemu_sev_execute(client,
			    &sl_qemu_sev_inject_launch_secret,
			    args,
			    sl_qemu_sev_inject_launch_secret_async,
			    cancellable,
			    callback,
			    user_data);
}

gboolean
sl_qemu_sev_inject_launch_secret_finish(QmpClient *client, GAsyncResult *result, GError **error)
{
	g_autoptr(JsonNode) reply =
	    sl_qemu_sev_execute_finish(client, result, sl_qemu_sev_inject_launch_secret_async, error);

	return reply != NULL;
}

void
sl_qemu_sev_cont_async(QmpClient *client,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	sl_qemu_sev_execute(
	    client, &sl_qemu_sev_cont, NULL, sl_qemu_sev_cont_async, cancellable, callback, user_data);
}

gboolean
sl_qemu_sev_cont_finish(QmpClient *client, GAsyncResult *result, GError **error)
{
	g_autoptr(JsonNode) reply = sl_qemu_sev_execute_finish(client, result, sl_qemu_sev_cont_async, error);

	return reply != NULL;
}

void
sl_qemu_sev_quit_async(QmpClient *client,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	sl_qemu_sev_execute(
	    client, &sl_qemu_sev_quit, NULL, sl_qemu_sev_quit_async, cancellable, callback, user_data);
}

gboolean
sl_qemu_sev_quit_finish(QmpClient *client, GAsyncResult *result, GError **error)
{
	g_autoptr(JsonNode) reply = sl_qemu_sev_execute_finish(client, result, sl_qemu_sev_quit_async, error);

	return reply != NULL;
}
