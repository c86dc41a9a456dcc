/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "sl-error.h"
#include "sl-guid.h"
#include "sl-secret-table.h"

/*
 * GUID text and secret specs (--secret GUID-OR-NAME:FILE): the name part is
 * the input up to its first ':'; the file part is always one private file
 * made here, so no input makes the harness read anything else
 */

#define SL_FUZZ_SECRET_CONTENT "fuzz-secret-content-6f1d"

static gchar *sl_fuzz_secret_path = NULL;

static void
sl_fuzz_secret_cleanup(void)
{
	g_unlink(sl_fuzz_secret_path);
}

static const gchar *
sl_fuzz_secret_file(void)
{
	if (sl_fuzz_secret_path == NULL) {
		g_autoptr(GError) error = NULL;
		gint fd = g_file_open_tmp("sl-fuzz-secret-XXXXXX", &sl_fuzz_secret_path, &error);
		g_assert_no_error(error);
		g_assert_cmpint(write(fd, SL_FUZZ_SECRET_CONTENT, strlen(SL_FUZZ_SECRET_CONTENT)), >, 0);
		g_assert_cmpint(fchmod(fd, 0600), ==, 0);
		close(fd);
		atexit(sl_fuzz_secret_cleanup);
	}
	return sl_fuzz_secret_path;
}

/* a GUID that parses prints back as the same text, lower case */
static void
sl_fuzz_secret_check_guid(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *printed = NULL;
	g_autofree gchar *lower = NULL;
	SlGuid guid = {0};
	SlGuid again = {0};

	if (!sl_guid_parse(text, &guid, &error)) {
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
		return;
	}
	printed = sl_guid_to_string(&guid);
	lower = g_ascii_strdown(text, -1);
	g_assert_cmpstr(printed, ==, lower);
	g_assert_true(sl_guid_parse(printed, &again, NULL));
	g_assert_true(sl_guid_equal(&guid, &again));
}

/* an alias or a GUID, nothing else; returns whether @name was accepted */
static gboolean
sl_fuzz_secret_check_alias(const gchar *name, SlGuid *guid)
{
	g_autoptr(GError) error = NULL;
	gboolean is_alias = FALSE;
	SlGuid parsed = {0};

	for (const gchar *const *alias = sl_secret_get_aliases(); *alias != NULL; alias++)
		is_alias |= g_ascii_strcasecmp(name, *alias) == 0;
	if (!sl_secret_guid_from_alias(name, guid, &error)) {
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
		g_assert_false(is_alias);
		g_assert_false(sl_guid_parse(name, &parsed, NULL));
		return FALSE;
	}
	g_assert_no_error(error);
	if (!is_alias) {
		g_assert_true(sl_guid_parse(name, &parsed, NULL));
		g_assert_true(sl_guid_equal(guid, &parsed));
	}
	return TRUE;
}

/* the secret's content must never show up in an error */
static void
sl_fuzz_secret_check_error(const GError *error, const gchar *input)
{
	if (error != NULL && strstr(input, SL_FUZZ_SECRET_CONTENT) == NULL)
		g_assert_null(strstr(error->message, SL_FUZZ_SECRET_CONTENT));
}

static void
sl_fuzz_secret_check_spec(const gchar *input, const gchar *name, gboolean name_ok, const SlGuid *guid)
{
	static const SlGuid null_guid = {0};
	g_autoptr(SlSecretTable) table = sl_secret_table_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_again = NULL;
	g_autofree gchar *spec = g_strdup_printf("%s:%s", name, sl_fuzz_secret_file());
	gboolean added = sl_secret_table_add_spec(table, spec, SL_SECURE_FILE_FLAG_NONE, &error);

	sl_fuzz_secret_check_error(error, input);
	g_assert_true(added == (name_ok && !sl_guid_equal(guid, &null_guid)));
	if (!added) {
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
		return;
	}
	g_assert_cmpuint(sl_secret_table_get_count(table), ==, 1);
	/* the same GUID twice is refused */
	g_assert_false(sl_secret_table_add_spec(table, spec, SL_SECURE_FILE_FLAG_NONE, &error_again));
	g_assert_error(error_again, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
	sl_fuzz_secret_check_error(error_again, input);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree gchar *input = NULL;
	g_autofree gchar *name = NULL;
	const gchar *colon;
	SlGuid guid = {0};
	gboolean name_ok;

	sl_fuzz_init();
	input = sl_fuzz_strndup(data, size);
	sl_fuzz_secret_check_guid(input);
	(void)sl_fuzz_secret_check_alias(input, &guid);

	colon = strchr(input, ':');
	name = colon != NULL ? g_strndup(input, (gsize)(colon - input)) : g_strdup(input);
	name_ok = sl_fuzz_secret_check_alias(name, &guid);
	sl_fuzz_secret_check_spec(input, name, name_ok, &guid);

	/* a spec with no file part fails before any file is opened */
	if (colon == NULL) {
		g_autoptr(SlSecretTable) table = sl_secret_table_new();
		g_autoptr(GError) error = NULL;
		g_assert_false(sl_secret_table_add_spec(table, input, SL_SECURE_FILE_FLAG_NONE, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT);
	}
	return 0;
}
