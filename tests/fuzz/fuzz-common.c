/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz-common.h"

static GLogWriterOutput
sl_fuzz_log_writer_cb(GLogLevelFlags log_level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
	const gchar *message = NULL;

	/* debug output of the code under test is noise at millions of runs */
	if ((log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) == 0)
		return G_LOG_WRITER_HANDLED;
	for (gsize i = 0; i < n_fields; i++) {
		if (g_strcmp0(fields[i].key, "MESSAGE") == 0)
			message = fields[i].value;
	}
	fprintf(stderr, "fuzz: GLib warning or critical: %s\n", message != NULL ? message : "(no message)");
	abort();
}

void
sl_fuzz_init(void)
{
	static gsize once = 0;

	if (g_once_init_enter(&once)) {
		g_log_set_writer_func(sl_fuzz_log_writer_cb, NULL, NULL);
		g_once_init_leave(&once, 1);
	}
}

gchar *
sl_fuzz_strndup(const uint8_t *data, size_t size)
{
	return g_strndup((const gchar *)data, size);
}
