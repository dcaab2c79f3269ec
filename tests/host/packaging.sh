# SPDX-License-Identifier: GPL-2.0
#
# Host checks of what `make install` ships, as an application developer
# meets it. Sourced by scripts/check.sh after the userspace build; each
# check is a function run through host_check. Needs $top and $out.

inst=$out/install
lib=$inst/usr/lib
pc() { PKG_CONFIG_PATH=$lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$inst pkg-config "$@" libdaos; }

# The calls daos.h declares (names followed by "(" outside comments).
declared_calls() {
	grep -v '^[[:space:]]*\(\*\|/\*\)' "$1" | grep -o '\bdaos_[a-z0-9_]*(' | tr -d '(' | sort -u
}

# The version script lists each of them (a new call needs a version).
version_script_lists_every_call() {
	local listed
	listed=$(sed -n 's/^[[:space:]]*\(daos_[a-z0-9_]*\);$/\1/p' "$top/userspace/libdaos/libdaos.map" | sort -u)
	[ "$listed" = "$(declared_calls "$top/userspace/libdaos/include/daos.h")" ] ||
		{ echo "libdaos.map: $listed"; return 1; }
}

# make install into a staging directory, as a packager would.
install_staged() {
	rm -rf "$inst"
	make -s -C "$top" install DESTDIR="$inst" PREFIX=/usr >/dev/null
}

# The installed files, with the library's links.
installed_files_are_there() {
	local f
	for f in usr/lib/libdaos.so.0 usr/lib/libdaos.so usr/lib/libdaos.a usr/include/daos.h \
		usr/include/daos/daos_api.h usr/include/linux/daos.h usr/lib/pkgconfig/libdaos.pc usr/bin/daos; do
		test -e "$inst/$f" || { echo "missing $f"; return 1; }
	done
	test "$(readlink "$lib/libdaos.so.0")" = "libdaos.so.$("$top/scripts/version.sh")"
}

# Only the API leaves the static archive: two Rust static libraries can be
# linked into one program.
archive_exports_only_the_api() {
	local extra
	extra=$(nm -g --defined-only "$lib/libdaos.a" | awk 'NF == 3 { print $3 }' | grep -v '^daos_')
	[ -z "$extra" ] || { echo "global symbols besides the API:"; echo "$extra" | head; return 1; }
}

# Every call of daos.h, and nothing else, is exported, each with a version.
shared_library_exports_versioned_api() {
	local declared exported
	declared=$(declared_calls "$inst/usr/include/daos.h")
	exported=$(objdump -T "$lib/libdaos.so.0" | awk '$4 == ".text" && $7 ~ /^daos_/ { print $6, $7 }' | sort -k2)
	[ "$(echo "$exported" | awk '{ print $2 }')" = "$declared" ] ||
		{ echo "exported: $exported"; echo "declared: $declared"; return 1; }
	# Each call carries the version node libdaos.map gives it.
	local mapped
	mapped=$(awk '/^LIBDAOS_/ { node = $1 } /^\t\tdaos_/ { sub(";", "", $1); print node, $1 }' \
		"$top/userspace/libdaos/libdaos.map" | sort -k2)
	[ "$exported" = "$mapped" ] || { echo "versions differ from libdaos.map: $exported"; return 1; }
	! objdump -T "$lib/libdaos.so.0" | grep -q daos_probe || { echo "test probes are shipped"; return 1; }
}

# An application built against the installed header and pkg-config file,
# dynamically and fully statically; on this host (no module) both report
# the missing module.
application_builds_and_runs() {
	local app=$out/app
	cc -Wall -Werror $(pc --cflags) -o "$app-dynamic" "$top/examples/hello_daos.c" $(pc --libs) &&
		cc -static -Wall -Werror $(pc --cflags) -o "$app-static" "$top/examples/hello_daos.c" $(pc --static --libs) ||
		return 1
	! readelf -d "$app-static" | grep -q NEEDED || { echo "the static program needs shared libraries"; return 1; }
	local dyn stat
	dyn=$(LD_LIBRARY_PATH=$lib "$app-dynamic" 2>&1 || true)
	stat=$("$app-static" 2>&1 || true)
	echo "$dyn" | grep -q 'module is not loaded' && echo "$stat" | grep -q 'module is not loaded' ||
		{ echo "dynamic: $dyn"; echo "static: $stat"; return 1; }
}

# The tool follows GNU conventions and talks to people.
tool_help_and_version() {
	local daos="env LD_LIBRARY_PATH=$lib $inst/usr/bin/daos"
	$daos --help 2>/dev/null | grep -q '^Usage: daos' &&
		$daos --version | grep -qx "daos (libdaos) $("$top/scripts/version.sh")"
}

tool_errors_are_sentences() {
	local daos="env LD_LIBRARY_PATH=$lib $inst/usr/bin/daos" err rc
	err=$($daos version 2>&1 >/dev/null) && return 1
	echo "$err" | grep -qx "daos: the DAOS module is not loaded (no /dev/daos); load it with 'modprobe daos'" ||
		{ echo "$err"; return 1; }
	rc=0
	err=$($daos frobnicate 2>&1 >/dev/null) || rc=$?
	[ $rc = 2 ] && echo "$err" | grep -q "unknown command" && ! echo "$err" | grep -q 'os error'
}

# The seed's types and constants, as a 2014 program uses them (gnu99, through
# <daos/daos_api.h>), against the installed headers.
seed_types_compile() {
	cc -std=gnu99 -Wall -Werror -c -o "$out/seed_types.o" -I"$inst/usr/include" "$top/tests/host/seed_types.c"
}

host_check "libdaos.map lists every call of daos.h" version_script_lists_every_call
host_check "make install into a staging directory" install_staged
host_check "installed: library with links, headers, pkg-config file, tool" installed_files_are_there
host_check "a 2014 program's use of every type and constant of the seed compiles" seed_types_compile
host_check "libdaos.a exports only daos_*" archive_exports_only_the_api
host_check "libdaos.so exports every daos.h call, with its libdaos.map version" shared_library_exports_versioned_api
host_check "an application links through pkg-config, dynamically and statically" application_builds_and_runs
host_check "daos --help and --version" tool_help_and_version
host_check "daos: errors are sentences, the module hint only when it is missing" tool_errors_are_sentences
