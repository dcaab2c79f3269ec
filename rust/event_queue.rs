// SPDX-License-Identifier: GPL-2.0

//! Event queues (seed: "DAOS Event Queue (EQ) and event").
//!
//! An [`EventQueue`] wraps the pure [`EventTable`] with a mutex, a wait
//! queue for pollers and an optional eventfd. The kernel-only interface of
//! the design is [`EventQueue::dispatch`] (attach an operation to an event)
//! and [`EventQueue::complete`] (its result arrived). Completions run in
//! process context (operations complete from work items), so the queue lock
//! is a mutex.
//!
//! Wake-up rules (no poller sleeps forever, and no herd forms):
//! - an event becoming ready wakes one poller; a poller that leaves with
//!   ready events still queued wakes the next (it passes the baton);
//! - whenever nothing is left in flight or waiting to be polled, every
//!   poller wakes: the ones with wait-in-flight return 0, the others sleep
//!   again.
//!
//! Completed events go to the queue's completion ring (memory shared with
//! the process, [`RingPages`]) while it has room, and wait on the table's
//! completed list otherwise (overflow, as io_uring's): the ring is refilled
//! from that list, oldest first, whenever room appears, so the order stays
//! the completion order. The process's threads take entries from the ring
//! without a system call; `DAOS_IOC_EQ_POLL` takes them the same way (a
//! compare-and-swap of the head) and then from the list. The table counts a
//! posted event as completed until the head passes its entry, which the
//! queue learns by reading the head whenever it takes its lock ([`sync`]).
//! The head is the process's to write: a head that moves backwards or past
//! the tail stops the ring for good (its events go back to the list), so a
//! process scribbling over its ring can only confuse itself.
//!
//! Events reach an ioctl poller through one copy per batch made after the
//! lock is dropped; if that copy faults, the batch is put back in front,
//! except results whose event changed meanwhile (see
//! `EventTable::undeliver`).
//!
//! [`sync`]: EventQueue::sync
//!
//! Memory: event slots grow in chunks allocated outside the lock (a
//! completion is never held up by an allocation) and charged to the caller;
//! empty chunks are freed outside the lock too.

use kernel::{
    alloc::flags::__GFP_NOWARN,
    new_mutex,
    prelude::*,
    sync::{
        Arc,
        ArcBorrow,
        Mutex,
        MutexGuard, //
    },
    time::Delta,
    transmute::AsBytes,
    uaccess::{
        UserPtr,
        UserSlice, //
    },
};

use crate::{
    pure::{
        event_table::{
            Completed,
            Counts,
            Delivered,
            Ran,
            Event,
            EventId,
            EventTable,
            QueryMode,
            TableError,
            Ticket,
        },
        ring::{
            Ring,
            Room, //
        },
        slots::{
            Chunk,
            Slot, //
        },
    },
    sys::{
        eventfd::EventFd,
        params,
        ring_pages::{
            Header,
            RingPages, //
        },
        wait::{
            new_wait_queue,
            Deadline,
            WaitQueue,
            Woke, //
        },
    },
    uapi,
};

/// An operation in flight on an event (seed: `daos_kevent_ops_t`).
pub(crate) trait EventOp: Send + Sync {
    /// Asks the operation to finish early (it then completes with `-EINTR`).
    /// Called with the queue locked: it must not complete synchronously.
    fn abort(self: ArcBorrow<'_, Self>);

    /// Bytes done and in all, for operations that report their progress.
    /// Called with the queue locked.
    fn progress(&self) -> Option<(u64, u64)> {
        None
    }
}

/// How operations are held by events.
pub(crate) type OpRef = Arc<dyn EventOp>;

/// A chunk of event slots: a kernel vector with its room reserved.
type SlotChunk = KVVec<Slot<Event<OpRef>>>;

impl<T> Chunk<T> for KVVec<Slot<T>> {
    fn room(&self) -> usize {
        self.capacity()
    }
    fn push_within(&mut self, slot: Slot<T>) -> core::result::Result<(), Slot<T>> {
        self.push_within_capacity(slot).map_err(|e| e.0)
    }
}

/// Bytes per event slot; Documentation/index.rst's memory bounds use it.
pub(crate) const SLOT_BYTES: usize = Slot::<Event<OpRef>>::SIZE;
const _: () = assert!(SLOT_BYTES <= 80);

/// The table's inconsistency (a bug): reported once, `EIO` to the caller.
fn corrupt() -> Error {
    kernel::do_once_lite! {
        kernel::warn_on!(true);
    }
    EIO
}

/// The errno of a table error.
pub(crate) fn errno(e: TableError) -> Error {
    match e {
        TableError::NotFound => ENOENT,
        TableError::Busy => EBUSY,
        TableError::Invalid => EINVAL,
        TableError::IsParent => EPERM,
        TableError::Full => EMFILE,
        // The queue adds chunks itself; the table asking again is a bug.
        TableError::NeedChunk(_) | TableError::Corrupt => corrupt(),
    }
}

/// Longest finite poll timeout (30 days); longer ones wait forever.
const TIMEOUT_MAX_US: i64 = 30 * 24 * 3600 * 1_000_000;

/// How long a poller waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Timeout {
    NoWait,
    Forever,
    Micros(i64),
}

impl Timeout {
    /// From the ABI value; `EINVAL` below -1. Timeouts beyond
    /// [`TIMEOUT_MAX_US`] (30 days) wait forever.
    pub(crate) fn from_abi(us: i64) -> Result<Timeout> {
        match us {
            0 => Ok(Timeout::NoWait),
            -1 => Ok(Timeout::Forever),
            us if us > TIMEOUT_MAX_US => Ok(Timeout::Forever),
            us if us > 0 => Ok(Timeout::Micros(us)),
            _ => Err(EINVAL),
        }
    }
}

/// Where the queue stands in its ring.
struct RingIndex {
    shape: Ring,
    /// The next index to fill (published as the ring's tail).
    tail: u32,
    /// The consumers' head as last accepted (see [`Ring::follows`]).
    head: u32,
    /// The flags last published.
    flags: u32,
    /// Stopped by a head that made no sense: nothing is posted any more.
    stopped: bool,
}

impl RingIndex {
    /// Slots the producer may fill now (none once the ring stopped).
    fn room(&self) -> u32 {
        match self.shape.room(self.tail, self.head) {
            Room::Free(n) if !self.stopped => n,
            _ => 0,
        }
    }

    /// The `n` entries from the tail on are written: publishes them.
    fn publish(&mut self, n: u32, h: &Header<'_>) {
        self.tail = self.tail.wrapping_add(n);
        h.publish(self.tail);
    }
}

/// The fields of [`EventQueue`] protected by `inner`.
struct EqInner {
    table: EventTable<OpRef, SlotChunk>,
    ring: RingIndex,
    /// Pollers asleep (or about to be) on `pollers`: wake-ups are skipped
    /// when there is none.
    sleepers: u32,
    /// Signalled once per completed top-level event, if bound.
    eventfd: Option<EventFd>,
}

/// The restart code of a poll a signal ends: `ERESTARTSYS` for an untimed
/// one, `ERESTARTNOHAND` for a timed one, whose `timeout` becomes the time
/// left.
fn restart(deadline: Option<Deadline>, timeout: &mut Timeout) -> Error {
    match deadline {
        None => ERESTARTSYS,
        Some(d) => {
            *timeout = Timeout::Micros(d.micros_left() as i64);
            ERESTARTNOHAND
        }
    }
}

/// Events handed to userspace per copy (and per query batch).
const BATCH: usize = 16;

/// The ring of a queue created without a size (`DAOS_EQ_RING_DEFAULT`).
pub(crate) const DEFAULT_RING: Ring = match Ring::at_least(uapi::DAOS_EQ_RING_DEFAULT) {
    Some(r) => r,
    None => panic!("DAOS_EQ_RING_DEFAULT out of range"),
};

/// Compare-and-swap rounds an ioctl poller tries on the ring's head in one
/// go (see [`EventQueue::claim`]).
const CLAIM_TRIES: u32 = 1024;

#[pin_data]
pub(crate) struct EventQueue {
    #[pin]
    inner: Mutex<EqInner>,
    /// Pollers sleep here.
    #[pin]
    pollers: WaitQueue,
    /// The completion ring's memory; its indices are in `inner`.
    ring: RingPages,
}

impl EventQueue {
    /// A queue with a completion ring of `ring` entries.
    pub(crate) fn new(ring: Ring) -> Result<Arc<EventQueue>> {
        let pages = RingPages::new(ring.entries())?;
        Arc::pin_init(
            pin_init!(EventQueue {
                inner <- new_mutex!(
                    EqInner {
                        table: EventTable::new(),
                        ring: RingIndex {
                            shape: ring,
                            tail: 0,
                            head: 0,
                            flags: 0,
                            stopped: false,
                        },
                        sleepers: 0,
                        eventfd: None,
                    },
                    "EventQueue::inner"
                ),
                pollers <- new_wait_queue!(c"EventQueue::pollers"),
                ring: pages,
            }),
            GFP_KERNEL_ACCOUNT,
        )
    }

    /// The ring's memory, to map it.
    pub(crate) fn ring(&self) -> &RingPages {
        &self.ring
    }

    /// Locks the queue, failing with `EBADF` once it is destroyed or
    /// abandoned, and catches up with the ring's consumers.
    fn lock_live(&self) -> Result<MutexGuard<'_, EqInner>> {
        let mut g = self.inner.lock();
        if g.table.is_dead() {
            return Err(EBADF);
        }
        self.sync(&mut g, &self.ring.header());
        Ok(g)
    }

    /// Reads the consumers' head: the events whose entries they took are
    /// delivered. A head that makes no sense stops the ring.
    fn sync(&self, g: &mut EqInner, h: &Header<'_>) {
        if g.ring.stopped {
            return;
        }
        let head = h.head();
        if head == g.ring.head {
            return;
        }
        if !Ring::follows(g.ring.head, head, g.ring.tail) {
            self.stop_ring(g, h);
            return;
        }
        if g.table.take_posted(g.ring.head, head, |_| {}).is_err() {
            corrupt();
        }
        g.ring.head = head;
        // Room for what waits on the list.
        self.fill(g, h);
        // The consumers may have taken the last of it: pollers waiting for
        // the queue to go idle wake.
        self.changed(g, false);
    }

    /// Stops the ring: its events wait on the list for `DAOS_IOC_EQ_POLL`,
    /// their entries cancelled.
    fn stop_ring(&self, g: &mut EqInner, h: &Header<'_>) {
        g.ring.stopped = true;
        let shape = g.ring.shape;
        if g.table.unpost_all(|pos| self.cancel(shape, pos)).is_err() {
            corrupt();
        }
        g.ring.flags = uapi::DAOS_RING_OVERFLOW | uapi::DAOS_RING_STOPPED;
        h.set_flags(g.ring.flags);
    }

    /// Writes the entry of ring index `pos`.
    fn put(&self, shape: Ring, pos: u32, user: u64, error: i32) {
        let entry = uapi::daos_ring_entry { user, error, seq: pos };
        self.ring.write(shape.slot(pos), &entry);
    }

    /// Blanks the entry of index `pos`: consumers skip it.
    fn cancel(&self, shape: Ring, pos: u32) {
        self.put(shape, pos, 0, 0);
    }

    /// Writes completed events into the ring while it has room, and
    /// publishes whether some still wait on the list.
    fn fill(&self, g: &mut EqInner, h: &Header<'_>) {
        if g.ring.stopped {
            return;
        }
        let (shape, room) = (g.ring.shape, g.ring.room());
        if room > 0 {
            match g.table.post(g.ring.tail, room, |pos, user, error| self.put(shape, pos, user, error)) {
                Ok(0) => {}
                Ok(n) => g.ring.publish(n, h),
                Err(_) => {
                    corrupt();
                }
            }
        }
        let flags = if g.table.unposted() > 0 { uapi::DAOS_RING_OVERFLOW } else { 0 };
        if flags != g.ring.flags {
            g.ring.flags = flags;
            h.set_flags(flags);
        }
    }

    /// For an ioctl poller: takes up to `max` entries from the ring as a
    /// consumer does and hands their events to `f`. A failed swap means the
    /// head moved: forward (other consumers took entries: caught up with)
    /// or not (the ring stops). After [`CLAIM_TRIES`] lost races it gives
    /// up for this round (the consumers that won are taking the events).
    fn claim(&self, g: &mut EqInner, max: u32, mut f: impl FnMut(Delivered)) {
        let h = self.ring.header();
        for _ in 0..CLAIM_TRIES {
            self.sync(g, &h);
            if g.ring.stopped {
                return;
            }
            let head = g.ring.head;
            let n = g.ring.tail.wrapping_sub(head).min(max);
            if n == 0 {
                return;
            }
            if h.claim(head, head.wrapping_add(n)) {
                g.ring.head = head.wrapping_add(n);
                if g.table.take_posted(head, g.ring.head, &mut f).is_err() {
                    corrupt();
                }
                return;
            }
        }
    }

    pub(crate) fn counts(&self) -> Counts {
        self.inner.lock().table.counts()
    }

    /// The wake-ups a change of the queue calls for (see the module doc);
    /// `ready`: a top-level event became ready for pollers (it goes to the
    /// ring first; the caller read the head since it took the lock).
    fn changed(&self, g: &mut EqInner, ready: bool) {
        if ready {
            self.fill(g, &self.ring.header());
            if let Some(efd) = &g.eventfd {
                efd.signal();
            }
        }
        if g.sleepers == 0 {
            return;
        }
        if g.table.counts().idle() {
            self.pollers.notify_all();
        } else if ready {
            self.pollers.notify_one();
        }
    }

    /// `daos_event_init`.
    pub(crate) fn init_event(&self, user: u64, parent: Option<EventId>) -> Result<EventId> {
        let limit = params::max_eq_events();
        loop {
            let n = match self.lock_live()?.table.init(user, parent, limit) {
                Err(TableError::NeedChunk(n)) => n,
                other => return other.map_err(errno),
            };
            // No free slot: add a chunk, allocated unlocked, and try again.
            // Another thread may add one first; ours then goes back.
            let chunk = SlotChunk::with_capacity(n, GFP_KERNEL_ACCOUNT | __GFP_NOWARN)?;
            let spare = self.lock_live()?.table.add_chunk(chunk).err();
            drop(spare);
        }
    }

    /// Frees the chunks that emptied, after the lock is dropped.
    fn unlock_and_shrink(mut g: MutexGuard<'_, EqInner>) {
        let released = g.table.shrink();
        drop(g);
        drop(released);
    }

    /// `daos_event_fini`.
    pub(crate) fn fini_event(&self, id: EventId) -> Result {
        let mut g = self.lock_live()?;
        let posted = g.table.posted_at(id);
        let ready = g.table.fini(id).map_err(errno)?;
        if let Some(pos) = posted {
            // Its entry may still be taken by a consumer that read it
            // already: as if that poll came first.
            self.cancel(g.ring.shape, pos);
        }
        self.changed(&mut g, ready);
        Self::unlock_and_shrink(g);
        Ok(())
    }

    /// `daos_event_next`: the next child's id, user address and result.
    pub(crate) fn next_child(&self, parent: EventId, child: Option<EventId>) -> Result<Option<(EventId, u64, i32)>> {
        self.lock_live()?.table.next_child(parent, child).map_err(errno)
    }

    /// `DAOS_IOC_EVENT_PROGRESS`: bytes done and in all of the operation
    /// of event `id` (`EINVAL` unless it is in flight; 0 and 0 for an
    /// operation that does not report).
    pub(crate) fn progress(&self, id: EventId) -> Result<(u64, u64)> {
        let g = self.lock_live()?;
        let op = g.table.op(id).map_err(errno)?.ok_or(EINVAL)?;
        Ok(op.progress().unwrap_or((0, 0)))
    }

    /// `daos_event_abort`.
    pub(crate) fn abort_event(&self, id: EventId) -> Result {
        let mut g = self.lock_live()?;
        let ready = g.table.abort(id, |op| op.as_arc_borrow().abort()).map_err(errno)?;
        self.changed(&mut g, ready);
        Ok(())
    }

    /// Kernel-only (seed: `daos_event_dispatch`): starts operation `op` on
    /// event `id`. Under the queue lock, once the event accepted it, `arm`
    /// gets the ticket and starts the operation (it must not fail); the
    /// operation arranges for [`complete`](Self::complete) with that ticket.
    pub(crate) fn dispatch(&self, id: EventId, op: OpRef, arm: impl FnOnce(Ticket)) -> Result {
        let mut g = self.lock_live()?;
        match g.table.dispatch(id, Some(op)) {
            Ok(ticket) => {
                arm(ticket);
                Ok(())
            }
            Err((e, op)) => {
                drop(g);
                // The operation comes back and is dropped here, unlocked.
                drop(op);
                Err(errno(e))
            }
        }
    }

    /// Kernel-only (seed: `daos_event_complete`): the operation of `ticket`
    /// finished with `error` (0 or a negative errno).
    pub(crate) fn complete(&self, ticket: Ticket, error: i32) {
        let mut g = self.inner.lock();
        if !g.table.is_dead() {
            self.sync(&mut g, &self.ring.header());
        }
        let op = match g.table.complete(ticket, error) {
            Ok(Completed::Done { op, queued }) => {
                self.changed(&mut g, queued);
                op
            }
            Ok(Completed::Freed { op }) => op,
            Ok(Completed::Ignored) => None,
            Err(_) => {
                corrupt();
                None
            }
        };
        Self::unlock_and_shrink(g);
        // The operation's last reference may go here, unlocked.
        drop(op);
    }

    /// Dispatches and completes `id` at once, for operations that finish
    /// inside the ioctl.
    pub(crate) fn complete_now(&self, id: EventId, error: i32) -> Result {
        let mut g = self.lock_live()?;
        let tail = g.ring.tail;
        let free = (g.ring.room() > 0).then_some(tail);
        let queued = match g.table.run_now(id, error, free).map_err(errno)? {
            Ran::Posted { user, error } => {
                self.put(g.ring.shape, tail, user, error);
                g.ring.publish(1, &self.ring.header());
                true
            }
            Ran::Queued(queued) => queued,
        };
        // Also sets the ring's flags (the list may have emptied since).
        self.changed(&mut g, queued);
        Ok(())
    }

    /// `daos_eq_poll`: waits as `timeout` and `wait_inflight` say, then
    /// copies up to `n` completed events to `out` (an array of
    /// `daos_polled_event`). Returns how many.
    ///
    /// A signal ends the wait with a restart code: `ERESTARTSYS` for an
    /// untimed wait, `ERESTARTNOHAND` for a timed one, whose `timeout` is
    /// then the time left (for the caller to write back, as ppoll does).
    pub(crate) fn poll(&self, n: u32, timeout: &mut Timeout, wait_inflight: bool, out: UserPtr) -> Result<usize> {
        let deadline = match *timeout {
            Timeout::Micros(us) => Some(Deadline::after(Delta::from_micros(us))),
            _ => None,
        };
        let mut g = self.lock_live()?;
        loop {
            while g.table.counts().completed == 0 {
                if *timeout == Timeout::NoWait
                    || (wait_inflight && g.table.counts().idle())
                    || deadline.is_some_and(Deadline::passed)
                {
                    return Ok(0);
                }
                // Published before the head is read again: a consumer that
                // takes entries meanwhile sees it and tells us (see
                // `daos_eq_ring.sleepers`).
                self.set_sleepers(&mut g, 1);
                self.sync(&mut g, &self.ring.header());
                if g.table.counts().completed > 0 || (wait_inflight && g.table.counts().idle()) {
                    self.set_sleepers(&mut g, -1);
                    continue;
                }
                let ticket = self.pollers.ticket();
                drop(g);
                let woke = self.pollers.sleep(ticket, deadline);
                g = self.inner.lock();
                self.set_sleepers(&mut g, -1);
                if g.table.is_dead() {
                    return Err(EBADF);
                }
                self.sync(&mut g, &self.ring.header());
                if woke == Woke::Signal {
                    // Leaving: what we were woken for goes to the next poller.
                    self.pass_on(&g);
                    return Err(restart(deadline, timeout));
                }
            }
            let got = self.deliver(g, n, out)?;
            if got > 0 {
                return Ok(got);
            }
            // The process's own consumers took the ring's entries first.
            if kernel::current!().signal_pending() {
                return Err(restart(deadline, timeout));
            }
            g = self.lock_live()?;
        }
    }

    /// Takes up to `n` completed events and copies them to `out` in batches,
    /// unlocked; gives back a batch whose copy faults.
    fn deliver<'a>(&'a self, mut g: MutexGuard<'a, EqInner>, n: u32, out: UserPtr) -> Result<usize> {
        let n = n as usize;
        let bytes = n.checked_mul(core::mem::size_of::<uapi::daos_polled_event>()).ok_or(EINVAL)?;
        let mut writer = UserSlice::new(out, bytes).writer();
        let mut total = 0usize;
        loop {
            let want = (n - total).min(BATCH);
            let mut taken = [Delivered::default(); BATCH];
            let mut got = 0;
            // The ring's entries are older than the list's.
            self.claim(&mut g, want as u32, |d| {
                taken[got] = d;
                got += 1;
            });
            let took = g.table.deliver((want - got) as u32, |d| {
                taken[got] = d;
                got += 1;
            });
            if took.is_err() {
                return Err(corrupt());
            }
            // A batch that got nothing lost its races to the process's own
            // consumers: the caller decides whether to try again.
            let last = got == 0 || total + got == n || g.table.counts().completed == 0;
            if last {
                // Leaving: hand what is left to the next poller now, while
                // the lock is held; and if we took the last of it, wake the
                // pollers waiting only for events in flight.
                self.pass_on(&g);
                self.changed(&mut g, false);
            }
            drop(g);
            let mut batch = [uapi::daos_polled_event::default(); BATCH];
            for (b, d) in batch.iter_mut().zip(&taken[..got]) {
                *b = uapi::daos_polled_event {
                    user: d.user,
                    error: d.error,
                    reserved: 0,
                };
            }
            if let Err(e) = writer.write_slice(AsBytes::as_bytes(&batch[..got])) {
                let mut g = self.inner.lock();
                if g.table.undeliver(&taken[..got]).is_err() {
                    corrupt();
                }
                // They wait on the list now: the ring's flag says so.
                self.fill(&mut g, &self.ring.header());
                self.pass_on(&g);
                return if total > 0 { Ok(total) } else { Err(e) };
            }
            total += got;
            if last {
                return Ok(total);
            }
            g = self.inner.lock();
        }
    }

    /// One more (`1`) or one fewer (`-1`) poller asleep, published in the
    /// ring.
    fn set_sleepers(&self, g: &mut EqInner, change: i32) {
        g.sleepers = g.sleepers.wrapping_add_signed(change);
        self.ring.header().set_sleepers(g.sleepers);
    }

    /// A poller leaving without taking every completed event wakes the next.
    fn pass_on(&self, g: &EqInner) {
        if g.sleepers > 0 && g.table.counts().completed > 0 {
            self.pollers.notify_one();
        }
    }

    /// `daos_eq_query`: with no `out`, the number of events `mode` selects;
    /// with `out`, up to `n` of them (`daos_polled_event`s with their current
    /// results), counted and copied from one locked pass; returns how many
    /// it wrote.
    pub(crate) fn query(&self, mode: QueryMode, n: u32, out: Option<UserPtr>) -> Result<u32> {
        let Some(out) = out.filter(|_| n > 0) else {
            return self.lock_live()?.table.query(mode, |_, _| false).map_err(|_| corrupt());
        };
        // Room for what is there now, allocated unlocked; fewer may be
        // there when the lock is taken again, more are left out.
        let now = self.lock_live()?.table.query(mode, |_, _| false).map_err(|_| corrupt())?;
        let mut found: KVVec<uapi::daos_polled_event> =
            KVVec::with_capacity(n.min(now) as usize, GFP_KERNEL_ACCOUNT | __GFP_NOWARN)?;
        self.lock_live()?
            .table
            .query(mode, |user, error| {
                let e = uapi::daos_polled_event {
                    user,
                    error,
                    reserved: 0,
                };
                found.push_within_capacity(e).is_ok()
            })
            .map_err(|_| corrupt())?;
        let bytes = core::mem::size_of_val(&found[..]);
        UserSlice::new(out, bytes).writer().write_slice(AsBytes::as_bytes(&found[..]))?;
        Ok(found.len() as u32)
    }

    /// Binds (or with `None` unbinds) an eventfd.
    pub(crate) fn set_eventfd(&self, efd: Option<EventFd>) -> Result {
        let old = core::mem::replace(&mut self.lock_live()?.eventfd, efd);
        drop(old);
        Ok(())
    }

    /// `daos_eq_destroy`: `EBUSY` while an event is in flight; otherwise
    /// frees every event. Pollers still waiting get `EBADF`.
    pub(crate) fn destroy(&self) -> Result {
        let mut g = self.lock_live()?;
        let shape = g.ring.shape;
        g.table.destroy(|pos| self.cancel(shape, pos)).map_err(errno)?;
        // Its events are gone, their entries cancelled.
        g.ring.stopped = true;
        self.ring.header().set_flags(uapi::DAOS_RING_OVERFLOW | uapi::DAOS_RING_STOPPED);
        let efd = g.eventfd.take();
        Self::unlock_and_shrink(g);
        self.pollers.notify_all();
        drop(efd);
        Ok(())
    }

    /// The owner is gone: aborts operations in flight and frees the rest;
    /// late completions free their events without touching user memory.
    pub(crate) fn abandon(&self) {
        let mut g = self.inner.lock();
        if g.table.abandon(|op| op.as_arc_borrow().abort()).is_err() {
            corrupt();
        }
        let efd = g.eventfd.take();
        Self::unlock_and_shrink(g);
        self.pollers.notify_all();
        drop(efd);
    }
}
