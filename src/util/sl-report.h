/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * what a command tells its user, as ordered key/value pairs, so the same
 * result prints as "key: value" lines or as one JSON object (--json);
 * nothing secret is ever added to a report
 */
typedef struct _SlReport SlReport;

SlReport *
sl_report_new(void);
void
sl_report_free(SlReport *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlReport, sl_report_free)

void
sl_report_add_string(SlReport *self, const gchar *key, const gchar *value);
void
sl_report_add_printf(SlReport *self, const gchar *key, const gchar *format, ...) G_GNUC_PRINTF(3, 4);
void
sl_report_add_uint(SlReport *self, const gchar *key, guint64 value);
void
sl_report_add_hex(SlReport *self, const gchar *key, const guint8 *data, gsize len);
void
sl_report_add_bool(SlReport *self, const gchar *key, gboolean value);

gboolean
sl_report_has_key(const SlReport *self, const gchar *key);

/*
 * one line of plain text: text from QEMU ends up in values and errors, and no
 * line break or terminal escape sequence of a peer's gets through
 */
gchar *
sl_report_sanitize(const gchar *text);

/* text: one "key: value" line each; json: one object on one line */
gchar *
sl_report_to_text(const SlReport *self);
gchar *
sl_report_to_json(const SlReport *self);
void
sl_report_print(const SlReport *self, gboolean as_json);

G_END_DECLS
