#!/bin/bash
# Sites from the kernel patch end to end: on the test kernel built with
# kernel/patches/0001-fault-inject-record-the-faulted-site-per-task.patch, a
# sweep with no coverage option must read /proc/thread-self/fail-nth-site,
# journal one "site" record attributed "patch" with a site for every fired
# step (none unresolved: the dumps missed about half, the __GFP_NOWARN ones),
# print no FAULT_INJECTION dump, and place the planted module's faults at the
# allocating lines of planted.c in coverage.json.
#
# usage: failnth_site.sh FAULTSWEEP OUTDIR MODULES_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out mods
vm_fresh_out
vm_need_kernel
src="$(dirname "$(readlink -f "$0")")/../.."
[ -f "$src/kernel/patches/0001-fault-inject-record-the-faulted-site-per-task.patch" ] ||
	{ echo "kernel/patches has no fail-nth-site patch"; exit 1; }

start=$(date +%s)
# dmesg from inside the guest: the dumps, had there been any.
"$fs" vm -q --timeout 1500 --out "$out" --env "FS_KERNEL_BUILD=$kdir" \
	--env "FS_PLANTED_KO=$mods/fs_planted.ko" -- \
	bash -c '"$0" run -q -j 1 --timeout 60 --faults slab --no-kmemleak --no-report --out "$1" \
		planted_write socketpair_unix_stream > "$1/stdout" 2>&1; rc=$?
		dmesg > "$1/dmesg.txt"; exit $rc' "$fs" "$out"
rc=$?
echo "sweep: $(( $(date +%s) - start )) s, exit $rc"
tail -6 "$out/stdout"
j="$out/journal.jsonl"
ok "the sweep ran (exit 0 or 1 for the planted findings, got $rc)" '[ $rc -le 1 ]'
ok "the run record says the sites come from the patch" \
	'[ "$(jq -r "select(.type==\"run\") | .site_source" "$j" | tail -1)" = patch ]'

# Every fired step has exactly one patch site record, with a site.
jq -r 'select(.type=="step" and .fired==true) | "\(.case) \(.nth)"' "$j" | sort > "$out/fired"
jq -r 'select(.type=="site" and .attribution=="patch" and .site!="") | "\(.case) \(.nth)"' "$j" |
	sort > "$out/sited"
nfired=$(wc -l < "$out/fired")
for c in socketpair_unix_stream planted_write; do
	n=$(grep -c "^$c " "$out/fired")
	ok "$c fired faults ($n)" '[ "$n" -gt 0 ]'
done
missing=$(comm -23 "$out/fired" "$out/sited" | wc -l)
ok "a patch site for every fired step ($nfired fired, $missing without)" \
	'[ "$nfired" -gt 0 ] && [ "$missing" = 0 ]'
comm -23 "$out/fired" "$out/sited" | head -5
ok "one site record per fired step" '[ "$(sort -u "$out/sited" | wc -l)" = "$(wc -l < "$out/sited")" ]'
other=$(jq -r 'select(.type=="site" and .attribution!="patch") | .attribution' "$j" | wc -l)
ok "no site records from dumps ($other)" '[ "$other" = 0 ]'
ok "the sites are failslab faults" \
	'[ -z "$(jq -r "select(.type==\"site\" and .fault!=\"failslab\") | .fault" "$j")" ]'
jq -r 'select(.type=="site") | select((.site as $s | .frames[0] // "" | startswith($s)) | not) | .site' \
	"$j" > "$out/badframes" 2>&1
ok "each site record's frames start at its site" '[ ! -s "$out/badframes" ]'
ok "the kernel printed no FAULT_INJECTION dump" '! grep -q "FAULT_INJECTION: forcing" "$out/dmesg.txt"'
# The second form of the record: size, gfp flags and raw addresses (root sees them).
noextra=$(jq -r 'select(.type=="site" and .attribution=="patch" and .site!="") |
	select(((.size // 0) <= 0) or (((.gfp // "") | test("^0x[0-9a-f]+[(]")) | not) or
		(((.addrs // []) | length) != (.frames | length)) or
		((.addrs // []) | any(startswith("0xffff") | not))) | "\(.case) \(.nth)"' "$j" | wc -l)
ok "each patch site has its size, gfp flags and raw addresses ($noextra without)" '[ "$noextra" = 0 ]'

"$fs" report --modules "$mods" "$j" > "$out/report.txt" 2>&1
rc=$?
grep coverage "$out/report.txt"
ok "report exits 0 or 1 (rc=$rc)" '[ $rc -le 1 ]'
cov="$out/coverage/coverage.json"
ok "coverage.json: no unresolved fired step ($(cq .totals.unresolved) of $(cq .totals.fired_steps))" \
	'[ "$(cq .totals.unresolved)" = 0 ] && [ "$(cq .totals.fired_steps)" = "$nfired" ]'
ok "coverage.json counts the patch records" '[ "$(cq .totals.patch_site_records)" -gt 0 ]'

sites=$(cq '.sites[] | select(.module=="fs_planted") | "\(.function) \(.file) \(.line)"')
echo "module sites:"; echo "$sites"
bad=0
planted_alloc_sites "$sites" || bad=1
ok "module sites found" '[ -n "$sites" ]'
ok "each module site is planted_write at a planted.c line that allocates" '[ $bad = 0 ]'
for pat in 'buf\[i\] = kmalloc(64' 'st->tag\[i\] = kmemdup' 'st->data\[i\] = kmalloc(32'; do
	l=$(planted_line "$pat")
	ok "a site at planted.c:$l ($pat)" '[ -n "$(planted_site "$l" .function)" ]'
done
sp=$(cq '[.sites[] | select(.cases[].case=="socketpair_unix_stream" and (.file|test("/(net|fs|mm|security|lib)/")))] | length')
ok "socketpair_unix_stream's sites are symbolized in the kernel source ($sp)" '[ "$sp" -gt 0 ]'
vm_done
