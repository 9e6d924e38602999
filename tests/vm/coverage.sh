#!/bin/bash
# The coverage map end to end: a --coverage sweep of the planted-bug module's
# write handler (and of its clean build, and of socketpair_unix_stream) in
# the test kernel, then `faultsweep report`: coverage.json must list the
# module's allocation sites by function and file:line of tests/modules/planted
# with their outcomes (the planted wrong errno and KASAN reports on their
# sites), vmlinux sites must be symbolized from the run record's kernel build
# directory, and the genhtml pages must list the module's sites. Against the
# static list of allocation sites (the DWARF of vmlinux and the .ko): every
# allocating line of planted.c is a site of the module, faulted or not (those
# of planted_init never are: the module is loaded, not swept), the page and
# the summary show faulted out of all sites below 100 %, and
# --coverage-scope limits the count to a module or a directory.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out mods
vm_fresh_out
vm_need_kernel

start=$(date +%s)
"$fs" vm -q --timeout 1200 --out "$out" --env "FS_KERNEL_BUILD=$kdir" \
	--env "FS_PLANTED_KO=$mods/fs_planted.ko" --env "FS_PLANTED_CLEAN_KO=$mods/fs_planted_clean.ko" -- \
	"$fs" run -q -j 1 --timeout 60 --faults slab --no-kmemleak --coverage --no-report --out "$out" \
	planted_clean_write planted_write socketpair_unix_stream > "$out/stdout" 2>&1
echo "sweep: $(( $(date +%s) - start )) s"
tail -6 "$out/stdout"
j="$out/journal.jsonl"
ok "the run record names the kernel build directory" \
	'[ "$(jq -r "select(.type==\"run\") | .kernel_build" "$j" | tail -1)" = "$kdir" ]'
ok "site records from the module" \
	'[ "$(jq -r "select(.type==\"site\" and .module==\"fs_planted\") | .site" "$j" | wc -l)" -gt 0 ]'

# No --vmlinux: it comes from the run record.
start=$(date +%s)
"$fs" report --modules "$mods" "$j" > "$out/report.txt" 2>&1
rc=$?
echo "report: $(( $(date +%s) - start )) s"
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
while read -r fn file line; do
	[ -n "$fn" ] || continue
	src=$(sed -n "${line}p" "$file" 2>/dev/null)
	case "$fn:$file:$src" in
	planted_write:*/planted.c:*k*alloc*|planted_write:*/planted.c:*kstrdup*|planted_write:*/planted.c:*kmemdup*) ;;
	*) echo "not an allocation line: $fn $file:$line: $src"; bad=1 ;;
	esac
done <<< "$sites"
ok "each module site is planted_write at a planted.c line that allocates" '[ $bad = 0 ]'
line_of() { grep -n "$1" "$mods/planted.c" | head -1 | cut -d: -f1; }
site_at() { cq ".sites[] | select(.module==\"fs_planted\" and .line==$1) | $2" | head -1; }
buf=$(line_of 'buf\[i\] = kmalloc(64')
tag=$(line_of 'st->tag\[i\] = kmemdup')
data=$(line_of 'st->data\[i\] = kmalloc(32')
ok "the kmalloc(64) site (line $buf) has the planted wrong errno" \
	'[ "$(site_at "$buf" ".outcomes[\"unexpected-errno\"]")" -gt 0 ] 2>/dev/null'
ok "the kmemdup site (line $tag) carries the KASAN double-free" \
	'site_at "$tag" ".findings | keys | join(\",\")" | grep -q "kernel:KASAN"'
ok "the kmalloc(32) site (line $data) carries the KASAN use-after-free" \
	'site_at "$data" ".findings | keys | join(\",\")" | grep -q "kernel:KASAN"'
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

# The denominator: the module's own sites, all of them, faulted and not.
alloc_lines=$(grep -nE '= *(kmalloc|kzalloc|kcalloc|kstrdup|kmemdup|kasprintf)\(' "$mods/planted.c" |
	cut -d: -f1 | sort -n | tr '\n' ' ')
listed=$(cq '(.sites + .never_faulted)[] | select(.module=="fs_planted" and .listed) | .line' |
	sort -n | tr '\n' ' ')
echo "planted.c allocating lines: $alloc_lines"
echo "fs_planted's listed sites:  $listed"
ok "every allocating line of planted.c is a listed site of fs_planted, and no other" \
	'[ -n "$alloc_lines" ] && [ "$alloc_lines" = "$listed" ]'
init_lines=$(cq '.never_faulted[] | select(.module=="fs_planted" and .function=="planted_init") |
	.line' | sort -n | tr '\n' ' ')
ok "planted_init's six sites are never faulted ($init_lines)" \
	'[ "$(echo $init_lines | wc -w)" = 6 ]'
g() { cq ".scopes[] | select(.name==\"$1\") | .$2"; }
ok "the fs_planted scope counts its 12 sites, faulted ones below that ($(g fs_planted faulted)/$(g fs_planted sweepable))" \
	'[ "$(g fs_planted sweepable)" = 12 ] && [ "$(g fs_planted faulted)" -ge 5 ] &&
	 [ "$(g fs_planted faulted)" -lt 12 ]'
ok "the touched vmlinux directories count never-faulted sites too" \
	'[ "$(cq "[.dirs[] | select(.module==\"\" and .faulted < .sweepable)] | length")" -gt 0 ]'
ok "the summary prints faulted out of all sites" \
	'grep -q "in the directories and modules the faults touched: [0-9]* of [0-9]* allocation sites faulted" "$out/report.txt"'
ok "the denominator came from the DWARF of vmlinux and the two modules" \
	'[ "$(cq "[.denominator.objects[] | select(.read)] | length")" = 3 ]'

# What a reader sees: below 100 % where sites were missed, and why, on the page.
pct=$(grep -A5 'href="modules/index.html"' "$h/index.html" | grep -o '[0-9.]*&nbsp;%' | head -1 |
	sed 's/&nbsp;%//')
ok "html/index.html shows the modules directory below 100 % ($pct %)" \
	'[ -n "$pct" ] && awk -v p="$pct" "BEGIN{exit !(p < 100)}"'
ok "html/index.html says what its lines are" 'grep -q "allocation site" "$h/index.html"'
l=$(line_of 'tbl\[i\] = kcalloc')
ok "the source view marks planted_init's kcalloc (line $l) as never faulted" \
	'grep "<a name=\"$l\">" "$page" | grep -q "lineNoCov.*never faulted (kmalloc_array, slab)"'
ok "the source view writes the planted wrong errno next to line $buf" \
	'grep "<a name=\"$buf\">" "$page" | grep -q "unexpected-errno 3\|unexpected-errno [0-9]"'

# --coverage-scope: one module, one directory below the source tree.
"$fs" report -q --modules "$mods" --coverage-scope fs_planted --out "$out/scope-mod" "$j" \
	> /dev/null 2>&1
"$fs" report --modules "$mods" --coverage-scope net --out "$out/scope-net" "$j" \
	> "$out/scope-net.txt" 2>&1
cs="$out/scope-mod/coverage/coverage.json"
ok "--coverage-scope fs_planted: 12 sites in scope, vmlinux's faulted sites out of it" \
	'[ "$(jq -r .scope.total.sites "$cs")" = 12 ] &&
	 [ "$(jq -r "[.sites[] | select(.module==\"\" and .in_scope)] | length" "$cs")" = 0 ]'
ok "--coverage-scope net: the summary prints the scope's faulted/total" \
	'grep -q "^coverage: scope net: [0-9]* of [0-9]* allocation sites faulted" "$out/scope-net.txt"'
grep "^coverage: scope" "$out/scope-net.txt"
vm_done
