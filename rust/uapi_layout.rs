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
