/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * what a libvirt domain XML says about how the guest is launched, as far as
 * the measurement is concerned; every field came from the host
 */
typedef struct {
	gchar *launch_security; /* <launchSecurity type=...>; NULL: none */
	gboolean kernel_hashes; /* kernelHashes='yes' */
	gboolean has_dh_cert;   /* a non-empty <dhCert>: the owner's GODH */
	gboolean has_session;   /* a non-empty <session>: the owner's session blob */
	gchar *loader;          /* <os><loader> */
	gchar *nvram;           /* <os><nvram> */
	gchar *kernel;          /* <os><kernel>: direct kernel boot */
	gchar *initrd;
	gchar *cmdline;
	guint vcpus; /* vCPUs at start (<vcpu current=...> or its text); 0: not given */
} SlDomainXml;

void
sl_domain_xml_clear(SlDomainXml *self);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SlDomainXml, sl_domain_xml_clear)

/*
 * parses a domain XML as virDomainGetXMLDesc gives it; text that is not
 * well-formed XML, a root other than <domain>, or an element this reads
 * given twice is SL_ERROR_PROTOCOL (the host sent something no libvirt sends)
 */
gboolean
sl_domain_xml_parse(const gchar *xml, gssize length, SlDomainXml *self, GError **error);

/*
 * refuses a domain whose measurement cannot prove what the owner needs
 * (SL_ERROR_NOT_VERIFIABLE): no SEV launch security, no owner's session
 * (dhCert and session: without them the TIK is not the owner's), a direct
 * kernel boot without kernelHashes='yes' (kernel, initrd and command line
 * unmeasured). *warning (may be NULL on return) says what is allowed but
 * not measured, such as <nvram>.
 */
gboolean
sl_domain_xml_check(const SlDomainXml *self, gchar **warning, GError **error);

G_END_DECLS
