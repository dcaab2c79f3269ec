// SPDX-License-Identifier: LGPL-2.1-or-later

//! Event queues and events: the seed's EQ API over the `/dev/daos` ioctls.
//!
//! The kernel keeps every event's state; a userspace event only remembers
//! its EQ handle and kernel id, in the private space:
//! `ev_private.space[0]` = EQ handle, `[1]` = event id (0: not initialised).

use std::ptr;

use daos_abi as abi;

use crate::{
    device,
    types::{daos_ev_query_t, daos_event, daos_handle_t},
};

const EQH: usize = 0;
const ID: usize = 1;

/// Polled events fetched per ioctl when the caller's array is large.
const POLL_CHUNK: usize = 64;

/// `ioctl` result as 0/count or a negative errno.
fn ret(r: Result<i32, i32>) -> i32 {
    r.unwrap_or_else(|e| e)
}

/// The (EQ handle, id) of an initialised event.
///
/// # Safety
/// `ev` must be NULL or point to a readable `daos_event`.
unsafe fn ids(ev: *const daos_event) -> Result<(u64, u64), i32> {
    // SAFETY: the caller's promise.
    let ev = unsafe { ev.as_ref() }.ok_or(-libc::EINVAL)?;
    Ok((ev.ev_private.space[EQH], ev.ev_private.space[ID]))
}

/// # Safety
/// `eqh` must be NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn daos_eq_create(eqh: *mut daos_handle_t) -> i32 {
    if eqh.is_null() {
        return -libc::EINVAL;
    }
    let mut arg = abi::daos_ioc_eq_create::default();
    if let Err(e) = device::ioctl(abi::DAOS_IOC_EQ_CREATE, &mut arg) {
        return e;
    }
    // SAFETY: checked non-NULL; the caller's promise.
    unsafe { (*eqh).cookie = arg.eqh };
    0
}

#[no_mangle]
pub extern "C" fn daos_eq_destroy(eqh: daos_handle_t) -> i32 {
    let mut arg = abi::daos_ioc_eq { eqh: eqh.cookie, flags: 0 };
    ret(device::ioctl(abi::DAOS_IOC_EQ_DESTROY, &mut arg))
}

/// # Safety
/// `events` must be valid for `eventn` pointer writes; the events the kernel
/// returns are the caller's initialised events.
#[no_mangle]
pub unsafe extern "C" fn daos_eq_poll(
    eqh: daos_handle_t,
    wait_inf: i32,
    timeout: i64,
    eventn: i32,
    events: *mut *mut daos_event,
) -> i32 {
    if eventn <= 0 || eventn as u32 > abi::DAOS_EQ_BATCH_MAX || events.is_null() || timeout < -1 {
        return -libc::EINVAL;
    }
    let eventn = eventn as usize;
    let mut polled = [abi::daos_polled_event::default(); POLL_CHUNK];
    let mut total = 0usize;
    let mut timeout = timeout;
    while total < eventn {
        let n = (eventn - total).min(POLL_CHUNK);
        let mut arg = abi::daos_ioc_eq_poll {
            eqh: eqh.cookie,
            timeout_us: timeout,
            events: polled.as_mut_ptr() as u64,
            n: n as u32,
            flags: if wait_inf != 0 { abi::DAOS_EQ_POLL_WAIT_INFLIGHT } else { 0 },
        };
        let got = match device::ioctl(abi::DAOS_IOC_EQ_POLL, &mut arg) {
            Ok(got) => got as usize,
            Err(e) if total == 0 => return e,
            Err(_) => break,
        };
        for (i, p) in polled[..got].iter().enumerate() {
            let ev = p.user as *mut daos_event;
            // SAFETY: the kernel returns the addresses this process gave at
            // init, of events it still owns; `events` has room for `eventn`.
            unsafe {
                (*ev).ev_error = p.error;
                *events.add(total + i) = ev;
            }
        }
        total += got;
        // More only if that chunk came back full, and without waiting again.
        if got < n {
            break;
        }
        timeout = abi::DAOS_EQ_TIMEOUT_NOWAIT as i64;
    }
    total as i32
}

/// # Safety
/// `events` must be NULL or valid for `eventn` pointer writes.
#[no_mangle]
pub unsafe extern "C" fn daos_eq_query(
    eqh: daos_handle_t,
    query: daos_ev_query_t,
    eventn: u32,
    events: *mut *mut daos_event,
) -> i32 {
    if eventn > abi::DAOS_EQ_BATCH_MAX {
        return -libc::EINVAL;
    }
    let n = if events.is_null() { 0 } else { eventn };
    let mut addrs: Vec<u64> = vec![0; n as usize];
    let mut arg = abi::daos_ioc_eq_query {
        eqh: eqh.cookie,
        events: if n == 0 { 0 } else { addrs.as_mut_ptr() as u64 },
        n,
        mode: query,
    };
    let total = match device::ioctl(abi::DAOS_IOC_EQ_QUERY, &mut arg) {
        Ok(t) => t as u32,
        Err(e) => return e,
    };
    if events.is_null() {
        return total as i32;
    }
    let stored = total.min(n) as usize;
    for (i, &a) in addrs[..stored].iter().enumerate() {
        // SAFETY: room for `eventn` >= `stored` pointers (caller's promise).
        unsafe { *events.add(i) = a as *mut daos_event };
    }
    stored as i32
}

/// # Safety
/// `ev` must be NULL or a writable event; `parent` NULL or an initialised one.
#[no_mangle]
pub unsafe extern "C" fn daos_event_init(
    ev: *mut daos_event,
    eqh: daos_handle_t,
    parent: *mut daos_event,
) -> i32 {
    if ev.is_null() {
        return -libc::EINVAL;
    }
    let (eq, parent_id) = if parent.is_null() {
        (eqh.cookie, 0)
    } else {
        // SAFETY: caller's promise.
        match unsafe { ids(parent) } {
            Ok(p) => p,
            Err(e) => return e,
        }
    };
    let mut arg = abi::daos_ioc_event_init { eqh: eq, user: ev as u64, parent: parent_id, id: 0 };
    if let Err(e) = device::ioctl(abi::DAOS_IOC_EVENT_INIT, &mut arg) {
        return e;
    }
    // SAFETY: checked non-NULL; caller's promise.
    unsafe {
        ptr::write(ev, daos_event::default());
        (*ev).ev_private.space[EQH] = eq;
        (*ev).ev_private.space[ID] = arg.id;
    }
    0
}

/// Issues `cmd` (fini or abort) on an initialised event.
///
/// # Safety
/// `ev` must be NULL or point to a readable `daos_event`.
unsafe fn event_ioctl(ev: *const daos_event, cmd: u32) -> Result<i32, i32> {
    // SAFETY: the caller's promise.
    let (eqh, id) = unsafe { ids(ev) }?;
    device::ioctl(cmd, &mut abi::daos_ioc_event { eqh, id })
}

/// # Safety
/// `ev` must be NULL or an event this library initialised.
#[no_mangle]
pub unsafe extern "C" fn daos_event_fini(ev: *mut daos_event) -> i32 {
    // SAFETY: caller's promise.
    if let Err(e) = unsafe { event_ioctl(ev, abi::DAOS_IOC_EVENT_FINI) } {
        return e;
    }
    // SAFETY: non-NULL (the ioctl succeeded); forget the kernel id so a
    // second fini is -ENOENT.
    unsafe { (*ev).ev_private.space[ID] = 0 };
    0
}

/// # Safety
/// `parent` must be an initialised event; `child` NULL or one of its children.
#[no_mangle]
pub unsafe extern "C" fn daos_event_next(
    parent: *mut daos_event,
    child: *mut daos_event,
) -> *mut daos_event {
    // SAFETY: caller's promise.
    let Ok((eqh, parent_id)) = (unsafe { ids(parent) }) else {
        return ptr::null_mut();
    };
    let child_id = if child.is_null() {
        0
    } else {
        // SAFETY: caller's promise.
        match unsafe { ids(child) } {
            Ok((_, id)) => id,
            Err(_) => return ptr::null_mut(),
        }
    };
    let mut arg = abi::daos_ioc_event_next { eqh, parent: parent_id, child: child_id, next: 0, next_user: 0 };
    match device::ioctl(abi::DAOS_IOC_EVENT_NEXT, &mut arg) {
        Ok(_) => arg.next_user as *mut daos_event,
        Err(_) => ptr::null_mut(),
    }
}

/// # Safety
/// `ev` must be NULL or an event this library initialised.
#[no_mangle]
pub unsafe extern "C" fn daos_event_abort(ev: *mut daos_event) -> i32 {
    // SAFETY: caller's promise.
    ret(unsafe { event_ioctl(ev, abi::DAOS_IOC_EVENT_ABORT) })
}

#[no_mangle]
pub extern "C" fn daos_eq_set_eventfd(eqh: daos_handle_t, fd: i32) -> i32 {
    let mut arg = abi::daos_ioc_eq_eventfd { eqh: eqh.cookie, fd, flags: 0 };
    ret(device::ioctl(abi::DAOS_IOC_EQ_EVENTFD, &mut arg))
}

/// # Safety
/// `ev` must be NULL or an event this library initialised.
#[no_mangle]
pub unsafe extern "C" fn daos_noop(delay_us: u64, error: i32, ev: *mut daos_event) -> i32 {
    let (eqh, id) = if ev.is_null() {
        (0, 0)
    } else {
        // SAFETY: caller's promise.
        match unsafe { ids(ev) } {
            Ok(v) => v,
            Err(e) => return e,
        }
    };
    if !ev.is_null() && id == 0 {
        return -libc::ENOENT;
    }
    let mut arg = abi::daos_ioc_noop { eqh, id, delay_us, error, flags: 0 };
    ret(device::ioctl(abi::DAOS_IOC_NOOP, &mut arg))
}
