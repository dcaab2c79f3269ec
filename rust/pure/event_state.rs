// SPDX-License-Identifier: GPL-2.0

//! The event state machine of the DAOS design: NONE -> DISPATCH -> COMPLETE,
//! with ABORT on the way, and back to NONE when the event is polled.
//!
//! [`transition`] is the whole machine for one event; the event table applies
//! it and adds what involves other events (parents, queues).

/// State of one event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EvState {
    /// Initialised and idle: never dispatched, or already polled.
    None,
    /// An operation is in flight.
    Dispatch,
    /// In flight, and asked to abort; completes with `-EINTR`.
    Abort,
    /// Completed, waiting to be polled.
    Complete,
}

/// What happens to an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EvInput {
    /// An operation starts with this event.
    Dispatch,
    /// The user asks to abort the operation.
    Abort,
    /// The operation finished (kernel side).
    Complete,
    /// A poller takes the completed event.
    Deliver,
    /// The user finalises the event.
    Fini,
}

/// Why an input is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EvRefusal {
    /// The event is busy with an operation or waits to be polled (`EBUSY`).
    Busy,
    /// The input makes no sense in this state (`EINVAL`); for kernel-side
    /// inputs (complete, deliver) a stale duplicate that is ignored.
    Invalid,
}

/// The state after `input`, or why it is refused. `Fini` yields `None`: the
/// event may be freed.
pub(crate) const fn transition(state: EvState, input: EvInput) -> Result<EvState, EvRefusal> {
    use EvInput as I;
    use EvState as S;
    match (state, input) {
        (S::None, I::Dispatch) => Ok(S::Dispatch),
        (S::Dispatch | S::Abort | S::Complete, I::Dispatch) => Err(EvRefusal::Busy),

        (S::None, I::Abort) => Err(EvRefusal::Invalid),
        (S::Dispatch | S::Abort, I::Abort) => Ok(S::Abort),
        // Abort racing with completion: the user cannot avoid it, so no error.
        (S::Complete, I::Abort) => Ok(S::Complete),

        (S::Dispatch | S::Abort, I::Complete) => Ok(S::Complete),
        (S::None | S::Complete, I::Complete) => Err(EvRefusal::Invalid),

        (S::Complete, I::Deliver) => Ok(S::None),
        (S::None | S::Dispatch | S::Abort, I::Deliver) => Err(EvRefusal::Invalid),

        (S::None | S::Complete, I::Fini) => Ok(S::None),
        (S::Dispatch | S::Abort, I::Fini) => Err(EvRefusal::Busy),
    }
}

impl EvState {
    /// An operation is attached and has not completed.
    pub(crate) const fn in_flight(self) -> bool {
        matches!(self, EvState::Dispatch | EvState::Abort)
    }
}
