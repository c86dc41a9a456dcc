/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * the list values of 'manifest build': "1-64", "1,2,4", "1-4,8";
 * "EPYC-Milan,EPYC-Genoa"; "legacy,init2"; "0,0x20". Duplicates are
 * refused, so each combination is made once.
 */

/* of guint, ascending */
GArray *
sl_cli_list_parse_counts(const gchar *text, const gchar *what, guint min, guint max, GError **error);
/* of gchar *, each a known QEMU CPU model */
GPtrArray *
sl_cli_list_parse_cpus(const gchar *text, const gchar *what, GError **error);
/* of SlVmsaVariant */
GArray *
sl_cli_list_parse_variants(const gchar *text, const gchar *what, GError **error);
/* of guint64, hexadecimal as --sev-features takes them */
GArray *
sl_cli_list_parse_u64(const gchar *text, const gchar *what, GError **error);

G_END_DECLS
