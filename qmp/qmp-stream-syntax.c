/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "qmp"

#include "config.h"

#include <string.h>

#include "qmp-error.h"
#include "qmp-stream-syntax.h"

/* what json-glib would misread or spend too much on is refused before it parses */

static gboolean
qmp_stream_char_is_token(guchar c)
{
	/* structure, numbers and the letters of true, false and null */
	return c != '\0' && strchr(",:-+.0123456789eEtrufalsn", c) != NULL;
}

/* the state of one pass over a message, before json-glib sees it */
typedef struct {
	gsize depth;
	QmpStreamSyntaxCounts counts;
	gboolean in_string;
	gsize skip; /* bytes of an escape already checked */
	gboolean done;
} QmpStreamScan;

/* one \uXXXX unit at @esc: exactly four hex digits */
static gboolean
qmp_stream_read_unit(const gchar *esc, gsize avail, gunichar *unit)
{
	*unit = 0;
	if (avail < 6 || esc[0] != '\\' || esc[1] != 'u')
		return FALSE;
	for (gsize i = 2; i < 6; i++) {
		if (!g_ascii_isxdigit(esc[i]))
			return FALSE;
		*unit = (*unit << 4) | (gunichar)g_ascii_xdigit_value(esc[i]);
	}
	return TRUE;
}

/*
 * the escape at @esc: only JSON's own. json-glib 1.6 swallows the character
 * after a lone surrogate or a short \u (so it and this scan would disagree
 * about where strings end), reads \0 to \7 as octal bytes and cuts strings
 * at \u0000 ("launch-secret\u0000x" would pass as "launch-secret")
 */
static const gchar *
qmp_stream_check_escape(const gchar *esc, gsize avail, gsize *esc_len)
{
	gunichar unit;
	gunichar low;

	*esc_len = 2;
	if (avail >= 2 && esc[1] != '\0' && strchr("\"\\/bfnrt", esc[1]) != NULL)
		return NULL;
	if (avail < 2 || esc[1] != 'u')
		return "invalid escape in a string";
	if (!qmp_stream_read_unit(esc, avail, &unit))
		return "\\u escape without four hex digits";
	*esc_len = 6;
	if (unit == 0)
		return "NUL character in a string";
	if (unit >= 0xdc00 && unit <= 0xdfff)
		return "unpaired UTF-16 surrogate";
	if (unit < 0xd800 || unit > 0xdbff)
		return NULL;
	if (!qmp_stream_read_unit(esc + 6, avail - 6, &low) || low < 0xdc00 || low > 0xdfff)
		return "unpaired UTF-16 surrogate";
	*esc_len = 12;
	return NULL;
}

/* inside a string: an escape is checked whole, then skipped */
static const gchar *
qmp_stream_scan_string(QmpStreamScan *scan, const gchar *data, gsize len, gsize i)
{
	guchar c = (guchar)data[i];

	if (c == '\\') {
		gsize esc_len = 0;
		const gchar *problem = qmp_stream_check_escape(data + i, len - i, &esc_len);
		scan->skip = esc_len - 1;
		return problem;
	}
	if (c == '"')
		scan->in_string = FALSE;
	else if (c < 0x20)
		return "control character in a string";
	return NULL;
}

/* characters that can appear in a JSON number */
static gboolean
qmp_stream_char_is_number(gchar c)
{
	return c != '\0' && strchr("0123456789+-.eE", c) != NULL;
}

/*
 * a whole number token: json-glib wraps integers past INT64_MAX around
 * (2^64 + 3 reads as 3) and takes leading zeros; both are refused so a lying
 * peer is named rather than misread. Fractions and exponents are left to it.
 */
static const gchar *
qmp_stream_check_number(const gchar *num, gsize len)
{
	gboolean negative = num[0] == '-';
	gsize int_start = negative ? 1 : 0;
	gsize int_len = 0;
	gboolean integer = TRUE;

	while (int_start + int_len < len && g_ascii_isdigit(num[int_start + int_len]))
		int_len++;
	for (gsize i = int_start + int_len; i < len; i++) {
		if (num[i] == '.' || num[i] == 'e' || num[i] == 'E')
			integer = FALSE;
	}
	if (int_len > 1 && num[int_start] == '0')
		return "number with a leading zero";
	if (!integer)
		return NULL;
	if (int_len > QMP_STREAM_MAX_DIGITS)
		return "integer out of 64-bit range";
	/* a full-length integer is compared as text with the limit of its sign */
	if (int_len == QMP_STREAM_MAX_DIGITS &&
	    memcmp(num + int_start,
		   negative ? "9223372036854775808" : "9223372036854775807",
		   QMP_STREAM_MAX_DIGITS) > 0)
		return "integer out of 64-bit range";
	return NULL;
}

static const gchar *
qmp_stream_scan_char(QmpStreamScan *scan, const gchar *data, gsize len, gsize i)
{
	guchar c = (guchar)data[i];

	if (scan->in_string)
		return qmp_stream_scan_string(scan, data, len, i);
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
		return NULL;
	if (scan->done)
		return "data after the end of the message";
	if (scan->depth == 0 && c != '{')
		return "message is not a JSON object";
	/* every value costs json-glib a node: bound them, not only the bytes */
	if ((c == ',' || c == '{' || c == '[') && ++scan->counts.values > QMP_STREAM_MAX_VALUES)
		return "too many values";
	if (c == '"') {
		scan->in_string = TRUE;
		scan->counts.strings++;
		return NULL;
	}
	if ((c == '{' || c == '[') && ++scan->depth > QMP_STREAM_MAX_DEPTH)
		return "nested too deeply";
	scan->counts.depth = MAX(scan->counts.depth, scan->depth);
	if (c == '}' || c == ']') {
		scan->done = --scan->depth == 0;
		return NULL;
	}
	if (c != '{' && c != '[' && !qmp_stream_char_is_token(c))
		return "unexpected character";
	/* at the start of a number token, check the token whole */
	if ((c == '-' || g_ascii_isdigit(c)) && (i == 0 || !qmp_stream_char_is_number(data[i - 1]))) {
		gsize end = i;
		while (end < len && qmp_stream_char_is_number(data[end]))
			end++;
		return qmp_stream_check_number(data + i, end - i);
	}
	return NULL;
}

gboolean
qmp_stream_check_syntax(const gchar *data, gsize len, GError **error)
{
	QmpStreamSyntaxCounts counts;
	return qmp_stream_check_syntax_counted(data, len, &counts, error);
}

gboolean
qmp_stream_check_syntax_counted(const gchar *data, gsize len, QmpStreamSyntaxCounts *counts, GError **error)
{
	QmpStreamScan scan = {0};
	const gchar *problem = NULL;

	*counts = (QmpStreamSyntaxCounts){0};
	if (!g_utf8_validate_len(data, len, NULL))
		problem = "invalid UTF-8";
	for (gsize i = 0; problem == NULL && i < len; i++) {
		if (scan.skip > 0)
			scan.skip--;
		else
			problem = qmp_stream_scan_char(&scan, data, len, i);
	}
	if (problem == NULL && !scan.done)
		problem = "truncated message";
	if (problem != NULL) {
		g_set_error(error, QMP_ERROR, QMP_ERROR_PROTOCOL, "malformed JSON: %s", problem);
		return FALSE;
	}
	*counts = scan.counts;
	return TRUE;
}
