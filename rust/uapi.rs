// SPDX-License-Identifier: GPL-2.0

//! The ioctl ABI, generated at build time from `include/uapi/linux/daos.h`.
//!
//! Kbuild runs bindgen on the header (see `Kbuild`); `uapi_layout.rs` then
//! asserts the size, alignment and field offsets of every structure, so the
//! module cannot be built against a header whose layout changed unnoticed.

#![allow(
    dead_code,
    non_camel_case_types,
    non_upper_case_globals,
    clippy::all,
    missing_docs,
    unreachable_pub
)]

use kernel::ffi;

include!("uapi_generated.rs");
include!("uapi_layout.rs");
