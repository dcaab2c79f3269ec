// SPDX-License-Identifier: LGPL-2.1-or-later

//! Links `daos` against libdaos.so, never statically: the installed tool
//! uses the installed library. scripts/build-userspace.sh makes the library
//! first and names its directory in DAOS_LIB_DIR. The calls and types come
//! from `daos.h` itself (bindgen), as any C program would take them.

use std::{env, path::PathBuf};

fn main() {
    println!("cargo:rerun-if-env-changed=DAOS_LIB_DIR");
    println!("cargo:rerun-if-changed=../libdaos/include/daos.h");
    match env::var("DAOS_LIB_DIR") {
        Ok(dir) => println!("cargo:rustc-link-search=native={dir}"),
        Err(_) => panic!("DAOS_LIB_DIR is not set: build the tool with scripts/build-userspace.sh (make userspace)"),
    }
    let cc_include = std::process::Command::new("cc")
        .arg("-print-file-name=include")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    bindgen::Builder::default()
        .header("../libdaos/include/daos.h")
        .clang_arg(format!("-I{cc_include}"))
        .allowlist_type("daos_.*")
        .allowlist_var("DAOS_.*")
        .allowlist_function("daos_.*")
        .prepend_enum_name(false)
        .layout_tests(false)
        .derive_default(true)
        .generate()
        .expect("bindgen failed on daos.h (is LIBCLANG_PATH set? see README)")
        .write_to_file(PathBuf::from(env::var("OUT_DIR").unwrap()).join("daos.rs"))
        .unwrap();
}
