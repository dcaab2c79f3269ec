// SPDX-License-Identifier: GPL-2.0

//! The events of one event queue: ids, parents and children, the in-flight
//! list and the completion FIFO.
//!
//! Invariants (the caller holds the queue's lock around every call):
//! - An event id is its slot index plus the slot's generation ([`slots`]), so
//!   a stale or forged id finds nothing instead of another event.
//! - A top-level event is in exactly one of three lists by state: in flight
//!   (DISPATCH, ABORT), completed (COMPLETE, in completion order, which is
//!   the order pollers get them) or, once completed and written to the
//!   queue's completion ring, posted (COMPLETE and `posted`, in ring order,
//!   each with its ring index); an idle one (NONE) is in none. A posted
//!   event is delivered when the consumers' head passes its index.
//! - A child is in its parent's list of children, in init order, and never in
//!   the queue's lists: poll and query see its parent. A parent is in flight
//!   while any child is, completes when the last child completes (with the
//!   first child error), and is never dispatched itself.
//! - An event's `seq` changes whenever it is dispatched, and for a parent
//!   whenever a child starts while it is idle, joins or leaves; a result a
//!   poller took is put back only if its event's `seq` is still the one taken.
//! - `ops` counts operations attached to events (children included).
//! - Once `dead` (destroyed, or abandoned by its owner) nothing new is
//!   accepted, and completions free their events.
//!
//! Two words: *list_remove* takes an event out of a list; *abandon* is what
//! happens when the owner goes away. Nothing here allocates (the caller
//! adds chunks of slots) and nothing panics: an inconsistency is
//! [`TableError::Corrupt`]. Operation hooks (abort) run under the caller's
//! lock and must not re-enter the queue; completions hand operations back.
//!
//! [`slots`]: super::slots

use super::{
    event_state::{
        transition,
        EvInput,
        EvRefusal,
        EvState, //
    },
    slots::{
        Chunk,
        Corrupt,
        Released,
        Slots,
        NIL, //
    },
};

/// The id userspace keeps for an event: generation in the high half, slot
/// index in the low half. Never 0 (generations start at 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct EventId(pub(crate) u64);

impl EventId {
    const fn new(slot: u32, gen: u32) -> EventId {
        EventId(((gen as u64) << 32) | slot as u64)
    }
    const fn slot(self) -> u32 {
        self.0 as u32
    }
    const fn gen(self) -> u32 {
        (self.0 >> 32) as u32
    }
}

/// Identifies one dispatch of one event, for its completion: a completion for
/// an earlier dispatch of a re-used event is recognised and ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ticket {
    pub(crate) id: EventId,
    seq: u32,
}

/// Why a table operation failed; the module maps each to an errno.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TableError {
    /// No such event: stale, forged or finalised (`ENOENT`).
    NotFound,
    /// Busy: in flight, waiting to be polled, or the parent is (`EBUSY`).
    Busy,
    /// Not valid in this state, or a child given as parent (`EINVAL`).
    Invalid,
    /// A parent event cannot be dispatched itself (`EPERM`).
    IsParent,
    /// The queue holds its limit of events (`EMFILE`).
    Full,
    /// No slot is free: add a chunk of this many slots and try again.
    NeedChunk(usize),
    /// An internal inconsistency: a bug (`EIO`, reported once).
    Corrupt,
}

impl From<Corrupt> for TableError {
    fn from(_: Corrupt) -> TableError {
        TableError::Corrupt
    }
}

/// One event.
pub(crate) struct Event<O> {
    state: EvState,
    /// Address of the userspace `struct daos_event`, handed back by poll.
    user: u64,
    /// Result for the poller (0 or a negative errno).
    error: i32,
    /// Changes with every dispatch (and family change, for a parent).
    seq: u32,
    /// The operation in flight, if any.
    op: Option<O>,
    /// Links in the event's list: the queue's in-flight or completed list
    /// (top-level events) or its parent's children (children).
    prev: u32,
    next: u32,
    /// Parent slot, or NIL.
    parent: u32,
    /// Children in init order (parents).
    first_child: u32,
    last_child: u32,
    nchildren: u32,
    /// Children in COMPLETE state (parents).
    nchildren_complete: u32,
    /// In the ring (top-level, COMPLETE), at index `ring_pos`.
    posted: bool,
    ring_pos: u32,
}

#[derive(Clone, Copy, Default)]
struct List {
    head: u32,
    tail: u32,
    len: u32,
}

impl List {
    const EMPTY: List = List {
        head: NIL,
        tail: NIL,
        len: 0,
    };
}

/// A list events are linked into.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    InFlight,
    Completed,
    Posted,
    /// The children of this parent slot.
    Children(u32),
}

/// What [`EventTable::query`] counts and lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct QueryMode {
    pub(crate) completed: bool,
    pub(crate) inflight: bool,
}

/// Counts of top-level events and of all events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) events: u32,
    pub(crate) inflight: u32,
    pub(crate) completed: u32,
    /// Operations (of events or children) not completed yet.
    pub(crate) ops: u32,
}

impl Counts {
    /// Nothing in flight and nothing waiting to be polled.
    pub(crate) fn idle(&self) -> bool {
        self.inflight == 0 && self.completed == 0 && self.ops == 0
    }
}

/// What a completion did.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Completed<O> {
    /// The ticket's dispatch is over: a stale or repeated completion.
    Ignored,
    /// Recorded; `queued` if a top-level event became ready for pollers.
    Done { op: Option<O>, queued: bool },
    /// The queue is dead: the event was freed (with its family, if nothing
    /// of it is in flight any more).
    Freed { op: Option<O> },
}

/// What [`EventTable::run_now`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ran {
    /// Completed; `true` if a top-level event became ready (it waits for
    /// the ring on the completed list).
    Queued(bool),
    /// Completed and posted at the index given: write its entry.
    Posted { user: u64, error: i32 },
}

/// A completed event a poller took.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Delivered {
    pub(crate) id: EventId,
    pub(crate) seq: u32,
    pub(crate) user: u64,
    pub(crate) error: i32,
}

impl Default for EventId {
    fn default() -> EventId {
        EventId(0)
    }
}

/// The events of one queue, in chunks of type `C`.
pub(crate) struct EventTable<O, C: Chunk<Event<O>>> {
    slots: Slots<Event<O>, C>,
    inflight: List,
    completed: List,
    posted: List,
    ops: u32,
    /// Destroyed, or abandoned by its owner.
    dead: bool,
}

/// `EINTR`: aborted events complete with `-EINTR`.
const EINTR: i32 = 4;

fn refusal(r: EvRefusal) -> TableError {
    match r {
        EvRefusal::Busy => TableError::Busy,
        EvRefusal::Invalid => TableError::Invalid,
    }
}

/// `n - 1`, or [`Corrupt`] for a count that is already 0.
fn dec(n: &mut u32) -> Result<(), Corrupt> {
    *n = n.checked_sub(1).ok_or(Corrupt)?;
    Ok(())
}

impl<O, C: Chunk<Event<O>>> EventTable<O, C> {
    pub(crate) fn new() -> Self {
        EventTable {
            slots: Slots::new(),
            inflight: List::EMPTY,
            completed: List::EMPTY,
            posted: List::EMPTY,
            ops: 0,
            dead: false,
        }
    }

    pub(crate) fn counts(&self) -> Counts {
        Counts {
            events: self.slots.live(),
            inflight: self.inflight.len,
            completed: self.completed.len + self.posted.len,
            ops: self.ops,
        }
    }

    pub(crate) fn is_dead(&self) -> bool {
        self.dead
    }

    /// Adds a chunk of slots that [`init`](Self::init) asked for; hands it
    /// back if another one was added meanwhile.
    pub(crate) fn add_chunk(&mut self, chunk: C) -> Result<(), C> {
        self.slots.add_chunk(chunk)
    }

    /// Takes out chunks that emptied, for the caller to free unlocked.
    pub(crate) fn shrink(&mut self) -> Released<C> {
        self.slots.shrink()
    }

    fn ev(&self, i: u32) -> Result<&Event<O>, Corrupt> {
        self.slots.get(i)
    }

    fn ev_mut(&mut self, i: u32) -> Result<&mut Event<O>, Corrupt> {
        self.slots.get_mut(i)
    }

    /// The live slot `id` names.
    fn find(&self, id: EventId) -> Result<u32, TableError> {
        match self.slots.find(id.slot(), id.gen()) {
            Some(_) => Ok(id.slot()),
            None => Err(TableError::NotFound),
        }
    }

    fn id_of(&self, i: u32) -> Result<EventId, Corrupt> {
        Ok(EventId::new(i, self.slots.gen(i)?))
    }

    // ---- intrusive lists ---------------------------------------------------

    fn list(&self, which: Which) -> Result<List, Corrupt> {
        Ok(match which {
            Which::InFlight => self.inflight,
            Which::Completed => self.completed,
            Which::Posted => self.posted,
            Which::Children(p) => {
                let pe = self.ev(p)?;
                List {
                    head: pe.first_child,
                    tail: pe.last_child,
                    len: pe.nchildren,
                }
            }
        })
    }

    fn set_list(&mut self, which: Which, l: List) -> Result<(), Corrupt> {
        match which {
            Which::InFlight => self.inflight = l,
            Which::Completed => self.completed = l,
            Which::Posted => self.posted = l,
            Which::Children(p) => {
                let pe = self.ev_mut(p)?;
                pe.first_child = l.head;
                pe.last_child = l.tail;
                pe.nchildren = l.len;
            }
        }
        Ok(())
    }

    fn push_back(&mut self, which: Which, i: u32) -> Result<(), Corrupt> {
        let mut l = self.list(which)?;
        let e = self.ev_mut(i)?;
        e.prev = l.tail;
        e.next = NIL;
        if l.tail == NIL {
            l.head = i;
        } else {
            self.ev_mut(l.tail)?.next = i;
        }
        l.tail = i;
        l.len = l.len.checked_add(1).ok_or(Corrupt)?;
        self.set_list(which, l)
    }

    fn push_front(&mut self, which: Which, i: u32) -> Result<(), Corrupt> {
        let mut l = self.list(which)?;
        let e = self.ev_mut(i)?;
        e.prev = NIL;
        e.next = l.head;
        if l.head == NIL {
            l.tail = i;
        } else {
            self.ev_mut(l.head)?.prev = i;
        }
        l.head = i;
        l.len = l.len.checked_add(1).ok_or(Corrupt)?;
        self.set_list(which, l)
    }

    fn list_remove(&mut self, which: Which, i: u32) -> Result<(), Corrupt> {
        let mut l = self.list(which)?;
        let (prev, next) = {
            let e = self.ev_mut(i)?;
            let links = (e.prev, e.next);
            e.prev = NIL;
            e.next = NIL;
            links
        };
        if prev == NIL {
            l.head = next;
        } else {
            self.ev_mut(prev)?.next = next;
        }
        if next == NIL {
            l.tail = prev;
        } else {
            self.ev_mut(next)?.prev = prev;
        }
        dec(&mut l.len)?;
        self.set_list(which, l)
    }

    /// The first child of parent `p` (NIL if none); the others follow
    /// through each child's `next` link.
    fn first_child(&self, p: u32) -> Result<u32, Corrupt> {
        Ok(self.ev(p)?.first_child)
    }

    /// Moves a top-level event between the queue's lists as its state
    /// changes; an event leaving COMPLETE leaves the ring too.
    fn relist(&mut self, i: u32, from: EvState, to: EvState) -> Result<(), Corrupt> {
        let posted = self.ev(i)?.posted;
        let which = |s: EvState| match s {
            EvState::Dispatch | EvState::Abort => Some(Which::InFlight),
            EvState::Complete if posted => Some(Which::Posted),
            EvState::Complete => Some(Which::Completed),
            EvState::None => None,
        };
        let (a, b) = (which(from), which(to));
        if a == b {
            return Ok(());
        }
        if let Some(a) = a {
            self.list_remove(a, i)?;
        }
        self.ev_mut(i)?.posted = b == Some(Which::Posted);
        if let Some(b) = b {
            self.push_back(b, i)?;
        }
        Ok(())
    }

    /// Sets the state of event `i`, moving it between lists if top-level.
    fn set_state(&mut self, i: u32, next: EvState) -> Result<(), Corrupt> {
        let e = self.ev_mut(i)?;
        let (prev, parent) = (e.state, e.parent);
        e.state = next;
        if parent == NIL {
            self.relist(i, prev, next)?;
        }
        Ok(())
    }

    /// A parent's family changed: results taken before are stale.
    fn family_changed(&mut self, p: u32) -> Result<(), Corrupt> {
        let pe = self.ev_mut(p)?;
        pe.seq = pe.seq.wrapping_add(1);
        Ok(())
    }

    // ---- user operations ---------------------------------------------------

    /// `daos_event_init`: a new idle event for the userspace event at `user`,
    /// child of `parent` if given. At most `limit` events (children
    /// included). `NeedChunk`: add a chunk of slots and call again.
    pub(crate) fn init(&mut self, user: u64, parent: Option<EventId>, limit: u32) -> Result<EventId, TableError> {
        if self.dead {
            return Err(TableError::NotFound);
        }
        let parent = match parent {
            Some(p) => {
                let p = self.find(p)?;
                let pe = self.ev(p)?;
                if pe.parent != NIL {
                    // One level of parents, as in the design.
                    return Err(TableError::Invalid);
                }
                if pe.state != EvState::None || pe.op.is_some() {
                    return Err(TableError::Busy);
                }
                p
            }
            None => NIL,
        };
        if self.slots.live() >= limit {
            return Err(TableError::Full);
        }
        match self.slots.wanted_chunk() {
            None => {}
            Some(0) => return Err(TableError::Full),
            Some(n) => return Err(TableError::NeedChunk(n)),
        }
        let (i, gen) = self.slots.insert(Event {
            state: EvState::None,
            user,
            error: 0,
            seq: 0,
            op: None,
            prev: NIL,
            next: NIL,
            parent,
            first_child: NIL,
            last_child: NIL,
            nchildren: 0,
            nchildren_complete: 0,
            posted: false,
            ring_pos: 0,
        })?;
        if parent != NIL {
            self.push_back(Which::Children(parent), i)?;
            self.family_changed(parent)?;
        }
        Ok(EventId::new(i, gen))
    }

    /// Starts an operation on `id`, which keeps `op` until it completes.
    /// On error `op` is handed back.
    pub(crate) fn dispatch(&mut self, id: EventId, op: Option<O>) -> Result<Ticket, (TableError, Option<O>)> {
        match self.try_dispatch(id) {
            Ok(i) => match self.start(i, op) {
                Ok(ticket) => Ok(ticket),
                Err(e) => Err((e.into(), None)),
            },
            Err(e) => Err((e, op)),
        }
    }

    /// Dispatches `id` and completes it with `error` at once, for an
    /// operation that finished inside the call: the same as [`dispatch`]
    /// then [`complete`], without passing through the in-flight list for a
    /// top-level event. `post_at`: the ring index free for it, if any; a
    /// top-level event goes straight into the ring there when no older
    /// completed event waits for the ring (the order stays the completion
    /// order), as [`post`] would put it.
    ///
    /// [`dispatch`]: Self::dispatch
    /// [`complete`]: Self::complete
    /// [`post`]: Self::post
    pub(crate) fn run_now(&mut self, id: EventId, error: i32, post_at: Option<u32>) -> Result<Ran, TableError> {
        let i = self.try_dispatch(id)?;
        if self.ev(i)?.parent != NIL {
            let ticket = self.start(i, None)?;
            return match self.complete(ticket, error)? {
                Completed::Done { queued, .. } => Ok(Ran::Queued(queued)),
                _ => Err(TableError::Corrupt),
            };
        }
        let direct = post_at.filter(|_| self.completed.head == NIL);
        let e = self.ev_mut(i)?;
        e.error = error;
        e.seq = e.seq.wrapping_add(1);
        if let Some(pos) = direct {
            e.posted = true;
            e.ring_pos = pos;
        }
        let user = e.user;
        self.set_state(i, EvState::Complete)?;
        Ok(match direct {
            Some(_) => Ran::Posted { user, error },
            None => Ran::Queued(true),
        })
    }

    /// Checks that `id` can be dispatched; returns its slot.
    fn try_dispatch(&self, id: EventId) -> Result<u32, TableError> {
        let i = self.find(id)?;
        let e = self.ev(i)?;
        if e.nchildren > 0 {
            return Err(TableError::IsParent);
        }
        if e.parent != NIL && !matches!(self.ev(e.parent)?.state, EvState::None | EvState::Dispatch) {
            // The parent is aborted or waits to be polled.
            return Err(TableError::Busy);
        }
        transition(e.state, EvInput::Dispatch).map_err(refusal)?;
        Ok(i)
    }

    /// Dispatches slot `i` (checked by `try_dispatch`).
    fn start(&mut self, i: u32, op: Option<O>) -> Result<Ticket, Corrupt> {
        let e = self.ev_mut(i)?;
        let parent = e.parent;
        e.error = 0;
        e.op = op;
        e.seq = e.seq.wrapping_add(1);
        let seq = e.seq;
        self.set_state(i, EvState::Dispatch)?;
        self.ops = self.ops.checked_add(1).ok_or(Corrupt)?;
        if parent != NIL && self.ev(parent)?.state == EvState::None {
            // The first child starts: the parent is in flight from now on.
            let pe = self.ev_mut(parent)?;
            pe.error = 0;
            pe.seq = pe.seq.wrapping_add(1);
            self.set_state(parent, EvState::Dispatch)?;
        }
        Ok(Ticket {
            id: self.id_of(i)?,
            seq,
        })
    }

    /// The operation event `id` runs, if it is in flight with one.
    pub(crate) fn op(&self, id: EventId) -> Result<Option<&O>, TableError> {
        let i = self.find(id)?;
        let e = self.ev(i)?;
        Ok(if e.state.in_flight() { e.op.as_ref() } else { None })
    }

    /// `daos_event_abort`: marks `id` (or, for a parent, its children)
    /// aborted and calls `abort_op` on every operation to stop. Returns
    /// whether a parent completed at once (no child was running).
    pub(crate) fn abort(&mut self, id: EventId, mut abort_op: impl FnMut(&O)) -> Result<bool, TableError> {
        let i = self.find(id)?;
        let e = self.ev(i)?;
        let state = e.state;
        let next = transition(state, EvInput::Abort).map_err(refusal)?;
        if state != EvState::Dispatch {
            // Aborted already, or completed: nothing more to do.
            return Ok(false);
        }
        if e.nchildren == 0 {
            self.set_state(i, next)?;
            if let Some(op) = &self.ev(i)?.op {
                abort_op(op);
            }
            return Ok(false);
        }
        // A parent: abort the running children; the ones never started
        // count as completed, interrupted.
        self.set_state(i, next)?;
        let mut queued = false;
        let mut c = self.first_child(i)?;
        while c != NIL {
            let ce = self.ev(c)?;
            let next_c = ce.next;
            match ce.state {
                EvState::Dispatch => {
                    self.ev_mut(c)?.state = EvState::Abort;
                    if let Some(op) = &self.ev(c)?.op {
                        abort_op(op);
                    }
                }
                EvState::None => queued |= self.child_completes(c, -EINTR)?,
                EvState::Abort | EvState::Complete => {}
            }
            c = next_c;
        }
        Ok(queued)
    }

    /// Records a child's completion; returns whether its parent completed.
    fn child_completes(&mut self, c: u32, error: i32) -> Result<bool, Corrupt> {
        let ce = self.ev_mut(c)?;
        ce.state = EvState::Complete;
        ce.error = error;
        let p = ce.parent;
        let pe = self.ev_mut(p)?;
        pe.nchildren_complete = pe.nchildren_complete.checked_add(1).ok_or(Corrupt)?;
        if pe.error == 0 {
            // The first child error wins.
            pe.error = error;
        }
        self.parent_check(p)
    }

    /// Completes parent `p` if all its children are complete.
    fn parent_check(&mut self, p: u32) -> Result<bool, Corrupt> {
        let pe = self.ev_mut(p)?;
        if !pe.state.in_flight() || pe.nchildren_complete < pe.nchildren {
            return Ok(false);
        }
        if pe.state == EvState::Abort {
            pe.error = -EINTR;
        }
        self.set_state(p, EvState::Complete)?;
        Ok(true)
    }

    /// The kernel side: the operation of `ticket` finished with `error`.
    /// Aborted events complete with `-EINTR` whatever the operation says.
    pub(crate) fn complete(&mut self, ticket: Ticket, error: i32) -> Result<Completed<O>, Corrupt> {
        let Ok(i) = self.find(ticket.id) else {
            return Ok(Completed::Ignored);
        };
        let e = self.ev_mut(i)?;
        let (state, parent) = (e.state, e.parent);
        if e.seq != ticket.seq || transition(state, EvInput::Complete).is_err() {
            return Ok(Completed::Ignored);
        }
        let op = e.op.take();
        dec(&mut self.ops)?;
        let error = if state == EvState::Abort { -EINTR } else { error };
        if self.dead {
            self.free_if_done(i)?;
            return Ok(Completed::Freed { op });
        }
        let queued = if parent == NIL {
            self.ev_mut(i)?.error = error;
            self.set_state(i, EvState::Complete)?;
            true
        } else {
            self.child_completes(i, error)?
        };
        Ok(Completed::Done { op, queued })
    }

    /// In a dead queue: event `i` completed; frees its family once nothing
    /// of it is in flight.
    fn free_if_done(&mut self, i: u32) -> Result<(), Corrupt> {
        let parent = self.ev(i)?.parent;
        let root = if parent == NIL { i } else { parent };
        self.set_state(i, EvState::Complete)?;
        if !self.family_in_flight(root)? {
            self.free_family(root)?;
        }
        Ok(())
    }

    /// Whether an operation of top-level event `root` or of its children is
    /// in flight (a parent's own state only mirrors its children).
    fn family_in_flight(&self, root: u32) -> Result<bool, Corrupt> {
        let e = self.ev(root)?;
        if e.nchildren == 0 {
            return Ok(e.state.in_flight());
        }
        let mut c = e.first_child;
        while c != NIL {
            let ce = self.ev(c)?;
            if ce.state.in_flight() {
                return Ok(true);
            }
            c = ce.next;
        }
        Ok(false)
    }

    /// Frees a top-level event and its children, taking it out of its list.
    fn free_family(&mut self, root: u32) -> Result<(), Corrupt> {
        let state = self.ev(root)?.state;
        self.relist(root, state, EvState::None)?;
        let mut c = self.first_child(root)?;
        while c != NIL {
            let next = self.ev(c)?.next;
            self.slots.remove(c)?;
            c = next;
        }
        self.slots.remove(root)?;
        Ok(())
    }

    /// `daos_eq_poll`: takes up to `max` completed events, oldest first, and
    /// calls `f` for each. Returns how many.
    pub(crate) fn deliver(&mut self, max: u32, mut f: impl FnMut(Delivered)) -> Result<u32, Corrupt> {
        let mut n = 0;
        while n < max && self.completed.head != NIL {
            f(self.hand_over(self.completed.head)?);
            n += 1;
        }
        Ok(n)
    }

    /// A completed top-level event goes to a poller: it (and its
    /// children) become idle.
    fn hand_over(&mut self, i: u32) -> Result<Delivered, Corrupt> {
        let next = transition(self.ev(i)?.state, EvInput::Deliver).map_err(|_| Corrupt)?;
        self.set_state(i, next)?;
        let mut c = self.first_child(i)?;
        while c != NIL {
            let ce = self.ev_mut(c)?;
            ce.state = EvState::None;
            c = ce.next;
        }
        let e = self.ev_mut(i)?;
        e.nchildren_complete = 0;
        let (seq, user, error) = (e.seq, e.user, e.error);
        Ok(Delivered {
            id: self.id_of(i)?,
            seq,
            user,
            error,
        })
    }

    // ---- the completion ring -----------------------------------------------

    /// Moves up to `room` completed events, oldest first, into the ring at
    /// indices `tail`, `tail + 1`...; `f` gets each index with the event's
    /// user address and result, to write its entry. Returns how many.
    pub(crate) fn post(&mut self, tail: u32, room: u32, mut f: impl FnMut(u32, u64, i32)) -> Result<u32, Corrupt> {
        let mut n = 0;
        while n < room && self.completed.head != NIL {
            let i = self.completed.head;
            let pos = tail.wrapping_add(n);
            self.list_remove(Which::Completed, i)?;
            let e = self.ev_mut(i)?;
            e.posted = true;
            e.ring_pos = pos;
            let (user, error) = (e.user, e.error);
            self.push_back(Which::Posted, i)?;
            f(pos, user, error);
            n += 1;
        }
        Ok(n)
    }

    /// The ring's entries from index `from` up to (not including) `to`
    /// were taken: their events are delivered, and `f` gets each. Entries
    /// whose event was finalised meanwhile have none.
    pub(crate) fn take_posted(&mut self, from: u32, to: u32, mut f: impl FnMut(Delivered)) -> Result<u32, Corrupt> {
        let span = to.wrapping_sub(from);
        let mut n = 0;
        while self.posted.head != NIL {
            let i = self.posted.head;
            if self.ev(i)?.ring_pos.wrapping_sub(from) >= span {
                break;
            }
            f(self.hand_over(i)?);
            n += 1;
        }
        Ok(n)
    }

    /// Completed events not in the ring.
    pub(crate) fn unposted(&self) -> u32 {
        self.completed.len
    }

    /// The ring index of `id`'s entry, if it is in the ring.
    pub(crate) fn posted_at(&self, id: EventId) -> Option<u32> {
        let e = self.ev(self.find(id).ok()?).ok()?;
        e.posted.then_some(e.ring_pos)
    }

    /// The ring stops: its events go back to the front of the completed
    /// list, in order; `f` gets each one's ring index (to cancel it).
    pub(crate) fn unpost_all(&mut self, mut f: impl FnMut(u32)) -> Result<(), Corrupt> {
        while self.posted.tail != NIL {
            let i = self.posted.tail;
            self.list_remove(Which::Posted, i)?;
            let e = self.ev_mut(i)?;
            e.posted = false;
            f(e.ring_pos);
            self.push_front(Which::Completed, i)?;
        }
        Ok(())
    }

    /// Gives back results taken by [`deliver`](Self::deliver) that could
    /// not reach userspace, in the order they were taken, ahead of the
    /// others. A result whose event changed since (finalised, dispatched
    /// again, its family changed) is stale and dropped: its event was, or
    /// will be, delivered again by its own new completion.
    pub(crate) fn undeliver(&mut self, taken: &[Delivered]) -> Result<(), Corrupt> {
        for d in taken.iter().rev() {
            let Ok(i) = self.find(d.id) else { continue };
            let e = self.ev(i)?;
            if e.seq != d.seq || e.state != EvState::None || e.parent != NIL {
                continue;
            }
            let mut c = e.first_child;
            while c != NIL {
                let ce = self.ev_mut(c)?;
                ce.state = EvState::Complete;
                c = ce.next;
            }
            let e = self.ev_mut(i)?;
            e.state = EvState::Complete;
            e.error = d.error;
            e.nchildren_complete = e.nchildren;
            self.push_front(Which::Completed, i)?;
        }
        Ok(())
    }

    /// `daos_eq_query`: how many top-level events `mode` selects; `f` gets
    /// the user address and current result of each (completed ones first, in
    /// poll order) until it returns false.
    pub(crate) fn query(&self, mode: QueryMode, mut f: impl FnMut(u64, i32) -> bool) -> Result<u32, Corrupt> {
        let mut total = 0u32;
        let mut more = true;
        let lists = [
            (mode.completed, self.posted),
            (mode.completed, self.completed),
            (mode.inflight, self.inflight),
        ];
        for (wanted, list) in lists {
            if !wanted {
                continue;
            }
            total = total.checked_add(list.len).ok_or(Corrupt)?;
            let mut i = list.head;
            while more && i != NIL {
                let e = self.ev(i)?;
                more = f(e.user, e.error);
                i = e.next;
            }
        }
        Ok(total)
    }

    /// `daos_event_fini`: frees an idle or completed event; a parent takes its
    /// children along. Returns whether a parent completed as a result (the
    /// last unfinished child went away).
    pub(crate) fn fini(&mut self, id: EventId) -> Result<bool, TableError> {
        let i = self.find(id)?;
        let e = self.ev(i)?;
        let (state, parent) = (e.state, e.parent);
        transition(state, EvInput::Fini).map_err(refusal)?;
        if parent == NIL {
            if self.family_in_flight(i)? {
                return Err(TableError::Busy);
            }
            self.free_family(i)?;
            return Ok(false);
        }
        // A child leaves its parent.
        self.list_remove(Which::Children(parent), i)?;
        if state == EvState::Complete {
            dec(&mut self.ev_mut(parent)?.nchildren_complete)?;
        }
        self.family_changed(parent)?;
        self.slots.remove(i)?;
        // The child may have been the last unfinished one.
        Ok(self.parent_check(parent)?)
    }

    /// `daos_event_next`: the id, user address and result of the child after
    /// `child` (the first one if `None`); `Ok(None)` after the last.
    pub(crate) fn next_child(
        &self,
        parent: EventId,
        child: Option<EventId>,
    ) -> Result<Option<(EventId, u64, i32)>, TableError> {
        let p = self.find(parent)?;
        let c = match child {
            None => self.first_child(p)?,
            Some(c) => {
                let c = self.find(c)?;
                let ce = self.ev(c)?;
                if ce.parent != p {
                    return Err(TableError::Invalid);
                }
                ce.next
            }
        };
        if c == NIL {
            return Ok(None);
        }
        let ce = self.ev(c)?;
        Ok(Some((self.id_of(c)?, ce.user, ce.error)))
    }

    /// `daos_eq_destroy`: frees every event unless one is in flight; the
    /// queue is dead afterwards. `cancel` gets the ring index of each event
    /// still in the ring.
    pub(crate) fn destroy(&mut self, mut cancel: impl FnMut(u32)) -> Result<(), TableError> {
        if self.ops > 0 || self.inflight.len > 0 {
            return Err(TableError::Busy);
        }
        let mut i = self.posted.head;
        while i != NIL {
            let e = self.ev(i)?;
            cancel(e.ring_pos);
            i = e.next;
        }
        self.dead = true;
        self.free_all_idle()?;
        Ok(())
    }

    /// Frees every top-level event (and its children) with nothing in flight.
    fn free_all_idle(&mut self) -> Result<(), Corrupt> {
        let mut next = self.slots.next_live(0);
        while let Some(slot) = next {
            let e = self.ev(slot)?;
            if e.parent == NIL && !self.family_in_flight(slot)? {
                self.free_family(slot)?;
            }
            // After the free: it may have freed slots ahead (children).
            next = slot.checked_add(1).and_then(|s| self.slots.next_live(s));
        }
        Ok(())
    }

    /// The owner is gone: aborts every operation in flight (through
    /// `abort_op`, as [`abort`](Self::abort) does) and frees everything
    /// else; completions free the rest.
    pub(crate) fn abandon(&mut self, mut abort_op: impl FnMut(&O)) -> Result<(), Corrupt> {
        self.dead = true;
        let mut next = self.slots.next_live(0);
        while let Some(slot) = next {
            let e = self.ev_mut(slot)?;
            if e.state == EvState::Dispatch {
                e.state = EvState::Abort;
            }
            if let Some(op) = &e.op {
                abort_op(op);
            }
            next = slot.checked_add(1).and_then(|s| self.slots.next_live(s));
        }
        self.free_all_idle()
    }
}
