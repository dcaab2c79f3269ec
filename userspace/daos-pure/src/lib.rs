// SPDX-License-Identifier: GPL-2.0

//! Host build of `rust/pure`: the same source files the module compiles.

#![allow(dead_code)]

#[path = "../../../rust/pure/mod.rs"]
mod pure;

pub mod extent_cache;

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
