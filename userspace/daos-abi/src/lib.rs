// SPDX-License-Identifier: GPL-2.0

//! The `/dev/daos` ioctl ABI for userspace, generated at build time from
//! `include/uapi/linux/daos.h` with zerocopy derives, and held to the layout
//! table `rust/uapi_layout.rs` that the kernel module is held to as well.

#![no_std]
#![allow(non_camel_case_types, non_upper_case_globals, clippy::all)]

mod generated {
    include!(concat!(env!("OUT_DIR"), "/uapi_generated.rs"));
    include!("../../../rust/uapi_layout.rs");
}
pub use generated::*;

/// Direction bits of an ioctl command (asm-generic encoding, as on x86-64).
const IOC_READ: u32 = 2;
const IOC_WRITE: u32 = 1;

const fn ioc(dir: u32, nr: u32, size: usize) -> u32 {
    (dir << 30) | ((size as u32) << 16) | (DAOS_IOC_MAGIC << 8) | nr
}

/// `_IOR(DAOS_IOC_MAGIC, nr, T)`.
pub const fn ior<T>(nr: u32) -> u32 {
    ioc(IOC_READ, nr, core::mem::size_of::<T>())
}

/// `_IOW(DAOS_IOC_MAGIC, nr, T)`.
pub const fn iow<T>(nr: u32) -> u32 {
    ioc(IOC_WRITE, nr, core::mem::size_of::<T>())
}

/// `_IOWR(DAOS_IOC_MAGIC, nr, T)`.
pub const fn iowr<T>(nr: u32) -> u32 {
    ioc(IOC_READ | IOC_WRITE, nr, core::mem::size_of::<T>())
}

pub const DAOS_IOC_VERSION: u32 = ior::<daos_version>(DAOS_IOC_NR_VERSION);
pub const DAOS_IOC_EQ_CREATE: u32 = iowr::<daos_ioc_eq_create>(DAOS_IOC_NR_EQ_CREATE);
pub const DAOS_IOC_EQ_DESTROY: u32 = iow::<daos_ioc_eq>(DAOS_IOC_NR_EQ_DESTROY);
pub const DAOS_IOC_EQ_POLL: u32 = iowr::<daos_ioc_eq_poll>(DAOS_IOC_NR_EQ_POLL);
pub const DAOS_IOC_EQ_QUERY: u32 = iow::<daos_ioc_eq_query>(DAOS_IOC_NR_EQ_QUERY);
pub const DAOS_IOC_EQ_EVENTFD: u32 = iow::<daos_ioc_eq_eventfd>(DAOS_IOC_NR_EQ_EVENTFD);
pub const DAOS_IOC_EVENT_INIT: u32 = iowr::<daos_ioc_event_init>(DAOS_IOC_NR_EVENT_INIT);
pub const DAOS_IOC_EVENT_FINI: u32 = iow::<daos_ioc_event>(DAOS_IOC_NR_EVENT_FINI);
pub const DAOS_IOC_EVENT_NEXT: u32 = iowr::<daos_ioc_event_next>(DAOS_IOC_NR_EVENT_NEXT);
pub const DAOS_IOC_EVENT_ABORT: u32 = iow::<daos_ioc_event>(DAOS_IOC_NR_EVENT_ABORT);
pub const DAOS_IOC_NOOP: u32 = iowr::<daos_ioc_noop>(DAOS_IOC_NR_NOOP);

/// Every command, with its name, for the C cross-check.
pub const COMMANDS: [(&str, u32); 11] = [
    ("VERSION", DAOS_IOC_VERSION),
    ("EQ_CREATE", DAOS_IOC_EQ_CREATE),
    ("EQ_DESTROY", DAOS_IOC_EQ_DESTROY),
    ("EQ_POLL", DAOS_IOC_EQ_POLL),
    ("EQ_QUERY", DAOS_IOC_EQ_QUERY),
    ("EQ_EVENTFD", DAOS_IOC_EQ_EVENTFD),
    ("EVENT_INIT", DAOS_IOC_EVENT_INIT),
    ("EVENT_FINI", DAOS_IOC_EVENT_FINI),
    ("EVENT_NEXT", DAOS_IOC_EVENT_NEXT),
    ("EVENT_ABORT", DAOS_IOC_EVENT_ABORT),
    ("NOOP", DAOS_IOC_NOOP),
];

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::{string::String, vec::Vec};

    // The probe is linked into the tests only (see build.rs): the shipped
    // libraries carry no probe symbols.
    #[link(name = "daos_abi_probe", kind = "static")]
    extern "C" {
        static daos_probe_sizeof_version: core::ffi::c_ulong;
        static daos_probe_alignof_version: core::ffi::c_ulong;
        static daos_probe_commands: [core::ffi::c_uint; 11];
    }

    #[test]
    fn c_compiler_agrees_with_rust() {
        // SAFETY: constants defined in src/probe.c, never written.
        let (size, align, cmds) = unsafe {
            (daos_probe_sizeof_version, daos_probe_alignof_version, daos_probe_commands)
        };
        assert_eq!(size as usize, core::mem::size_of::<daos_version>());
        assert_eq!(align as usize, core::mem::align_of::<daos_version>());
        for (i, (name, cmd)) in COMMANDS.iter().enumerate() {
            assert_eq!(cmds[i], *cmd, "DAOS_IOC_{name}");
        }
    }

    /// Struct names declared in the header.
    fn header_structs() -> Vec<String> {
        let header = include_str!("../../../include/uapi/linux/daos.h");
        header
            .lines()
            .filter_map(|l| l.strip_prefix("struct "))
            .filter(|rest| rest.trim_end().ends_with('{'))
            .map(|rest| rest.trim_end_matches(|c| c == '{' || c == ' ').into())
            .collect()
    }

    #[test]
    fn every_header_struct_has_a_layout_row() {
        let layout = include_str!("../../../rust/uapi_layout.rs");
        let structs = header_structs();
        assert!(!structs.is_empty());
        for s in structs {
            let row = std::format!("assert_layout!({s},");
            assert!(layout.contains(&row), "rust/uapi_layout.rs has no row for struct {s}");
        }
    }

    /// Compiles `rows` with the layout macro of `rust/uapi_layout.rs`;
    /// whether rustc accepts them.
    fn layout_macro_accepts(rows: &str) -> bool {
        let table = include_str!("../../../rust/uapi_layout.rs");
        let mac = &table[..table.find("// ---- the ABI structures ----").unwrap()];
        let dir = std::env::temp_dir().join(std::format!("daos-layout-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let src = dir.join("t.rs");
        std::fs::write(&src, std::format!("#![allow(non_camel_case_types)]\n{mac}\n{rows}\n")).unwrap();
        let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
        let ok = std::process::Command::new(rustc)
            .args(["--crate-type=lib", "--edition=2021", "--emit=metadata", "-o"])
            .arg(dir.join("t.rmeta"))
            .arg(&src)
            .output()
            .unwrap()
            .status
            .success();
        std::fs::remove_dir_all(&dir).unwrap();
        ok
    }

    #[test]
    fn layout_macro_rejects_hidden_padding_and_wrong_types() {
        let good = "#[repr(C)] pub struct s { a: u64, b: u32, c: u32 }\n\
                    assert_layout!(s, size 16, align 8, { a @ 0: u64, b @ 8: u32, c @ 12: u32 });";
        assert!(layout_macro_accepts(good), "the control case must compile");
        // A narrowed field before a u64: offsets and size unchanged, four
        // bytes of padding that would reach userspace.
        let padded = "#[repr(C)] pub struct s { a: u32, b: u64 }\n\
                      assert_layout!(s, size 16, align 8, { a @ 0: u32, b @ 8: u64 });";
        assert!(!layout_macro_accepts(padded), "padding before a field");
        let tail = "#[repr(C)] pub struct s { a: u64, b: u32 }\n\
                    assert_layout!(s, size 16, align 8, { a @ 0: u64, b @ 8: u32 });";
        assert!(!layout_macro_accepts(tail), "padding at the end");
        let retyped = "#[repr(C)] pub struct s { a: u32, b: u32 }\n\
                       assert_layout!(s, size 8, align 4, { a @ 0: i32, b @ 4: u32 });";
        assert!(!layout_macro_accepts(retyped), "a field of another type");
    }

    #[test]
    fn zerocopy_round_trip() {
        use zerocopy::{FromBytes, IntoBytes};
        let v = daos_version { abi_major: 1, abi_minor: 2, features: 3, reserved: [0; 2] };
        let back = daos_version::read_from_bytes(v.as_bytes()).unwrap();
        assert_eq!(v, back);
    }
}
