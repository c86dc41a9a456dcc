#!/bin/sh
# The sevlaunch under test, run under $SEVLAUNCH_WRAPPER when a meson test
# setup gives one (valgrind); exec keeps the PID, so signals and GNU time
# reach the real process. The wrapper is split into words on purpose.
# shellcheck disable=SC2086
exec ${SEVLAUNCH_WRAPPER:-} "$SEVLAUNCH_BINARY" "$@"
