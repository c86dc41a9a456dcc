/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file-test-util.h"
#include "sl-error.h"
#include "sl-file.h"
#include "sl-output-dir.h"
#include "sl-output-file.h"

#define OLD_TEXT "old contents\n"
#define NEW_TEXT "new contents\n"

typedef struct {
	gchar *dir;
	gchar *old; /* an existing file, mode 0644 */
} Fixture;

static void
fixture_setup(Fixture *fx, gconstpointer user_data)
{
	/* an inode of an earlier test's input may come back as a new file */
	sl_file_forget_inputs();
	fx->dir = file_test_dir_new("sl-output-file-XXXXXX");
	fx->old = file_test_write(fx->dir, "old", OLD_TEXT, strlen(OLD_TEXT), 0644);
}

static void
fixture_teardown(Fixture *fx, gconstpointer user_data)
{
	file_test_dir_remove(fx->dir);
	g_free(fx->dir);
	g_free(fx->old);
}

static gboolean
write_text(const gchar *path, SlOutputFileFlags flags, GError **error)
{
	return sl_output_file_write_contents(
	    path, "test output", 0600, flags, (const guint8 *)NEW_TEXT, strlen(NEW_TEXT), error);
}

/* the directory holds exactly @count entries: no temporary file was left behind */
static void
assert_dir_entries(const gchar *dir_path, guint count)
{
	g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
	guint n = 0;
	g_assert_nonnull(dir);
	while (g_dir_read_name(dir) != NULL)
		n++;
	g_assert_cmpuint(n, ==, count);
}

static void
assert_contents(const gchar *path, const gchar *text, guint mode)
{
	g_autofree gchar *contents = NULL;
	GStatBuf st;
	g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
	g_assert_cmpstr(contents, ==, text);
	g_assert_cmpint(g_lstat(path, &st), ==, 0);
	g_assert_true(S_ISREG(st.st_mode));
	g_assert_cmpuint(st.st_mode & 07777, ==, mode);
}

static void
test_new_file(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *path = g_build_filename(fx->dir, "new", NULL);
	g_autoptr(GError) error = NULL;

	g_assert_true(write_text(path, SL_OUTPUT_FILE_FLAG_NONE, &error));
	g_assert_no_error(error);
	assert_contents(path, NEW_TEXT, 0600);
	assert_dir_entries(fx->dir, 2);
}

static void
test_existing_refused(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;

	g_assert_false(write_text(fx->old, SL_OUTPUT_FILE_FLAG_NONE, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_EXISTS);
	assert_contents(fx->old, OLD_TEXT, 0644);
	assert_dir_entries(fx->dir, 1);
}

static void
test_existing_forced(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(write_text(fx->old, SL_OUTPUT_FILE_FLAG_FORCE, &error));
	g_assert_no_error(error);
	/* the caller's mode, not the old file's */
	assert_contents(fx->old, NEW_TEXT, 0600);
	assert_dir_entries(fx->dir, 1);
}

static void
test_symlink_refused(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *link = g_build_filename(fx->dir, "link", NULL);
	g_autofree gchar *dangling = g_build_filename(fx->dir, "dangling", NULL);
	g_autofree gchar *missing = g_build_filename(fx->dir, "missing", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_dangling = NULL;

	g_assert_cmpint(symlink(fx->old, link), ==, 0);
	g_assert_cmpint(symlink(missing, dangling), ==, 0);
	g_assert_false(write_text(link, SL_OUTPUT_FILE_FLAG_FORCE, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_WRITE);
	g_assert_nonnull(strstr(error->message, "symbolic link"));
	g_assert_false(write_text(dangling, SL_OUTPUT_FILE_FLAG_NONE, &error_dangling));
	g_assert_error(error_dangling, SL_ERROR, SL_ERROR_WRITE);
	g_assert_true(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
	g_assert_false(g_file_test(missing, G_FILE_TEST_EXISTS));
	assert_contents(fx->old, OLD_TEXT, 0644);
	assert_dir_entries(fx->dir, 3);
}

static void
test_fifo_refused(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *fifo = g_build_filename(fx->dir, "fifo", NULL);
	g_autoptr(GError) error = NULL;
	GStatBuf st;

	g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
	/* would hang for ever if the FIFO were opened for writing */
	g_assert_false(write_text(fifo, SL_OUTPUT_FILE_FLAG_FORCE, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_WRITE);
	g_assert_nonnull(strstr(error->message, "not a regular file"));
	g_assert_cmpint(g_lstat(fifo, &st), ==, 0);
	g_assert_true(S_ISFIFO(st.st_mode));
	assert_dir_entries(fx->dir, 2);
}

static void
test_devices_refused(Fixture *fx, gconstpointer user_data)
{
	const gchar *paths[] = {"/dev/null", "/dev/stdout", "/dev/full"};

	for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
		g_autoptr(GError) error = NULL;
		g_assert_false(write_text(paths[i], SL_OUTPUT_FILE_FLAG_FORCE, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_WRITE);
	}
}

static void
test_input_refused(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *input = file_test_write(fx->dir, "input", OLD_TEXT, strlen(OLD_TEXT), 0600);
	g_autofree gchar *hardlink = g_build_filename(fx->dir, "hardlink", NULL);
	g_autofree gchar *other_name = g_build_filename(fx->dir, ".", "input", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_link = NULL;
	g_autoptr(GError) error_name = NULL;
	int fd = sl_file_open_regular(input, "input", NULL, &error);

	g_assert_no_error(error);
	g_assert_cmpint(fd, >=, 0);
	close(fd);
	g_assert_cmpint(link(input, hardlink), ==, 0);
	g_assert_false(write_text(input, SL_OUTPUT_FILE_FLAG_FORCE, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_WRITE);
	g_assert_nonnull(strstr(error->message, "input"));
	/* another name of the same file is the same input */
	g_assert_false(write_text(hardlink, SL_OUTPUT_FILE_FLAG_FORCE, &error_link));
	g_assert_error(error_link, SL_ERROR, SL_ERROR_WRITE);
	g_assert_false(write_text(other_name, SL_OUTPUT_FILE_FLAG_FORCE, &error_name));
	g_assert_error(error_name, SL_ERROR, SL_ERROR_WRITE);
	assert_contents(input, OLD_TEXT, 0600);
	assert_dir_entries(fx->dir, 3);
}

static void
test_missing_dir(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *path = g_build_filename(fx->dir, "no-such-dir", "file", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_dir = NULL;

	g_assert_false(write_text(path, SL_OUTPUT_FILE_FLAG_NONE, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_WRITE);
	g_assert_false(write_text(fx->dir, SL_OUTPUT_FILE_FLAG_FORCE, &error_dir));
	g_assert_error(error_dir, SL_ERROR, SL_ERROR_WRITE);
	assert_dir_entries(fx->dir, 1);
}

/* nothing appears before commit; a file dropped without commit leaves nothing */
static void
test_uncommitted(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *path = g_build_filename(fx->dir, "new", NULL);
	g_autoptr(GError) error = NULL;
	SlOutputFile *file = sl_output_file_new(path, "test output", 0600, SL_OUTPUT_FILE_FLAG_NONE, &error);

	g_assert_no_error(error);
	g_assert_true(sl_output_file_write(file, (const guint8 *)NEW_TEXT, strlen(NEW_TEXT), &error));
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
	sl_output_file_free(file);
	assert_dir_entries(fx->dir, 1);
}

/* a file that appeared after the check is not replaced */
static void
test_appeared_before_commit(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *path = g_build_filename(fx->dir, "new", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(SlOutputFile) file =
	    sl_output_file_new(path, "test output", 0600, SL_OUTPUT_FILE_FLAG_NONE, &error);
	g_autofree gchar *other = NULL;

	g_assert_no_error(error);
	g_assert_true(sl_output_file_write(file, (const guint8 *)NEW_TEXT, strlen(NEW_TEXT), &error));
	other = file_test_write(fx->dir, "new", OLD_TEXT, strlen(OLD_TEXT), 0644);
	g_assert_false(sl_output_file_commit(file, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_EXISTS);
	g_clear_pointer(&file, sl_output_file_free);
	assert_contents(other, OLD_TEXT, 0644);
	assert_dir_entries(fx->dir, 2);
}

static void
test_revert(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *path = g_build_filename(fx->dir, "new", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(SlOutputFile) created =
	    sl_output_file_new(path, "test output", 0600, SL_OUTPUT_FILE_FLAG_NONE, &error);
	g_autoptr(SlOutputFile) replaced =
	    sl_output_file_new(fx->old, "test output", 0600, SL_OUTPUT_FILE_FLAG_FORCE, &error);

	g_assert_no_error(error);
	g_assert_true(sl_output_file_commit(created, &error));
	g_assert_true(sl_output_file_commit(replaced, &error));
	g_assert_no_error(error);
	assert_dir_entries(fx->dir, 2);
	sl_output_file_revert(created);
	/* a replaced file is gone either way: it stays */
	sl_output_file_revert(replaced);
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
	assert_contents(fx->old, "", 0600);
	assert_dir_entries(fx->dir, 1);
}

static void
test_same_target(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *a = g_build_filename(fx->dir, "a", NULL);
	g_autofree gchar *a_again = g_build_filename(fx->dir, ".", "a", NULL);
	g_autofree gchar *b = g_build_filename(fx->dir, "b", NULL);
	g_autoptr(GError) error = NULL;
	SlOutputFileFlags flags = SL_OUTPUT_FILE_FLAG_STDOUT;
	g_autoptr(SlOutputFile) file_a = sl_output_file_new(a, "a", 0600, flags, &error);
	g_autoptr(SlOutputFile) file_a_again = sl_output_file_new(a_again, "a", 0600, flags, &error);
	g_autoptr(SlOutputFile) file_b = sl_output_file_new(b, "b", 0600, flags, &error);
	g_autoptr(SlOutputFile) out1 = sl_output_file_new("-", "out", 0600, flags, &error);
	g_autoptr(SlOutputFile) out2 = sl_output_file_new("-", "out", 0600, flags, &error);

	g_assert_no_error(error);
	g_assert_true(sl_output_file_is_same_target(file_a, file_a_again));
	g_assert_false(sl_output_file_is_same_target(file_a, file_b));
	g_assert_true(sl_output_file_is_same_target(out1, out2));
	g_assert_false(sl_output_file_is_same_target(out1, file_a));
}

/* "-" is standard output only when the caller allows it, and written on commit */
static void
test_stdout(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *capture = g_build_filename(fx->dir, "capture", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_plain = NULL;
	g_autoptr(SlOutputFile) file = NULL;
	int saved = dup(STDOUT_FILENO);
	int fd = open(capture, O_WRONLY | O_CREAT | O_EXCL, 0600);
	GStatBuf st;

	g_assert_false(write_text("-", SL_OUTPUT_FILE_FLAG_FORCE, &error_plain));
	g_assert_error(error_plain, SL_ERROR, SL_ERROR_WRITE);
	g_assert_cmpint(saved, >=, 0);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(dup2(fd, STDOUT_FILENO), ==, STDOUT_FILENO);
	close(fd);
	file = sl_output_file_new("-", "test output", 0600, SL_OUTPUT_FILE_FLAG_STDOUT, &error);
	g_assert_no_error(error);
	g_assert_true(sl_output_file_write(file, (const guint8 *)NEW_TEXT, strlen(NEW_TEXT), &error));
	g_assert_cmpint(g_stat(capture, &st), ==, 0);
	g_assert_cmpint(st.st_size, ==, 0);
	g_assert_true(sl_output_file_commit(file, &error));
	g_assert_cmpint(dup2(saved, STDOUT_FILENO), ==, STDOUT_FILENO);
	close(saved);
	g_assert_no_error(error);
	assert_contents(capture, NEW_TEXT, 0600);
	assert_dir_entries(fx->dir, 2);
}

/* the check refuses what new() refuses, and creates nothing */
static void
test_check(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *path = g_build_filename(fx->dir, "new", NULL);
	g_autofree gchar *again = g_build_filename(fx->dir, ".", "new", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_dev = NULL;

	g_assert_true(sl_output_file_check(path, "test output", SL_OUTPUT_FILE_FLAG_NONE, &error));
	g_assert_no_error(error);
	g_assert_true(sl_output_file_check(fx->old, "test output", SL_OUTPUT_FILE_FLAG_FORCE, &error));
	g_assert_false(sl_output_file_check(fx->old, "test output", SL_OUTPUT_FILE_FLAG_NONE, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_EXISTS);
	g_assert_false(
	    sl_output_file_check("/dev/null", "test output", SL_OUTPUT_FILE_FLAG_FORCE, &error_dev));
	g_assert_error(error_dev, SL_ERROR, SL_ERROR_WRITE);
	assert_dir_entries(fx->dir, 1);
	g_assert_true(sl_output_file_paths_same_target(path, again));
	g_assert_true(sl_output_file_paths_same_target("-", "-"));
	g_assert_false(sl_output_file_paths_same_target(path, fx->old));
	g_assert_false(sl_output_file_paths_same_target(path, "-"));
}

/* a set in new directories: nothing of it stays unless committed */
static void
test_output_dir(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *top = g_build_filename(fx->dir, "a", NULL);
	g_autofree gchar *path = g_build_filename(top, "b", NULL);
	g_autofree gchar *file_path = g_build_filename(path, "f", NULL);
	g_autoptr(GError) error = NULL;
	SlOutputDir *dir = sl_output_dir_new(path, 0700, &error);
	SlOutputFile *file;

	g_assert_no_error(error);
	file = sl_output_dir_add_file(dir, "f", "test output", 0600, &error);
	g_assert_no_error(error);
	g_assert_true(sl_output_file_write(file, (const guint8 *)NEW_TEXT, strlen(NEW_TEXT), &error));
	g_assert_true(g_file_test(path, G_FILE_TEST_IS_DIR));
	sl_output_dir_free(dir);
	g_assert_false(g_file_test(top, G_FILE_TEST_EXISTS));

	dir = sl_output_dir_new(path, 0700, &error);
	file = sl_output_dir_add_file(dir, "f", "test output", 0600, &error);
	g_assert_no_error(error);
	g_assert_true(sl_output_dir_commit(dir, &error));
	sl_output_dir_free(dir);
	assert_contents(file_path, "", 0600);

	/* an existing file is never replaced; the existing directory stays */
	dir = sl_output_dir_new(path, 0700, &error);
	g_assert_no_error(error);
	g_assert_null(sl_output_dir_add_file(dir, "f", "test output", 0600, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_EXISTS);
	sl_output_dir_free(dir);
	assert_contents(file_path, "", 0600);
	g_assert_cmpint(g_unlink(file_path), ==, 0);
	g_assert_cmpint(g_rmdir(path), ==, 0);
	g_assert_cmpint(g_rmdir(top), ==, 0);
}

int
main(int argc, char **argv)
{
	/* modes are checked exactly */
	umask(022);
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) g_test_add(name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/output-file/new", test_new_file);
	ADD("/output-file/existing-refused", test_existing_refused);
	ADD("/output-file/existing-forced", test_existing_forced);
	ADD("/output-file/symlink-refused", test_symlink_refused);
	ADD("/output-file/fifo-refused", test_fifo_refused);
	ADD("/output-file/devices-refused", test_devices_refused);
	ADD("/output-file/input-refused", test_input_refused);
	ADD("/output-file/missing-dir", test_missing_dir);
	ADD("/output-file/uncommitted", test_uncommitted);
	ADD("/output-file/appeared-before-commit", test_appeared_before_commit);
	ADD("/output-file/revert", test_revert);
	ADD("/output-file/same-target", test_same_target);
	ADD("/output-file/stdout", test_stdout);
	ADD("/output-file/check", test_check);
	ADD("/output-file/output-dir", test_output_dir);
#undef ADD
	return g_test_run();
}
