#!/bin/bash
# A worker serves case after case: a case that changes its process for good
# (namespaces, seccomp filter, no_new_privs, cwd, umask, rlimit, signal
# state, an mm-wide flag) must leave nothing to the next case of the slot,
# which checks in every step that it starts as the worker is.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out
vm_fresh_out
j="$out/journal.jsonl"

# One slot: the cases run one after the other, in the order given.
"$fs" run --vm --out "$out" -j 1 -q selftest_taint selftest_fresh \
	> "$out/stdout" 2> "$out/stderr"
rc=$?
ok "run exits 0, got $rc: $(tail -3 "$out/stderr")" '[ $rc = 0 ]'
ok "selftest_taint swept to its end (PASS)" \
	'[ "$(q "select(.type==\"case\" and .case==\"selftest_taint\") | .verdict")" = PASS ]'
v=$(q 'select(.type=="case" and .case=="selftest_fresh") | "\(.verdict) \(.reason // "")"')
ok "selftest_fresh after selftest_taint starts clean: $v" '[ "$v" = "PASS " ]'
ok "selftest_taint ran first" \
	'[ "$(q "select(.type==\"case\") | .case" | head -1)" = selftest_taint ]'
brok=$(q 'select(.type=="step" and .verdict!="PASS") | "\(.case) \(.nth) \(.reason)"' | head -3)
ok "no step is anything but PASS: $brok" '[ -z "$brok" ]'
vm_done
