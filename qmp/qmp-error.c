/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "qmp"

#include "config.h"

#include "qmp-error.h"

G_DEFINE_QUARK(qmp - error - quark, qmp_error)

QmpError
qmp_error_code_from_class(const gchar *error_class)
{
	struct {
		const gchar *name;
		QmpError code;
	} map[] = {
	    {"GenericError", QMP_ERROR_GENERIC_ERROR},
	    {"CommandNotFound", QMP_ERROR_COMMAND_NOT_FOUND},
	    {"DeviceNotActive", QMP_ERROR_DEVICE_NOT_ACTIVE},
	    {"DeviceNotFound", QMP_ERROR_DEVICE_NOT_FOUND},
	    {"KVMMissingCap", QMP_ERROR_KVM_MISSING_CAP},
	};
	if (error_class == NULL)
		return QMP_ERROR_OTHER_CLASS;
	for (guint i = 0; i < G_N_ELEMENTS(map); i++) {
		if (g_strcmp0(map[i].name, error_class) == 0)
			return map[i].code;
	}
	return QMP_ERROR_OTHER_CLASS;
}
