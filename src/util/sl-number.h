/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * parses a decimal or 0x-prefixed hexadecimal number from an option value;
 * trailing junk, signs and out-of-range values are refused with an error
 * naming @what (the option, e.g. "--policy")
 */
gboolean
sl_number_parse(const gchar *text, const gchar *what, guint64 min, guint64 max, guint64 *out, GError **error);

/* as above, but a bare value is taken as hexadecimal (for --cpu-signature, --sev-features) */
gboolean
sl_number_parse_hex(const gchar *text, const gchar *what, guint64 max, guint64 *out, GError **error);

G_END_DECLS
