/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-launch-target.h"

G_DEFINE_INTERFACE(SlLaunchTarget, sl_launch_target, G_TYPE_OBJECT)

static void
sl_launch_target_default_init(SlLaunchTargetInterface *iface)
{
}

void
sl_sev_guest_info_clear(SlSevGuestInfo *info)
{
	g_clear_pointer(&info->state, g_free);
}

SlLaunchInfo *
sl_launch_info_new(void)
{
	return g_new0(SlLaunchInfo, 1);
}

void
sl_launch_info_free(SlLaunchInfo *info)
{
	if (info == NULL)
		return;
	sl_sev_guest_info_clear(&info->guest);
	g_free(info->run_state);
	g_free(info);
}

/* every implementation completes a GTask with the target as source object */
static gboolean
sl_launch_target_propagate_boolean(SlLaunchTarget *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(SL_IS_LAUNCH_TARGET(self), FALSE);
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

void
sl_launch_target_open_async(SlLaunchTarget *self,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	g_return_if_fail(SL_IS_LAUNCH_TARGET(self));
	SL_LAUNCH_TARGET_GET_IFACE(self)->open_async(self, cancellable, callback, user_data);
}

gboolean
sl_launch_target_open_finish(SlLaunchTarget *self, GAsyncResult *result, GError **error)
{
	return sl_launch_target_propagate_boolean(self, result, error);
}

void
sl_launch_target_add_to_report(SlLaunchTarget *self, SlReport *report)
{
	SlLaunchTargetInterface *iface;

	g_return_if_fail(SL_IS_LAUNCH_TARGET(self));
	iface = SL_LAUNCH_TARGET_GET_IFACE(self);
	if (iface->add_to_report != NULL)
		iface->add_to_report(self, report);
}

gchar *
sl_launch_target_describe_open_timeout(SlLaunchTarget *self, guint seconds)
{
	SlLaunchTargetInterface *iface;

	g_return_val_if_fail(SL_IS_LAUNCH_TARGET(self), NULL);
	iface = SL_LAUNCH_TARGET_GET_IFACE(self);
	if (iface->describe_open_timeout == NULL)
		return NULL;
	return iface->describe_open_timeout(self, seconds);
}

void
sl_launch_target_read_info_async(SlLaunchTarget *self,
				 SlLaunchInfoFlags what,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	g_return_if_fail(SL_IS_LAUNCH_TARGET(self));
	SL_LAUNCH_TARGET_GET_IFACE(self)->read_info_async(self, what, cancellable, callback, user_data);
}

SlLaunchInfo *
sl_launch_target_read_info_finish(SlLaunchTarget *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(SL_IS_LAUNCH_TARGET(self), NULL);
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

void
sl_launch_target_inject_secret_async(SlLaunchTarget *self,
				     const gchar *header_base64,
				     const gchar *payload_base64,
				     gboolean has_gpa,
				     guint64 gpa,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data)
{
	g_return_if_fail(SL_IS_LAUNCH_TARGET(self));
	g_return_if_fail(header_base64 != NULL && payload_base64 != NULL);
	SL_LAUNCH_TARGET_GET_IFACE(self)->inject_secret_async(
	    self, header_base64, payload_base64, has_gpa, gpa, cancellable, callback, user_data);
}

gboolean
sl_launch_target_inject_secret_finish(SlLaunchTarget *self, GAsyncResult *result, GError **error)
{
	return sl_launch_target_propagate_boolean(self, result, error);
}

void
sl_launch_target_resume_async(SlLaunchTarget *self,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	g_return_if_fail(SL_IS_LAUNCH_TARGET(self));
	SL_LAUNCH_TARGET_GET_IFACE(self)->resume_async(self, cancellable, callback, user_data);
}

gboolean
sl_launch_target_resume_finish(SlLaunchTarget *self, GAsyncResult *result, GError **error)
{
	return sl_launch_target_propagate_boolean(self, result, error);
}

void
sl_launch_target_quit_async(SlLaunchTarget *self,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	g_return_if_fail(SL_IS_LAUNCH_TARGET(self));
	SL_LAUNCH_TARGET_GET_IFACE(self)->quit_async(self, cancellable, callback, user_data);
}

gboolean
sl_launch_target_quit_finish(SlLaunchTarget *self, GAsyncResult *result, GError **error)
{
	return sl_launch_target_propagate_boolean(self, result, error);
}

void
sl_launch_target_close(SlLaunchTarget *self)
{
	g_return_if_fail(SL_IS_LAUNCH_TARGET(self));
	SL_LAUNCH_TARGET_GET_IFACE(self)->close(self);
}
