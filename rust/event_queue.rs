// SPDX-License-Identifier: GPL-2.0

//! Event queues (seed: "DAOS Event Queue (EQ) and event").
//!
//! An [`EventQueue`] wraps the pure [`EventTable`] with a mutex, a condition
//! variable for pollers and an optional eventfd. The kernel-only interface of
//! the design is [`EventQueue::dispatch`] (attach an operation to an event)
//! and [`EventQueue::complete`] (its result arrived). Completions run in
//! process context (operations complete from work items), so the queue lock
//! is a mutex.
//!
//! Pollers are woken one at a time, and pass the wake-up on when they leave
//! with completed events still queued, so no wake-up is lost and no herd
//! forms. Events reach userspace through one copy per batch made after the
//! lock is dropped; if that copy faults, the batch is put back in front.
//!
//! When the owner goes away (file closed) the queue is *unlinked*: operations
//! in flight are aborted and their late completions free their events
//! without touching any user memory.

use kernel::{
    new_condvar,
    new_mutex,
    prelude::*,
    sync::{
        Arc,
        ArcBorrow,
        CondVar,
        CondVarTimeoutResult,
        Mutex,
    },
    transmute::AsBytes,
    time::{
        msecs_to_jiffies,
        Delta,
        Instant,
        Jiffies,
        Monotonic, //
    },
    uaccess::{
        UserPtr,
        UserSlice, //
    },
};

use crate::{
    pure::event_table::{
        Completed,
        Counts,
        EventId,
        EventTable,
        QueryMode,
        Slot,
        SlotStore,
        TableError,
        Ticket,
    },
    sys::{
        self,
        EventFd,
    },
    uapi,
};

/// An operation in flight on an event (seed: `daos_kevent_ops_t`).
pub(crate) trait EventOp: Send + Sync {
    /// Asks the operation to finish early (it then completes with `-EINTR`).
    /// Called with the queue locked: it must not complete synchronously.
    fn abort(self: ArcBorrow<'_, Self>);

    /// Called once after the operation completed, outside the queue lock;
    /// `unlinked` when the owner is gone and no user memory may be touched.
    fn completed(&self, _unlinked: bool) {}
}

/// How operations are held by events.
pub(crate) type OpRef = Arc<dyn EventOp>;

/// Slots in a kvmalloc'ed vector (an EQ may hold up to 16M events).
struct SlotVec(KVVec<Slot<OpRef>>);

impl SlotStore<OpRef> for SlotVec {
    fn len(&self) -> u32 {
        // The table never grows past u32::MAX - 1 slots.
        self.0.len() as u32
    }
    fn get(&self, i: u32) -> &Slot<OpRef> {
        &self.0[i as usize]
    }
    fn get_mut(&mut self, i: u32) -> &mut Slot<OpRef> {
        &mut self.0[i as usize]
    }
    fn push_vacant(&mut self) -> Result<(), ()> {
        self.0.push(Slot::new(), GFP_KERNEL).map_err(|_| ())
    }
}

/// The maps from table errors to errnos.
pub(crate) fn errno(e: TableError) -> Error {
    match e {
        TableError::NotFound => ENOENT,
        TableError::Busy => EBUSY,
        TableError::Invalid => EINVAL,
        TableError::IsParent => EPERM,
        TableError::Full => EMFILE,
        TableError::NoMemory => ENOMEM,
    }
}

/// Longest finite poll timeout (30 days); longer ones wait forever.
const TIMEOUT_MAX_US: i64 = 30 * 24 * 3600 * 1_000_000;

/// How long a poller waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Timeout {
    NoWait,
    Forever,
    Micros(u64),
}

impl Timeout {
    /// From the ABI value; `EINVAL` below -1. Timeouts beyond
    /// [`TIMEOUT_MAX_US`] (30 days) wait forever.
    pub(crate) fn from_abi(us: i64) -> Result<Timeout> {
        match us {
            0 => Ok(Timeout::NoWait),
            -1 => Ok(Timeout::Forever),
            us if us > TIMEOUT_MAX_US => Ok(Timeout::Forever),
            us if us > 0 => Ok(Timeout::Micros(us as u64)),
            _ => Err(EINVAL),
        }
    }
}

/// Jiffies to wait for `left` of a deadline: whole milliseconds rounded up,
/// plus one jiffy because a jiffy wait may end early by a fraction (capped at
/// ~49 days). Callers loop on the clock, so a wait never ends before its
/// deadline.
pub(crate) fn jiffies_for(left: Delta) -> Jiffies {
    let ms = (left.as_micros_ceil() as u64).div_ceil(1000).min(u64::from(u32::MAX));
    msecs_to_jiffies(ms as u32) + 1
}

struct EqInner {
    table: EventTable<OpRef, SlotVec>,
    /// Pollers asleep on `pollers`: wake-ups are skipped when there is none.
    sleepers: u32,
    /// Signalled once per completed top-level event, if bound.
    eventfd: Option<EventFd>,
}

/// Events handed to userspace per copy.
const POLL_BATCH: usize = 16;

#[pin_data]
pub(crate) struct EventQueue {
    #[pin]
    inner: Mutex<EqInner>,
    /// Pollers wait here for completed events.
    #[pin]
    pollers: CondVar,
}

impl EventQueue {
    pub(crate) fn new() -> Result<Arc<EventQueue>> {
        Arc::pin_init(
            pin_init!(EventQueue {
                inner <- new_mutex!(
                    EqInner {
                        table: EventTable::new(SlotVec(KVVec::new())),
                        sleepers: 0,
                        eventfd: None,
                    },
                    "EventQueue::inner"
                ),
                pollers <- new_condvar!("EventQueue::pollers"),
            }),
            GFP_KERNEL,
        )
    }

    /// A top-level event became ready: wake one poller, signal the eventfd.
    fn queued(&self, inner: &EqInner) {
        self.wake_one(inner);
        if let Some(efd) = &inner.eventfd {
            efd.signal();
        }
    }

    /// Locks the queue, failing with `EBADF` once it is destroyed or unlinked.
    fn lock_live(&self) -> Result<kernel::sync::MutexGuard<'_, EqInner>> {
        let g = self.inner.lock();
        if g.table.is_unlinked() {
            return Err(EBADF);
        }
        Ok(g)
    }

    pub(crate) fn counts(&self) -> Counts {
        self.inner.lock().table.counts()
    }

    /// `daos_event_init`.
    pub(crate) fn init_event(&self, user: u64, parent: Option<EventId>) -> Result<EventId> {
        let limit = sys::params::max_eq_events();
        let mut g = self.lock_live()?;
        g.table.init(user, parent, limit).map_err(errno)
    }

    /// `daos_event_fini`.
    pub(crate) fn fini_event(&self, id: EventId) -> Result {
        let mut g = self.lock_live()?;
        if g.table.fini(id).map_err(errno)? {
            self.queued(&g);
        }
        Ok(())
    }

    /// `daos_event_next`.
    pub(crate) fn next_child(
        &self,
        parent: EventId,
        child: Option<EventId>,
    ) -> Result<Option<(EventId, u64)>> {
        self.lock_live()?.table.next_child(parent, child).map_err(errno)
    }

    /// `daos_event_abort`.
    pub(crate) fn abort_event(&self, id: EventId) -> Result {
        let mut g = self.lock_live()?;
        if g.table.abort(id, |op| op.as_arc_borrow().abort()).map_err(errno)? {
            self.queued(&g);
        }
        Ok(())
    }

    /// Kernel-only (seed: `daos_event_dispatch`): starts an operation on
    /// event `id`. The event keeps `op` until [`complete`](Self::complete)
    /// is called with the returned ticket; `op` must arrange for that.
    pub(crate) fn dispatch(&self, id: EventId, op: Option<OpRef>) -> Result<Ticket> {
        let mut g = self.lock_live()?;
        let res = g.table.dispatch(id, op);
        drop(g);
        // On failure the operation comes back and is dropped here, unlocked.
        res.map_err(|(e, _op)| errno(e))
    }

    /// Kernel-only (seed: `daos_event_complete`): the operation of `ticket`
    /// finished with `error` (0 or a negative errno).
    pub(crate) fn complete(&self, ticket: Ticket, error: i32) {
        let mut g = self.inner.lock();
        let done = g.table.complete(ticket, error);
        if let Completed::Done { queued: true, .. } = done {
            self.queued(&g);
        }
        drop(g);
        match done {
            Completed::Done { op: Some(op), .. } => op.completed(false),
            Completed::Unlinked { op: Some(op) } => op.completed(true),
            _ => {}
        }
    }

    /// Dispatches and completes `id` at once, for operations that finish
    /// inside the ioctl.
    pub(crate) fn complete_now(&self, id: EventId, error: i32) -> Result {
        let mut g = self.lock_live()?;
        let ticket = g.table.dispatch(id, None).map_err(|(e, _)| errno(e))?;
        if let Completed::Done { queued: true, .. } = g.table.complete(ticket, error) {
            self.queued(&g);
        }
        Ok(())
    }

    /// `daos_eq_poll`: waits as `timeout` and `wait_inflight` say, then
    /// copies up to `n` completed events to `out` (an array of
    /// `daos_polled_event`). Returns how many.
    pub(crate) fn poll(&self, n: u32, timeout: Timeout, wait_inflight: bool, out: UserPtr) -> Result<usize> {
        let bytes = (n as usize)
            .checked_mul(core::mem::size_of::<uapi::daos_polled_event>())
            .ok_or(EINVAL)?;
        let mut writer = UserSlice::new(out, bytes).writer();
        // Timeouts are measured against the clock, not in jiffies, so a
        // poll never returns before its timeout.
        let deadline = match timeout {
            Timeout::Micros(us) => Some(Instant::<Monotonic>::now() + Delta::from_micros(us as i64)),
            _ => None,
        };
        let mut g = self.lock_live()?;
        while g.table.counts().completed == 0 {
            let c = g.table.counts();
            if timeout == Timeout::NoWait || (wait_inflight && c.inflight == 0 && c.ops == 0) {
                return Ok(0);
            }
            g.sleepers += 1;
            let signal = match deadline {
                None => self.pollers.wait_interruptible(&mut g),
                Some(deadline) => {
                    let left = deadline - Instant::<Monotonic>::now();
                    if left <= Delta::ZERO {
                        g.sleepers -= 1;
                        self.pass_on(&g);
                        return Ok(0);
                    }
                    matches!(
                        self.pollers.wait_interruptible_timeout(&mut g, jiffies_for(left)),
                        CondVarTimeoutResult::Signal { .. }
                    )
                }
            };
            g.sleepers -= 1;
            if signal {
                self.pass_on(&g);
                return Err(EINTR);
            }
            if g.table.is_unlinked() {
                return Err(EBADF);
            }
        }

        let mut total = 0usize;
        loop {
            let want = (n as usize - total).min(POLL_BATCH);
            let mut batch = [uapi::daos_polled_event::default(); POLL_BATCH];
            let mut taken = [(EventId(0), 0i32); POLL_BATCH];
            let mut got = 0;
            g.table.deliver(want as u32, |id, user, error| {
                batch[got] = uapi::daos_polled_event {
                    user,
                    error,
                    reserved: 0,
                };
                taken[got] = (id, error);
                got += 1;
            });
            let last = total + got == n as usize || g.table.counts().completed == 0;
            if last {
                // Leaving: hand what is left to the next poller now, while
                // the lock is held (a spurious wake-up is harmless).
                self.pass_on(&g);
            }
            drop(g);
            if let Err(e) = writer.write_slice(AsBytes::as_bytes(&batch[..got])) {
                let mut g = self.inner.lock();
                g.table.undeliver(&taken[..got]);
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

    /// A poller leaving without taking every completed event wakes the next.
    fn pass_on(&self, inner: &EqInner) {
        if inner.table.counts().completed > 0 {
            self.wake_one(inner);
        }
    }

    /// Wakes one sleeping poller, if any (called with the lock held, so a
    /// poller about to sleep is either counted or will see the event).
    fn wake_one(&self, inner: &EqInner) {
        if inner.sleepers > 0 {
            self.pollers.notify_one();
        }
    }

    /// `daos_eq_query`: the number of events `mode` selects; with `out`, the
    /// user addresses of up to `n` of them.
    pub(crate) fn query(&self, mode: QueryMode, n: u32, out: Option<UserPtr>) -> Result<u32> {
        let Some(out) = out.filter(|_| n > 0) else {
            return Ok(self.lock_live()?.table.query(mode, |_| false));
        };
        // Size the buffer outside the lock; the queue may change meanwhile,
        // which a query is allowed to miss.
        let now = self.lock_live()?.table.query(mode, |_| false);
        let cap = n.min(now) as usize;
        let mut addrs = KVVec::with_capacity(cap, GFP_KERNEL)?;
        let total = self.lock_live()?.table.query(mode, |user| {
            addrs.push_within_capacity(user).is_ok() && addrs.len() < cap
        });
        let bytes = core::mem::size_of_val(&addrs[..]);
        UserSlice::new(out, bytes).writer().write_slice(AsBytes::as_bytes(&addrs[..]))?;
        Ok(total)
    }

    /// Binds (or with `None` unbinds) an eventfd.
    pub(crate) fn set_eventfd(&self, efd: Option<EventFd>) -> Result {
        let old = {
            let mut g = self.lock_live()?;
            core::mem::replace(&mut g.eventfd, efd)
        };
        drop(old);
        Ok(())
    }

    /// `daos_eq_destroy`: `EBUSY` while an event is in flight; otherwise
    /// frees every event. Pollers still waiting get `EBADF`.
    pub(crate) fn destroy(&self) -> Result {
        let efd = {
            let mut g = self.lock_live()?;
            g.table.destroy().map_err(errno)?;
            g.eventfd.take()
        };
        self.pollers.notify_all();
        drop(efd);
        Ok(())
    }

    /// The owner is gone: aborts operations in flight and frees the rest;
    /// late completions free their events without touching user memory.
    pub(crate) fn unlink(&self) {
        let efd = {
            let mut g = self.inner.lock();
            g.table.unlink_all(|op| op.as_arc_borrow().abort());
            g.eventfd.take()
        };
        self.pollers.notify_all();
        drop(efd);
    }
}
