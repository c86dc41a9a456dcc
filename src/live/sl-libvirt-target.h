/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-launch-target.h"

G_BEGIN_DECLS

/* which domain, where; all borrowed by sl_libvirt_target_new() */
typedef struct {
	const gchar *uri;    /* qemu:///system, qemu+ssh://HOST/system, qemu+tls://... */
	const gchar *domain; /* a name, UUID or ID, looked up as virsh does */
	gboolean start;      /* open starts the shut-off domain with its vCPUs paused */
} SlLibvirtTargetOptions;

/*
 * an SlLaunchTarget that is a libvirt domain, through libvirt's API (local or
 * remote). Every libvirt call blocks, so each runs on a GTask worker thread;
 * libvirt's headers stay in the .c file. open connects, looks the domain up,
 * [starts it paused,] and refuses a domain whose XML the measurement cannot
 * vouch for (sl-domain-xml.h). quit is virDomainDestroy.
 */
#define SL_TYPE_LIBVIRT_TARGET (sl_libvirt_target_get_type())
G_DECLARE_FINAL_TYPE(SlLibvirtTarget, sl_libvirt_target, SL, LIBVIRT_TARGET, GObject)

/* an empty URI or domain is SL_ERROR_INVALID_ARGUMENT */
SlLibvirtTarget *
sl_libvirt_target_new(const SlLibvirtTargetOptions *options, GError **error);

/* TRUE once open started the domain: a failure after that is the caller's to clean up */
gboolean
sl_libvirt_target_get_started(SlLibvirtTarget *self);

/*
 * virDomainDestroy of the domain this target started, over a connection of
 * its own (the target may be closed): how `start` fails closed
 */
void
sl_libvirt_target_destroy_started_async(SlLibvirtTarget *self,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data);
gboolean
sl_libvirt_target_destroy_started_finish(SlLibvirtTarget *self, GAsyncResult *result, GError **error);

G_END_DECLS
