#!/usr/bin/env bash
# Fails on any C file of the tree that differs from what clang-format makes of
# it with the tree's .clang-format; names each one and the command that fixes it.
# A data table clang-format packs badly sits between /* clang-format off */
# and /* clang-format on */.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null; then
  echo "check-format: clang-format is not installed (Debian: clang-format)" >&2
  exit 1
fi
status=0
count=0
while IFS= read -r -d '' file; do
  count=$((count + 1))
  if ! clang-format --style=file "$file" | cmp -s - "$file"; then
    echo "check-format: $file differs from clang-format (clang-format -i $file)" >&2
    status=1
  fi
done < <(find qmp src tests -name '*.[ch]' -print0 | sort -z)
[ "$status" -eq 0 ] && echo "check-format: all $count C files match clang-format"
exit "$status"
