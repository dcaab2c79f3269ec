// SPDX-License-Identifier: GPL-2.0

//! The module's only `unsafe` code: thin safe wrappers around raw bindings
//! and the marker-trait promises for the ABI structures.

use kernel::transmute::AsBytes;

use crate::uapi;

// SAFETY: `daos_version` is `repr(C)` with only integer fields and no padding
// (`uapi_layout.rs` asserts its size is the sum of its fields), so every byte
// of it is initialised.
unsafe impl AsBytes for uapi::daos_version {}

/// Module parameters, defined in C (`module_info.c`) so that they appear under
/// `/sys/module/daos/parameters`; the Rust `module!` macro hides them.
pub(crate) mod params {
    extern "C" {
        fn daos_param_max_eq_events() -> u32;
    }

    /// Per-EQ event limit (`max_eq_events`); beyond it `-EMFILE`.
    pub(crate) fn max_eq_events() -> u32 {
        // SAFETY: a C function without preconditions that reads an integer
        // with READ_ONCE(); the parameter can change at any time through sysfs.
        unsafe { daos_param_max_eq_events() }
    }
}
