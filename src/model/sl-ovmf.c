/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "sl-error.h"
#include "sl-file.h"
#include "sl-le.h"
#include "sl-ovmf.h"

/* every entry, and the table itself, ends with u16 length || GUID */
#define SL_OVMF_ENTRY_HEADER_SIZE (2 + SL_GUID_SIZE)
/* the reset vector code that follows the footer GUID */
#define SL_OVMF_BYTES_AFTER_TABLE (SL_OVMF_FOOTER_OFFSET_FROM_END - SL_GUID_SIZE)

struct _SlOvmf {
	guint64 image_size;
	gboolean has_footer_table;
	GPtrArray *entries; /* of SlOvmfEntry */
};

/* payload a known entry needs, so the getters never read past it */
typedef struct {
	const gchar *guid;
	const gchar *name;
	gsize min_size;
} SlOvmfKnownEntry;

static const SlOvmfKnownEntry sl_ovmf_known_entries[] = {
    {SL_OVMF_SEV_ES_RESET_BLOCK_GUID, "SEV-ES reset block", 4},
    {SL_OVMF_SEV_SECRET_BLOCK_GUID, "SEV secret area", 8},
    {SL_OVMF_SEV_HASH_TABLE_RV_GUID, "kernel hashes area", 8},
};

static void
sl_ovmf_entry_free(SlOvmfEntry *entry)
{
	g_bytes_unref(entry->data);
	g_free(entry);
}

void
sl_ovmf_free(SlOvmf *self)
{
	if (self == NULL)
		return;
	g_ptr_array_unref(self->entries);
	g_free(self);
}

static SlOvmf *
sl_ovmf_new(guint64 image_size)
{
	SlOvmf *self = g_new0(SlOvmf, 1);
	self->image_size = image_size;
	self->entries = g_ptr_array_new_with_free_func((GDestroyNotify)sl_ovmf_entry_free);
	return self;
}

static gboolean
sl_ovmf_check_known_entry(const SlGuid *guid, gsize data_len, GError **error)
{
	for (guint i = 0; i < G_N_ELEMENTS(sl_ovmf_known_entries); i++) {
		SlGuid known = sl_guid_from_string(sl_ovmf_known_entries[i].guid);
		if (!sl_guid_equal(guid, &known))
			continue;
		if (data_len < sl_ovmf_known_entries[i].min_size) {
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_DATA,
				    "OVMF footer table: %s entry has %" G_GSIZE_FORMAT
				    " bytes of data, needs %" G_GSIZE_FORMAT,
				    sl_ovmf_known_entries[i].name,
				    data_len,
				    sl_ovmf_known_entries[i].min_size);
			return FALSE;
		}
	}
	return TRUE;
}

/* @table holds the entries only: the table's own length and GUID are cut off */
static gboolean
sl_ovmf_parse_entries(SlOvmf *self, const guint8 *table, gsize avail, GError **error)
{
	/* walk back from the footer; each step consumes a whole entry */
	while (avail > 0) {
		SlOvmfEntry *entry;
		g_autofree gchar *guid_str = NULL;
		SlGuid guid;
		gsize len;

		if (avail < SL_OVMF_ENTRY_HEADER_SIZE) {
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_DATA,
				    "OVMF footer table: %" G_GSIZE_FORMAT
				    " bytes at its start are too short for an entry",
				    avail);
			return FALSE;
		}
		memcpy(guid.bytes, table + avail - SL_GUID_SIZE, SL_GUID_SIZE);
		len = sl_le_read_u16(table, avail, avail - SL_OVMF_ENTRY_HEADER_SIZE);
		guid_str = sl_guid_to_string(&guid);
		if (len < SL_OVMF_ENTRY_HEADER_SIZE) {
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_DATA,
				    "OVMF footer table: entry %s has length %" G_GSIZE_FORMAT
				    ", less than its %u-byte header",
				    guid_str,
				    len,
				    (guint)SL_OVMF_ENTRY_HEADER_SIZE);
			return FALSE;
		}
		if (len > avail) {
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_DATA,
				    "OVMF footer table: entry %s has length %" G_GSIZE_FORMAT
				    " but only %" G_GSIZE_FORMAT " bytes of the table remain",
				    guid_str,
				    len,
				    avail);
			return FALSE;
		}
		if (!sl_ovmf_check_known_entry(&guid, len - SL_OVMF_ENTRY_HEADER_SIZE, error))
			return FALSE;
		entry = g_new0(SlOvmfEntry, 1);
		entry->guid = guid;
		entry->data = g_bytes_new(table + avail - len, len - SL_OVMF_ENTRY_HEADER_SIZE);
		/* prepending keeps the array in file order */
		g_ptr_array_insert(self->entries, 0, entry);
		avail -= len;
	}
	return TRUE;
}

static gboolean
sl_ovmf_parse_tail(SlOvmf *self, const guint8 *buf, gsize len, GError **error)
{
	SlGuid footer_guid = sl_guid_from_string(SL_OVMF_FOOTER_GUID);
	const guint8 *footer;
	gsize table_len;

	if (len < SL_OVMF_FOOTER_OFFSET_FROM_END) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "firmware is %" G_GSIZE_FORMAT " bytes, too small to hold the %u-byte "
			    "OVMF reset vector footer",
			    len,
			    (guint)SL_OVMF_FOOTER_OFFSET_FROM_END);
		return FALSE;
	}
	footer = buf + len - SL_OVMF_FOOTER_OFFSET_FROM_END;
	if (memcmp(footer, footer_guid.bytes, SL_GUID_SIZE) != 0)
		return TRUE;
	self->has_footer_table = TRUE;

	/* the table, including its own length and GUID, ends where the footer GUID does */
	if (len < SL_OVMF_FOOTER_OFFSET_FROM_END + 2) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_DATA,
				    "OVMF footer table: its length field lies before the start of the "
				    "image");
		return FALSE;
	}
	table_len = sl_le_read_u16(buf, len, len - SL_OVMF_FOOTER_OFFSET_FROM_END - 2);
	if (table_len < SL_OVMF_ENTRY_HEADER_SIZE) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "OVMF footer table: length %" G_GSIZE_FORMAT
			    " is less than its own %u-byte header",
			    table_len,
			    (guint)SL_OVMF_ENTRY_HEADER_SIZE);
		return FALSE;
	}
	if (table_len > len - SL_OVMF_BYTES_AFTER_TABLE) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "OVMF footer table: length %" G_GSIZE_FORMAT " runs past the start of the image",
			    table_len);
		return FALSE;
	}
	return sl_ovmf_parse_entries(
	    self, footer + SL_GUID_SIZE - table_len, table_len - SL_OVMF_ENTRY_HEADER_SIZE, error);
}

SlOvmf *
sl_ovmf_new_from_bytes(GBytes *image_tail, GError **error)
{
	g_autoptr(SlOvmf) self = NULL;
	const guint8 *buf;
	gsize len = 0;

	g_return_val_if_fail(image_tail != NULL, NULL);
	buf = g_bytes_get_data(image_tail, &len);
	self = sl_ovmf_new(len);
	if (!sl_ovmf_parse_tail(self, buf, len, error))
		return NULL;
	return g_steal_pointer(&self);
}

/* a size QEMU could load as a flash image, and one worth holding in memory */
static gboolean
sl_ovmf_check_image_size(const gchar *path, const struct stat *st, GError **error)
{
	if (st->st_size < SL_OVMF_MIN_IMAGE_SIZE) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "firmware %s: %" G_GUINT64_FORMAT " bytes is too small to be OVMF firmware "
			    "(at least %u)",
			    path,
			    (guint64)st->st_size,
			    (guint)SL_OVMF_MIN_IMAGE_SIZE);
		return FALSE;
	}
	if (st->st_size > SL_OVMF_MAX_IMAGE_SIZE) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_DATA,
			    "firmware %s: %" G_GUINT64_FORMAT " bytes is too large to be a firmware image "
			    "(at most %u)",
			    path,
			    (guint64)st->st_size,
			    (guint)SL_OVMF_MAX_IMAGE_SIZE);
		return FALSE;
	}
	return TRUE;
}

GBytes *
sl_ovmf_read_image(const gchar *path, GError **error)
{
	g_autofree guint8 *buf = NULL;
	g_auto(SlFd) fd = -1;
	struct stat st;

	g_return_val_if_fail(path != NULL, NULL);
	fd = sl_file_open_regular(path, "firmware", &st, error);
	if (fd < 0 || !sl_ovmf_check_image_size(path, &st, error))
		return NULL;
	buf = g_malloc((gsize)st.st_size);
	/* a file that grew since the stat would not be what was read: refused */
	if (!sl_file_read_exact(fd, path, "firmware", buf, (gsize)st.st_size, error) ||
	    !sl_file_check_end(fd, path, "firmware", error))
		return NULL;
	return g_bytes_new_take(g_steal_pointer(&buf), (gsize)st.st_size);
}

SlOvmf *
sl_ovmf_new_from_file(const gchar *path, GError **error)
{
	g_autoptr(GBytes) image = sl_ovmf_read_image(path, error);
	SlOvmf *self;

	if (image == NULL)
		return NULL;
	self = sl_ovmf_new_from_bytes(image, error);
	if (self == NULL)
		g_prefix_error(error, "firmware %s: ", path);
	return self;
}

gboolean
sl_ovmf_has_footer_table(const SlOvmf *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->has_footer_table;
}

guint64
sl_ovmf_get_image_size(const SlOvmf *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->image_size;
}

GPtrArray *
sl_ovmf_get_entries(const SlOvmf *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->entries;
}

GBytes *
sl_ovmf_find_entry(const SlOvmf *self, const SlGuid *guid)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(guid != NULL, NULL);

	/* QEMU walks back from the footer and takes the first match */
	for (guint i = self->entries->len; i > 0; i--) {
		SlOvmfEntry *entry = g_ptr_array_index(self->entries, i - 1);
		if (sl_guid_equal(&entry->guid, guid))
			return entry->data;
	}
	return NULL;
}

/* entries of known GUIDs were length-checked when the table was parsed */
static GBytes *
sl_ovmf_find_known(const SlOvmf *self, const gchar *guid_str)
{
	SlGuid guid = sl_guid_from_string(guid_str);
	return sl_ovmf_find_entry(self, &guid);
}

gboolean
sl_ovmf_get_sev_es_reset_addr(const SlOvmf *self, guint32 *addr)
{
	GBytes *data = sl_ovmf_find_known(self, SL_OVMF_SEV_ES_RESET_BLOCK_GUID);
	if (data == NULL)
		return FALSE;
	if (addr != NULL)
		*addr = sl_le_read_u32(g_bytes_get_data(data, NULL), g_bytes_get_size(data), 0);
	return TRUE;
}

static gboolean
sl_ovmf_get_area(const SlOvmf *self, const gchar *guid_str, guint32 *base, guint32 *size)
{
	GBytes *data = sl_ovmf_find_known(self, guid_str);
	if (data == NULL)
		return FALSE;
	if (base != NULL)
		*base = sl_le_read_u32(g_bytes_get_data(data, NULL), g_bytes_get_size(data), 0);
	if (size != NULL)
		*size = sl_le_read_u32(g_bytes_get_data(data, NULL), g_bytes_get_size(data), 4);
	return TRUE;
}

gboolean
sl_ovmf_get_secret_area(const SlOvmf *self, guint32 *base, guint32 *size)
{
	return sl_ovmf_get_area(self, SL_OVMF_SEV_SECRET_BLOCK_GUID, base, size);
}

gboolean
sl_ovmf_get_hashes_area(const SlOvmf *self, guint32 *base, guint32 *size)
{
	return sl_ovmf_get_area(self, SL_OVMF_SEV_HASH_TABLE_RV_GUID, base, size);
}
