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
cargo build --release --quiet --manifest-path "$top/userspace/Cargo.toml"
rel=$top/userspace/target/release
files=("$top/daos.ko:/daos.ko" "$rel/libdaos.so:/usr/lib/libdaos.so.0" "$rel/daos:/bin/daos")
for src in "$top"/examples/*.c; do
	name=$(basename "$src" .c)
	gcc -O2 -Wall -Werror -I"$top/userspace/libdaos/include" -o "$out/bin/$name" "$src" -L"$rel" -ldaos
	files+=("$out/bin/$name:/examples/$name")
done
boot demo "$out" "${files[@]}"
