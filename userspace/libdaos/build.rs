// SPDX-License-Identifier: LGPL-2.1-or-later

//! Generates the Rust view of the public C types from `include/daos.h`, so
//! the library and its header cannot disagree. (The shared library is
//! linked by scripts/build-userspace.sh, with its soname and symbol versions.)

use std::{env, path::PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=include/daos.h");
    println!("cargo:rerun-if-env-changed=LIBCLANG_PATH");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    bindgen::Builder::default()
        .header("include/daos.h")
        .allowlist_type("daos_.*")
        .allowlist_var("DAOS_.*")
        .prepend_enum_name(false)
        .layout_tests(false)
        .derive_default(true)
        .generate()
        .expect("bindgen failed on include/daos.h (is LIBCLANG_PATH set? see README)")
        .write_to_file(out.join("daos_types.rs"))
        .unwrap();
}
