#!/bin/bash
# `make bench` (inside one VM boot): steps/s of the socketpair sweep by
# (a) the bare in-process fail-nth loop, (b) fork per N, (c) faultsweep run -j1,
# (d) faultsweep run -j2, each for >= 10 s, and the ratios c/a and d/a.
# Targets (docs/architecture.md): c/a >= 0.8, d/a >= 1.6 on 2 vCPUs.
set -eu
fs="$1" loop="$2" secs="${3:-10}"
knob=/sys/kernel/debug/failslab
old_wait=$(cat $knob/ignore-gfp-wait) old_verbose=$(cat $knob/verbose)
restore() { echo "$old_wait" > $knob/ignore-gfp-wait; echo "$old_verbose" > $knob/verbose; }
trap restore EXIT
# Same knobs as faultsweep run sets, so (a)/(b) sweep the same points.
echo N > $knob/ignore-gfp-wait
echo 0 > $knob/verbose
for f in ignore-gfp-wait ignore-gfp-highmem; do echo N > /sys/kernel/debug/fail_page_alloc/$f; done
echo 0 > /sys/kernel/debug/fail_page_alloc/min-order
echo 0 > /sys/kernel/debug/fail_page_alloc/verbose

rate() { sed -n 's/.*rate \([0-9.]*\).*/\1/p'; }
a=$("$loop" inproc "$secs" | rate)
b=$("$loop" fork "$secs" | rate)
runrate() {
	# kmemleak scans (every K cases) are left out: they are not per-step work.
	"$fs" run -q -j "$1" --no-kmemleak --duration "$secs" --out /tmp/bench-j$1 socketpair_unix_stream |
		sed -n 's/.* \([0-9.]*\) steps\/s$/\1/p'
}
c=$(runrate 1)
d=$(runrate 2)
printf 'bench: socketpair_unix_stream sweep, %s s each, %s vCPUs\n' "$secs" "$(nproc)"
printf 'bench: (a) in-process fail-nth loop  %8.1f steps/s\n' "$a"
printf 'bench: (b) fork per N                %8.1f steps/s\n' "$b"
printf 'bench: (c) faultsweep run -j1        %8.1f steps/s\n' "$c"
printf 'bench: (d) faultsweep run -j2        %8.1f steps/s\n' "$d"
printf 'bench: b/a = %.2f  c/a = %.2f (target >= 0.8)  d/a = %.2f (target >= 1.6)\n' \
	"$(echo "$b / $a" | bc -l)" "$(echo "$c / $a" | bc -l)" "$(echo "$d / $a" | bc -l)"
