#!/usr/bin/env bash
# Builds every libFuzzer harness in tests/fuzz/ with clang, ASan and UBSan and
# runs each for SECONDS (default 60). New inputs that add coverage are merged
# into the committed corpus, tests/fuzz/corpus/NAME/ (which the normal test
# suite replays); a crash, leak or timeout leaves its input in
# build-fuzz/fuzz-out/crashes-NAME/ and makes the script fail.
#   scripts/fuzz.sh [SECONDS] [HARNESS...]       (FUZZ_BUILDDIR, default build-fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
builddir=${FUZZ_BUILDDIR:-build-fuzz}
out=$builddir/fuzz-out
harnesses=("$@")
if [ "${#harnesses[@]}" -eq 0 ]; then
	# every harness there is, so a new one cannot be forgotten
	for f in tests/fuzz/fuzz-*.c; do
		name=$(basename "$f" .c)
		name=${name#fuzz-}
		case "$name" in common | replay) continue ;; esac
		harnesses+=("$name")
	done
fi

if ! command -v clang >/dev/null; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "fuzz.sh: needs clang (apt-get install clang, as root)" >&2
		exit 2
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null
fi
if [ ! -f "$builddir/build.ninja" ]; then
	# -Dfuzzing adds -fsanitize=fuzzer-no-link to every library (meson.build)
	CC=clang meson setup "$builddir" -Dfuzzing=true \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args="-fno-sanitize-recover=undefined -fno-omit-frame-pointer -g" \
		-Dc_link_args="-fno-sanitize-recover=undefined" >/dev/null
fi
ninja -C "$builddir" $(printf 'tests/fuzz/fuzz-%s ' "${harnesses[@]}") >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for name in "${harnesses[@]}"; do
	corpus=tests/fuzz/corpus/$name
	scratch=$out/corpus-$name
	crashes=$out/crashes-$name
	mkdir -p "$corpus" "$scratch" "$crashes"
	cp -n "$corpus"/* "$scratch"/ 2>/dev/null || true
	log=$out/$name.log
	rc=0
	"$builddir/tests/fuzz/fuzz-$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$crashes/" "$scratch" >"$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
	ncrash=$(find "$crashes" -type f | wc -l)
	before=$(find "$corpus" -type f | wc -l)
	if [ "$rc" -eq 0 ] && [ "$ncrash" -eq 0 ]; then
		# keep only inputs that add coverage to what is committed
		"$builddir/tests/fuzz/fuzz-$name" -merge=1 "$corpus" "$scratch" >"$log.merge" 2>&1 || rc=$?
	fi
	after=$(find "$corpus" -type f | wc -l)
	echo "$name: exit $rc, ${execs:-?} execs (${speed:-?}/s), ${cov:-cov: ?}, corpus $before -> $after, crashes $ncrash"
	if [ "$rc" -ne 0 ] || [ "$ncrash" -ne 0 ]; then
		status=1
		grep -m 5 -E 'ERROR|runtime error|SUMMARY|fuzz:|assertion' "$log" | sed 's/^/    /' || true
		echo "    inputs: $crashes/"
	fi
done
exit "$status"
