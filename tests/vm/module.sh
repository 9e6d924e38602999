#!/bin/bash
# `faultsweep module` end to end on the planted-bug module: the load sweep
# finds each of the five bugs planted in its init, survives the init's Oops
# (the module stays "coming": exit 7 inside, a new VM resumes), and the case
# verdict covers both boots. On a kernel with fail-nth-module (patch 0003)
# N = 1 faults in the module's own init; on the unpatched build (no scope)
# the whole load is swept and the same bugs are found. Then corpus scenarios: the clean
# build of the module finds nothing, and a scenario naming an unset variable
# is CONF with the reason.
#
# usage: module.sh FAULTSWEEP OUTDIR MODULES_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out mods
vm_fresh_out m c

start=$(date +%s)
"$fs" module --vm -q --faults slab --timeout 60 --out "$out/m" "$mods/fs_planted.ko" \
	> "$out/m/stdout" 2>&1
rc=$?
echo "module sweep: $(( $(date +%s) - start )) s, exit $rc"
tail -5 "$out/m/stdout"
j="$out/m/journal.jsonl"
L='.case=="module_fs_planted_load"'
rep() { q "select(.type==\"report\" and $L and ($1)) | .nth" | head -1; }
ok "exit 1: findings (got $rc)" '[ "$rc" = 1 ]'
ok "wrong errno of the first kcalloc loop found" \
	'[ -n "$(q "select(.type==\"step\" and $L and any(.findings[]; .kind==\"unexpected-errno\")) | .nth" | head -1)" ]'
ok "leak in planted_init reported" '[ -n "$(rep ".kind==\"memory-leak\" and (.title|test(\"planted\"))")" ]'
ok "KASAN use-after-free in planted_init" '[ -n "$(rep ".title|test(\"KASAN: slab-use-after-free.*planted_init\")")" ]'
ok "KASAN double-free in planted_init" '[ -n "$(rep ".title|test(\"KASAN: double-free.*planted_init\")")" ]'
oops=$(rep '.title|test("NULL pointer dereference")')
ok "NULL dereference Oops (nth=$oops)" '[ -n "$oops" ]'
ok "the Oops step is worker-killed" \
	'[ -n "$(q "select(.type==\"step\" and $L and .nth==${oops:-0}) | .findings[] | select(.kind==\"worker-killed\") | .kind")" ]'
ok "the stuck module was noted and the VM rebooted" \
	'q "select(.type==\"note\") | .text" | grep -q "fs_planted is stuck in state .coming." &&
	 grep -q "rebooted [0-9]* time" "$out/m/stdout"'
ok "the sweep went on after the reboot (steps after nth=$oops)" \
	'[ -n "$(q "select(.type==\"step\" and $L and .nth>${oops:-0}) | .nth" | head -1)" ]'
ok "the load case ended with a FAIL verdict over both boots" \
	'[ "$(q "select(.type==\"case\" and $L) | .verdict" | tail -1)" = FAIL ]'
ok "the load sweep reached its end (a step that did not fire)" \
	'[ "$(q "select(.type==\"step\" and $L) | .fired" | tail -1)" = false ]'
ok "the unload case was swept" \
	'[ -n "$(q "select(.type==\"case\" and .case==\"module_fs_planted_unload\") | .verdict")" ]'
ok "summary.txt and junit.xml were made" '[ -s "$out/m/summary.txt" ] && [ -s "$out/m/junit.xml" ]'
# A reproducer per finding, made from the journal's modcase record: the
# wrong-errno one says 1 (bug) in a fresh VM.
bz=$(vm_kernel)/arch/x86/boot/bzImage
en=$(q "select(.type==\"step\" and $L and any(.findings[]; .kind==\"unexpected-errno\")) | .nth" | head -1)
rs="$out/m/repro/module_fs_planted_load-n$en.sh"
ok "a modcase record names the .ko" \
	'[ "$(q "select(.type==\"modcase\" and $L) | .ko" | tail -1)" = "$(readlink -f "$mods/fs_planted.ko")" ]'
ok "reproducer written for the wrong errno ($rs)" '[ -x "$rs" ] && [ -f "${rs%.sh}.c" ]'
if [ -x "$rs" ]; then
	"$rs" --vm "$bz" > "$rs.log" 2>&1
	st=$?
	grep -E "repro: (0|1|125)" "$rs.log" | tail -2
	ok "the wrong-errno reproducer says 1 in a fresh VM (got $st)" '[ "$st" = 1 ]'
fi
if q 'select(.type=="note") | .text' | grep -q "module scope: on"; then
	site1=$(q "select(.type==\"site\" and $L and .nth==1) | .site" | head -1)
	ok "module scope: N=1 faults in the module's init ($site1)" '[[ "$site1" == *planted_init* ]]'
	ok "module scope: fewer than 40 points (the loader's are not counted)" \
		'[ "$(q "select(.type==\"case\" and $L) | .points" | tail -1)" -lt 40 ]'
else
	echo "note: this kernel has no fail-nth-module: the whole load was swept"
	ok "module scope off is noted" 'q "select(.type==\"note\") | .text" | grep -q "module scope: off"'
fi

# Without module scope: the unpatched build of the same tree (make
# kernel-stock) sweeps the whole load, and must find the same five bugs.
stock=$(vm_kernel --no-patches)/arch/x86/boot/bzImage
if [ -f "$stock" ]; then
	mkdir -p "$out/s"
	start=$(date +%s)
	"$fs" module --vm --kernel "$stock" -q --faults slab --timeout 60 --out "$out/s" \
		"$mods/fs_planted.ko" > "$out/s/stdout" 2>&1
	rc=$?
	echo "module sweep on the stock kernel: $(( $(date +%s) - start )) s, exit $rc"
	js="$out/s/journal.jsonl"
	qs() { jq -r "$1" "$js" 2>/dev/null; }
	ok "stock kernel: module scope off is noted" \
		'qs "select(.type==\"note\") | .text" | grep -q "module scope: off"'
	ok "stock kernel: the wrong errno found" \
		'[ -n "$(qs "select(.type==\"step\" and $L and any(.findings[]; .kind==\"unexpected-errno\")) | .nth" | head -1)" ]'
	for t in "memory leak" "KASAN: slab-use-after-free" "KASAN: double-free" "NULL pointer dereference"; do
		ok "stock kernel: '$t' found" \
			'[ -n "$(qs "select(.type==\"report\" and $L and (.title|test(\"$t\"))) | .nth" | head -1)" ]'
	done
	ok "stock kernel: the whole load was swept (more than 100 points)" \
		'[ "$(qs "select(.type==\"case\" and $L) | .points" | tail -1)" -gt 100 ]'
else
	echo "FAIL: no unpatched build ($stock): make kernel-stock"; fail=$((fail+1))
fi

# Corpus scenarios: the clean build finds nothing; an unset variable is CONF.
cat > "$out/c/corpus" <<EOC
scenario clean
    module $mods/fs_planted_clean.ko
scenario elsewhere
    module \${FS_NOT_SET_ANYWHERE}/mod.ko
EOC
"$fs" run --vm -q --faults slab --timeout 60 --out "$out/c" --corpus "$out/c/corpus" \
	> "$out/c/stdout" 2>&1
rc=$?
j="$out/c/journal.jsonl"
tail -4 "$out/c/stdout"
ok "clean module: exit 0 (got $rc)" '[ "$rc" = 0 ]'
ok "clean module: load case PASS" '[ "$(q "select(.type==\"case\" and .case==\"clean_load\") | .verdict")" = PASS ]'
ok "clean module: unload case PASS" '[ "$(q "select(.type==\"case\" and .case==\"clean_unload\") | .verdict")" = PASS ]'
ok "clean module: the load was swept (fired steps)" \
	'[ "$(q "select(.type==\"step\" and .case==\"clean_load\" and .fired) | .nth" | wc -l)" -ge 3 ]'
ok "unset variable: scenario CONF with the reason" \
	'q "select(.type==\"case\" and .case==\"elsewhere\") | .reason" | grep -q "FS_NOT_SET_ANYWHERE is not set"'
vm_done
