/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "file-test-util.h"
#include "sl-error.h"
#include "sl-launch-keys.h"

typedef struct {
	gchar *dir;
	guint8 key_a[16];
	guint8 key_b[16];
	guint8 tk[32]; /* TEK then TIK */
} Fixture;

static void
fixture_setup(Fixture *fx, gconstpointer user_data)
{
	fx->dir = file_test_dir_new("sl-launch-keys-XXXXXX");
	for (guint i = 0; i < 16; i++) {
		fx->key_a[i] = (guint8)(0x10 + i);
		fx->key_b[i] = (guint8)(0xa0 + i);
	}
	memcpy(fx->tk, fx->key_b, 16);
	memcpy(fx->tk + 16, fx->key_a, 16);
}

static void
fixture_teardown(Fixture *fx, gconstpointer user_data)
{
	file_test_dir_remove(fx->dir);
	g_free(fx->dir);
}

static void
assert_key(SlSecretBytes *key, const guint8 expected[16])
{
	g_assert_nonnull(key);
	g_assert_cmpmem(sl_secret_bytes_get_data(key), sl_secret_bytes_get_size(key), expected, 16);
}

static void
assert_mentions(const GError *error, const gchar *text)
{
	g_assert_nonnull(error);
	if (strstr(error->message, text) == NULL)
		g_error("'%s' does not mention '%s'", error->message, text);
}

static void
test_tik_tek(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tik = file_test_write(fx->dir, "tik", fx->key_a, 16, 0600);
	g_autofree gchar *tek = file_test_write(fx->dir, "tek", fx->key_b, 16, 0400);
	g_autoptr(SlLaunchKeys) keys = NULL;
	g_autoptr(SlLaunchKeys) tik_only = NULL;

	keys = sl_launch_keys_load(tik, tek, NULL, SL_SECURE_FILE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(keys);
	assert_key(keys->tik, fx->key_a);
	assert_key(keys->tek, fx->key_b);

	tik_only = sl_launch_keys_load(tik, NULL, NULL, SL_SECURE_FILE_FLAG_NONE, &error);
	g_assert_no_error(error);
	assert_key(tik_only->tik, fx->key_a);
	g_assert_null(tik_only->tek);
}

static void
test_tk(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tk = file_test_write(fx->dir, "tk", fx->tk, 32, 0600);
	g_autoptr(SlLaunchKeys) keys = NULL;

	keys = sl_launch_keys_load(NULL, NULL, tk, SL_SECURE_FILE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(keys);
	/* TEK first, TIK second */
	assert_key(keys->tek, fx->key_b);
	assert_key(keys->tik, fx->key_a);
}

static void
assert_wrong_size(const gchar *tik, const gchar *tek, const gchar *tk, const gchar *path, const gchar *found)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlLaunchKeys) keys = sl_launch_keys_load(tik, tek, tk, SL_SECURE_FILE_FLAG_NONE, &error);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_null(keys);
	assert_mentions(error, path);
	assert_mentions(error, found);
}

static void
test_wrong_sizes(Fixture *fx, gconstpointer user_data)
{
	guint8 buf[33] = {0x42};
	g_autofree gchar *good = file_test_write(fx->dir, "good", fx->key_a, 16, 0600);
	g_autofree gchar *k15 = file_test_write(fx->dir, "k15", buf, 15, 0600);
	g_autofree gchar *k17 = file_test_write(fx->dir, "k17", buf, 17, 0600);
	g_autofree gchar *k32 = file_test_write(fx->dir, "k32", buf, 32, 0600);
	g_autofree gchar *k33 = file_test_write(fx->dir, "k33", buf, 33, 0600);
	g_autofree gchar *k0 = file_test_write(fx->dir, "k0", buf, 0, 0600);

	assert_wrong_size(k15, NULL, NULL, k15, "15 bytes");
	assert_wrong_size(k17, NULL, NULL, k17, "17 bytes");
	/* a TK passed as --tik */
	assert_wrong_size(k32, NULL, NULL, k32, "32 bytes");
	assert_wrong_size(k0, NULL, NULL, k0, "0 bytes");
	assert_wrong_size(good, k15, NULL, k15, "15 bytes");
	assert_wrong_size(good, k32, NULL, k32, "32 bytes");
	/* a TIK passed as --tk */
	assert_wrong_size(NULL, NULL, good, good, "16 bytes");
	assert_wrong_size(NULL, NULL, k33, k33, "33 bytes");
	assert_wrong_size(NULL, NULL, k0, k0, "0 bytes");
}

static void
test_tk_exclusive(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *key = file_test_write(fx->dir, "key", fx->key_a, 16, 0600);
	g_autofree gchar *tk = file_test_write(fx->dir, "tk", fx->tk, 32, 0600);
	const gchar *combos[][3] = {{key, NULL, tk}, {NULL, key, tk}, {key, key, tk}};

	for (guint i = 0; i < G_N_ELEMENTS(combos); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SlLaunchKeys) keys = sl_launch_keys_load(
		    combos[i][0], combos[i][1], combos[i][2], SL_SECURE_FILE_FLAG_NONE, &error);
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
		g_assert_null(keys);
		/* the model names the keys; which options they were is the CLI's to say */
		g_assert_cmpstr(
		    error->message, ==, "a TK holds both the TEK and the TIK: not also a TIK or TEK");
	}
}

static void
test_missing_tik(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tek = file_test_write(fx->dir, "tek", fx->key_b, 16, 0600);
	g_autofree gchar *missing = g_build_filename(fx->dir, "missing", NULL);
	g_autoptr(SlLaunchKeys) keys1 = NULL;
	g_autoptr(SlLaunchKeys) keys2 = NULL;
	g_autoptr(SlLaunchKeys) keys3 = NULL;

	keys1 = sl_launch_keys_load(NULL, NULL, NULL, SL_SECURE_FILE_FLAG_NONE, &error);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message, ==, "no TIK");
	g_assert_null(keys1);
	g_clear_error(&error);

	keys2 = sl_launch_keys_load(NULL, tek, NULL, SL_SECURE_FILE_FLAG_NONE, &error);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message, ==, "no TIK");
	g_assert_null(keys2);
	g_clear_error(&error);

	/* named but absent */
	keys3 = sl_launch_keys_load(missing, NULL, NULL, SL_SECURE_FILE_FLAG_NONE, &error);
	g_assert_error(error, SL_ERROR, SL_ERROR_READ);
	assert_mentions(error, missing);
	g_assert_null(keys3);
}

static void
test_permissions(Fixture *fx, gconstpointer user_data)
{
	const int modes[] = {0640, 0604, 0644, 0660, 0606};
	g_autofree gchar *tik = file_test_write(fx->dir, "tik", fx->key_a, 16, 0600);

	for (guint i = 0; i < G_N_ELEMENTS(modes); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *name = g_strdup_printf("open-%o", (guint)modes[i]);
		g_autofree gchar *open = file_test_write(fx->dir, name, fx->key_b, 16, modes[i]);
		g_autofree gchar *tk_name = g_strdup_printf("tk-%o", (guint)modes[i]);
		g_autofree gchar *tk = file_test_write(fx->dir, tk_name, fx->tk, 32, modes[i]);
		g_autoptr(SlLaunchKeys) refused1 = NULL;
		g_autoptr(SlLaunchKeys) refused2 = NULL;
		g_autoptr(SlLaunchKeys) refused3 = NULL;
		g_autoptr(SlLaunchKeys) allowed = NULL;
		g_autoptr(SlLaunchKeys) allowed_tk = NULL;

		refused1 = sl_launch_keys_load(open, NULL, NULL, SL_SECURE_FILE_FLAG_NONE, &error);
		g_assert_error(error, SL_ERROR, SL_ERROR_PERMISSION);
		assert_mentions(error, open);
		assert_mentions(error, "chmod 600 it");
		g_assert_null(strstr(error->message, "--"));
		g_assert_null(refused1);
		g_clear_error(&error);

		refused2 = sl_launch_keys_load(tik, open, NULL, SL_SECURE_FILE_FLAG_NONE, &error);
		g_assert_error(error, SL_ERROR, SL_ERROR_PERMISSION);
		assert_mentions(error, open);
		g_assert_null(refused2);
		g_clear_error(&error);

		refused3 = sl_launch_keys_load(NULL, NULL, tk, SL_SECURE_FILE_FLAG_NONE, &error);
		g_assert_error(error, SL_ERROR, SL_ERROR_PERMISSION);
		assert_mentions(error, tk);
		g_assert_null(refused3);
		g_clear_error(&error);

		allowed =
		    sl_launch_keys_load(open, open, NULL, SL_SECURE_FILE_FLAG_ALLOW_OPEN_PERMISSIONS, &error);
		g_assert_no_error(error);
		assert_key(allowed->tik, fx->key_b);
		assert_key(allowed->tek, fx->key_b);

		allowed_tk =
		    sl_launch_keys_load(NULL, NULL, tk, SL_SECURE_FILE_FLAG_ALLOW_OPEN_PERMISSIONS, &error);
		g_assert_no_error(error);
		assert_key(allowed_tk->tik, fx->key_a);
	}
}

static void
test_secure_file_empty(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *empty = file_test_write(fx->dir, "empty", "", 0, 0600);
	g_autoptr(SlSecretBytes) refused = NULL;
	g_autoptr(SlSecretBytes) accepted = NULL;

	refused = sl_secure_file_read(empty, "secret file", 0, 64, SL_SECURE_FILE_FLAG_REFUSE_EMPTY, &error);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	assert_mentions(error, empty);
	assert_mentions(error, "secret file");
	g_assert_null(refused);
	g_clear_error(&error);

	accepted = sl_secure_file_read(empty, "secret file", 0, 64, SL_SECURE_FILE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(accepted);
	g_assert_cmpuint(sl_secret_bytes_get_size(accepted), ==, 0);
}

static void
test_secure_file_max_size(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = file_test_write(fx->dir, "ten", "0123456789", 10, 0600);
	g_autoptr(SlSecretBytes) refused = NULL;
	g_autoptr(SlSecretBytes) accepted = NULL;

	refused = sl_secure_file_read(path, "secret file", 0, 9, SL_SECURE_FILE_FLAG_NONE, &error);
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	assert_mentions(error, path);
	assert_mentions(error, "10 bytes");
	/* never the content */
	g_assert_null(strstr(error->message, "0123456789"));
	g_assert_null(refused);
	g_clear_error(&error);

	accepted = sl_secure_file_read(path, "secret file", 0, 10, SL_SECURE_FILE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_cmpmem(
	    sl_secret_bytes_get_data(accepted), sl_secret_bytes_get_size(accepted), "0123456789", 10);
}

static void
assert_not_regular(const gchar *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SlSecretBytes) bytes = NULL;

	bytes =
	    sl_secure_file_read(path, "TIK file", 16, 0, SL_SECURE_FILE_FLAG_ALLOW_OPEN_PERMISSIONS, &error);
	g_assert_error(error, SL_ERROR, SL_ERROR_READ);
	assert_mentions(error, path);
	g_assert_null(bytes);
}

static void
test_secure_file_not_regular(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *subdir = g_build_filename(fx->dir, "subdir", NULL);
	g_autofree gchar *fifo = g_build_filename(fx->dir, "fifo", NULL);

	g_assert_cmpint(g_mkdir(subdir, 0700), ==, 0);
	assert_not_regular(subdir);
	assert_not_regular("/dev/null");
	/* nobody writes to it: opening must not wait for a writer */
	g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
	assert_not_regular(fifo);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/launch-keys/tik-tek", test_tik_tek);
	ADD("/launch-keys/tk", test_tk);
	ADD("/launch-keys/wrong-sizes", test_wrong_sizes);
	ADD("/launch-keys/tk-exclusive", test_tk_exclusive);
	ADD("/launch-keys/missing-tik", test_missing_tik);
	ADD("/launch-keys/permissions", test_permissions);
	ADD("/secure-file/empty", test_secure_file_empty);
	ADD("/secure-file/max-size", test_secure_file_max_size);
	ADD("/secure-file/not-regular", test_secure_file_not_regular);
#undef ADD
	return g_test_run();
}
