#!/bin/bash
# faultsweep vm passes COMMAND's exit status through, and its own failures
# have their own codes: usage (2), a non-bzImage --kernel (4).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out
expect() {
	local want="$1"; shift
	"$@" >/dev/null 2>&1; local got=$?
	if [ "$got" = "$want" ]; then pass=$((pass+1)); else echo "FAIL: '$*' exited $got, want $want"; fail=$((fail+1)); fi
}
expect 2 "$fs" vm
expect 2 "$fs" vm --smp x -- true
expect 4 "$fs" vm --kernel /etc/passwd -- true
expect 7 "$fs" vm --out "$out" -q --timeout 300 -- sh -c 'exit 7'
# COMMAND's output reaches our stdout unchanged.
got="$("$fs" vm --out "$out" -q --timeout 300 -- sh -c 'echo hello from $(uname -r); cat /proc/cmdline | grep -o kasan_multi_shot')"
case "$got" in
*"hello from"*kasan_multi_shot*) pass=$((pass+1)) ;;
*) echo "FAIL: guest output was: $got"; fail=$((fail+1)) ;;
esac
[ -s "$out/console.log" ] && pass=$((pass+1)) || { echo "FAIL: no $out/console.log"; fail=$((fail+1)); }
# A command that does not exist: 127, like a shell.
expect 127 "$fs" vm --out "$out" -q --timeout 300 -- /nonexistent/command
vm_done
