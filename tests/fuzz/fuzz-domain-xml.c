/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"
#include "sl-domain-xml.h"
#include "sl-error.h"
#include "sl-vmsa.h"

/* a domain XML as virDomainGetXMLDesc hands it over: parsed, then checked */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_auto(SlDomainXml) xml = {0};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *warning = NULL;

	sl_fuzz_init();
	if (!sl_domain_xml_parse((const gchar *)data, (gssize)size, &xml, &error)) {
		g_assert_error(error, SL_ERROR, SL_ERROR_PROTOCOL);
		g_assert_null(xml.launch_security);
		return 0;
	}
	g_assert_no_error(error);
	g_assert_cmpuint(xml.vcpus, <=, SL_MAX_VCPUS);
	if (!sl_domain_xml_check(&xml, &warning, &error)) {
		g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
		return 0;
	}
	/* whatever passed names SEV with the owner's session */
	g_assert_cmpstr(xml.launch_security, ==, "sev");
	g_assert_true(xml.has_dh_cert && xml.has_session);
	g_assert_true(xml.kernel == NULL || xml.kernel_hashes);
	return 0;
}
