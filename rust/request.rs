// SPDX-License-Identifier: GPL-2.0

//! Operations that run on the module's work queue: every container, shard,
//! object and epoch operation that reaches a target.
//!
//! The ioctl checks the arguments and capabilities, takes what it needs from
//! the caller (handles, a write's data, pinned read buffers), wraps the work
//! in a [`Request`] and queues it. With an event, the request is the event's
//! operation and the ioctl returns at once; without one, the ioctl sleeps
//! until the request finished and returns its result.
//!
//! A request ends exactly once ([`Request::finish`], the first caller wins):
//! by its job, or with `-EINTR` when aborted first. Aborting (the event's, or
//! a signal to a synchronous caller) marks the request and queues its work
//! again; the work then ends it without running the job, or lets a parked
//! job unpark. A job that waits for something (an epoch to commit) parks:
//! it returns [`Step::Park`] and whoever changes the state queues its work
//! again ([`Request::kick`]).

use kernel::{
    impl_has_work,
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
        SetOnce,
    },
    workqueue::{
        Work,
        WorkItem, //
    },
};

use crate::{
    context::Running,
    device::DaosFile,
    event_queue::{
        EventOp,
        EventQueue,
        OpRef, //
    },
    pure::event_table::{
        EventId,
        Ticket, //
    },
    sys::wait::{
        new_wait_queue,
        WaitQueue,
        Woke, //
    },
    uapi,
};

/// What a job's run came to.
pub(crate) enum Step {
    /// Finished with 0 or a negative errno.
    Done(Result),
    /// Waiting: something will [`Request::kick`] it.
    Park,
}

/// The work of one request.
pub(crate) trait Job: Send + Sync + Sized + 'static {
    /// Runs in the work queue (again after each kick while parked).
    fn run(&self, request: &Arc<Request<Self>>) -> Step;

    /// The request ended without the job finishing (aborted): undo a park.
    fn cancel(&self, _request: &Arc<Request<Self>>) {}

    /// Bytes done and in all, for jobs that report their progress.
    fn progress(&self) -> Option<(u64, u64)> {
        None
    }
}

/// Who learns the result.
enum Waiter {
    Event {
        eq: Arc<EventQueue>,
        ticket: SetOnce<Ticket>,
    },
    Caller,
}

#[pin_data]
pub(crate) struct Request<J: Job> {
    #[pin]
    pub(crate) job: J,
    waiter: Waiter,
    /// Set by the abort; read by the work.
    aborted: Atomic<bool>,
    /// Set by the first [`finish`](Self::finish).
    ended: Atomic<bool>,
    /// A synchronous caller's result, then `done` once it is there.
    result: Atomic<i32>,
    done: Atomic<bool>,
    #[pin]
    finished: WaitQueue,
    #[pin]
    work: Work<Request<J>>,
    /// The module's state, held while the request lives; last, so that it
    /// is given up after everything else.
    context: Running,
}

impl_has_work! {
    impl{J: Job} HasWork<Self> for Request<J> { self.work }
}

impl<J: Job> WorkItem for Request<J> {
    type Pointer = Arc<Self>;

    fn run(this: Arc<Self>) {
        if this.ended.load(Acquire) {
            return;
        }
        if this.aborted.load(Acquire) {
            this.job.cancel(&this);
            this.finish(Err(EINTR));
            return;
        }
        if let Step::Done(result) = this.job.run(&this) {
            this.finish(result);
        }
    }
}

impl<J: Job> EventOp for Request<J> {
    fn abort(self: ArcBorrow<'_, Self>) {
        self.aborted.store(true, Release);
        // Already queued is fine: the queued run sees the mark.
        let _ = self.context.queue.enqueue(Arc::from(self));
    }

    fn progress(&self) -> Option<(u64, u64)> {
        self.job.progress()
    }
}

impl<J: Job> Request<J> {
    /// Ends the request with `result`, once.
    pub(crate) fn finish(&self, result: Result) {
        if self.ended.xchg(true, Relaxed) {
            return;
        }
        let error = match result {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        };
        match &self.waiter {
            Waiter::Event { eq, ticket } => {
                if let Some(ticket) = ticket.copy() {
                    eq.complete(ticket, error);
                }
            }
            Waiter::Caller => {
                self.result.store(error, Relaxed);
                self.done.store(true, Release);
                self.finished.notify_all();
            }
        }
    }

    /// The module's context, for operations the job starts.
    pub(crate) fn anchor(&self) -> &crate::sys::anchor::Anchor<crate::context::Context> {
        self.context.anchor()
    }

    /// Queues a parked job's work again, to look at the state anew.
    pub(crate) fn kick(self: &Arc<Self>) {
        let _ = self.context.queue.enqueue(self.clone());
    }

}

/// Parks `request` among `waiters` (once): its job returns the step. The
/// caller holds the lock of whatever `waiters` is part of, whose changes
/// kick the waiters.
pub(crate) fn park<J: Job>(waiters: &mut KVec<Arc<Request<J>>>, request: &Arc<Request<J>>) -> Step {
    if !waiters.iter().any(|w| Arc::ptr_eq(w, request)) {
        if let Err(e) = waiters.push(request.clone(), GFP_KERNEL_ACCOUNT) {
            return Step::Done(Err(e.into()));
        }
    }
    Step::Park
}

/// Takes `request` out of `waiters` (an abort of a parked request).
pub(crate) fn unpark<J: Job>(waiters: &mut KVec<Arc<Request<J>>>, request: &Arc<Request<J>>) {
    waiters.retain(|w| !Arc::ptr_eq(w, request));
}

/// Submits `job` on the event `ev` names, or runs it for a synchronous
/// caller (no event) and returns its result. A signal ends a synchronous
/// wait with `EINTR`; the request is aborted, and what it did stays done.
pub(crate) fn submit<J: Job>(file: &DaosFile, ev: uapi::daos_ioc_ev, job: J) -> Result {
    submit_init(file, ev, Ok::<J, Error>(job))
}

/// [`submit`] for a job that is initialised in place.
pub(crate) fn submit_init<J: Job>(file: &DaosFile, ev: uapi::daos_ioc_ev, job: impl PinInit<J, Error>) -> Result {
    let waiter = match (ev.eqh, ev.id) {
        (0, 0) => Waiter::Caller,
        (0, _) | (_, 0) => return Err(EINVAL),
        (eqh, _) => Waiter::Event {
            eq: file.eq(eqh)?,
            ticket: SetOnce::new(),
        },
    };
    let request = Arc::pin_init(
        try_pin_init!(Request {
            job <- job,
            waiter,
            aborted: Atomic::new(false),
            ended: Atomic::new(false),
            result: Atomic::new(0),
            done: Atomic::new(false),
            finished <- new_wait_queue!(c"Request::finished"),
            work <- new_work!("Request::work"),
            context: Running::new(&file.context),
        }),
        GFP_KERNEL_ACCOUNT,
    )?;
    match &request.waiter {
        Waiter::Event { eq, ticket } => {
            let op: OpRef = request.clone();
            eq.dispatch(EventId(ev.id), op, |t| {
                ticket.populate(t);
                let _ = request.context.queue.enqueue(request.clone());
            })
        }
        Waiter::Caller => {
            let _ = request.context.queue.enqueue(request.clone());
            loop {
                let t = request.finished.ticket();
                if request.done.load(Acquire) {
                    return match request.result.load(Relaxed) {
                        0 => Ok(()),
                        e => Err(Error::from_errno(e)),
                    };
                }
                if request.finished.sleep(t, None) == Woke::Signal {
                    request.aborted.store(true, Release);
                    request.kick();
                    return Err(EINTR);
                }
            }
        }
    }
}
