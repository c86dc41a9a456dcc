/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-launch-artifacts.h"
#include "sl-launch-keys.h"
#include "sl-launch-requirements.h"
#include "sl-launch-target.h"
#include "sl-manifest.h"
#include "sl-report.h"
#include "sl-secret-table.h"

G_BEGIN_DECLS

typedef enum {
	SL_ON_MISMATCH_PAUSE, /* leave the VM paused for the operator */
	SL_ON_MISMATCH_QUIT,  /* quit QEMU: no half-launched VM left behind */
} SlOnMismatch;

/*
 * everything the live verification needs besides the target; all borrowed
 * for the flow's lifetime
 */
typedef struct {
	guint wait_ms;    /* the target may take this long to appear ... */
	guint timeout_ms; /* ... and then this long to a verdict and resume */
	gboolean resume;
	SlOnMismatch on_mismatch;
	gboolean has_expect_policy;
	guint32 expect_policy;
	gboolean require_sev_es;                  /* --sev-es: the guest must be SEV-ES */
	guint vcpus;                              /* 0: ask QEMU with query-cpus-fast */
	SlLaunchArtifacts *artifacts;             /* NULL with a manifest */
	const SlManifest *manifest;               /* reference values instead of artifacts */
	const SlLaunchRequirements *requirements; /* the owner's rules; NULL: none */
	gboolean explain;                         /* on a mismatch, search what would match */
	SlLaunchKeys *keys;
	SlSecretTable *secrets; /* NULL: nothing to inject */
	gboolean has_secret_gpa;
	guint64 secret_gpa;
} SlVerifyFlowOptions;

/* the checks that need no guest, run before anything is sent to the VM */
gboolean
sl_verify_options_check(const SlVerifyFlowOptions *options, GError **error);

/*
 * what the target reported must be something these options can verify: the
 * right state and policy, SEV-ES inputs exactly when the guest is SEV-ES;
 * @report gets what QEMU said
 */
gboolean
sl_verify_options_check_guest(const SlVerifyFlowOptions *options,
			      const SlSevGuestInfo *guest,
			      guint vcpus,
			      SlReport *report,
			      GError **error);

G_END_DECLS
