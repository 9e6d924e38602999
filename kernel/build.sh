#!/bin/bash
# Builds the faultsweep test kernel (bzImage, vmlinux, modules) from Debian's
# linux-source-6.12 or a tree of your own, cached outside the repo.
#
# usage: build.sh [--src DIR] [--config FILE] [--no-patches] [--lookup] [--jobs N]
#   --src DIR      build this kernel tree (out of tree, O=cache dir; the tree
#                  is not modified and kernel/patches are not applied to it)
#   --config FILE  merge the fragment onto FILE instead of tinyconfig
#   --no-patches   the Debian source without kernel/patches (a stock kernel
#                  with the same fragment, to test the fallbacks)
#   --lookup       print the cached build directory, build nothing (exit 4 if
#                  there is none)
# The last line on stdout is the kernel build directory. Exit codes: 0 ok,
# 2 usage, 4 missing source/tools or failed build (see docs/exit-codes.md).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
fragment="$here/faultsweep.config"
patchdir="$here/patches"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/faultsweep"
pkg=linux-source-6.12
tarball=/usr/src/linux-source-6.12.tar.xz
# Bump when this script changes what it produces, so old caches are not reused.
recipe=3

src="" config="" lookup=0 printkey=0 nopatches=0 jobs="$(nproc)"
die() { echo "faultsweep kernel: $1" >&2; exit "${2:-4}"; }
usage() { sed -n '4,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

while [ $# -gt 0 ]; do
	case "$1" in
	--src) [ $# -ge 2 ] || usage; src="$2"; shift 2 ;;
	--config) [ $# -ge 2 ] || usage; config="$2"; shift 2 ;;
	--no-patches) nopatches=1; shift ;;
	--lookup) lookup=1; shift ;;
	--key) printkey=1; shift ;;
	--jobs|-j) [ $# -ge 2 ] || usage; jobs="$2"; shift 2 ;;
	-h|--help) usage ;;
	*) echo "faultsweep kernel: unknown option '$1'" >&2; usage ;;
	esac
done

[ -n "$config" ] && { [ -f "$config" ] || die "--config $config: no such file" 2; config="$(realpath "$config")"; }
[ -n "$src" ] && { [ -f "$src/Makefile" ] && [ -d "$src/kernel" ] || die "--src $src: not a kernel tree (no Makefile and kernel/)" 2; src="$(realpath "$src")"; }

hash_files() { [ $# -eq 0 ] && { echo none; return; }; cat "$@" | sha256sum | cut -c1-16; }
patches=()
[ -n "$src" ] && [ "$nopatches" = 1 ] && die "--no-patches is for the Debian source (--src trees are never patched)" 2
if [ -d "$patchdir" ] && [ "$nopatches" = 0 ]; then
	while IFS= read -r p; do patches+=("$p"); done < <(find "$patchdir" -maxdepth 1 -name '*.patch' | sort)
fi

# The key names everything that changes the result: source, fragment, base
# config, patches and this recipe.
if [ -z "$src" ]; then
	if [ ! -f "$tarball" ]; then
		[ "$lookup" = 1 ] && die "no test kernel built yet: run 'make kernel' (or 'faultsweep kernel build')"
		if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
			echo "faultsweep kernel: installing $pkg" >&2
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >&2 ||
				die "could not install $pkg: run 'apt-get update && apt-get install $pkg' as root"
		else
			die "kernel source missing: install it with 'apt-get install $pkg' as root, or pass --src DIR"
		fi
	fi
	srcver="$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || stat -c %s-%Y "$tarball")"
	srcid="debian:$pkg:$srcver:patches=$(hash_files ${patches[@]+"${patches[@]}"})"
else
	srcid="tree:$src"
fi
key="$( { echo "$srcid"; echo "recipe=$recipe"; cat "$fragment"; echo "base:"; [ -n "$config" ] && cat "$config" || echo tinyconfig; } | sha256sum | cut -c1-16)"
out="$cache/kernel/$key"

if [ "$printkey" = 1 ]; then
	echo "$key $srcid"
	exit 0
fi

have_build() { [ -f "$out/.faultsweep-done" ] && [ -f "$out/arch/x86/boot/bzImage" ]; }

if [ "$lookup" = 1 ]; then
	have_build || die "no test kernel built yet for this source and fragment: run 'make kernel' (or 'faultsweep kernel build')"
	echo "$out"
	exit 0
fi
# A tree of your own may have changed since the last build: always let make
# decide (seconds when nothing changed). The Debian source cannot change
# under a given key, so a finished build is reused as it is.
if [ -z "$src" ] && have_build; then
	echo "faultsweep kernel: cached build $key (source $srcid)" >&2
	echo "$out"
	exit 0
fi

for tool in make gcc flex bison bc; do
	command -v "$tool" >/dev/null || die "'$tool' not found: run 'make setup' (apt-get install build-essential flex bison bc libelf-dev libssl-dev)"
done

mkdir -p "$cache/kernel" "$cache/src"
exec 9>"$cache/kernel/.lock"
flock 9

if [ -z "$src" ]; then
	srckey="$(echo "$srcid" | sha256sum | cut -c1-16)"
	src="$cache/src/$srckey/$pkg"
	if [ ! -f "$cache/src/$srckey/.faultsweep-extracted" ]; then
		echo "faultsweep kernel: extracting $tarball" >&2
		rm -rf "$cache/src/$srckey.tmp" "$cache/src/$srckey"
		mkdir -p "$cache/src/$srckey.tmp"
		tar -xf "$tarball" -C "$cache/src/$srckey.tmp"
		for p in ${patches[@]+"${patches[@]}"}; do
			echo "faultsweep kernel: applying $(basename "$p")" >&2
			patch -d "$cache/src/$srckey.tmp/$pkg" -p1 --quiet --forward < "$p" >&2 ||
				die "patch $(basename "$p") does not apply to $pkg $srcver"
		done
		touch "$cache/src/$srckey.tmp/.faultsweep-extracted"
		mv "$cache/src/$srckey.tmp" "$cache/src/$srckey"
	fi
fi

# A new fragment or config on the same source: start from the newest finished
# build of that source, so make rebuilds what changed instead of everything.
if [ ! -f "$out/.config" ]; then
	seed=""
	for d in $(ls -td "$cache"/kernel/*/ 2>/dev/null); do
		d="${d%/}"
		[ "$d" != "$out" ] && [ -f "$d/.faultsweep-done" ] &&
			[ "$(cat "$d/.faultsweep-source" 2>/dev/null)" = "$srcid" ] && { seed="$d"; break; }
	done
	if [ -n "$seed" ]; then
		echo "faultsweep kernel: starting from the build in $seed (incremental)" >&2
		mkdir -p "$out.tmp"
		cp -a "$seed/." "$out.tmp/"
		rm -f "$out.tmp/.faultsweep-done"
		rm -rf "$out"
		mv "$out.tmp" "$out"
	fi
fi
mkdir -p "$out"
log="$out/build.log"
: > "$log"
run() { "$@" >>"$log" 2>&1 || { tail -n 30 "$log" >&2; die "failed: $* (full log: $log)"; }; }

echo "faultsweep kernel: configuring in $out" >&2
if [ -n "$config" ]; then
	cp "$config" "$out/.config"
	run make -C "$src" O="$out" olddefconfig
else
	run make -C "$src" O="$out" tinyconfig
fi
run "$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$fragment"
run make -C "$src" O="$out" olddefconfig

# Every option of the fragment must have survived olddefconfig.
missing=""
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) grep -qxF "$line" "$out/.config" || missing="$missing ${line}" ;;
	"# CONFIG_"*" is not set")
		opt="${line#\# }"; opt="${opt%% *}"
		grep -q "^$opt=" "$out/.config" && missing="$missing $opt=n" ;;
	esac
done < "$fragment"
[ -z "$missing" ] || die "these fragment options did not stick (missing dependency in this tree?):$missing"

echo "faultsweep kernel: building bzImage, vmlinux and modules with -j$jobs (log: $log)" >&2
start=$(date +%s)
run make -C "$src" O="$out" -j"$jobs" bzImage modules
echo "faultsweep kernel: built in $(( $(date +%s) - start )) s" >&2
echo "$srcid" > "$out/.faultsweep-source"
touch "$out/.faultsweep-done"
echo "$out"
