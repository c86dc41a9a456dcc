/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-cli.h"
#include "sl-qmp-target.h"
#include "sl-verify-options.h"

G_BEGIN_DECLS

#define SL_CLI_LIBVIRT_START_SUMMARY                                                                         \
	"Start a libvirt domain paused, verify its launch measurement, inject secrets\n"                     \
	"and resume only on a match. Any failure destroys the domain (--on-mismatch\n"                       \
	"pause leaves a mismatching one paused). The options are verify's, without\n"                        \
	"--qmp: --connect URI --domain NAME."

/* a libvirt domain as the host: -c/--connect URI -o/--domain NAME|UUID|ID */
typedef struct {
	gchar *connect;
	gchar *domain;
	gboolean start; /* sevlaunch start: the target starts the domain paused first */
} SlCliLibvirtOptions;

void
sl_cli_libvirt_options_clear(SlCliLibvirtOptions *self);
void
sl_cli_add_libvirt_options(GOptionContext *context, SlCliOptions *cli, SlCliLibvirtOptions *self);

/*
 * the launch target: a libvirt domain with --connect (or for start), where
 * the QMP options are refused; else QEMU at @qmp. In a build without the
 * libvirt feature --connect is an input error saying so.
 */
SlLaunchTarget *
sl_cli_target_new(const SlCliLibvirtOptions *self,
		  const SlQmpTargetOptions *qmp,
		  gboolean wait_given,
		  GError **error);

/*
 * start fails closed: after a failed run, the domain @target started is
 * destroyed, unless a mismatch was to stay paused (or the flow already
 * destroyed it); @error's message gets what became of the domain
 */
void
sl_cli_libvirt_fail_closed(SlLaunchTarget *target, SlOnMismatch on_mismatch, GError *error);

G_END_DECLS
