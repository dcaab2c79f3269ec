// SPDX-License-Identifier: GPL-2.0

//! The no-op operation: completes after a delay with a chosen result, so that
//! applications, tests and benchmarks can exercise the event path.
//!
//! Each delayed no-op has its own high-resolution timer, so a short one
//! submitted after a long one is not held behind it. The timer fires in
//! interrupt context and only queues the no-op's work item; the work item
//! completes the event in process context. Every step that can fail
//! (allocation, conversion) comes before the dispatch; the timer is started
//! under the queue lock, right after the event accepted the operation, so an
//! abort (which takes the same lock) always finds it running. Aborting
//! cancels the timer and queues the work at once: exactly one of the two
//! queues the work, the timer if it fired, the aborter if its cancel stopped
//! the timer first.
//!
//! Work items run on the module's work queue. A no-op holds the module's
//! context ([`Running`]) until it is dropped, which happens in its work item
//! after the timer is known to be over: module exit waits for it, and then
//! destroys the queue, which waits for the work function to return. Nothing
//! outlives the module's code.

use kernel::{
    impl_has_hr_timer,
    impl_has_work,
    new_spinlock,
    new_work,
    prelude::*,
    sync::{
        Arc,
        ArcBorrow,
        SetOnce,
        SpinLock,
    },
    time::{
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
        Monotonic,
    },
    workqueue::{
        Work,
        WorkItem, //
    },
};

use crate::{
    context::{
        Context,
        Running, //
    },
    event_queue::{
        EventOp,
        EventQueue,
        OpRef, //
    },
    pure::event_table::{
        EventId,
        Ticket, //
    },
    sys::{
        anchor::Anchor,
        wait::{
            sleep_until,
            Deadline,
            Woke, //
        },
    },
};

#[pin_data]
pub(crate) struct NoopOp {
    eq: Arc<EventQueue>,
    /// Set under the queue lock at dispatch, before the timer starts.
    ticket: SetOnce<Ticket>,
    error: i32,
    #[pin]
    timer: HrTimer<NoopOp>,
    #[pin]
    work: Work<NoopOp>,
    /// The running timer; taken by whoever stops it (the work item or an
    /// aborter, both in process context).
    #[pin]
    handle: SpinLock<Option<ArcHrTimerHandle<NoopOp>>>,
    /// The module's state (its work queue), held while the no-op runs;
    /// last, so that it is given up after everything else of the no-op.
    context: Running,
}

/// Bytes of one no-op in flight (its `Arc` allocation), for the memory
/// bounds in Documentation/index.rst.
pub(crate) const NOOP_BYTES: usize = core::mem::size_of::<NoopOp>() + 2 * core::mem::size_of::<usize>();

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
        let _ = this.context.queue.enqueue(Arc::from(this));
        HrTimerRestart::NoRestart
    }
}

impl WorkItem for NoopOp {
    type Pointer = Arc<Self>;

    fn run(this: Arc<Self>) {
        if let Some(ticket) = this.ticket.copy() {
            this.eq.complete(ticket, this.error);
        }
        // The timer may still be returning from its callback: dropping its
        // handle waits for that (or cancels a timer an abort left armed).
        let handle = this.handle.lock().take();
        drop(handle);
    }
}

impl EventOp for NoopOp {
    fn abort(self: ArcBorrow<'_, Self>) {
        let handle = self.handle.lock().take();
        if let Some(mut handle) = handle {
            if handle.cancel() {
                // Cancelled before it fired: the work is ours to queue.
                let _ = self.context.queue.enqueue(Arc::from(self));
            }
        }
    }
}

impl NoopOp {
    /// Starts a no-op on event `id` of `eq` completing with `error` after
    /// `delay_us` (at once when 0).
    pub(crate) fn start(
        context: &Anchor<Context>,
        eq: &Arc<EventQueue>,
        id: EventId,
        delay_us: u64,
        error: i32,
    ) -> Result {
        if delay_us == 0 {
            return eq.complete_now(id, error);
        }
        let delay = Delta::from_micros(i64::try_from(delay_us).map_err(|_| EINVAL)?);
        let op = Arc::pin_init(
            pin_init!(NoopOp {
                eq: eq.clone(),
                ticket: SetOnce::new(),
                error,
                timer <- HrTimer::new(),
                work <- new_work!("NoopOp::work"),
                handle <- new_spinlock!(None, "NoopOp::handle"),
                context: Running::new(context),
            }),
            GFP_KERNEL_ACCOUNT,
        )?;
        let as_op: OpRef = op.clone();
        eq.dispatch(id, as_op, |ticket| {
            op.ticket.populate(ticket);
            let running = op.clone().start(delay);
            *op.handle.lock() = Some(running);
        })
    }
}

/// A synchronous no-op: sleeps `delay_us`. On a signal it returns
/// `ERESTARTNOHAND` with `delay_us` set to the time left, for the caller to
/// write back (so a stop or a freeze restarts it with that time, and a
/// handled signal is `-EINTR`, as for a timed poll).
pub(crate) fn sleep(delay_us: &mut u64) -> Result {
    if *delay_us == 0 {
        return Ok(());
    }
    let deadline = Deadline::after(Delta::from_micros(i64::try_from(*delay_us).map_err(|_| EINVAL)?));
    match sleep_until(deadline) {
        Woke::Signal => {
            *delay_us = deadline.micros_left();
            Err(ERESTARTNOHAND)
        }
        Woke::TimedOut | Woke::Notified => Ok(()),
    }
}
