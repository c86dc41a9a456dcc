/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "sl-cli-verify-extras.h"
#include "sl-error.h"
#include "sl-firmware-volume.h"

void
sl_cli_verify_extras_clear(SlCliVerifyExtras *self)
{
	g_clear_pointer(&self->manifest, g_free);
	g_clear_pointer(&self->manifest_signature, g_free);
	g_clear_pointer(&self->manifest_ca, g_free);
	sl_cli_requirement_options_clear(&self->req);
}

void
sl_cli_add_verify_extra_options(GOptionContext *context, SlCliOptions *cli, SlCliVerifyExtras *self)
{
	const GOptionEntry entries[] = {
	    {"manifest",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &self->manifest,
	     "Verify against this manifest instead of artifacts",
	     "FILE"},
	    {"manifest-signature",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &self->manifest_signature,
	     "Detached PKCS#7 signature of the manifest",
	     "FILE"},
	    {"manifest-ca",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &self->manifest_ca,
	     "CA certificates (PEM) the manifest signature must chain to",
	     "FILE"},
	    {"explain",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &self->explain,
	     "On a mismatch, find the one or two changes to the inputs that match",
	     NULL},
	    {NULL},
	};
	sl_cli_add_entries(context, cli, entries);
	sl_cli_add_requirement_options(context, cli, &self->req);
}

/* a manifest holds the artifacts' digests: artifact options beside it would be ignored */
static gboolean
sl_cli_verify_extras_refuse_artifacts(const SlCliVerifyExtras *self, const SlCliOptions *cli, GError **error)
{
	const gchar *given[] = {
	    cli->firmware,
	    cli->kernel,
	    cli->initrd,
	    cli->cmdline,
	    cli->cpu,
	    cli->cpu_family,
	    cli->cpu_model,
	    cli->cpu_stepping,
	    cli->cpu_signature,
	    cli->vmsa_cpu0,
	    cli->vmsa_cpu1,
	    cli->vmsa_variant,
	    cli->sev_features,
	    cli->vcpus,
	};
	for (guint i = 0; i < G_N_ELEMENTS(given); i++) {
		if (given[i] != NULL) {
			g_set_error_literal(
			    error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "--manifest holds the artifacts' launch digests: drop --firmware, --kernel, "
			    "--initrd, --cmdline, --vcpus and the CPU/VMSA options");
			return FALSE;
		}
	}
	if (self->explain) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "--explain searches around the artifacts given, not a --manifest");
		return FALSE;
	}
	return TRUE;
}

gboolean
sl_cli_verify_extras_load(SlCliVerifyExtras *self,
			  const SlCliOptions *cli,
			  SlManifest **manifest,
			  SlLaunchRequirements *req,
			  SlReport *report,
			  GError **error)
{
	g_autoptr(SlManifest) loaded = NULL;
	g_autofree gchar *issuer = NULL;

	*manifest = NULL;
	memset(req, 0, sizeof(*req));
	if (!sl_cli_requirement_options_get(&self->req, req, error))
		return FALSE;
	if ((self->manifest_signature != NULL) != (self->manifest_ca != NULL)) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "--manifest-signature and --manifest-ca go together");
		return FALSE;
	}
	if (self->manifest == NULL) {
		if (self->manifest_signature != NULL) {
			g_set_error_literal(error,
					    SL_ERROR,
					    SL_ERROR_INVALID_ARGUMENT,
					    "--manifest-signature needs --manifest");
			return FALSE;
		}
		return TRUE;
	}
	if (!sl_cli_verify_extras_refuse_artifacts(self, cli, error))
		return FALSE;
	loaded =
	    sl_manifest_load(self->manifest, self->manifest_signature, self->manifest_ca, &issuer, error);
	if (loaded == NULL)
		return FALSE;
	sl_report_begin_object(report, "manifest");
	sl_report_add_string(report, "path", self->manifest);
	sl_report_add_uint(report, "entries", loaded->entries->len);
	if (self->manifest_signature != NULL) {
		sl_report_begin_object(report, "signature");
		sl_report_add_bool(report, "verified", TRUE);
		sl_report_add_string(report, "issuer", issuer);
		sl_report_end_object(report);
	} else {
		sl_report_add_null(report, "signature");
	}
	sl_report_end_object(report);
	sl_launch_requirements_merge(req, &loaded->requirements);
	*manifest = g_steal_pointer(&loaded);
	return TRUE;
}

void
sl_cli_verify_warn_nvram(const SlLaunchArtifacts *artifacts, SlReport *report)
{
	const gchar *firmware = artifacts->firmware;
	g_autoptr(GArray) volumes = NULL;
	g_autofree gchar *warning = NULL;
	const SlFirmwareVolume *nvram;

	/* the bytes that were parsed and are hashed, not the file again */
	if (artifacts->firmware_image == NULL)
		return;
	volumes = sl_firmware_volumes_find_in_image(artifacts->firmware_image);
	nvram = sl_firmware_volumes_find_nvram(volumes);
	if (nvram == NULL)
		return;
	warning = g_strdup_printf("firmware %s embeds an NVRAM variable store (at 0x%" G_GINT64_MODIFIER
				  "x): its variables are not measured and the host can change them",
				  firmware,
				  nvram->offset);
	sl_report_begin_array(report, "warnings");
	sl_report_add_string(report, NULL, warning);
	sl_report_end_array(report);
}
