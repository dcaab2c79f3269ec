#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: boot the non-debug benchmark kernel and run tests/bench/*.c
# inside it; prints numbers (compare them only as ratios: TCG unless the KVM
# probe passed). Output is also kept in build/bench/bench.log, and every
# result, with its target, in build/bench/results.tsv.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/vm-lib.sh"
out=$top/build/bench
mkdir -p "$out/bin"
kernel_env bench
# The host part: the cache's extent logic against a bare BTreeMap, and
# handle lookups with 1 to 8 threads.
for b in extent_bench handle_bench; do
	cargo bench --quiet --manifest-path "$top/userspace/Cargo.toml" -p daos-pure --bench $b 2>/dev/null
done | tee "$out/host.log" | grep -v '@@DAOS result'
build_module n
cp "$top/daos.ko" "$out/daos.ko"
files=("$out/daos.ko:/daos.ko")
# libdaos, linked statically into the benchmarks that use it.
"$top/scripts/build-userspace.sh" >&2
lib=$top/build/lib
for src in "$top"/tests/bench/*.c; do
	name=$(basename "$src" .c)
	gcc -O2 -Wall -Werror -D_GNU_SOURCE -I"$top/include/uapi" -I"$top/userspace/libdaos/include" \
		-static -o "$out/bin/$name" "$src" "$lib/libdaos.a" -luring -lpthread -ldl -lm
	files+=("$out/bin/$name:/bench/$name")
done
boot bench "$out" "${files[@]}" | tee "$out/raw.log" | grep --line-buffered -v '@@DAOS result' | tee "$out/bench.log"
{
	printf 'name\tvalue\tunit\ttarget\tmet\n'
	cat "$out/host.log" "$out/raw.log" | tr -d '\r' | sed -n 's/^@@DAOS result\t//p'
} >"$out/results.tsv"
echo "results: $out/results.tsv ($(($(wc -l <"$out/results.tsv") - 1)) rows)"
