#!/usr/bin/env bash
# Benchmark: 'sevlaunch measure' on a large artifact set, side by side with
# baselines timed in the same run, reported as ratios:
#   - sha256sum (coreutils) and openssl dgst over the same files: the cost of
#     hashing the bytes at all;
#   - a straightforward Python launch digest written below (hashlib, files read
#     whole, as libvirt's virt-qemu-sev-validate does).
# Scenarios: SEV with firmware + kernel + initrd; the same as SEV-ES with
# BENCH_VCPUS vCPUs; SEV-ES with the firmware alone (VMSA cost, start-up).
# Files are made once per run in a temp dir and are in the page cache while
# timed (warm cache). Not part of the test suite: run it by hand.
#
# Knobs: SEVLAUNCH (default build/src/sevlaunch, built if missing),
# BENCH_RUNS (at least 5 timed runs, more while under 3 s), BENCH_KERNEL_MIB (256), BENCH_INITRD_MIB (1024), BENCH_VCPUS (64),
# BENCH_DIR (keep the artifacts there instead of a temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${BENCH_RUNS:-5}
kernel_mib=${BENCH_KERNEL_MIB:-256}
initrd_mib=${BENCH_INITRD_MIB:-1024}
vcpus=${BENCH_VCPUS:-64}
source scripts/bench-common.sh
vmsa0="$data/vmsa0.bin"
vmsa1="$data/vmsa1.bin"

bench_need_tools
bench_work_dir
if [ -z "${BENCH_DIR:-}" ]; then
	trap 'rm -rf "$work"' EXIT
fi
bench_make_inputs "$kernel_mib" "$initrd_mib"

# the baseline: the launch digest as a plain script computes it
cat >"$work/launch_digest.py" <<'EOF'
import hashlib, struct, sys, uuid

def read(path):
    with open(path, 'rb') as f:
        return f.read()

def guid(text):
    return uuid.UUID(text).bytes_le

def hashes_table(kernel, initrd, cmdline):
    rows = [('97d02dd8-bd20-4c94-aa78-e7714d36ab2a', (cmdline or '').encode() + b'\0'),
            ('44baf731-3a2f-4bd7-9af1-41e29169781d', read(initrd) if initrd else b''),
            ('4de79437-abd2-427f-b835-d5b172d2045b', read(kernel))]
    body = b''.join(guid(g) + struct.pack('<H', 50) + hashlib.sha256(d).digest() for g, d in rows)
    table = guid('9438d606-4f22-4cc9-b479-a793d411fd21') + struct.pack('<H', 18 + len(body)) + body
    return table + b'\0' * (-len(table) % 16)

# usage: FIRMWARE KERNEL|- INITRD|- CMDLINE|- [VCPUS VMSA0 VMSA1]
fw, kernel, initrd, cmdline = (None if a == '-' else a for a in sys.argv[1:5])
ld = hashlib.sha256(read(fw))
if kernel:
    ld.update(hashes_table(kernel, initrd, cmdline))
if len(sys.argv) > 5:
    vmsas = [read(sys.argv[6])] + [read(sys.argv[7])] * (int(sys.argv[5]) - 1)
    for v in vmsas:
        ld.update(v)
print(ld.hexdigest())
EOF
py_ld() { /usr/bin/python3 "$work/launch_digest.py" "$@"; }

# the baseline must reproduce the published vectors before it is trusted (VECTORS.md M4, M5)
[ "$(py_ld "$firmware" "$data/vmlinuz-fake" "$data/initrd-fake" 'foo bar baz fake kernel=cmdline')" = \
	4b47fec6f851487c33714c8a00a832a1b705ad0a7cac4a647388eccfa9f0c570 ] || {
	echo "python baseline disagrees with vector M4" >&2
	exit 1
}
[ "$(py_ld "$firmware" - - - 4 "$vmsa0" "$vmsa1")" = \
	847b5ab6db136ea67dc5a95478ebe7e5ebbe93e9e74bdb1284165f9007a4e367 ] || {
	echo "python baseline disagrees with vector M5" >&2
	exit 1
}

sl_ld() { "$sevlaunch" measure --json "$@" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["launch_digest"])'; }

# max RSS in KiB of one run of a shell command line
max_rss() { /usr/bin/time -f %M -o "$work/rss" bash -c "$1" >/dev/null && cat "$work/rss"; }

# scenario NAME SEVLAUNCH-ARGS PYTHON-ARGS FILES...: checks the digests agree, then times all
scenario() {
	local name=$1 sl_args=$2 py_args=$3
	shift 3
	local files="$*"
	local want got
	want=$(eval py_ld "$py_args")
	got=$(eval sl_ld "$sl_args")
	if [ "$want" != "$got" ]; then
		echo "$name: sevlaunch digest $got, python baseline $want" >&2
		exit 1
	fi
	local -a names=(sevlaunch python-hashlib sha256sum openssl-dgst)
	local -a cmds=(
		"$sevlaunch measure $sl_args"
		"/usr/bin/python3 $work/launch_digest.py $py_args"
		"sha256sum $files"
		"openssl dgst -sha256 $files"
	)
	local -a hf=()
	: >"$work/$name.rss"
	for i in "${!names[@]}"; do
		hf+=(-n "${names[$i]}" "${cmds[$i]}")
		echo "${names[$i]} $(max_rss "${cmds[$i]}")" >>"$work/$name.rss"
	done
	echo
	echo "== $name (launch digest $got, verified equal to the python baseline)"
	hyperfine -N --style basic --warmup 1 --min-runs "$runs" --export-json "$work/$name.json" "${hf[@]}" >/dev/null
	/usr/bin/python3 - "$work/$name.json" "$work/$name.rss" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))['results']
rss = dict(line.split() for line in open(sys.argv[2]))
base = results[0]
print('%-15s %10s %9s %11s  %s' % ('command', 'mean s', 'stddev', 'max RSS', 'time ratio'))
for r in results:
    name = r['command']
    ratio = '' if r is base else 'sevlaunch / %s = %.2f' % (name, base['mean'] / r['mean'])
    print('%-15s %10.3f %9.3f %7.1f MiB  %s' % (name, r['mean'], r['stddev'], int(rss[name]) / 1024, ratio))
print('ratio sevlaunch/sha256sum: %.2f, sevlaunch/python: %.2f, RSS sevlaunch/python: %.3f'
      % (base['mean'] / results[2]['mean'], base['mean'] / results[1]['mean'],
         int(rss['sevlaunch']) / int(rss['python-hashlib'])))
EOF
}

echo "sevlaunch: $sevlaunch; runs: $runs (+1 warm-up); $(nproc) CPUs; kernel ${kernel_mib} MiB, initrd ${initrd_mib} MiB"
scenario "SEV, firmware + kernel + initrd" \
	"--firmware $firmware --kernel $kernel --initrd $initrd --cmdline '$cmdline'" \
	"$firmware $kernel $initrd '$cmdline'" \
	"$firmware" "$kernel" "$initrd"
scenario "SEV-ES, $vcpus vCPUs, firmware + kernel + initrd" \
	"--firmware $firmware --kernel $kernel --initrd $initrd --cmdline '$cmdline' --sev-es --vcpus $vcpus --vmsa-cpu0 $vmsa0 --vmsa-cpu1 $vmsa1" \
	"$firmware $kernel $initrd '$cmdline' $vcpus $vmsa0 $vmsa1" \
	"$firmware" "$kernel" "$initrd" "$vmsa0" "$vmsa1"
scenario "SEV-ES, $vcpus vCPUs, firmware alone" \
	"--firmware $firmware --sev-es --vcpus $vcpus --vmsa-cpu0 $vmsa0 --vmsa-cpu1 $vmsa1" \
	"$firmware - - - $vcpus $vmsa0 $vmsa1" \
	"$firmware" "$vmsa0" "$vmsa1"
