#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot the VM with daos.ko and run every program of examples/
# against libdaos.so, with the console on this terminal.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/demo
mkdir -p "$out/bin"
eval "$("$top/scripts/build-kernel.sh" debug)"
export LIBCLANG_PATH
make -s -C "$KDIR" M="$top" BINDGEN="$BINDGEN" modules
cargo build --release --quiet --manifest-path "$top/userspace/Cargo.toml"
rel=$top/userspace/target/release
files=("$top/daos.ko:/daos.ko" "$rel/libdaos.so:/usr/lib/libdaos.so.0" "$rel/daos:/bin/daos")
for src in "$top"/examples/*.c; do
	name=$(basename "$src" .c)
	gcc -O2 -Wall -Werror -I"$top/userspace/libdaos/include" -o "$out/bin/$name" "$src" -L"$rel" -ldaos
	files+=("$out/bin/$name:/examples/$name")
done
"$top/tests/vm/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$out/root" "${files[@]}"
"$top/tests/vm/run-vm.sh" demo "$KDIR/arch/x86/boot/bzImage" "$out/initramfs.cpio.gz" "$out"
