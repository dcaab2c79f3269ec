// SPDX-License-Identifier: GPL-2.0

//! Host build of `rust/pure`: the same source files the module compiles.

#![allow(dead_code)]

#[path = "../../../rust/pure/mod.rs"]
mod pure;

pub mod extent_cache;

/// The handle encoding, for the handle table benchmark.
pub mod handle {
    use crate::pure::handle::{pid_bits, Handle, HandleType};

    /// The handle of event queue `cookie` of process `tgid`.
    pub fn event_queue(tgid: u32, cookie: u64) -> Option<u64> {
        Handle::new(HandleType::EventQueue, tgid, cookie).map(Handle::encode)
    }

    /// The cookie of `raw` if it is a well-formed event queue handle of
    /// process `tgid` (the module's first check of every lookup).
    pub fn event_queue_cookie(raw: u64, tgid: u32) -> Option<u64> {
        let h = Handle::decode(raw)?;
        (h.ty == HandleType::EventQueue && h.pid_bits == pid_bits(tgid)).then_some(h.cookie)
    }
}

#[cfg(test)]
mod event_state_tests;
#[cfg(test)]
mod event_table_tests;
#[cfg(test)]
mod extent_tests;
#[cfg(test)]
mod handle_tests;
#[cfg(test)]
mod ioctl_cmd_tests;
#[cfg(test)]
mod ring_tests;
#[cfg(test)]
mod topology_tests;
