/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * checked readers for untrusted JSON: a missing member or one of the wrong
 * type is a QMP_ERROR_PROTOCOL naming the member and the expected type,
 * never a GLib critical; outputs are only written on success
 */
gboolean
qmp_json_get_object(JsonObject *obj, const gchar *member, JsonObject **out, GError **error);
gboolean
qmp_json_get_string(JsonObject *obj, const gchar *member, const gchar **out, GError **error);
gboolean
qmp_json_get_int(JsonObject *obj, const gchar *member, gint64 *out, GError **error);
gboolean
qmp_json_get_bool(JsonObject *obj, const gchar *member, gboolean *out, GError **error);
gboolean
qmp_json_get_array(JsonObject *obj, const gchar *member, JsonArray **out, GError **error);
gboolean
qmp_json_has_member(JsonObject *obj, const gchar *member);
JsonObject *
qmp_json_node_get_object(JsonNode *node, const gchar *what, GError **error);

/* "a string", "an object", "null"...: for error messages */
const gchar *
qmp_json_node_describe(JsonNode *node);

G_END_DECLS
