#!/bin/bash
# The coverage map end to end: a --coverage sweep of the planted-bug module's
# write handler (and of its clean build, and of socketpair_unix_stream) in
# the test kernel, then `faultsweep report`: coverage.json must list the
# module's allocation sites by function and file:line of tests/modules/planted
# with their outcomes (the planted wrong errno and KASAN reports on their
# sites), vmlinux sites must be symbolized from the run record's kernel build
# directory, and the genhtml pages must list the module's sites.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out mods
vm_fresh_out
vm_need_kernel

start=$(date +%s)
"$fs" vm -q --timeout 1200 --out "$out" --env "FS_KERNEL_BUILD=$kdir" \
	--env "FS_PLANTED_KO=$mods/fs_planted.ko" --env "FS_PLANTED_CLEAN_KO=$mods/fs_planted_clean.ko" -- \
	"$fs" run -q -j 1 --timeout 60 --faults slab --no-kmemleak --coverage --out "$out" \
	planted_clean_write planted_write socketpair_unix_stream > "$out/stdout" 2>&1
echo "sweep: $(( $(date +%s) - start )) s"
tail -6 "$out/stdout"
j="$out/journal.jsonl"
ok "the run record names the kernel build directory" \
	'[ "$(jq -r "select(.type==\"run\") | .kernel_build" "$j" | tail -1)" = "$kdir" ]'
ok "site records from the module" \
	'[ "$(jq -r "select(.type==\"site\" and .module==\"fs_planted\") | .site" "$j" | wc -l)" -gt 0 ]'

# No --vmlinux: it comes from the run record.
"$fs" report --modules "$mods" "$j" > "$out/report.txt" 2>&1
rc=$?
cat "$out/report.txt"
ok "report exits 0 or 1 (findings) (rc=$rc)" '[ $rc -le 1 ]'
cov="$out/coverage/coverage.json"
ok "coverage.json has totals" '[ "$(cq .totals.fired_steps)" -gt 0 ]'
ok "the unresolved count is printed" 'grep -q "unresolved" "$out/report.txt"'
ok "vmlinux found through the run record" '[ "$(cq .vmlinux)" = "$kdir/vmlinux" ]'

# Every module site: planted_write at a line of planted.c that allocates.
sites=$(cq '.sites[] | select(.module=="fs_planted") | "\(.function) \(.file) \(.line)"')
echo "module sites:"; echo "$sites"
nlines=$(echo "$sites" | awk '$1=="planted_write"{print $3}' | sort -u | grep -c .)
ok "at least 5 distinct allocation lines in planted_write ($nlines)" '[ "$nlines" -ge 5 ]'
bad=0
planted_alloc_sites "$sites" || bad=1
ok "each module site is planted_write at a planted.c line that allocates" '[ $bad = 0 ]'
buf=$(planted_line 'buf\[i\] = kmalloc(64')
tag=$(planted_line 'st->tag\[i\] = kmemdup')
data=$(planted_line 'st->data\[i\] = kmalloc(32')
ok "the kmalloc(64) site (line $buf) has the planted wrong errno" \
	'[ "$(planted_site "$buf" ".outcomes[\"unexpected-errno\"]")" -gt 0 ] 2>/dev/null'
ok "the kmemdup site (line $tag) carries the KASAN double-free" \
	'planted_site "$tag" ".findings | keys | join(\",\")" | grep -q "kernel:KASAN"'
ok "the kmalloc(32) site (line $data) carries the KASAN use-after-free" \
	'planted_site "$data" ".findings | keys | join(\",\")" | grep -q "kernel:KASAN"'
clean=$(cq '[.sites[] | select(.module=="fs_planted_clean")] | length')
cleanbad=$(cq '[.sites[] | select(.module=="fs_planted_clean" and (.findings|length) > 0)] | length')
ok "the clean module's sites ($clean) have no findings ($cleanbad)" '[ "$clean" -gt 0 ] && [ "$cleanbad" = 0 ]'
ok "the clean module's sites are handled" \
	'[ "$(cq "[.sites[] | select(.module==\"fs_planted_clean\") | .outcomes.handled] | add")" -gt 0 ]'
sp=$(cq '[.sites[] | select(.cases[].case=="socketpair_unix_stream" and (.file|test("/(net|fs|mm|security|lib)/")))] | length')
ok "socketpair_unix_stream's sites are symbolized in the kernel source ($sp)" '[ "$sp" -gt 0 ]'

ok "lcov accepts the tracefile" 'lcov --summary "$out/coverage/coverage.info" > "$out/lcov.txt" 2>&1'
h="$out/coverage/html"
ok "html/index.html lists planted.c's directory or file" 'grep -q "modules" "$h/index.html"'
page=$(find "$h" -name 'planted.c.gcov.html' | head -1)
fpage=$(find "$h" -name 'planted.c.func.html' | head -1)
ok "a per-file page for planted.c ($page)" '[ -n "$page" ]'
ok "its function page lists planted_write" '[ -n "$fpage" ] && grep -q planted_write "$fpage"'
hit=0
for l in $buf $tag $data; do
	grep -q "<span class=\"lineNum\"> *$l </span>.*lineCov" "$page" 2>/dev/null && hit=$((hit+1))
done
ok "the per-file page marks the planted sites as faulted ($hit of 3)" '[ $hit = 3 ]'
vm_done
