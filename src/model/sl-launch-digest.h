/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "sl-crypto.h"
#include "sl-hashes-table.h"
#include "sl-vmsa.h"

G_BEGIN_DECLS

/*
 * GCTX.LD, the digest the PSP keeps over every LAUNCH_UPDATE_DATA and
 * LAUNCH_UPDATE_VMSA: SHA256(firmware || padded hashes table || VMSAs),
 * fed in the order QEMU issues them; after an error, discard the object
 */
typedef struct _SlLaunchDigest SlLaunchDigest;

SlLaunchDigest *
sl_launch_digest_new(GError **error);
/* the firmware image as sl_ovmf_read_image() read it */
void
sl_launch_digest_add_firmware(SlLaunchDigest *self, GBytes *image);
void
sl_launch_digest_add_hashes_table(SlLaunchDigest *self, const guint8 table[SL_HASHES_TABLE_PADDED_SIZE]);
void
sl_launch_digest_add_vmsa(SlLaunchDigest *self, const guint8 vmsa[SL_VMSA_SIZE]);
/* an independent digest in the same state, to continue one prefix many ways */
SlLaunchDigest *
sl_launch_digest_copy(SlLaunchDigest *self, GError **error);
/* the digest so far, leaving @self to take more */
gboolean
sl_launch_digest_peek(SlLaunchDigest *self, guint8 digest[SL_SHA256_SIZE], GError **error);
/* may be called once */
void
sl_launch_digest_finish(SlLaunchDigest *self, guint8 digest[SL_SHA256_SIZE]);
void
sl_launch_digest_free(SlLaunchDigest *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlLaunchDigest, sl_launch_digest_free)

G_END_DECLS
