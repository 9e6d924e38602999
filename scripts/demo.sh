#!/bin/bash
# `make demo`: sweep the default corpus inside the test kernel and say where
# the results are.
set -u
fs="$1"
out="${OUT:-out}"
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
