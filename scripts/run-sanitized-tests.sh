#!/usr/bin/env bash
# Builds the whole project with AddressSanitizer and UndefinedBehaviorSanitizer
# (no recovery: the first report ends the process) in ./build-sanitize and runs
# every unit, integration and fuzz-replay test there. A sanitizer report fails
# the test that triggered it: the binary exits 86 (ASan/LSan) or 87 (UBSan),
# which no test expects. Tests that assert an RSS bound skip under ASan.
# Run scripts/install-deps.sh first (scripts/run-tests.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
builddir=${1:-build-sanitize}
if [ ! -f "$builddir/build.ninja" ]; then
	meson setup "$builddir" --werror -Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args="-fno-sanitize-recover=all -fno-omit-frame-pointer" \
		-Dc_link_args="-fno-sanitize-recover=all" >/dev/null
fi
ninja -C "$builddir"
export ASAN_OPTIONS="exitcode=86:detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="exitcode=87:halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="exitcode=86"
if meson test -C "$builddir" --print-errorlogs --num-processes 2 --timeout-multiplier 3; then
	exit 0
fi
# LeakSanitizer itself can crash at exit while GLib's worker threads come and
# go ("LeakSanitizer has encountered a fatal error"): that is the tool failing,
# not a finding. Such tests run once more without the leak check (ASan and
# UBSan stay on); any other failure stands.
rerun=$(python3 - "$builddir/meson-logs/testlog.json" <<'PY'
import json, sys
tool, other = [], []
for line in open(sys.argv[1], encoding='utf-8'):
    t = json.loads(line)
    if t['result'] in ('OK', 'SKIP', 'EXPECTEDFAIL'):
        continue
    log = (t.get('stdout') or '') + (t.get('stderr') or '')
    name = t['name'].split(' / ')[-1]
    crashed = 'LeakSanitizer has encountered a fatal error' in log
    (tool if crashed and 'ERROR: AddressSanitizer' not in log and 'runtime error' not in log
     else other).append(name)
if other or not tool:
    sys.exit(1)
print(' '.join(tool))
PY
) || exit 1
echo "run-sanitized-tests: LeakSanitizer crashed (not a finding) in: $rerun;" \
	"running those once more with ASan and UBSan but without the leak check"
# LSan's tracer dies scanning the threads GIO's TLS backend keeps (test-qmp-tls)
# shellcheck disable=SC2086
ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" meson test -C "$builddir" --print-errorlogs --timeout-multiplier 3 $rerun
