// SPDX-License-Identifier: GPL-2.0

//! Properties of ioctl command decoding and lookup.

use proptest::prelude::*;

use crate::pure::ioctl_cmd::{fit, lookup, Accepted, Cmd, CmdError, CmdSpec, Dir, Fit, MAX_SIZE};

const MAGIC: u8 = 0xDA;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    A,
    B,
}

static TABLE: [CmdSpec<Op>; 2] = [
    CmdSpec { op: Op::A, nr: 0, dir: Dir::Read, sizes: &[32] },
    CmdSpec { op: Op::B, nr: 1, dir: Dir::ReadWrite, sizes: &[16, 24] },
];

fn dir() -> impl Strategy<Value = Dir> {
    prop_oneof![Just(Dir::NoData), Just(Dir::Write), Just(Dir::Read), Just(Dir::ReadWrite)]
}

#[test]
fn linux_x86_64_numbers() {
    // _IOR(0xDA, 0, 32-byte struct) as the C preprocessor computes it.
    let c = Cmd { dir: Dir::Read, ty: MAGIC, nr: 0, size: 32 };
    assert_eq!(c.encode(), Some(0x8020_DA00));
    // FIONREAD-style _IO number from another subsystem.
    assert_eq!(Cmd::decode(0x5401), Cmd { dir: Dir::NoData, ty: 0x54, nr: 1, size: 0 });
}

#[test]
fn oversized_argument_cannot_be_encoded() {
    let c = Cmd { dir: Dir::Read, ty: MAGIC, nr: 0, size: MAX_SIZE + 1 };
    assert_eq!(c.encode(), None);
}

#[test]
fn table_lookups() {
    let cmd = |dir, nr, size| Cmd { dir, ty: MAGIC, nr, size }.encode().unwrap();
    assert_eq!(lookup(&TABLE, MAGIC, cmd(Dir::Read, 0, 32)), Ok(Accepted { op: Op::A, size: 32 }));
    assert_eq!(lookup(&TABLE, MAGIC, cmd(Dir::ReadWrite, 1, 16)), Ok(Accepted { op: Op::B, size: 16 }));
    assert_eq!(lookup(&TABLE, MAGIC, cmd(Dir::ReadWrite, 1, 24)), Ok(Accepted { op: Op::B, size: 24 }));
    assert_eq!(lookup(&TABLE, MAGIC, cmd(Dir::ReadWrite, 1, 20)), Err(CmdError::BadSize));
    assert_eq!(lookup(&TABLE, MAGIC, cmd(Dir::ReadWrite, 1, 8)), Err(CmdError::BadSize));
    // A newer, larger structure: accepted (its tail is checked when copied).
    assert_eq!(lookup(&TABLE, MAGIC, cmd(Dir::ReadWrite, 1, 25)), Ok(Accepted { op: Op::B, size: 25 }));
    assert_eq!(lookup(&TABLE, MAGIC, cmd(Dir::Read, 0, 4096)), Ok(Accepted { op: Op::A, size: 4096 }));
    assert_eq!(lookup(&TABLE, MAGIC, cmd(Dir::Write, 0, 32)), Err(CmdError::NotOurs));
    assert_eq!(lookup(&TABLE, MAGIC, cmd(Dir::Read, 2, 32)), Err(CmdError::NotOurs));
    assert_eq!(lookup(&TABLE, MAGIC + 1, cmd(Dir::Read, 0, 32)), Err(CmdError::NotOurs));
}

#[test]
fn fit_follows_copy_struct_from_user() {
    assert_eq!(fit(16, 24), Fit { common: 16, tail: 0 }, "older: zero-extended");
    assert_eq!(fit(24, 24), Fit { common: 24, tail: 0 });
    assert_eq!(fit(40, 24), Fit { common: 24, tail: 16 }, "newer: a tail to check");
}

proptest! {
    #[test]
    fn fit_covers_the_callers_bytes(user in 0..=MAX_SIZE, kernel in 1..=MAX_SIZE) {
        let f = fit(user, kernel);
        prop_assert_eq!(f.common + f.tail, user);
        prop_assert!(f.common <= kernel);
        prop_assert!(f.tail == 0 || f.common == kernel);
    }

    #[test]
    fn encode_decode_round_trip(d in dir(), ty: u8, nr: u8, size in 0..=MAX_SIZE) {
        let c = Cmd { dir: d, ty, nr, size };
        prop_assert_eq!(Cmd::decode(c.encode().unwrap()), c);
    }

    #[test]
    fn every_number_decodes_and_re_encodes(raw: u32) {
        prop_assert_eq!(Cmd::decode(raw).encode(), Some(raw));
    }

    #[test]
    fn accepted_means_known_size_and_direction(raw: u32) {
        match lookup(&TABLE, MAGIC, raw) {
            Ok(a) => {
                let c = Cmd::decode(raw);
                let spec = TABLE.iter().find(|s| s.op == a.op).unwrap();
                prop_assert_eq!(c.ty, MAGIC);
                prop_assert_eq!((c.nr, c.dir), (spec.nr, spec.dir));
                prop_assert!(spec.sizes.contains(&a.size) || a.size > *spec.sizes.last().unwrap());
            }
            Err(CmdError::BadSize) => {
                let c = Cmd::decode(raw);
                let spec = TABLE.iter().find(|s| s.nr == c.nr && s.dir == c.dir).unwrap();
                prop_assert!(c.size < *spec.sizes.last().unwrap() && !spec.sizes.contains(&c.size));
            }
            Err(CmdError::NotOurs) => {}
        }
    }
}
