#!/bin/bash
# The planted-bug module (tests/modules/planted): sweeping its write handler
# must find each planted bug class, attributed to the step that hit it, and
# sweeping the fixed build must find nothing in the module. The load sweep
# runs in a second boot (an Oops in the write handler pins the module).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out mods
vm_fresh_out w l
# --faults slab: page-allocator points (new slab pages, kmemleak's metadata
# pages) come and go from one call to the next, and with them the sweep could
# step over a planted site (seen: the kstrdup leak site skipped in one run);
# slab points alone come in the same order every call.
env=(--env "FS_PLANTED_KO=$mods/fs_planted.ko" --env "FS_PLANTED_CLEAN_KO=$mods/fs_planted_clean.ko")

"$fs" vm -q --timeout 1200 --out "$out/w" "${env[@]}" -- \
	"$fs" run -q -j 1 --timeout 60 --faults slab --out "$out/w" planted_clean_write planted_write > "$out/w/stdout" 2>&1
j="$out/w/journal.jsonl"
cat "$out/w/stdout" | tail -12
rep() { q "select(.type==\"report\" and .case==\"planted_write\" and ($1)) | .nth" | head -1; }
uaf=$(rep '.title | test("KASAN: slab-use-after-free")')
df=$(rep '.title | test("KASAN: double-free")')
oops=$(rep '.kind == "BUG" or .kind == "Oops"')
leak=$(q 'select(.type=="report" and .case=="planted_write" and .kind=="memory-leak") | .title' | head -1)
errno=$(q 'select(.type=="step" and .case=="planted_write" and any(.findings[]; .kind=="unexpected-errno")) | .nth' | head -1)
fired() { [ -n "$1" ] && [ "$1" != 0 ] && [ "$(q "select(.type==\"step\" and .case==\"planted_write\" and .nth==$1) | .fired")" = true ]; }
ok "KASAN slab-use-after-free attributed to a fired step (nth=$uaf)" 'fired "$uaf"'
ok "KASAN double-free attributed to a fired step (nth=$df)" 'fired "$df"'
# Both bugs sit on paths that return -ENOMEM: a report attributed to a step
# that did not fail shows here. And each bug has one allocation site (three
# allocations in a row): all steps with one bug's reports must have faulted
# at the same site, another than the other bug's — a report one step late
# would land on the next site (the kernel's fail-nth-site record, journaled
# as a "site" record per fired step).
errno_of() { q "select(.type==\"step\" and .case==\"planted_write\" and .nth==${1:-0}) | .errno_name"; }
ok "the use-after-free step failed with ENOMEM ($(errno_of "$uaf"))" '[ "$(errno_of "$uaf")" = ENOMEM ]'
ok "the double-free step failed with ENOMEM ($(errno_of "$df"))" '[ "$(errno_of "$df")" = ENOMEM ]'
sites_of() {
	q "select(.type==\"report\" and .case==\"planted_write\" and (.title | test(\"$1\"))) | .nth" |
		sort -u | while read -r n; do
			q "select(.type==\"site\" and .case==\"planted_write\" and .nth==$n) | .site" | head -1
		done | sort -u | tr '\n' ' '
}
uafsites=$(sites_of "use-after-free") dfsites=$(sites_of "double-free")
ok "the use-after-free reports' steps faulted at one site ($uafsites)" '[ "$(wc -w <<< "$uafsites")" = 1 ]'
ok "the double-free reports' steps faulted at one other site ($dfsites)" \
	'[ "$(wc -w <<< "$dfsites")" = 1 ] && [ "$dfsites" != "$uafsites" ]'
ok "NULL-pointer Oops attributed to a step (nth=$oops)" '[ -n "$oops" ] && [ "$oops" != 0 ]'
ok "memory leak symbolized to the module function ($leak)" '[[ "$leak" == *planted* ]]'
# The source fixes the order of the planted sites: the wrong errno (first
# kmalloc loop) < the leak (kstrdup loop) < the use-after-free < the double
# free. The leak is attributed by the worker's comm (fs#N) to its own step.
leakn=$(q 'select(.type=="report" and .case=="planted_write" and .kind=="memory-leak" and .attribution=="comm") | .nth' | sort -n | head -1)
lerr=$(q "select(.type==\"step\" and .case==\"planted_write\" and .nth==${leakn:-0}) | .errno_name")
ok "the leak is attributed to its step by comm (nth=$leakn, errno $lerr)" \
	'fired "$leakn" && [ "$lerr" = ENOMEM ]'
ok "planted sites in source order: errno $errno < leak $leakn < UAF $uaf < double-free $df" \
	'[ "${errno:-0}" -lt "${leakn:-0}" ] && [ "${leakn:-0}" -lt "${uaf:-0}" ] && [ "${uaf:-0}" -lt "${df:-0}" ]'
ok "unexpected errno (EINVAL) found (nth=$errno)" 'fired "$errno"'
ok "the Oops killed the worker at that step" \
	'[ -n "$(q "select(.type==\"step\" and .case==\"planted_write\" and .nth==$oops) | .findings[] | select(.kind==\"worker-killed\") | .kind")" ]'
ok "planted_write's case verdict is FAIL" \
	'[ "$(q "select(.type==\"case\" and .case==\"planted_write\") | .verdict")" = FAIL ]'
clean=$(q 'select(.case=="planted_clean_write" and (.type=="report" or (.type=="step" and .verdict=="FAIL"))) | .title // (.findings|map(.title)|join(","))' | grep -i planted | head -3)
ok "nothing blamed on the clean module: $clean" '[ -z "$clean" ]'
ok "the clean case finished PASS" \
	'[ "$(q "select(.type==\"case\" and .case==\"planted_clean_write\") | .verdict")" = PASS ]'

# The reports the run made at its end: JUnit for Jenkins, one failure per planted bug.
jx="$out/w/junit.xml"
schema="$(cd "$(dirname "$0")/../.." && pwd)/../shared/data/junit-10.xsd"
ok "the run wrote junit.xml and summary.txt" '[ -s "$jx" ] && [ -s "$out/w/summary.txt" ]'
if [ -f "$schema" ] && command -v xmllint >/dev/null; then
	ok "junit.xml validates against Jenkins' junit-10.xsd" \
		'xmllint --noout --schema "$schema" "$jx" 2>/dev/null'
else
	echo "note: $schema or xmllint missing: junit.xml not validated here"
fi
for t in "KASAN: slab-use-after-free" "KASAN: double-free" "memory leak in planted_write" \
	 "unexpected-errno: planted_write" "BUG: kernel NULL pointer dereference"; do
	ok "junit.xml has a failure for '$t'" \
		'grep -q "<failure type=\"[^\"]*\" message=\"$t" "$jx" || grep -q "$t" "$jx"'
done
ok "the summary lists each planted bug with a reproducer" \
	'[ "$(grep -c "repro: repro/planted_write-n" "$out/w/summary.txt")" -ge 5 ]'

"$fs" vm -q --timeout 1500 --out "$out/l" "${env[@]}" -- \
	"$fs" run -q -j 1 --timeout 60 --out "$out/l" planted_load > "$out/l/stdout" 2>&1
j="$out/l/journal.jsonl"
initrep=$(q 'select(.type=="report" and .case=="planted_load") | .title' | sort -u | tr '\n' ';')
ok "the init sweep reports KASAN from planted_init ($initrep)" '[[ "$initrep" == *KASAN*planted* ]]'
ok "the init sweep finds the wrong errno" \
	'[ -n "$(q "select(.type==\"step\" and .case==\"planted_load\" and any(.findings[]; .kind==\"unexpected-errno\")) | .nth" | head -1)" ]'
vm_done
