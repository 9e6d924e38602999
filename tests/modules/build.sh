#!/bin/bash
# Builds the planted-bug modules (fs_planted.ko, fs_planted_clean.ko) against
# a kernel build directory, in a copy of the sources under OUTDIR.
#
# usage: build.sh KDIR OUTDIR
# Exit codes: 0 ok, 2 usage, 4 KDIR is not a usable kernel build (no
# Module.symvers) or the build failed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
die() { echo "faultsweep modules: $1" >&2; exit "${2:-4}"; }

[ $# -eq 2 ] || { sed -n '5p' "$0" | sed 's/^# //' >&2; exit 2; }
kdir="$1" out="$2"
[ -n "$kdir" ] || die "empty KDIR: build the test kernel first ('make kernel')"
[ -f "$kdir/Module.symvers" ] ||
	die "$kdir has no Module.symvers: not a built kernel tree (build it with 'make kernel', modules included)"

mkdir -p "$out"
# -p keeps the mtimes, so make rebuilds only when a source changed.
cp -p "$here"/planted/planted.c "$here"/planted/planted_clean.c \
	"$here"/planted/Kbuild "$here"/planted/Makefile "$out"/
make -C "$out" KDIR="$(realpath "$kdir")" >&2 || die "module build failed in $out"
for m in fs_planted fs_planted_clean; do
	[ -f "$out/$m.ko" ] || die "$out/$m.ko was not built"
done
echo "$out"
