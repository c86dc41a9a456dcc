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

void
sl_launch_digest_add_firmware(SlLaunchDigest *self, GBytes *image)
{
	gsize len = 0;
	const guint8 *data;

	g_return_if_fail(self != NULL);
	g_return_if_fail(!self->finished);
	g_return_if_fail(image != NULL);
	data = g_bytes_get_data(image, &len);
	sl_sha256_update(self->sha, data, len);
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

SlLaunchDigest *
sl_launch_digest_copy(SlLaunchDigest *self, GError **error)
{
	g_autoptr(SlLaunchDigest) copy = g_new0(SlLaunchDigest, 1);

	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(!self->finished, NULL);
	copy->sha = sl_sha256_copy(self->sha, error);
	if (copy->sha == NULL)
		return NULL;
	return g_steal_pointer(&copy);
}

gboolean
sl_launch_digest_peek(SlLaunchDigest *self, guint8 digest[SL_SHA256_SIZE], GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(!self->finished, FALSE);
	return sl_sha256_peek(self->sha, digest, error);
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
