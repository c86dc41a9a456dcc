/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-cli-libvirt.h"
#include "sl-error.h"
#if SL_HAVE_LIBVIRT
#include "sl-libvirt-target.h"
#endif

/* how long a failed start waits for libvirt to destroy the domain */
#define SL_CLI_LIBVIRT_DESTROY_TIMEOUT_S 30

void
sl_cli_libvirt_options_clear(SlCliLibvirtOptions *self)
{
	g_clear_pointer(&self->connect, g_free);
	g_clear_pointer(&self->domain, g_free);
}

void
sl_cli_add_libvirt_options(GOptionContext *context, SlCliOptions *cli, SlCliLibvirtOptions *self)
{
	const GOptionEntry entries[] = {
	    {"connect",
	     'c',
	     0,
	     G_OPTION_ARG_STRING,
	     &self->connect,
	     "libvirt connection, local or remote (qemu:///system, qemu+ssh://HOST/system)",
	     "URI"},
	    {"domain",
	     'o',
	     0,
	     G_OPTION_ARG_STRING,
	     &self->domain,
	     "The libvirt domain (with --connect)",
	     "NAME|UUID|ID"},
	    {NULL},
	};

	sl_cli_add_entries(context, cli, entries);
}

static SlLaunchTarget *
sl_cli_libvirt_target_new(const SlCliLibvirtOptions *self, GError **error)
{
#if SL_HAVE_LIBVIRT
	SlLibvirtTargetOptions options = {.uri = self->connect, .domain = self->domain, .start = self->start};

	if (self->connect == NULL || self->connect[0] == '\0' || self->domain == NULL ||
	    self->domain[0] == '\0') {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    self->start ? "start needs --connect URI and --domain NAME|UUID|ID"
						: "--connect needs --domain NAME|UUID|ID");
		return NULL;
	}
	return SL_LAUNCH_TARGET(sl_libvirt_target_new(&options, error));
#else
	g_set_error_literal(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "--connect: this sevlaunch was built without libvirt (meson -Dlibvirt=enabled)");
	return NULL;
#endif
}

SlLaunchTarget *
sl_cli_target_new(const SlCliLibvirtOptions *self,
		  const SlQmpTargetOptions *qmp,
		  gboolean wait_given,
		  GError **error)
{
	if (self->connect == NULL && !self->start) {
		if (self->domain != NULL) {
			g_set_error_literal(
			    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "--domain needs --connect URI");
			return NULL;
		}
		return SL_LAUNCH_TARGET(sl_qmp_target_new(qmp, error));
	}
	/* libvirt owns the monitor: none of the QMP options can apply */
	if (!sl_cli_refuse_option(qmp->address, "--qmp", "and --connect exclude each other", error) ||
	    !sl_cli_refuse_option(qmp->tls_creds, "--qmp-tls-creds", "is for --qmp, not --connect", error) ||
	    !sl_cli_refuse_option(
		qmp->tls_hostname, "--qmp-tls-hostname", "is for --qmp, not --connect", error) ||
	    !sl_cli_refuse_option(wait_given ? "" : NULL, "--wait", "is for --qmp, not --connect", error))
		return NULL;
	return sl_cli_libvirt_target_new(self, error);
}

#if SL_HAVE_LIBVIRT
typedef struct {
	gboolean done;
	gboolean ok;
	GError *error;
} SlCliLibvirtDestroy;

static void
sl_cli_libvirt_destroy_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SlCliLibvirtDestroy *destroy = user_data;

	destroy->ok =
	    sl_libvirt_target_destroy_started_finish(SL_LIBVIRT_TARGET(source), res, &destroy->error);
	destroy->done = TRUE;
}

static gboolean
sl_cli_libvirt_destroy_timeout_cb(gpointer user_data)
{
	g_cancellable_cancel(G_CANCELLABLE(user_data));
	return G_SOURCE_REMOVE;
}

/* the one error line says what became of the domain */
static void
sl_cli_libvirt_append(GError *error, const gchar *what)
{
	gchar *message = g_strdup_printf("%s; %s", error->message, what);

	g_free(error->message);
	error->message = message;
}
#endif

void
sl_cli_libvirt_fail_closed(SlLaunchTarget *target, SlOnMismatch on_mismatch, GError *error)
{
#if SL_HAVE_LIBVIRT
	g_autoptr(GCancellable) cancellable = NULL;
	SlCliLibvirtDestroy destroy = {0};
	guint timeout_id;

	if (!SL_IS_LIBVIRT_TARGET(target) || !sl_libvirt_target_get_started(SL_LIBVIRT_TARGET(target)))
		return;
	/* a mismatch is left paused when asked, and was destroyed by the flow otherwise */
	if (g_error_matches(error, SL_ERROR, SL_ERROR_MISMATCH))
		return;
	cancellable = g_cancellable_new();
	timeout_id = g_timeout_add_seconds(
	    SL_CLI_LIBVIRT_DESTROY_TIMEOUT_S, sl_cli_libvirt_destroy_timeout_cb, cancellable);
	sl_libvirt_target_destroy_started_async(
	    SL_LIBVIRT_TARGET(target), cancellable, sl_cli_libvirt_destroy_cb, &destroy);
	while (!destroy.done)
		g_main_context_iteration(NULL, TRUE);
	if (!g_cancellable_is_cancelled(cancellable))
		g_source_remove(timeout_id);
	if (destroy.ok) {
		sl_cli_libvirt_append(error, "domain destroyed");
	} else {
		g_autofree gchar *what =
		    g_strdup_printf("the domain could not be destroyed: %s", destroy.error->message);
		sl_cli_libvirt_append(error, what);
		g_clear_error(&destroy.error);
	}
#endif
}
