/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-domain-xml.h"
#include "sl-error.h"
#include "sl-vmsa.h"

/* more vCPUs than any QEMU accepts: a host sending more is lying */

/* the elements read, by their path from the root */
typedef enum {
	SL_DOMAIN_XML_NONE,
	SL_DOMAIN_XML_LAUNCH_SECURITY,
	SL_DOMAIN_XML_DH_CERT,
	SL_DOMAIN_XML_SESSION,
	SL_DOMAIN_XML_LOADER,
	SL_DOMAIN_XML_NVRAM,
	SL_DOMAIN_XML_KERNEL,
	SL_DOMAIN_XML_INITRD,
	SL_DOMAIN_XML_CMDLINE,
	SL_DOMAIN_XML_VCPU,
	SL_DOMAIN_XML_N_ELEMENTS,
} SlDomainXmlElement;

static const gchar *const sl_domain_xml_paths[SL_DOMAIN_XML_N_ELEMENTS] = {
    [SL_DOMAIN_XML_LAUNCH_SECURITY] = "domain/launchSecurity",
    [SL_DOMAIN_XML_DH_CERT] = "domain/launchSecurity/dhCert",
    [SL_DOMAIN_XML_SESSION] = "domain/launchSecurity/session",
    [SL_DOMAIN_XML_LOADER] = "domain/os/loader",
    [SL_DOMAIN_XML_NVRAM] = "domain/os/nvram",
    [SL_DOMAIN_XML_KERNEL] = "domain/os/kernel",
    [SL_DOMAIN_XML_INITRD] = "domain/os/initrd",
    [SL_DOMAIN_XML_CMDLINE] = "domain/os/cmdline",
    [SL_DOMAIN_XML_VCPU] = "domain/vcpu",
};

typedef struct {
	SlDomainXml *result;
	gboolean seen[SL_DOMAIN_XML_N_ELEMENTS];
	SlDomainXmlElement current; /* whose text is being collected */
	GString *text;
	gchar *vcpu_current; /* <vcpu current=...> */
} SlDomainXmlParser;

void
sl_domain_xml_clear(SlDomainXml *self)
{
	g_clear_pointer(&self->launch_security, g_free);
	g_clear_pointer(&self->loader, g_free);
	g_clear_pointer(&self->nvram, g_free);
	g_clear_pointer(&self->kernel, g_free);
	g_clear_pointer(&self->initrd, g_free);
	g_clear_pointer(&self->cmdline, g_free);
	self->kernel_hashes = FALSE;
	self->has_dh_cert = FALSE;
	self->has_session = FALSE;
	self->vcpus = 0;
}

/* the element being opened, by its path; SL_DOMAIN_XML_NONE for any other */
static SlDomainXmlElement
sl_domain_xml_parser_lookup(GMarkupParseContext *context)
{
	const GSList *stack = g_markup_parse_context_get_element_stack(context);
	g_autoptr(GString) path = g_string_new(NULL);
	g_autoptr(GSList) names = NULL;

	/* the stack runs from the innermost element outwards */
	for (const GSList *l = stack; l != NULL; l = l->next)
		names = g_slist_prepend(names, l->data);
	for (const GSList *l = names; l != NULL; l = l->next) {
		if (path->len > 0)
			g_string_append_c(path, '/');
		g_string_append(path, l->data);
	}
	for (guint i = 0; i < SL_DOMAIN_XML_N_ELEMENTS; i++) {
		if (sl_domain_xml_paths[i] != NULL && g_str_equal(path->str, sl_domain_xml_paths[i]))
			return i;
	}
	return SL_DOMAIN_XML_NONE;
}

static const gchar *
sl_domain_xml_find_attribute(const gchar **names, const gchar **values, const gchar *name)
{
	for (guint i = 0; names[i] != NULL; i++) {
		if (g_str_equal(names[i], name))
			return values[i];
	}
	return NULL;
}

static void
sl_domain_xml_start_cb(GMarkupParseContext *context,
		       const gchar *element_name,
		       const gchar **attribute_names,
		       const gchar **attribute_values,
		       gpointer user_data,
		       GError **error)
{
	SlDomainXmlParser *parser = user_data;
	SlDomainXmlElement element;

	if (g_markup_parse_context_get_element_stack(context)->next == NULL &&
	    !g_str_equal(element_name, "domain")) {
		g_set_error(error,
			    G_MARKUP_ERROR,
			    G_MARKUP_ERROR_INVALID_CONTENT,
			    "root element is <%s>, not <domain>",
			    element_name);
		return;
	}
	element = sl_domain_xml_parser_lookup(context);
	if (element == SL_DOMAIN_XML_NONE)
		return;
	/* two of one element: whichever libvirt used, we might have read the other */
	if (parser->seen[element]) {
		g_set_error(error,
			    G_MARKUP_ERROR,
			    G_MARKUP_ERROR_INVALID_CONTENT,
			    "<%s> appears twice",
			    sl_domain_xml_paths[element]);
		return;
	}
	parser->seen[element] = TRUE;
	parser->current = element;
	g_string_truncate(parser->text, 0);
	if (element == SL_DOMAIN_XML_LAUNCH_SECURITY) {
		const gchar *type = sl_domain_xml_find_attribute(attribute_names, attribute_values, "type");
		const gchar *hashes =
		    sl_domain_xml_find_attribute(attribute_names, attribute_values, "kernelHashes");
		parser->result->launch_security = g_strdup(type != NULL ? type : "");
		parser->result->kernel_hashes = g_strcmp0(hashes, "yes") == 0;
	} else if (element == SL_DOMAIN_XML_VCPU) {
		parser->vcpu_current =
		    g_strdup(sl_domain_xml_find_attribute(attribute_names, attribute_values, "current"));
	}
}

static void
sl_domain_xml_text_cb(
    GMarkupParseContext *context, const gchar *text, gsize text_len, gpointer user_data, GError **error)
{
	SlDomainXmlParser *parser = user_data;

	/* text of a child of a collected element (none has any) is dropped */
	if (parser->current != SL_DOMAIN_XML_NONE && sl_domain_xml_parser_lookup(context) == parser->current)
		g_string_append_len(parser->text, text, text_len);
}

static gboolean
sl_domain_xml_parse_vcpus(const gchar *text, guint *vcpus, GError **error)
{
	guint64 value = 0;
	g_autofree gchar *stripped = g_strstrip(g_strdup(text));

	if (!g_ascii_string_to_unsigned(stripped, 10, 1, SL_MAX_VCPUS, &value, NULL)) {
		g_set_error(error,
			    G_MARKUP_ERROR,
			    G_MARKUP_ERROR_INVALID_CONTENT,
			    "<vcpu> count '%s' is not a number from 1 to %u",
			    stripped,
			    (guint)SL_MAX_VCPUS);
		return FALSE;
	}
	*vcpus = (guint)value;
	return TRUE;
}

static void
sl_domain_xml_end_cb(GMarkupParseContext *context,
		     const gchar *element_name,
		     gpointer user_data,
		     GError **error)
{
	SlDomainXmlParser *parser = user_data;
	SlDomainXml *result = parser->result;
	g_autofree gchar *text = NULL;

	if (parser->current == SL_DOMAIN_XML_NONE || sl_domain_xml_parser_lookup(context) != parser->current)
		return;
	text = g_strstrip(g_strdup(parser->text->str));
	switch (parser->current) {
	case SL_DOMAIN_XML_DH_CERT:
		result->has_dh_cert = text[0] != '\0';
		break;
	case SL_DOMAIN_XML_SESSION:
		result->has_session = text[0] != '\0';
		break;
	case SL_DOMAIN_XML_LOADER:
		result->loader = g_steal_pointer(&text);
		break;
	case SL_DOMAIN_XML_NVRAM:
		result->nvram = g_steal_pointer(&text);
		break;
	case SL_DOMAIN_XML_KERNEL:
		result->kernel = g_steal_pointer(&text);
		break;
	case SL_DOMAIN_XML_INITRD:
		result->initrd = g_steal_pointer(&text);
		break;
	case SL_DOMAIN_XML_CMDLINE:
		result->cmdline = g_steal_pointer(&text);
		break;
	case SL_DOMAIN_XML_VCPU:
		(void)sl_domain_xml_parse_vcpus(
		    parser->vcpu_current != NULL ? parser->vcpu_current : text, &result->vcpus, error);
		break;
	default:
		break;
	}
	parser->current = SL_DOMAIN_XML_NONE;
}

gboolean
sl_domain_xml_parse(const gchar *xml, gssize length, SlDomainXml *self, GError **error)
{
	static const GMarkupParser callbacks = {
	    .start_element = sl_domain_xml_start_cb,
	    .end_element = sl_domain_xml_end_cb,
	    .text = sl_domain_xml_text_cb,
	};
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GMarkupParseContext) context = NULL;
	SlDomainXmlParser parser = {.result = self, .text = text};
	gboolean ok;

	sl_domain_xml_clear(self);
	context = g_markup_parse_context_new(&callbacks, G_MARKUP_PREFIX_ERROR_POSITION, &parser, NULL);
	ok = g_markup_parse_context_parse(context, xml, length, &error_local) &&
	     g_markup_parse_context_end_parse(context, &error_local);
	g_free(parser.vcpu_current);
	if (!ok) {
		sl_domain_xml_clear(self);
		g_set_error(error, SL_ERROR, SL_ERROR_PROTOCOL, "domain XML: %s", error_local->message);
		return FALSE;
	}
	return TRUE;
}

gboolean
sl_domain_xml_check(const SlDomainXml *self, gchar **warning, GError **error)
{
	*warning = NULL;
	if (self->launch_security == NULL || self->launch_security[0] == '\0') {
		g_set_error_literal(
		    error,
		    SL_ERROR,
		    SL_ERROR_NOT_VERIFIABLE,
		    "the domain has no <launchSecurity type='sev'>: SEV is not enabled for it");
		return FALSE;
	}
	if (!g_str_equal(self->launch_security, "sev")) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "the domain's launch security is '%s', not 'sev' (SEV or SEV-ES)",
			    self->launch_security);
		return FALSE;
	}
	if (!self->has_dh_cert || !self->has_session) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "the domain's <launchSecurity> has no <%s>: the launch session is not the "
			    "owner's, so neither is the TIK the measurement is made with",
			    !self->has_dh_cert ? "dhCert" : "session");
		return FALSE;
	}
	if (self->kernel != NULL && !self->kernel_hashes) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_NOT_VERIFIABLE,
				    "the domain boots a kernel directly without kernelHashes='yes' in "
				    "<launchSecurity>: kernel, initrd and command line are not measured");
		return FALSE;
	}
	if (self->nvram != NULL)
		*warning = g_strdup("the domain has <nvram>: its variable store is not measured, "
				    "and the guest may keep an injected secret in it");
	return TRUE;
}
