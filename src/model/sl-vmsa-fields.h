/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "sl-vmsa.h"

G_BEGIN_DECLS

/* the named fields of a VMSA page, for people reading VMSAs made by other tools */
typedef enum {
	SL_VMSA_FIELD_SEGMENT, /* selector u16, attrib u16, limit u32, base u64 */
	SL_VMSA_FIELD_U16,
	SL_VMSA_FIELD_U32,
	SL_VMSA_FIELD_U64,
} SlVmsaFieldKind;

typedef struct {
	const gchar *name;
	gsize offset;
	SlVmsaFieldKind kind;
} SlVmsaField;

typedef struct {
	guint16 selector;
	guint16 attrib;
	guint32 limit;
	guint64 base;
} SlVmsaSegment;

/* the fields in page order; @count gets their number */
const SlVmsaField *
sl_vmsa_fields_get(guint *count);
gsize
sl_vmsa_field_get_size(const SlVmsaField *field);
/* the value of a scalar field */
guint64
sl_vmsa_field_get_value(const SlVmsaField *field, const guint8 vmsa[SL_VMSA_SIZE]);
void
sl_vmsa_field_get_segment(const SlVmsaField *field, const guint8 vmsa[SL_VMSA_SIZE], SlVmsaSegment *segment);
/* "0x1f80", or "selector 0xf000 attrib 0x9b limit 0xffff base 0xffff0000" */
gchar *
sl_vmsa_field_format(const SlVmsaField *field, const guint8 vmsa[SL_VMSA_SIZE]);

/*
 * what differs between two pages: the names of the fields, then any bytes
 * outside named fields as "bytes 0xOFF-0xEND"
 */
GPtrArray *
sl_vmsa_diff(const guint8 a[SL_VMSA_SIZE], const guint8 b[SL_VMSA_SIZE]);

G_END_DECLS
