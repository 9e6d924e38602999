#!/bin/bash
# The kernel patch's site record against the stock dumps (issue 6): on the
# patched kernel, sweep the same cases twice in one boot, once with sites
# from fail-nth-site and once with --fault-dumps (the FAULT_INJECTION stack
# dumps of verbose=2). With slab faults only the points come in the same
# order every sweep, so step N of one sweep is step N of the other: wherever
# a dump exists, its allocation site must be the fail-nth-site record's.
# Dump-derived records carry no raw addresses (a dump shows none).
#
# usage: site_match.sh FAULTSWEEP OUTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out
vm_fresh_out
cases="socketpair_unix_stream pipe2 memfd_create"

"$fs" vm -q --timeout 900 --out "$out" -- bash -c '
	for mode in patch dumps; do
		extra=; [ $mode = dumps ] && extra=--fault-dumps
		"$0" run -q -j 1 --timeout 60 --faults slab --no-kmemleak --no-report $extra \
			--out "$1/$mode" '"$cases"' > "$1/$mode.log" 2>&1
	done; true' "$fs" "$out"
rc=$?
ok "the VM ran both sweeps (exit $rc)" '[ "$rc" = 0 ]'
fn() { jq -r "select(.type==\"site\" and .attribution==\"$2\" and .site!=\"\") |
	\"\(.case) \(.nth) \(.site | sub(\"[+].*\"; \"\"))\"" "$out/$1/journal.jsonl" 2>/dev/null | sort -u; }
fn patch patch > "$out/patch.sites"
jq -r 'select(.type=="site" and .attribution!="patch" and .site!="") |
	"\(.case) \(.nth) \(.site | sub("[+].*"; ""))"' "$out/dumps/journal.jsonl" 2>/dev/null |
	sort -u > "$out/dumps.sites"
np=$(wc -l < "$out/patch.sites") nd=$(wc -l < "$out/dumps.sites")
echo "sites: $np from fail-nth-site, $nd from dumps"
ok "the patched sweep has a site for every fired step" \
	'[ "$np" -gt 0 ] && [ "$np" = "$(jq -r "select(.type==\"step\" and .fired==true) | .nth" "$out/patch/journal.jsonl" | wc -l)" ]'
ok "the dumps gave sites to compare ($nd)" '[ "$nd" -ge 5 ]'
missing=$(comm -13 "$out/patch.sites" "$out/dumps.sites")
ok "every dump's site is the patch's at the same (case, N)${missing:+: differs at $missing}" \
	'[ -z "$missing" ]'
ok "dump-derived site records carry no raw addresses" \
	'[ -z "$(jq -r "select(.type==\"site\" and .attribution!=\"patch\" and has(\"addrs\")) | .nth" "$out/dumps/journal.jsonl")" ]'
vm_done
