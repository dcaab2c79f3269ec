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
//! - [`params`]: the module parameters defined in `module_info.c`.

use kernel::transmute::{
    AsBytes,
    FromBytes, //
};

use crate::uapi;

pub(crate) mod anchor;
pub(crate) mod eventfd;
pub(crate) mod misc;
pub(crate) mod task;
pub(crate) mod wait;
pub(crate) mod workqueue;

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
);

/// Module parameters, defined in C (`module_info.c`) so that they appear under
/// `/sys/module/daos/parameters`; the Rust `module!` macro hides them.
pub(crate) mod params {
    extern "C" {
        fn daos_param_max_eq_events() -> u32;
        fn daos_param_max_eqs_per_file() -> u32;
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
}
