/*
 * Copyright (C) 2026 The sevlaunch authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <string.h>

#include "qmp-test-util.h"
#include "sl-error.h"
#include "sl-qmp-target.h"
#include "sl-verify-flow.h"

/*
 * the verify flow's state machine against a fake QEMU: a thread that answers
 * each command from a table and records what it was sent
 */

/* VECTORS.md M3: the sevctl firmware under sevctl tik1.bin, api 1.40, build 40, policy 0x3 */
#define M3_BLOB "oMDewIouJSpbpNRHj7Mk3p08H2dPZQdsZMU14qIymBnDE/q1EcIWsVBbGy6pkDxA"
/* the same with the first byte of the measurement changed */
#define M3_BLOB_OTHER "oSDewIouJSpbpNRHj7Mk3p08H2dPZQdsZMU14qIymBnDE/q1EcIWsVBbGy6pkDxA"
#define S_GUID "736869e5-84f0-4973-92ec-06879ce3da0b"
#define FIRMWARE "OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9"

#define GREETING                                                                                             \
	"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 1, \"major\": 9}, "                    \
	"\"package\": \"\"}, \"capabilities\": [\"oob\"]}}\r\n"
#define QUERY_SEV                                                                                            \
	"{\"return\": {\"enabled\": true, \"api-major\": 1, \"api-minor\": 40, \"build-id\": 40, "           \
	"\"policy\": 3, \"state\": \"launch-secret\", \"handle\": 1, \"sev-type\": \"sev\"}}"
#define MEASURE "{\"return\": {\"data\": \"" M3_BLOB "\"}}"
#define MEASURE_OTHER "{\"return\": {\"data\": \"" M3_BLOB_OTHER "\"}}"
#define EMPTY "{\"return\": {}}"
#define STATUS_PRELAUNCH "{\"return\": {\"status\": \"prelaunch\", \"running\": false}}"
#define REFUSED "{\"error\": {\"class\": \"GenericError\", \"desc\": \"fake: refused\"}}"
/* not a reply: what the server does instead */
#define HANG_UP "hang up"
#define SILENT "silent"

typedef struct {
	const gchar *command;
	const gchar *reply; /* a reply without id, HANG_UP or SILENT */
} FakeAnswer;

typedef struct {
	const FakeAnswer *answers; /* unlisted commands get EMPTY, query-status prelaunch */
	GSocket *listener;
	GThread *thread;
	GPtrArray *commands; /* read by the test only after the join */
	GPtrArray *arguments;
} FakeQemu;

static const gchar *
fake_qemu_answer(FakeQemu *self, const gchar *command)
{
	for (const FakeAnswer *a = self->answers; a != NULL && a->command != NULL; a++) {
		if (g_strcmp0(a->command, command) == 0)
			return a->reply;
	}
	/* a QEMU started with -S, unless the table says otherwise */
	if (g_strcmp0(command, "query-status") == 0)
		return STATUS_PRELAUNCH;
	return EMPTY;
}

/* @answer with the command's id put in */
static gchar *
fake_qemu_reply(const gchar *answer, JsonObject *command)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *reply;
	g_autofree gchar *text = NULL;

	g_assert_true(json_parser_load_from_data(parser, answer, -1, NULL));
	reply = json_node_get_object(json_parser_get_root(parser));
	json_object_set_member(reply, "id", json_node_copy(json_object_get_member(command, "id")));
	text = json_to_string(json_parser_get_root(parser), FALSE);
	return g_strconcat(text, "\r\n", NULL);
}

/* FALSE: stop serving */
static gboolean
fake_qemu_handle(FakeQemu *self, GSocket *conn, const gchar *line)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autofree gchar *reply = NULL;
	JsonObject *command;
	JsonNode *args;
	const gchar *answer;

	g_assert_true(json_parser_load_from_data(parser, line, -1, NULL));
	command = json_node_get_object(json_parser_get_root(parser));
	g_ptr_array_add(self->commands, g_strdup(json_object_get_string_member(command, "execute")));
	args = json_object_get_member(command, "arguments");
	g_ptr_array_add(self->arguments, args != NULL ? json_to_string(args, FALSE) : g_strdup(""));
	answer = fake_qemu_answer(self, json_object_get_string_member(command, "execute"));
	if (g_strcmp0(answer, HANG_UP) == 0)
		return FALSE;
	if (g_strcmp0(answer, SILENT) == 0)
		return TRUE;
	reply = fake_qemu_reply(answer, command);
	return g_socket_send(conn, reply, strlen(reply), NULL, NULL) == (gssize)strlen(reply);
}

static gpointer
fake_qemu_thread(gpointer user_data)
{
	FakeQemu *self = user_data;
	g_autoptr(GSocket) conn = g_socket_accept(self->listener, NULL, NULL);
	g_autoptr(GString) buf = g_string_new(NULL);

	g_assert_nonnull(conn);
	g_assert_cmpint(g_socket_send(conn, GREETING, strlen(GREETING), NULL, NULL), ==, strlen(GREETING));
	while (TRUE) {
		gchar chunk[4096];
		const gchar *nl = memchr(buf->str, '\n', buf->len);
		g_autofree gchar *line = NULL;
		gssize n;

		if (nl != NULL) {
			line = g_strndup(buf->str, (gsize)(nl - buf->str));
			g_string_erase(buf, 0, (gssize)(nl - buf->str) + 1);
			if (!fake_qemu_handle(self, conn, line))
				break;
			continue;
		}
		/* until the client closes: every command it sent is recorded */
		n = g_socket_receive(conn, chunk, sizeof(chunk), NULL, NULL);
		if (n <= 0)
			break;
		g_string_append_len(buf, chunk, n);
	}
	g_socket_close(conn, NULL);
	return NULL;
}

static FakeQemu *
fake_qemu_new(const FakeAnswer *answers, const gchar *path)
{
	FakeQemu *self = g_new0(FakeQemu, 1);
	g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(path);

	self->answers = answers;
	self->commands = g_ptr_array_new_with_free_func(g_free);
	self->arguments = g_ptr_array_new_with_free_func(g_free);
	self->listener = g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, 0, NULL);
	g_assert_true(g_socket_bind(self->listener, addr, FALSE, NULL));
	g_assert_true(g_socket_listen(self->listener, NULL));
	self->thread = g_thread_new("fake-qemu", fake_qemu_thread, self);
	return self;
}

static void
fake_qemu_free(FakeQemu *self)
{
	if (self->thread != NULL)
		g_thread_join(self->thread);
	g_object_unref(self->listener);
	g_ptr_array_unref(self->commands);
	g_ptr_array_unref(self->arguments);
	g_free(self);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FakeQemu, fake_qemu_free)

/* the commands after qmp_capabilities, space-separated */
static gchar *
fake_qemu_join(FakeQemu *self)
{
	g_autoptr(GString) text = g_string_new(NULL);

	g_thread_join(g_steal_pointer(&self->thread));
	g_assert_cmpuint(self->commands->len, >=, 1);
	g_assert_cmpstr(g_ptr_array_index(self->commands, 0), ==, "qmp_capabilities");
	for (guint i = 1; i < self->commands->len; i++)
		g_string_append_printf(
		    text, "%s%s", i > 1 ? " " : "", (gchar *)g_ptr_array_index(self->commands, i));
	return g_string_free(g_steal_pointer(&text), FALSE);
}

/* one run of the flow: its inputs, the fake QEMU and what came out */
typedef struct {
	gchar *dir;
	gchar *socket_path;
	SlLaunchArtifacts *artifacts;
	SlLaunchKeys *keys;
	SlSecretTable *secrets;
	SlVerifyFlowOptions options;
	SlReport *report;
	GCancellable *cancellable;
	FakeQemu *qemu;
	gchar *sent;    /* the commands QEMU got after the handshake */
	gchar *printed; /* the report as text */
} Run;

static void
run_init(Run *run, gboolean with_secret)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tik = g_test_build_filename(G_TEST_DIST, "data", "sevctl", "tik1.bin", NULL);
	g_autofree gchar *tek =
	    g_test_build_filename(G_TEST_DIST, "data", "sevctl", "secret", "tek1.bin", NULL);
	g_autofree gchar *secret =
	    g_test_build_filename(G_TEST_DIST, "data", "sevctl", "secret", "secret1.txt", NULL);
	g_autofree gchar *spec = g_strdup_printf("%s:%s", S_GUID, secret);

	memset(run, 0, sizeof(*run));
	run->dir = g_dir_make_tmp("test-verify-flow-XXXXXX", NULL);
	run->socket_path = g_build_filename(run->dir, "qmp.sock", NULL);
	run->artifacts = sl_launch_artifacts_new();
	run->artifacts->firmware = g_test_build_filename(G_TEST_DIST, "data", "sevctl", FIRMWARE, NULL);
	g_assert_true(sl_launch_artifacts_check(run->artifacts, &error));
	g_assert_no_error(error);
	/* the test data is not private: its mode is no concern here */
	run->keys = sl_launch_keys_load(tik, tek, NULL, SL_SECURE_FILE_FLAG_ALLOW_OPEN_PERMISSIONS, &error);
	g_assert_no_error(error);
	if (with_secret) {
		run->secrets = sl_secret_table_new();
		g_assert_true(sl_secret_table_add_spec(
		    run->secrets, spec, SL_SECURE_FILE_FLAG_ALLOW_OPEN_PERMISSIONS, &error));
		g_assert_no_error(error);
	}
	run->options.timeout_ms = 20000;
	run->options.resume = TRUE;
	run->options.on_mismatch = SL_ON_MISMATCH_PAUSE;
	run->options.artifacts = run->artifacts;
	run->options.keys = run->keys;
	run->options.secrets = run->secrets;
	run->report = sl_report_new("verify");
	run->cancellable = g_cancellable_new();
}

static void
run_clear(Run *run)
{
	g_clear_pointer(&run->qemu, fake_qemu_free);
	g_clear_pointer(&run->artifacts, sl_launch_artifacts_free);
	g_clear_pointer(&run->keys, sl_launch_keys_free);
	g_clear_pointer(&run->secrets, sl_secret_table_free);
	g_clear_pointer(&run->report, sl_report_free);
	g_clear_object(&run->cancellable);
	g_unlink(run->socket_path);
	g_rmdir(run->dir);
	g_free(run->socket_path);
	g_free(run->dir);
	g_free(run->sent);
	g_free(run->printed);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Run, run_clear)

/* runs the flow against a fake QEMU answering @answers; FALSE + error when it fails */
static gboolean
run_flow(Run *run, const FakeAnswer *answers, GError **error)
{
	g_autoptr(SlQmpTarget) target = NULL;
	g_autoptr(GAsyncResult) res = NULL;
	g_autofree gchar *address = g_strdup_printf("unix:%s", run->socket_path);
	SlQmpTargetOptions qmp = {.address = address, .command_timeout_ms = 30000};
	gboolean ok;

	g_assert_true(sl_verify_options_check(&run->options, NULL));
	run->qemu = fake_qemu_new(answers, run->socket_path);
	target = sl_qmp_target_new(&qmp, NULL);
	g_assert_nonnull(target);
	sl_verify_flow_run_async(
	    SL_LAUNCH_TARGET(target), &run->options, run->report, run->cancellable, qmp_test_result_cb, &res);
	qmp_test_wait_for_result(&res);
	ok = sl_verify_flow_run_finish(res, error);
	/* the flow closed the target: the fake QEMU saw EOF */
	run->sent = fake_qemu_join(run->qemu);
	run->printed = sl_report_to_text(run->report);
	qmp_test_drain_main_context();
	return ok;
}

static void
test_match_inject_resume(void)
{
	const FakeAnswer answers[] = {
	    {"query-sev", QUERY_SEV}, {"query-sev-launch-measure", MEASURE}, {NULL}};
	g_autoptr(GError) error = NULL;
	g_auto(Run) run = {0};

	run_init(&run, TRUE);
	g_assert_true(run_flow(&run, answers, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(
	    run.sent, ==, "query-status query-sev query-sev-launch-measure sev-inject-launch-secret cont");
	/* the packet went out, and no gpa: QEMU finds the firmware's secret area itself */
	g_assert_nonnull(strstr(g_ptr_array_index(run.qemu->arguments, 4), "\"packet-header\""));
	g_assert_null(strstr(g_ptr_array_index(run.qemu->arguments, 4), "\"gpa\""));
	g_assert_nonnull(strstr(run.printed, "verdict: verified"));
	g_assert_nonnull(strstr(run.printed, "secrets injected: " S_GUID "\n"));
	g_assert_nonnull(strstr(run.printed, "resumed: yes"));
}

static void
test_match_no_secret(void)
{
	const FakeAnswer answers[] = {
	    {"query-sev", QUERY_SEV}, {"query-sev-launch-measure", MEASURE}, {NULL}};
	g_autoptr(GError) error = NULL;
	g_auto(Run) run = {0};

	run_init(&run, FALSE);
	g_assert_true(run_flow(&run, answers, &error));
	g_assert_cmpstr(run.sent, ==, "query-status query-sev query-sev-launch-measure cont");
}

static void
test_match_no_resume(void)
{
	const FakeAnswer answers[] = {
	    {"query-sev", QUERY_SEV}, {"query-sev-launch-measure", MEASURE}, {NULL}};
	g_autoptr(GError) error = NULL;
	g_auto(Run) run = {0};

	run_init(&run, TRUE);
	run.options.resume = FALSE;
	g_assert_true(run_flow(&run, answers, &error));
	g_assert_cmpstr(
	    run.sent, ==, "query-status query-sev query-sev-launch-measure sev-inject-launch-secret");
	g_assert_nonnull(strstr(run.printed, "resumed: no"));
}

/* a mismatch neither injects nor resumes */
static void
test_mismatch(void)
{
	const FakeAnswer answers[] = {
	    {"query-sev", QUERY_SEV}, {"query-sev-launch-measure", MEASURE_OTHER}, {NULL}};
	g_autoptr(GError) error = NULL;
	g_auto(Run) run = {0};

	run_init(&run, TRUE);
	g_assert_false(run_flow(&run, answers, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_MISMATCH);
	g_assert_cmpstr(run.sent, ==, "query-status query-sev query-sev-launch-measure");
}

static void
test_mismatch_quit(void)
{
	const FakeAnswer answers[] = {
	    {"query-sev", QUERY_SEV}, {"query-sev-launch-measure", MEASURE_OTHER}, {"quit", HANG_UP}, {NULL}};
	g_autoptr(GError) error = NULL;
	g_auto(Run) run = {0};

	run_init(&run, TRUE);
	run.options.on_mismatch = SL_ON_MISMATCH_QUIT;
	g_assert_false(run_flow(&run, answers, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_MISMATCH);
	g_assert_cmpstr(run.sent, ==, "query-status query-sev query-sev-launch-measure quit");
	/* QEMU closing the socket on quit is how quit succeeds */
	g_assert_nonnull(strstr(run.printed, "quit:\n  done: yes\n"));
}

/* an error reply at each step: the flow stops there, with that step's error */
static void
test_reply_error_each_step(void)
{
	struct {
		const gchar *command;
		gint code;
		const gchar *sent;
		const gchar *words;
	} steps[] = {
	    {"qmp_capabilities", SL_ERROR_PROTOCOL, "", "capabilities"},
	    {"query-status", SL_ERROR_PROTOCOL, "query-status", "query-status: fake: refused"},
	    {"query-sev", SL_ERROR_NOT_VERIFIABLE, "query-status query-sev", "SEV is not enabled"},
	    {"query-sev-launch-measure",
	     SL_ERROR_NOT_VERIFIABLE,
	     "query-status query-sev query-sev-launch-measure",
	     "query-sev-launch-measure: fake: refused"},
	    {"sev-inject-launch-secret",
	     SL_ERROR_INJECTION_REFUSED,
	     "query-status query-sev query-sev-launch-measure sev-inject-launch-secret",
	     "refused the launch secret"},
	    {"cont",
	     SL_ERROR_PROTOCOL,
	     "query-status query-sev query-sev-launch-measure sev-inject-launch-secret cont",
	     "measurement verified, but QEMU refused cont: fake: refused"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		const FakeAnswer answers[] = {{steps[i].command, REFUSED},
					      {"query-sev", QUERY_SEV},
					      {"query-sev-launch-measure", MEASURE},
					      {NULL}};
		g_autoptr(GError) error = NULL;
		g_auto(Run) run = {0};

		g_test_message("error reply to %s", steps[i].command);
		run_init(&run, TRUE);
		g_assert_false(run_flow(&run, answers, &error));
		g_assert_error(error, SL_ERROR, steps[i].code);
		g_assert_nonnull(strstr(error->message, steps[i].words));
		g_assert_cmpstr(run.sent, ==, steps[i].sent);
	}
}

/* a quit QEMU refuses still ends as the mismatch it is */
static void
test_mismatch_quit_refused(void)
{
	const FakeAnswer answers[] = {
	    {"query-sev", QUERY_SEV}, {"query-sev-launch-measure", MEASURE_OTHER}, {"quit", REFUSED}, {NULL}};
	g_autoptr(GError) error = NULL;
	g_auto(Run) run = {0};

	run_init(&run, FALSE);
	run.options.on_mismatch = SL_ON_MISMATCH_QUIT;
	g_assert_false(run_flow(&run, answers, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_MISMATCH);
	g_assert_nonnull(
	    strstr(run.printed, "quit:\n  done: no\n  reason: QEMU refused quit: fake: refused\n"));
}

/* a wrong state is refused before the measurement is asked for */
static void
test_wrong_state(void)
{
	const FakeAnswer answers[] = {
	    {"query-sev",
	     "{\"return\": {\"enabled\": true, \"api-major\": 1, \"api-minor\": 40, \"build-id\": 40, "
	     "\"policy\": 3, \"state\": \"running\", \"handle\": 1}}"},
	    {NULL}};
	g_autoptr(GError) error = NULL;
	g_auto(Run) run = {0};

	run_init(&run, FALSE);
	g_assert_false(run_flow(&run, answers, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
	g_assert_cmpstr(run.sent, ==, "query-status query-sev");
}

/* a guest whose vCPUs already ran is refused before anything SEV is asked */
static void
test_already_ran(void)
{
	const FakeAnswer answers[] = {
	    {"query-status", "{\"return\": {\"status\": \"running\", \"running\": true}}"},
	    {"query-sev", QUERY_SEV},
	    {"query-sev-launch-measure", MEASURE},
	    {NULL}};
	g_autoptr(GError) error = NULL;
	g_auto(Run) run = {0};

	run_init(&run, TRUE);
	g_assert_false(run_flow(&run, answers, &error));
	g_assert_error(error, SL_ERROR, SL_ERROR_NOT_VERIFIABLE);
	g_assert_nonnull(strstr(error->message, "virsh start --paused"));
	g_assert_cmpstr(run.sent, ==, "query-status");
}

/* the connection ending after the secret or the resume went out says what may have happened */
static void
test_hang_up_after_sent(void)
{
	struct {
		const gchar *command;
		const gchar *words;
	} steps[] = {
	    {"query-sev-launch-measure", "query-sev-launch-measure: "},
	    {"sev-inject-launch-secret", "the secret may have been injected; VM not resumed"},
	    {"cont", "the VM may be running"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		const FakeAnswer answers[] = {{steps[i].command, HANG_UP},
					      {"query-sev", QUERY_SEV},
					      {"query-sev-launch-measure", MEASURE},
					      {NULL}};
		g_autoptr(GError) error = NULL;
		g_auto(Run) run = {0};

		g_test_message("hang up on %s", steps[i].command);
		run_init(&run, TRUE);
		g_assert_false(run_flow(&run, answers, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_CONNECTION);
		g_assert_nonnull(strstr(error->message, steps[i].words));
		g_assert_true(g_str_has_suffix(run.sent, steps[i].command));
	}
}

/* cancelling (what a signal does) says what was sent, as a timeout does */
static void
test_cancel_each_step(void)
{
	struct {
		const gchar *command;
		const gchar *words;
	} steps[] = {
	    {"query-sev", "interrupted before a verdict: nothing injected, VM not resumed"},
	    {"sev-inject-launch-secret",
	     "interrupted before sev-inject-launch-secret was answered: the secret may have been "
	     "injected; VM not resumed"},
	    {"cont", "interrupted before cont was answered: the secret was injected; the VM may be running"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		const FakeAnswer answers[] = {{steps[i].command, SILENT},
					      {"query-sev", QUERY_SEV},
					      {"query-sev-launch-measure", MEASURE},
					      {NULL}};
		g_autoptr(GError) error = NULL;
		g_auto(Run) run = {0};

		g_test_message("cancel while %s is unanswered", steps[i].command);
		run_init(&run, TRUE);
		g_timeout_add(300, qmp_test_cancel_cb, run.cancellable);
		g_assert_false(run_flow(&run, answers, &error));
		g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
		g_assert_nonnull(strstr(error->message, steps[i].words));
		/* nothing more was sent after the cancel */
		g_assert_true(g_str_has_suffix(run.sent, steps[i].command));
	}
}

/* the deadline in each phase */
static void
test_timeout_each_step(void)
{
	struct {
		const gchar *command;
		const gchar *words;
	} steps[] = {
	    {"query-sev", "no verdict within 1 s (--timeout): nothing injected, VM not resumed"},
	    {"sev-inject-launch-secret",
	     "no answer to sev-inject-launch-secret within 1 s (--timeout): the secret may have been "
	     "injected; VM not resumed"},
	    {"cont",
	     "no answer to cont within 1 s (--timeout): the secret was injected; the VM may be running"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		const FakeAnswer answers[] = {{steps[i].command, SILENT},
					      {"query-sev", QUERY_SEV},
					      {"query-sev-launch-measure", MEASURE},
					      {NULL}};
		g_autoptr(GError) error = NULL;
		g_auto(Run) run = {0};

		run_init(&run, TRUE);
		run.options.timeout_ms = 1000;
		g_assert_false(run_flow(&run, answers, &error));
		g_assert_error(error, SL_ERROR, SL_ERROR_CONNECTION);
		g_assert_nonnull(strstr(error->message, steps[i].words));
		g_assert_true(g_str_has_suffix(run.sent, steps[i].command));
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/verify-flow/match/inject-resume", test_match_inject_resume);
	g_test_add_func("/verify-flow/match/no-secret", test_match_no_secret);
	g_test_add_func("/verify-flow/match/no-resume", test_match_no_resume);
	g_test_add_func("/verify-flow/mismatch/pause", test_mismatch);
	g_test_add_func("/verify-flow/mismatch/quit", test_mismatch_quit);
	g_test_add_func("/verify-flow/mismatch/quit-refused", test_mismatch_quit_refused);
	g_test_add_func("/verify-flow/wrong-state", test_wrong_state);
	g_test_add_func("/verify-flow/already-ran", test_already_ran);
	g_test_add_func("/verify-flow/reply-error-each-step", test_reply_error_each_step);
	g_test_add_func("/verify-flow/hang-up-after-sent", test_hang_up_after_sent);
	g_test_add_func("/verify-flow/cancel-each-step", test_cancel_each_step);
	g_test_add_func("/verify-flow/timeout-each-step", test_timeout_each_step);
	return g_test_run();
}
