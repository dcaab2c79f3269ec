// SPDX-License-Identifier: LGPL-2.1-or-later

//! `daos`: inspect the DAOS client from the command line.
//!
//! It is an application of `libdaos.so` like any other: it links the shared
//! library dynamically (see build.rs) and uses only its C API.

use std::{ffi::c_int, process::ExitCode};

#[link(name = "daos")]
extern "C" {
    fn daos_version(abi_major: *mut u32, abi_minor: *mut u32, features: *mut u64) -> c_int;
    fn daos_api_version(major: *mut c_int, minor: *mut c_int, fix: *mut c_int);
}

const USAGE: &str = "\
Usage: daos COMMAND
Inspect the DAOS client (the daos kernel module and libdaos).

Commands:
  version      print the versions of libdaos and of the loaded module

Options:
  -h, --help     print this help and exit
  -V, --version  print the version of libdaos and exit
";

/// The version of the libdaos this program runs with.
fn library_version() -> String {
    let (mut major, mut minor, mut fix) = (0, 0, 0);
    // SAFETY: pointers to live locals.
    unsafe { daos_api_version(&mut major, &mut minor, &mut fix) };
    format!("{major}.{minor}.{fix}")
}

/// A libdaos error as a sentence for people.
fn describe(rc: c_int) -> String {
    match -rc {
        libc::ENODEV => "the DAOS module is not loaded (no /dev/daos); load it with 'modprobe daos'".into(),
        libc::EACCES => "no permission to open /dev/daos (ask for access, e.g. a udev rule)".into(),
        e => {
            // SAFETY: strerror returns a static or thread-local C string.
            let text = unsafe { std::ffi::CStr::from_ptr(libc::strerror(e)) };
            text.to_string_lossy().into_owned()
        }
    }
}

fn version() -> ExitCode {
    let (mut major, mut minor, mut features) = (0u32, 0u32, 0u64);
    println!("libdaos {}", library_version());
    // SAFETY: pointers to live locals.
    let rc = unsafe { daos_version(&mut major, &mut minor, &mut features) };
    if rc < 0 {
        eprintln!("daos: {}", describe(rc));
        return ExitCode::FAILURE;
    }
    println!("module ABI {major}.{minor}, features {features:#x}");
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["-h" | "--help"] => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        ["-V" | "--version"] => {
            println!("daos (libdaos) {}", library_version());
            ExitCode::SUCCESS
        }
        ["version"] => version(),
        [] => {
            eprint!("daos: a command is missing\n{USAGE}");
            ExitCode::from(2)
        }
        [other, ..] => {
            eprint!("daos: unknown command or option '{other}'\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
