/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "sl-amd-keys.h"
#include "sl-builtin-certs.h"
#include "sl-error.h"
#include "sl-sev-cert.h"

#define SL_AMD_KEYS_RESOURCE_PREFIX "/org/sevlaunch/amd-certs"

static const gchar *const sl_amd_keys_generations[] = {"naples", "rome", "milan", "genoa", "turin", NULL};

const gchar *const *
sl_amd_keys_get_generations(void)
{
	return sl_amd_keys_generations;
}

GBytes *
sl_amd_keys_lookup(const gchar *generation, guint32 usage, GError **error)
{
	g_autofree gchar *path = NULL;
	GBytes *bytes;

	/* checked against the list, so a name cannot walk the resource tree */
	if (generation == NULL || !g_strv_contains(sl_amd_keys_generations, generation)) {
		g_autofree gchar *known = g_strjoinv(", ", (gchar **)sl_amd_keys_generations);
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "unknown processor generation '%s' (known: %s)",
			    generation != NULL ? generation : "",
			    known);
		return NULL;
	}
	if (usage != SL_SEV_USAGE_ARK && usage != SL_SEV_USAGE_ASK) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "only the ARK and ASK are built in");
		return NULL;
	}
	path = g_strdup_printf("%s/%s/%s.cert",
			       SL_AMD_KEYS_RESOURCE_PREFIX,
			       generation,
			       usage == SL_SEV_USAGE_ARK ? "ark" : "ask");
	bytes =
	    g_resource_lookup_data(sl_builtin_certs_get_resource(), path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
	if (bytes == NULL)
		g_set_error(error, SL_ERROR, SL_ERROR_INTERNAL, "built-in certificate %s missing", path);
	return bytes;
}
