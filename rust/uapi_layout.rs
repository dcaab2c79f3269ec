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

assert_layout!(daos_ioc_eq_create, size 40, align 8, {
    eqh @ 0: u64,
    flags @ 8: u64,
    ring_entries @ 16: u32,
    ring_entries_off @ 20: u32,
    ring_offset @ 24: u64,
    ring_bytes @ 32: u64,
});

assert_layout!(daos_eq_ring, size 256, align 4, {
    head @ 0: u32,
    pad0 @ 4: [u32; 15],
    tail @ 64: u32,
    pad1 @ 68: [u32; 15],
    flags @ 128: u32,
    entries @ 132: u32,
    sleepers @ 136: u32,
    reserved @ 140: [u32; 29],
});

assert_layout!(daos_ring_entry, size 16, align 8, { user @ 0: u64, error @ 8: i32, seq @ 12: u32 });

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

assert_layout!(daos_ioc_ev, size 16, align 8, { eqh @ 0: u64, id @ 8: u64 });

assert_layout!(daos_ioc_co_open, size 48, align 8, {
    ev @ 0: daos_ioc_ev,
    fd @ 16: i32,
    mode @ 20: u32,
    nprocess @ 24: u32,
    status @ 28: u32,
    coh @ 32: u64,
    flags @ 40: u64,
});

assert_layout!(daos_ioc_co, size 32, align 8, { ev @ 0: daos_ioc_ev, coh @ 16: u64, flags @ 24: u64 });

assert_layout!(daos_ioc_co_unlink, size 24, align 8, { ev @ 0: daos_ioc_ev, fd @ 16: i32, flags @ 20: u32 });

assert_layout!(daos_ioc_co_query, size 56, align 8, {
    ev @ 0: daos_ioc_ev,
    coh @ 16: u64,
    epoch @ 24: u64,
    uid @ 32: u32,
    gid @ 36: u32,
    nshard @ 40: u32,
    nshard_stuck @ 44: u32,
    nshard_disabled @ 48: u32,
    flags @ 52: u32,
});

assert_layout!(daos_ioc_list_shard, size 64, align 8, {
    ev @ 0: daos_ioc_ev,
    coh @ 16: u64,
    epoch @ 24: u64,
    anchor @ 32: u64,
    shards @ 40: u64,
    n @ 48: u32,
    opc @ 52: u32,
    flags @ 56: u64,
});

assert_layout!(daos_ioc_shards, size 56, align 8, {
    ev @ 0: daos_ioc_ev,
    coh @ 16: u64,
    epoch @ 24: u64,
    targets @ 32: u64,
    shards @ 40: u64,
    n @ 48: u32,
    flags @ 52: u32,
});

assert_layout!(daos_ioc_shard_query, size 88, align 8, {
    ev @ 0: daos_ioc_ev,
    coh @ 16: u64,
    epoch @ 24: u64,
    shard @ 32: u32,
    target @ 36: u32,
    status @ 40: i32,
    type_ @ 44: u32,
    cage @ 48: i32,
    rack @ 52: i32,
    node @ 56: i32,
    reserved @ 60: u32,
    nobjs @ 64: u64,
    used @ 72: u64,
    flags @ 80: u64,
});

assert_layout!(daos_ioc_list_obj, size 64, align 8, {
    ev @ 0: daos_ioc_ev,
    coh @ 16: u64,
    epoch @ 24: u64,
    anchor @ 32: u64,
    oids @ 40: u64,
    n @ 48: u32,
    shard @ 52: u32,
    flags @ 56: u64,
});

assert_layout!(daos_ioc_epoch, size 40, align 8, {
    ev @ 0: daos_ioc_ev,
    coh @ 16: u64,
    epoch @ 24: u64,
    shard @ 32: u32,
    flags @ 36: u32,
});

assert_layout!(daos_ioc_epoch_wait, size 56, align 8, {
    ev @ 0: daos_ioc_ev,
    coh @ 16: u64,
    epoch @ 24: u64,
    epoch_out @ 32: u64,
    layout_out @ 40: u64,
    flags @ 48: u64,
});

assert_layout!(daos_ioc_epoch_query, size 72, align 8, {
    ev @ 0: daos_ioc_ev,
    coh @ 16: u64,
    hce @ 24: u64,
    oldest @ 32: u64,
    slipped @ 40: u64,
    hse @ 48: u64,
    layout @ 56: u64,
    flags @ 64: u64,
});

assert_layout!(daos_ioc_obj_open, size 56, align 8, {
    ev @ 0: daos_ioc_ev,
    coh @ 16: u64,
    oid_hi @ 24: u64,
    oid_lo @ 32: u64,
    mode @ 40: u32,
    flags @ 44: u32,
    oh @ 48: u64,
});

assert_layout!(daos_ioc_obj, size 32, align 8, { ev @ 0: daos_ioc_ev, oh @ 16: u64, flags @ 24: u64 });

assert_layout!(daos_ioc_frag, size 16, align 8, { addr @ 0: u64, len @ 8: u64 });

assert_layout!(daos_ioc_obj_io, size 64, align 8, {
    ev @ 0: daos_ioc_ev,
    oh @ 16: u64,
    epoch @ 24: u64,
    mem @ 32: u64,
    obj @ 40: u64,
    nmem @ 48: u32,
    nobj @ 52: u32,
    flags @ 56: u64,
});

assert_layout!(daos_ioc_obj_punch, size 72, align 8, {
    ev @ 0: daos_ioc_ev,
    coh @ 16: u64,
    epoch @ 24: u64,
    oid_hi @ 32: u64,
    oid_lo @ 40: u64,
    begin @ 48: u64,
    end @ 56: u64,
    flags @ 64: u64,
});

assert_layout!(daos_ioc_co_snapshot, size 40, align 8, {
    ev @ 0: daos_ioc_ev,
    coh @ 16: u64,
    epoch @ 24: u64,
    fd @ 32: i32,
    flags @ 36: u32,
});

assert_layout!(daos_ioc_listen, size 48, align 8, {
    ev @ 0: daos_ioc_ev,
    handle @ 16: u64,
    count @ 24: u64,
    events @ 32: u64,
    n @ 40: u32,
    flags @ 44: u32,
});

assert_layout!(daos_ioc_target_event, size 8, align 4, { target @ 0: u32, status @ 4: i32 });

assert_layout!(daos_ioc_shard_event, size 24, align 8, {
    shard @ 0: u32,
    target @ 4: u32,
    status @ 8: i32,
    reserved @ 12: u32,
    epoch @ 16: u64,
});

assert_layout!(daos_ioc_sys_open, size 32, align 8, { ev @ 0: daos_ioc_ev, handle @ 16: u64, flags @ 24: u64 });

assert_layout!(daos_ioc_loc_key, size 8, align 4, { type_ @ 0: u32, id @ 4: u32 });

assert_layout!(daos_ioc_sys_query, size 64, align 8, {
    ev @ 0: daos_ioc_ev,
    handle @ 16: u64,
    cage @ 24: i32,
    rack @ 28: i32,
    node @ 32: i32,
    depth @ 36: u32,
    keys @ 40: u64,
    n @ 48: u32,
    count @ 52: u32,
    flags @ 56: u64,
});

assert_layout!(daos_ioc_target_info, size 96, align 8, {
    ev @ 0: daos_ioc_ev,
    handle @ 16: u64,
    target @ 24: u32,
    status @ 28: i32,
    type_ @ 32: u32,
    cage @ 36: i32,
    rack @ 40: i32,
    node @ 44: i32,
    capacity @ 48: u64,
    free @ 56: u64,
    nshard @ 64: u32,
    read_mbps @ 68: u32,
    write_mbps @ 72: u32,
    iops @ 76: u32,
    latency_us @ 80: u64,
    net_dist @ 88: i32,
    flags @ 92: u32,
});

assert_layout!(daos_global_handle, size 72, align 8, {
    magic @ 0: u32,
    version @ 4: u32,
    nshard @ 8: u32,
    dev @ 12: u32,
    generation @ 16: u32,
    writable @ 20: u32,
    ino @ 24: u64,
    open @ 32: u64,
    hce @ 40: u64,
    secret @ 48: [u8; 16],
    reserved @ 64: u64,
});

assert_layout!(daos_ioc_co_global, size 24, align 8, { coh @ 0: u64, buf @ 8: u64, size @ 16: u32, flags @ 20: u32 });

assert_layout!(daos_ioc_co_g2l, size 40, align 8, {
    ev @ 0: daos_ioc_ev,
    buf @ 16: u64,
    size @ 24: u32,
    flags @ 28: u32,
    coh @ 32: u64,
});

assert_layout!(daos_ioc_event_progress, size 40, align 8, {
    eqh @ 0: u64,
    id @ 8: u64,
    done @ 16: u64,
    total @ 24: u64,
    flags @ 32: u64,
});

// The first versions of grown structures are prefixes of the current ones.
const _: () = {
    assert!(DAOS_IOC_EQ_CREATE_SIZE_VER0 as usize == ::core::mem::offset_of!(daos_ioc_eq_create, ring_entries));
    assert!(DAOS_IOC_EVENT_INIT_SIZE_VER0 as usize == ::core::mem::offset_of!(daos_ioc_event_init, flags));
    assert!(DAOS_IOC_EVENT_SIZE_VER0 as usize == ::core::mem::offset_of!(daos_ioc_event, flags));
    assert!(DAOS_IOC_EVENT_NEXT_SIZE_VER0 as usize == ::core::mem::offset_of!(daos_ioc_event_next, flags));
};
