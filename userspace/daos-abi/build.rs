// SPDX-License-Identifier: GPL-2.0

//! Generates the ABI types from the C header and compiles a C probe that
//! reports what the C compiler makes of it (sizes and command numbers), so
//! the tests can compare C and Rust.

use std::{env, path::PathBuf};

#[derive(Debug)]
struct ZerocopyDerives;

impl bindgen::callbacks::ParseCallbacks for ZerocopyDerives {
    fn add_derives(&self, info: &bindgen::callbacks::DeriveInfo<'_>) -> Vec<String> {
        if info.kind == bindgen::callbacks::TypeKind::Struct {
            ["FromBytes", "IntoBytes", "Immutable", "KnownLayout"]
                .map(|d| format!("zerocopy::{d}"))
                .to_vec()
        } else {
            Vec::new()
        }
    }
}

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let top = manifest.join("../..").canonicalize().unwrap();
    let header = top.join("include/uapi/linux/daos.h");
    let layout = top.join("rust/uapi_layout.rs");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    for p in [&header, &layout] {
        println!("cargo:rerun-if-changed={}", p.display());
    }
    println!("cargo:rerun-if-changed=src/probe.c");
    println!("cargo:rerun-if-env-changed=LIBCLANG_PATH");

    bindgen::Builder::default()
        .header(header.to_str().unwrap())
        .clang_arg(format!("-I{}", top.join("include/uapi").display()))
        .allowlist_type("daos_.*")
        .allowlist_var("DAOS_.*")
        .use_core()
        .layout_tests(false)
        .derive_default(true)
        .derive_eq(true)
        .parse_callbacks(Box::new(ZerocopyDerives))
        .generate()
        .expect("bindgen failed on include/uapi/linux/daos.h (is LIBCLANG_PATH set? see README)")
        .write_to_file(out.join("uapi_generated.rs"))
        .unwrap();

    // Built here, linked only by the tests (`#[link]` in lib.rs's tests):
    // the probe must not end up in libdaos.
    cc::Build::new()
        .file("src/probe.c")
        .include(top.join("include/uapi"))
        .warnings_into_errors(true)
        .cargo_metadata(false)
        .compile("daos_abi_probe");
    println!("cargo:rustc-link-search=native={}", out.display());
}
