/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "file-test-util.h"
#include "sl-error.h"
#include "sl-file.h"
#include "sl-secure-file.h"

/* how many descriptors this process holds, from /proc/self/fd */
static guint
count_open_fds(void)
{
	g_autoptr(GDir) dir = g_dir_open("/proc/self/fd", 0, NULL);
	guint n = 0;

	g_assert_nonnull(dir);
	while (g_dir_read_name(dir) != NULL)
		n++;
	return n;
}

static void
test_autofd(void)
{
	int raw;
	int kept;

	{
		g_auto(SlFd) fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		g_assert_cmpint(fd, >=, 0);
		raw = fd;
	}
	/* closed on leaving the scope */
	g_assert_cmpint(fcntl(raw, F_GETFD), ==, -1);
	g_assert_cmpint(errno, ==, EBADF);
	{
		g_auto(SlFd) fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		kept = g_steal_fd(&fd);
	}
	/* handed over: still open, the caller's to close */
	g_assert_cmpint(fcntl(kept, F_GETFD), !=, -1);
	g_assert_cmpint(close(kept), ==, 0);
}

static void
test_read_bounded(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = file_test_dir_new("sl-file-XXXXXX");
	g_autofree guint8 *data = g_malloc0(0x900);
	g_autofree gchar *path = file_test_write(dir, "big.cert", data, 0x900, 0644);
	g_autofree gchar *missing = g_build_filename(dir, "missing.cert", NULL);
	g_autoptr(GBytes) bytes = NULL;

	bytes = sl_file_read_bounded(path, "certificate", 0x900, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(bytes), ==, 0x900);
	g_clear_pointer(&bytes, g_bytes_unref);
	/* one byte over the limit is refused before parsing */
	bytes = sl_file_read_bounded(path, "certificate", 0x8FF, &error);
	g_assert_null(bytes);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "larger than any certificate"));
	g_clear_error(&error);
	bytes = sl_file_read_bounded(missing, "certificate", 0x900, &error);
	g_assert_null(bytes);
	g_assert_error(error, SL_ERROR, SL_ERROR_READ);
	file_test_dir_remove(dir);
}

/* every failure after the open leaves no descriptor behind */
static void
test_error_paths_close(void)
{
	g_autofree gchar *dir = file_test_dir_new("sl-file-XXXXXX");
	g_autofree gchar *page = file_test_write(dir, "page", "0123456789", 10, 0600);
	g_autofree gchar *open_key = file_test_write(dir, "key", "0123456789abcdef", 16, 0644);
	guint before = count_open_fds();

	for (guint i = 0; i < 4; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = NULL;
		g_autoptr(SlSecretBytes) secret = NULL;
		switch (i) {
		case 0: /* wrong size */
			bytes = sl_file_load_exact(page, "VMSA", 4096, &error);
			break;
		case 1: /* not a regular file */
			bytes = sl_file_load_exact(dir, "VMSA", 10, &error);
			break;
		case 2: /* too large */
			bytes = sl_file_read_bounded(page, "certificate", 4, &error);
			break;
		default: /* readable by others */
			secret =
			    sl_secure_file_read(open_key, "TIK", 16, 16, SL_SECURE_FILE_FLAG_NONE, &error);
			break;
		}
		g_assert_null(bytes);
		g_assert_null(secret);
		g_assert_nonnull(error);
		g_assert_cmpuint(count_open_fds(), ==, before);
	}
	file_test_dir_remove(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/file/autofd", test_autofd);
	g_test_add_func("/file/read-bounded", test_read_bounded);
	g_test_add_func("/file/error-paths-close", test_error_paths_close);
	return g_test_run();
}
