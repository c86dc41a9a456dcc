/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-cli-host.h"
#include "sl-cli-output-file.h"
#include "sl-cmd-verify-state.h"
#include "sl-error.h"
#include "sl-launch-state.h"
#include "sl-number.h"
#include "sl-packet-document.h"
#include "sl-verdict.h"

/* QEMU takes gpa as a signed 64-bit value */
#define SL_CMD_VERIFY_STATE_MAX_GPA G_MAXINT64

static SlLaunchState *
sl_cmd_verify_state_load(const SlCmdVerifyStateOptions *options, GError **error)
{
	g_autofree gchar *text = NULL;
	gsize len = 0;
	SlLaunchState *state;

	text = sl_cli_read_document("--launch-state", options->launch_state, &len, error);
	if (text == NULL)
		return NULL;
	state = sl_launch_state_parse(text, len, error);
	if (state == NULL) {
		g_prefix_error(error, "--launch-state %s: ", options->launch_state);
		return NULL;
	}
	if (g_strcmp0(state->state, SL_SEV_STATE_LAUNCH_SECRET) != 0) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "the launch state says the guest is in SEV state '%s', not '%s'",
			    state->state,
			    SL_SEV_STATE_LAUNCH_SECRET);
		sl_launch_state_free(state);
		return NULL;
	}
	return state;
}

/* the values the document holds may not come from the command line as well */
static gboolean
sl_cmd_verify_state_refuse(SlCliOptions *cli, const SlCmdVerifyStateOptions *options, GError **error)
{
	const gchar *why = "comes from the --launch-state document";
	guint64 policy = 0;

	if (!sl_cli_refuse_option(cli->measurement, "--measurement", why, error) ||
	    !sl_cli_refuse_option(cli->api_major, "--api-major", why, error) ||
	    !sl_cli_refuse_option(cli->api_minor, "--api-minor", why, error) ||
	    !sl_cli_refuse_option(cli->build_id, "--build-id", why, error) ||
	    !sl_cli_refuse_option(cli->policy, "--policy", why, error))
		return FALSE;
	if (options->packet_out != NULL && (cli->secrets == NULL || cli->secrets[0] == NULL)) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "--packet-out needs --secret");
		return FALSE;
	}
	if (cli->secrets != NULL && cli->secrets[0] != NULL && options->packet_out == NULL) {
		g_set_error_literal(
		    error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "--secret with --launch-state needs --packet-out FILE (or - for standard output)");
		return FALSE;
	}
	if (options->secret_gpa != NULL && options->packet_out == NULL) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "--secret-gpa needs --packet-out");
		return FALSE;
	}
	if (options->expect_policy != NULL &&
	    !sl_number_parse(options->expect_policy, "--expect-policy", 0, G_MAXUINT32, &policy, error))
		return FALSE;
	if (cli->tek != NULL && options->packet_out == NULL) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "--tek is used only to build a packet: pass --secret and --packet-out");
		return FALSE;
	}
	return TRUE;
}

/* the guest is SEV-ES exactly when the document says so; its vCPU count is the default */
static gboolean
sl_cmd_verify_state_artifacts(SlCliOptions *cli,
			      const SlLaunchState *state,
			      SlLaunchArtifacts *artifacts,
			      GError **error)
{
	if (cli->sev_es && !state->sev_es) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "--sev-es given, but the launch state's policy 0x%x has no SEV-ES bit (0x4)",
			    state->params.policy);
		return FALSE;
	}
	if (!state->sev_es) {
		if (sl_launch_artifacts_has_sev_es_inputs(artifacts)) {
			g_set_error(error,
				    SL_ERROR,
				    SL_ERROR_NOT_VERIFIABLE,
				    "SEV-ES vCPU options were given, but the launch state's policy 0x%x is "
				    "not SEV-ES",
				    state->params.policy);
			return FALSE;
		}
		return TRUE;
	}
	/* a hint: the host says how many vCPUs; the measurement decides */
	if (artifacts->vcpus == 0)
		artifacts->vcpus = state->vcpus;
	return sl_launch_artifacts_check_sev_es(artifacts, artifacts->vcpus, error);
}

static void
sl_cmd_verify_state_describe(const SlLaunchState *state, SlReport *report)
{
	if (state->qemu_version != NULL) {
		sl_report_begin_object(report, "qemu");
		sl_report_add_string(report, "version", state->qemu_version);
		sl_report_end_object(report);
	}
	sl_report_begin_object(report, "guest");
	sl_report_add_string(report, "state", state->state);
	sl_launch_params_describe(&state->params, report);
	sl_report_end_object(report);
}

/* the packet, bound to the verified measurement, written only now */
static gboolean
sl_cmd_verify_state_write_packet(const SlCmdVerifyStateOptions *options,
				 SlOutputFile *out,
				 SlLaunchKeys *keys,
				 const SlSecretTable *secrets,
				 const SlLaunchState *state,
				 guint64 gpa,
				 SlReport *report,
				 GError **error)
{
	g_autoptr(SlSecretPacket) packet = NULL;
	g_autofree gchar *document = NULL;

	packet = sl_secret_packet_build(keys, state->measurement, NULL, secrets, error);
	if (packet == NULL)
		return FALSE;
	document = sl_packet_document_build(
	    packet, secrets, state->measurement, state->mnonce, options->secret_gpa != NULL, gpa);
	if (!sl_output_file_write(out, (const guint8 *)document, strlen(document), error) ||
	    !sl_output_file_commit(out, error)) {
		g_prefix_error(error, "--packet-out: ");
		return FALSE;
	}
	sl_report_begin_object(report, "packet");
	sl_report_add_string(report, "path", options->packet_out);
	sl_secret_table_describe(secrets, "secrets", report);
	sl_report_end_object(report);
	return TRUE;
}

static SlOutputFile *
sl_cmd_verify_state_open_packet(const SlCmdVerifyStateOptions *options, guint64 *gpa, GError **error)
{
	SlOutputFileFlags flags = SL_OUTPUT_FILE_FLAG_STDOUT;

	if (options->secret_gpa != NULL &&
	    !sl_number_parse(options->secret_gpa, "--secret-gpa", 1, SL_CMD_VERIFY_STATE_MAX_GPA, gpa, error))
		return NULL;
	if (options->force)
		flags |= SL_OUTPUT_FILE_FLAG_FORCE;
	/* created now, so a path that cannot be written is refused before anything is computed */
	return sl_cli_output_file_new(
	    "--packet-out", options->packet_out, "packet", 0600, flags, TRUE, error);
}

/* against the artifacts; on a mismatch with --explain, what would have matched */
static gboolean
sl_cmd_verify_state_verdict_artifacts(SlCliOptions *cli,
				      const SlCmdVerifyStateOptions *options,
				      SlLaunchArtifacts *artifacts,
				      const SlLaunchState *state,
				      SlLaunchKeys *keys,
				      SlReport *report,
				      GError **error)
{
	g_autoptr(SlLaunchDigestPrefix) prefix = NULL;
	g_autoptr(GError) error_verdict = NULL;
	guint8 digest[SL_SHA256_SIZE];

	if (!sl_cmd_verify_state_artifacts(cli, state, artifacts, error))
		return FALSE;
	sl_cli_verify_warn_nvram(artifacts, report);
	prefix = sl_launch_artifacts_hash_prefix(artifacts, error);
	if (prefix == NULL || !sl_launch_artifacts_finish_digest(
				  artifacts, prefix, state->sev_es, artifacts->vcpus, digest, report, error))
		return FALSE;
	if (sl_verdict_check(artifacts,
			     prefix,
			     keys->tik,
			     &state->params,
			     digest,
			     state->measurement,
			     state->mnonce,
			     report,
			     &error_verdict))
		return TRUE;
	if (options->extras->explain && g_error_matches(error_verdict, SL_ERROR, SL_ERROR_MISMATCH) &&
	    !sl_verdict_explain(artifacts,
				prefix,
				state->sev_es,
				artifacts->vcpus,
				keys->tik,
				&state->params,
				state->measurement,
				state->mnonce,
				report,
				error))
		return FALSE;
	g_propagate_error(error, g_steal_pointer(&error_verdict));
	return FALSE;
}

/* --expect-policy, as a live verify applies it: the policy the host's document says */
static gboolean
sl_cmd_verify_state_check_policy(const SlCmdVerifyStateOptions *options,
				 const SlLaunchState *state,
				 GError **error)
{
	guint64 expected = 0;

	if (options->expect_policy == NULL)
		return TRUE;
	/* checked before anything was read */
	if (!sl_number_parse(options->expect_policy, "--expect-policy", 0, G_MAXUINT32, &expected, error))
		return FALSE;
	if (state->params.policy == (guint32)expected)
		return TRUE;
	g_set_error(error,
		    SL_ERROR,
		    SL_ERROR_NOT_VERIFIABLE,
		    "guest policy is 0x%x, --expect-policy wants 0x%x",
		    state->params.policy,
		    (guint32)expected);
	return FALSE;
}

/* the document, the owner's rules, then the verdict against a manifest or the artifacts */
static gboolean
sl_cmd_verify_state_verdict(SlCliOptions *cli,
			    const SlCmdVerifyStateOptions *options,
			    SlManifest *manifest,
			    const SlLaunchRequirements *req,
			    SlLaunchArtifacts *artifacts,
			    SlLaunchKeys *keys,
			    SlLaunchState **state_out,
			    SlReport *report,
			    GError **error)
{
	g_autoptr(SlLaunchState) state = sl_cmd_verify_state_load(options, error);

	if (state == NULL)
		return FALSE;
	sl_cmd_verify_state_describe(state, report);
	if (!sl_cmd_verify_state_check_policy(options, state, error) ||
	    !sl_launch_requirements_check(req, &state->params, error))
		return FALSE;
	if (manifest != NULL) {
		if (cli->sev_es && !state->sev_es) {
			g_set_error(
			    error,
			    SL_ERROR,
			    SL_ERROR_NOT_VERIFIABLE,
			    "--sev-es given, but the launch state's policy 0x%x has no SEV-ES bit (0x4)",
			    state->params.policy);
			return FALSE;
		}
		if (!sl_verdict_check_manifest(manifest,
					       keys->tik,
					       &state->params,
					       state->measurement,
					       state->mnonce,
					       report,
					       error))
			return FALSE;
	} else if (!sl_cmd_verify_state_verdict_artifacts(
		       cli, options, artifacts, state, keys, report, error)) {
		return FALSE;
	}
	*state_out = g_steal_pointer(&state);
	return TRUE;
}

gboolean
sl_cmd_verify_launch_state(SlCliOptions *cli,
			   const SlCmdVerifyStateOptions *options,
			   SlReport *report,
			   GError **error)
{
	g_autoptr(SlLaunchState) state = NULL;
	g_autoptr(SlLaunchArtifacts) artifacts = NULL;
	g_autoptr(SlLaunchKeys) keys = NULL;
	g_autoptr(SlSecretTable) secrets = NULL;
	g_autoptr(SlOutputFile) out = NULL;
	g_autoptr(SlManifest) manifest = NULL;
	SlLaunchRequirements req = {0};
	guint64 gpa = 0;

	if (!sl_cmd_verify_state_refuse(cli, options, error) ||
	    !sl_cli_verify_extras_load(options->extras, cli, &manifest, &req, report, error))
		return FALSE;
	if (manifest == NULL) {
		artifacts = sl_cli_options_get_artifacts(cli, error);
		if (artifacts == NULL)
			return FALSE;
	}
	keys = sl_cli_options_get_keys(cli, error);
	if (keys == NULL || !sl_cli_options_get_secret_table(cli, &secrets, error))
		return FALSE;
	if (secrets != NULL && keys->tek == NULL) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "--secret needs a TEK: pass --tek FILE or --tk FILE");
		return FALSE;
	}
	if (options->packet_out != NULL) {
		out = sl_cmd_verify_state_open_packet(options, &gpa, error);
		if (out == NULL)
			return FALSE;
	}
	/* on a mismatch the packet file is never created: @out takes its temporary file back */
	if (!sl_cmd_verify_state_verdict(
		cli, options, manifest, &req, artifacts, keys, &state, report, error))
		return FALSE;
	if (out == NULL)
		return TRUE;
	return sl_cmd_verify_state_write_packet(options, out, keys, secrets, state, gpa, report, error);
}
