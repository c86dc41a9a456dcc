/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-cli.h"

/*
 * sevlaunch start: libvirt's own autostart resumes a domain unverified, so
 * this starts it paused (VIR_DOMAIN_START_PAUSED), verifies, injects and
 * resumes, and destroys it on any failure; the options are verify's
 */
gint
sl_cmd_start(gint argc, gchar **argv)
{
	return sl_cmd_verify_run(argc, argv, TRUE);
}
