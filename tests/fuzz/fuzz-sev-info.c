/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"
#include "qmp-stream.h"
#include "sl-error.h"
#include "sl-qemu-sev-reply.h"

/*
 * the replies to query-sev, query-sev-launch-measure and query-cpus-fast: the
 * input is one reply message as it comes off the wire; it takes the path the
 * client gives it (syntax check, json-glib), then the "return" member goes to
 * each of the reply parsers
 */

static void
sl_fuzz_sev_info_guest(JsonNode *ret)
{
	g_auto(SlSevGuestInfo) info = {0};
	g_autoptr(GError) error = NULL;

	if (!sl_qemu_sev_reply_parse_query_sev(ret, &info, &error)) {
		g_assert_nonnull(error);
		g_assert_true(error->domain == SL_ERROR);
		g_assert_true(error->code == SL_ERROR_PROTOCOL || error->code == SL_ERROR_NOT_VERIFIABLE);
		return;
	}
	g_assert_no_error(error);
	g_assert_nonnull(info.state);
	g_assert_true(info.sev_es == ((info.params.policy & SL_SEV_POLICY_ES) != 0));
}

static void
sl_fuzz_sev_info_measure(JsonNode *ret)
{
	g_autoptr(GError) error = NULL;
	guint8 measurement[SL_MEASUREMENT_SIZE];
	guint8 mnonce[SL_MNONCE_SIZE];

	if (!sl_qemu_sev_reply_parse_launch_measure(ret, measurement, mnonce, &error))
		g_assert_error(error, SL_ERROR, SL_ERROR_PROTOCOL);
	else
		g_assert_no_error(error);
}

static void
sl_fuzz_sev_info_cpus(JsonNode *ret)
{
	g_autoptr(GError) error = NULL;
	guint count = 0;

	if (!sl_qemu_sev_reply_parse_cpus_fast(ret, &count, &error)) {
		g_assert_error(error, SL_ERROR, SL_ERROR_PROTOCOL);
		return;
	}
	g_assert_no_error(error);
	g_assert_cmpuint(count, >, 0);
	g_assert_cmpuint(count, <=, 4096);
}

/* query-status, query-version and query-sev-capabilities: fail cleanly or fill in */
static void
sl_fuzz_sev_info_others(JsonNode *ret)
{
	g_autoptr(GError) error_status = NULL;
	g_autoptr(GError) error_version = NULL;
	g_autoptr(GError) error_caps = NULL;
	g_autofree gchar *status = NULL;
	g_auto(SlSevCapabilities) caps = {0};
	gboolean running = FALSE;
	guint major = 0, minor = 0, micro = 0;

	if (sl_qemu_sev_reply_parse_status(ret, &running, &status, &error_status))
		g_assert_nonnull(status);
	else
		g_assert_error(error_status, SL_ERROR, SL_ERROR_PROTOCOL);
	if (!sl_qemu_sev_reply_parse_version(ret, &major, &minor, &micro, &error_version))
		g_assert_error(error_version, SL_ERROR, SL_ERROR_PROTOCOL);
	if (sl_qemu_sev_reply_parse_capabilities(ret, &caps, &error_caps))
		g_assert_true(caps.pdh != NULL && caps.cert_chain != NULL && caps.cbitpos < 64);
	else
		g_assert_error(error_caps, SL_ERROR, SL_ERROR_PROTOCOL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(JsonParser) parser = NULL;
	g_autoptr(GError) error = NULL;
	JsonNode *root;
	JsonObject *msg;
	JsonNode *ret;

	sl_fuzz_init();
	if (!qmp_stream_check_syntax((const gchar *)data, size, &error))
		return 0;
	parser = json_parser_new();
	if (!json_parser_load_from_data(parser, (const gchar *)data, (gssize)size, NULL))
		return 0;
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
		return 0;
	msg = json_node_get_object(root);
	if (!json_object_has_member(msg, "return"))
		return 0;
	/* as the client hands it over: a copy of the member */
	ret = json_node_copy(json_object_get_member(msg, "return"));
	sl_fuzz_sev_info_guest(ret);
	sl_fuzz_sev_info_measure(ret);
	sl_fuzz_sev_info_cpus(ret);
	sl_fuzz_sev_info_others(ret);
	json_node_unref(ret);
	return 0;
}
