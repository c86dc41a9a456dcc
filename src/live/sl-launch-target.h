/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sl-measurement.h"
#include "sl-report.h"

G_BEGIN_DECLS

#define SL_SEV_STATE_LAUNCH_SECRET "launch-secret"

/* what the host says about the SEV guest; everything in it came from the host */
typedef struct {
	SlLaunchParams params; /* SEV API version, build id, policy */
	gchar *state;          /* as QEMU names it ("launch-secret"); NULL: unknown */
	gboolean sev_es;
	gboolean has_sev_type; /* QEMU >= 9.1 reports "sev-type" */
} SlSevGuestInfo;

void
sl_sev_guest_info_clear(SlSevGuestInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SlSevGuestInfo, sl_sev_guest_info_clear)

/* what sl_launch_target_read_info_async() is asked for, and what it filled */
typedef enum {
	SL_LAUNCH_INFO_GUEST = 1 << 0,       /* guest: API version, build id, policy, state */
	SL_LAUNCH_INFO_MEASUREMENT = 1 << 1, /* measurement, mnonce */
	SL_LAUNCH_INFO_VCPUS = 1 << 2,       /* vcpus */
	SL_LAUNCH_INFO_RUN_STATE = 1 << 3,   /* running, run_state */
} SlLaunchInfoFlags;

typedef struct {
	SlLaunchInfoFlags have; /* the groups below that were read */
	SlSevGuestInfo guest;
	guint8 measurement[SL_MEASUREMENT_SIZE];
	guint8 mnonce[SL_MNONCE_SIZE];
	guint vcpus;
	gboolean running; /* the guest executes (as opposed to prelaunch or paused) */
	gchar *run_state; /* as the host names it: "prelaunch", "paused", "running", ... */
} SlLaunchInfo;

SlLaunchInfo *
sl_launch_info_new(void);
void
sl_launch_info_free(SlLaunchInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SlLaunchInfo, sl_launch_info_free)

/*
 * a VM being launched, as something to verify and then release: QEMU over QMP
 * (SlQmpTarget), or libvirt. The verify flow and the host commands drive a
 * target, never a transport.
 *
 * Contract for implementations:
 * - every *_async completes through a GTask whose source object is the
 *   target (boolean result, or an SlLaunchInfo for read_info), so the
 *   sl_launch_target_*_finish() functions below serve every implementation;
 * - calls come one at a time, open first; the cancellable of a call cancels
 *   that call, reported as G_IO_ERROR_CANCELLED;
 * - every other error is in SL_ERROR: SL_ERROR_CONNECTION when the target
 *   cannot be reached or the connection ends (including the target's own
 *   timeouts), SL_ERROR_PROTOCOL when the host misbehaves or refuses a
 *   command, SL_ERROR_NOT_VERIFIABLE when the guest is not an SEV or SEV-ES
 *   guest (SEV off, SNP) or gives no measurement, SL_ERROR_INJECTION_REFUSED
 *   when the host refused the secret; messages name the host's own words and
 *   say nothing of what the caller has sent before;
 * - quit succeeds also when the connection ends because the VM went away;
 * - close() ends the connection; calls still pending fail, later ones fail
 *   at once. Dispose closes too.
 */
#define SL_TYPE_LAUNCH_TARGET (sl_launch_target_get_type())
G_DECLARE_INTERFACE(SlLaunchTarget, sl_launch_target, SL, LAUNCH_TARGET, GObject)

struct _SlLaunchTargetInterface {
	GTypeInterface parent_iface;

	/* connect to the host and be ready for commands */
	void (*open_async)(SlLaunchTarget *self,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
	/* optional: adds what identifies the host (e.g. the "qemu" object) after open; a new member needs its
	 * place in docs/json/verify.schema.json */
	void (*add_to_report)(SlLaunchTarget *self, SlReport *report);
	/*
	 * optional: what it means that open did not complete within @seconds,
	 * one clause, e.g. "no QMP greeting within 5 s (--timeout) ..."; NULL:
	 * nothing more specific than "no answer"
	 */
	gchar *(*describe_open_timeout)(SlLaunchTarget *self, guint seconds);
	/* reads the groups in @what; fills at least those or fails */
	void (*read_info_async)(SlLaunchTarget *self,
				SlLaunchInfoFlags what,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
	/* base64 as sev-inject-launch-secret takes them; @gpa only with @has_gpa */
	void (*inject_secret_async)(SlLaunchTarget *self,
				    const gchar *header_base64,
				    const gchar *payload_base64,
				    gboolean has_gpa,
				    guint64 gpa,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
	/* lets the guest run (QMP cont) */
	void (*resume_async)(SlLaunchTarget *self,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data);
	/* ends the VM (QMP quit, libvirt destroy) */
	void (*quit_async)(SlLaunchTarget *self,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
	void (*close)(SlLaunchTarget *self);
};

void
sl_launch_target_open_async(SlLaunchTarget *self,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
gboolean
sl_launch_target_open_finish(SlLaunchTarget *self, GAsyncResult *result, GError **error);
void
sl_launch_target_add_to_report(SlLaunchTarget *self, SlReport *report);
/* NULL when the target has nothing specific to say */
gchar *
sl_launch_target_describe_open_timeout(SlLaunchTarget *self, guint seconds);
void
sl_launch_target_read_info_async(SlLaunchTarget *self,
				 SlLaunchInfoFlags what,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
SlLaunchInfo *
sl_launch_target_read_info_finish(SlLaunchTarget *self, GAsyncResult *result, GError **error);
void
sl_launch_target_inject_secret_async(SlLaunchTarget *self,
				     const gchar *header_base64,
				     const gchar *payload_base64,
				     gboolean has_gpa,
				     guint64 gpa,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data);
gboolean
sl_launch_target_inject_secret_finish(SlLaunchTarget *self, GAsyncResult *result, GError **error);
void
sl_launch_target_resume_async(SlLaunchTarget *self,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
gboolean
sl_launch_target_resume_finish(SlLaunchTarget *self, GAsyncResult *result, GError **error);
void
sl_launch_target_quit_async(SlLaunchTarget *self,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
gboolean
sl_launch_target_quit_finish(SlLaunchTarget *self, GAsyncResult *result, GError **error);
/* idempotent */
void
sl_launch_target_close(SlLaunchTarget *self);

G_END_DECLS
