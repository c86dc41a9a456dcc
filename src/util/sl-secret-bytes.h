/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * an owned buffer for key material and secret payloads: wiped before it is
 * freed, never printed; reference counted so a table can share entries
 */
typedef struct _SlSecretBytes SlSecretBytes;

SlSecretBytes *
sl_secret_bytes_new(gsize len);
/* copies @data; the caller still wipes its own copy */
SlSecretBytes *
sl_secret_bytes_new_copy(const void *data, gsize len);
SlSecretBytes *
sl_secret_bytes_ref(SlSecretBytes *self);
void
sl_secret_bytes_unref(SlSecretBytes *self);
guint8 *
sl_secret_bytes_get_data(SlSecretBytes *self);
gsize
sl_secret_bytes_get_size(const SlSecretBytes *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlSecretBytes, sl_secret_bytes_unref)

/* a wipe the compiler cannot optimise away (libc's explicit_bzero) */
void
sl_wipe(void *buf, gsize len);

G_END_DECLS
