/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * AMD's public ARK and ASK of each processor generation, built into the tool
 * (amd-certs/, see its PROVENANCE.md) so that a chain can be checked without
 * fetching anything
 */

/* naples, rome, milan, genoa, turin; NULL-terminated, static */
const gchar *const *
sl_amd_keys_get_generations(void);
/* the certificate of @usage (SL_SEV_USAGE_ARK or SL_SEV_USAGE_ASK) for @generation */
GBytes *
sl_amd_keys_lookup(const gchar *generation, guint32 usage, GError **error);

G_END_DECLS
