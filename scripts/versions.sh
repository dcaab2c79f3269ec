# SPDX-License-Identifier: GPL-2.0
# Every pinned external version of the build lives here, and only here.
# Sourced by the scripts in this folder and read by the Makefile.

# The kernel source: Debian's linux-source package (7.3 is in trixie-backports).
KERNEL_SERIES=7.3
KERNEL_DEB_PACKAGE=linux-source-7.3
KERNEL_DEB_VERSION=7.3.4-1~bpo13+1
KERNEL_DEB_SUITE="trixie-backports main"
KERNEL_DEB_MIRROR=http://deb.debian.org/debian

# Rust-for-Linux tools (rustc itself is the machine's rustup toolchain, >= 1.85).
BINDGEN_VERSION=0.73.0
LIBCLANG_WHEEL_VERSION=18.1.1

# Host packages from the machine's own Debian release.
APT_PACKAGES="flex bison bc libelf-dev libssl-dev cpio xz-utils kmod qemu-system-x86 busybox-static liburing-dev pkg-config binutils"

# Where downloads and builds are cached (outside the repository).
DAOS_CACHE=${DAOS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/daos-build}
