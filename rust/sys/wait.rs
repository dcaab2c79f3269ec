// SPDX-License-Identifier: GPL-2.0

//! Blocking waits: freezable, interruptible, with exact deadlines on the
//! monotonic clock (hrtimers, not jiffies).
//!
//! A [`WaitQueue`] is an event count. A sleeper checks its condition under
//! its own lock; if it must wait, it takes a [`Ticket`] before dropping the
//! lock and then sleeps unless the count moved. A waker changes the state
//! (under the same lock), then notifies, which moves the count and wakes.
//! A notification between the check and the sleep is never lost, and no
//! lock is taken while the task is in a sleeping state.
//!
//! The sleep is `TASK_INTERRUPTIBLE | TASK_FREEZABLE`: system suspend
//! freezes a sleeper in place; anything that sets a signal pending (a real
//! signal, a stop, the cgroup freezer's fake signal) ends the sleep with
//! [`Woke::Signal`], and the caller returns a restart code so that the call
//! goes on transparently when no handler runs.

use kernel::{
    bindings,
    prelude::*,
    sync::{
        atomic::{
            Acquire,
            Atomic,
            Full,
            Relaxed, //
        },
        LockClassKey,
    },
    task::{
        TASK_FREEZABLE,
        TASK_INTERRUPTIBLE,
        TASK_NORMAL, //
    },
    time::Delta,
    types::Opaque,
};

/// A point on the monotonic clock (`ktime_get()`, nanoseconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Deadline(i64);

impl Deadline {
    /// `delta` from now (saturating far in the future).
    pub(crate) fn after(delta: Delta) -> Deadline {
        Deadline(now().saturating_add(delta.as_nanos().max(0)))
    }

    /// Microseconds left until the deadline, rounded up (zero once it
    /// passed): what a restarted call waits.
    pub(crate) fn micros_left(self) -> u64 {
        Delta::from_nanos(self.0.saturating_sub(now()).max(0)).as_micros_ceil().max(0) as u64
    }

    /// Whether the deadline has passed.
    pub(crate) fn passed(self) -> bool {
        now() >= self.0
    }
}

fn now() -> i64 {
    // SAFETY: reading the monotonic clock has no preconditions.
    unsafe { bindings::ktime_get() }
}

/// The monotonic clock in nanoseconds, for measuring.
pub(crate) fn monotonic_ns() -> u64 {
    now().max(0) as u64
}

/// How a sleep ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Woke {
    /// Notified (or a spurious wake-up): look again.
    Notified,
    /// The deadline passed.
    TimedOut,
    /// A signal (or the freezer's or a stop's fake one) is pending.
    Signal,
}

/// The count of a [`WaitQueue`] at the moment a sleeper decided to sleep.
pub(crate) struct Ticket(u64);

/// A wait queue with an event count.
#[pin_data]
pub(crate) struct WaitQueue {
    #[pin]
    head: Opaque<bindings::wait_queue_head>,
    count: Atomic<u64>,
}

// SAFETY: the wait queue head is internally locked and may be used from any
// thread; `count` is atomic.
unsafe impl Send for WaitQueue {}
// SAFETY: as above.
unsafe impl Sync for WaitQueue {}

/// A [`WaitQueue`] initialiser with a lock class of its own for this call
/// site (lockdep wants one name per class), as `new_condvar!` makes.
macro_rules! new_wait_queue {
    ($name:expr) => {
        $crate::sys::wait::WaitQueue::new($name, kernel::static_lock_class!())
    };
}
pub(crate) use new_wait_queue;

impl WaitQueue {
    pub(crate) fn new(name: &'static CStr, key: Pin<&'static LockClassKey>) -> impl PinInit<Self> {
        pin_init!(WaitQueue {
            // SAFETY: `slot` is valid while the closure runs; `name` and `key`
            // are static.
            head <- Opaque::ffi_init(|slot| unsafe {
                bindings::__init_waitqueue_head(slot, name.as_char_ptr(), key.as_ptr())
            }),
            count: Atomic::new(0),
        })
    }

    /// Called by a sleeper, under its lock, when it decided to sleep.
    pub(crate) fn ticket(&self) -> Ticket {
        Ticket(self.count.load(Relaxed))
    }

    /// Sleeps (after the caller dropped its lock) until notified after
    /// `ticket` was taken, until `deadline` (if any), or until a signal.
    pub(crate) fn sleep(&self, ticket: Ticket, deadline: Option<Deadline>) -> Woke {
        let wait = Opaque::<bindings::wait_queue_entry>::uninit();
        let state = TASK_INTERRUPTIBLE | TASK_FREEZABLE;
        // SAFETY: `wait` is valid memory that outlives its use on the queue
        // (removed by finish_wait below); `head` is initialised.
        unsafe {
            bindings::init_wait(wait.get());
            bindings::prepare_to_wait_exclusive(self.head.get(), wait.get(), state);
        }
        // After queueing (which sets the task state with a full barrier): a
        // notification from now on wakes us; one before it moved the count.
        let notified = self.count.load(Acquire) != ticket.0;
        if !notified && !kernel::current!().signal_pending() {
            match deadline {
                // SAFETY: the task is queued in a sleeping state.
                None => unsafe { bindings::schedule() },
                Some(Deadline(mut expires)) => {
                    // SAFETY: as above; `expires` is a valid ktime on the
                    // monotonic clock that outlives the call.
                    unsafe {
                        bindings::schedule_hrtimeout_range(
                            &mut expires,
                            0,
                            bindings::hrtimer_mode_HRTIMER_MODE_ABS,
                        )
                    };
                }
            }
        }
        // SAFETY: `wait` was queued on `head` above.
        unsafe { bindings::finish_wait(self.head.get(), wait.get()) };
        if kernel::current!().signal_pending() {
            Woke::Signal
        } else if deadline.is_some_and(Deadline::passed) {
            Woke::TimedOut
        } else {
            Woke::Notified
        }
    }

    /// Wakes one sleeper.
    pub(crate) fn notify_one(&self) {
        self.notify(1);
    }

    /// Wakes every sleeper.
    pub(crate) fn notify_all(&self) {
        self.notify(0);
    }

    fn notify(&self, n: i32) {
        self.count.fetch_add(1, Full);
        // SAFETY: `head` is initialised; waking is allowed in any context.
        unsafe { bindings::__wake_up(self.head.get(), TASK_NORMAL, n, core::ptr::null_mut()) };
    }
}

/// Sleeps until `deadline`, freezable and interruptible: `Woke::TimedOut`,
/// or `Woke::Signal` if a signal came first.
pub(crate) fn sleep_until(deadline: Deadline) -> Woke {
    pin_init::stack_pin_init!(let alone = new_wait_queue!(c"daos sleep"));
    loop {
        match alone.sleep(alone.ticket(), Some(deadline)) {
            Woke::Notified => continue,
            end => return end,
        }
    }
}
