/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-error.h"
#include "sl-le.h"
#include "sl-secret-table.h"

typedef struct {
	SlGuid guid;
	SlSecretBytes *data;
} SlSecretEntry;

struct _SlSecretTable {
	GPtrArray *entries; /* of SlSecretEntry */
	gsize size;         /* serialized, unpadded, header included */
};

typedef struct {
	const gchar *name;
	const gchar *guid;
} SlSecretAlias;

/* GUIDs the guest side already looks for */
static const SlSecretAlias sl_secret_aliases[] = {
    {"luks-key", SL_SECRET_GUID_LUKS_KEY},
};

static const gchar *const sl_secret_alias_names[] = {"luks-key", NULL};

G_STATIC_ASSERT(G_N_ELEMENTS(sl_secret_aliases) + 1 == G_N_ELEMENTS(sl_secret_alias_names));
/* every size fits the u32 length fields */
G_STATIC_ASSERT(SL_SECRET_TABLE_MAX_SIZE <= G_MAXUINT32);
G_STATIC_ASSERT(SL_SECRET_TABLE_MAX_SIZE % 16 == 0);

static void
sl_secret_entry_free(SlSecretEntry *entry)
{
	sl_secret_bytes_unref(entry->data);
	g_free(entry);
}

SlSecretTable *
sl_secret_table_new(void)
{
	SlSecretTable *self = g_new0(SlSecretTable, 1);
	self->entries = g_ptr_array_new_with_free_func((GDestroyNotify)sl_secret_entry_free);
	self->size = SL_SECRET_TABLE_HEADER_SIZE;
	return self;
}

void
sl_secret_table_free(SlSecretTable *self)
{
	if (self == NULL)
		return;
	g_ptr_array_unref(self->entries);
	g_free(self);
}

const gchar *const *
sl_secret_get_aliases(void)
{
	return sl_secret_alias_names;
}

gboolean
sl_secret_guid_from_alias(const gchar *text, SlGuid *guid, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *names = NULL;

	g_return_val_if_fail(guid != NULL, FALSE);

	if (text == NULL || text[0] == '\0') {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "a secret needs a GUID or a name");
		return FALSE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(sl_secret_aliases); i++) {
		if (g_ascii_strcasecmp(text, sl_secret_aliases[i].name) == 0) {
			*guid = sl_guid_from_string(sl_secret_aliases[i].guid);
			return TRUE;
		}
	}
	if (sl_guid_parse(text, guid, &error_local))
		return TRUE;
	names = g_strjoinv(", ", (gchar **)sl_secret_alias_names);
	g_set_error(error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "unknown secret '%s': expected a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx) "
		    "or one of: %s",
		    text,
		    names);
	return FALSE;
}

static gboolean
sl_secret_table_has_guid(const SlSecretTable *self, const SlGuid *guid)
{
	for (guint i = 0; i < self->entries->len; i++) {
		const SlSecretEntry *entry = g_ptr_array_index(self->entries, i);
		if (sl_guid_equal(&entry->guid, guid))
			return TRUE;
	}
	return FALSE;
}

gboolean
sl_secret_table_add(SlSecretTable *self, const SlGuid *guid, SlSecretBytes *data, GError **error)
{
	static const SlGuid null_guid = {0};
	SlSecretEntry *entry;
	gsize len;
	gsize avail;

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(guid != NULL, FALSE);
	g_return_val_if_fail(data != NULL, FALSE);

	/* efi_secret treats the null GUID as a deleted entry */
	if (sl_guid_equal(guid, &null_guid)) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "the null GUID marks a deleted secret and cannot be injected");
		return FALSE;
	}
	if (sl_secret_table_has_guid(self, guid)) {
		g_autofree gchar *text = sl_guid_to_string(guid);
		g_set_error(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "secret %s is given twice", text);
		return FALSE;
	}

	/* self->size never exceeds the maximum, so this cannot wrap */
	len = sl_secret_bytes_get_size(data);
	avail = SL_SECRET_TABLE_MAX_SIZE - self->size;
	if (avail < SL_SECRET_ENTRY_HEADER_SIZE || avail - SL_SECRET_ENTRY_HEADER_SIZE < len) {
		g_autofree gchar *text = sl_guid_to_string(guid);
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "secret %s (%" G_GSIZE_FORMAT " bytes) makes the secret table larger "
			    "than %u bytes",
			    text,
			    len,
			    (guint)SL_SECRET_TABLE_MAX_SIZE);
		return FALSE;
	}

	entry = g_new0(SlSecretEntry, 1);
	entry->guid = *guid;
	entry->data = sl_secret_bytes_ref(data);
	g_ptr_array_add(self->entries, entry);
	self->size += SL_SECRET_ENTRY_HEADER_SIZE + len;
	return TRUE;
}

gboolean
sl_secret_table_add_spec(SlSecretTable *self, const gchar *spec, SlSecureFileFlags flags, GError **error)
{
	g_autoptr(SlSecretBytes) data = NULL;
	g_autofree gchar *name = NULL;
	const gchar *sep;
	const gchar *path;
	SlGuid guid = {0};

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(spec != NULL, FALSE);

	/* GUIDs and aliases have no ':', file names may */
	sep = strchr(spec, ':');
	if (sep == NULL || sep == spec || sep[1] == '\0') {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "secret '%s' is not of the form GUID-OR-NAME:FILE",
			    spec);
		return FALSE;
	}
	name = g_strndup(spec, (gsize)(sep - spec));
	path = sep + 1;
	if (!sl_secret_guid_from_alias(name, &guid, error))
		return FALSE;
	data = sl_secure_file_read(path,
				   "secret file",
				   0,
				   SL_SECRET_TABLE_MAX_SIZE - SL_SECRET_TABLE_HEADER_SIZE -
				       SL_SECRET_ENTRY_HEADER_SIZE,
				   flags | SL_SECURE_FILE_FLAG_REFUSE_EMPTY,
				   error);
	if (data == NULL) {
		g_prefix_error(error, "secret %s: ", name);
		return FALSE;
	}
	if (!sl_secret_table_add(self, &guid, data, error)) {
		g_prefix_error(error, "secret %s from %s: ", name, path);
		return FALSE;
	}
	return TRUE;
}

guint
sl_secret_table_get_count(const SlSecretTable *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->entries->len;
}

const SlGuid *
sl_secret_table_get_guid(const SlSecretTable *self, guint index)
{
	SlSecretEntry *entry;

	g_return_val_if_fail(index < self->entries->len, NULL);
	entry = g_ptr_array_index(self->entries, index);
	return &entry->guid;
}

void
sl_secret_table_describe(const SlSecretTable *self, const gchar *key, SlReport *report)
{
	sl_report_begin_array(report, key);
	for (guint i = 0; i < self->entries->len; i++) {
		g_autofree gchar *guid = sl_guid_to_string(sl_secret_table_get_guid(self, i));
		sl_report_add_string(report, NULL, guid);
	}
	sl_report_end_array(report);
}

gsize
sl_secret_table_get_size(const SlSecretTable *self)
{
	g_return_val_if_fail(self != NULL, 0);
	if (self->entries->len == 0)
		return 0;
	return self->size;
}

gsize
sl_secret_table_get_padded_size(const SlSecretTable *self)
{
	gsize size = sl_secret_table_get_size(self);
	return (size + 15) & ~(gsize)15;
}

/* the table and each entry start alike: GUID || u32 length */
G_STATIC_ASSERT(SL_SECRET_TABLE_HEADER_SIZE == SL_SECRET_ENTRY_HEADER_SIZE);

static guint8 *
sl_secret_table_write_header(guint8 *p, const SlGuid *guid, gsize len)
{
	memcpy(p, guid->bytes, SL_GUID_SIZE);
	sl_le_write_u32(p, SL_SECRET_TABLE_HEADER_SIZE, SL_GUID_SIZE, (guint32)len);
	return p + SL_SECRET_TABLE_HEADER_SIZE;
}

SlSecretBytes *
sl_secret_table_serialize(const SlSecretTable *self, GError **error)
{
	g_autoptr(SlSecretBytes) buf = NULL;
	SlGuid header_guid = sl_guid_from_string(SL_SECRET_TABLE_GUID);
	guint8 *p;

	g_return_val_if_fail(self != NULL, NULL);

	if (self->entries->len == 0) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "no secrets to inject: the secret table is empty");
		return NULL;
	}

	/* zero-filled, so the padding needs no work */
	buf = sl_secret_bytes_new(sl_secret_table_get_padded_size(self));
	p = sl_secret_bytes_get_data(buf);
	p = sl_secret_table_write_header(p, &header_guid, self->size);
	for (guint i = 0; i < self->entries->len; i++) {
		SlSecretEntry *entry = g_ptr_array_index(self->entries, i);
		gsize len = sl_secret_bytes_get_size(entry->data);
		p = sl_secret_table_write_header(p, &entry->guid, SL_SECRET_ENTRY_HEADER_SIZE + len);
		if (len > 0)
			memcpy(p, sl_secret_bytes_get_data(entry->data), len);
		p += len;
	}
	return g_steal_pointer(&buf);
}
