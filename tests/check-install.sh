#!/usr/bin/env bash
# check-install.sh BUILDDIR SOURCEDIR: `meson install` into a scratch DESTDIR
# lays down the binary, the man page, the bash completion, README and every
# docs/*.md, and the JSON schemas; the installed binary runs.
set -euo pipefail
builddir=$1
sourcedir=$2
dest=$(mktemp -d "${TMPDIR:-/tmp}/sl-install-XXXXXX")
trap 'rm -rf "$dest"' EXIT
meson install -C "$builddir" --destdir "$dest" --no-rebuild --quiet >/dev/null
status=0

expect() { # a path below DESTDIR, as a find -path pattern
	if [ -z "$(find "$dest" -path "$dest$1" -type f -print -quit)" ]; then
		echo "check-install: nothing installed at $1" >&2
		status=1
	fi
}
expect '*/bin/sevlaunch'
expect '*/man/man1/sevlaunch.1'
expect '*/bash-completion/completions/sevlaunch'
expect '*/doc/sevlaunch/README.md'
for doc in "$sourcedir"/docs/*.md; do
	[ -e "$doc" ] && expect "*/doc/sevlaunch/$(basename "$doc")"
done
for schema in "$sourcedir"/docs/json/*.schema.json; do
	expect "*/sevlaunch/json/$(basename "$schema")"
done
binary=$(find "$dest" -path '*/bin/sevlaunch' -type f -print -quit)
if [ -n "$binary" ] && ! "$binary" --help >/dev/null; then
	echo "check-install: the installed $binary does not run" >&2
	status=1
fi
[ "$status" -eq 0 ] && echo "check-install: binary, man page, completion, docs and schemas installed"
exit "$status"
