// SPDX-License-Identifier: GPL-2.0

//! The no-op operation: completes after a delay with a chosen result, so that
//! applications, tests and benchmarks can exercise the event path.
//!
//! Each delayed no-op has its own high-resolution timer, so a short one
//! submitted after a long one is not held behind it. The timer fires in
//! interrupt context and only queues the no-op's work item; the work item
//! completes the event in process context. Aborting cancels the timer and
//! queues the work at once. Exactly one of the two queues the work: the
//! timer callback if the timer fired, the aborter if its cancel stopped a
//! pending timer.
//!
//! Work items run on the module's own workqueue. Module exit waits for
//! [`PENDING`] to drain and then destroys that queue, which waits for the
//! last work function to return, so nothing outlives the module's code.

use kernel::{
    impl_has_hr_timer,
    impl_has_work,
    new_condvar,
    new_mutex,
    new_spinlock_irq,
    new_work,
    prelude::*,
    sync::{
        atomic::{
            Acquire,
            Atomic,
            Relaxed,
            Release, //
        },
        Arc,
        ArcBorrow,
        CondVar,
        CondVarTimeoutResult,
        Mutex,
        SetOnce,
        SpinLockIrq,
    },
    time::{
        delay::fsleep,
        hrtimer::{
            ArcHrTimerHandle,
            HrTimer,
            HrTimerCallback,
            HrTimerCallbackContext,
            HrTimerHandle,
            HrTimerPointer,
            HrTimerRestart,
            RelativeMode, //
        },
        Delta,
        Instant,
        Monotonic,
    },
    workqueue::{
        Work,
        WorkItem, //
    },
};

use crate::{
    event_queue::{
        jiffies_for,
        EventOp,
        EventQueue,
        OpRef, //
    },
    pure::event_table::{
        EventId,
        Ticket, //
    },
    sys,
};

/// Timers started whose work item has not finished yet.
static PENDING: Atomic<u64> = Atomic::new(0);

#[pin_data]
pub(crate) struct NoopOp {
    eq: Arc<EventQueue>,
    /// Set right after dispatch, before the timer starts.
    ticket: SetOnce<Ticket>,
    error: i32,
    aborted: Atomic<bool>,
    #[pin]
    timer: HrTimer<NoopOp>,
    #[pin]
    work: Work<NoopOp>,
    /// The running timer; taken by whoever stops it (work item or aborter).
    #[pin]
    handle: SpinLockIrq<Option<ArcHrTimerHandle<NoopOp>>>,
}

impl_has_hr_timer! {
    impl HasHrTimer<Self> for NoopOp { mode: RelativeMode<Monotonic>, field: self.timer }
}

impl_has_work! {
    impl HasWork<Self> for NoopOp { self.work }
}

impl HrTimerCallback for NoopOp {
    type Pointer<'a> = Arc<Self>;

    fn run(this: ArcBorrow<'_, Self>, _ctx: HrTimerCallbackContext<'_, Self>) -> HrTimerRestart {
        // Interrupt context: hand over to process context.
        let _ = sys::workqueue::queue().enqueue(Arc::from(this));
        HrTimerRestart::NoRestart
    }
}

impl WorkItem for NoopOp {
    type Pointer = Arc<Self>;

    fn run(this: Arc<Self>) {
        // The timer has fired or was cancelled; dropping its handle is quick.
        let handle = this.handle.lock().take();
        drop(handle);
        if let Some(ticket) = this.ticket.copy() {
            this.eq.complete(ticket, this.error);
        }
        PENDING.fetch_sub(1, Release);
    }
}

impl EventOp for NoopOp {
    fn abort(self: ArcBorrow<'_, Self>) {
        self.aborted.store(true, Release);
        let handle = self.handle.lock().take();
        if let Some(mut handle) = handle {
            if handle.cancel() {
                // Cancelled before it fired: the work is ours to queue.
                let _ = sys::workqueue::queue().enqueue(Arc::from(self));
            }
        }
    }
}

impl NoopOp {
    /// Starts a no-op on event `id` of `eq` completing with `error` after
    /// `delay_us` (at once when 0).
    pub(crate) fn start(eq: &Arc<EventQueue>, id: EventId, delay_us: u64, error: i32) -> Result {
        if delay_us == 0 {
            return eq.complete_now(id, error);
        }
        let op = Arc::pin_init(
            pin_init!(NoopOp {
                eq: eq.clone(),
                ticket: SetOnce::new(),
                error,
                aborted: Atomic::new(false),
                timer <- HrTimer::new(),
                work <- new_work!("NoopOp::work"),
                handle <- new_spinlock_irq!(None, "NoopOp::handle"),
            }),
            GFP_KERNEL,
        )?;
        let as_op: OpRef = op.clone();
        let ticket = eq.dispatch(id, Some(as_op))?;
        op.ticket.populate(ticket);
        PENDING.fetch_add(1, Relaxed);
        let delay = Delta::from_micros(i64::try_from(delay_us).map_err(|_| EINVAL)?);
        {
            let mut slot = op.handle.lock();
            *slot = Some(op.clone().start(delay));
        }
        // An abort that ran before the handle was stored found nothing to
        // cancel: do its work now.
        if op.aborted.load(Acquire) {
            op.as_arc_borrow().abort();
        }
        Ok(())
    }
}

/// A synchronous no-op: sleeps `delay_us`, interruptibly (`EINTR`).
pub(crate) fn sleep(delay_us: u64) -> Result {
    #[pin_data]
    struct Sleeper {
        #[pin]
        lock: Mutex<()>,
        #[pin]
        never: CondVar,
    }
    if delay_us == 0 {
        return Ok(());
    }
    let s = KBox::pin_init(
        pin_init!(Sleeper {
            lock <- new_mutex!(()),
            never <- new_condvar!(),
        }),
        GFP_KERNEL,
    )?;
    let deadline = Instant::<Monotonic>::now() + Delta::from_micros(delay_us as i64);
    let mut g = s.lock.lock();
    loop {
        let left = deadline - Instant::<Monotonic>::now();
        if left <= Delta::ZERO {
            return Ok(());
        }
        let j = jiffies_for(left);
        if let CondVarTimeoutResult::Signal { .. } = s.never.wait_interruptible_timeout(&mut g, j) {
            return Err(EINTR);
        }
    }
}

/// Module exit: waits until no no-op timer or work item is left.
pub(crate) fn wait_idle() {
    while PENDING.load(Acquire) != 0 {
        fsleep(Delta::from_millis(1));
    }
}
