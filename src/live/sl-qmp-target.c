/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "sevlaunch"

#include <glib/gstdio.h>

#include "qmp-address.h"
#include "qmp-tls.h"
#include "sl-qemu-sev.h"
#include "sl-qmp-target.h"

struct _SlQmpTarget {
	GObject parent_instance;
	QmpClient *client;
	gchar *address;
	guint wait_ms;
	gboolean has_tls;
	gboolean opened; /* greeting and capabilities went through */
};

static void
sl_qmp_target_iface_init(SlLaunchTargetInterface *iface);

G_DEFINE_TYPE_WITH_CODE(SlQmpTarget,
			sl_qmp_target,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(SL_TYPE_LAUNCH_TARGET, sl_qmp_target_iface_init))

/* a credentials file that cannot be read or used is an input error (exit 2) */
static void
sl_qmp_target_set_tls_error(GError **error, const GError *error_local)
{
	SlError code = SL_ERROR_INVALID_ARGUMENT;

	if (error_local->domain == G_FILE_ERROR)
		code = SL_ERROR_READ;
	else if (error_local->domain == G_TLS_ERROR)
		code = SL_ERROR_INVALID_DATA;
	g_set_error(error, SL_ERROR, code, "--qmp-tls-creds: %s", error_local->message);
}

/* the client key is a private key: the rule for key files applies to it too */
static gboolean
sl_qmp_target_check_tls_key(const SlQmpTargetOptions *options, GError **error)
{
	g_autofree gchar *path = g_build_filename(options->tls_creds, QMP_TLS_CLIENT_KEY_FILE, NULL);
	GStatBuf st;

	if (g_stat(path, &st) != 0)
		return TRUE; /* no client key: the credentials loader says whether that is fine */
	if ((st.st_mode & (S_IRGRP | S_IROTH)) != 0 && !options->allow_open_permissions) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_PERMISSION,
			    "TLS client key %s is readable by group or others (mode %04o): "
			    "chmod 600 it, or pass --allow-open-permissions",
			    path,
			    (guint)(st.st_mode & 07777));
		return FALSE;
	}
	return TRUE;
}

/* TLS options are usage errors until proven otherwise: nothing is sent yet */
static gboolean
sl_qmp_target_check_tls(const SlQmpTargetOptions *options, GSocketConnectable *address, GError **error)
{
	if (options->tls_creds == NULL) {
		if (options->tls_hostname != NULL) {
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
			    options->address);
		return FALSE;
	}
	if (options->tls_hostname != NULL && options->tls_hostname[0] == '\0') {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "--qmp-tls-hostname needs a name");
		return FALSE;
	}
	return TRUE;
}

static gboolean
sl_qmp_target_apply_tls(SlQmpTarget *self, const SlQmpTargetOptions *options, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (options->tls_creds == NULL)
		return TRUE;
	if (!qmp_client_set_tls_creds_dir(self->client, options->tls_creds, &error_local)) {
		sl_qmp_target_set_tls_error(error, error_local);
		return FALSE;
	}
	if (!sl_qmp_target_check_tls_key(options, error))
		return FALSE;
	if (options->tls_hostname != NULL)
		qmp_client_set_tls_hostname(self->client, options->tls_hostname);
	self->has_tls = TRUE;
	return TRUE;
}

SlQmpTarget *
sl_qmp_target_new(const SlQmpTargetOptions *options, GError **error)
{
	g_autoptr(SlQmpTarget) self = NULL;
	g_autoptr(GSocketConnectable) address = NULL;
	g_autoptr(GError) error_local = NULL;

	if (options->address == NULL || options->address[0] == '\0') {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "--qmp needs an address");
		return NULL;
	}
	/* a typo in the address is a usage error, not a connection failure */
	address = qmp_address_parse(options->address, &error_local);
	if (address == NULL) {
		g_set_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "--qmp: %s", error_local->message);
		return NULL;
	}
	if (!sl_qmp_target_check_tls(options, address, error))
		return NULL;
	self = g_object_new(SL_TYPE_QMP_TARGET, NULL);
	self->address = g_strdup(options->address);
	self->wait_ms = options->wait_ms;
	qmp_client_set_command_timeout(self->client, options->command_timeout_ms);
	if (!sl_qmp_target_apply_tls(self, options, error))
		return NULL;
	return g_steal_pointer(&self);
}

QmpClient *
sl_qmp_target_get_client(SlQmpTarget *self)
{
	g_return_val_if_fail(SL_IS_QMP_TARGET(self), NULL);
	return self->client;
}

static void
sl_qmp_target_open_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	SlQmpTarget *self = g_task_get_source_object(task);
	GError *error = NULL;

	if (!qmp_client_connect_finish(QMP_CLIENT(source), res, &error)) {
		/* the QMP error names the address already */
		g_task_return_error(task, sl_qemu_sev_error_new(error, "QMP", SL_ERROR_PROTOCOL, "QMP: "));
		return;
	}
	self->opened = TRUE;
	g_task_return_boolean(task, TRUE);
}

static void
sl_qmp_target_open_async(SlLaunchTarget *target,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	SlQmpTarget *self = SL_QMP_TARGET(target);
	GTask *task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, sl_qmp_target_open_async);
	g_task_set_check_cancellable(task, FALSE);
	qmp_client_connect_async(
	    self->client, self->address, self->wait_ms, cancellable, sl_qmp_target_open_cb, task);
}

static void
sl_qmp_target_add_to_report(SlLaunchTarget *target, SlReport *report)
{
	SlQmpTarget *self = SL_QMP_TARGET(target);
	guint major = 0, minor = 0, micro = 0;

	g_autofree gchar *version = NULL;

	if (!qmp_client_get_qemu_version(self->client, &major, &minor, &micro))
		return;
	version = g_strdup_printf("%u.%u.%u", major, minor, micro);
	sl_report_begin_object(report, "qemu");
	sl_report_add_string(report, "version", version);
	sl_report_add_uint(report, "major", major);
	sl_report_add_uint(report, "minor", minor);
	sl_report_add_uint(report, "micro", micro);
	sl_report_end_object(report);
}

static gchar *
sl_qmp_target_describe_open_timeout(SlLaunchTarget *target, guint seconds)
{
	SlQmpTarget *self = SL_QMP_TARGET(target);

	if (self->opened)
		return NULL;
	/* QEMU serves one monitor client at a time: the next waits, unanswered */
	if (self->has_tls)
		return g_strdup_printf("no QMP greeting within %u s (--timeout): another client "
				       "(such as libvirt) may hold the monitor",
				       seconds);
	/* and a TLS monitor waits for our hello while we wait for its greeting */
	return g_strdup_printf("no QMP greeting within %u s (--timeout): another client (such as "
			       "libvirt) may hold the monitor, or it is served with TLS "
			       "(pass --qmp-tls-creds)",
			       seconds);
}

/* read_info: one command per group asked for, in the order of SlLaunchInfoFlags */
typedef struct {
	SlLaunchInfoFlags todo;
	SlLaunchInfo *info;
} SlQmpTargetRead;

static void
sl_qmp_target_read_free(SlQmpTargetRead *read)
{
	sl_launch_info_free(read->info);
	g_free(read);
}

static void
sl_qmp_target_read_next(GTask *task);

static gboolean
sl_qmp_target_read_finish_step(QmpClient *client, GAsyncResult *res, SlQmpTargetRead *read, GError **error)
{
	SlLaunchInfo *info = read->info;

	if ((read->todo & SL_LAUNCH_INFO_GUEST) != 0) {
		read->todo &= ~SL_LAUNCH_INFO_GUEST;
		info->have |= SL_LAUNCH_INFO_GUEST;
		return sl_qemu_sev_query_sev_finish(client, res, &info->guest, error);
	}
	if ((read->todo & SL_LAUNCH_INFO_MEASUREMENT) != 0) {
		read->todo &= ~SL_LAUNCH_INFO_MEASUREMENT;
		info->have |= SL_LAUNCH_INFO_MEASUREMENT;
		return sl_qemu_sev_query_launch_measure_finish(
		    client, res, info->measurement, info->mnonce, error);
	}
	if ((read->todo & SL_LAUNCH_INFO_VCPUS) != 0) {
		read->todo &= ~SL_LAUNCH_INFO_VCPUS;
		info->have |= SL_LAUNCH_INFO_VCPUS;
		return sl_qemu_sev_query_cpus_fast_finish(client, res, &info->vcpus, error);
	}
	read->todo &= ~SL_LAUNCH_INFO_RUN_STATE;
	info->have |= SL_LAUNCH_INFO_RUN_STATE;
	return sl_qemu_sev_query_status_finish(client, res, &info->running, &info->run_state, error);
}

static void
sl_qmp_target_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;

	if (!sl_qmp_target_read_finish_step(QMP_CLIENT(source), res, g_task_get_task_data(task), &error)) {
		g_task_return_error(task, error);
		return;
	}
	sl_qmp_target_read_next(g_steal_pointer(&task));
}

/* takes @task */
static void
sl_qmp_target_read_next(GTask *task)
{
	SlQmpTarget *self = g_task_get_source_object(task);
	SlQmpTargetRead *read = g_task_get_task_data(task);
	GCancellable *cancellable = g_task_get_cancellable(task);

	if ((read->todo & SL_LAUNCH_INFO_GUEST) != 0)
		sl_qemu_sev_query_sev_async(self->client, cancellable, sl_qmp_target_read_cb, task);
	else if ((read->todo & SL_LAUNCH_INFO_MEASUREMENT) != 0)
		sl_qemu_sev_query_launch_measure_async(
		    self->client, cancellable, sl_qmp_target_read_cb, task);
	else if ((read->todo & SL_LAUNCH_INFO_VCPUS) != 0)
		sl_qemu_sev_query_cpus_fast_async(self->client, cancellable, sl_qmp_target_read_cb, task);
	else if ((read->todo & SL_LAUNCH_INFO_RUN_STATE) != 0)
		sl_qemu_sev_query_status_async(self->client, cancellable, sl_qmp_target_read_cb, task);
	else {
		g_task_return_pointer(
		    task, g_steal_pointer(&read->info), (GDestroyNotify)sl_launch_info_free);
		g_object_unref(task);
	}
}

static void
sl_qmp_target_read_info_async(SlLaunchTarget *target,
			      SlLaunchInfoFlags what,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	GTask *task = g_task_new(target, cancellable, callback, user_data);
	SlQmpTargetRead *read = g_new0(SlQmpTargetRead, 1);

	g_task_set_source_tag(task, sl_qmp_target_read_info_async);
	g_task_set_check_cancellable(task, FALSE);
	read->todo = what;
	read->info = sl_launch_info_new();
	g_task_set_task_data(task, read, (GDestroyNotify)sl_qmp_target_read_free);
	sl_qmp_target_read_next(task);
}

/* the one-command methods: the wrapper's boolean becomes the task's */
typedef gboolean (*SlQmpTargetFinishFunc)(QmpClient *client, GAsyncResult *result, GError **error);

static void
sl_qmp_target_command_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	SlQmpTargetFinishFunc finish = (SlQmpTargetFinishFunc)g_task_get_task_data(task);
	GError *error = NULL;

	if (!finish(QMP_CLIENT(source), res, &error)) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static GTask *
sl_qmp_target_command_task_new(SlLaunchTarget *target,
			       SlQmpTargetFinishFunc finish,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	GTask *task = g_task_new(target, cancellable, callback, user_data);

	g_task_set_source_tag(task, finish);
	g_task_set_check_cancellable(task, FALSE);
	g_task_set_task_data(task, (gpointer)finish, NULL);
	return task;
}

static void
sl_qmp_target_inject_secret_async(SlLaunchTarget *target,
				  const gchar *header_base64,
				  const gchar *payload_base64,
				  gboolean has_gpa,
				  guint64 gpa,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	GTask *task = sl_qmp_target_command_task_new(
	    target, sl_qemu_sev_inject_launch_secret_finish, cancellable, callback, user_data);

	sl_qemu_sev_inject_launch_secret_async(SL_QMP_TARGET(target)->client,
					       header_base64,
					       payload_base64,
					       has_gpa,
					       gpa,
					       cancellable,
					       sl_qmp_target_command_cb,
					       task);
}

static void
sl_qmp_target_resume_async(SlLaunchTarget *target,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	GTask *task =
	    sl_qmp_target_command_task_new(target, sl_qemu_sev_cont_finish, cancellable, callback, user_data);

	sl_qemu_sev_cont_async(SL_QMP_TARGET(target)->client, cancellable, sl_qmp_target_command_cb, task);
}

static void
sl_qmp_target_quit_async(SlLaunchTarget *target,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	GTask *task =
	    sl_qmp_target_command_task_new(target, sl_qemu_sev_quit_finish, cancellable, callback, user_data);

	sl_qemu_sev_quit_async(SL_QMP_TARGET(target)->client, cancellable, sl_qmp_target_command_cb, task);
}

static void
sl_qmp_target_close(SlLaunchTarget *target)
{
	qmp_client_close(SL_QMP_TARGET(target)->client);
}

static void
sl_qmp_target_iface_init(SlLaunchTargetInterface *iface)
{
	iface->open_async = sl_qmp_target_open_async;
	iface->add_to_report = sl_qmp_target_add_to_report;
	iface->describe_open_timeout = sl_qmp_target_describe_open_timeout;
	iface->read_info_async = sl_qmp_target_read_info_async;
	iface->inject_secret_async = sl_qmp_target_inject_secret_async;
	iface->resume_async = sl_qmp_target_resume_async;
	iface->quit_async = sl_qmp_target_quit_async;
	iface->close = sl_qmp_target_close;
}

static void
sl_qmp_target_init(SlQmpTarget *self)
{
	self->client = qmp_client_new();
	qmp_client_set_id_prefix(self->client, SL_QEMU_SEV_ID_PREFIX);
}

static void
sl_qmp_target_dispose(GObject *object)
{
	SlQmpTarget *self = SL_QMP_TARGET(object);

	if (self->client != NULL)
		qmp_client_close(self->client);
	g_clear_object(&self->client);
	G_OBJECT_CLASS(sl_qmp_target_parent_class)->dispose(object);
}

static void
sl_qmp_target_finalize(GObject *object)
{
	SlQmpTarget *self = SL_QMP_TARGET(object);

	g_free(self->address);
	G_OBJECT_CLASS(sl_qmp_target_parent_class)->finalize(object);
}

static void
sl_qmp_target_class_init(SlQmpTargetClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = sl_qmp_target_dispose;
	object_class->finalize = sl_qmp_target_finalize;
}
