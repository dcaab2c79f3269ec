#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot the VM with daos.ko and run every program of examples/
# against libdaos.so, with the console on this terminal.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/vm-lib.sh"
out=$top/build/demo
mkdir -p "$out/bin"
kernel_env debug
build_module n
"$top/scripts/build-userspace.sh"
lib=$top/build/lib
files=("$top/daos.ko:/daos.ko" "$lib/libdaos.so.0:/usr/lib/libdaos.so.0" "$top/build/bin/daos:/bin/daos")
for src in "$top"/examples/*.c; do
	name=$(basename "$src" .c)
	gcc -O2 -Wall -Werror -I"$top/userspace/libdaos/include" -I"$top/include/uapi" -o "$out/bin/$name" "$src" -L"$lib" -ldaos
	files+=("$out/bin/$name:/examples/$name")
done
boot demo "$out" "${files[@]}"
