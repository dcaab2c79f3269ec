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
pub const DAOS_IOC_CO_OPEN: u32 = iowr::<daos_ioc_co_open>(DAOS_IOC_NR_CO_OPEN);
pub const DAOS_IOC_CO_CLOSE: u32 = iow::<daos_ioc_co>(DAOS_IOC_NR_CO_CLOSE);
pub const DAOS_IOC_CO_UNLINK: u32 = iow::<daos_ioc_co_unlink>(DAOS_IOC_NR_CO_UNLINK);
pub const DAOS_IOC_CO_QUERY: u32 = iowr::<daos_ioc_co_query>(DAOS_IOC_NR_CO_QUERY);
pub const DAOS_IOC_CO_LIST_SHARD: u32 = iowr::<daos_ioc_list_shard>(DAOS_IOC_NR_CO_LIST_SHARD);
pub const DAOS_IOC_CO_FLUSH: u32 = iow::<daos_ioc_epoch>(DAOS_IOC_NR_CO_FLUSH);
pub const DAOS_IOC_SHARD_ADD: u32 = iow::<daos_ioc_shards>(DAOS_IOC_NR_SHARD_ADD);
pub const DAOS_IOC_SHARD_DISABLE: u32 = iow::<daos_ioc_shards>(DAOS_IOC_NR_SHARD_DISABLE);
pub const DAOS_IOC_SHARD_QUERY: u32 = iowr::<daos_ioc_shard_query>(DAOS_IOC_NR_SHARD_QUERY);
pub const DAOS_IOC_SHARD_FLUSH: u32 = iow::<daos_ioc_epoch>(DAOS_IOC_NR_SHARD_FLUSH);
pub const DAOS_IOC_SHARD_LIST_OBJ: u32 = iowr::<daos_ioc_list_obj>(DAOS_IOC_NR_SHARD_LIST_OBJ);
pub const DAOS_IOC_OBJ_OPEN: u32 = iowr::<daos_ioc_obj_open>(DAOS_IOC_NR_OBJ_OPEN);
pub const DAOS_IOC_OBJ_CLOSE: u32 = iow::<daos_ioc_obj>(DAOS_IOC_NR_OBJ_CLOSE);
pub const DAOS_IOC_OBJ_READ: u32 = iow::<daos_ioc_obj_io>(DAOS_IOC_NR_OBJ_READ);
pub const DAOS_IOC_OBJ_WRITE: u32 = iow::<daos_ioc_obj_io>(DAOS_IOC_NR_OBJ_WRITE);
pub const DAOS_IOC_OBJ_PUNCH: u32 = iow::<daos_ioc_obj_punch>(DAOS_IOC_NR_OBJ_PUNCH);
pub const DAOS_IOC_EPOCH_QUERY: u32 = iowr::<daos_ioc_epoch_query>(DAOS_IOC_NR_EPOCH_QUERY);
pub const DAOS_IOC_EPOCH_SLIP: u32 = iow::<daos_ioc_epoch>(DAOS_IOC_NR_EPOCH_SLIP);
pub const DAOS_IOC_EPOCH_WAIT: u32 = iow::<daos_ioc_epoch_wait>(DAOS_IOC_NR_EPOCH_WAIT);
pub const DAOS_IOC_EPOCH_COMMIT: u32 = iowr::<daos_ioc_epoch>(DAOS_IOC_NR_EPOCH_COMMIT);
pub const DAOS_IOC_EPOCH_ABORT: u32 = iowr::<daos_ioc_epoch>(DAOS_IOC_NR_EPOCH_ABORT);
pub const DAOS_IOC_CO_SNAPSHOT: u32 = iow::<daos_ioc_co_snapshot>(DAOS_IOC_NR_CO_SNAPSHOT);
pub const DAOS_IOC_CO_LISTEN: u32 = iow::<daos_ioc_listen>(DAOS_IOC_NR_CO_LISTEN);
pub const DAOS_IOC_CO_LOCAL2GLOBAL: u32 = iowr::<daos_ioc_co_global>(DAOS_IOC_NR_CO_LOCAL2GLOBAL);
pub const DAOS_IOC_CO_GLOBAL2LOCAL: u32 = iowr::<daos_ioc_co_g2l>(DAOS_IOC_NR_CO_GLOBAL2LOCAL);
pub const DAOS_IOC_SYS_OPEN: u32 = iowr::<daos_ioc_sys_open>(DAOS_IOC_NR_SYS_OPEN);
pub const DAOS_IOC_SYS_CLOSE: u32 = iow::<daos_ioc_co>(DAOS_IOC_NR_SYS_CLOSE);
pub const DAOS_IOC_SYS_QUERY: u32 = iowr::<daos_ioc_sys_query>(DAOS_IOC_NR_SYS_QUERY);
pub const DAOS_IOC_SYS_QUERY_TARGET: u32 = iowr::<daos_ioc_target_info>(DAOS_IOC_NR_SYS_QUERY_TARGET);
pub const DAOS_IOC_SYS_LISTEN: u32 = iow::<daos_ioc_listen>(DAOS_IOC_NR_SYS_LISTEN);
pub const DAOS_IOC_EVENT_PROGRESS: u32 = iowr::<daos_ioc_event_progress>(DAOS_IOC_NR_EVENT_PROGRESS);

/// Every command, with its name, for the C cross-check.
pub const COMMANDS: [(&str, u32); 42] = [
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
    ("CO_OPEN", DAOS_IOC_CO_OPEN),
    ("CO_CLOSE", DAOS_IOC_CO_CLOSE),
    ("CO_UNLINK", DAOS_IOC_CO_UNLINK),
    ("CO_QUERY", DAOS_IOC_CO_QUERY),
    ("CO_LIST_SHARD", DAOS_IOC_CO_LIST_SHARD),
    ("CO_FLUSH", DAOS_IOC_CO_FLUSH),
    ("SHARD_ADD", DAOS_IOC_SHARD_ADD),
    ("SHARD_DISABLE", DAOS_IOC_SHARD_DISABLE),
    ("SHARD_QUERY", DAOS_IOC_SHARD_QUERY),
    ("SHARD_FLUSH", DAOS_IOC_SHARD_FLUSH),
    ("SHARD_LIST_OBJ", DAOS_IOC_SHARD_LIST_OBJ),
    ("OBJ_OPEN", DAOS_IOC_OBJ_OPEN),
    ("OBJ_CLOSE", DAOS_IOC_OBJ_CLOSE),
    ("OBJ_READ", DAOS_IOC_OBJ_READ),
    ("OBJ_WRITE", DAOS_IOC_OBJ_WRITE),
    ("OBJ_PUNCH", DAOS_IOC_OBJ_PUNCH),
    ("EPOCH_QUERY", DAOS_IOC_EPOCH_QUERY),
    ("EPOCH_SLIP", DAOS_IOC_EPOCH_SLIP),
    ("EPOCH_WAIT", DAOS_IOC_EPOCH_WAIT),
    ("EPOCH_COMMIT", DAOS_IOC_EPOCH_COMMIT),
    ("EPOCH_ABORT", DAOS_IOC_EPOCH_ABORT),
    ("CO_SNAPSHOT", DAOS_IOC_CO_SNAPSHOT),
    ("CO_LISTEN", DAOS_IOC_CO_LISTEN),
    ("CO_LOCAL2GLOBAL", DAOS_IOC_CO_LOCAL2GLOBAL),
    ("CO_GLOBAL2LOCAL", DAOS_IOC_CO_GLOBAL2LOCAL),
    ("SYS_OPEN", DAOS_IOC_SYS_OPEN),
    ("SYS_CLOSE", DAOS_IOC_SYS_CLOSE),
    ("SYS_QUERY", DAOS_IOC_SYS_QUERY),
    ("SYS_QUERY_TARGET", DAOS_IOC_SYS_QUERY_TARGET),
    ("SYS_LISTEN", DAOS_IOC_SYS_LISTEN),
    ("EVENT_PROGRESS", DAOS_IOC_EVENT_PROGRESS),
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
        static daos_probe_commands: [core::ffi::c_uint; 42];
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
