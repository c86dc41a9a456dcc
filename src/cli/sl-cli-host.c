/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <gio/gunixinputstream.h>
#include <string.h>
#include <unistd.h>

#include "sl-cli-host.h"
#include "sl-cli-interrupt.h"
#include "sl-error.h"
#include "sl-file.h"
#include "sl-number.h"

#define SL_CLI_HOST_DEFAULT_TIMEOUT_S 60
#define SL_CLI_HOST_MAX_SECONDS (24 * 3600)
#define SL_CLI_DOCUMENT_MAX (1024 * 1024)

void
sl_cli_host_options_clear(SlCliHostOptions *self)
{
	g_clear_pointer(&self->qmp, g_free);
	g_clear_pointer(&self->qmp_tls_creds, g_free);
	g_clear_pointer(&self->qmp_tls_hostname, g_free);
	g_clear_pointer(&self->wait, g_free);
	g_clear_pointer(&self->timeout, g_free);
}

void
sl_cli_add_host_options(GOptionContext *context, SlCliOptions *cli, SlCliHostOptions *self)
{
	/* clang-format off */
	const GOptionEntry entries[] = {
	    {"qmp", 0, 0, G_OPTION_ARG_STRING, &self->qmp, "QMP socket: unix:PATH, PATH, tcp:HOST:PORT", "ADDRESS"},
	    {"qmp-tls-creds", 0, 0, G_OPTION_ARG_FILENAME, &self->qmp_tls_creds,
	     "TLS to QMP: ca-cert.pem [client-cert.pem client-key.pem]", "DIR"},
	    {"qmp-tls-hostname", 0, 0, G_OPTION_ARG_STRING, &self->qmp_tls_hostname,
	     "Name the QEMU certificate must match (default: the --qmp host)", "NAME"},
	    {"wait", 0, 0, G_OPTION_ARG_STRING, &self->wait, "Retry connecting for up to this long", "SECONDS"},
	    {"timeout", 0, 0, G_OPTION_ARG_STRING, &self->timeout, "Give up after this long (default 60)", "SECONDS"},
	    {NULL},
	};
	/* clang-format on */
	sl_cli_add_entries(context, cli, entries);
}

static gboolean
sl_cli_host_parse_seconds(
    const gchar *text, const gchar *what, guint min_s, guint default_s, guint *ms, GError **error)
{
	guint64 value = default_s;
	if (text != NULL && !sl_number_parse(text, what, min_s, SL_CLI_HOST_MAX_SECONDS, &value, error))
		return FALSE;
	*ms = (guint)value * 1000;
	return TRUE;
}

SlQmpTarget *
sl_cli_host_options_get_target(SlCliHostOptions *self, const SlCliOptions *cli, GError **error)
{
	SlQmpTargetOptions qmp = {0};
	guint timeout_ms = 0;

	if (self->qmp == NULL) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "pass --qmp ADDRESS");
		return NULL;
	}
	if (!sl_cli_host_parse_seconds(self->wait, "--wait", 0, 0, &qmp.wait_ms, error) ||
	    !sl_cli_host_parse_seconds(
		self->timeout, "--timeout", 1, SL_CLI_HOST_DEFAULT_TIMEOUT_S, &timeout_ms, error))
		return NULL;
	qmp.address = self->qmp;
	qmp.tls_creds = self->qmp_tls_creds;
	qmp.tls_hostname = self->qmp_tls_hostname;
	qmp.allow_open_permissions = cli->allow_open_permissions;
	qmp.command_timeout_ms = timeout_ms + qmp.wait_ms;
	return sl_qmp_target_new(&qmp, error);
}

void
sl_cli_host_run_until(GCancellable *cancellable, const gboolean *done, GError **error_inout)
{
	g_autoptr(SlCliInterrupt) interrupt = sl_cli_interrupt_new(cancellable);

	while (!*done)
		g_main_context_iteration(NULL, TRUE);
	while (g_main_context_iteration(NULL, FALSE))
		;
	if (error_inout != NULL && *error_inout != NULL)
		sl_cli_interrupt_prefix_error(interrupt, error_inout);
}

static gchar *
sl_cli_read_stdin(const gchar *option, gsize *len, GError **error)
{
	g_autoptr(GInputStream) in = g_unix_input_stream_new(STDIN_FILENO, FALSE);
	g_autoptr(GByteArray) buf = g_byte_array_new();
	guint8 chunk[4096];

	for (;;) {
		g_autoptr(GError) error_local = NULL;
		gssize n = g_input_stream_read(in, chunk, sizeof(chunk), NULL, &error_local);
		if (n < 0) {
			g_set_error(error, SL_ERROR, SL_ERROR_READ, "%s -: %s", option, error_local->message);
			return NULL;
		}
		if (n == 0)
			break;
		if (buf->len + (gsize)n > SL_CLI_DOCUMENT_MAX) {
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_DATA,
				    "%s -: more than 1 MiB on standard input",
				    option);
			return NULL;
		}
		g_byte_array_append(buf, chunk, (guint)n);
	}
	*len = buf->len;
	g_byte_array_append(buf, (const guint8 *)"", 1);
	return (gchar *)g_byte_array_free(g_steal_pointer(&buf), FALSE);
}

gchar *
sl_cli_read_document(const gchar *option, const gchar *path, gsize *len, GError **error)
{
	g_autoptr(GBytes) bytes = NULL;

	if (g_strcmp0(path, "-") == 0)
		return sl_cli_read_stdin(option, len, error);
	bytes = sl_file_read_bounded(path, "document", SL_CLI_DOCUMENT_MAX, error);
	if (bytes == NULL) {
		g_prefix_error(error, "%s: ", option);
		return NULL;
	}
	*len = g_bytes_get_size(bytes);
	{
		gchar *text = g_malloc(*len + 1);
		memcpy(text, g_bytes_get_data(bytes, NULL), *len);
		text[*len] = '\0';
		return text;
	}
}
