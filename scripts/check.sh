#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: host tests, then the module, selftests and KUnit in the debug VM,
# then the guest-log scan. Ends with one line "N passed, N failed"; exits
# non-zero on any failure or kernel report. Outputs land in build/check/.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/vm-lib.sh"
out=$top/build/check
mkdir -p "$out"
log() { printf "== [%3d s] %s\n" $(($(date +%s) - t0)) "$*" >&2; }
t0=$(date +%s)

host_passed=0 host_failed=0
host_ok() { host_passed=$((host_passed + 1)); }
host_fail() { host_failed=$((host_failed + 1)); echo "FAILED (host): $*" >&2; }
# host_check NAME CMD...: one host test.
host_check() {
	local name=$1
	shift
	if "$@" >"$out/host-step.log" 2>&1; then host_ok; else host_fail "$name"; cat "$out/host-step.log" >&2; fi
}
# give_up WHAT: a build step failed; report and stop.
give_up() {
	echo "FAILED: $*" >&2
	python3 "$top/tests/vm/summarize.py" --host-passed $host_passed --host-failed $((host_failed + 1))
	exit 1
}

log "toolchain and debug kernel"
kernel_env debug || give_up "toolchain bootstrap or kernel build"

log "host tests (cargo test)"
cargo test --manifest-path "$top/userspace/Cargo.toml" 2>&1 | tee "$out/cargo-test.log" |
	grep -E '^test result|FAILED|panicked' >&2
cargo_rc=${PIPESTATUS[0]}
read -r p f < <(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
	END { print p + 0, f + 0 }' "$out/cargo-test.log")
host_passed=$((host_passed + p)) host_failed=$((host_failed + f))
[ "$cargo_rc" = 0 ] || [ "$f" -gt 0 ] || host_fail "cargo test exited with $cargo_rc"

log "host checks: headers"
cflags=(-std=c11 -Wall -Wextra -Werror -pedantic -fsyntax-only)
host_check "uapi header compiles alone" gcc "${cflags[@]}" -I"$top/include/uapi" -x c - <<<'#include <linux/daos.h>'
host_check "libdaos header compiles as C" gcc "${cflags[@]}" -I"$top/userspace/libdaos/include" -x c - <<<'#include <daos.h>'
host_check "libdaos header compiles as C++" g++ -std=c++17 -Wall -Werror -fsyntax-only -I"$top/userspace/libdaos/include" -x c++ - <<<'#include <daos.h>'
host_check "DAOS_EPOCH_HIGHEST works in #if, as the seed's (-1)" gcc "${cflags[@]}" -I"$top/userspace/libdaos/include" -x c - <<<$'#include <daos.h>\n#if DAOS_EPOCH_HIGHEST != 0xffffffffffffffffULL || DAOS_EPOCH_HIGHEST != -1\n#error\n#endif'

log "module (KUnit enabled)"
build_module y >&2 || give_up "module build"
ko=$top/daos.ko
modinfo_is() { test "$(/sbin/modinfo -F "$1" "$ko")" = "$2"; }
host_check "modinfo: licence" modinfo_is license GPL
host_check "modinfo: version" modinfo_is version "$("$top/scripts/version.sh")"
host_check "modinfo: description" sh -c "/sbin/modinfo -F description '$ko' | grep -q 'DAOS client'"
host_check "modinfo: max_eq_events parameter" sh -c "/sbin/modinfo -F parm '$ko' | grep -q '^max_eq_events:'"
host_check "modinfo: max_eqs_per_file parameter" sh -c "/sbin/modinfo -F parm '$ko' | grep -q '^max_eqs_per_file:'"

log "userspace (release): libdaos and the daos tool"
"$top/scripts/build-userspace.sh" >&2 || give_up "userspace build"
lib=$top/build/lib

log "host checks: what make install ships"
. "$top/tests/host/packaging.sh"

log "selftests"
mkdir -p "$out/selftests"
files=("$ko:/daos.ko" "$lib/libdaos.so.0:/usr/lib/libdaos.so.0" "$top/build/bin/daos:/bin/daos")
gcc -O2 -Wall -Werror -static -I"$top/tests/selftests" -o "$out/load_faults" "$top/tests/vm/load_faults.c" ||
	give_up "load_faults does not build"
files+=("$out/load_faults:/bin/load_faults")
# build_selftest SRC: one selftest, static unless it uses libdaos.
build_selftest() {
	local src=$1 name
	name=$(basename "$src" .c)
	local cc=(gcc -O2 -g -Wall -Werror -Wno-misleading-indentation -D_GNU_SOURCE
		-I"$top/include/uapi" -I"$KSRC/tools/testing/selftests")
	if grep -q '#include <daos.h>' "$src"; then
		cc+=(-I"$top/userspace/libdaos/include" -o "$out/selftests/$name" "$src" -L"$lib" -ldaos -lpthread)
	else
		cc+=(-static -o "$out/selftests/$name" "$src" -lpthread)
	fi
	"${cc[@]}" || { echo "selftest $name does not build" >"$out/selftests/$name.failed"; return 1; }
}
# DAOS_TESTS="a_test b_test" runs only those selftests (for development).
srcs=()
for src in "$top"/tests/selftests/*_test.c; do
	name=$(basename "$src" .c)
	if [ -n "${DAOS_TESTS:-}" ] && ! [[ " $DAOS_TESTS " == *" $name "* ]]; then
		continue
	fi
	srcs+=("$src")
	files+=("$out/selftests/$name:/tests/$name")
done
# Built in parallel, one job per core.
rm -f "$out"/selftests/*.failed
for src in "${srcs[@]}"; do
	build_selftest "$src" &
	while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n; done
done
wait
for f in "$out"/selftests/*.failed; do
	[ -e "$f" ] && give_up "$(cat "$f")"
done

log "VM run (log: $out/console.log)"
boot check "$out" "${files[@]}"

log "summary ($(($(date +%s) - t0)) s)"
exec python3 "$top/tests/vm/summarize.py" --host-passed $host_passed --host-failed $host_failed \
	--results "$out/results.log" --console "$out/console.log"
