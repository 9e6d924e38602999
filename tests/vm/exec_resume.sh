#!/bin/bash
# exec --vm survives a dead kernel: with --panic-on-oops the planted module's
# NULL dereference panics the guest at each of its steps; each death must be
# journaled as a FAIL step of the invocation in flight and a new VM must go
# on at the next N, until the sweep of the write ends.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out mods
vm_fresh_out
j="$out/journal.jsonl"

"$fs" exec --vm --panic-on-oops --faults slab --syscalls write --timeout 20 --out "$out" \
	--name bugs --setup "[ -e /proc/fs_planted ] || insmod $mods/fs_planted.ko" \
	-- sh -c 'echo x > /proc/fs_planted' > "$out/stdout" 2> "$out/stderr"
rc=$?
tail -4 "$out/stderr"
ok "exec exits 1 (findings), got $rc" '[ $rc = 1 ]'
c=exec.bugs.1.write
panics=$(q "select(.type==\"step\" and .case==\"$c\") | select(any(.findings[]; .kind==\"kernel-panic\")) | .nth" | tr '\n' ' ')
ok "some steps killed the kernel: $panics" '[ -n "$panics" ]'
ok "each death kept its console" '[ -e "$out/console.crash1.log" ]'
ok "the VM was restarted per death" \
	'[ "$(ls "$out"/console.crash*.log | wc -l)" = "$(echo $panics | wc -w)" ]'
ns=$(q "select(.type==\"step\" and .case==\"$c\") | .nth" | sort -n | tr '\n' ' ')
want=$(seq 1 "$(echo $ns | wc -w)" | tr '\n' ' ')
ok "steps 1..N without holes or repeats across the restarts ($ns)" '[ "$ns" = "$want" ]'
last=$(echo $ns | awk '{print $NF}')
ok "the sweep ended at a step that did not fire (nth $last)" \
	'[ "$(q "select(.type==\"step\" and .case==\"$c\" and .nth==$last) | .fired")" = false ]'
ok "and its case record is there" '[ "$(q "select(.type==\"case\" and .case==\"$c\") | .verdict")" = FAIL ]'
ok "reports were made on the host" '[ -s "$out/junit.xml" ]'
vm_done
