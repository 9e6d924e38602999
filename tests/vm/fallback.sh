#!/bin/bash
# The fallbacks on a stock kernel: the unpatched build of the same source and
# fragment (faultsweep kernel build --no-patches; make kernel builds it) has
# no fail-nth-site, fail-nth-module or debug-allocation exclusion. A short
# socketpair sweep with --coverage must still work, say so in its features
# note, and take its sites from the FAULT_INJECTION dumps (never "patch").
#
# usage: fallback.sh FAULTSWEEP OUTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs out
vm_fresh_out
vm_need_kernel --no-patches

"$fs" vm -q --timeout 1200 --kernel "$bz" --out "$out" -- \
	"$fs" run -q -j 1 --timeout 60 --coverage --no-kmemleak --out "$out" socketpair_unix_stream \
	> "$out/stdout" 2>&1
rc=$?
tail -5 "$out/stdout"
j="$out/journal.jsonl"
# Exit 1 is a finding: socketpair returns ENFILE when sock_alloc() fails.
ok "the sweep ran on the stock kernel (exit 0 or 1, got $rc)" '[ $rc -le 1 ]'
ok "it is a kernel without the patches ($(q 'select(.type=="note") | .text' | grep features))" \
	'q "select(.type==\"note\") | .text" | grep -qx "kernel features: fail-nth-site no, fail-nth-module no, debug allocations excluded no"'
ok "the sites come from the dumps" '[ "$(q "select(.type==\"run\") | .site_source")" = dumps ]'
points=$(q 'select(.type=="case" and .case=="socketpair_unix_stream") | .points')
verdict=$(q 'select(.type=="case" and .case=="socketpair_unix_stream") | .verdict')
ok "socketpair_unix_stream swept: $verdict (PASS or FAIL, not BROK) with $points points" \
	'[[ "$verdict" == PASS || "$verdict" == FAIL ]] && [ "${points:-0}" -gt 0 ]'
nfired=$(q 'select(.type=="step" and .fired==true) | .nth' | wc -l)
ok "faults fired ($nfired steps)" '[ "$nfired" -gt 0 ]'
nsites=$(q 'select(.type=="site") | .attribution' | wc -l)
npatch=$(q 'select(.type=="site" and .attribution=="patch") | .attribution' | wc -l)
echo "site records from dumps: $nsites"
ok "no site record claims the patch ($npatch)" '[ "$npatch" = 0 ]'
ok "the summary names the missing features" \
	'grep -q "^Note: kernel features: fail-nth-site no" "$out/summary.txt"'
vm_done
