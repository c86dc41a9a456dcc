/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * checked reads of a JSON document someone else wrote (a launch state, a
 * packet): every member is type-checked before it is read, so a wrong type
 * is an SL_ERROR_INVALID_DATA naming the member ("guest.policy"), never a
 * GLib critical. @object may be NULL (then every member is missing).
 */

/* parses @text (at most @len bytes, not NUL-terminated) as one JSON object */
JsonNode *
sl_json_read_document(const gchar *text, gsize len, const gchar *what, GError **error);

/* an object member; with @optional a missing or null member gives *out = NULL */
gboolean
sl_json_read_object(JsonObject *object,
		    const gchar *path,
		    const gchar *name,
		    gboolean optional,
		    JsonObject **out,
		    GError **error);
/* a string member; with @optional a missing or null member gives *out = NULL */
gboolean
sl_json_read_string(JsonObject *object,
		    const gchar *path,
		    const gchar *name,
		    gboolean optional,
		    const gchar **out,
		    GError **error);
/* an integer member in [@min, @max]; with @optional a missing or null member leaves *out */
gboolean
sl_json_read_int(JsonObject *object,
		 const gchar *path,
		 const gchar *name,
		 gboolean optional,
		 gint64 min,
		 gint64 max,
		 gint64 *out,
		 GError **error);
gboolean
sl_json_read_bool(JsonObject *object, const gchar *path, const gchar *name, gboolean *out, GError **error);
/* lowercase or uppercase hex of exactly @len bytes */
gboolean
sl_json_read_hex(
    JsonObject *object, const gchar *path, const gchar *name, guint8 *out, gsize len, GError **error);

G_END_DECLS
