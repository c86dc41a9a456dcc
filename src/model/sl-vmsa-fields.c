/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-vmsa-fields.h"
#include "sl-vmsa-layout.h"

/* more of Linux's struct sev_es_save_area than sevlaunch itself writes */
#define SL_VMSA_CR3 0x150
#define SL_VMSA_RSP 0x1d8
#define SL_VMSA_RAX 0x1f8
#define SL_VMSA_RCX 0x308
#define SL_VMSA_RBX 0x318

static const SlVmsaField sl_vmsa_fields[] = {
    {"es", SL_VMSA_ES, SL_VMSA_FIELD_SEGMENT},
    {"cs", SL_VMSA_CS, SL_VMSA_FIELD_SEGMENT},
    {"ss", SL_VMSA_SS, SL_VMSA_FIELD_SEGMENT},
    {"ds", SL_VMSA_DS, SL_VMSA_FIELD_SEGMENT},
    {"fs", SL_VMSA_FS, SL_VMSA_FIELD_SEGMENT},
    {"gs", SL_VMSA_GS, SL_VMSA_FIELD_SEGMENT},
    {"gdtr", SL_VMSA_GDTR, SL_VMSA_FIELD_SEGMENT},
    {"ldtr", SL_VMSA_LDTR, SL_VMSA_FIELD_SEGMENT},
    {"idtr", SL_VMSA_IDTR, SL_VMSA_FIELD_SEGMENT},
    {"tr", SL_VMSA_TR, SL_VMSA_FIELD_SEGMENT},
    {"efer", SL_VMSA_EFER, SL_VMSA_FIELD_U64},
    {"cr4", SL_VMSA_CR4, SL_VMSA_FIELD_U64},
    {"cr3", SL_VMSA_CR3, SL_VMSA_FIELD_U64},
    {"cr0", SL_VMSA_CR0, SL_VMSA_FIELD_U64},
    {"dr7", SL_VMSA_DR7, SL_VMSA_FIELD_U64},
    {"dr6", SL_VMSA_DR6, SL_VMSA_FIELD_U64},
    {"rflags", SL_VMSA_RFLAGS, SL_VMSA_FIELD_U64},
    {"rip", SL_VMSA_RIP, SL_VMSA_FIELD_U64},
    {"rsp", SL_VMSA_RSP, SL_VMSA_FIELD_U64},
    {"rax", SL_VMSA_RAX, SL_VMSA_FIELD_U64},
    {"g_pat", SL_VMSA_G_PAT, SL_VMSA_FIELD_U64},
    {"rcx", SL_VMSA_RCX, SL_VMSA_FIELD_U64},
    {"rdx", SL_VMSA_RDX, SL_VMSA_FIELD_U64},
    {"rbx", SL_VMSA_RBX, SL_VMSA_FIELD_U64},
    {"sev_features", SL_VMSA_SEV_FEATURES, SL_VMSA_FIELD_U64},
    {"xcr0", SL_VMSA_XCR0, SL_VMSA_FIELD_U64},
    {"mxcsr", SL_VMSA_MXCSR, SL_VMSA_FIELD_U32},
    {"x87_fcw", SL_VMSA_X87_FCW, SL_VMSA_FIELD_U16},
};

const SlVmsaField *
sl_vmsa_fields_get(guint *count)
{
	*count = G_N_ELEMENTS(sl_vmsa_fields);
	return sl_vmsa_fields;
}

gsize
sl_vmsa_field_get_size(const SlVmsaField *field)
{
	switch (field->kind) {
	case SL_VMSA_FIELD_SEGMENT:
		return 16;
	case SL_VMSA_FIELD_U16:
		return 2;
	case SL_VMSA_FIELD_U32:
		return 4;
	default:
		return 8;
	}
}

static guint64
sl_vmsa_read_le(const guint8 *p, gsize size)
{
	guint64 value = 0;
	for (gsize i = 0; i < size; i++)
		value |= (guint64)p[i] << (8 * i);
	return value;
}

guint64
sl_vmsa_field_get_value(const SlVmsaField *field, const guint8 vmsa[SL_VMSA_SIZE])
{
	g_return_val_if_fail(field->kind != SL_VMSA_FIELD_SEGMENT, 0);
	return sl_vmsa_read_le(vmsa + field->offset, sl_vmsa_field_get_size(field));
}

void
sl_vmsa_field_get_segment(const SlVmsaField *field, const guint8 vmsa[SL_VMSA_SIZE], SlVmsaSegment *segment)
{
	const guint8 *p = vmsa + field->offset;
	segment->selector = (guint16)sl_vmsa_read_le(p + SL_VMSA_SEG_SELECTOR, 2);
	segment->attrib = (guint16)sl_vmsa_read_le(p + SL_VMSA_SEG_ATTRIB, 2);
	segment->limit = (guint32)sl_vmsa_read_le(p + SL_VMSA_SEG_LIMIT, 4);
	segment->base = sl_vmsa_read_le(p + SL_VMSA_SEG_BASE, 8);
}

gchar *
sl_vmsa_field_format(const SlVmsaField *field, const guint8 vmsa[SL_VMSA_SIZE])
{
	SlVmsaSegment seg;

	if (field->kind != SL_VMSA_FIELD_SEGMENT)
		return g_strdup_printf("0x%" G_GINT64_MODIFIER "x", sl_vmsa_field_get_value(field, vmsa));
	sl_vmsa_field_get_segment(field, vmsa, &seg);
	return g_strdup_printf("selector 0x%x attrib 0x%x limit 0x%x base 0x%" G_GINT64_MODIFIER "x",
			       seg.selector,
			       seg.attrib,
			       seg.limit,
			       seg.base);
}

static const SlVmsaField *
sl_vmsa_field_at(gsize offset)
{
	for (guint i = 0; i < G_N_ELEMENTS(sl_vmsa_fields); i++) {
		const SlVmsaField *field = &sl_vmsa_fields[i];
		if (offset >= field->offset && offset < field->offset + sl_vmsa_field_get_size(field))
			return field;
	}
	return NULL;
}

GPtrArray *
sl_vmsa_diff(const guint8 a[SL_VMSA_SIZE], const guint8 b[SL_VMSA_SIZE])
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	gsize run_start = 0;
	gboolean in_run = FALSE;

	for (guint i = 0; i < G_N_ELEMENTS(sl_vmsa_fields); i++) {
		const SlVmsaField *field = &sl_vmsa_fields[i];
		if (memcmp(a + field->offset, b + field->offset, sl_vmsa_field_get_size(field)) != 0)
			g_ptr_array_add(names, g_strdup(field->name));
	}
	/* differing bytes no field names, as ranges */
	for (gsize off = 0; off <= SL_VMSA_SIZE; off++) {
		gboolean differs = off < SL_VMSA_SIZE && a[off] != b[off] && sl_vmsa_field_at(off) == NULL;
		if (differs && !in_run) {
			run_start = off;
			in_run = TRUE;
		} else if (!differs && in_run) {
			g_ptr_array_add(names,
					g_strdup_printf("bytes 0x%03" G_GSIZE_MODIFIER
							"x-0x%03" G_GSIZE_MODIFIER "x",
							run_start,
							off - 1));
			in_run = FALSE;
		}
	}
	return names;
}
