/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* the version of every JSON document sevlaunch prints; bumped on any incompatible change */
#define SL_REPORT_SCHEMA_VERSION 1

/*
 * what a command tells its user: a tree of typed values (a json-glib JsonNode
 * underneath) that prints as indented "key: value" text for people, or as
 * ONE JSON object for pipelines (--json):
 *
 *   {"schema_version": 1, "command": "verify", ...members..., "exit_code": 0}
 *   and on failure also "error": {"class": "mismatch", "message": "..."}
 *
 * the contract for the JSON (docs/json/COMMAND.schema.json, one per command):
 * - numbers are numbers (policy, API version, build id, vCPUs, sizes, GPAs);
 *   use sl_report_add_uint_hex() where people read the value in hex: the
 *   JSON still gets a number, the text gets "0x...";
 * - flags are booleans, digests lowercase hex (sl_report_add_hex), lists
 *   arrays, related values nested objects; never "base 0x1 size 0x2" strings;
 * - a member name is lower case with words joined by '_' (a space or '-' in
 *   @key becomes '_'; the text output shows ' ' again);
 * - strings are made valid UTF-8 when added (a peer's invalid bytes become
 *   U+FFFD), and the text output turns control characters and line breaks
 *   into '?' and ' ': nothing a peer sends can forge a line or an escape;
 * - nothing secret is ever added to a report (keys, secrets, MACs under the
 *   TIK that a host could replay).
 *
 * building: every sl_report_add_*() adds a member to the object being built
 * (the top-level one at first); sl_report_begin_object()/_begin_array()
 * open a nested container until the matching _end_*(). Inside an array pass
 * NULL as @key. Adding a member that exists replaces its value in place;
 * sl_report_begin_object() on an existing object member continues it (so
 * "guest" can be filled in by two steps of a flow).
 *
 *   sl_report_begin_object(report, "guest");
 *   sl_report_add_uint(report, "api_major", 1);
 *   sl_report_add_uint_hex(report, "policy", 0x5);
 *   sl_report_end_object(report);
 *   sl_report_begin_array(report, "secrets_injected");
 *   sl_report_add_string(report, NULL, "736869e5-84f0-4973-92ec-06879ce3da0b");
 *   sl_report_end_array(report);
 *
 * the CLI ends a run with sl_report_set_result() (exit_code, error) and
 * sl_report_print().
 */
typedef struct _SlReport SlReport;

SlReport *
sl_report_new(const gchar *command);
void
sl_report_free(SlReport *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlReport, sl_report_free)

const gchar *
sl_report_get_command(const SlReport *self);

/* @value NULL adds JSON null ("(none)" in text) */
void
sl_report_add_string(SlReport *self, const gchar *key, const gchar *value);
/* JSON numbers hold integers up to G_MAXINT64; a larger value is a programming error */
void
sl_report_add_int(SlReport *self, const gchar *key, gint64 value);
void
sl_report_add_uint(SlReport *self, const gchar *key, guint64 value);
/* a number in JSON, "0x..." in the text */
void
sl_report_add_uint_hex(SlReport *self, const gchar *key, guint64 value);
void
sl_report_add_bool(SlReport *self, const gchar *key, gboolean value);
/* lowercase hex of @data */
void
sl_report_add_hex(SlReport *self, const gchar *key, const guint8 *data, gsize len);
/* standard base64 of @data (encrypted packets, certificates: never a secret) */
void
sl_report_add_base64(SlReport *self, const gchar *key, const guint8 *data, gsize len);
/* JSON null */
void
sl_report_add_null(SlReport *self, const gchar *key);

void
sl_report_begin_object(SlReport *self, const gchar *key);
void
sl_report_end_object(SlReport *self);
void
sl_report_begin_array(SlReport *self, const gchar *key);
void
sl_report_end_array(SlReport *self);

/* TRUE if the top-level object has @key */
gboolean
sl_report_has_key(const SlReport *self, const gchar *key);
/* TRUE if the object being built has @key */
gboolean
sl_report_has_member(const SlReport *self, const gchar *key);

/* "exit_code" from @error (0 when NULL) and, with an error, "error" {class, message} */
void
sl_report_set_result(SlReport *self, const GError *error);

/*
 * one line of plain text: text from QEMU ends up in values and errors, and no
 * line break or terminal escape sequence of a peer's gets through; invalid
 * UTF-8 becomes U+FFFD
 */
gchar *
sl_report_sanitize(const gchar *text);

/* the document; owned by the report */
JsonNode *
sl_report_get_root(const SlReport *self);

/* text: indented "key: value" lines; json: one object on one line, no newline */
gchar *
sl_report_to_text(const SlReport *self);
gchar *
sl_report_to_json(const SlReport *self);
/* to stdout; a failed write or flush is SL_ERROR_WRITE */
gboolean
sl_report_print(const SlReport *self, gboolean as_json, GError **error);

G_END_DECLS
