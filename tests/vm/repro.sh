#!/bin/bash
# Reproducers end to end (docs/bisect.md): from a planted_write sweep's
# journal, `faultsweep report` writes a reproducer per finding; each .sh,
# run with --vm in a fresh test-kernel VM, must say 1 (bug) with the buggy
# fs_planted.ko and 0 (no bug) with fs_planted_clean.ko, which makes the same
# allocations with correct error paths; an N beyond the sweep must say 125.
# Nothing is canned: every verdict comes from a kernel that ran the step.
#
# usage: repro.sh FAULTSWEEP OUTDIR MODULES_DIR [JOURNAL]
# JOURNAL: vm_planted's planted_write journal, used when it is newer than
# FAULTSWEEP; otherwise this test sweeps planted_write itself (one boot).
# FS_REPRO_VM_ARGS (say --no-kvm) goes to every `faultsweep vm` here.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out mods journal=
vm_fresh_out
vm_need_kernel
bad="$mods/fs_planted.ko" good="$mods/fs_planted_clean.ko"
[ -f "$bad" ] && [ -f "$good" ] || { echo "no planted modules in $mods"; exit 1; }
t0=$SECONDS

if [ -n "$journal" ] && [ -f "$journal" ] && [ "$journal" -nt "$fs" ]; then
	echo "using vm_planted's journal $journal"
	grep '"case":"planted_write"' "$journal" > "$out/journal.jsonl"
	grep '"type":"run"' "$journal" >> "$out/journal.jsonl"
else
	echo "sweeping planted_write"
	# shellcheck disable=SC2086
	"$fs" vm -q --timeout 1200 ${FS_REPRO_VM_ARGS:-} --out "$out" --env "FS_PLANTED_KO=$bad" -- \
		"$fs" run -q -j 1 --timeout 60 --faults slab --out "$out" planted_write > "$out/sweep.log" 2>&1
	tail -5 "$out/sweep.log"
fi
j="$out/journal.jsonl"
echo "journal ready after $((SECONDS - t0)) s"

"$fs" report --out "$out/report" "$j" > "$out/report.log" 2>&1
rc=$?
ok "faultsweep report succeeds ($(tail -1 "$out/report.log"))" '[ $rc = 0 ]'
mapfile -t scripts < <(ls "$out"/report/repro/planted_write-n*.sh 2>/dev/null)
ok "reproducers written for planted_write (${#scripts[@]})" '[ ${#scripts[@]} -ge 3 ]'
titles=$(jq -r 'select(.case=="planted_write" and ((.type=="step" and .verdict=="FAIL") or .type=="report") and .nth > 0)
	| if .type=="step" then .findings[].title else .title end' "$j" 2>/dev/null | sort -u)
echo "finding titles in the journal:"; printf '  %s\n' "$titles"

# One reproducer per finding title: with the same title twice, only the first N.
run() { # script ko [env...] -> prints status
	local s=$1 ko=$2 st t=$SECONDS
	shift 2
	env FS_PLANTED_KO="$ko" "$@" "$s" --vm "$bz" > "$s.$(basename "$ko").log" 2>&1
	st=$?
	echo "  $(basename "$s") with $(basename "$ko") $*: $st in $((SECONDS - t)) s: $(grep 'verdict' "$s.$(basename "$ko").log" | tail -1)" >&2
	echo "$st"
}
for s in "${scripts[@]}"; do
	st=$(run "$s" "$bad")
	ok "$(basename "$s") on the buggy module says 1 (got $st)" '[ "$st" = 1 ]'
	st=$(run "$s" "$good")
	ok "$(basename "$s") on the fixed module says 0 (got $st)" '[ "$st" = 0 ]'
done
if [ ${#scripts[@]} -gt 0 ]; then
	st=$(run "${scripts[0]}" "$bad" FS_REPRO_NTH=100000)
	ok "N=100000, beyond the sweep, says 125 (got $st)" '[ "$st" = 125 ]'
fi
vm_done "in $((SECONDS - t0)) s"
