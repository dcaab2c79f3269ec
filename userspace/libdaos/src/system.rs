// SPDX-License-Identifier: LGPL-2.1-or-later

//! The system container: targets, their places and their health.

use std::{ffi::CStr, os::raw::c_char};

use daos_abi as abi;

use crate::{container::listen, eq::ret, types::*};

/// # Safety
/// `daos_path` NULL or a C string; `handle` valid; `ev` NULL or an
/// initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_sys_open(daos_path: *const c_char, handle: *mut daos_handle_t, ev: *mut daos_event) -> i32 {
    if handle.is_null() {
        return -libc::EINVAL;
    }
    if !daos_path.is_null() {
        // The mount point must exist (every local target is reached from it).
        // SAFETY: the caller's promise.
        let path = unsafe { CStr::from_ptr(daos_path) };
        // SAFETY: a C string.
        if unsafe { libc::access(path.as_ptr(), libc::F_OK) } < 0 {
            return -std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO);
        }
    }
    let mut a = abi::daos_ioc_sys_open::default();
    // SAFETY: the caller's promise.
    if let Err(e) = unsafe { crate::container::call(ev, DAOS_EV_SYS_OPEN, abi::DAOS_IOC_SYS_OPEN, &mut a) } {
        return e;
    }
    // SAFETY: the caller's promise.
    unsafe { (*handle).cookie = a.handle };
    0
}

/// # Safety
/// `ev` NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_sys_close(handle: daos_handle_t, ev: *mut daos_event) -> i32 {
    let mut a = abi::daos_ioc_co { coh: handle.cookie, ..Default::default() };
    // SAFETY: the caller's promise.
    ret(unsafe { crate::container::call(ev, DAOS_EV_SYS_CLOSE, abi::DAOS_IOC_SYS_CLOSE, &mut a) }.map(|_| 0))
}

/// # Safety
/// `tevn` valid and `tevs` valid for `*tevn` records until the event
/// completes; `ev` NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_sys_listen(
    handle: daos_handle_t,
    tevn: *mut u32,
    tevs: *mut daos_target_event,
    ev: *mut daos_event,
) -> i32 {
    // The seed has no event type of its own for a listen: it is a query.
    // SAFETY: the caller's promise.
    unsafe { listen(handle, tevn, tevs as u64, ev, (DAOS_EV_SYS_QUERY, abi::DAOS_IOC_SYS_LISTEN)) }
}

/// # Safety
/// `loc` valid; `lkn` valid; `lks` NULL or valid for `*lkn` records; `ev`
/// NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_sys_query(
    handle: daos_handle_t,
    loc: *mut daos_location,
    depth: u32,
    lkn: *mut u32,
    lks: *mut daos_loc_key,
    ev: *mut daos_event,
) -> i32 {
    if lkn.is_null() {
        return -libc::EINVAL;
    }
    // SAFETY: the caller's promise.
    let (cage, rack, node) = match unsafe { loc.as_ref() } {
        Some(l) => (l.lc_cage, l.lc_rack, l.lc_node),
        None => (-1, -1, -1),
    };
    let mut a = abi::daos_ioc_sys_query {
        handle: handle.cookie,
        cage,
        rack,
        node,
        depth,
        keys: lks as u64,
        // SAFETY: the caller's promise.
        n: if lks.is_null() { 0 } else { unsafe { *lkn } },
        ..Default::default()
    };
    // SAFETY: the caller's promise.
    if let Err(e) = unsafe { crate::container::call(ev, DAOS_EV_SYS_QUERY, abi::DAOS_IOC_SYS_QUERY, &mut a) } {
        return e;
    }
    // SAFETY: the caller's promise.
    unsafe { *lkn = if lks.is_null() { a.count } else { a.count.min(a.n) } };
    0
}

/// # Safety
/// `info` valid for a write; `ev` NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_sys_query_target(
    handle: daos_handle_t,
    target: u32,
    info: *mut daos_target_info,
    ev: *mut daos_event,
) -> i32 {
    if info.is_null() {
        return -libc::EINVAL;
    }
    let mut a = abi::daos_ioc_target_info { handle: handle.cookie, target, ..Default::default() };
    // SAFETY: the caller's promise.
    if let Err(e) = unsafe { crate::container::call(ev, DAOS_EV_SYS_QUERY_TGT, abi::DAOS_IOC_SYS_QUERY_TARGET, &mut a) } {
        return e;
    }
    let mut loc = daos_target_loc { tl_current: 0, tl_nlocs: 1, ..Default::default() };
    loc.tl_failovers[0] = daos_location { lc_cage: a.cage, lc_rack: a.rack, lc_node: a.node };
    // SAFETY: the caller's promise.
    unsafe {
        *info = daos_target_info {
            ti_status: a.status,
            ti_type: a.type_ as daos_target_type_t,
            ti_loc: loc,
            ti_perf: daos_target_perf {
                tp_rdbw: a.read_mbps,
                tp_wrbw: a.write_mbps,
                tp_iops: a.iops,
                ..Default::default()
            },
            ti_space: daos_target_space { ts_size: a.capacity, ts_free: a.free, ts_nshard: a.nshard },
            ti_affinity: daos_target_aff { ta_cpu_aff: -1, ta_net_dist: a.net_dist, ta_latency: a.latency_us },
        };
    }
    0
}
