#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs and fetches everything the build needs, idempotently:
#   - host packages (apt), rust-src, bindgen-cli, libclang (PyPI wheel),
#   - the kernel source (Debian's linux-source package, fetched through a
#     private apt state directory so the system's apt sources stay untouched).
# Prints shell assignments for the Makefile on stdout (KSRC, BINDGEN, LIBCLANG_PATH);
# progress goes to stderr. Everything lands under $DAOS_CACHE.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.sh"

log() { printf 'bootstrap: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

mkdir -p "$DAOS_CACHE"
# One bootstrap at a time per cache (parallel make jobs may call us).
exec 9>"$DAOS_CACHE/.bootstrap.lock"
flock 9

# --- host packages --------------------------------------------------------
missing=()
for p in $APT_PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	log "installing host packages: ${missing[*]}"
	as_root apt-get update -qq >&2
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# --- Rust components and tools --------------------------------------------
if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
	log "adding rustup component rust-src"
	rustup component add rust-src >&2
fi

tools="$DAOS_CACHE/tools"
bindgen="$tools/bin/bindgen"
if ! [ -x "$bindgen" ] || ! "$bindgen" --version 2>/dev/null | grep -q " $BINDGEN_VERSION\$"; then
	log "building bindgen-cli $BINDGEN_VERSION (about a minute)"
	cargo install --quiet --locked --root "$tools" --version "$BINDGEN_VERSION" bindgen-cli >&2
fi

libclang_dir="$tools/libclang-$LIBCLANG_WHEEL_VERSION"
if ! [ -f "$libclang_dir/clang/native/libclang.so" ]; then
	log "fetching libclang $LIBCLANG_WHEEL_VERSION wheel"
	rm -rf "$libclang_dir.tmp"
	python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps \
		--target "$libclang_dir.tmp" "libclang==$LIBCLANG_WHEEL_VERSION" >&2
	mv "$libclang_dir.tmp" "$libclang_dir"
fi

# --- kernel source --------------------------------------------------------
# Make and Kbuild dislike "~" in paths: the directory name avoids it.
ksrc="$DAOS_CACHE/src/linux-${KERNEL_DEB_VERSION//[~+]/_}"
if ! [ -f "$ksrc/.daos-extracted" ]; then
	apt_state="$DAOS_CACHE/apt"
	mkdir -p "$apt_state/lists/partial" "$apt_state/cache/archives/partial" "$DAOS_CACHE/src"
	echo "deb $KERNEL_DEB_MIRROR $KERNEL_DEB_SUITE" >"$apt_state/sources.list"
	apt_opts=(-o "Dir::Etc::SourceList=$apt_state/sources.list"
		-o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$apt_state/lists"
		-o "Dir::Cache=$apt_state/cache"
		-o APT::Sandbox::User=root)
	deb="$DAOS_CACHE/src/${KERNEL_DEB_PACKAGE}_${KERNEL_DEB_VERSION}_all.deb"
	if ! [ -f "$deb" ]; then
		log "fetching $KERNEL_DEB_PACKAGE=$KERNEL_DEB_VERSION (~170 MB)"
		apt-get -qq "${apt_opts[@]}" update >&2
		(cd "$DAOS_CACHE/src" && apt-get -qq "${apt_opts[@]}" download \
			"$KERNEL_DEB_PACKAGE=$KERNEL_DEB_VERSION" >&2)
		# apt names the file with an URL-escaped version (%7e for ~).
		got=$(ls "$DAOS_CACHE/src/${KERNEL_DEB_PACKAGE}_"*.deb | head -n1)
		[ "$got" = "$deb" ] || mv "$got" "$deb"
	fi
	log "extracting kernel source"
	rm -rf "$ksrc" "$ksrc.tmp"
	mkdir -p "$ksrc.tmp"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO "./usr/src/$KERNEL_DEB_PACKAGE.tar.xz" |
		tar -xJ -C "$ksrc.tmp" --strip-components=1
	touch "$ksrc.tmp/.daos-extracted"
	mv "$ksrc.tmp" "$ksrc"
fi

echo "KSRC=$ksrc"
echo "BINDGEN=$bindgen"
echo "LIBCLANG_PATH=$libclang_dir/clang/native"
