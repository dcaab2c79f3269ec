// SPDX-License-Identifier: LGPL-2.1-or-later

//! Generates the Rust view of the public C types from `include/daos.h`, so
//! the library and its header cannot disagree. (The shared library is
//! linked by scripts/build-userspace.sh, with its soname and symbol versions.)

use std::{env, path::PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=include/daos.h");
    println!("cargo:rerun-if-env-changed=LIBCLANG_PATH");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    // libclang from its PyPI wheel has no headers of its own: the C
    // compiler's (stdbool.h, stddef.h) stand in for them.
    let cc_include = std::process::Command::new("cc")
        .arg("-print-file-name=include")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    bindgen::Builder::default()
        .header("include/daos.h")
        .clang_arg(format!("-I{cc_include}"))
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
