/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sl-error.h"
#include "sl-launch-artifacts.h"

#define SEVCTL_OVMF "OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9"

typedef struct {
	gchar *tmpdir;
	gchar *path;        /* the firmware the artifacts name */
	GBytes *inspected;  /* what it held when sl_launch_artifacts_check() ran */
	GBytes *swapped_in; /* what replaces it afterwards */
} TestSwap;

static void
test_swap_clear(TestSwap *self)
{
	if (self->path != NULL)
		(void)g_unlink(self->path);
	if (self->tmpdir != NULL)
		(void)g_rmdir(self->tmpdir);
	g_free(self->path);
	g_free(self->tmpdir);
	g_clear_pointer(&self->inspected, g_bytes_unref);
	g_clear_pointer(&self->swapped_in, g_bytes_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(TestSwap, test_swap_clear)

/* the sevctl firmware at a temporary path, and a copy that differs in one byte */
static void
test_swap_init(TestSwap *self)
{
	g_autofree gchar *fixture = g_test_build_filename(G_TEST_DIST, "data", "sevctl", SEVCTL_OVMF, NULL);
	g_autofree gchar *data = NULL;
	gsize len = 0;

	g_assert_true(g_file_get_contents(fixture, &data, &len, NULL));
	self->tmpdir = g_dir_make_tmp("sl-test-artifacts-XXXXXX", NULL);
	self->path = g_build_filename(self->tmpdir, "OVMF.fd", NULL);
	g_assert_true(g_file_set_contents(self->path, data, (gssize)len, NULL));
	self->inspected = g_bytes_new(data, len);
	data[len / 2] ^= 0x01;
	self->swapped_in = g_bytes_new(data, len);
}

/* replaced by rename, as an attacker with write access to the directory would */
static void
test_swap_replace(TestSwap *self)
{
	g_autofree gchar *tmp = g_build_filename(self->tmpdir, "OVMF.fd.new", NULL);
	gsize len = 0;
	const gchar *data = g_bytes_get_data(self->swapped_in, &len);

	g_assert_true(g_file_set_contents(tmp, data, (gssize)len, NULL));
	g_assert_cmpint(g_rename(tmp, self->path), ==, 0);
}

static gchar *
test_sha256_hex(GBytes *bytes)
{
	return g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, bytes);
}

static gchar *
test_hex(const guint8 *data, gsize len)
{
	GString *hex = g_string_new(NULL);
	for (gsize i = 0; i < len; i++)
		g_string_append_printf(hex, "%02x", data[i]);
	return g_string_free(hex, FALSE);
}

/* the firmware part of the digest is the file as sl_launch_artifacts_check() read it */
static void
test_firmware_hashed_as_inspected(void)
{
	g_auto(TestSwap) swap = {0};
	g_autoptr(SlLaunchArtifacts) artifacts = sl_launch_artifacts_new();
	g_autoptr(SlLaunchDigestPrefix) prefix = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *expected = NULL;
	g_autofree gchar *got = NULL;
	guint8 digest[SL_SHA256_SIZE];

	test_swap_init(&swap);
	artifacts->firmware = g_strdup(swap.path);
	g_assert_true(sl_launch_artifacts_check(artifacts, &error));
	g_assert_no_error(error);
	test_swap_replace(&swap);

	prefix = sl_launch_artifacts_hash_prefix(artifacts, &error);
	g_assert_no_error(error);
	g_assert_nonnull(prefix);
	sl_launch_digest_finish(prefix->digest, digest);
	/* plain SEV without a kernel: the launch digest is sha256(firmware) */
	expected = test_sha256_hex(swap.inspected);
	got = test_hex(digest, sizeof(digest));
	g_assert_cmpstr(got, ==, expected);
}

static void
test_firmware_hash_async_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlLaunchDigestPrefix **prefix = user_data;
	g_autoptr(GError) error = NULL;

	*prefix = sl_launch_artifacts_hash_prefix_finish(NULL, res, &error);
	g_assert_no_error(error);
	g_assert_nonnull(*prefix);
}

/* the same on the worker thread the live flow uses, and in the report */
static void
test_firmware_hashed_as_inspected_async(void)
{
	g_auto(TestSwap) swap = {0};
	g_autoptr(SlLaunchArtifacts) artifacts = sl_launch_artifacts_new();
	g_autoptr(SlLaunchDigestPrefix) prefix = NULL;
	g_autoptr(SlReport) report = sl_report_new("measure");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *expected = NULL;
	g_autofree gchar *got = NULL;
	g_autofree gchar *json = NULL;
	g_autofree gchar *wanted = NULL;
	guint8 digest[SL_SHA256_SIZE];

	test_swap_init(&swap);
	artifacts->firmware = g_strdup(swap.path);
	g_assert_true(sl_launch_artifacts_check(artifacts, &error));
	g_assert_no_error(error);
	test_swap_replace(&swap);

	sl_launch_artifacts_hash_prefix_async(artifacts, NULL, test_firmware_hash_async_cb, &prefix);
	while (prefix == NULL)
		g_main_context_iteration(NULL, TRUE);
	sl_launch_artifacts_describe(artifacts, prefix, TRUE, report);
	sl_launch_digest_finish(prefix->digest, digest);
	expected = test_sha256_hex(swap.inspected);
	got = test_hex(digest, sizeof(digest));
	g_assert_cmpstr(got, ==, expected);
	json = sl_report_to_json(report);
	wanted = g_strdup_printf("\"sha256\":\"%s\"", expected);
	g_test_message("report: %s", json);
	g_assert_nonnull(strstr(json, wanted));
}

/* one image QEMU could not load is refused when it is read, with its name */
static void
test_firmware_too_small(void)
{
	g_autoptr(SlLaunchArtifacts) artifacts = sl_launch_artifacts_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tmpdir = g_dir_make_tmp("sl-test-artifacts-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(tmpdir, "small.fd", NULL);

	g_assert_true(g_file_set_contents(path, "", 0, NULL));
	artifacts->firmware = g_strdup(path);
	g_assert_false(sl_launch_artifacts_check(artifacts, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, path));
	g_assert_cmpint(g_unlink(path), ==, 0);
	g_assert_cmpint(g_rmdir(tmpdir), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/launch-artifacts/firmware-hashed-as-inspected", test_firmware_hashed_as_inspected);
	g_test_add_func("/launch-artifacts/firmware-hashed-as-inspected-async",
			test_firmware_hashed_as_inspected_async);
	g_test_add_func("/launch-artifacts/firmware-too-small", test_firmware_too_small);
	return g_test_run();
}
