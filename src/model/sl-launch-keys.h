/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-secret-bytes.h"
#include "sl-secure-file.h"

G_BEGIN_DECLS

#define SL_LAUNCH_KEY_SIZE 16

/* the owner's transport keys: TIK (integrity) and, for secrets, TEK */
typedef struct {
	SlSecretBytes *tik; /* 16 bytes, never NULL once loaded */
	SlSecretBytes *tek; /* 16 bytes, or NULL when only a TIK was given */
} SlLaunchKeys;

/*
 * loads keys from --tik/--tek files (16 raw bytes each) or a --tk file
 * (32 bytes: TEK then TIK, as virt-qemu-sev-validate reads it); @tk excludes
 * the other two
 */
SlLaunchKeys *
sl_launch_keys_load(const gchar *tik_path,
		    const gchar *tek_path,
		    const gchar *tk_path,
		    SlSecureFileFlags flags,
		    GError **error);
void
sl_launch_keys_free(SlLaunchKeys *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlLaunchKeys, sl_launch_keys_free)

G_END_DECLS
