#!/bin/bash
# A kernel that panics mid-sweep: run --vm records the step in flight as a
# kernel-panic FAIL, boots a new VM, resumes at the next N, and the final
# journal has every step of the case.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out
vm_fresh_out
j="$out/journal.jsonl"

"$fs" run --vm --out "$out" -j 1 -q selftest_panic > "$out/stdout" 2> "$out/stderr"
rc=$?
ok "run exits 1 (findings), got $rc: $(tail -3 "$out/stderr")" '[ $rc = 1 ]'
ok "nth=3 is a kernel-panic FAIL" \
	'[ "$(q "select(.type==\"step\" and .case==\"selftest_panic\" and .nth==3) | .findings[0].kind")" = kernel-panic ]'
ok "the panic title names sysrq" \
	'q "select(.type==\"step\" and .nth==3) | .findings[0].title" | grep -qi sysrq'
ok "the panic report is journaled for nth=3" \
	'[ "$(q "select(.type==\"report\" and .nth==3) | .case")" = selftest_panic ]'
ns=$(q 'select(.type=="step" and .case=="selftest_panic") | .nth' | sort -n | tr '\n' ' ')
want=$(seq 1 "$(echo $ns | wc -w)" | tr '\n' ' ')
ok "every step 1..N recorded once across both VMs: $ns" '[ "$ns" = "$want" ]'
ok "the sweep went on past the panic (nth=4 exists)" \
	'[ -n "$(q "select(.type==\"step\" and .nth==4) | .verdict")" ]'
ok "the case finished" '[ "$(q "select(.type==\"case\") | .case")" = selftest_panic ]'
ok "the crashed console is kept" '[ -s "$out/console.crash1.log" ]'
vm_done
