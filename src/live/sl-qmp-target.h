/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "qmp-client.h"
#include "sl-launch-target.h"

G_BEGIN_DECLS

/* where and how to reach QEMU's monitor; all borrowed by sl_qmp_target_new() */
typedef struct {
	const gchar *address;      /* unix:PATH, PATH, tcp:HOST:PORT */
	const gchar *tls_creds;    /* QEMU's x509 client directory; NULL: no TLS */
	const gchar *tls_hostname; /* NULL: the host of the tcp address */
	gboolean allow_open_permissions;
	guint wait_ms;            /* retry connecting for this long */
	guint command_timeout_ms; /* per command and for the greeting; 0: none */
} SlQmpTargetOptions;

/* an SlLaunchTarget that is QEMU, over its QMP monitor */
#define SL_TYPE_QMP_TARGET (sl_qmp_target_get_type())
G_DECLARE_FINAL_TYPE(SlQmpTarget, sl_qmp_target, SL, QMP_TARGET, GObject)

/*
 * checks @options (a bad address or unusable TLS credentials are input
 * errors: nothing is sent) and loads the TLS credentials; connects only on
 * sl_launch_target_open_async()
 */
SlQmpTarget *
sl_qmp_target_new(const SlQmpTargetOptions *options, GError **error);
/* for commands the launch target does not cover (sl-qemu-sev.h) */
QmpClient *
sl_qmp_target_get_client(SlQmpTarget *self);

G_END_DECLS
