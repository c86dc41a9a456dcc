/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-domain-xml.h"
#include "sl-error.h"

/* the shape libvirt 9.0 gives for a running SEV domain (trimmed) */
#define SEV_DOMAIN                                                                                           \
	"<domain type='kvm' id='3'>\n"                                                                       \
	"  <name>sev-guest</name>\n"                                                                         \
	"  <vcpu placement='static' current='2'>4</vcpu>\n"                                                  \
	"  <os>\n"                                                                                           \
	"    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n"                                          \
	"    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF.amdsev.fd</loader>\n"                 \
	"  </os>\n"                                                                                          \
	"  <launchSecurity type='sev'>\n"                                                                    \
	"    <cbitpos>47</cbitpos>\n"                                                                        \
	"    <reducedPhysBits>1</reducedPhysBits>\n"                                                         \
	"    <policy>0x0003</policy>\n"                                                                      \
	"    <dhCert>AQAAAA==</dhCert>\n"                                                                    \
	"    <session>AgAAAA==</session>\n"                                                                  \
	"  </launchSecurity>\n"                                                                              \
	"</domain>\n"

static void
parse_ok(const gchar *xml, SlDomainXml *result)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(sl_domain_xml_parse(xml, -1, result, &error));
	g_assert_no_error(error);
}

static void
assert_refused(const gchar *xml, const gchar *words)
{
	g_auto(SlDomainXml) result = {0};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *warning = NULL;

	parse_ok(xml, &result);
	g_assert_false(sl_domain_xml_check(&result, &warning, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
	g_assert_nonnull(strstr(error->message, words));
}

static void
assert_malformed(const gchar *xml, const gchar *words)
{
	g_auto(SlDomainXml) result = {0};
	g_autoptr(GError) error = NULL;

	g_assert_false(sl_domain_xml_parse(xml, -1, &result, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_PROTOCOL);
	g_assert_nonnull(strstr(error->message, words));
	/* nothing half-parsed is left behind */
	g_assert_null(result.launch_security);
	g_assert_cmpuint(result.vcpus, ==, 0);
}

static gchar *
replace(const gchar *text, const gchar *old, const gchar *new)
{
	g_autoptr(GString) s = g_string_new(text);
	g_assert_nonnull(strstr(text, old));
	g_string_replace(s, old, new, 1);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static void
test_sev_domain(void)
{
	g_auto(SlDomainXml) result = {0};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *warning = NULL;

	parse_ok(SEV_DOMAIN, &result);
	g_assert_cmpstr(result.launch_security, ==, "sev");
	g_assert_true(result.has_dh_cert);
	g_assert_true(result.has_session);
	g_assert_false(result.kernel_hashes);
	g_assert_cmpstr(result.loader, ==, "/usr/share/OVMF/OVMF.amdsev.fd");
	g_assert_null(result.nvram);
	g_assert_null(result.kernel);
	/* current= is what runs, not the maximum */
	g_assert_cmpuint(result.vcpus, ==, 2);
	g_assert_true(sl_domain_xml_check(&result, &warning, &error));
	g_assert_no_error(error);
	g_assert_null(warning);
}

static void
test_vcpu_text(void)
{
	g_auto(SlDomainXml) result = {0};
	g_autofree gchar *xml = replace(SEV_DOMAIN, "placement='static' current='2'>4", ">\n 3 ");

	parse_ok(xml, &result);
	g_assert_cmpuint(result.vcpus, ==, 3);
}

static void
test_no_launch_security(void)
{
	g_autofree gchar *xml = replace(SEV_DOMAIN, "<launchSecurity type='sev'>", "<metadata>");
	g_autofree gchar *xml2 = replace(xml, "</launchSecurity>", "</metadata>");
	/* a launchSecurity somewhere other than under <domain> does not count */
	g_autofree gchar *nested =
	    replace(SEV_DOMAIN, "<launchSecurity type='sev'>", "<metadata><launchSecurity type='sev'>");
	g_autofree gchar *nested2 = replace(nested, "</launchSecurity>", "</launchSecurity></metadata>");

	assert_refused(xml2, "no <launchSecurity type='sev'>");
	assert_refused(nested2, "no <launchSecurity type='sev'>");
	assert_refused("<domain type='qemu'><name>plain</name></domain>", "SEV is not enabled");
}

static void
test_other_type(void)
{
	g_autofree gchar *snp = replace(SEV_DOMAIN, "type='sev'", "type='sev-snp'");
	g_autofree gchar *untyped = replace(SEV_DOMAIN, "type='sev'", "kind='sev'");

	assert_refused(snp, "is 'sev-snp', not 'sev'");
	assert_refused(untyped, "no <launchSecurity type='sev'>");
}

static void
test_no_owner_session(void)
{
	g_autofree gchar *no_dh = replace(SEV_DOMAIN, "<dhCert>AQAAAA==</dhCert>", "");
	g_autofree gchar *empty_session =
	    replace(SEV_DOMAIN, "<session>AgAAAA==</session>", "<session> </session>");

	assert_refused(no_dh, "has no <dhCert>");
	assert_refused(empty_session, "has no <session>");
}

static void
test_kernel_boot(void)
{
	g_autofree gchar *kernel =
	    replace(SEV_DOMAIN,
		    "</loader>",
		    "</loader><kernel>/boot/vmlinuz</kernel><initrd>/boot/initrd.img</initrd>"
		    "<cmdline>console=ttyS0</cmdline>");
	g_autofree gchar *hashed = replace(kernel, "type='sev'", "type='sev' kernelHashes='yes'");
	g_autofree gchar *hashes_no = replace(kernel, "type='sev'", "type='sev' kernelHashes='no'");
	g_auto(SlDomainXml) result = {0};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *warning = NULL;

	assert_refused(kernel, "without kernelHashes='yes'");
	assert_refused(hashes_no, "not measured");
	parse_ok(hashed, &result);
	g_assert_true(result.kernel_hashes);
	g_assert_cmpstr(result.kernel, ==, "/boot/vmlinuz");
	g_assert_cmpstr(result.initrd, ==, "/boot/initrd.img");
	g_assert_cmpstr(result.cmdline, ==, "console=ttyS0");
	g_assert_true(sl_domain_xml_check(&result, &warning, &error));
	g_assert_no_error(error);
}

static void
test_nvram_warning(void)
{
	g_autofree gchar *xml =
	    replace(SEV_DOMAIN, "</loader>", "</loader><nvram>/var/lib/libvirt/qemu/nvram/g_VARS.fd</nvram>");
	g_auto(SlDomainXml) result = {0};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *warning = NULL;

	parse_ok(xml, &result);
	g_assert_cmpstr(result.nvram, ==, "/var/lib/libvirt/qemu/nvram/g_VARS.fd");
	g_assert_true(sl_domain_xml_check(&result, &warning, &error));
	g_assert_no_error(error);
	g_assert_nonnull(warning);
	g_assert_nonnull(strstr(warning, "<nvram>"));
}

static void
test_malformed(void)
{
	g_autofree gchar *twice =
	    replace(SEV_DOMAIN, "</domain>", "<launchSecurity type='sev-snp'></launchSecurity></domain>");
	g_autofree gchar *two_kernels =
	    replace(SEV_DOMAIN, "</loader>", "</loader><kernel>/a</kernel><kernel>/b</kernel>");
	g_autofree gchar *bad_vcpu = replace(SEV_DOMAIN, "current='2'", "current='0x2'");
	g_autofree gchar *zero_vcpu = replace(SEV_DOMAIN, "current='2'", "current='0'");
	g_autofree gchar *truncated = g_strndup(SEV_DOMAIN, strlen(SEV_DOMAIN) / 2);

	assert_malformed("", "empty");
	assert_malformed(truncated, "domain XML");
	assert_malformed("<notadomain/>", "not <domain>");
	assert_malformed(twice, "domain/launchSecurity> appears twice");
	assert_malformed(two_kernels, "appears twice");
	assert_malformed(bad_vcpu, "'0x2'");
	assert_malformed(zero_vcpu, "'0'");
	/* no entity is expanded: a host cannot smuggle text in through a DTD */
	assert_malformed("<!DOCTYPE domain [<!ENTITY t \"sev\">]>"
			 "<domain><launchSecurity type='&t;'/></domain>",
			 "domain XML");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/domain-xml/sev-domain", test_sev_domain);
	g_test_add_func("/domain-xml/vcpu-text", test_vcpu_text);
	g_test_add_func("/domain-xml/no-launch-security", test_no_launch_security);
	g_test_add_func("/domain-xml/other-type", test_other_type);
	g_test_add_func("/domain-xml/no-owner-session", test_no_owner_session);
	g_test_add_func("/domain-xml/kernel-boot", test_kernel_boot);
	g_test_add_func("/domain-xml/nvram-warning", test_nvram_warning);
	g_test_add_func("/domain-xml/malformed", test_malformed);
	return g_test_run();
}
