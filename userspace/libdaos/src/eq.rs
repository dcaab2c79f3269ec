// SPDX-License-Identifier: LGPL-2.1-or-later

//! Event queues and events: the seed's EQ API over the `/dev/daos` ioctls.
//!
//! Polls take completed events from the EQ's mapped ring (`ring.rs`)
//! first, without a system call.
//!
//! The kernel keeps every event's state; a userspace event only remembers
//! its EQ handle, its kernel id and its own address, in the private space:
//! `ev_private.space[0]` = EQ handle, `[1]` = event id (0: not initialised),
//! `[2]` = the event's address at init (an event found elsewhere was moved).
//! The kernel never writes user events: libdaos writes `ev_type` and
//! `ev_error` from what the ioctls return.

use std::ptr;

use daos_abi as abi;

use crate::{
    device, ring,
    types::{daos_ev_query_t, daos_ev_type_t, daos_event, daos_handle_t, DAOS_EV_COMPOUND, DAOS_EV_NONE, DAOS_EV_NOOP},
};

const EQH: usize = 0;
const ID: usize = 1;
const SELF: usize = 2;

/// Polled events fetched per ioctl when the caller's array is large.
const POLL_CHUNK: usize = 64;

/// `ioctl` result as 0/count or a negative errno.
pub(crate) fn ret(r: Result<i32, i32>) -> i32 {
    r.unwrap_or_else(|e| e)
}

/// An initialised event: where it is, and what the kernel knows it as.
#[derive(Clone, Copy)]
pub(crate) struct Event {
    ev: *mut daos_event,
    pub(crate) eqh: u64,
    pub(crate) id: u64,
}

impl Event {
    /// The initialised event at `ev`: `-EINVAL` for NULL or a moved copy,
    /// `-ENOENT` if it is not initialised.
    ///
    /// # Safety
    /// `ev` must be NULL or point to a readable `daos_event`.
    pub(crate) unsafe fn at(ev: *mut daos_event) -> Result<Event, i32> {
        // SAFETY: the caller's promise.
        let e = unsafe { ev.as_ref() }.ok_or(-libc::EINVAL)?;
        let space = &e.ev_private.space;
        if space[ID] == 0 {
            return Err(-libc::ENOENT);
        }
        if space[SELF] != ev as u64 {
            return Err(-libc::EINVAL);
        }
        Ok(Event { ev, eqh: space[EQH], id: space[ID] })
    }

    /// Issues `cmd` (fini or abort) on the event. The event's EQ handle was
    /// written by init; if the kernel no longer knows it, the EQ was
    /// destroyed and the event finalised with it (or this is a forked child
    /// with its parent's event): `-ENOENT`.
    fn ioctl(self, cmd: u32) -> Result<i32, i32> {
        device::ioctl(cmd, &mut abi::daos_ioc_event { eqh: self.eqh, id: self.id, flags: 0 }).map_err(stale_eq)
    }
}

/// An event call's `-EBADF` (its EQ handle is gone) reads `-ENOENT`.
fn stale_eq(e: i32) -> i32 {
    if e == -libc::EBADF {
        -libc::ENOENT
    } else {
        e
    }
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
    if let Ok(fd) = device::fd() {
        ring::map(fd, arg.eqh, &arg);
    }
    // SAFETY: checked non-NULL; the caller's promise.
    unsafe { (*eqh).cookie = arg.eqh };
    0
}

#[no_mangle]
pub extern "C" fn daos_eq_destroy(eqh: daos_handle_t) -> i32 {
    let mut arg = abi::daos_ioc_eq { eqh: eqh.cookie, flags: 0 };
    let rc = device::ioctl(abi::DAOS_IOC_EQ_DESTROY, &mut arg);
    if rc.is_ok() {
        ring::forget(eqh.cookie);
    }
    ret(rc)
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
    // Completed events in the ring need no system call; the module is
    // asked only to wait, or for the events that did not fit.
    if timeout == abi::DAOS_EQ_TIMEOUT_NOWAIT as i64 && ring::surely_empty(eqh.cookie) {
        return 0;
    }
    if let Some(ring) = ring::using(eqh.cookie) {
        // Read before the ring (see `surely_empty`).
        let overflow = ring.overflow();
        // SAFETY: the caller's promise for `events`.
        let got = unsafe { ring.reap(events, eventn) };
        if got > 0 {
            if ring.sleepers_to_tell() {
                // A poller in the module may wait for the EQ to go idle:
                // any command on the EQ makes the module look at the ring.
                let mut q = abi::daos_ioc_eq_query { eqh: eqh.cookie, mode: abi::DAOS_EQ_QUERY_COMPLETED, ..Default::default() };
                let _ = device::ioctl(abi::DAOS_IOC_EQ_QUERY, &mut q);
            }
            return got as i32;
        }
        if timeout == abi::DAOS_EQ_TIMEOUT_NOWAIT as i64 && !overflow {
            return 0;
        }
    }
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
    let mut found = vec![abi::daos_polled_event::default(); n as usize];
    let mut arg = abi::daos_ioc_eq_query {
        eqh: eqh.cookie,
        events: if n == 0 { 0 } else { found.as_mut_ptr() as u64 },
        n,
        mode: query,
        flags: 0,
    };
    // With an array, the kernel returns how many it wrote.
    let got = match device::ioctl(abi::DAOS_IOC_EQ_QUERY, &mut arg) {
        Ok(t) => t as usize,
        Err(e) => return e,
    };
    if n == 0 {
        return got as i32;
    }
    for (i, f) in found[..got.min(n as usize)].iter().enumerate() {
        let ev = f.user as *mut daos_event;
        // SAFETY: as for poll: this process's initialised events; room for
        // `eventn` >= `got` pointers (caller's promise).
        unsafe {
            (*ev).ev_error = f.error;
            *events.add(i) = ev;
        }
    }
    got as i32
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
        match unsafe { Event::at(parent) } {
            Ok(p) => (p.eqh, p.id),
            Err(e) => return e,
        }
    };
    // Still initialised (not finalised, not moved): its kernel event goes
    // first, or it would leak.
    // SAFETY: caller's promise.
    if let Ok(old) = unsafe { Event::at(ev) } {
        match old.ioctl(abi::DAOS_IOC_EVENT_FINI) {
            Err(e) if e == -libc::EBUSY => return e,
            _ => {}
        }
    }
    let mut arg = abi::daos_ioc_event_init { eqh: eq, user: ev as u64, parent: parent_id, id: 0, flags: 0 };
    if let Err(e) = device::ioctl(abi::DAOS_IOC_EVENT_INIT, &mut arg) {
        return if parent.is_null() { e } else { stale_eq(e) };
    }
    // SAFETY: checked non-NULL; caller's promise.
    unsafe {
        ptr::write(ev, daos_event::default());
        (*ev).ev_type = DAOS_EV_NONE;
        (*ev).ev_private.space[EQH] = eq;
        (*ev).ev_private.space[ID] = arg.id;
        (*ev).ev_private.space[SELF] = ev as u64;
        if !parent.is_null() {
            (*parent).ev_type = DAOS_EV_COMPOUND;
        }
    }
    0
}

/// # Safety
/// `ev` must be NULL or an event this library initialised.
#[no_mangle]
pub unsafe extern "C" fn daos_event_fini(ev: *mut daos_event) -> i32 {
    // SAFETY: caller's promise.
    let event = match unsafe { Event::at(ev) } {
        Ok(e) => e,
        Err(e) => return e,
    };
    if let Err(e) = event.ioctl(abi::DAOS_IOC_EVENT_FINI) {
        return e;
    }
    // SAFETY: a valid event (checked by `at`); forget the kernel id, so a
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
    let Ok(p) = (unsafe { Event::at(parent) }) else {
        return ptr::null_mut();
    };
    let child_id = if child.is_null() {
        0
    } else {
        // SAFETY: caller's promise.
        match unsafe { Event::at(child) } {
            Ok(c) => c.id,
            Err(_) => return ptr::null_mut(),
        }
    };
    let mut arg = abi::daos_ioc_event_next {
        eqh: p.eqh,
        parent: p.id,
        child: child_id,
        next: 0,
        next_user: 0,
        flags: 0,
        next_error: 0,
    };
    if device::ioctl(abi::DAOS_IOC_EVENT_NEXT, &mut arg).is_err() {
        return ptr::null_mut();
    }
    let next = arg.next_user as *mut daos_event;
    if !next.is_null() {
        // SAFETY: the kernel returns the address this process gave when it
        // initialised that child, which it still owns.
        unsafe { (*next).ev_error = arg.next_error };
    }
    next
}

/// # Safety
/// `ev` must be NULL or an event this library initialised.
#[no_mangle]
pub unsafe extern "C" fn daos_event_abort(ev: *mut daos_event) -> i32 {
    // SAFETY: caller's promise.
    match unsafe { Event::at(ev) } {
        Ok(event) => ret(event.ioctl(abi::DAOS_IOC_EVENT_ABORT)),
        Err(e) => e,
    }
}

#[no_mangle]
pub extern "C" fn daos_eq_set_eventfd(eqh: daos_handle_t, fd: i32) -> i32 {
    let mut arg = abi::daos_ioc_eq_eventfd { eqh: eqh.cookie, fd, flags: 0 };
    ret(device::ioctl(abi::DAOS_IOC_EQ_EVENTFD, &mut arg))
}

/// Dispatches an operation on `ev` (when it is not NULL) with `arg`, setting
/// the event's type first, as the API promises (and back if the dispatch
/// fails).
///
/// # Safety
/// `ev` must be an event initialised by this library.
pub(crate) unsafe fn dispatch<T>(ev: Event, ty: daos_ev_type_t, cmd: u32, arg: &mut T) -> i32 {
    // SAFETY: the caller's promise.
    let old = unsafe { ptr::replace(ptr::addr_of_mut!((*ev.ev).ev_type), ty) };
    let rc = device::ioctl(cmd, arg).map_err(stale_eq);
    if rc.is_err() {
        // SAFETY: as above.
        unsafe { (*ev.ev).ev_type = old };
    }
    ret(rc)
}

/// # Safety
/// `ev` must be NULL or an event this library initialised.
#[no_mangle]
pub unsafe extern "C" fn daos_noop(delay_us: u64, error: i32, ev: *mut daos_event) -> i32 {
    let mut arg = abi::daos_ioc_noop { eqh: 0, id: 0, delay_us, error, flags: 0 };
    if ev.is_null() {
        return ret(device::ioctl(abi::DAOS_IOC_NOOP, &mut arg));
    }
    // SAFETY: caller's promise.
    let event = match unsafe { Event::at(ev) } {
        Ok(e) => e,
        Err(e) => return e,
    };
    (arg.eqh, arg.id) = (event.eqh, event.id);
    // SAFETY: an initialised event (checked by `at`).
    unsafe { dispatch(event, DAOS_EV_NOOP, abi::DAOS_IOC_NOOP, &mut arg) }
}

/// # Safety
/// `ev` NULL or an event this library initialised; `done` and `total`
/// NULL or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn daos_event_progress(ev: *mut daos_event, done: *mut u64, total: *mut u64) -> i32 {
    // SAFETY: the caller's promise.
    let event = match unsafe { Event::at(ev) } {
        Ok(e) => e,
        Err(e) => return e,
    };
    let mut a = abi::daos_ioc_event_progress { eqh: event.eqh, id: event.id, ..Default::default() };
    if let Err(e) = device::ioctl(abi::DAOS_IOC_EVENT_PROGRESS, &mut a).map_err(stale_eq) {
        return e;
    }
    // SAFETY: the caller passes NULL or valid pointers.
    unsafe {
        if let Some(d) = done.as_mut() {
            *d = a.done;
        }
        if let Some(t) = total.as_mut() {
            *t = a.total;
        }
    }
    0
}
