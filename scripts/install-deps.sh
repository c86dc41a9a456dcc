#!/usr/bin/env bash
# Installs what sevlaunch needs to build, run and test on Debian 12 and is not
# installed yet. Nothing missing: does nothing, as any user. Something missing
# and not root: names the packages and the command that installs them, and
# fails (use sudo where it works without a password).
set -euo pipefail
packages=(
  # build
  meson ninja-build pkg-config gcc
  libglib2.0-dev libjson-glib-dev libgnutls28-dev nettle-dev
  # the libvirt transport (--connect, sevlaunch start); tests: a real libvirtd
  libvirt-dev libvirt-daemon-system libvirt-clients
  # QMP over TLS: GIO's GnuTLS backend
  glib-networking
  # tests: the QMP test peer, real QEMU, Debian's OVMF
  python3 python3-cryptography qemu-system-x86 ovmf
  # tests: every --json output is validated against docs/json/*.schema.json
  python3-jsonschema
  # tests: memory checks and the benchmark; /usr/bin/time for peak RSS
  valgrind time
  # tests: certificates and PKCS#7 signatures for signed manifests
  gnutls-bin
  # CI: scripts/check-format.sh
  clang-format
)
if ! command -v dpkg-query >/dev/null; then
  echo "install-deps: not a Debian system (no dpkg-query); install the equivalents of: ${packages[*]}" >&2
  exit 0
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "install-deps: missing packages, which need root to install: ${missing[*]}" >&2
    echo "install-deps: as root run: apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi
echo "install-deps: installing ${missing[*]}" >&2
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
