/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-cli-output-file.h"
#include "sl-cli-packet.h"
#include "sl-error.h"

void
sl_cli_packet_options_clear(SlCliPacketOptions *self)
{
	g_clear_pointer(&self->header_out, g_free);
	g_clear_pointer(&self->payload_out, g_free);
}

void
sl_cli_add_packet_options(GOptionContext *context, SlCliOptions *cli, SlCliPacketOptions *self)
{
	const GOptionEntry entries[] = {
	    {"header-out",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &self->header_out,
	     "Offline, after a match: write the packet header (base64; - for stdout)",
	     "FILE"},
	    {"payload-out",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &self->payload_out,
	     "Offline, after a match: write the encrypted secret (base64; - for stdout)",
	     "FILE"},
	    {"secret-header",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &self->header_out,
	     "Same as --header-out (virt-qemu-sev-validate)",
	     "FILE"},
	    {"secret-payload",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &self->payload_out,
	     "Same as --payload-out (virt-qemu-sev-validate)",
	     "FILE"},
	    {NULL},
	};
	sl_cli_add_entries(context, cli, entries);
}

gboolean
sl_cli_packet_options_wanted(const SlCliPacketOptions *self)
{
	return self->header_out != NULL || self->payload_out != NULL;
}

gboolean
sl_cli_packet_options_to_stdout(const SlCliPacketOptions *self)
{
	return g_strcmp0(self->header_out, "-") == 0 || g_strcmp0(self->payload_out, "-") == 0;
}

gboolean
sl_cli_packet_options_check(const SlCliPacketOptions *self,
			    gboolean have_secrets,
			    gboolean json,
			    GError **error)
{
	if (self->force && !sl_cli_packet_options_wanted(self)) {
		g_set_error_literal(
		    error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "--force replaces packet files: pass --header-out FILE --payload-out FILE");
		return FALSE;
	}
	if ((self->header_out == NULL) != (self->payload_out == NULL)) {
		g_set_error_literal(
		    error, SL_ERROR, SL_ERROR_INVALID_ARGUMENT, "--header-out and --payload-out go together");
		return FALSE;
	}
	if (sl_cli_packet_options_wanted(self) && !have_secrets) {
		g_set_error_literal(
		    error,
		    SL_ERROR,
		    SL_ERROR_INVALID_ARGUMENT,
		    "--header-out and --payload-out write a packet: pass --secret GUID-OR-ALIAS:FILE");
		return FALSE;
	}
	if (have_secrets && !sl_cli_packet_options_wanted(self)) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "offline, --secret builds a packet after a match: pass --header-out FILE "
				    "--payload-out FILE (- for stdout), or --qmp ADDRESS to inject it");
		return FALSE;
	}
	if (json && sl_cli_packet_options_to_stdout(self)) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "--json prints on stdout: write the packet to files, not '-'");
		return FALSE;
	}
	return TRUE;
}

static SlOutputFileFlags
sl_cli_packet_get_flags(const SlCliPacketOptions *self)
{
	return SL_OUTPUT_FILE_FLAG_STDOUT | (self->force ? SL_OUTPUT_FILE_FLAG_FORCE : 0);
}

gboolean
sl_cli_packet_check_outputs(const SlCliPacketOptions *self, GError **error)
{
	SlOutputFileFlags flags = sl_cli_packet_get_flags(self);

	if (!sl_cli_packet_options_wanted(self))
		return TRUE;
	if (sl_output_file_paths_same_target(self->header_out, self->payload_out)) {
		g_set_error(error,
			    SL_ERROR,
			    SL_ERROR_INVALID_ARGUMENT,
			    "--header-out and --payload-out are both %s: one would overwrite the other",
			    self->payload_out);
		return FALSE;
	}
	return sl_cli_output_file_check(
		   "--header-out", self->header_out, "packet header file", flags, TRUE, error) &&
	       sl_cli_output_file_check(
		   "--payload-out", self->payload_out, "packet payload file", flags, TRUE, error);
}

gboolean
sl_cli_packet_options_check_request(const SlCliPacketOptions *self, const SlCliOptions *cli, GError **error)
{
	gboolean have_secrets = cli->secrets != NULL;

	if (!sl_cli_packet_options_check(self, have_secrets, cli->json, error))
		return FALSE;
	/* without secrets a --tek is simply not used, as the TEK half of --tk is not */
	if (have_secrets && cli->tek == NULL && cli->tk == NULL) {
		g_set_error_literal(error,
				    SL_ERROR,
				    SL_ERROR_INVALID_ARGUMENT,
				    "a packet is encrypted with the TEK: pass --tek FILE or --tk FILE");
		return FALSE;
	}
	return TRUE;
}

/* one form of the packet; files go before standard output, which cannot be taken back */
static gboolean
sl_cli_packet_add_output(GPtrArray *files,
			 const gchar *option,
			 const gchar *path,
			 const gchar *what,
			 const gchar *base64,
			 SlOutputFileFlags flags,
			 GError **error)
{
	/* the ciphertext and MAC are meant for the host, but still derive from the secrets */
	g_autoptr(SlOutputFile) file = sl_cli_output_file_new(option, path, what, 0600, flags, TRUE, error);

	if (file == NULL)
		return FALSE;
	if (!sl_output_file_write(file, (const guint8 *)base64, strlen(base64), error))
		return FALSE;
	if (g_strcmp0(path, "-") == 0)
		g_ptr_array_add(files, g_steal_pointer(&file));
	else
		g_ptr_array_insert(files, 0, g_steal_pointer(&file));
	return TRUE;
}

gboolean
sl_cli_packet_write(const SlCliPacketOptions *self,
		    const SlSecretPacket *packet,
		    const SlSecretTable *secrets,
		    SlReport *report,
		    GError **error)
{
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func((GDestroyNotify)sl_output_file_free);

	if (!sl_cli_packet_add_output(files,
				      "--header-out",
				      self->header_out,
				      "packet header file",
				      packet->header_base64,
				      sl_cli_packet_get_flags(self),
				      error) ||
	    !sl_cli_packet_add_output(files,
				      "--payload-out",
				      self->payload_out,
				      "packet payload file",
				      packet->payload_base64,
				      sl_cli_packet_get_flags(self),
				      error))
		return FALSE;
	if (!sl_output_files_commit(files, error))
		return FALSE;
	sl_report_begin_object(report, "packet");
	sl_secret_table_describe(secrets, "secrets", report);
	sl_report_add_uint(report, "payload_size", packet->payload_size);
	sl_report_add_string(report, "header_file", self->header_out);
	sl_report_add_string(report, "payload_file", self->payload_out);
	sl_report_end_object(report);
	return TRUE;
}

gboolean
sl_cli_packet_build_and_write(const SlCliPacketOptions *self,
			      const SlLaunchKeys *keys,
			      const guint8 measurement[SL_SHA256_SIZE],
			      const SlSecretTable *secrets,
			      SlReport *report,
			      GError **error)
{
	g_autoptr(SlSecretPacket) packet = sl_secret_packet_build(keys, measurement, NULL, secrets, error);

	if (packet == NULL)
		return FALSE;
	return sl_cli_packet_write(self, packet, secrets, report, error);
}
