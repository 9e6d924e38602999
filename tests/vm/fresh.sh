#!/bin/bash
# A worker serves case after case: a case that changes its process for good
# (namespaces, seccomp filter, no_new_privs, cwd, umask, rlimit, signal
# state, an mm-wide flag) must leave nothing to the next case of the slot,
# which checks in every step that it starts as the worker is.
set -u
fs="$1" out="$2"
rm -rf "$out"; mkdir -p "$out"
j="$out/journal.jsonl"
pass=0 fail=0
ok() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }
q() { jq -r "$1" "$j" 2>/dev/null; }

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
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
