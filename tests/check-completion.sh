#!/usr/bin/env bash
# check-completion.sh SEVLAUNCH COMPLETION: the bash completion offers exactly
# the commands `sevlaunch --help` lists and, for each, exactly the long options
# `sevlaunch COMMAND --help` shows; so a new command or option cannot be left
# out of it, nor a removed one linger. Runs the completion function itself.
set -euo pipefail
sevlaunch=$1
# shellcheck source=/dev/null
source "$2"
status=0

# what the completion offers for the words after "sevlaunch", the last one being completed
offered() {
	COMP_WORDS=(sevlaunch "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_sevlaunch
	if ((${#COMPREPLY[@]} > 0)); then printf '%s\n' "${COMPREPLY[@]}" | sort -u; fi
}

same() { # what, wanted, got
	local got=$3 word
	# a build without libvirt lacks what the completion offers for one with it
	for word in $_sevlaunch_libvirt_only; do
		if ! grep -qxF -- "$word" <<<"$2"; then
			got=$(grep -vxF -- "$word" <<<"$got" || true)
		fi
	done
	if [ "$2" != "$got" ]; then
		echo "check-completion: $1 differ (< --help, > completion):" >&2
		diff <(echo "$2") <(echo "$got") >&2 || true
		status=1
	fi
}

commands=$("$sevlaunch" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }' | sort -u)
if [ -z "$commands" ]; then
	echo "check-completion: no commands in 'sevlaunch --help'" >&2
	exit 1
fi
same "commands" "$commands" "$(offered '' | grep -v '^-')"

for command in $commands; do
	wanted=$("$sevlaunch" "$command" --help | grep -oE '^ +(-[A-Za-z], )?--[a-z0-9-]+' |
		grep -oE -- '--[a-z0-9-]+' | sort -u)
	if [ -z "$wanted" ]; then
		echo "check-completion: no options in 'sevlaunch $command --help'" >&2
		status=1
	fi
	same "options of $command" "$wanted" "$(offered "$command" --)"
done

# the values it offers are the ones --help names
generations=$("$sevlaunch" certs --help | grep -- '--generation' | grep -oE 'naples|rome|milan|genoa|turin' | sort -u)
same "generations" "$generations" "$(offered certs --generation '')"
same "options starting --ti" "$(printf -- '--tik\n--timeout')" "$(offered verify --ti)"

[ "$status" -eq 0 ] && echo "check-completion: every command and option is offered"
exit "$status"
