#!/bin/bash
# Installs what a fresh Debian 12 machine lacks to build faultsweep, build the
# test kernel and boot it. Idempotent and quiet when everything is there.
set -euo pipefail

PKGS=(build-essential cmake pkg-config git
      libseccomp-dev libunwind-dev libxml2-dev libxml2-utils libdw-dev libelf-dev libjansson-dev
      qemu-system-x86 lcov
      linux-source-6.12 flex bison bc libssl-dev cpio xz-utils kmod rsync dwarves
      iproute2 jq)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
	echo "faultsweep: missing packages: ${missing[*]}" >&2
	echo "faultsweep: install them as root: apt-get install ${missing[*]}" >&2
	exit 4
fi
echo "faultsweep: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
