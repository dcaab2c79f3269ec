// SPDX-License-Identifier: LGPL-2.1-or-later

//! Completion rings: each event queue's ring mapped into the process, and
//! the consumer side that takes completed events without a system call.
//!
//! The rings are part of the device state (`device.rs`): a fixed table of
//! slots, found from the EQ handle without a lock. A slot holds the handle,
//! its ring, and a count of the threads taking entries from it:
//! `daos_eq_destroy` clears the handle (no new user finds it) and waits for
//! those to leave. A slot's address range stays reserved for the process's
//! life: after the destroy an empty read-only stand-in replaces the ring
//! there, until a later EQ with a ring of the same shape maps its own at
//! the same place. So a poll can look whether a ring is empty without
//! counting itself in (no atomic read-modify-write: an empty poll is a few
//! loads): if the EQ was destroyed meanwhile it reads an empty ring, or a
//! later EQ's, and only ever answers "nothing there". Slots change under
//! the device lock, which the fork handlers hold across `fork()`; the child
//! forgets every ring (the mappings are not inherited: the module maps them
//! `VM_DONTCOPY`).
//!
//! Consumers claim entries by swapping the ring's head forward over the
//! entries they read (the module's poll does the same), so each completed
//! event goes to exactly one poller.

use std::{
    ptr,
    sync::atomic::{AtomicPtr, AtomicU32, AtomicU64, Ordering},
};

use daos_abi as abi;

use crate::{device, types::daos_event};

/// EQs with a mapped ring per process; the others work through the ioctl.
const SLOTS: usize = 256;

/// Entries taken per compare-and-swap.
const CLAIM_MAX: u32 = 64;

/// One slot's ring: an EQ's, or its stand-in. Never freed (see above).
pub(crate) struct Ring {
    base: *mut libc::c_void,
    len: usize,
    entries_off: u32,
    mask: u32,
    header: *mut abi::daos_eq_ring,
    entries: *const abi::daos_ring_entry,
}

/// A slot's handle: never used (a lookup stops here), or freed (a lookup
/// goes on past it), or an EQ's.
const UNUSED: u64 = 0;
const FREED: u64 = u64::MAX;

struct Slot {
    eqh: AtomicU64,
    users: AtomicU32,
    ring: AtomicPtr<Ring>,
}

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY: Slot = Slot { eqh: AtomicU64::new(0), users: AtomicU32::new(0), ring: AtomicPtr::new(ptr::null_mut()) };

static RINGS: [Slot; SLOTS] = [EMPTY; SLOTS];

/// The slots to probe for `eqh`, in order (handles' low bits are a counter).
fn probe(eqh: u64) -> impl Iterator<Item = &'static Slot> {
    let start = eqh as usize % SLOTS;
    (0..SLOTS).map(move |k| &RINGS[(start + k) % SLOTS])
}

impl Ring {
    fn field(&self, f: fn(*mut abi::daos_eq_ring) -> *mut u32) -> &AtomicU32 {
        // SAFETY: the header is mapped while `self` lives (see `Using`), 4-byte
        // aligned, and shared with the module, which accesses it atomically.
        unsafe { AtomicU32::from_ptr(f(self.header)) }
    }

    fn head(&self) -> &AtomicU32 {
        self.field(|h| unsafe { ptr::addr_of_mut!((*h).head) })
    }

    fn tail(&self) -> &AtomicU32 {
        self.field(|h| unsafe { ptr::addr_of_mut!((*h).tail) })
    }

    fn flags(&self) -> &AtomicU32 {
        self.field(|h| unsafe { ptr::addr_of_mut!((*h).flags) })
    }

    fn sleepers(&self) -> &AtomicU32 {
        self.field(|h| unsafe { ptr::addr_of_mut!((*h).sleepers) })
    }

    /// After taking entries: whether pollers sleep in the module (which
    /// must then be told; see `daos_eq_ring.sleepers`). Sequentially
    /// consistent with the swap that took them.
    pub(crate) fn sleepers_to_tell(&self) -> bool {
        self.sleepers().load(Ordering::SeqCst) != 0
    }

    /// Whether completed events wait in the module (or the ring stopped).
    pub(crate) fn overflow(&self) -> bool {
        self.flags().load(Ordering::Acquire) & abi::DAOS_RING_OVERFLOW != 0
    }

    /// Takes up to `n` completed events from the ring into `out`, writing
    /// each event's result; returns how many.
    ///
    /// # Safety
    /// `out` must be valid for `n` writes; the ring's events are this
    /// process's initialised events.
    pub(crate) unsafe fn reap(&self, out: *mut *mut daos_event, n: usize) -> usize {
        let mut got = 0;
        let mut taken = [abi::daos_ring_entry::default(); CLAIM_MAX as usize];
        let mut stale = 0;
        while got < n {
            let head = self.head().load(Ordering::Acquire);
            let ready = self.tail().load(Ordering::Acquire).wrapping_sub(head);
            if ready > self.mask + 1 {
                // A head read long before the tail: read both again (a
                // few times; a ring this process scribbled stays so).
                stale += 1;
                if stale < 8 {
                    continue;
                }
            }
            if ready == 0 || ready > self.mask + 1 {
                break;
            }
            let k = ready.min(CLAIM_MAX).min((n - got) as u32);
            for (i, t) in taken[..k as usize].iter_mut().enumerate() {
                let slot = (head.wrapping_add(i as u32) & self.mask) as usize;
                // SAFETY: inside the mapped entries; the producer does not
                // rewrite this slot while the head is still `head`, and if
                // the swap below fails what was read is dropped.
                *t = unsafe { ptr::read_volatile(self.entries.add(slot)) };
            }
            if self
                .head()
                .compare_exchange(head, head.wrapping_add(k), Ordering::SeqCst, Ordering::Relaxed)
                .is_err()
            {
                continue;
            }
            for e in &taken[..k as usize] {
                // A cancelled entry: its event was finalised first.
                if e.user == 0 {
                    continue;
                }
                let ev = e.user as *mut daos_event;
                // SAFETY: the module writes the addresses this process gave
                // at init; the caller's promise for `out`.
                unsafe {
                    (*ev).ev_error = e.error;
                    *out.add(got) = ev;
                }
                got += 1;
            }
        }
        got
    }
}

/// A thread's use of a ring; the ring stays mapped while it lives.
pub(crate) struct Using(&'static Slot);

impl std::ops::Deref for Using {
    type Target = Ring;

    fn deref(&self) -> &Ring {
        // SAFETY: the slot's ring is set before its handle, and lives as
        // long as the process; it is this EQ's while we are counted in.
        unsafe { &*self.0.ring.load(Ordering::Acquire) }
    }
}

impl Drop for Using {
    fn drop(&mut self) {
        self.0.users.fetch_sub(1, Ordering::Release);
    }
}

/// The slot of `eqh`, if it has a ring.
fn find(eqh: u64) -> Option<&'static Slot> {
    if eqh == UNUSED || eqh == FREED {
        return None;
    }
    for slot in probe(eqh) {
        match slot.eqh.load(Ordering::Acquire) {
            UNUSED => return None,
            h if h == eqh => return Some(slot),
            _ => {}
        }
    }
    None
}

/// Whether `eqh` has a ring with nothing in it and nothing waiting in the
/// module: only loads (see the module doc); `false` when unsure.
pub(crate) fn surely_empty(eqh: u64) -> bool {
    let Some(ring) = find(eqh).and_then(|s| {
        // SAFETY: a slot's ring, once set, lives as long as the process.
        unsafe { s.ring.load(Ordering::Acquire).as_ref() }
    }) else {
        return false;
    };
    // The flags first: the module publishes the tail before it clears
    // the flag, so a cleared flag comes with the tail that ended it.
    !ring.overflow() && ring.head().load(Ordering::Acquire) == ring.tail().load(Ordering::Acquire)
}

/// The mapped ring of `eqh`, if it has one, counted in.
pub(crate) fn using(eqh: u64) -> Option<Using> {
    let slot = find(eqh)?;
    // Sequentially consistent with `forget`'s store and load: either it
    // sees us counted, or we see its handle cleared (store buffering is
    // what weaker orders would allow).
    slot.users.fetch_add(1, Ordering::SeqCst);
    if slot.eqh.load(Ordering::SeqCst) == eqh {
        return Some(Using(slot));
    }
    slot.users.fetch_sub(1, Ordering::Release);
    None
}

/// Maps the ring `DAOS_IOC_EQ_CREATE` described and files it under `eqh`,
/// in a free slot with no ring yet or a stand-in of the same shape. Without
/// one, or if the mapping fails, the EQ works without it (through the
/// module).
pub(crate) fn map(fd: i32, eqh: u64, c: &abi::daos_ioc_eq_create) {
    if eqh == UNUSED || eqh == FREED || c.ring_bytes == 0 || !c.ring_entries.is_power_of_two() {
        return;
    }
    let (len, mask) = (c.ring_bytes as usize, c.ring_entries - 1);
    device::lock();
    let fits = |s: &Slot| {
        // SAFETY: a slot's ring lives as long as the process.
        let ring = unsafe { s.ring.load(Ordering::Acquire).as_ref() };
        matches!(s.eqh.load(Ordering::Acquire), UNUSED | FREED)
            && ring.is_none_or(|r| (r.len, r.mask, r.entries_off) == (len, mask, c.ring_entries_off))
    };
    if let Some(slot) = probe(eqh).find(|s| fits(s)) {
        let old = slot.ring.load(Ordering::Acquire);
        let at = if old.is_null() { ptr::null_mut() } else { unsafe { (*old).base } };
        let flags = libc::MAP_SHARED | if at.is_null() { 0 } else { libc::MAP_FIXED };
        // SAFETY: a shared mapping of the device (the module checks the
        // offset and the length), in place of this slot's stand-in if it
        // has one (nobody writes there: it is read-only and empty).
        let base = unsafe { libc::mmap(at, len, libc::PROT_READ | libc::PROT_WRITE, flags, fd, c.ring_offset as libc::off_t) };
        if base == libc::MAP_FAILED {
            if !at.is_null() {
                // The stand-in may be gone: put it back.
                stand_in(at, len);
            }
        } else if old.is_null() {
            let ring = Box::new(Ring {
                base,
                len,
                entries_off: c.ring_entries_off,
                mask,
                header: base.cast(),
                // SAFETY: the entries lie inside the mapping (module's layout).
                entries: unsafe { base.cast::<u8>().add(c.ring_entries_off as usize) }.cast(),
            });
            slot.ring.store(Box::into_raw(ring), Ordering::Release);
            slot.eqh.store(eqh, Ordering::Release);
        } else {
            slot.eqh.store(eqh, Ordering::Release);
        }
    }
    device::unlock();
}

/// An empty, read-only stand-in for a ring at `at`: readers find nothing.
fn stand_in(at: *mut libc::c_void, len: usize) {
    // SAFETY: replaces this library's own mapping at `at` with anonymous
    // zero pages; no one writes there any more.
    unsafe {
        libc::mmap(at, len, libc::PROT_READ, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED, -1, 0)
    };
}

/// `eqh` was destroyed: waits for the threads taking from its ring, then
/// puts the stand-in in its place.
pub(crate) fn forget(eqh: u64) {
    device::lock();
    if let Some(slot) = find(eqh) {
        slot.eqh.store(FREED, Ordering::SeqCst);
        while slot.users.load(Ordering::SeqCst) != 0 {
            std::thread::yield_now();
        }
        // SAFETY: a slot's ring lives as long as the process.
        if let Some(ring) = unsafe { slot.ring.load(Ordering::Acquire).as_ref() } {
            stand_in(ring.base, ring.len);
        }
    }
    device::unlock();
}

/// In a forked child: the rings were not inherited (the stand-ins were,
/// and stay, unused); forget them all. The child has one thread.
pub(crate) fn forget_all_in_child() {
    for slot in &RINGS {
        slot.eqh.store(UNUSED, Ordering::Relaxed);
        slot.users.store(0, Ordering::Relaxed);
        slot.ring.store(ptr::null_mut(), Ordering::Relaxed);
    }
}
