#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh OUT.cpio.gz STAGING_DIR FILE:DEST...
# Builds the test VM's initramfs: busybox, /init, and each FILE at DEST.
# Dynamically linked files bring their shared libraries (and the loader).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1 root=$2
shift 2
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,etc,lib64,usr/lib}
cp /bin/busybox "$root/bin/busybox"
install -m 0755 "$here/init.sh" "$root/init"

add() { # add SRC DEST, with the libraries a dynamic ELF needs
	install -D -m "$(stat -c %a "$1")" "$1" "$root$2"
	if ldd "$1" >/dev/null 2>&1; then
		ldd "$1" | grep -o '/[^ ]*' | while read -r lib; do
			[ -e "$root$lib" ] || install -D -m 0755 "$lib" "$root$lib"
		done
	fi
}
for spec in "$@"; do
	add "${spec%%:*}" "${spec#*:}"
done
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$out"
