#!/usr/bin/env bash
# Configures (once) and builds sevlaunch in ./build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d build ] && [ -f build/build.ninja ]; then
  meson setup --reconfigure build >/dev/null
else
  meson setup build >/dev/null
fi
ninja -C build
