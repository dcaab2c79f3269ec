// SPDX-License-Identifier: LGPL-2.1-or-later

//! `daos`: the DAOS client from the command line, as `lfs` is Lustre's.
//!
//! It is an application of `libdaos.so` like any other: it links the shared
//! library dynamically (see build.rs) and uses only its C API. Target
//! administration writes configfs, as `nvmetcli` does.

mod container;
mod ffi;
mod target;

use std::{ffi::c_int, process::ExitCode};

const USAGE: &str = "\
Usage: daos COMMAND [ARGS]
Use and administer the DAOS client (the daos kernel module and libdaos).

Commands:
  version                          versions of libdaos and of the loaded module
  target list                      every storage target: place, health, space
  target add ID [--cage N] [--rack N] [--node N] [--type hdd|ssd]
             [--capacity-mb N] [--latency-us N] [--bandwidth-mbps N]
                                   add a target (or change one), as root;
                                   latency and bandwidth are injected into
                                   each request
  target fail ID                   mark a target failed, as root
  target restore ID                mark a failed target healthy, as root
  container create PATH [--shards N]
                                   create a container with N shards (default:
                                   one on each target)
  container query PATH             owner, shards and epochs of a container
  container snapshot PATH EPOCH SNAPSHOT
                                   copy a container at a committed epoch
  container unlink PATH            destroy a container and its data
  epoch query PATH                 the epochs of a container
  stats                            each target's write requests (by size and
                                   by requests in flight), lost writes and
                                   cached bytes, as root (debugfs)

Options:
  -h, --help     print this help and exit
  -V, --version  print the version of libdaos and exit

Exit status: 0 on success, 1 when the operation failed, 2 for a usage error.
";

/// Why a command failed: a sentence for people.
pub(crate) struct Failure(pub(crate) String);

pub(crate) type Outcome = Result<(), Failure>;

/// A libdaos error as a sentence for people.
pub(crate) fn describe(rc: c_int) -> String {
    match -rc {
        libc::ENODEV => "the DAOS module is not loaded (no /dev/daos); load it with 'modprobe daos'".into(),
        libc::EACCES => "permission denied".into(),
        e => {
            // SAFETY: strerror returns a static or thread-local C string.
            let text = unsafe { std::ffi::CStr::from_ptr(libc::strerror(e)) };
            text.to_string_lossy().into_owned()
        }
    }
}

/// `Err` with "`what`: the error" unless `rc` is 0.
pub(crate) fn check(rc: c_int, what: &str) -> Outcome {
    if rc < 0 {
        Err(Failure(format!("{what}: {}", describe(rc))))
    } else {
        Ok(())
    }
}

/// The version of the libdaos this program runs with.
fn library_version() -> String {
    let (mut major, mut minor, mut fix) = (0, 0, 0);
    // SAFETY: pointers to live locals.
    unsafe { ffi::daos_api_version(&mut major, &mut minor, &mut fix) };
    format!("{major}.{minor}.{fix}")
}

fn version() -> Outcome {
    let (mut major, mut minor, mut features) = (0u32, 0u32, 0u64);
    println!("libdaos {}", library_version());
    // SAFETY: pointers to live locals.
    let rc = unsafe { ffi::daos_version(&mut major, &mut minor, &mut features) };
    if rc < 0 {
        return Err(Failure(describe(rc)));
    }
    println!("module ABI {major}.{minor}, features {features:#x}");
    Ok(())
}

/// Where the module keeps its request counters.
const RPC_STATS: &str = "/sys/kernel/debug/daos/rpc_stats";

/// `daos stats`: the engine's counters, as the module shows them.
fn stats() -> Outcome {
    match std::fs::read_to_string(RPC_STATS) {
        Ok(text) => {
            print!("{text}");
            Ok(())
        }
        Err(e) => Err(Failure(match e.kind() {
            std::io::ErrorKind::NotFound => {
                format!("{RPC_STATS} is missing: is the daos module loaded and debugfs mounted on /sys/kernel/debug?")
            }
            std::io::ErrorKind::PermissionDenied => format!("{RPC_STATS}: permission denied (debugfs is for root)"),
            _ => format!("{RPC_STATS}: {e}"),
        })),
    }
}

/// A usage error: exit status 2.
fn usage(message: &str) -> ExitCode {
    eprint!("daos: {message}\n{USAGE}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match args.as_slice() {
        ["-h" | "--help"] => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        ["-V" | "--version"] => {
            println!("daos (libdaos) {}", library_version());
            return ExitCode::SUCCESS;
        }
        ["version"] => version(),
        ["target", rest @ ..] => match target::run(rest) {
            Some(o) => o,
            None => return usage("bad 'target' command"),
        },
        ["container", rest @ ..] => match container::run(rest) {
            Some(o) => o,
            None => return usage("bad 'container' command"),
        },
        ["epoch", "query", path] => container::epoch_query(path),
        ["stats"] => stats(),
        [] => return usage("a command is missing"),
        [other, ..] => return usage(&format!("unknown command or option '{other}'")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            eprintln!("daos: {message}");
            ExitCode::FAILURE
        }
    }
}
