/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-secret-bytes.h"

struct _SlSecretBytes {
	gint refcount;
	gsize len;
	guint8 *data;
};

SlSecretBytes *
sl_secret_bytes_new(gsize len)
{
	SlSecretBytes *self = g_new0(SlSecretBytes, 1);
	self->refcount = 1;
	self->len = len;
	/* never zero-sized so get_data() is always a valid pointer */
	self->data = g_malloc0(MAX(len, 1));
	return self;
}

SlSecretBytes *
sl_secret_bytes_new_copy(const void *data, gsize len)
{
	SlSecretBytes *self = sl_secret_bytes_new(len);
	if (len > 0)
		memcpy(self->data, data, len);
	return self;
}

SlSecretBytes *
sl_secret_bytes_ref(SlSecretBytes *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->refcount);
	return self;
}

void
sl_secret_bytes_unref(SlSecretBytes *self)
{
	if (self == NULL)
		return;
	if (!g_atomic_int_dec_and_test(&self->refcount))
		return;
	sl_wipe(self->data, MAX(self->len, 1));
	g_free(self->data);
	g_free(self);
}

guint8 *
sl_secret_bytes_get_data(SlSecretBytes *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->data;
}

gsize
sl_secret_bytes_get_size(const SlSecretBytes *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->len;
}

void
sl_wipe(void *buf, gsize len)
{
	if (buf != NULL && len > 0)
		explicit_bzero(buf, len);
}
