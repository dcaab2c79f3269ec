// SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note

// The layout of every structure of include/uapi/linux/daos.h, written out.
//
// This file is compiled into both the kernel module (rust/uapi.rs) and the
// userspace bindings (userspace/daos-abi), each of which generates its types
// from the header with bindgen. A header change that moves, resizes,
// retypes or realigns anything fails both builds until this table is
// updated on purpose; the numbers are the ABI promise, identical for 32- and
// 64-bit processes. A host test checks that every structure of the header
// is listed here.
//
// Each row names every field with its offset and type, in order. Besides
// each offset, the macro checks that the fields tile the structure: each
// starts where the one before ends and the last ends at the structure's
// size. So no structure has implicit padding, which is what the module's
// `AsBytes` promise (rust/sys/mod.rs) rests on: every byte copied to
// userspace belongs to a field.

macro_rules! assert_layout {
    ($ty:ident, size $size:expr, align $align:expr, { $($field:ident @ $off:literal: $fty:ty),* $(,)? }) => {
        const _: () = {
            assert!(::core::mem::size_of::<$ty>() == $size);
            assert!(::core::mem::align_of::<$ty>() == $align);
            let mut end = 0;
            $(
                assert!(::core::mem::offset_of!($ty, $field) == $off);
                assert!(::core::mem::offset_of!($ty, $field) == end, "a gap before this field");
                end += ::core::mem::size_of::<$fty>();
            )*
            assert!(end == ::core::mem::size_of::<$ty>(), "a gap at the end");
            // The declared types are the fields' real types.
            #[allow(dead_code)]
            fn types(s: &$ty) {
                $(let _: &$fty = &s.$field;)*
            }
        };
    };
}

// ---- the ABI structures ----

assert_layout!(daos_version, size 32, align 8, {
    abi_major @ 0: u32,
    abi_minor @ 4: u32,
    features @ 8: u64,
    reserved @ 16: [u64; 2],
});

assert_layout!(daos_ioc_eq_create, size 16, align 8, { eqh @ 0: u64, flags @ 8: u64 });

assert_layout!(daos_ioc_eq, size 16, align 8, { eqh @ 0: u64, flags @ 8: u64 });

assert_layout!(daos_polled_event, size 16, align 8, { user @ 0: u64, error @ 8: i32, reserved @ 12: u32 });

assert_layout!(daos_ioc_eq_poll, size 32, align 8, {
    eqh @ 0: u64,
    timeout_us @ 8: i64,
    events @ 16: u64,
    n @ 24: u32,
    flags @ 28: u32,
});

assert_layout!(daos_ioc_eq_query, size 32, align 8, {
    eqh @ 0: u64,
    events @ 8: u64,
    n @ 16: u32,
    mode @ 20: u32,
    flags @ 24: u64,
});

assert_layout!(daos_ioc_eq_eventfd, size 16, align 8, { eqh @ 0: u64, fd @ 8: i32, flags @ 12: u32 });

assert_layout!(daos_ioc_event_init, size 40, align 8, {
    eqh @ 0: u64,
    user @ 8: u64,
    parent @ 16: u64,
    id @ 24: u64,
    flags @ 32: u64,
});

assert_layout!(daos_ioc_event, size 24, align 8, { eqh @ 0: u64, id @ 8: u64, flags @ 16: u64 });

assert_layout!(daos_ioc_event_next, size 48, align 8, {
    eqh @ 0: u64,
    parent @ 8: u64,
    child @ 16: u64,
    next @ 24: u64,
    next_user @ 32: u64,
    flags @ 40: u32,
    next_error @ 44: i32,
});

assert_layout!(daos_ioc_noop, size 32, align 8, {
    eqh @ 0: u64,
    id @ 8: u64,
    delay_us @ 16: u64,
    error @ 24: i32,
    flags @ 28: u32,
});

// The first versions of grown structures are prefixes of the current ones.
const _: () = {
    assert!(DAOS_IOC_EVENT_INIT_SIZE_VER0 as usize == ::core::mem::offset_of!(daos_ioc_event_init, flags));
    assert!(DAOS_IOC_EVENT_SIZE_VER0 as usize == ::core::mem::offset_of!(daos_ioc_event, flags));
    assert!(DAOS_IOC_EVENT_NEXT_SIZE_VER0 as usize == ::core::mem::offset_of!(daos_ioc_event_next, flags));
};
