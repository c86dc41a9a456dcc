#!/usr/bin/env bash
# Benchmark: reference values (manifest build, verify --manifest, verify --explain),
# each side by side with a baseline timed in the same run, reported as ratios:
#   - manifest build of 2048 entries (4 MiB firmware x 64 vCPU counts x 8 CPU
#     models x 2 VMSA variants x 2 sev_features) against 'sevlaunch measure' of
#     ONE of those launches, and against sha256sum of the firmware;
#   - verify --manifest (no artifacts, 2048 entries) against artifact-based
#     verify of the same launch; the verdict's own CPU cost (from -v: the
#     matching of every entry, after the measurement is known) is the goal
#     "< 5 ms";
#   - verify --explain (a wrong vCPU count, then a wrong CPU model) against
#     the same verify without --explain; goal "< 1 s".
# The 4 MiB firmware is random bytes ending in the sevctl AmdSev image (footer
# table, SEV-ES reset block), made once per run. Not part of the test suite.
#
# Knobs: SEVLAUNCH (default build/src/sevlaunch, built if missing), BENCH_RUNS
# (at least this many timed runs, default 10), BENCH_DIR (keep the files there).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${BENCH_RUNS:-10}
source scripts/bench-common.sh

bench_need_tools
bench_work_dir
if [ -z "${BENCH_DIR:-}" ]; then
	trap 'rm -rf "$work"' EXIT
fi

fw="$work/firmware-4M.fd"
if [ ! -s "$fw" ]; then
	head -c $((4 * 1024 * 1024 - $(stat -c %s "$firmware"))) /dev/urandom >"$fw"
	cat "$firmware" >>"$fw"
fi
tik="$work/tik.bin"
install -m 600 "$data/tik1.bin" "$tik"
cpus=EPYC,EPYC-v4,EPYC-Rome,EPYC-Rome-v4,EPYC-Milan,EPYC-Milan-v2,EPYC-Genoa,EPYC-Turin
manifest="$work/manifest.json"
build_args="manifest build --firmware $fw --sev-es --vcpus 1-64 --cpu $cpus --vmsa-variant legacy,init2 --sev-features 0,0x20 --out $manifest --force"
# the launch verified below: the last combination
launch_args="--firmware $fw --sev-es --vcpus 64 --cpu EPYC-Turin --vmsa-variant init2 --sev-features 0x20"
params="--api-major 1 --api-minor 49 --build-id 6 --policy 0x5"

"$sevlaunch" $build_args >/dev/null
entries=$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["entries"]))' "$manifest")
[ "$entries" = 2048 ] || {
	echo "manifest has $entries entries, not 2048" >&2
	exit 1
}
digest=$("$sevlaunch" measure --json $launch_args | /usr/bin/python3 -c '
import json, sys
doc = json.load(sys.stdin)
print(doc.get("launch_digest") or doc["launch digest"])')
# the measurement the PSP would report for that launch, made here with hmac
blob=$(/usr/bin/python3 - "$tik" "$digest" <<'PY'
import base64, hashlib, hmac, struct, sys
tik = open(sys.argv[1], 'rb').read()
nonce = bytes(range(16))
msg = bytes([4, 1, 49, 6]) + struct.pack('<I', 5) + bytes.fromhex(sys.argv[2]) + nonce
print(base64.b64encode(hmac.new(tik, msg, hashlib.sha256).digest() + nonce).decode())
PY
)
verify_manifest="$sevlaunch verify --manifest $manifest --tik $tik --measurement $blob $params"
verify_artifacts="$sevlaunch verify $launch_args --tik $tik --measurement $blob $params"
# both must say verified, and agree on the entry, before anything is timed
$verify_manifest --json | /usr/bin/python3 -c '
import json, sys
e = json.load(sys.stdin)["matched_entry"]
sys.exit(0 if (e["vcpus"], e["cpu"]["name"], e["vmsa_variant"], e["sev_features"]) == (64, "EPYC-Turin", "init2", 32) else 1)' || {
	echo "verify --manifest did not match the expected entry" >&2
	exit 1
}
$verify_artifacts | grep -q 'verdict: verified' || {
	echo "artifact-based verify did not verify" >&2
	exit 1
}

# hyperfine_table NAME CMD...: times them (-i: a mismatch exits 1), prints mean, CPU and ratios
hyperfine_table() {
	local name=$1
	shift
	local -a hf=()
	local i=0
	for cmd in "$@"; do
		hf+=(-n "c$i" "$cmd")
		i=$((i + 1))
	done
	echo
	echo "== $name"
	# -i: a mismatch exits 1 on purpose; hyperfine's warnings about it are dropped
	hyperfine -N -i --style basic --warmup 2 --min-runs "$runs" --export-json "$work/bench.json" "${hf[@]}" \
		>/dev/null 2>"$work/hyperfine.err" || {
		cat "$work/hyperfine.err" >&2
		exit 1
	}
	/usr/bin/python3 - "$work/bench.json" "$@" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))['results']
labels = sys.argv[2:]
base = results[0]
print('%-11s %10s %12s  %s' % ('mean ms', 'stddev ms', 'CPU ms', 'command'))
for r, label in zip(results, labels):
    cpu = (r['user'] + r['system']) * 1000
    print('%-11.2f %10.2f %12.2f  %s' % (r['mean'] * 1000, r['stddev'] * 1000, cpu, label[:150]))
for r, label in zip(results[1:], labels[1:]):
    print('ratio first/this: wall %.3f, CPU %.3f  (%s)' % (base['mean'] / r['mean'],
          (base['user'] + base['system']) / (r['user'] + r['system']), label.split()[1:3]))
PY
}

echo "sevlaunch: $sevlaunch; $(nproc) CPUs; runs >= $runs; firmware $(stat -c %s "$fw") bytes; manifest $entries entries"
hyperfine_table "manifest build (2048 entries) vs measure (one launch, 64 vCPUs) vs sha256sum" \
	"$sevlaunch $build_args" \
	"$sevlaunch measure $launch_args" \
	"sha256sum $fw"
hyperfine_table "verify --manifest (2048 entries, no artifacts) vs verify with artifacts, same launch" \
	"$verify_manifest" \
	"$verify_artifacts"

# the verdict alone: matching every entry once the measurement is known (from -v)
echo
echo "== verdict CPU after the measurement is known (verify --manifest -v, 20 runs)"
for _ in $(seq 20); do
	$verify_manifest -v 2>&1 | sed -n 's/.*entries compared in \([0-9.]*\) ms of CPU.*/\1/p'
done | sort -n | /usr/bin/python3 -c '
import statistics, sys
v = [float(x) for x in sys.stdin]
print("median %.3f ms, min %.3f ms, max %.3f ms over %d runs (goal: < 5 ms)" % (statistics.median(v), min(v), max(v), len(v)))'

# one change, two changes, and three (nothing within reach: the whole neighbourhood is searched)
wrong1="--firmware $fw --sev-es --vcpus 63 --cpu EPYC-Turin --vmsa-variant init2 --sev-features 0x20"
wrong2="--firmware $fw --sev-es --vcpus 63 --cpu EPYC-Milan --vmsa-variant init2 --sev-features 0x20"
wrong3="--firmware $fw --sev-es --vcpus 63 --cpu EPYC-Milan --vmsa-variant legacy --sev-features 0x20"
for w in "$wrong1" "$wrong2" "$wrong3"; do
	"$sevlaunch" verify $w --tik "$tik" --measurement "$blob" $params --explain --json 2>/dev/null |
		/usr/bin/python3 -c 'import json, sys; e = json.load(sys.stdin)["explain"]; print("explain:", e["changes"] or e["note"], "(%d candidates)" % e["candidates"])' || true
done
hyperfine_table "verify --explain (1, 2, 3 changes away) vs the same verify without --explain (goal: < 1 s)" \
	"$sevlaunch verify $wrong1 --tik $tik --measurement $blob $params" \
	"$sevlaunch verify $wrong1 --tik $tik --measurement $blob $params --explain" \
	"$sevlaunch verify $wrong2 --tik $tik --measurement $blob $params --explain" \
	"$sevlaunch verify $wrong3 --tik $tik --measurement $blob $params --explain"
