// SPDX-License-Identifier: LGPL-2.1-or-later

//! `daos`: inspect the DAOS client from the command line.
//!
//! Usage: `daos version`

use std::process::ExitCode;

fn strerror(rc: i32) -> String {
    std::io::Error::from_raw_os_error(-rc).to_string()
}

fn version() -> ExitCode {
    let (mut major, mut minor, mut features) = (0u32, 0u32, 0u64);
    // SAFETY: pointers to live locals.
    let rc = unsafe { daos::daos_version(&mut major, &mut minor, &mut features) };
    if rc < 0 {
        eprintln!("daos: /dev/daos: {} (is daos.ko loaded?)", strerror(rc));
        return ExitCode::FAILURE;
    }
    println!("libdaos {}, module ABI {major}.{minor}, features {features:#x}", env!("CARGO_PKG_VERSION"));
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["version"] => version(),
        _ => {
            eprintln!("usage: daos version");
            ExitCode::from(2)
        }
    }
}
