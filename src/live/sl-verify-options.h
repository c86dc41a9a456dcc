/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "qmp-client.h"
#include "sl-launch-artifacts.h"
#include "sl-launch-keys.h"
#include "sl-report.h"
#include "sl-secret-table.h"
#include "sl-sev-info.h"

G_BEGIN_DECLS

typedef enum {
	SL_ON_MISMATCH_PAUSE, /* leave the VM paused for the operator */
	SL_ON_MISMATCH_QUIT,  /* quit QEMU: no half-launched VM left behind */
} SlOnMismatch;

/* everything the live verification needs; all borrowed for the flow's lifetime */
typedef struct {
	const gchar *qmp_address;
	const gchar *qmp_tls_creds;    /* QEMU's x509 client directory; NULL: no TLS */
	const gchar *qmp_tls_hostname; /* NULL: the host of the tcp address */
	gboolean allow_open_permissions;
	guint wait_ms;
	guint timeout_ms;
	gboolean resume;
	SlOnMismatch on_mismatch;
	gboolean has_expect_policy;
	guint32 expect_policy;
	gboolean require_sev_es; /* --sev-es: the guest must be SEV-ES */
	guint vcpus;             /* 0: ask QEMU with query-cpus-fast */
	SlLaunchArtifacts *artifacts;
	SlLaunchKeys *keys;
	SlSecretTable *secrets; /* NULL: nothing to inject */
	gboolean has_secret_gpa;
	guint64 secret_gpa;
} SlVerifyFlowOptions;

/* the checks that need no guest, run before anything is sent to QEMU */
gboolean
sl_verify_options_check(const SlVerifyFlowOptions *options, GError **error);

/*
 * what query-sev reported must be something these options can verify: the
 * right state and policy, SEV-ES inputs exactly when the guest is SEV-ES;
 * @report gets what QEMU said
 */
gboolean
sl_verify_options_check_guest(const SlVerifyFlowOptions *options,
			      const SlSevGuestInfo *guest,
			      guint vcpus,
			      SlReport *report,
			      GError **error);

/* hands the TLS credentials (checked before) to @client */
gboolean
sl_verify_options_apply_tls(const SlVerifyFlowOptions *options, QmpClient *client, GError **error);

G_END_DECLS
