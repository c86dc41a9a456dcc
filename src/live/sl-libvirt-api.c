/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <gmodule.h>

#include "sl-error.h"
#include "sl-libvirt-api.h"

/* the runtime library of the libvirt-dev the build used */
#define SL_LIBVIRT_SONAME "libvirt.so.0"
#define SL_LIBVIRT_QEMU_SONAME "libvirt-qemu.so.0"

static SlLibvirtApi sl_libvirt_api;
static gchar *sl_libvirt_api_error;

/* errors are ours to report, on one line */
static void
sl_libvirt_api_silent_cb(void *user_data, virErrorPtr error)
{
}

static gboolean
sl_libvirt_api_symbol(GModule *module, const gchar *name, gpointer *symbol)
{
	if (g_module_symbol(module, name, symbol) && *symbol != NULL)
		return TRUE;
	sl_libvirt_api_error =
	    g_strdup_printf("%s has no %s (libvirt older than 8.0?)", SL_LIBVIRT_SONAME, name);
	return FALSE;
}

/* optional: without it the run state is libvirt's, which never says "prelaunch" */
static void
sl_libvirt_api_load_qemu(void)
{
	GModule *module = g_module_open(SL_LIBVIRT_QEMU_SONAME, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
	gpointer symbol = NULL;

	if (module == NULL)
		return;
	g_module_make_resident(module);
	if (g_module_symbol(module, "virDomainQemuMonitorCommand", &symbol))
		sl_libvirt_api.virDomainQemuMonitorCommand = symbol;
}

static gpointer
sl_libvirt_api_load_cb(gpointer data)
{
	/* stays loaded for the life of the process: libvirt keeps threads and handlers */
	GModule *module = g_module_open(SL_LIBVIRT_SONAME, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);

	if (module == NULL) {
		sl_libvirt_api_error = g_strdup_printf(
		    "cannot load %s (apt package libvirt0): %s", SL_LIBVIRT_SONAME, g_module_error());
		return NULL;
	}
	g_module_make_resident(module);
#define SL_LIBVIRT_API_LOAD(name)                                                                            \
	if (!sl_libvirt_api_symbol(module, #name, (gpointer *)&sl_libvirt_api.name))                         \
		return NULL;
	SL_LIBVIRT_FUNCTIONS(SL_LIBVIRT_API_LOAD)
#undef SL_LIBVIRT_API_LOAD
	if (!sl_libvirt_api_symbol(
		module, "virConnectAuthPtrDefault", (gpointer *)&sl_libvirt_api.auth_default))
		return NULL;
	if (sl_libvirt_api.virInitialize() != 0) {
		sl_libvirt_api_error = g_strdup("libvirt failed to initialize");
		return NULL;
	}
	sl_libvirt_api.virSetErrorFunc(NULL, sl_libvirt_api_silent_cb);
	sl_libvirt_api_load_qemu();
	return &sl_libvirt_api;
}

const SlLibvirtApi *
sl_libvirt_api_get(GError **error)
{
	static GOnce once = G_ONCE_INIT;
	const SlLibvirtApi *api = g_once(&once, sl_libvirt_api_load_cb, NULL);

	if (api == NULL)
		g_set_error_literal(error, SL_ERROR, SL_ERROR_CONNECTION, sl_libvirt_api_error);
	return api;
}
