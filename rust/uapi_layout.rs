// SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note

// The layout of every structure of include/uapi/linux/daos.h, written out.
//
// This file is compiled into both the kernel module (rust/uapi.rs) and the
// userspace bindings (userspace/daos-abi), each of which generates its types
// from the header with bindgen. A header change that moves, resizes or
// realigns anything fails both builds until this table is updated on purpose;
// the numbers are the ABI promise, identical for 32- and 64-bit processes.
// A host test checks that every structure of the header is listed here.

macro_rules! assert_layout {
    ($ty:ident, size $size:expr, align $align:expr, { $($field:ident: $off:expr),* $(,)? }) => {
        const _: () = {
            assert!(::core::mem::size_of::<$ty>() == $size);
            assert!(::core::mem::align_of::<$ty>() == $align);
            $(assert!(::core::mem::offset_of!($ty, $field) == $off);)*
        };
    };
}

assert_layout!(daos_version, size 32, align 8, {
    abi_major: 0,
    abi_minor: 4,
    features: 8,
    reserved: 16,
});

assert_layout!(daos_ioc_eq_create, size 16, align 8, { eqh: 0, flags: 8 });

assert_layout!(daos_ioc_eq, size 16, align 8, { eqh: 0, flags: 8 });

assert_layout!(daos_polled_event, size 16, align 8, { user: 0, error: 8, reserved: 12 });

assert_layout!(daos_ioc_eq_poll, size 32, align 8, {
    eqh: 0,
    timeout_us: 8,
    events: 16,
    n: 24,
    flags: 28,
});

assert_layout!(daos_ioc_eq_query, size 24, align 8, { eqh: 0, events: 8, n: 16, mode: 20 });

assert_layout!(daos_ioc_eq_eventfd, size 16, align 8, { eqh: 0, fd: 8, flags: 12 });

assert_layout!(daos_ioc_event_init, size 32, align 8, { eqh: 0, user: 8, parent: 16, id: 24 });

assert_layout!(daos_ioc_event, size 16, align 8, { eqh: 0, id: 8 });

assert_layout!(daos_ioc_event_next, size 40, align 8, {
    eqh: 0,
    parent: 8,
    child: 16,
    next: 24,
    next_user: 32,
});

assert_layout!(daos_ioc_noop, size 32, align 8, {
    eqh: 0,
    id: 8,
    delay_us: 16,
    error: 24,
    flags: 28,
});
