#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh FLAVOUR  (debug | bench)
#
# Builds (once) a Rust-enabled test kernel: tinyconfig + tests/vm/kconfig/base.config
# + tests/vm/kconfig/FLAVOUR.config, in a cache directory keyed by the kernel
# version, the fragments, this script and the Rust toolchain. Prints the
# assignments KDIR=<build dir> and KSRC=<source dir> on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
flavour=${1:?usage: build-kernel.sh debug|bench}
frag_dir="$top/tests/vm/kconfig"
[ -f "$frag_dir/$flavour.config" ] || { echo "no fragment for flavour '$flavour'" >&2; exit 2; }

. "$here/versions.sh"
eval "$("$here/bootstrap.sh")"
export LIBCLANG_PATH

# Bump the recipe number when the build steps below change.
key=$( { echo "recipe 1 $KERNEL_DEB_VERSION"; cat "$frag_dir/base.config" "$frag_dir/$flavour.config";
	rustc --version; "$BINDGEN" --version; gcc --version | head -n1; } | sha256sum | cut -c1-12)
out="$DAOS_CACHE/kernel/${KERNEL_DEB_VERSION//[~+]/_}-$flavour-$key"
kmake=(make -C "$KSRC" O="$out" BINDGEN="$BINDGEN" -s)

log() { printf 'build-kernel(%s): %s\n' "$flavour" "$*" >&2; }

if ! [ -f "$out/.daos-built" ]; then
	start=$(date +%s)
	mkdir -p "$out"
	exec 9>"$out/.lock"
	flock 9
	if ! [ -f "$out/.daos-built" ]; then
		log "configuring in $out"
		"${kmake[@]}" tinyconfig >&2
		(cd "$out" && "$KSRC/scripts/kconfig/merge_config.sh" -m -O "$out" .config \
			"$frag_dir/base.config" "$frag_dir/$flavour.config" >/dev/null)
		"${kmake[@]}" olddefconfig >&2
		# A fragment line that olddefconfig dropped (unmet dependency) is a bug here.
		bad=0
		while IFS= read -r line; do
			case "$line" in
			CONFIG_*=*) grep -qxF "$line" "$out/.config" || { log "lost: $line"; bad=1; } ;;
			"# CONFIG_"*" is not set")
				sym=${line#"# "}; sym=${sym%% *}
				! grep -q "^$sym=" "$out/.config" || { log "still set: $sym"; bad=1; } ;;
			esac
		done < <(cat "$frag_dir/base.config" "$frag_dir/$flavour.config")
		[ $bad = 0 ] || { log "config fragment did not apply"; exit 1; }
		log "building bzImage (several minutes on 2 cores)"
		"${kmake[@]}" -j"$(($(nproc) + 1))" bzImage modules_prepare >&2
		"${kmake[@]}" -j"$(($(nproc) + 1))" modules >&2
		touch "$out/.daos-built"
		log "built in $(($(date +%s) - start)) s"
	fi
fi

echo "KDIR=$out"
echo "BINDGEN=$BINDGEN"
echo "LIBCLANG_PATH=$LIBCLANG_PATH"
echo "KSRC=$KSRC"
