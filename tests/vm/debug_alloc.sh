#!/bin/bash
# Debugging bookkeeping is no fault point (kernel/patches/0002, 0004-0006).
# Two boots, kmemleak on and kmemleak=off, each sweeping socketpair and
# memfd_create twice with slab faults only and twice with slab and page
# faults:
# * slab faults: every sweep, kmemleak on or off, has the same points per
#   case (before 0002, kmemleak's metadata doubled socketpair's: 17 vs 9);
# * slab and page faults, kmemleak on: no fired step faults inside kmemleak
#   or stack depot (before 0006: kmemleak's slab pages, 3 to 8 steps in 12
#   sweeps). Their point counts are not compared: a new slab page for the
#   caller's own cache is a real point that comes and goes between sweeps,
#   with kmemleak off too.
#
# usage: debug_alloc.sh FAULTSWEEP OUTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out
vm_fresh_out
cases="socketpair_unix_stream memfd_create"
for mode in on off; do
	app=(); [ $mode = off ] && app=(--append kmemleak=off)
	"$fs" vm -q --timeout 1200 --out "$out/$mode" "${app[@]}" -- bash -c '
		for i in 1 2; do
			for f in slab slab,page; do
				# Exit 1 is a finding (socketpair returns ENFILE when
				# sock_alloc() fails), not a failure of the sweep.
				"$0" run -q -j 1 --timeout 60 --faults $f --no-kmemleak \
					--out "$1/$f-$i" '"$cases"' > "$1/$f-$i.stdout" 2>&1
				[ $? -le 1 ] || exit 1
			done
		done' "$fs" "$out/$mode"
	rc=$?
	ok "the sweeps with kmemleak $mode ran (exit $rc)" '[ $rc = 0 ]'
done
points() { jq -r 'select(.type=="case") | "\(.case)=\(.points)"' "$1" 2>/dev/null | sort | tr '\n' ' '; }
ref=$(points "$out/off/slab-1/journal.jsonl")
echo "slab faults, kmemleak off: $ref"
for mode in on off; do
	for i in 1 2; do
		p=$(points "$out/$mode/slab-$i/journal.jsonl")
		ok "slab faults, kmemleak $mode, sweep $i: the kmemleak-off points ($p)" \
			'[ -n "$ref" ] && [ "$p" = "$ref" ]'
	done
	echo "slab and page faults, kmemleak $mode: $(points "$out/$mode/slab,page-1/journal.jsonl")" \
		"/ $(points "$out/$mode/slab,page-2/journal.jsonl")"
done
nsites=$(cat "$out"/on/slab,page-*/journal.jsonl | jq -r 'select(.type=="site") | .site' | wc -l)
bad=$(cat "$out"/on/slab,page-*/journal.jsonl | jq -r 'select(.type=="site") | .frames | join(" ")' |
	grep -cE "stack_depot|kmemleak|__alloc_object|create_object")
ok "no fired step faulted in kmemleak or stack depot ($bad of $nsites)" '[ "$nsites" -gt 0 ] && [ "$bad" = 0 ]'
ok "the run says the kernel excludes debugging allocations" \
	'grep -q "debug allocations excluded yes" "$out/on/slab-1/summary.txt"'
vm_done
