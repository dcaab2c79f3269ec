// SPDX-License-Identifier: LGPL-2.1-or-later

//! The libdaos C API, generated from `daos.h`.

#![allow(non_camel_case_types, non_upper_case_globals, non_snake_case, dead_code, clippy::all)]

#[link(name = "daos")]
extern "C" {}

include!(concat!(env!("OUT_DIR"), "/daos.rs"));
