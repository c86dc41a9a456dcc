/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

G_BEGIN_DECLS

/* the part of libvirt's API the libvirt target calls */
#define SL_LIBVIRT_FUNCTIONS(X)                                                                              \
	X(virInitialize)                                                                                     \
	X(virSetErrorFunc)                                                                                   \
	X(virGetLastError)                                                                                   \
	X(virResetLastError)                                                                                 \
	X(virConnectOpenAuth)                                                                                \
	X(virConnectClose)                                                                                   \
	X(virDomainLookupByID)                                                                               \
	X(virDomainLookupByUUIDString)                                                                       \
	X(virDomainLookupByName)                                                                             \
	X(virDomainGetName)                                                                                  \
	X(virDomainGetUUIDString)                                                                            \
	X(virDomainIsActive)                                                                                 \
	X(virDomainCreateWithFlags)                                                                          \
	X(virDomainGetXMLDesc)                                                                               \
	X(virDomainGetState)                                                                                 \
	X(virDomainGetVcpusFlags)                                                                            \
	X(virDomainGetLaunchSecurityInfo)                                                                    \
	X(virDomainSetLaunchSecurityState)                                                                   \
	X(virDomainResume)                                                                                   \
	X(virDomainDestroy)                                                                                  \
	X(virDomainFree)                                                                                     \
	X(virTypedParamsGet)                                                                                 \
	X(virTypedParamsGetString)                                                                           \
	X(virTypedParamsAddString)                                                                           \
	X(virTypedParamsAddULLong)                                                                           \
	X(virTypedParamsFree)

typedef struct {
#define SL_LIBVIRT_API_FIELD(name) __typeof__(name) *name;
	SL_LIBVIRT_FUNCTIONS(SL_LIBVIRT_API_FIELD)
#undef SL_LIBVIRT_API_FIELD
	virConnectAuthPtr *auth_default; /* virConnectAuthPtrDefault */
	/*
	 * libvirt-qemu.so.0's monitor passthrough, for QEMU's own run state
	 * ("prelaunch": the vCPUs never ran), which libvirt's domain state cannot
	 * tell from a later pause; NULL when that library cannot be loaded
	 */
	__typeof__(virDomainQemuMonitorCommand) *virDomainQemuMonitorCommand;
} SlLibvirtApi;

/*
 * libvirt.so.0, loaded and initialized on first use, so that a command
 * without --connect never maps libvirt and the ~50 libraries it pulls in;
 * libvirt's own printing of errors to stderr is turned off. A libvirt that
 * cannot be loaded is SL_ERROR_CONNECTION.
 */
const SlLibvirtApi *
sl_libvirt_api_get(GError **error);

G_END_DECLS
