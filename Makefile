# SPDX-License-Identifier: GPL-2.0
#
# DAOS client for Linux. Out-of-tree module conventions:
#   make                      module + libdaos, against the project's test kernel
#   make KDIR=/path/to/build  module against your own Rust-enabled kernel
#   make modules_install      install daos.ko into /lib/modules (KDIR's release)
# Project targets:
#   make check    host tests, then the VM: module, selftests, KUnit, log scan
#   make demo     boot the VM and run examples/ through libdaos
#   make bench    boot the non-debug kernel and print benchmark numbers
#   make install  libdaos, its headers, pkg-config file and the daos tool
#                 (PREFIX, DESTDIR; runs ldconfig for a system install)
#
# Without KDIR, the first run fetches the toolchain and builds the test kernel
# into ~/.cache/daos-build (scripts/bootstrap.sh, scripts/build-kernel.sh).

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(TOP)/build
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
DESTDIR ?=
DAOS_KUNIT ?= n
CARGO_TARGET := $(TOP)/userspace/target
VERSION := $(shell $(TOP)/scripts/version.sh)

# The kernel to build against: yours (KDIR=...) or the project's test kernel.
# Each recipe line that needs it starts with $(KENV).
ifeq ($(KDIR),)
KENV = eval "$$($(TOP)/scripts/build-kernel.sh debug)" && export LIBCLANG_PATH &&
else
KENV = KDIR=$(KDIR) && BINDGEN=$${BINDGEN:-bindgen} &&
endif
# Userspace needs libclang for bindgen (the ABI crate's build script).
UENV = eval "$$($(TOP)/scripts/bootstrap.sh)" && export LIBCLANG_PATH &&

.PHONY: all module userspace check demo bench install modules_install clean

all: module userspace

module:
	@$(KENV) $(MAKE) -C "$$KDIR" M=$(TOP) BINDGEN="$$BINDGEN" DAOS_KUNIT=$(DAOS_KUNIT) modules

modules_install:
	@$(KENV) $(MAKE) -C "$$KDIR" M=$(TOP) modules_install

userspace:
	@$(UENV) $(TOP)/scripts/build-userspace.sh

check:
	@$(TOP)/scripts/check.sh

demo:
	@$(TOP)/scripts/demo.sh

bench:
	@$(TOP)/scripts/bench.sh

install: userspace
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/linux $(DESTDIR)$(INCLUDEDIR)/daos $(DESTDIR)$(BINDIR)
	install -m 0755 $(BUILD)/lib/libdaos.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libdaos.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libdaos.so.0
	ln -sf libdaos.so.0 $(DESTDIR)$(LIBDIR)/libdaos.so
	install -m 0644 $(BUILD)/lib/libdaos.a $(DESTDIR)$(LIBDIR)/libdaos.a
	install -m 0644 $(TOP)/userspace/libdaos/include/daos.h $(DESTDIR)$(INCLUDEDIR)/daos.h
	install -m 0644 $(TOP)/userspace/libdaos/include/daos/daos_api.h $(DESTDIR)$(INCLUDEDIR)/daos/daos_api.h
	install -m 0644 $(TOP)/include/uapi/linux/daos.h $(DESTDIR)$(INCLUDEDIR)/linux/daos.h
	install -m 0755 $(BUILD)/bin/daos $(DESTDIR)$(BINDIR)/daos
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@VERSION@|$(VERSION)|' \
		$(TOP)/userspace/libdaos/libdaos.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/libdaos.pc
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then ldconfig; fi

clean:
	rm -rf $(BUILD) $(CARGO_TARGET)
	rm -f daos.ko daos.o daos.mod daos.mod.c daos.mod.o modules.order Module.symvers .*.cmd
	rm -f rust/*.o rust/.*.cmd rust/*.d rust/uapi_generated.rs
