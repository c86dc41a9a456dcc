/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "fuzz-common.h"

/*
 * without libFuzzer: runs each file of the corpus directories given once, so
 * the harness is built and exercised by the normal test suite (TAP output)
 */

static gint
sl_fuzz_replay_compare_cb(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

static GPtrArray *
sl_fuzz_replay_list(gint argc, gchar **argv)
{
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);

	for (gint i = 1; i < argc; i++) {
		g_autoptr(GDir) dir = g_dir_open(argv[i], 0, NULL);
		const gchar *name;
		if (dir == NULL) {
			g_ptr_array_add(files, g_strdup(argv[i]));
			continue;
		}
		while ((name = g_dir_read_name(dir)) != NULL)
			g_ptr_array_add(files, g_build_filename(argv[i], name, NULL));
	}
	g_ptr_array_sort(files, sl_fuzz_replay_compare_cb);
	return files;
}

int
main(int argc, char **argv)
{
	g_autoptr(GPtrArray) files = sl_fuzz_replay_list(argc, argv);

	if (files->len == 0) {
		printf("1..0 # SKIP no corpus given\n");
		return 1;
	}
	printf("1..%u\n", files->len);
	for (guint i = 0; i < files->len; i++) {
		const gchar *path = g_ptr_array_index(files, i);
		g_autofree gchar *data = NULL;
		g_autoptr(GError) error = NULL;
		gsize len = 0;
		if (!g_file_get_contents(path, &data, &len, &error)) {
			printf("not ok %u - %s: %s\n", i + 1, path, error->message);
			continue;
		}
		fflush(stdout);
		LLVMFuzzerTestOneInput((const uint8_t *)data, len);
		printf("ok %u - %s (%" G_GSIZE_FORMAT " bytes)\n", i + 1, path, len);
	}
	return 0;
}
