#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Prints the project's version: the one place it is written is the
# workspace's Cargo.toml (libdaos, the tool, libdaos.pc, the module).
sed -n 's/^version = "\(.*\)"$/\1/p' "$(dirname "$0")/../userspace/Cargo.toml" | head -n 1
