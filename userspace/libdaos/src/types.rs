// SPDX-License-Identifier: LGPL-2.1-or-later

//! The public C types, generated from `include/daos.h` at build time.

#![allow(non_camel_case_types, non_upper_case_globals, dead_code, clippy::all)]

include!(concat!(env!("OUT_DIR"), "/daos_types.rs"));
