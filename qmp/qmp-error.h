/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define QMP_ERROR qmp_error_quark()

/*
 * error replies carry the QMP "desc" as message, unchanged, so the caller can
 * prefix its own context; a cancelled call is G_IO_ERROR_CANCELLED, as in GIO
 */
typedef enum {
	QMP_ERROR_CONNECT,           /* could not connect (after any wait retries) */
	QMP_ERROR_PROTOCOL,          /* the server broke the protocol */
	QMP_ERROR_CLOSED,            /* EOF, I/O error or closed by us */
	QMP_ERROR_TIMEOUT,           /* no reply in time */
	QMP_ERROR_GENERIC_ERROR,     /* "class": "GenericError" */
	QMP_ERROR_COMMAND_NOT_FOUND, /* "class": "CommandNotFound" */
	QMP_ERROR_DEVICE_NOT_ACTIVE, /* "class": "DeviceNotActive" */
	QMP_ERROR_DEVICE_NOT_FOUND,  /* "class": "DeviceNotFound" */
	QMP_ERROR_KVM_MISSING_CAP,   /* "class": "KVMMissingCap" */
	QMP_ERROR_OTHER_CLASS,       /* any other class, named in the message */
} QmpError;

GQuark
qmp_error_quark(void);

/* maps the "class" of an error reply onto a code; unknown ones are OTHER_CLASS */
QmpError
qmp_error_code_from_class(const gchar *error_class);

G_END_DECLS
