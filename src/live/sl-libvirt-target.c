/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "sevlaunch"

#include <string.h>

#include "qmp-stream-syntax.h"
#include "sl-domain-xml.h"
#include "sl-error.h"
#include "sl-libvirt-api.h"
#include "sl-libvirt-target.h"
#include "sl-qemu-sev-reply.h"

/* libvirt's API, loaded by the first open; every later call comes after one succeeded */
static const SlLibvirtApi *virt;

struct _SlLibvirtTarget {
	GObject parent_instance;
	gchar *uri;
	gchar *lookup; /* the name, UUID or ID as given */
	gboolean start;
	gboolean closed;
	/* written by the open thread, read once open completed */
	virConnectPtr conn;
	virDomainPtr domain;
	gchar *name;
	gchar uuid[VIR_UUID_STRING_BUFLEN];
	gchar *warning; /* what the domain XML allows but the measurement does not cover */
	gint started;   /* atomic: a cancelled open may still be starting it */
};

static void
sl_libvirt_target_iface_init(SlLaunchTargetInterface *iface);

G_DEFINE_TYPE_WITH_CODE(SlLibvirtTarget,
			sl_libvirt_target,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(SL_TYPE_LAUNCH_TARGET, sl_libvirt_target_iface_init))

/* one call on a worker thread, with its inputs copied and its result */
typedef struct _SlLibvirtCall SlLibvirtCall;
typedef gboolean (*SlLibvirtCallFunc)(SlLibvirtTarget *self, SlLibvirtCall *call, GError **error);
struct _SlLibvirtCall {
	SlLibvirtCallFunc func;
	SlLaunchInfoFlags what;
	gchar *header_base64;
	gchar *payload_base64;
	gboolean has_gpa;
	guint64 gpa;
	SlLaunchInfo *info; /* read_info's result */
};

static void
sl_libvirt_call_free(SlLibvirtCall *call)
{
	g_free(call->header_base64);
	g_free(call->payload_base64);
	sl_launch_info_free(call->info);
	g_free(call);
}

static void
sl_libvirt_target_dispose(GObject *object)
{
	SlLibvirtTarget *self = SL_LIBVIRT_TARGET(object);

	/* the last ref goes after every worker thread is done with the connection */
	g_clear_pointer(&self->domain, virt->virDomainFree);
	g_clear_pointer(&self->conn, virt->virConnectClose);
	G_OBJECT_CLASS(sl_libvirt_target_parent_class)->dispose(object);
}

static void
sl_libvirt_target_finalize(GObject *object)
{
	SlLibvirtTarget *self = SL_LIBVIRT_TARGET(object);

	g_free(self->uri);
	g_free(self->lookup);
	g_free(self->name);
	g_free(self->warning);
	G_OBJECT_CLASS(sl_libvirt_target_parent_class)->finalize(object);
}

static void
sl_libvirt_target_class_init(SlLibvirtTargetClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = sl_libvirt_target_dispose;
	object_class->finalize = sl_libvirt_target_finalize;
}

static void
sl_libvirt_target_init(SlLibvirtTarget *self)
{
}

/* the thread's last libvirt error, as one line of plain text (it may come from a remote host) */
static void
sl_libvirt_set_error(GError **error, SlError code, const gchar *what)
{
	virErrorPtr last = virt->virGetLastError();
	g_autofree gchar *message = sl_report_sanitize(
	    last != NULL && last->message != NULL ? last->message : "unknown libvirt error");

	g_set_error(error, SL_ERROR, code, "%s: %s", what, message);
	virt->virResetLastError();
}

static gboolean
sl_libvirt_last_error_is(int code)
{
	virErrorPtr last = virt->virGetLastError();
	return last != NULL && last->code == code;
}

/* a connection and the domain in it, looked up as virsh does: an ID, a UUID, a name */
static gboolean
sl_libvirt_connect(
    const gchar *uri, const gchar *lookup, virConnectPtr *conn, virDomainPtr *domain, GError **error)
{
	guint64 id = 0;

	virt = sl_libvirt_api_get(error);
	if (virt == NULL)
		return FALSE;
	*conn = virt->virConnectOpenAuth(uri, *virt->auth_default, 0);
	if (*conn == NULL) {
		g_autofree gchar *what = g_strdup_printf("cannot connect to libvirt at %s", uri);
		sl_libvirt_set_error(error, SL_ERROR_CONNECTION, what);
		return FALSE;
	}
	if (g_ascii_string_to_unsigned(lookup, 10, 0, G_MAXINT, &id, NULL))
		*domain = virt->virDomainLookupByID(*conn, (int)id);
	if (*domain == NULL && g_uuid_string_is_valid(lookup))
		*domain = virt->virDomainLookupByUUIDString(*conn, lookup);
	if (*domain == NULL)
		*domain = virt->virDomainLookupByName(*conn, lookup);
	if (*domain == NULL) {
		g_autofree gchar *what = g_strdup_printf("no domain '%s' at %s", lookup, uri);
		sl_libvirt_set_error(error,
				     sl_libvirt_last_error_is(VIR_ERR_NO_DOMAIN) ? SL_ERROR_INVALID_ARGUMENT
										 : SL_ERROR_CONNECTION,
				     what);
		return FALSE;
	}
	return TRUE;
}

static gboolean
sl_libvirt_start_paused(SlLibvirtTarget *self, GError **error)
{
	int active = virt->virDomainIsActive(self->domain);

	if (active < 0) {
		sl_libvirt_set_error(error, SL_ERROR_PROTOCOL, "cannot read the domain state");
		return FALSE;
	}
	/* a domain we did not start is never ours to destroy */
	if (active == 1) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "domain %s is already running: only a shut-off domain can be started paused "
			    "and verified before it runs",
			    self->name);
		return FALSE;
	}
	if (virt->virDomainCreateWithFlags(self->domain, VIR_DOMAIN_START_PAUSED) < 0) {
		g_autofree gchar *what = g_strdup_printf("libvirt could not start domain %s", self->name);
		sl_libvirt_set_error(error, SL_ERROR_PROTOCOL, what);
		return FALSE;
	}
	g_atomic_int_set(&self->started, TRUE);
	return TRUE;
}

/* what the measurement cannot vouch for is refused before anything of the guest is read */
static gboolean
sl_libvirt_check_xml(SlLibvirtTarget *self, GError **error)
{
	g_auto(SlDomainXml) xml = {0};
	char *text = virt->virDomainGetXMLDesc(self->domain, 0);
	gboolean ok;

	if (text == NULL) {
		sl_libvirt_set_error(error, SL_ERROR_PROTOCOL, "cannot read the domain XML");
		return FALSE;
	}
	ok = sl_domain_xml_parse(text, -1, &xml, error) && sl_domain_xml_check(&xml, &self->warning, error);
	free(text);
	return ok;
}

static gboolean
sl_libvirt_open(SlLibvirtTarget *self, SlLibvirtCall *call, GError **error)
{
	const char *name;

	if (!sl_libvirt_connect(self->uri, self->lookup, &self->conn, &self->domain, error))
		return FALSE;
	name = virt->virDomainGetName(self->domain);
	self->name = g_strdup(name != NULL ? name : self->lookup);
	if (virt->virDomainGetUUIDString(self->domain, self->uuid) < 0) {
		sl_libvirt_set_error(error, SL_ERROR_PROTOCOL, "cannot read the domain UUID");
		return FALSE;
	}
	if (self->start && !sl_libvirt_start_paused(self, error))
		return FALSE;
	return sl_libvirt_check_xml(self, error);
}

/* a number libvirt reports as int or unsigned int; FALSE if missing or of another type */
static gboolean
sl_libvirt_params_get_number(virTypedParameterPtr params, int nparams, const gchar *name, gint64 *value)
{
	virTypedParameterPtr param = virt->virTypedParamsGet(params, nparams, name);

	if (param == NULL)
		return FALSE;
	if (param->type == VIR_TYPED_PARAM_UINT)
		*value = param->value.ui;
	else if (param->type == VIR_TYPED_PARAM_INT)
		*value = param->value.i;
	else
		return FALSE;
	return TRUE;
}

static gboolean
sl_libvirt_read_params(virTypedParameterPtr params, int nparams, SlLaunchInfo *info, GError **error)
{
	gint64 major = -1, minor = -1, build = -1, policy = -1;

	if (!sl_libvirt_params_get_number(
		params, nparams, VIR_DOMAIN_LAUNCH_SECURITY_SEV_API_MAJOR, &major) ||
	    !sl_libvirt_params_get_number(
		params, nparams, VIR_DOMAIN_LAUNCH_SECURITY_SEV_API_MINOR, &minor) ||
	    !sl_libvirt_params_get_number(params, nparams, VIR_DOMAIN_LAUNCH_SECURITY_SEV_BUILD_ID, &build) ||
	    !sl_libvirt_params_get_number(params, nparams, VIR_DOMAIN_LAUNCH_SECURITY_SEV_POLICY, &policy)) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_PROTOCOL,
				    "libvirt's launch security info lacks sev-api-major, sev-api-minor, "
				    "sev-build-id or sev-policy (libvirt older than 8.0?)");
		return FALSE;
	}
	if (!sl_launch_params_init(&info->guest.params, major, minor, build, policy, error)) {
		g_prefix_error(error, "libvirt's launch security info: ");
		(*error)->code = SL_ERROR_PROTOCOL;
		return FALSE;
	}
	info->guest.sev_es = (info->guest.params.policy & SL_SEV_POLICY_ES) != 0;
	return TRUE;
}

/* the guest and its measurement, from virDomainGetLaunchSecurityInfo */
static gboolean
sl_libvirt_read_launch_security(SlLibvirtTarget *self,
				SlLaunchInfoFlags what,
				SlLaunchInfo *info,
				GError **error)
{
	virTypedParameterPtr params = NULL;
	int nparams = 0;
	const char *measurement = NULL;
	gboolean ok = TRUE;

	if (virt->virDomainGetLaunchSecurityInfo(self->domain, &params, &nparams, 0) < 0) {
		sl_libvirt_set_error(error,
				     sl_libvirt_last_error_is(VIR_ERR_OPERATION_INVALID)
					 ? SL_ERROR_NOT_VERIFIABLE
					 : SL_ERROR_PROTOCOL,
				     "libvirt gives no launch security info");
		return FALSE;
	}
	/* the measurement is there exactly when SEV is on: QEMU's data, measurement || MNONCE */
	if (virt->virTypedParamsGetString(
		params, nparams, VIR_DOMAIN_LAUNCH_SECURITY_SEV_MEASUREMENT, &measurement) != 1 ||
	    measurement == NULL) {
		g_set_error_literal(
		    error,
		    SL_ERROR,
		    SL_ERROR_NOT_VERIFIABLE,
		    "libvirt reports no SEV launch measurement: SEV is not enabled for the domain");
		ok = FALSE;
	}
	if (ok && (what & SL_LAUNCH_INFO_GUEST) != 0)
		ok = sl_libvirt_read_params(params, nparams, info, error);
	if (ok && (what & SL_LAUNCH_INFO_MEASUREMENT) != 0) {
		ok = sl_launch_measure_blob_decode(
		    measurement, "libvirt's sev-measurement", info->measurement, info->mnonce, error);
		if (!ok)
			(*error)->code = SL_ERROR_PROTOCOL;
	}
	virt->virTypedParamsFree(params, nparams);
	return ok;
}

static const gchar *
sl_libvirt_state_name(int state)
{
	switch (state) {
	case VIR_DOMAIN_RUNNING:
		return "running";
	case VIR_DOMAIN_PAUSED:
		return "paused";
	case VIR_DOMAIN_SHUTOFF:
		return "shut off";
	case VIR_DOMAIN_SHUTDOWN:
		return "shutting down";
	case VIR_DOMAIN_CRASHED:
		return "crashed";
	case VIR_DOMAIN_PMSUSPENDED:
		return "suspended";
	default:
		return "unknown";
	}
}

/* QEMU's answer to query-status, through libvirt: the reply as QEMU sent it */
static gboolean
sl_libvirt_parse_status(const gchar *reply, SlLaunchInfo *info, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error_local = NULL;
	JsonNode *root;

	if (!qmp_stream_check_syntax(reply, strlen(reply), &error_local) ||
	    !json_parser_load_from_data(parser, reply, -1, &error_local)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_PROTOCOL,
			    "query-status through libvirt: %s",
			    error_local->message);
		return FALSE;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root) ||
	    !json_object_has_member(json_node_get_object(root), "return")) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_PROTOCOL,
				    "query-status through libvirt: no \"return\" in the reply");
		return FALSE;
	}
	g_clear_pointer(&info->run_state, g_free);
	return sl_qemu_sev_reply_parse_status(json_object_get_member(json_node_get_object(root), "return"),
					      &info->running,
					      &info->run_state,
					      error);
}

/*
 * libvirt's "paused" is the same for a guest that never ran and one paused
 * later: QEMU's own status says which. Where the passthrough is refused (a
 * read-only connection, an ACL), libvirt's state stays, and the flow refuses.
 */
static gboolean
sl_libvirt_read_run_state(SlLibvirtTarget *self, int state, SlLaunchInfo *info, GError **error)
{
	char *reply = NULL;
	gboolean ok;

	info->running = state == VIR_DOMAIN_RUNNING;
	info->run_state = g_strdup(sl_libvirt_state_name(state));
	info->have |= SL_LAUNCH_INFO_RUN_STATE;
	if (state != VIR_DOMAIN_PAUSED || virt->virDomainQemuMonitorCommand == NULL)
		return TRUE;
	if (virt->virDomainQemuMonitorCommand(self->domain, "{\"execute\":\"query-status\"}", &reply, 0) <
	    0) {
		g_debug("query-status through libvirt refused: %s",
			virt->virGetLastError() != NULL ? virt->virGetLastError()->message : "?");
		virt->virResetLastError();
		return TRUE;
	}
	ok = sl_libvirt_parse_status(reply, info, error);
	free(reply);
	return ok;
}

static gboolean
sl_libvirt_read_info(SlLibvirtTarget *self, SlLibvirtCall *call, GError **error)
{
	g_autoptr(SlLaunchInfo) info = sl_launch_info_new();
	int state = VIR_DOMAIN_NOSTATE, reason = 0, vcpus;

	if (virt->virDomainGetState(self->domain, &state, &reason, 0) < 0) {
		sl_libvirt_set_error(error, SL_ERROR_PROTOCOL, "cannot read the domain state");
		return FALSE;
	}
	if (state != VIR_DOMAIN_PAUSED && state != VIR_DOMAIN_RUNNING) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "domain %s is %s, not a paused guest",
			    self->name,
			    sl_libvirt_state_name(state));
		return FALSE;
	}
	if ((call->what & SL_LAUNCH_INFO_RUN_STATE) != 0 &&
	    !sl_libvirt_read_run_state(self, state, info, error))
		return FALSE;
	if ((call->what & (SL_LAUNCH_INFO_GUEST | SL_LAUNCH_INFO_MEASUREMENT)) != 0 &&
	    !sl_libvirt_read_launch_security(self, call->what, info, error))
		return FALSE;
	/* libvirt reports no SEV state: paused is the best it tells, and QEMU refuses a late secret */
	info->guest.state = g_strdup(state == VIR_DOMAIN_PAUSED ? SL_SEV_STATE_LAUNCH_SECRET : "running");
	info->have |= call->what & (SL_LAUNCH_INFO_GUEST | SL_LAUNCH_INFO_MEASUREMENT);
	if ((call->what & SL_LAUNCH_INFO_VCPUS) != 0) {
		vcpus = virt->virDomainGetVcpusFlags(self->domain, VIR_DOMAIN_AFFECT_LIVE);
		if (vcpus < 1) {
			sl_libvirt_set_error(error, SL_ERROR_PROTOCOL, "cannot read the domain's vCPU count");
			return FALSE;
		}
		info->vcpus = (guint)vcpus;
		info->have |= SL_LAUNCH_INFO_VCPUS;
	}
	call->info = g_steal_pointer(&info);
	return TRUE;
}

static gboolean
sl_libvirt_inject(SlLibvirtTarget *self, SlLibvirtCall *call, GError **error)
{
	virTypedParameterPtr params = NULL;
	int nparams = 0, maxparams = 0;
	gboolean ok;

	ok =
	    virt->virTypedParamsAddString(&params,
					  &nparams,
					  &maxparams,
					  VIR_DOMAIN_LAUNCH_SECURITY_SEV_SECRET_HEADER,
					  call->header_base64) == 0 &&
	    virt->virTypedParamsAddString(
		&params, &nparams, &maxparams, VIR_DOMAIN_LAUNCH_SECURITY_SEV_SECRET, call->payload_base64) ==
		0;
	if (ok && call->has_gpa)
		ok = virt->virTypedParamsAddULLong(&params,
						   &nparams,
						   &maxparams,
						   VIR_DOMAIN_LAUNCH_SECURITY_SEV_SECRET_SET_ADDRESS,
						   call->gpa) == 0;
	if (!ok) {
		sl_libvirt_set_error(error, SL_ERROR_INTERNAL, "cannot build the launch secret parameters");
	} else if (virt->virDomainSetLaunchSecurityState(self->domain, params, nparams, 0) < 0) {
		sl_libvirt_set_error(error, SL_ERROR_INJECTION_REFUSED, "libvirt refused the launch secret");
		ok = FALSE;
	}
	virt->virTypedParamsFree(params, nparams);
	return ok;
}

static gboolean
sl_libvirt_resume(SlLibvirtTarget *self, SlLibvirtCall *call, GError **error)
{
	if (virt->virDomainResume(self->domain) < 0) {
		sl_libvirt_set_error(error, SL_ERROR_PROTOCOL, "libvirt did not resume the domain");
		return FALSE;
	}
	return TRUE;
}

static gboolean
sl_libvirt_destroy(SlLibvirtTarget *self, SlLibvirtCall *call, GError **error)
{
	/* a domain that is gone already is what destroy wants */
	if (virt->virDomainDestroy(self->domain) < 0 &&
	    !sl_libvirt_last_error_is(VIR_ERR_OPERATION_INVALID)) {
		sl_libvirt_set_error(error, SL_ERROR_PROTOCOL, "libvirt did not destroy the domain");
		return FALSE;
	}
	virt->virResetLastError();
	return TRUE;
}

static void
sl_libvirt_target_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	SlLibvirtCall *call = task_data;
	GError *error = NULL;

	if (!call->func(source, call, &error)) {
		g_task_return_error(task, error);
		return;
	}
	if (call->info != NULL)
		g_task_return_pointer(
		    task, g_steal_pointer(&call->info), (GDestroyNotify)sl_launch_info_free);
	else
		g_task_return_boolean(task, TRUE);
}

/* runs @call on a worker thread; a cancelled call returns at once, libvirt finishes alone */
static void
sl_libvirt_target_run(SlLibvirtTarget *self,
		      SlLibvirtCall *call,
		      gpointer source_tag,
		      GCancellable *cancellable,
		      GAsyncReadyCallback callback,
		      gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, source_tag);
	g_task_set_task_data(task, call, (GDestroyNotify)sl_libvirt_call_free);
	if (self->closed || (call->func != sl_libvirt_open && self->domain == NULL)) {
		g_task_return_new_error(
		    task, SL_ERROR, SL_ERROR_CONNECTION, "the libvirt connection is closed");
		return;
	}
	g_task_set_return_on_cancel(task, TRUE);
	g_task_run_in_thread(task, sl_libvirt_target_thread);
}

static SlLibvirtCall *
sl_libvirt_call_new(SlLibvirtCallFunc func)
{
	SlLibvirtCall *call = g_new0(SlLibvirtCall, 1);
	call->func = func;
	return call;
}

static void
sl_libvirt_target_open_async(SlLaunchTarget *target,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	SlLibvirtTarget *self = SL_LIBVIRT_TARGET(target);

	sl_libvirt_target_run(self,
			      sl_libvirt_call_new(sl_libvirt_open),
			      sl_libvirt_target_open_async,
			      cancellable,
			      callback,
			      user_data);
}

static void
sl_libvirt_target_add_to_report(SlLaunchTarget *target, SlReport *report)
{
	SlLibvirtTarget *self = SL_LIBVIRT_TARGET(target);

	sl_report_begin_object(report, "libvirt");
	sl_report_add_string(report, "domain", self->name);
	sl_report_add_string(report, "uuid", self->uuid);
	sl_report_add_bool(report, "started", g_atomic_int_get(&self->started));
	if (self->warning != NULL)
		sl_report_add_string(report, "warning", self->warning);
	sl_report_end_object(report);
}

static gchar *
sl_libvirt_target_describe_open_timeout(SlLaunchTarget *target, guint seconds)
{
	SlLibvirtTarget *self = SL_LIBVIRT_TARGET(target);
	return g_strdup_printf("libvirt at %s did not answer within %u s (--timeout)", self->uri, seconds);
}

static void
sl_libvirt_target_read_info_async(SlLaunchTarget *target,
				  SlLaunchInfoFlags what,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	SlLibvirtCall *call = sl_libvirt_call_new(sl_libvirt_read_info);

	call->what = what;
	sl_libvirt_target_run(SL_LIBVIRT_TARGET(target),
			      call,
			      sl_libvirt_target_read_info_async,
			      cancellable,
			      callback,
			      user_data);
}

static void
sl_libvirt_target_inject_secret_async(SlLaunchTarget *target,
				      const gchar *header_base64,
				      const gchar *payload_base64,
				      gboolean has_gpa,
				      guint64 gpa,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	SlLibvirtCall *call = sl_libvirt_call_new(sl_libvirt_inject);

	call->header_base64 = g_strdup(header_base64);
	call->payload_base64 = g_strdup(payload_base64);
	call->has_gpa = has_gpa;
	call->gpa = gpa;
	sl_libvirt_target_run(SL_LIBVIRT_TARGET(target),
			      call,
			      sl_libvirt_target_inject_secret_async,
			      cancellable,
			      callback,
			      user_data);
}

static void
sl_libvirt_target_resume_async(SlLaunchTarget *target,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	sl_libvirt_target_run(SL_LIBVIRT_TARGET(target),
			      sl_libvirt_call_new(sl_libvirt_resume),
			      sl_libvirt_target_resume_async,
			      cancellable,
			      callback,
			      user_data);
}

static void
sl_libvirt_target_quit_async(SlLaunchTarget *target,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	sl_libvirt_target_run(SL_LIBVIRT_TARGET(target),
			      sl_libvirt_call_new(sl_libvirt_destroy),
			      sl_libvirt_target_quit_async,
			      cancellable,
			      callback,
			      user_data);
}

/* no call after this; the connection goes with the last ref, once no thread uses it */
static void
sl_libvirt_target_close(SlLaunchTarget *target)
{
	SL_LIBVIRT_TARGET(target)->closed = TRUE;
}

static void
sl_libvirt_target_iface_init(SlLaunchTargetInterface *iface)
{
	iface->open_async = sl_libvirt_target_open_async;
	iface->add_to_report = sl_libvirt_target_add_to_report;
	iface->describe_open_timeout = sl_libvirt_target_describe_open_timeout;
	iface->read_info_async = sl_libvirt_target_read_info_async;
	iface->inject_secret_async = sl_libvirt_target_inject_secret_async;
	iface->resume_async = sl_libvirt_target_resume_async;
	iface->quit_async = sl_libvirt_target_quit_async;
	iface->close = sl_libvirt_target_close;
}

SlLibvirtTarget *
sl_libvirt_target_new(const SlLibvirtTargetOptions *options, GError **error)
{
	SlLibvirtTarget *self;

	if (options->uri == NULL || options->uri[0] == '\0' || options->domain == NULL ||
	    options->domain[0] == '\0') {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "a libvirt target needs a connection URI and a domain");
		return NULL;
	}
	self = g_object_new(SL_TYPE_LIBVIRT_TARGET, NULL);
	self->uri = g_strdup(options->uri);
	self->lookup = g_strdup(options->domain);
	self->start = options->start;
	return self;
}

gboolean
sl_libvirt_target_get_started(SlLibvirtTarget *self)
{
	g_return_val_if_fail(SL_IS_LIBVIRT_TARGET(self), FALSE);
	return g_atomic_int_get(&self->started);
}

static void
sl_libvirt_target_destroy_started_thread(GTask *task,
					 gpointer source,
					 gpointer task_data,
					 GCancellable *cancellable)
{
	SlLibvirtTarget *self = source;
	virConnectPtr conn = NULL;
	virDomainPtr domain = NULL;
	GError *error = NULL;
	gboolean ok = sl_libvirt_connect(self->uri, self->uuid, &conn, &domain, &error);

	if (ok && virt->virDomainDestroy(domain) < 0 &&
	    !sl_libvirt_last_error_is(VIR_ERR_OPERATION_INVALID)) {
		sl_libvirt_set_error(&error, SL_ERROR_PROTOCOL, "libvirt did not destroy the domain");
		ok = FALSE;
	}
	if (domain != NULL)
		virt->virDomainFree(domain);
	if (conn != NULL)
		virt->virConnectClose(conn);
	if (!ok)
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

void
sl_libvirt_target_destroy_started_async(SlLibvirtTarget *self,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, sl_libvirt_target_destroy_started_async);
	if (!g_atomic_int_get(&self->started)) {
		g_task_return_new_error(
		    task, SL_ERROR, SL_ERROR_INTERNAL, "this target did not start the domain");
		return;
	}
	g_task_set_return_on_cancel(task, TRUE);
	g_task_run_in_thread(task, sl_libvirt_target_destroy_started_thread);
}

gboolean
sl_libvirt_target_destroy_started_finish(SlLibvirtTarget *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}
