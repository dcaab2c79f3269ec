// SPDX-License-Identifier: LGPL-2.1-or-later

//! Links `daos` against libdaos.so, never statically: the installed tool
//! uses the installed library. scripts/build-userspace.sh makes the library
//! first and names its directory in DAOS_LIB_DIR.

fn main() {
    println!("cargo:rerun-if-env-changed=DAOS_LIB_DIR");
    match std::env::var("DAOS_LIB_DIR") {
        Ok(dir) => println!("cargo:rustc-link-search=native={dir}"),
        Err(_) => panic!("DAOS_LIB_DIR is not set: build the tool with scripts/build-userspace.sh (make userspace)"),
    }
}
