// SPDX-License-Identifier: GPL-2.0

//! The events of one event queue: slots, ids, parents and children, the
//! in-flight list and the completion FIFO.
//!
//! Events live in slots of a growable store. An event id is the slot index
//! plus the slot's generation, which changes whenever the slot is freed, so a
//! stale or forged id finds nothing instead of another event. Top-level events
//! are linked, through indices kept in the slots, into exactly one of two lists
//! by state: in flight (DISPATCH, ABORT) or completed (COMPLETE, FIFO order for
//! pollers); idle ones are in neither. Children are linked to their parent in
//! init order and never appear in either list. Nothing here allocates except
//! [`SlotStore::push_vacant`] when an init finds no free slot, so completion
//! can never fail.
//!
//! The caller holds the queue's lock around every call, and calls operation
//! hooks (abort, completion) that the table hands back outside of that lock
//! when they may re-enter the queue.

use super::event_state::{
    transition,
    EvInput,
    EvRefusal,
    EvState, //
};

/// "No slot" in links.
const NIL: u32 = u32::MAX;
/// Largest slot index; ids need the rest of the 32 bits for nothing else.
const MAX_SLOTS: u32 = NIL - 1;

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
    /// The slot store could not grow (`ENOMEM`).
    NoMemory,
}

/// One event.
struct Event<O> {
    state: EvState,
    /// Address of the userspace `struct daos_event`, handed back by poll.
    user: u64,
    /// Result for the poller (0 or a negative errno).
    error: i32,
    /// Dispatch counter, for [`Ticket`]s.
    seq: u32,
    /// The operation in flight, if any.
    op: Option<O>,
    /// Links in the in-flight or completed list (top-level events).
    prev: u32,
    next: u32,
    /// Parent slot, or NIL.
    parent: u32,
    /// Children in init order (parents), and sibling links (children).
    first_child: u32,
    last_child: u32,
    sib_prev: u32,
    sib_next: u32,
    nchildren: u32,
    /// Children in COMPLETE state (parents).
    nchildren_complete: u32,
}

enum SlotState<O> {
    Vacant { next_free: u32 },
    Live(Event<O>),
    /// Generation exhausted: never reused, so old ids stay unique.
    Retired,
}

/// A slot of the store.
pub(crate) struct Slot<O> {
    gen: u32,
    state: SlotState<O>,
}

impl<O> Slot<O> {
    /// A slot that [`EventTable`] has not adopted yet.
    pub(crate) const fn new() -> Slot<O> {
        Slot {
            gen: 1,
            state: SlotState::Vacant { next_free: NIL },
        }
    }
}

/// Storage for slots: a `Vec` on the host, a kernel vector in the module.
pub(crate) trait SlotStore<O> {
    fn len(&self) -> u32;
    fn get(&self, i: u32) -> &Slot<O>;
    fn get_mut(&mut self, i: u32) -> &mut Slot<O>;
    /// Appends `Slot::new()`; `Err` if memory is short.
    fn push_vacant(&mut self) -> Result<(), ()>;
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

/// Which list a top-level event is in, by its state.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    InFlight,
    Completed,
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

/// What a completion did.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Completed<O> {
    /// The ticket's dispatch is over: a stale or repeated completion.
    Ignored,
    /// Recorded; `queued` if a top-level event became ready for pollers.
    Done { op: Option<O>, queued: bool },
    /// The queue is unlinked (its owner is gone): the event was freed.
    Unlinked { op: Option<O> },
}

/// The events of one queue.
pub(crate) struct EventTable<O, S: SlotStore<O>> {
    slots: S,
    free: u32,
    inflight: List,
    completed: List,
    events: u32,
    ops: u32,
    /// The owner is gone: completions free their events.
    unlinked: bool,
    _op: core::marker::PhantomData<O>,
}

impl<O, S: SlotStore<O>> EventTable<O, S> {
    pub(crate) fn new(slots: S) -> Self {
        let mut t = EventTable {
            slots,
            free: NIL,
            inflight: List::EMPTY,
            completed: List::EMPTY,
            events: 0,
            ops: 0,
            unlinked: false,
            _op: core::marker::PhantomData,
        };
        for i in (0..t.slots.len()).rev() {
            t.release_slot_new(i);
        }
        t
    }

    pub(crate) fn counts(&self) -> Counts {
        Counts {
            events: self.events,
            inflight: self.inflight.len,
            completed: self.completed.len,
            ops: self.ops,
        }
    }

    pub(crate) fn is_unlinked(&self) -> bool {
        self.unlinked
    }

    fn ev(&self, i: u32) -> &Event<O> {
        match &self.slots.get(i).state {
            SlotState::Live(e) => e,
            _ => unreachable!("slot {} is not live", i),
        }
    }

    fn ev_mut(&mut self, i: u32) -> &mut Event<O> {
        match &mut self.slots.get_mut(i).state {
            SlotState::Live(e) => e,
            _ => unreachable!("slot {} is not live", i),
        }
    }

    /// The live slot `id` names.
    fn find(&self, id: EventId) -> Result<u32, TableError> {
        let i = id.slot();
        if i >= self.slots.len() {
            return Err(TableError::NotFound);
        }
        let slot = self.slots.get(i);
        match slot.state {
            SlotState::Live(_) if slot.gen == id.gen() => Ok(i),
            _ => Err(TableError::NotFound),
        }
    }

    fn id_of(&self, i: u32) -> EventId {
        EventId::new(i, self.slots.get(i).gen)
    }

    /// Frees slot `i` (already unlinked from everything) and bumps its generation.
    fn release_slot(&mut self, i: u32) {
        let slot = self.slots.get_mut(i);
        if matches!(slot.state, SlotState::Live(_)) {
            self.events -= 1;
        }
        if slot.gen == u32::MAX {
            slot.state = SlotState::Retired;
            return;
        }
        slot.gen += 1;
        slot.state = SlotState::Vacant {
            next_free: self.free,
        };
        self.free = i;
    }

    // ---- intrusive lists ---------------------------------------------------

    fn list(&mut self, which: Which) -> &mut List {
        match which {
            Which::InFlight => &mut self.inflight,
            Which::Completed => &mut self.completed,
        }
    }

    fn push_back(&mut self, which: Which, i: u32) {
        let tail = self.list(which).tail;
        {
            let e = self.ev_mut(i);
            e.prev = tail;
            e.next = NIL;
        }
        if tail == NIL {
            self.list(which).head = i;
        } else {
            self.ev_mut(tail).next = i;
        }
        let l = self.list(which);
        l.tail = i;
        l.len += 1;
    }

    fn push_front(&mut self, which: Which, i: u32) {
        let head = self.list(which).head;
        {
            let e = self.ev_mut(i);
            e.prev = NIL;
            e.next = head;
        }
        if head == NIL {
            self.list(which).tail = i;
        } else {
            self.ev_mut(head).prev = i;
        }
        let l = self.list(which);
        l.head = i;
        l.len += 1;
    }

    fn unlink(&mut self, which: Which, i: u32) {
        let (prev, next) = {
            let e = self.ev(i);
            (e.prev, e.next)
        };
        if prev == NIL {
            self.list(which).head = next;
        } else {
            self.ev_mut(prev).next = next;
        }
        if next == NIL {
            self.list(which).tail = prev;
        } else {
            self.ev_mut(next).prev = prev;
        }
        self.list(which).len -= 1;
        let e = self.ev_mut(i);
        e.prev = NIL;
        e.next = NIL;
    }

    /// Moves a top-level event between lists as its state changes.
    fn relist(&mut self, i: u32, from: EvState, to: EvState) {
        let which = |s: EvState| match s {
            EvState::Dispatch | EvState::Abort => Some(Which::InFlight),
            EvState::Complete => Some(Which::Completed),
            EvState::None => None,
        };
        let (a, b) = (which(from), which(to));
        if a == b {
            return;
        }
        if let Some(a) = a {
            self.unlink(a, i);
        }
        if let Some(b) = b {
            self.push_back(b, i);
        }
    }

    // ---- user operations ---------------------------------------------------

    /// `daos_event_init`: a new idle event for the userspace event at `user`,
    /// child of `parent` if given. At most `limit` events (children included).
    pub(crate) fn init(
        &mut self,
        user: u64,
        parent: Option<EventId>,
        limit: u32,
    ) -> Result<EventId, TableError> {
        if self.unlinked {
            return Err(TableError::NotFound);
        }
        let parent = match parent {
            Some(p) => {
                let p = self.find(p)?;
                let pe = self.ev(p);
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
        if self.events >= limit {
            return Err(TableError::Full);
        }
        if self.free == NIL {
            let len = self.slots.len();
            if len >= MAX_SLOTS {
                return Err(TableError::Full);
            }
            self.slots.push_vacant().map_err(|_| TableError::NoMemory)?;
            self.release_slot_new(len);
        }
        let i = self.free;
        let slot = self.slots.get_mut(i);
        self.free = match slot.state {
            SlotState::Vacant { next_free } => next_free,
            _ => unreachable!("free list holds a used slot"),
        };
        slot.state = SlotState::Live(Event {
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
            sib_prev: NIL,
            sib_next: NIL,
            nchildren: 0,
            nchildren_complete: 0,
        });
        self.events += 1;
        if parent != NIL {
            let last = self.ev(parent).last_child;
            self.ev_mut(i).sib_prev = last;
            if last == NIL {
                self.ev_mut(parent).first_child = i;
            } else {
                self.ev_mut(last).sib_next = i;
            }
            let pe = self.ev_mut(parent);
            pe.last_child = i;
            pe.nchildren += 1;
        }
        Ok(self.id_of(i))
    }

    /// Puts a freshly pushed slot on the free list.
    fn release_slot_new(&mut self, i: u32) {
        let slot = self.slots.get_mut(i);
        slot.state = SlotState::Vacant {
            next_free: self.free,
        };
        self.free = i;
    }

    /// Starts an operation on `id`, which keeps `op` until it completes.
    /// On error `op` is handed back.
    pub(crate) fn dispatch(&mut self, id: EventId, op: Option<O>) -> Result<Ticket, (TableError, Option<O>)> {
        let i = match self.find(id) {
            Ok(i) => i,
            Err(e) => return Err((e, op)),
        };
        let (state, parent, nchildren) = {
            let e = self.ev(i);
            (e.state, e.parent, e.nchildren)
        };
        if nchildren > 0 {
            return Err((TableError::IsParent, op));
        }
        if parent != NIL && !matches!(self.ev(parent).state, EvState::None | EvState::Dispatch) {
            // The parent is aborted or waits to be polled.
            return Err((TableError::Busy, op));
        }
        let next = match transition(state, EvInput::Dispatch) {
            Ok(s) => s,
            Err(r) => return Err((refusal(r), op)),
        };
        let seq = {
            let e = self.ev_mut(i);
            e.state = next;
            e.error = 0;
            e.op = op;
            e.seq = e.seq.wrapping_add(1);
            e.seq
        };
        self.ops += 1;
        if parent == NIL {
            self.relist(i, state, next);
        } else if self.ev(parent).state == EvState::None {
            let pe = self.ev_mut(parent);
            pe.state = EvState::Dispatch;
            pe.error = 0;
            self.relist(parent, EvState::None, EvState::Dispatch);
        }
        Ok(Ticket { id, seq })
    }

    /// `daos_event_abort`: marks `id` (or, for a parent, its children)
    /// aborted and calls `abort_op` on every operation to stop. `abort_op`
    /// must not complete events synchronously (the caller holds the lock).
    pub(crate) fn abort(&mut self, id: EventId, mut abort_op: impl FnMut(&O)) -> Result<bool, TableError> {
        let i = self.find(id)?;
        if self.ev(i).nchildren == 0 {
            let state = self.ev(i).state;
            let next = transition(state, EvInput::Abort).map_err(refusal)?;
            if state == EvState::Dispatch {
                self.set_state(i, next);
                if let Some(op) = &self.ev(i).op {
                    abort_op(op);
                }
            }
            return Ok(false);
        }
        // A parent: in flight while any child is, or waiting for children.
        let pstate = self.ev(i).state;
        let pnext = transition(pstate, EvInput::Abort).map_err(refusal)?;
        if pstate != EvState::Dispatch {
            return Ok(false);
        }
        self.set_state(i, pnext);
        let mut queued = false;
        let mut c = self.ev(i).first_child;
        while c != NIL {
            let next_c = self.ev(c).sib_next;
            match self.ev(c).state {
                EvState::Dispatch => {
                    self.ev_mut(c).state = EvState::Abort;
                    if let Some(op) = &self.ev(c).op {
                        abort_op(op);
                    }
                }
                // Never dispatched now: it counts as completed, interrupted.
                EvState::None => queued |= self.child_completes(c, -EINTR),
                EvState::Abort | EvState::Complete => {}
            }
            c = next_c;
        }
        Ok(queued)
    }

    fn set_state(&mut self, i: u32, next: EvState) {
        let (prev, parent) = {
            let e = self.ev(i);
            (e.state, e.parent)
        };
        self.ev_mut(i).state = next;
        if parent == NIL {
            self.relist(i, prev, next);
        }
    }

    /// Records a child's completion; returns whether its parent completed.
    fn child_completes(&mut self, c: u32, error: i32) -> bool {
        let p = self.ev(c).parent;
        {
            let e = self.ev_mut(c);
            e.state = EvState::Complete;
            e.error = error;
        }
        let pe = self.ev_mut(p);
        pe.nchildren_complete += 1;
        if pe.error == 0 {
            // The first child error wins.
            pe.error = error;
        }
        self.parent_check(p)
    }

    /// Completes parent `p` if all its children are complete.
    fn parent_check(&mut self, p: u32) -> bool {
        let pe = self.ev(p);
        if !pe.state.in_flight() || pe.nchildren_complete < pe.nchildren {
            return false;
        }
        let aborted = pe.state == EvState::Abort;
        let from = pe.state;
        let pe = self.ev_mut(p);
        pe.state = EvState::Complete;
        if aborted {
            pe.error = -EINTR;
        }
        self.relist(p, from, EvState::Complete);
        true
    }

    /// The kernel side: the operation of `ticket` finished with `error`.
    /// Aborted events complete with `-EINTR` whatever the operation says.
    pub(crate) fn complete(&mut self, ticket: Ticket, error: i32) -> Completed<O> {
        let Ok(i) = self.find(ticket.id) else {
            return Completed::Ignored;
        };
        let (state, seq, parent) = {
            let e = self.ev(i);
            (e.state, e.seq, e.parent)
        };
        if seq != ticket.seq || transition(state, EvInput::Complete).is_err() {
            return Completed::Ignored;
        }
        let op = self.ev_mut(i).op.take();
        self.ops -= 1;
        let error = if state == EvState::Abort { -EINTR } else { error };
        if self.unlinked {
            self.free_unlinked(i);
            return Completed::Unlinked { op };
        }
        let queued = if parent == NIL {
            self.ev_mut(i).error = error;
            self.set_state(i, EvState::Complete);
            true
        } else {
            self.child_completes(i, error)
        };
        Completed::Done { op, queued }
    }

    /// In an unlinked queue, frees event `i` once nothing of its family is in flight.
    fn free_unlinked(&mut self, i: u32) {
        let parent = self.ev(i).parent;
        let root = if parent == NIL { i } else { parent };
        self.set_state(i, EvState::Complete);
        if self.family_in_flight(root) {
            return;
        }
        self.free_family(root);
    }

    /// Whether an operation of top-level event `root` or of its children is
    /// in flight (a parent's own state only mirrors its children).
    fn family_in_flight(&self, root: u32) -> bool {
        let e = self.ev(root);
        if e.nchildren == 0 {
            return e.state.in_flight();
        }
        let mut c = e.first_child;
        while c != NIL {
            if self.ev(c).state.in_flight() {
                return true;
            }
            c = self.ev(c).sib_next;
        }
        false
    }

    /// Frees a top-level event and its children, unlinking it from its list.
    fn free_family(&mut self, root: u32) {
        let state = self.ev(root).state;
        self.relist(root, state, EvState::None);
        let mut c = self.ev(root).first_child;
        while c != NIL {
            let next = self.ev(c).sib_next;
            self.release_slot(c);
            c = next;
        }
        self.release_slot(root);
    }

    /// `daos_eq_poll`: takes up to `max` completed events, oldest first, and
    /// calls `f(user, error)` for each. Returns how many.
    pub(crate) fn deliver(&mut self, max: u32, mut f: impl FnMut(EventId, u64, i32)) -> u32 {
        let mut n = 0;
        while n < max {
            let i = self.completed.head;
            if i == NIL {
                break;
            }
            self.unlink(Which::Completed, i);
            let (user, error) = {
                let e = self.ev_mut(i);
                // Only COMPLETE events are in this list.
                e.state = transition(e.state, EvInput::Deliver).unwrap_or(EvState::None);
                (e.user, e.error)
            };
            let mut c = self.ev(i).first_child;
            while c != NIL {
                let e = self.ev_mut(c);
                e.state = EvState::None;
                c = e.sib_next;
            }
            self.ev_mut(i).nchildren_complete = 0;
            f(self.id_of(i), user, error);
            n += 1;
        }
        n
    }

    /// Gives back events taken by [`deliver`](Self::deliver) that could not
    /// reach userspace, in the order they were taken, ahead of the others.
    /// Events that changed since (finalised, dispatched again) are skipped.
    pub(crate) fn undeliver(&mut self, taken: &[(EventId, i32)]) {
        for &(id, error) in taken.iter().rev() {
            let Ok(i) = self.find(id) else { continue };
            let e = self.ev(i);
            if e.state != EvState::None || e.parent != NIL || e.op.is_some() {
                continue;
            }
            let nchildren = e.nchildren;
            let children_idle = {
                let mut c = e.first_child;
                let mut ok = true;
                while c != NIL {
                    ok &= self.ev(c).state == EvState::None;
                    c = self.ev(c).sib_next;
                }
                ok
            };
            if !children_idle {
                continue;
            }
            let mut c = self.ev(i).first_child;
            while c != NIL {
                let ce = self.ev_mut(c);
                ce.state = EvState::Complete;
                c = ce.sib_next;
            }
            let e = self.ev_mut(i);
            e.state = EvState::Complete;
            e.error = error;
            e.nchildren_complete = nchildren;
            self.push_front(Which::Completed, i);
        }
    }

    /// `daos_eq_query`: how many top-level events `mode` selects; `f` gets the
    /// user address of each (completed ones first, in poll order) until it
    /// returns false.
    pub(crate) fn query(&self, mode: QueryMode, mut f: impl FnMut(u64) -> bool) -> u32 {
        let mut total = 0;
        let lists = [
            (mode.completed, self.completed.head, self.completed.len),
            (mode.inflight, self.inflight.head, self.inflight.len),
        ];
        let mut more = true;
        for (wanted, head, len) in lists {
            if !wanted {
                continue;
            }
            total += len;
            let mut i = head;
            while more && i != NIL {
                more = f(self.ev(i).user);
                i = self.ev(i).next;
            }
        }
        total
    }

    /// `daos_event_fini`: frees an idle or completed event; a parent takes its
    /// children along. Returns whether a parent completed as a result (the
    /// last unfinished child went away).
    pub(crate) fn fini(&mut self, id: EventId) -> Result<bool, TableError> {
        let i = self.find(id)?;
        let (state, parent) = {
            let e = self.ev(i);
            (e.state, e.parent)
        };
        transition(state, EvInput::Fini).map_err(refusal)?;
        if parent == NIL {
            let mut c = self.ev(i).first_child;
            while c != NIL {
                if self.ev(c).state.in_flight() {
                    return Err(TableError::Busy);
                }
                c = self.ev(c).sib_next;
            }
            self.free_family(i);
            return Ok(false);
        }
        // A child leaves its parent.
        let (prev, next) = {
            let e = self.ev(i);
            (e.sib_prev, e.sib_next)
        };
        if prev == NIL {
            self.ev_mut(parent).first_child = next;
        } else {
            self.ev_mut(prev).sib_next = next;
        }
        if next == NIL {
            self.ev_mut(parent).last_child = prev;
        } else {
            self.ev_mut(next).sib_prev = prev;
        }
        let pe = self.ev_mut(parent);
        pe.nchildren -= 1;
        if state == EvState::Complete {
            pe.nchildren_complete -= 1;
        }
        self.release_slot(i);
        // The child may have been the last unfinished one.
        Ok(self.parent_check(parent))
    }

    /// `daos_event_next`: the user address and id of the child after `child`
    /// (the first one if `None`); `Ok(None)` after the last.
    pub(crate) fn next_child(
        &self,
        parent: EventId,
        child: Option<EventId>,
    ) -> Result<Option<(EventId, u64)>, TableError> {
        let p = self.find(parent)?;
        let c = match child {
            None => self.ev(p).first_child,
            Some(c) => {
                let c = self.find(c)?;
                if self.ev(c).parent != p {
                    return Err(TableError::Invalid);
                }
                self.ev(c).sib_next
            }
        };
        Ok((c != NIL).then(|| (self.id_of(c), self.ev(c).user)))
    }

    /// `daos_eq_destroy`: frees every event unless one is in flight.
    pub(crate) fn destroy(&mut self) -> Result<(), TableError> {
        if self.ops > 0 || self.inflight.len > 0 {
            return Err(TableError::Busy);
        }
        self.free_all_idle();
        self.unlinked = true;
        Ok(())
    }

    fn free_all_idle(&mut self) {
        for i in 0..self.slots.len() {
            if !matches!(self.slots.get(i).state, SlotState::Live(_)) {
                continue;
            }
            if self.ev(i).parent == NIL && !self.family_in_flight(i) {
                self.free_family(i);
            }
        }
    }

    /// The owner is gone: aborts every operation in flight (through
    /// `abort_op`, under the same rule as [`abort`](Self::abort)) and frees
    /// everything else; completions free the rest.
    pub(crate) fn unlink_all(&mut self, mut abort_op: impl FnMut(&O)) {
        self.unlinked = true;
        for i in 0..self.slots.len() {
            if let SlotState::Live(e) = &mut self.slots.get_mut(i).state {
                if e.state == EvState::Dispatch {
                    e.state = EvState::Abort;
                }
                if let Some(op) = &e.op {
                    abort_op(op);
                }
            }
        }
        self.free_all_idle();
    }

}

/// `EINTR`: aborted events complete with `-EINTR`.
const EINTR: i32 = 4;

fn refusal(r: EvRefusal) -> TableError {
    match r {
        EvRefusal::Busy => TableError::Busy,
        EvRefusal::Invalid => TableError::Invalid,
    }
}
