#!/usr/bin/env bash
# Installs what is missing, checks the include rule and the formatting, builds
# (warnings are errors) and runs the whole test suite: unit tests and
# integration tests against the simulated SEV guest and Debian's real
# qemu-system-x86_64. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/check-layers.sh
bash scripts/check-format.sh
bash scripts/build.sh
meson test -C build --print-errorlogs --num-processes 2
