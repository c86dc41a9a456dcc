#!/usr/bin/env bash
# Installs everything sevlaunch needs to build, run and test on Debian 12 (as root).
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
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
