#!/bin/bash
# Module-scoped fail-nth (kernel/patches/0003-fault-inject-scope-fail-nth-to-a-module-by-name.patch)
# on the test kernel: the fail-nth-module interface, and a sweep of
# finit_module(2) of the planted module (its clean build, so that its error
# paths report nothing) scoped to it, whose N=1 must be the first allocation
# of the module's init — unscoped, the module loader's points come first.
# The checks are in tests/vm/module_scope.c; this boots the kernel for it.
#
# usage: module_scope.sh FAULTSWEEP MODULE_SCOPE_BIN OUTDIR MODULES_DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_args fs bin out mods
vm_fresh_out
ko="$mods/fs_planted_clean.ko"
[ -f "$ko" ] || { echo "no $ko (the planted_modules target)"; exit 1; }
"$fs" vm -q --timeout 1200 --out "$out" -- "$bin" "$ko" fs_planted_clean planted_init \
	> "$out/stdout" 2>&1
rc=$?
cat "$out/stdout"
grep -q "^FAIL" "$out/stdout" && rc=1
[ "$(grep -c '^ok' "$out/stdout")" -ge 20 ] || { echo "FAIL: fewer checks ran than expected"; rc=1; }
exit $rc
