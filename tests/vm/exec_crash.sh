#!/bin/bash
# faultsweep exec finds a user-space crash on an error path: nullderef
# dereferences NULL in handle_unexpected_error() when socket() fails, and
# handles pipe() failing. Also the bad-input exits: CMD not found (127), not
# executable (126), a clean run that fails (5, with its output, no sweep).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out prog
vm_fresh_out
j="$out/crash/journal.jsonl"

# Bad input is said before anything boots.
"$fs" exec --vm --out "$out/nf" -- /nonexistent/prog > /dev/null 2> "$out/nf.err"
rc=$?
ok "CMD not found exits 127 (got $rc)" '[ $rc = 127 ]'
ok "and says so: $(cat "$out/nf.err")" 'grep -q "/nonexistent/prog" "$out/nf.err"'
ok "without booting" '[ ! -e "$out/nf/console.log" ]'
printf 'not a program\n' > "$out/notexec"; chmod 644 "$out/notexec"
"$fs" exec --vm --out "$out/nx" -- "$out/notexec" > /dev/null 2> "$out/nx.err"
rc=$?
ok "CMD not executable exits 126 (got $rc)" '[ $rc = 126 ]'
"$fs" exec --syscalls exit_group -- true > /dev/null 2> "$out/eg.err"
rc=$?
ok "--syscalls exit_group is a usage error (got $rc)" '[ $rc = 2 ]'

start=$(date +%s)
"$fs" exec --vm --out "$out/crash" --syscalls pipe2,socket -- "$prog" \
	> "$out/stdout" 2> "$out/stderr"
rc=$?
cat "$out/stdout"
echo "exec --vm took $(( $(date +%s) - start )) s"
ok "exec exits 1 (findings) but exited $rc: $(tail -5 "$out/stderr")" '[ $rc = 1 ]'
calls=$(q 'select(.type=="exec") | .calls | join(",")')
ok "the clean run trapped pipe2 then socket (got $calls)" '[ "$calls" = pipe2,socket ]'

sock=exec.nullderef.2.socket
crash=$(q "select(.type==\"step\" and .case==\"$sock\") | select(.findings[]?.kind==\"user-crash\") | .nth" | head -1)
ok "a faulted socket() gives a user-crash (first at nth ${crash:-none})" '[ -n "$crash" ]'
title=$(q "select(.type==\"step\" and .case==\"$sock\" and .nth==${crash:-0}) | .findings[0].title")
ok "its title names the function: $title" \
	'[ "$title" = "user-crash: SIGSEGV in handle_unexpected_error [nullderef]" ]'
f0=$(q "select(.type==\"step\" and .case==\"$sock\" and .nth==${crash:-0}) | .crash.frames[0]")
ok "the backtrace's first frame is handle_unexpected_error with file:line: $f0" \
	'echo "$f0" | grep -q "^handle_unexpected_error+0x[0-9a-f]* (nullderef.c:[0-9]*) \[nullderef\]$"'
f1=$(q "select(.type==\"step\" and .case==\"$sock\" and .nth==${crash:-0}) | .crash.frames[1]")
ok "called from main: $f1" 'echo "$f1" | grep -q "^main+0x[0-9a-f]* (nullderef.c:"'
cs=$(q "select(.type==\"step\" and .case==\"$sock\" and .nth==${crash:-0}) | .callsite | join(\" | \")")
ok "the call site of the faulted socket() is in main: $cs" 'echo "$cs" | grep -q "main+0x[0-9a-f]* (nullderef.c:"'
sig=$(q "select(.type==\"step\" and .case==\"$sock\" and .nth==${crash:-0}) | .status")
ok "nullderef died by SIGSEGV ($sig)" '[ "$sig" = SIGSEGV ]'
# Every fired socket fault crashes it; the end does not.
pts=$(q "select(.type==\"case\" and .case==\"$sock\") | .points")
ok "socket() has fault points (got $pts)" '[ "${pts:-0}" -ge 1 ]'
last=$(q "select(.type==\"step\" and .case==\"$sock\" and .nth==$((pts + 1))) | \"\(.fired) \(.verdict)\"")
ok "the socket sweep ends at nth $((pts + 1)), not fired, PASS ($last)" '[ "$last" = "false PASS" ]'
# pipe2's failure is handled: exit 1, no finding — no false positive.
pipe=exec.nullderef.1.pipe2
pv=$(q "select(.type==\"case\" and .case==\"$pipe\") | .verdict")
ok "pipe2 is PASS ($pv)" '[ "$pv" = PASS ]'
pst=$(q "select(.type==\"step\" and .case==\"$pipe\" and .fired==true and .ret < 0) | .status" | sort -u | tr '\n' ' ')
ok "a failed pipe2 makes nullderef exit 1 ($pst)" '[ "$pst" = "exit 1 " ]'
ok "the summary lists the user-crash" 'grep -q "user-crash: SIGSEGV in handle_unexpected_error" "$out/crash/summary.txt"'
ok "junit.xml has the failure" 'grep -q "user-crash" "$out/crash/junit.xml"'
ok "and the crash's backtrace" 'grep -q "^crash_frame=handle_unexpected_error+0x" "$out/crash/junit.xml"'

# A clean run that fails is BROK with its output; nothing is swept.
"$fs" exec --vm --out "$out/brok" --syscalls write -- sh -c 'echo boom; exit 3' \
	> "$out/brok.out" 2> "$out/brok.err"
rc=$?
ok "a failing clean run exits 5 (got $rc)" '[ $rc = 5 ]'
ok "its output is printed" 'cat "$out/brok.out" "$out/brok.err" | grep -q "^boom$"'
b=$(jq -r 'select(.type=="step") | "\(.case) \(.nth) \(.verdict) \(.output)"' "$out/brok/journal.jsonl")
ok "one BROK step with the output: $b" '[ "$b" = "exec.sh 0 BROK boom" ]'
vm_done
