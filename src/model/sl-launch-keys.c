/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-error.h"
#include "sl-launch-keys.h"

void
sl_launch_keys_free(SlLaunchKeys *self)
{
	if (self == NULL)
		return;
	g_clear_pointer(&self->tik, sl_secret_bytes_unref);
	g_clear_pointer(&self->tek, sl_secret_bytes_unref);
	g_free(self);
}

static SlLaunchKeys *
sl_launch_keys_load_tk(const gchar *tk_path, SlSecureFileFlags flags, GError **error)
{
	g_autoptr(SlLaunchKeys) self = g_new0(SlLaunchKeys, 1);
	g_autoptr(SlSecretBytes) tk = NULL;
	const guint8 *data;

	tk = sl_secure_file_read(tk_path, "TK file", 2 * SL_LAUNCH_KEY_SIZE, 0, flags, error);
	if (tk == NULL)
		return NULL;
	data = sl_secret_bytes_get_data(tk);
	self->tek = sl_secret_bytes_new_copy(data, SL_LAUNCH_KEY_SIZE);
	self->tik = sl_secret_bytes_new_copy(data + SL_LAUNCH_KEY_SIZE, SL_LAUNCH_KEY_SIZE);
	return g_steal_pointer(&self);
}

SlLaunchKeys *
sl_launch_keys_load(const gchar *tik_path,
		    const gchar *tek_path,
		    const gchar *tk_path,
		    SlSecureFileFlags flags,
		    GError **error)
{
	g_autoptr(SlLaunchKeys) self = NULL;

	if (tk_path != NULL) {
		if (tik_path != NULL || tek_path != NULL) {
			g_set_error_literal(error,
					    SL_ERROR,
					    SL_ERROR_INVALID_ARGUMENT,
					    "a TK holds both the TEK and the TIK: not also a TIK or TEK");
			return NULL;
		}
		return sl_launch_keys_load_tk(tk_path, flags, error);
	}
	if (tik_path == NULL) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "no TIK");
		return NULL;
	}
	self = g_new0(SlLaunchKeys, 1);
	self->tik = sl_secure_file_read(tik_path, "TIK file", SL_LAUNCH_KEY_SIZE, 0, flags, error);
	if (self->tik == NULL)
		return NULL;
	if (tek_path != NULL) {
		self->tek = sl_secure_file_read(tek_path, "TEK file", SL_LAUNCH_KEY_SIZE, 0, flags, error);
		if (self->tek == NULL)
			return NULL;
	}
	return g_steal_pointer(&self);
}
