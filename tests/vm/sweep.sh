#!/bin/bash
# One VM boot: sweep the net area plus the hidden self-test cases, then check
# the journal: one record per (case, N), every sweep ended, a worker crash
# costs exactly its step, a hang is killed, and every oracle fires.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out
vm_fresh_out
j="$out/journal.jsonl"

"$fs" run --vm --out "$out" -j 2 --timeout 20 -q \
	'net.*' selftest_segv selftest_hang selftest_oracles > "$out/stdout" 2> "$out/stderr"
rc=$?
cat "$out/stdout"
ok "run exits 1 (findings) but exited $rc: $(tail -5 "$out/stderr")" '[ $rc = 1 ]'
ok "journal exists" '[ -s "$j" ]'

# Every step record of a case appears once per N, and N runs 1..last without holes.
dups=$(q 'select(.type=="step") | "\(.case) \(.nth)"' | sort | uniq -d | head -3)
ok "one record per (case, N); duplicates: $dups" '[ -z "$dups" ]'
for c in $(q 'select(.type=="step") | .case' | sort -u); do
	ns=$(q "select(.type==\"step\" and .case==\"$c\") | .nth" | sort -n | tr '\n' ' ')
	want=$(seq 1 "$(echo $ns | wc -w)" | tr '\n' ' ')
	ok "$c steps are 1..N without holes: $ns" '[ "$ns" = "$want" ]'
done

# Every net case finished (case record) and none is BROK.
ncases=$("$fs" list 'net.*' | wc -l)
ok "every net case has a case record ($ncases)" \
	'[ "$(q "select(.type==\"case\" and .area==\"net\") | .case" | sort -u | wc -l)" = "$ncases" ]'
brok=$(q 'select(.type=="case" and .area=="net" and .verdict=="BROK") | "\(.case): \(.reason)"')
ok "no net case is BROK: $brok" '[ -z "$brok" ]'

# socketpair has many fault points with ignore-gfp-wait=N (1 with the default Y).
pts=$(q 'select(.type=="case" and .case=="socketpair_unix_stream") | .points')
ok "socketpair_unix_stream has >= 8 fault points (got $pts)" '[ "${pts:-0}" -ge 8 ]'
last=$(q 'select(.type=="step" and .case=="socketpair_unix_stream") | select(.fired==false) | .nth')
ok "socketpair sweep ends at a step that did not fire (points+1)" '[ "$last" = "$((pts+1))" ]'

# A crash costs exactly its step; the sweep goes on at N+1.
ok "selftest_segv nth=3 is worker-killed by SIGSEGV" \
	'[ "$(q "select(.type==\"step\" and .case==\"selftest_segv\" and .nth==3) | .findings[0].title")" = "worker-killed: selftest_segv killed by SIGSEGV" ]'
# Ran normally: a step record of the new worker (fired known). Its verdict
# is the kernel's: which N hits socketpair's ENFILE site moves with the slab
# state (new slab pages are fault points too), so it is not asserted.
ok "selftest_segv nth=4 ran normally" \
	'[ "$(q "select(.type==\"step\" and .case==\"selftest_segv\" and .nth==4) | .fired and .verdict != \"BROK\"")" = true ]'
ok "selftest_segv: only nth=3 carries a crash" \
	'[ "$(q "select(.case==\"selftest_segv\" and .type==\"step\") | select(any(.findings[]; .kind==\"worker-killed\")) | .nth")" = 3 ]'
ok "selftest_hang nth=2 is a hang" \
	'[ "$(q "select(.type==\"step\" and .case==\"selftest_hang\" and .nth==2) | .findings[0].kind")" = hang ]'
ok "selftest_hang went on at nth=3" \
	'[ -n "$(q "select(.type==\"step\" and .case==\"selftest_hang\" and .nth==3) | .verdict")" ]'
# Every fired step of selftest_oracles has all three findings.
bad=$(q 'select(.case=="selftest_oracles" and .type=="step" and .fired and .ret < 0) |
	 select(([.findings[].kind] | sort) != ["fd-leak","retry-failed","unexpected-errno"]) | .nth')
ok "selftest_oracles: every failed step has unexpected-errno, fd-leak, retry-failed ($bad)" '[ -z "$bad" ]'
ok "selftest_oracles has fired steps" \
	'[ "$(q "select(.case==\"selftest_oracles\" and .fired and .ret < 0) | .nth" | wc -l)" -ge 3 ]'
ok "summary printed" 'grep -q "fault points" "$out/stdout"'
vm_done
