/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

/* the raw option strings converted into model values, checked together */
#include "sl-cert-chain.h"
#include "sl-cli-options.h"
#include "sl-cli-output.h"
#include "sl-cpu.h"
#include "sl-error.h"
#include "sl-number.h"
#include "sl-vmsa.h"

static gboolean
sl_cli_options_get_cpu_fms(SlCliOptions *self, SlLaunchArtifacts *artifacts, GError **error)
{
	guint64 family = 0, model = 0, stepping = 0;

	if (self->cpu_family == NULL || self->cpu_model == NULL || self->cpu_stepping == NULL) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "--cpu-family, --cpu-model and --cpu-stepping go together");
		return FALSE;
	}
	if (!sl_number_parse(self->cpu_family, "--cpu-family", 0, G_MAXINT32, &family, error) ||
	    !sl_number_parse(self->cpu_model, "--cpu-model", 0, G_MAXINT32, &model, error) ||
	    !sl_number_parse(self->cpu_stepping, "--cpu-stepping", 0, G_MAXINT32, &stepping, error))
		return FALSE;
	if (!sl_cpu_signature_from_fms(
		(gint64)family, (gint64)model, (gint64)stepping, &artifacts->cpu_signature, error))
		return FALSE;
	artifacts->cpu_name = g_strdup_printf("family %" G_GUINT64_FORMAT " model %" G_GUINT64_FORMAT
					      " stepping %" G_GUINT64_FORMAT,
					      family,
					      model,
					      stepping);
	return TRUE;
}

/* exactly one source of vCPU state, or none */
static gboolean
sl_cli_options_get_vmsa_source(SlCliOptions *self, SlLaunchArtifacts *artifacts, GError **error)
{
	gboolean by_fms = self->cpu_family != NULL || self->cpu_model != NULL || self->cpu_stepping != NULL;
	gboolean by_files = self->vmsa_cpu0 != NULL || self->vmsa_cpu1 != NULL;
	guint sources = (self->cpu != NULL) + by_fms + (self->cpu_signature != NULL) + by_files;
	guint64 value = 0;

	if (sources > 1) {
		g_set_error_literal(
		    error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "give one of --cpu, --cpu-family/--cpu-model/--cpu-stepping, --cpu-signature "
		    "or --vmsa-cpu0/--vmsa-cpu1");
		return FALSE;
	}
	if (self->cpu != NULL) {
		if (!sl_cpu_signature_from_name(self->cpu, &artifacts->cpu_signature, error))
			return FALSE;
		artifacts->cpu_name = g_strdup(self->cpu);
		artifacts->vmsa_source = SL_VMSA_SOURCE_CPU_SIGNATURE;
	} else if (by_fms) {
		if (!sl_cli_options_get_cpu_fms(self, artifacts, error))
			return FALSE;
		artifacts->vmsa_source = SL_VMSA_SOURCE_CPU_SIGNATURE;
	} else if (self->cpu_signature != NULL) {
		if (!sl_number_parse_hex(self->cpu_signature, "--cpu-signature", G_MAXUINT32, &value, error))
			return FALSE;
		artifacts->cpu_signature = (guint32)value;
		artifacts->vmsa_source = SL_VMSA_SOURCE_CPU_SIGNATURE;
	} else if (by_files) {
		artifacts->vmsa_cpu0 = g_strdup(self->vmsa_cpu0);
		artifacts->vmsa_cpu1 = g_strdup(self->vmsa_cpu1);
		artifacts->vmsa_source = SL_VMSA_SOURCE_FILES;
	}
	/* built-VMSA knobs make no sense with VMSA files: say so rather than ignore them */
	if (artifacts->vmsa_source == SL_VMSA_SOURCE_FILES &&
	    (self->vmsa_variant != NULL || self->sev_features != NULL)) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "--vmsa-variant and --sev-features apply to built VMSAs, not "
				    "--vmsa-cpu0/--vmsa-cpu1 files");
		return FALSE;
	}
	return TRUE;
}

/*
 * the options behind a failed sl_launch_artifacts_check(), tested in its
 * order, so that the first condition that holds is the one it reported
 */
static const gchar *
sl_cli_options_artifacts_hint(const SlCliOptions *self)
{
	if (self->firmware == NULL)
		return "pass --firmware FILE";
	if (self->kernel == NULL && self->initrd != NULL)
		return "--initrd needs --kernel";
	if (self->kernel == NULL && self->cmdline != NULL)
		return "--cmdline needs --kernel";
	if (self->vmsa_cpu0 == NULL && self->vmsa_cpu1 != NULL)
		return "--vmsa-cpu1 needs --vmsa-cpu0";
	return NULL;
}

/* likewise for sl_launch_keys_load() and the key and secret files it reads */
static const gchar *
sl_cli_options_keys_hint(const SlCliOptions *self, const GError *error)
{
	if (g_error_matches(error, SL_ERROR, SL_ERROR_PERMISSION))
		return "or pass --allow-open-permissions";
	if (self->tk != NULL && (self->tik != NULL || self->tek != NULL))
		return "--tk cannot be combined with --tik or --tek";
	if (self->tk == NULL && self->tik == NULL)
		return "pass --tik FILE or --tk FILE";
	return NULL;
}

SlLaunchArtifacts *
sl_cli_options_get_artifacts(SlCliOptions *self, GError **error)
{
	g_autoptr(SlLaunchArtifacts) artifacts = sl_launch_artifacts_new();
	guint64 value = 0;

	artifacts->firmware = g_strdup(self->firmware);
	artifacts->kernel = g_strdup(self->kernel);
	artifacts->initrd = g_strdup(self->initrd);
	artifacts->cmdline = g_strdup(self->cmdline);
	if (self->vcpus != NULL) {
		if (!sl_number_parse(self->vcpus, "--vcpus", 1, SL_MAX_VCPUS, &value, error))
			return NULL;
		artifacts->vcpus = (guint)value;
	}
	if (!sl_cli_options_get_vmsa_source(self, artifacts, error))
		return NULL;
	if (self->vmsa_variant != NULL &&
	    !sl_vmsa_variant_from_string(self->vmsa_variant, &artifacts->vmsa_variant, error)) {
		g_prefix_error(error, "--vmsa-variant: ");
		return NULL;
	}
	if (self->sev_features != NULL) {
		/* bit 63 is reserved, and a report (JSON) holds integers up to 2^63-1 */
		if (!sl_number_parse_hex(self->sev_features, "--sev-features", G_MAXINT64, &value, error))
			return NULL;
		artifacts->sev_features = value;
	}
	artifacts->vmsa_knobs_given = self->vmsa_variant != NULL || self->sev_features != NULL;
	if (!sl_launch_artifacts_check(artifacts, error)) {
		sl_cli_error_add_hint(error, sl_cli_options_artifacts_hint(self));
		return NULL;
	}
	return g_steal_pointer(&artifacts);
}

SlSecureFileFlags
sl_cli_options_get_file_flags(const SlCliOptions *self)
{
	return self->allow_open_permissions ? SL_SECURE_FILE_FLAG_ALLOW_OPEN_PERMISSIONS
					    : SL_SECURE_FILE_FLAG_NONE;
}

SlLaunchKeys *
sl_cli_options_get_keys(SlCliOptions *self, GError **error)
{
	SlLaunchKeys *keys =
	    sl_launch_keys_load(self->tik, self->tek, self->tk, sl_cli_options_get_file_flags(self), error);
	if (keys == NULL)
		sl_cli_error_add_hint(error, sl_cli_options_keys_hint(self, *error));
	return keys;
}

gboolean
sl_cli_options_get_launch_params(SlCliOptions *self, SlLaunchParams *params, gboolean *found, GError **error)
{
	guint64 major = 0, minor = 0, build = 0, policy = 0;
	guint given = (self->api_major != NULL) + (self->api_minor != NULL) + (self->build_id != NULL) +
		      (self->policy != NULL);

	*found = FALSE;
	if (given == 0)
		return TRUE;
	if (given != 4) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "--api-major, --api-minor, --build-id and --policy go together");
		return FALSE;
	}
	if (!sl_number_parse(self->api_major, "--api-major", 0, G_MAXUINT8, &major, error) ||
	    !sl_number_parse(self->api_minor, "--api-minor", 0, G_MAXUINT8, &minor, error) ||
	    !sl_number_parse(self->build_id, "--build-id", 0, G_MAXUINT8, &build, error) ||
	    !sl_number_parse(self->policy, "--policy", 0, G_MAXUINT32, &policy, error))
		return FALSE;
	if (!sl_launch_params_init(
		params, (gint64)major, (gint64)minor, (gint64)build, (gint64)policy, error))
		return FALSE;
	*found = TRUE;
	return TRUE;
}

gboolean
sl_cli_options_get_secret_table(SlCliOptions *self, SlSecretTable **table_out, GError **error)
{
	g_autoptr(SlSecretTable) table = NULL;

	*table_out = NULL;
	if (self->secrets == NULL || self->secrets[0] == NULL)
		return TRUE;
	table = sl_secret_table_new();
	for (guint i = 0; self->secrets[i] != NULL; i++) {
		if (!sl_secret_table_add_spec(table,
					      self->secrets[i],
					      sl_cli_options_get_file_flags(self) |
						  SL_SECURE_FILE_FLAG_REFUSE_EMPTY,
					      error)) {
			g_prefix_error(error, "--secret: ");
			if (g_error_matches(*error, SL_ERROR, SL_ERROR_PERMISSION))
				sl_cli_error_add_hint(error, "or pass --allow-open-permissions");
			return FALSE;
		}
	}
	*table_out = g_steal_pointer(&table);
	return TRUE;
}

void
sl_cli_options_add_vmsa_hint(const SlCliOptions *self, GError **error)
{
	/* the one input error left once the vCPU count is known: no AP VMSA for 2+ vCPUs */
	if (error != NULL && g_error_matches(*error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT) &&
	    self->vmsa_cpu0 != NULL && self->vmsa_cpu1 == NULL)
		sl_cli_error_add_hint(error, "pass --vmsa-cpu1 FILE");
}

gboolean
sl_cli_resolve_sev_es(
    const SlCliOptions *cli, guint32 policy, SlLaunchArtifacts *artifacts, gboolean *sev_es, GError **error)
{
	gboolean policy_es = (policy & SL_SEV_POLICY_ES) != 0;

	if (cli->sev_es && cli->policy != NULL && !policy_es) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "--sev-es given, but --policy 0x%x has no SEV-ES bit (0x4)",
			    policy);
		return FALSE;
	}
	*sev_es = cli->sev_es || policy_es;
	if (*sev_es) {
		if (sl_launch_artifacts_check_sev_es(artifacts, artifacts->vcpus, error))
			return TRUE;
		/* the two inputs it checks first, in its order */
		if (artifacts->vcpus == 0)
			sl_cli_error_add_hint(error, "pass --vcpus N");
		else if (artifacts->vmsa_source == SL_VMSA_SOURCE_NONE)
			sl_cli_error_add_hint(error,
					      "pass --cpu NAME, --cpu-family/--cpu-model/--cpu-stepping, "
					      "--cpu-signature HEX, or --vmsa-cpu0/--vmsa-cpu1 FILE");
		else
			sl_cli_options_add_vmsa_hint(cli, error);
		return FALSE;
	}
	if (sl_launch_artifacts_has_sev_es_inputs(artifacts)) {
		g_set_error_literal(
		    error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "--vcpus and the CPU/VMSA options (--cpu*, --vmsa-*, --sev-features) apply to "
		    "SEV-ES guests, but neither --sev-es nor a --policy with bit 0x4 was given");
		return FALSE;
	}
	return TRUE;
}

gboolean
sl_cli_options_load_chain(const SlCliOptions *self, SlCertChain *chain, GError **error)
{
	gboolean files = self->ark != NULL || self->ask != NULL;

	if (self->chain == NULL) {
		g_set_error_literal(error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "pass --chain DIR");
		return FALSE;
	}
	if ((self->generation != NULL) == files || (files && (self->ark == NULL || self->ask == NULL))) {
		g_set_error_literal(
		    error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "AMD's keys come from --generation NAME or from --ark FILE and --ask FILE");
		return FALSE;
	}
	if (self->generation != NULL) {
		if (!sl_cert_chain_load_builtin(chain, self->generation, error))
			return FALSE;
	} else if (!sl_cert_chain_load_file(chain, SL_CERT_ROLE_ARK, self->ark, error) ||
		   !sl_cert_chain_load_file(chain, SL_CERT_ROLE_ASK, self->ask, error)) {
		return FALSE;
	}
	return sl_cert_chain_load_dir(chain, self->chain, error);
}
