# SPDX-License-Identifier: GPL-2.0
#
# Shared by check.sh, demo.sh and bench.sh: sourced, not run.

# kernel_env FLAVOUR: the toolchain and test kernel, as KDIR, KSRC, BINDGEN,
# LIBCLANG_PATH in the environment.
kernel_env() {
	local env
	env=$("$top/scripts/build-kernel.sh" "$1") || return 1
	eval "$env"
	export KDIR KSRC BINDGEN LIBCLANG_PATH
}

# build_module KUNIT(y|n): daos.ko against $KDIR.
build_module() {
	make -s -C "$KDIR" M="$top" BINDGEN="$BINDGEN" DAOS_KUNIT="$1" modules
}

# boot MODE OUTDIR FILE:DEST...: builds OUTDIR/initramfs.cpio.gz with the
# given files and boots $KDIR's kernel on it.
boot() {
	local mode=$1 dir=$2
	shift 2
	"$top/tests/vm/mkinitramfs.sh" "$dir/initramfs.cpio.gz" "$dir/root" "$@" &&
		"$top/tests/vm/run-vm.sh" "$mode" "$KDIR/arch/x86/boot/bzImage" "$dir/initramfs.cpio.gz" "$dir"
}
