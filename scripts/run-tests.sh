#!/usr/bin/env bash
# Installs, builds and runs the whole test suite: unit tests and integration tests
# against the simulated SEV guest and Debian's real qemu-system-x86_64.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
meson test -C build --print-errorlogs --num-processes 2
