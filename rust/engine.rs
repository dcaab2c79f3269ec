// SPDX-License-Identifier: GPL-2.0

//! The request engine of one target (the seed's OSC role): the bulk write
//! requests the writeback cache sends to it, their limits, and their
//! counters.
//!
//! Limits (per target, in configfs): at most `max_in_flight` requests are
//! at the target at once, the others wait here in order ([`Engine::submit`]
//! and [`Engine::finished`]); at most `max_dirty` bytes are cached for it
//! (dirty, or in a request), and a writer past that blocks until requests
//! complete ([`Engine::room`]). `request_shift` is the size of one request
//! (a *chunk*; extents never straddle one).
//!
//! Counters (debugfs `daos/rpc_stats`, `daos stats`), as Lustre's
//! `rpc_stats`: requests by pages, requests by how many were in flight when
//! each was sent, bytes sent, writes lost, bytes cached.

use core::fmt;

use kernel::{
    new_mutex,
    prelude::*,
    sync::{
        atomic::{
            Atomic,
            Relaxed, //
        },
        Arc,
        Mutex,
    },
};

use crate::{
    cache::SendWork,
    pure::extent::{
        CHUNK_SHIFT_MAX,
        CHUNK_SHIFT_MIN, //
    },
    sys::wait::{
        new_wait_queue,
        WaitQueue,
    },
};

/// Default request size: 1 MiB (Lustre's).
pub(crate) const REQUEST_SHIFT_DEFAULT: u32 = 20;
/// Default requests in flight per target (Lustre's `max_rpcs_in_flight`).
pub(crate) const IN_FLIGHT_DEFAULT: u32 = 8;
/// Most requests in flight one may ask for.
pub(crate) const IN_FLIGHT_MAX: u32 = 256;
/// Default dirty bytes per target (Lustre's `max_dirty_mb`).
pub(crate) const DIRTY_DEFAULT: u64 = 32 << 20;

/// Histogram buckets: requests of 2^i pages (i < 13: 1 page to 16 MiB),
/// and requests sent with i others in flight (the last bucket: 16 or more).
const PAGE_BUCKETS: usize = 13;
const FLIGHT_BUCKETS: usize = 17;

/// Requests sent and free slots.
struct Slots {
    in_flight: u32,
    /// Sends waiting for a slot, oldest first.
    waiting: KVec<Arc<SendWork>>,
}

/// The counters.
struct Stats {
    requests: Atomic<u64>,
    bytes: Atomic<u64>,
    lost: Atomic<u64>,
    by_pages: [Atomic<u64>; PAGE_BUCKETS],
    by_flight: [Atomic<u64>; FLIGHT_BUCKETS],
}

#[pin_data]
pub(crate) struct Engine {
    request_shift: Atomic<u32>,
    max_in_flight: Atomic<u32>,
    max_dirty: Atomic<u64>,
    /// Injected fault: the next this many requests are lost.
    lose_writes: Atomic<u32>,
    /// Bytes cached for this target: dirty, or in a request.
    dirty: Atomic<u64>,
    #[pin]
    slots: Mutex<Slots>,
    /// Notified whenever `dirty` goes down: writers blocked at the limit.
    #[pin]
    pub(crate) room: WaitQueue,
    stats: Stats,
}

impl Engine {
    pub(crate) fn new() -> impl PinInit<Self, Error> {
        try_pin_init!(Engine {
            request_shift: Atomic::new(REQUEST_SHIFT_DEFAULT),
            max_in_flight: Atomic::new(IN_FLIGHT_DEFAULT),
            max_dirty: Atomic::new(DIRTY_DEFAULT),
            lose_writes: Atomic::new(0),
            dirty: Atomic::new(0),
            slots <- new_mutex!(Slots { in_flight: 0, waiting: KVec::new() }, "Engine::slots"),
            room <- new_wait_queue!(c"Engine::room"),
            stats: Stats {
                requests: Atomic::new(0),
                bytes: Atomic::new(0),
                lost: Atomic::new(0),
                by_pages: [const { Atomic::new(0) }; PAGE_BUCKETS],
                by_flight: [const { Atomic::new(0) }; FLIGHT_BUCKETS],
            },
        })
    }

    /// Log2 of the request size; new caches use it (a cache keeps the size
    /// it started with, so that its extents never straddle a request).
    pub(crate) fn request_shift(&self) -> u32 {
        self.request_shift.load(Relaxed)
    }

    /// Sets the request size: a power of two, 4 KiB..16 MiB.
    pub(crate) fn set_request_bytes(&self, bytes: u64) -> Result {
        if !bytes.is_power_of_two() {
            return Err(EINVAL);
        }
        let shift = bytes.trailing_zeros();
        if !(CHUNK_SHIFT_MIN..=CHUNK_SHIFT_MAX).contains(&shift) {
            return Err(EINVAL);
        }
        self.request_shift.store(shift, Relaxed);
        Ok(())
    }

    pub(crate) fn max_in_flight(&self) -> u32 {
        self.max_in_flight.load(Relaxed)
    }

    pub(crate) fn set_max_in_flight(&self, n: u32) -> Result {
        if !(1..=IN_FLIGHT_MAX).contains(&n) {
            return Err(EINVAL);
        }
        self.max_in_flight.store(n, Relaxed);
        Ok(())
    }

    pub(crate) fn max_dirty(&self) -> u64 {
        self.max_dirty.load(Relaxed)
    }

    /// Sets the dirty limit (at least one request's worth).
    pub(crate) fn set_max_dirty(&self, bytes: u64) -> Result {
        if bytes < 1 << CHUNK_SHIFT_MIN {
            return Err(EINVAL);
        }
        self.max_dirty.store(bytes, Relaxed);
        Ok(())
    }

    pub(crate) fn lose_writes(&self) -> u32 {
        self.lose_writes.load(Relaxed)
    }

    pub(crate) fn set_lose_writes(&self, n: u32) {
        self.lose_writes.store(n, Relaxed);
    }

    /// Whether the target loses this request (an injected fault).
    pub(crate) fn loses(&self) -> bool {
        let mut n = self.lose_writes.load(Relaxed);
        while n > 0 {
            match self.lose_writes.cmpxchg(n, n - 1, Relaxed) {
                Ok(_) => {
                    self.stats.lost.fetch_add(1, Relaxed);
                    return true;
                }
                Err(now) => n = now,
            }
        }
        false
    }

    pub(crate) fn dirty(&self) -> u64 {
        self.dirty.load(Relaxed)
    }

    /// Whether `bytes` more fit under the dirty limit (anything fits when
    /// nothing is cached, so that one large write always goes).
    pub(crate) fn has_room(&self, bytes: u64) -> bool {
        let dirty = self.dirty();
        dirty == 0 || dirty.saturating_add(bytes) <= self.max_dirty()
    }

    pub(crate) fn add_dirty(&self, bytes: u64) {
        self.dirty.fetch_add(bytes, Relaxed);
    }

    /// `bytes` left the cache: blocked writers look again.
    pub(crate) fn sub_dirty(&self, bytes: u64) {
        if bytes > 0 {
            self.dirty.fetch_sub(bytes, Relaxed);
            self.room.notify_all();
        }
    }

    /// Sends `work` now if a slot is free, else when one frees up.
    pub(crate) fn submit(&self, work: Arc<SendWork>) {
        let mut slots = self.slots.lock();
        // Room for the wait is made first: a send that could not wait goes
        // at once (past the limit) rather than being lost.
        let can_wait = slots.waiting.reserve(1, GFP_KERNEL).is_ok();
        if slots.in_flight < self.max_in_flight() || !can_wait {
            self.start(&mut slots, work);
        } else {
            // Cannot fail: room reserved above.
            let _ = slots.waiting.push_within_capacity(work);
        }
    }

    /// A request ended: the oldest waiting one takes its slot.
    pub(crate) fn finished(&self) {
        let mut slots = self.slots.lock();
        slots.in_flight = slots.in_flight.saturating_sub(1);
        while slots.in_flight < self.max_in_flight() && !slots.waiting.is_empty() {
            if let Ok(next) = slots.waiting.remove(0) {
                self.start(&mut slots, next);
            }
        }
    }

    fn start(&self, slots: &mut Slots, work: Arc<SendWork>) {
        let s = &self.stats;
        s.requests.fetch_add(1, Relaxed);
        s.bytes.fetch_add(work.bytes, Relaxed);
        let pages = work.bytes.div_ceil(4096).max(1);
        let bucket = (pages.next_power_of_two().trailing_zeros() as usize).min(PAGE_BUCKETS - 1);
        s.by_pages[bucket].fetch_add(1, Relaxed);
        s.by_flight[(slots.in_flight as usize).min(FLIGHT_BUCKETS - 1)].fetch_add(1, Relaxed);
        slots.in_flight += 1;
        work.start();
    }

    /// The counters, as `daos/rpc_stats` shows them for target `id`.
    pub(crate) fn show(&self, id: u32, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.stats;
        let in_flight = self.slots.lock().in_flight;
        writeln!(f, "target {id}")?;
        writeln!(
            f,
            "  write_requests {} write_bytes {} lost {} in_flight {} dirty_bytes {}",
            s.requests.load(Relaxed),
            s.bytes.load(Relaxed),
            s.lost.load(Relaxed),
            in_flight,
            self.dirty()
        )?;
        writeln!(
            f,
            "  request_kb {} max_in_flight {} max_dirty_mb {}",
            1u64 << (self.request_shift() - 10),
            self.max_in_flight(),
            self.max_dirty() >> 20
        )?;
        write!(f, "  pages_per_request")?;
        for (i, n) in s.by_pages.iter().enumerate() {
            write!(f, " {}:{}", 1u32 << i, n.load(Relaxed))?;
        }
        writeln!(f)?;
        write!(f, "  in_flight_at_send")?;
        for (i, n) in s.by_flight.iter().enumerate() {
            write!(f, " {}:{}", i, n.load(Relaxed))?;
        }
        writeln!(f)
    }
}
