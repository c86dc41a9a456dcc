/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sl-measurement.h"
#include "sl-report.h"

G_BEGIN_DECLS

/* SEV certificates as the firmware exports them (AMD SEV API, appendix C) */
#define SL_LAUNCH_STATE_CERT_SIZE 2084
#define SL_LAUNCH_STATE_CPU0_ID_MAX 64

/*
 * what the host says about a paused SEV guest, as `sevlaunch query` prints
 * it and `verify --launch-state` reads it (docs/json/query.schema.json):
 * everything in it came from the host, and only the measurement, which the
 * owner checks under the TIK, vouches for any of it
 */
typedef struct {
	gchar *qemu_version; /* NULL: not known */
	guint qemu_major, qemu_minor, qemu_micro;
	gchar *state; /* "launch-secret" */
	gboolean sev_es;
	SlLaunchParams params;
	guint vcpus; /* 0: not known */
	guint8 measurement[SL_MEASUREMENT_SIZE];
	guint8 mnonce[SL_MNONCE_SIZE];
	/* from query-sev-capabilities, when QEMU answered it */
	gboolean has_platform;
	GBytes *pdh;        /* one certificate */
	GBytes *cert_chain; /* PEK || OCA || CEK */
	GBytes *cpu0_id;    /* NULL: not reported (QEMU < 7.1) */
	guint cbitpos;
	guint reduced_phys_bits;
} SlLaunchState;

SlLaunchState *
sl_launch_state_new(void);
void
sl_launch_state_free(SlLaunchState *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlLaunchState, sl_launch_state_free)

/* the members of the document: qemu, guest, launch_measure, platform */
void
sl_launch_state_describe(const SlLaunchState *self, SlReport *report);

/*
 * reads a document `query` printed: schema_version 1, command "query",
 * exit_code 0 (a failed query is refused, with its error); anything
 * malformed is SL_ERROR_INVALID_DATA naming the member
 */
SlLaunchState *
sl_launch_state_parse(const gchar *text, gsize len, GError **error);

G_END_DECLS
