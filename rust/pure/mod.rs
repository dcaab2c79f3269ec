// SPDX-License-Identifier: GPL-2.0

//! Pure logic of the DAOS client: no kernel types, no locks, no allocation,
//! no panics.
//!
//! Everything here compiles both inside the module and in the host crate
//! `userspace/daos-pure`, where it is property-tested and benchmarked
//! natively. The module wraps it with locking, allocation and user copies.

pub(crate) mod event_state;
pub(crate) mod extent;
pub(crate) mod event_table;
pub(crate) mod handle;
pub(crate) mod ioctl_cmd;
// Host-tested ahead of its first user, the completion ring (issue 9).
#[allow(dead_code)]
pub(crate) mod ring;
pub(crate) mod slots;
pub(crate) mod topology;
