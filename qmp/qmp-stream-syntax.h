/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* deeper nesting is refused before the parser sees it (it recurses) */
#define QMP_STREAM_MAX_DEPTH 1024
/* values in one message: json-glib spends ~100 bytes a node, so this bounds memory too */
#define QMP_STREAM_MAX_VALUES (256 * 1024)
/* digits in the integer part of an integer: INT64_MAX has 19 */
#define QMP_STREAM_MAX_DIGITS 19

/* what the check counted, for comparing with what json-glib then parses */
typedef struct {
	gsize depth;   /* deepest nesting of objects and arrays */
	gsize values;  /* '{', '[' and ',' outside strings */
	gsize strings; /* strings, member names included */
} QmpStreamSyntaxCounts;

/*
 * cheap pre-parse check of one message: a single JSON object, plain JSON
 * tokens and escapes only, nesting at most QMP_STREAM_MAX_DEPTH
 */
gboolean
qmp_stream_check_syntax(const gchar *data, gsize len, GError **error);

/* the same check; on success @counts says what it saw */
gboolean
qmp_stream_check_syntax_counted(const gchar *data, gsize len, QmpStreamSyntaxCounts *counts, GError **error);

G_END_DECLS
