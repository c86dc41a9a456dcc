/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-error.h"
#include "sl-launch-digest.h"

struct _SlLaunchDigest {
	SlSha256 *sha;
	gboolean finished;
};

SlLaunchDigest *
sl_launch_digest_new(GError **error)
{
	g_autoptr(SlLaunchDigest) self = g_new0(SlLaunchDigest, 1);
	self->sha = sl_sha256_new(error);
	if (self->sha == NULL)
		return NULL;
	return g_steal_pointer(&self);
}

gboolean
sl_launch_digest_add_firmware(SlLaunchDigest *self, const gchar *path, GError **error)
{
	guint64 size = 0;

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(!self->finished, FALSE);
	g_return_val_if_fail(path != NULL, FALSE);

	if (!sl_sha256_update_from_file(self->sha, path, &size, error)) {
		g_prefix_error(error, "firmware: ");
		return FALSE;
	}
	/* an empty file is a wrong path, not a firmware QEMU could boot */
	if (size == 0) {
		g_set_error(error, SL_ERROR, SL_ERROR_INVALID_DATA, "firmware %s is empty", path);
		return FALSE;
	}
	return TRUE;
}

void
sl_launch_digest_add_hashes_table(SlLaunchDigest *self, const guint8 table[SL_HASHES_TABLE_PADDED_SIZE])
{
	g_return_if_fail(self != NULL);
	g_return_if_fail(!self->finished);
	g_return_if_fail(table != NULL);
	sl_sha256_update(self->sha, table, SL_HASHES_TABLE_PADDED_SIZE);
}

void
sl_launch_digest_add_vmsa(SlLaunchDigest *self, const guint8 vmsa[SL_VMSA_SIZE])
{
	g_return_if_fail(self != NULL);
	g_return_if_fail(!self->finished);
	g_return_if_fail(vmsa != NULL);
	sl_sha256_update(self->sha, vmsa, SL_VMSA_SIZE);
}

void
sl_launch_digest_finish(SlLaunchDigest *self, guint8 digest[SL_SHA256_SIZE])
{
	g_return_if_fail(self != NULL);
	g_return_if_fail(!self->finished);
	g_return_if_fail(digest != NULL);
	sl_sha256_finish(self->sha, digest);
	self->finished = TRUE;
}

void
sl_launch_digest_free(SlLaunchDigest *self)
{
	if (self == NULL)
		return;
	sl_sha256_free(self->sha);
	g_free(self);
}
