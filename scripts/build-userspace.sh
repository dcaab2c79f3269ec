#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-userspace.sh: libdaos and the daos tool, into build/lib and build/bin:
#   build/lib/libdaos.a                the static library: one object whose
#                                      only global symbols are the API's
#                                      (daos_*), so that the Rust runtime
#                                      inside cannot clash with another Rust
#                                      static library in the same program;
#   build/lib/libdaos.so.VERSION       the shared library, its API symbols
#     (with libdaos.so.0, libdaos.so)  versioned by libdaos.map (rustc's own
#                                      cdylib cannot carry a version script);
#   build/bin/daos                     the tool, linked to libdaos.so.0.
# Needs LIBCLANG_PATH (bootstrap.sh prints it).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
ws=$top/userspace
lib=$top/build/lib
bin=$top/build/bin
version=$("$top/scripts/version.sh")
mkdir -p "$lib" "$bin"

# The workspace's default members: the ABI crate, the pure core, libdaos.
cargo build --release --quiet --manifest-path "$ws/Cargo.toml"
rel=$ws/target/release

ld -r --whole-archive "$rel/libdaos.a" -o "$lib/libdaos.o"
# Rust's embedded LLVM bitcode is of no use to a C toolchain (and an old
# LLVM linker plugin chokes on it); the debug info is the Rust standard
# library's (the release profile has none of ours).
objcopy --wildcard --keep-global-symbol='daos_*' --strip-debug \
	--remove-section=.llvmbc --remove-section=.llvmcmd "$lib/libdaos.o"
rm -f "$lib/libdaos.a"
ar rcs "$lib/libdaos.a" "$lib/libdaos.o"
rm -f "$lib/libdaos.o"

cc -shared -o "$lib/libdaos.so.$version" \
	-Wl,--whole-archive "$lib/libdaos.a" -Wl,--no-whole-archive \
	-Wl,--version-script="$ws/libdaos/libdaos.map" -Wl,-soname,libdaos.so.0 \
	-Wl,--gc-sections -Wl,-z,relro,-z,now -lpthread -ldl -lm
ln -sf "libdaos.so.$version" "$lib/libdaos.so.0"
ln -sf libdaos.so.0 "$lib/libdaos.so"

DAOS_LIB_DIR=$lib cargo build --release --quiet --manifest-path "$ws/Cargo.toml" -p daos-tool
install -m 0755 "$rel/daos" "$bin/daos"
