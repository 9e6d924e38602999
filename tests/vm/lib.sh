# What every VM suite shares (tests/vm/*.sh source it, with no arguments,
# as their first line): the arguments, a fresh output directory, the
# cached test kernel, the ok() counters and the summary line that is the
# suite's exit status.
#
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#   vm_args fs out mods          # the suite's arguments, by name
#   vm_fresh_out w l             # empty $out, with $out/w and $out/l
#   j="$out/w/journal.jsonl"     # what q() reads
#   ok "what it checks" '[ test ]'
#   vm_done                      # "N passed, N failed"; fails if one did
set -u

# Sourced without arguments, this file sees the suite's own.
vm_argv=("$@")
pass=0 fail=0

# vm_args NAME... - the suite's arguments into these variables, in order;
# NAME=DEFAULT for one that may be left out. Exit 2 with a usage line when
# one without a default is missing.
vm_args() {
	local i=0 spec name
	for spec; do
		name=${spec%%=*}
		if [ $i -lt ${#vm_argv[@]} ]; then
			printf -v "$name" '%s' "${vm_argv[i]}"
		elif [ "$spec" != "$name" ]; then
			printf -v "$name" '%s' "${spec#*=}"
		else
			echo "usage: ${0##*/} $*" >&2
			exit 2
		fi
		i=$((i + 1))
	done
}

# vm_fresh_out [DIR...] - $out emptied, with these subdirectories.
vm_fresh_out() {
	local d
	rm -rf "$out"
	mkdir -p "$out"
	for d; do mkdir -p "$out/$d"; done
}

# ok WHAT TEST - count TEST (evaluated) as passed, or print WHAT as failed.
ok() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }

# q FILTER - jq -r FILTER on the journal $j.
q() { jq -r "$1" "$j" 2>/dev/null; }

# vm_done [TEXT] - the summary line (TEXT after it); its status is the suite's.
vm_done() {
	echo "$pass passed, $fail failed${1:+ $1}"
	[ "$fail" = 0 ]
}

# vm_kernel [--no-patches] - the cached test kernel's build directory, or
# nothing when none is built.
vm_kernel() { "$fs" kernel path "$@" 2>/dev/null | tail -1; }

# vm_need_kernel [--no-patches] - $kdir and $bz (its bzImage) of the
# cached test kernel, or exit 1 saying how to build it.
vm_need_kernel() {
	kdir=$(vm_kernel "$@")
	bz=$kdir/arch/x86/boot/bzImage
	[ -n "$kdir" ] && [ -f "$bz" ] ||
		{ echo "no test kernel built ('make kernel' or 'faultsweep kernel build $*')"; exit 1; }
}

# The coverage map of tests/modules/planted's sweep (coverage.sh, failnth_site.sh).

# cq FILTER - jq -r FILTER on the coverage map $cov (coverage.json).
cq() { jq -r "$1" "$cov" 2>/dev/null; }

# planted_line PATTERN - the first line of $mods/planted.c matching PATTERN.
planted_line() { grep -n "$1" "$mods/planted.c" | head -1 | cut -d: -f1; }

# planted_site LINE FILTER - FILTER on the coverage map's fs_planted site at planted.c:LINE.
planted_site() { cq ".sites[] | select(.module==\"fs_planted\" and .line==$1) | $2" | head -1; }

# planted_alloc_sites SITES - whether every "function file line" of SITES
# is planted_write at a line of planted.c that allocates; the others are printed.
planted_alloc_sites() {
	local fn file line src bad=0
	while read -r fn file line; do
		[ -n "$fn" ] || continue
		src=$(sed -n "${line}p" "$file" 2>/dev/null)
		case "$fn:$file:$src" in
		planted_write:*/planted.c:*k*alloc*|planted_write:*/planted.c:*kstrdup*|planted_write:*/planted.c:*kmemdup*) ;;
		*) echo "not an allocation line: $fn $file:$line: $src"; bad=1 ;;
		esac
	done <<< "$1"
	[ $bad = 0 ]
}
