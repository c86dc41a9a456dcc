#!/usr/bin/env bash
# Benchmark: does live 'sevlaunch verify --qmp' overlap hashing the artifacts
# (worker thread) with the QMP round trips? Timed in one run:
#   live: verify against the test peer (tests/qmp-peer.py --delay, each reply
#         delayed) with a large initrd;
#   (a)   'sevlaunch measure' of the same artifacts: the hashing alone;
#   (b)   the same verify against a peer with the same delays but tiny artifacts:
#         the QMP round trips alone;
#   (c)   'sevlaunch --version': process start-up, paid once by live but twice by a+b.
# overlap ratio = live / (a + b): 1.0 means no overlap, max(a,b)/(a+b) is perfect.
# The peers hash their artifacts before they listen, so that is not timed. Files
# are in the page cache while timed. Not part of the test suite: run it by hand.
#
# Knobs: SEVLAUNCH (default build/src/sevlaunch, built if missing), BENCH_RUNS (5),
# BENCH_INITRD_MIB (1024), BENCH_KERNEL_MIB (16), BENCH_DELAY (0.2 s per reply),
# BENCH_DIR (keep the artifacts there instead of a temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${BENCH_RUNS:-5}
initrd_mib=${BENCH_INITRD_MIB:-1024}
kernel_mib=${BENCH_KERNEL_MIB:-16}
delay=${BENCH_DELAY:-0.2}
source scripts/bench-common.sh
peer=$(realpath tests/qmp-peer.py)

bench_need_tools

peer_pids=()
cleanup() {
	for pid in "${peer_pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	if [ -z "${BENCH_DIR:-}" ]; then
		rm -rf "$work"
	else
		rm -f "$work"/*.sock "$work"/*.ready "$work/tik.bin"
	fi
}
bench_work_dir
trap cleanup EXIT

bench_make_inputs "$kernel_mib" "$initrd_mib"
(umask 077 && head -c 16 /dev/urandom >"$work/tik.bin")

# start_peer NAME ARTIFACT-ARGS...: a peer that serves every run, each reply delayed
start_peer() {
	local name=$1
	shift
	rm -f "$work/$name.sock" "$work/$name.ready"
	/usr/bin/python3 "$peer" --unix "$work/$name.sock" --ready-file "$work/$name.ready" \
		--serve 1000 --accept-timeout 900 --delay "$delay" --tik "$work/tik.bin" \
		--firmware "$firmware" "$@" >/dev/null &
	peer_pids+=($!)
}
start_peer big --kernel "$kernel" --initrd "$initrd" --cmdline "$cmdline"
start_peer small --kernel "$data/vmlinuz-fake" --initrd "$data/initrd-fake" --cmdline "$cmdline"
for name in big small; do
	for _ in $(seq 600); do
		[ -e "$work/$name.ready" ] && break
		sleep 0.1
	done
	[ -e "$work/$name.ready" ] || {
		echo "peer $name did not start" >&2
		exit 1
	}
done

common="--no-resume --tik $work/tik.bin --firmware $firmware --cmdline '$cmdline'"
live="$sevlaunch verify --qmp unix:$work/big.sock $common --kernel $kernel --initrd $initrd"
hash_only="$sevlaunch measure --firmware $firmware --cmdline '$cmdline' --kernel $kernel --initrd $initrd"
qmp_only="$sevlaunch verify --qmp unix:$work/small.sock $common --kernel $data/vmlinuz-fake --initrd $data/initrd-fake"
startup="$sevlaunch --version"

# each must work (a verify must say verified) before it is timed
for cmd in "$live" "$qmp_only"; do
	if ! out=$(eval "$cmd" 2>&1) || ! grep -q '^verdict: verified' <<<"$out"; then
		echo "not verified: $cmd" >&2
		echo "$out" >&2
		exit 1
	fi
done
eval "$hash_only" >/dev/null

/usr/bin/time -f %M -o "$work/rss" bash -c "$live" >/dev/null
live_rss=$(cat "$work/rss")

echo "sevlaunch: $sevlaunch; runs: $runs (+1 warm-up); $(nproc) CPUs; initrd ${initrd_mib} MiB," \
	"kernel ${kernel_mib} MiB; peer delay ${delay} s per reply"
hyperfine -N --style basic --warmup 1 --min-runs "$runs" --export-json "$work/overlap.json" \
	-n live "$live" -n "a: hashing alone" "$hash_only" -n "b: QMP alone" "$qmp_only" \
	-n "c: start-up" "$startup" >/dev/null
/usr/bin/python3 - "$work/overlap.json" "$live_rss" <<'EOF'
import json, sys
r = {x['command']: x for x in json.load(open(sys.argv[1]))['results']}
for name, x in r.items():
    print('%-18s %8.3f s  +- %.3f' % (name, x['mean'], x['stddev']))
live, a, b, c = (r[k]['mean'] for k in ('live', 'a: hashing alone', 'b: QMP alone', 'c: start-up'))
print('live max RSS: %.1f MiB' % (int(sys.argv[2]) / 1024))
print('overlap ratio live / (a + b)            = %.3f  (1.0: no overlap; perfect: %.3f)'
      % (live / (a + b), max(a, b) / (a + b)))
print('start-up corrected live / (a + b - c)    = %.3f  (perfect: %.3f)'
      % (live / (a + b - c), max(a, b) / (a + b - c)))
print('time saved by overlapping: %.3f s of the sequential %.3f s' % (a + b - c - live, a + b - c))
EOF
