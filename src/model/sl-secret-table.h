/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "sl-guid.h"
#include "sl-report.h"
#include "sl-secret-bytes.h"
#include "sl-secure-file.h"

G_BEGIN_DECLS

/* the EFI secret table the guest's efi_secret driver reads */
#define SL_SECRET_TABLE_GUID "1e74f542-71dd-4d66-963e-ef4287ff173b"
#define SL_SECRET_GUID_LUKS_KEY "736869e5-84f0-4973-92ec-06879ce3da0b"
/* sanity bound before any firmware limit */
#define SL_SECRET_TABLE_MAX_SIZE (1024 * 1024)
/* table header and entry header: GUID || u32 length */
#define SL_SECRET_TABLE_HEADER_SIZE 20
#define SL_SECRET_ENTRY_HEADER_SIZE 20

typedef struct _SlSecretTable SlSecretTable;

SlSecretTable *
sl_secret_table_new(void);
void
sl_secret_table_free(SlSecretTable *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlSecretTable, sl_secret_table_free)

/*
 * accepts an alias ("luks-key", any case) or GUID text; anything else is
 * SL_ERROR_INVALID_ARGUMENT naming the bad text
 */
gboolean
sl_secret_guid_from_alias(const gchar *text, SlGuid *guid, GError **error);
/* NULL-terminated alias names, for --help */
const gchar *const *
sl_secret_get_aliases(void);

/*
 * takes a ref on @data; a duplicate or all-zero GUID is
 * SL_ERROR_INVALID_ARGUMENT, a table growing past SL_SECRET_TABLE_MAX_SIZE
 * is SL_ERROR_INVALID_DATA
 */
gboolean
sl_secret_table_add(SlSecretTable *self, const SlGuid *guid, SlSecretBytes *data, GError **error);
/*
 * "GUID-OR-ALIAS:FILE": reads FILE with sl_secure_file_read
 * (REFUSE_EMPTY | @flags); errors name the GUID or alias and the file,
 * never the content
 */
gboolean
sl_secret_table_add_spec(SlSecretTable *self, const gchar *spec, SlSecureFileFlags flags, GError **error);

guint
sl_secret_table_get_count(const SlSecretTable *self);
/* the GUID of entry @index, in the order added */
const SlGuid *
sl_secret_table_get_guid(const SlSecretTable *self, guint index);
/* @key: an array of the GUIDs (never a size or a byte of the secrets) */
void
sl_secret_table_describe(const SlSecretTable *self, const gchar *key, SlReport *report);
/* bytes of the serialized table without padding; 0 while it is empty */
gsize
sl_secret_table_get_size(const SlSecretTable *self);
/* the size rounded up to a multiple of 16; 0 while it is empty */
gsize
sl_secret_table_get_padded_size(const SlSecretTable *self);

/*
 * header GUID || u32 total length || entries (GUID || u32 length including
 * the 20-byte entry header || data), zero-padded to a multiple of 16;
 * an empty table is SL_ERROR_INVALID_ARGUMENT
 */
SlSecretBytes *
sl_secret_table_serialize(const SlSecretTable *self, GError **error);

G_END_DECLS
