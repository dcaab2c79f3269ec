// SPDX-License-Identifier: GPL-2.0

//! Pure logic of the DAOS client: no kernel types, no allocation, no locks.
//!
//! Everything here compiles both inside the module and in the host crate
//! `userspace/daos-pure`, where it is property-tested and benchmarked
//! natively. The module wraps it with locking, allocation and user copies.

pub(crate) mod ioctl_cmd;
