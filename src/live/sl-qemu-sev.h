/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "qmp-client.h"
#include "sl-error.h"
#include "sl-launch-target.h"
#include "sl-qemu-sev-reply.h"

G_BEGIN_DECLS

/* the id prefix of every command sevlaunch sends, as a monitor log shows it */
#define SL_QEMU_SEV_ID_PREFIX "__sevlaunch#"

/*
 * the one place a failed QMP call becomes an SlError: an error reply from
 * QEMU becomes @reply_code with @reply_prefix before QEMU's words; a session
 * that broke is SL_ERROR_CONNECTION (cannot connect, closed, timed out) or
 * SL_ERROR_PROTOCOL, "@command: ..."; G_IO_ERROR_CANCELLED and SL_ERROR
 * errors are returned as they are. Takes @error.
 */
GError *
sl_qemu_sev_error_new(GError *error, const gchar *command, SlError reply_code, const gchar *reply_prefix);

/*
 * QEMU's commands of an SEV launch, each an async call on a connected
 * @client with its reply parsed (sl-qemu-sev-reply.h) and every failure
 * mapped by sl_qemu_sev_error_new()
 */

/* an error reply means the guest has no SEV: SL_ERROR_NOT_VERIFIABLE */
void
sl_qemu_sev_query_sev_async(QmpClient *client,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
gboolean
sl_qemu_sev_query_sev_finish(QmpClient *client, GAsyncResult *result, SlSevGuestInfo *info, GError **error);

void
sl_qemu_sev_query_launch_measure_async(QmpClient *client,
				       GCancellable *cancellable,
				       GAsyncReadyCallback callback,
				       gpointer user_data);
gboolean
sl_qemu_sev_query_launch_measure_finish(QmpClient *client,
					GAsyncResult *result,
					guint8 measurement[SL_MEASUREMENT_SIZE],
					guint8 mnonce[SL_MNONCE_SIZE],
					GError **error);

void
sl_qemu_sev_query_cpus_fast_async(QmpClient *client,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
gboolean
sl_qemu_sev_query_cpus_fast_finish(QmpClient *client, GAsyncResult *result, guint *count, GError **error);

void
sl_qemu_sev_query_status_async(QmpClient *client,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
gboolean
sl_qemu_sev_query_status_finish(
    QmpClient *client, GAsyncResult *result, gboolean *running, gchar **status, GError **error);

void
sl_qemu_sev_query_version_async(QmpClient *client,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
gboolean
sl_qemu_sev_query_version_finish(
    QmpClient *client, GAsyncResult *result, guint *major, guint *minor, guint *micro, GError **error);

/* an error reply means the platform has no SEV: SL_ERROR_NOT_VERIFIABLE */
void
sl_qemu_sev_query_capabilities_async(QmpClient *client,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data);
gboolean
sl_qemu_sev_query_capabilities_finish(QmpClient *client,
				      GAsyncResult *result,
				      SlSevCapabilities *caps,
				      GError **error);

/* an error reply is SL_ERROR_INJECTION_REFUSED */
void
sl_qemu_sev_inject_launch_secret_async(QmpClient *client,
				       const gchar *header_base64,
				       const gchar *payload_base64,
				       gboolean has_gpa,
				       guint64 gpa,
				       GCancellable *cancellable,
				       GAsyncReadyCallback callback,
				       gpointer user_data);
gboolean
sl_qemu_sev_inject_launch_secret_finish(QmpClient *client, GAsyncResult *result, GError **error);

void
sl_qemu_sev_cont_async(QmpClient *client,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data);
gboolean
sl_qemu_sev_cont_finish(QmpClient *client, GAsyncResult *result, GError **error);

/* QEMU may close the socket before or right after its reply: both succeed */
void
sl_qemu_sev_quit_async(QmpClient *client,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data);
gboolean
sl_qemu_sev_quit_finish(QmpClient *client, GAsyncResult *result, GError **error);

G_END_DECLS
