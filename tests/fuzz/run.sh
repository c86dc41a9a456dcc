#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang, ASan and UBSan, and runs each for
# FUZZ_SECONDS (default 60). Seeds are copied to a scratch corpus, so the
# committed corpus/ only changes by hand. Crashes are left in the output dir.
#   tests/fuzz/run.sh [BUILDDIR (build-fuzz)] [HARNESS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
builddir=${1:-build-fuzz}
shift || true
harnesses=("$@")
[ "${#harnesses[@]}" -gt 0 ] || harnesses=(ovmf base64 sev-info qmp secret-spec sev-cert)
seconds=${FUZZ_SECONDS:-60}
out=${FUZZ_OUT:-$builddir/fuzz-out}

if ! command -v clang >/dev/null; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq clang >/dev/null
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
	corpus="$out/corpus-$name"
	mkdir -p "$corpus" "$out/crashes-$name"
	cp -n tests/fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null || true
	log="$out/$name.log"
	rc=0
	"$builddir/tests/fuzz/fuzz-$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$out/crashes-$name/" "$corpus" >"$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	crashes=$(ls "$out/crashes-$name" | wc -l)
	echo "$name: exit $rc, ${execs:-?} execs (${speed:-?}/s), $cov, corpus $(ls "$corpus" | wc -l) files, crashes $crashes"
	if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
		status=1
		grep -m 5 -E 'ERROR|runtime error|SUMMARY|fuzz:|assertion' "$log" | sed 's/^/    /' || true
	fi
done
exit "$status"
