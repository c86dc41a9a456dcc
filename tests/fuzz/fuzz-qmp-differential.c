/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "fuzz-common.h"
#include "qmp-stream-syntax.h"

/*
 * the pre-parse check against json-glib: the input is one QMP message. When
 * the check accepts it, json-glib parses it while this harness follows the
 * parser's signals, and aborts as soon as json-glib goes deeper or allocates
 * more values than the check counted (so a disagreement is caught before
 * json-glib recurses out of its stack); when json-glib succeeds, the depth,
 * value and string counts must be equal and every string valid UTF-8.
 * json-glib may still refuse what the check accepted: the check is not a
 * grammar, only a bound. Strings cut at a NUL (\0, \u0000) keep their count;
 * test-qmp-json covers those.
 */

typedef struct {
	QmpStreamSyntaxCounts counted; /* by the pre-parse check */
	QmpStreamSyntaxCounts seen;    /* from json-glib's signals */
	GArray *members;               /* per open container: members or elements so far */
	const gchar *input;
} SlFuzzDiff;

static void
sl_fuzz_diff_disagree(SlFuzzDiff *self, const gchar *what)
{
	g_error("pre-parse check and json-glib disagree (%s): counted depth %zu values %zu strings "
		"%zu, json-glib depth %zu values %zu strings %zu, input: %.200s",
		what,
		self->counted.depth,
		self->counted.values,
		self->counted.strings,
		self->seen.depth,
		self->seen.values,
		self->seen.strings,
		self->input);
}

static void
sl_fuzz_diff_container_start_cb(JsonParser *parser, gpointer user_data)
{
	SlFuzzDiff *self = user_data;
	guint zero = 0;

	g_array_append_val(self->members, zero);
	self->seen.values++;
	self->seen.depth = MAX(self->seen.depth, self->members->len);
	if (self->seen.depth > self->counted.depth || self->seen.values > self->counted.values)
		sl_fuzz_diff_disagree(self, "more structure than counted");
}

static void
sl_fuzz_diff_container_end_cb(JsonParser *parser, gpointer container, gpointer user_data)
{
	SlFuzzDiff *self = user_data;

	g_array_set_size(self->members, self->members->len - 1);
}

/* one member or element of the innermost container: a comma before it unless it is the first */
static void
sl_fuzz_diff_add_member(SlFuzzDiff *self, const gchar *name, JsonNode *node)
{
	guint *count = &g_array_index(self->members, guint, self->members->len - 1);

	if (++*count > 1)
		self->seen.values++;
	if (name != NULL) {
		self->seen.strings++;
		if (!g_utf8_validate(name, -1, NULL))
			sl_fuzz_diff_disagree(self, "member name is not UTF-8");
	}
	if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING) {
		self->seen.strings++;
		if (!g_utf8_validate(json_node_get_string(node), -1, NULL))
			sl_fuzz_diff_disagree(self, "string is not UTF-8");
	}
	if (self->seen.values > self->counted.values || self->seen.strings > self->counted.strings)
		sl_fuzz_diff_disagree(self, "more values than counted");
}

static void
sl_fuzz_diff_element_cb(JsonParser *parser, JsonArray *array, gint index, gpointer user_data)
{
	sl_fuzz_diff_add_member(user_data, NULL, json_array_get_element(array, (guint)index));
}

static void
sl_fuzz_diff_member_cb(JsonParser *parser, JsonObject *object, const gchar *name, gpointer user_data)
{
	sl_fuzz_diff_add_member(user_data, name, json_object_get_member(object, name));
}

static JsonParser *
sl_fuzz_diff_parser_new(SlFuzzDiff *self)
{
	JsonParser *parser = json_parser_new();

	g_signal_connect(parser, "object-start", G_CALLBACK(sl_fuzz_diff_container_start_cb), self);
	g_signal_connect(parser, "array-start", G_CALLBACK(sl_fuzz_diff_container_start_cb), self);
	g_signal_connect(parser, "object-end", G_CALLBACK(sl_fuzz_diff_container_end_cb), self);
	g_signal_connect(parser, "array-end", G_CALLBACK(sl_fuzz_diff_container_end_cb), self);
	g_signal_connect(parser, "object-member", G_CALLBACK(sl_fuzz_diff_member_cb), self);
	g_signal_connect(parser, "array-element", G_CALLBACK(sl_fuzz_diff_element_cb), self);
	return parser;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GArray) members = g_array_new(FALSE, FALSE, sizeof(guint));
	g_autofree gchar *input = g_strndup((const gchar *)data, size);
	SlFuzzDiff self = {.members = members, .input = input};
	g_autoptr(JsonParser) parser = NULL;

	sl_fuzz_init();
	if (!qmp_stream_check_syntax_counted((const gchar *)data, size, &self.counted, NULL))
		return 0;
	parser = sl_fuzz_diff_parser_new(&self);
	if (!json_parser_load_from_data(parser, (const gchar *)data, (gssize)size, NULL))
		return 0;
	if (self.seen.depth != self.counted.depth || self.seen.values != self.counted.values ||
	    self.seen.strings != self.counted.strings)
		sl_fuzz_diff_disagree(&self, "different structure");
	return 0;
}
