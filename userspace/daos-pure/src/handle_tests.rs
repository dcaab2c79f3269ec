// SPDX-License-Identifier: GPL-2.0

//! Handle encoding: round trips, and no forged value decodes to a handle
//! it was not made from.

use proptest::prelude::*;

use crate::pure::handle::{pid_bits, Handle, HandleType, COOKIE_MAX};

fn handle_type() -> impl Strategy<Value = HandleType> {
    prop_oneof![
        Just(HandleType::EventQueue),
        Just(HandleType::Container),
        Just(HandleType::Object),
        Just(HandleType::System),
    ]
}

#[test]
fn layout_is_type_pid_cookie() {
    let h = Handle::new(HandleType::EventQueue, 0x1234_5681, 7).unwrap();
    // type 1 in bits 63..61, pid bits 0x01 in 60..54, cookie 7.
    assert_eq!(h.encode(), (1u64 << 61) | (1u64 << 54) | 7);
}

#[test]
fn zero_and_small_integers_are_not_handles() {
    for raw in 0..4096u64 {
        assert_eq!(Handle::decode(raw), None, "{raw}");
    }
    assert_eq!(Handle::decode(u64::MAX), None, "reserved type 7");
}

#[test]
fn cookie_limits() {
    assert!(Handle::new(HandleType::Object, 1, 0).is_none());
    assert!(Handle::new(HandleType::Object, 1, COOKIE_MAX).is_some());
    assert!(Handle::new(HandleType::Object, 1, COOKIE_MAX + 1).is_none());
}

proptest! {
    #[test]
    fn round_trip(ty in handle_type(), tgid: u32, cookie in 1..=COOKIE_MAX) {
        let h = Handle::new(ty, tgid, cookie).unwrap();
        prop_assert_eq!(Handle::decode(h.encode()), Some(h));
        prop_assert_eq!(h.pid_bits, pid_bits(tgid));
    }

    #[test]
    fn decode_encode_is_identity_when_valid(raw: u64) {
        if let Some(h) = Handle::decode(raw) {
            prop_assert_eq!(h.encode(), raw);
        }
    }

    #[test]
    fn distinct_fields_give_distinct_values(
        a in (handle_type(), any::<u32>(), 1..=COOKIE_MAX),
        b in (handle_type(), any::<u32>(), 1..=COOKIE_MAX),
    ) {
        let ha = Handle::new(a.0, a.1, a.2).unwrap();
        let hb = Handle::new(b.0, b.1, b.2).unwrap();
        prop_assert_eq!(ha == hb, ha.encode() == hb.encode());
    }
}
