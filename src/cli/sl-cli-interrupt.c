/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <signal.h>

#include "sl-cli-interrupt.h"

static const struct {
	gint signum;
	const gchar *name;
} sl_cli_interrupt_signals[] = {
    {SIGINT, "SIGINT"},
    {SIGTERM, "SIGTERM"},
    {SIGHUP, "SIGHUP"},
};

typedef struct {
	struct _SlCliInterrupt *interrupt;
	const gchar *name;
} SlCliInterruptSignal;

struct _SlCliInterrupt {
	GCancellable *cancellable;
	const gchar *received; /* the first signal's name */
	guint source_ids[G_N_ELEMENTS(sl_cli_interrupt_signals)];
	SlCliInterruptSignal handlers[G_N_ELEMENTS(sl_cli_interrupt_signals)];
};

static gboolean
sl_cli_interrupt_cb(gpointer user_data)
{
	SlCliInterruptSignal *handler = user_data;
	SlCliInterrupt *self = handler->interrupt;

	g_debug("%s received", handler->name);
	if (self->received == NULL)
		self->received = handler->name;
	g_cancellable_cancel(self->cancellable);
	/* a second signal finds the run ending already: nothing more to do */
	return G_SOURCE_CONTINUE;
}

SlCliInterrupt *
sl_cli_interrupt_new(GCancellable *cancellable)
{
	SlCliInterrupt *self = g_new0(SlCliInterrupt, 1);

	self->cancellable = g_object_ref(cancellable);
	for (guint i = 0; i < G_N_ELEMENTS(sl_cli_interrupt_signals); i++) {
		self->handlers[i].interrupt = self;
		self->handlers[i].name = sl_cli_interrupt_signals[i].name;
		self->source_ids[i] = g_unix_signal_add(
		    sl_cli_interrupt_signals[i].signum, sl_cli_interrupt_cb, &self->handlers[i]);
	}
	return self;
}

void
sl_cli_interrupt_free(SlCliInterrupt *self)
{
	if (self == NULL)
		return;
	for (guint i = 0; i < G_N_ELEMENTS(self->source_ids); i++)
		g_source_remove(self->source_ids[i]);
	g_object_unref(self->cancellable);
	g_free(self);
}

const gchar *
sl_cli_interrupt_get_signal_name(const SlCliInterrupt *self)
{
	return self->received;
}

void
sl_cli_interrupt_prefix_error(const SlCliInterrupt *self, GError **error)
{
	if (self->received != NULL && error != NULL &&
	    g_error_matches(*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		g_prefix_error(error, "%s: ", self->received);
}
