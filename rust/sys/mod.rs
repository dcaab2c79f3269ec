// SPDX-License-Identifier: GPL-2.0

//! The module's only `unsafe` code: thin safe wrappers around raw bindings
//! and the marker-trait promises for the ABI structures.
//!
//! - [`misc`]: the `/dev/daos` misc device with this module's own file
//!   operations (the 7.3 abstraction has no `flush`);
//! - [`anchor`]: module-wide state whose teardown waits for its users;
//! - [`wait`]: freezable, interruptible sleeps with exact deadlines;
//! - [`workqueue`]: a work queue that the module owns;
//! - [`eventfd`]: references to eventfds;
//! - [`task`]: facts about the calling task;
//! - [`container_file`]: the identity of a container's file;
//! - [`configfs`]: a configfs subsystem (target administration);
//! - [`user_pages`]: user memory pinned for operations that outlive the ioctl;
//! - [`shrinker`]: a memory shrinker;
//! - [`ring_pages`]: the memory of an event queue's completion ring;
//! - [`rcu_map`]: a map read under RCU without a lock (handle lookups);
//! - [`user_copy`]: copies from user memory that take no page fault;
//! - [`params`]: the module parameters defined in `module_info.c`;
//! - [`random_bytes`]: the kernel's random generator.

use kernel::transmute::{
    AsBytes,
    FromBytes, //
};

use crate::uapi;

pub(crate) mod anchor;
pub(crate) mod configfs;
pub(crate) mod container_file;
pub(crate) mod eventfd;
pub(crate) mod misc;
pub(crate) mod rcu_map;
pub(crate) mod ring_pages;
pub(crate) mod shrinker;
pub(crate) mod task;
pub(crate) mod user_copy;
pub(crate) mod user_pages;
pub(crate) mod wait;
pub(crate) mod workqueue;

/// Fills `buf` with random bytes from the kernel's generator.
pub(crate) fn random_bytes(buf: &mut [u8]) {
    // SAFETY: `buf` is valid for writes of its length.
    unsafe { kernel::bindings::get_random_bytes(buf.as_mut_ptr().cast(), buf.len()) }
}

/// Implements the kernel's `FromBytes` and `AsBytes` for ABI structures.
macro_rules! abi_bytes {
    ($($t:ident),* $(,)?) => {
        $(
            // SAFETY: `uapi_layout.rs` asserts that this `repr(C)` structure
            // has only integer fields whose sizes add up to the structure's
            // size (no implicit padding), so every bit pattern is valid and
            // every byte is initialised.
            unsafe impl FromBytes for uapi::$t {}
            // SAFETY: as above.
            unsafe impl AsBytes for uapi::$t {}
        )*
    };
}

abi_bytes!(
    daos_version,
    daos_ioc_eq_create,
    daos_ioc_eq,
    daos_polled_event,
    daos_ioc_eq_poll,
    daos_ioc_eq_query,
    daos_ioc_eq_eventfd,
    daos_ioc_event_init,
    daos_ioc_event,
    daos_ioc_event_next,
    daos_ioc_noop,
    daos_ioc_ev,
    daos_ioc_co_open,
    daos_ioc_co,
    daos_ioc_co_unlink,
    daos_ioc_co_query,
    daos_ioc_list_shard,
    daos_ioc_shards,
    daos_ioc_shard_query,
    daos_ioc_list_obj,
    daos_ioc_epoch,
    daos_ioc_epoch_wait,
    daos_ioc_epoch_query,
    daos_ioc_obj_open,
    daos_ioc_obj,
    daos_ioc_frag,
    daos_ioc_obj_io,
    daos_ioc_obj_punch,
    daos_ioc_co_snapshot,
    daos_ioc_listen,
    daos_ioc_target_event,
    daos_ioc_shard_event,
    daos_ioc_sys_open,
    daos_ioc_loc_key,
    daos_ioc_sys_query,
    daos_ioc_target_info,
    daos_global_handle,
    daos_ioc_co_global,
    daos_ioc_co_g2l,
    daos_ioc_event_progress,
    daos_eq_ring,
    daos_ring_entry,
);

/// Module parameters, defined in C (`module_info.c`) so that they appear under
/// `/sys/module/daos/parameters`; the Rust `module!` macro hides them.
pub(crate) mod params {
    extern "C" {
        fn daos_param_max_eq_events() -> u32;
        fn daos_param_max_eqs_per_file() -> u32;
        fn daos_param_max_io_mb() -> u32;
        fn daos_param_target_capacity_mb() -> u32;
    }

    /// Per-EQ event limit (`max_eq_events`); beyond it `-EMFILE`.
    pub(crate) fn max_eq_events() -> u32 {
        // SAFETY: a C function without preconditions that reads an integer
        // with READ_ONCE(); the parameter can change at any time through sysfs.
        unsafe { daos_param_max_eq_events() }
    }

    /// Per-file event queue limit (`max_eqs_per_file`); beyond it `-EMFILE`.
    pub(crate) fn max_eqs_per_file() -> u32 {
        // SAFETY: as above.
        unsafe { daos_param_max_eqs_per_file() }
    }

    /// Largest read or write in bytes (`max_io_mb`); beyond it `-EINVAL`.
    pub(crate) fn max_io_bytes() -> u64 {
        // SAFETY: as above.
        u64::from(unsafe { daos_param_max_io_mb() }) << 20
    }

    /// Capacity of each local target (`target_capacity_mb`).
    pub(crate) fn target_capacity() -> u64 {
        // SAFETY: as above.
        u64::from(unsafe { daos_param_target_capacity_mb() }) << 20
    }
}
