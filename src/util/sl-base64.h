/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * g_base64_decode() skips characters outside the alphabet without a word;
 * this refuses anything that is not canonical padded base64, and when
 * @expected_len is non-zero, anything that does not decode to that length.
 * @what names the value in errors ("--measurement").
 */
GBytes *
sl_base64_decode_strict(const gchar *text, gsize expected_len, const gchar *what, GError **error);

G_END_DECLS
