# sourced by the bench-*.sh scripts from the top of the tree: what they share.
# Knobs: SEVLAUNCH (default build/src/sevlaunch, built if missing), BENCH_DIR.

sevlaunch=$(realpath -m "${SEVLAUNCH:-build/src/sevlaunch}")
data=$(realpath tests/data/sevctl)
firmware="$data/OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9"
cmdline="console=ttyS0 root=/dev/vda1 ro"

# hyperfine, and sevlaunch itself
bench_need_tools() {
	if ! command -v hyperfine >/dev/null; then
		echo "hyperfine is missing: installing it from Debian" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get install -y -qq hyperfine >/dev/null 2>&1 || {
			apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
		}
	fi
	if [ ! -x "$sevlaunch" ]; then
		bash scripts/build.sh >/dev/null
	fi
}

# sets work: BENCH_DIR when given, else a fresh temp dir the caller removes
bench_work_dir() {
	if [ -n "${BENCH_DIR:-}" ]; then
		work=$(realpath -m "$BENCH_DIR")
		mkdir -p "$work"
	else
		work=$(mktemp -d)
	fi
}

# bench_make_inputs KERNEL_MIB INITRD_MIB: sets kernel and initrd, random files in
# $work, kept from an earlier run when already there
bench_make_inputs() {
	kernel="$work/kernel-${1}M"
	initrd="$work/initrd-${2}M"
	local f path mib
	for f in "$kernel:$1" "$initrd:$2"; do
		path=${f%:*}
		mib=${f##*:}
		if [ ! -s "$path" ]; then
			dd if=/dev/urandom of="$path" bs=1M count="$mib" status=none
		fi
	done
}
