#!/bin/bash
# `make demo`: sweep the default corpus inside the test kernel and say where
# the results are.
set -u
fs="$1"
out="${OUT:-out}"
# The default corpus's module scenario sweeps tests/modules' clean module.
here="$(cd "$(dirname "$0")/.." && pwd)"
kdir=$("$fs" kernel path 2>/dev/null | tail -1)
mods="$(cd "$(dirname "$fs")" && pwd)/tests/modules"
if [ -n "$kdir" ] && bash "$here/tests/modules/build.sh" "$kdir" "$mods" > /dev/null 2>&1; then
	export FS_PLANTED_CLEAN_KO="$mods/fs_planted_clean.ko"
else
	echo "faultsweep demo: the test modules did not build: the module scenario will be CONF"
fi
echo "faultsweep demo: sweeping the default corpus (corpus/default) inside the test kernel"
"$fs" run --vm --out "$out"
rc=$?
echo
case $rc in
0|1|5) echo "faultsweep demo: done (exit $rc: docs/exit-codes.md)" ;;
*) echo "faultsweep demo: the run did not complete (exit $rc: docs/exit-codes.md)"; exit $rc ;;
esac
echo "  summary (findings, first N, reproducers): $out/summary.txt"
echo "  journal (one JSON record per case and N): $out/journal.jsonl"
echo "  JUnit for Jenkins:                        $out/junit.xml"
echo "  reproducers (git bisect run):             $out/repro/"
echo "  coverage map of faulted sites:            $out/coverage/ (run --coverage to fill it)"
echo "  kernel console of the VM:                 $out/console.log"
echo "  re-make them from the journal:            $fs report $out/journal.jsonl"
