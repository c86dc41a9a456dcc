/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SL_GUID_SIZE 16

/* a GUID in the EFI byte order used by firmware tables (first three fields LE) */
typedef struct {
	guint8 bytes[SL_GUID_SIZE];
} SlGuid;

/* parses "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", case-insensitive */
gboolean
sl_guid_parse(const gchar *text, SlGuid *guid, GError **error);
/* for compile-time constants known to be well formed: aborts otherwise */
SlGuid
sl_guid_from_string(const gchar *text);
gchar *
sl_guid_to_string(const SlGuid *guid);
gboolean
sl_guid_equal(const SlGuid *a, const SlGuid *b);

G_END_DECLS
