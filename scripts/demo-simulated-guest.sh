#!/usr/bin/env bash
# The main job end to end, against the bundled simulated SEV guest (tests/qmp-peer.py,
# which computes its measurement with its own code) and Debian's OVMF:
#   1. a guest launched with the expected firmware: verified, secret injected, resumed;
#   2. a guest whose firmware was tampered with: mismatch, nothing injected, QEMU told to quit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh >/dev/null

sevlaunch=build/src/sevlaunch
firmware=/usr/share/ovmf/OVMF.fd
work=$(mktemp -d)
peer_pid=
# the keys and the passphrase live in $work: it goes whatever happened
cleanup() {
  if [ -n "$peer_pid" ]; then kill "$peer_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# the owner's keys and secret: fresh each run, readable by the owner only
umask 077
head -c 16 /dev/urandom >"$work/tik.bin"
head -c 16 /dev/urandom >"$work/tek.bin"
printf 'correct horse battery staple' >"$work/disk-passphrase"

start_guest() {
  rm -f "$work/qmp.sock" "$work/ready" "$work/guest.log"
  /usr/bin/python3 tests/qmp-peer.py --unix "$work/qmp.sock" --ready-file "$work/ready" \
    --log "$work/guest.log" --firmware "$firmware" --tik "$work/tik.bin" --tek "$work/tek.bin" \
    --policy 0x1 "$@" >/dev/null &
  peer_pid=$!
  for _ in $(seq 50); do [ -e "$work/ready" ] && return 0; sleep 0.1; done
  echo "simulated guest did not start" >&2; exit 1
}

echo "== 1. expected firmware: verify, inject the disk passphrase, resume"
start_guest
# Debian's plain OVMF declares no secret area (base 0), so the guest address is explicit
"$sevlaunch" verify --qmp "unix:$work/qmp.sock" --firmware "$firmware" \
  --tik "$work/tik.bin" --tek "$work/tek.bin" \
  --secret "luks-key:$work/disk-passphrase" --secret-gpa 0x820000
wait "$peer_pid" || true
echo "-- what the simulated guest received (opened with its own copy of TIK/TEK):"
grep -E '"injected"|"cont"' "$work/guest.log"

echo
echo "== 2. tampered firmware: mismatch, nothing injected, QEMU told to quit"
start_guest --tamper-firmware
rc=0
"$sevlaunch" verify --qmp "unix:$work/qmp.sock" --firmware "$firmware" \
  --tik "$work/tik.bin" --tek "$work/tek.bin" \
  --secret "luks-key:$work/disk-passphrase" --secret-gpa 0x820000 --on-mismatch quit || rc=$?
wait "$peer_pid" || true
echo "-- exit code $rc (1 = mismatch); commands the guest saw:"
grep -o '"execute": "[a-z_-]*"' "$work/guest.log" | tr '\n' ' '
echo
if [ "$rc" -ne 1 ] || grep -q -e sev-inject-launch-secret -e '"cont"' "$work/guest.log"; then
  echo "demo FAILED: a tampered guest must get neither a secret nor cont" >&2
  exit 1
fi
echo "demo complete"
