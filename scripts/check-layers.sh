#!/usr/bin/env bash
# The layer rule of src/, checked by reading includes (meson enforces the same
# through include directories; this also covers external libraries):
#   qmp   : GLib/GIO, json-glib, GnuTLS; nothing of src/
#   util  : GLib, json-glib
#   crypto: util; the only folder of src/ that includes GnuTLS, nettle, GMP
#   model : util, crypto
#   owner : util, crypto, model
#   live  : util, crypto, model, owner, qmp; libvirt only in live/sl-libvirt-*
#   cli   : everything
# and that no string below src/live/ names a command-line option.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A allowed=(
  [util]="util"
  [crypto]="util crypto"
  [model]="util crypto model"
  [owner]="util crypto model owner"
  [live]="util crypto model owner live qmp"
  [cli]="util crypto model owner live qmp cli"
)
# which folder declares each of our headers
declare -A home=()
for dir in qmp src/*/; do
  dir=${dir%/}
  for h in "$dir"/*.h; do
    [ -e "$h" ] || continue
    home[$(basename "$h")]=$(basename "$dir")
  done
done

status=0
check_file() { # folder file
  local folder=$1 file=$2 line header owner
  while IFS= read -r line; do
    header=$(sed -E 's/^#include "([^"]+)".*/\1/' <<<"$line")
    owner=${home[$header]:-}
    [ -n "$owner" ] || continue # config.h, generated resources
    if [ "$folder" = qmp ]; then
      [ "$owner" = qmp ] && continue
    elif [[ " ${allowed[$folder]} " == *" $owner "* ]]; then
      continue
    fi
    echo "check-layers: $file includes $header from $owner/, which $folder/ may not use" >&2
    status=1
  done < <(grep -E '^#include "' "$file" || true)
  if [ "$folder" != crypto ] && [ "$folder" != qmp ] &&
    grep -nE '^#include <(gnutls|nettle|gmp)' "$file" >/dev/null; then
    echo "check-layers: $file includes GnuTLS, nettle or GMP outside src/crypto/" >&2
    status=1
  fi
  if grep -nE '^#include <libvirt/' "$file" >/dev/null &&
    ! [[ "$file" == src/live/sl-libvirt-*.[ch] ]]; then
    echo "check-layers: $file includes libvirt outside src/live/sl-libvirt-*" >&2
    status=1
  fi
  if [ "$folder" = qmp ] && grep -nE '^#include <(nettle|gmp)' "$file" >/dev/null; then
    echo "check-layers: $file includes nettle or GMP in qmp/" >&2
    status=1
  fi
}
for f in qmp/*.[ch]; do check_file qmp "$f"; done
for folder in util crypto model owner live cli; do
  for f in src/$folder/*.[ch]; do
    [ -e "$f" ] || continue
    check_file "$folder" "$f"
  done
done
# only the CLI speaks of flags: below live/, messages name the thing that is
# missing or wrong ("no TIK") and the CLI adds the option as a hint
for folder in util crypto model owner; do
  # string literals in code, not comments
  if grep -nE '"[^"]*--[a-z][a-z0-9-]*' src/$folder/*.[ch] | grep -vE '^[^:]+:[0-9]+:\s*(/?\*|//)' >&2; then
    echo "check-layers: src/$folder/ names a command-line option (above); only src/cli/ may" >&2
    status=1
  fi
done
if [ -n "$(find src -maxdepth 1 -name '*.[ch]' -print -quit)" ]; then
  echo "check-layers: source files directly in src/; each belongs in a layer folder" >&2
  status=1
fi
[ "$status" -eq 0 ] && echo "check-layers: every include follows the layer rule"
exit "$status"
