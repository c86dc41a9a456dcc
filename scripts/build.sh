#!/usr/bin/env bash
# Configures (once) and builds sevlaunch in ./build the way CI does: warnings
# are errors and every test is required (a missing Python module stops the
# configure step instead of silently dropping the integration tests).
set -euo pipefail
cd "$(dirname "$0")/.."
options=(-Dwerror=true -Dtests=enabled)
if [ -d build ] && [ -f build/build.ninja ]; then
  meson setup --reconfigure build "${options[@]}" >/dev/null
else
  meson setup build "${options[@]}" >/dev/null
fi
ninja -C build
