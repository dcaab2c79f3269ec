// SPDX-License-Identifier: GPL-2.0

//! The event table: scenarios from the design, and random operation
//! sequences checked step by step against a model that keeps, per event, its
//! state, result, parent and children, and the queue's completion FIFO.

use std::collections::VecDeque;

use proptest::prelude::*;

use crate::pure::{
    event_table::{Completed, Counts, Delivered, Event, EventId, EventTable, QueryMode, Ran, TableError, Ticket},
    slots::{Chunk, Slot},
};

const EINTR: i32 = 4;

/// A host chunk: a `Vec` that never grows past its room.
pub(crate) struct HostChunk<T> {
    v: Vec<Slot<T>>,
    room: usize,
}

impl<T> HostChunk<T> {
    pub(crate) fn new(room: usize) -> Self {
        HostChunk { v: Vec::with_capacity(room), room }
    }
}

impl<T> std::ops::Deref for HostChunk<T> {
    type Target = [Slot<T>];
    fn deref(&self) -> &[Slot<T>] {
        &self.v
    }
}

impl<T> std::ops::DerefMut for HostChunk<T> {
    fn deref_mut(&mut self) -> &mut [Slot<T>] {
        &mut self.v
    }
}

impl<T> Chunk<T> for HostChunk<T> {
    fn room(&self) -> usize {
        self.room
    }
    fn push_within(&mut self, slot: Slot<T>) -> Result<(), Slot<T>> {
        if self.v.len() >= self.room {
            return Err(slot);
        }
        self.v.push(slot);
        Ok(())
    }
}

type Table = EventTable<u32, HostChunk<Event<u32>>>;

const ALL: QueryMode = QueryMode { completed: true, inflight: true };
const LIMIT: u32 = 1 << 20;

/// `init`, adding chunks as the table asks (as the module does, unlocked).
fn init(t: &mut Table, user: u64, parent: Option<EventId>, limit: u32) -> Result<EventId, TableError> {
    loop {
        match t.init(user, parent, limit) {
            Err(TableError::NeedChunk(n)) => {
                assert!(t.add_chunk(HostChunk::new(n)).is_ok(), "the chunk asked for");
            }
            other => return other,
        }
    }
}

fn poll(t: &mut Table, max: u32) -> Vec<(u64, i32)> {
    let mut out = Vec::new();
    t.deliver(max, |d| out.push((d.user, d.error))).unwrap();
    out
}

fn take(t: &mut Table, max: u32) -> Vec<Delivered> {
    let mut out = Vec::new();
    t.deliver(max, |d| out.push(d)).unwrap();
    out
}

fn done(c: Result<Completed<u32>, impl std::fmt::Debug>) -> bool {
    match c.unwrap() {
        Completed::Done { queued, .. } => queued,
        other => panic!("unexpected {other:?}"),
    }
}

fn query(t: &Table, mode: QueryMode) -> Vec<(u64, i32)> {
    let mut out = Vec::new();
    let n = t.query(mode, |u, e| { out.push((u, e)); true }).unwrap();
    assert_eq!(n as usize, out.len());
    out
}

#[test]
fn standalone_life_cycle() {
    let mut t = Table::new();
    let id = init(&mut t, 0x1000, None, LIMIT).unwrap();
    assert_eq!(poll(&mut t, 8), vec![]);
    let tk = t.dispatch(id, Some(7)).unwrap();
    assert_eq!(t.counts().inflight, 1);
    assert_eq!(t.dispatch(id, None).unwrap_err().0, TableError::Busy);
    assert_eq!(t.fini(id), Err(TableError::Busy));
    assert_eq!(t.complete(tk, -5), Ok(Completed::Done { op: Some(7), queued: true }));
    // Repeated completion of the same dispatch is ignored.
    assert_eq!(t.complete(tk, 0), Ok(Completed::Ignored));
    assert_eq!(t.counts().completed, 1);
    assert_eq!(poll(&mut t, 8), vec![(0x1000, -5)]);
    assert_eq!(poll(&mut t, 8), vec![], "each event is handed out once");
    // Reusable after poll.
    let tk2 = t.dispatch(id, None).unwrap();
    assert_eq!(t.complete(tk, 0), Ok(Completed::Ignored), "stale ticket of the first dispatch");
    assert!(done(t.complete(tk2, 0)));
    assert_eq!(t.fini(id), Ok(false), "fini of a completed, unpolled event");
    assert_eq!(poll(&mut t, 8), vec![], "finalised events leave the queue silently");
    assert_eq!(t.fini(id), Err(TableError::NotFound));
    assert_eq!(t.dispatch(id, None).unwrap_err().0, TableError::NotFound);
    assert_eq!(t.counts().events, 0);
}

#[test]
fn stale_ids_never_find_a_new_event() {
    let mut t = Table::new();
    let a = init(&mut t, 1, None, LIMIT).unwrap();
    t.fini(a).unwrap();
    let b = init(&mut t, 2, None, LIMIT).unwrap();
    assert_ne!(a, b, "the slot is reused with a new generation");
    assert_eq!(t.fini(a), Err(TableError::NotFound));
    assert_eq!(t.next_child(a, None), Err(TableError::NotFound));
    assert_eq!(t.fini(EventId(0)), Err(TableError::NotFound));
    assert_eq!(t.fini(EventId(u64::MAX)), Err(TableError::NotFound));
    assert_eq!(t.fini(b), Ok(false));
}

#[test]
fn fifo_order_of_completion() {
    let mut t = Table::new();
    let ids: Vec<_> = (0..1000).map(|u| init(&mut t, u, None, LIMIT).unwrap()).collect();
    let tickets: Vec<_> = ids.iter().map(|&id| t.dispatch(id, None).unwrap()).collect();
    // Complete in reverse order: poll order is completion order.
    for tk in tickets.iter().rev() {
        assert!(done(t.complete(*tk, 0)));
    }
    let q: Vec<u64> = query(&t, ALL).into_iter().map(|(u, _)| u).collect();
    assert_eq!(q, (0..1000).rev().collect::<Vec<_>>());
    let got: Vec<_> = poll(&mut t, 1000).into_iter().map(|(u, _)| u).collect();
    assert_eq!(got, (0..1000).rev().collect::<Vec<_>>());
}

#[test]
fn query_modes_results_and_early_stop() {
    let mut t = Table::new();
    let a = init(&mut t, 1, None, LIMIT).unwrap();
    let b = init(&mut t, 2, None, LIMIT).unwrap();
    init(&mut t, 3, None, LIMIT).unwrap();
    let ta = t.dispatch(a, None).unwrap();
    t.dispatch(b, None).unwrap();
    t.complete(ta, -7).unwrap();
    let completed = QueryMode { completed: true, inflight: false };
    let inflight = QueryMode { completed: false, inflight: true };
    assert_eq!(query(&t, completed), vec![(1, -7)], "query copies the current result");
    assert_eq!(query(&t, inflight), vec![(2, 0)]);
    assert_eq!(t.query(ALL, |_, _| false), Ok(2), "the count is the total even when listing stops");
}

#[test]
fn parent_completes_when_all_children_complete_first_error_wins() {
    let mut t = Table::new();
    let p = init(&mut t, 100, None, LIMIT).unwrap();
    let kids: Vec<_> = (0..3).map(|u| init(&mut t, u, Some(p), LIMIT).unwrap()).collect();
    assert_eq!(t.dispatch(p, None).unwrap_err().0, TableError::IsParent);
    let tk: Vec<_> = kids.iter().map(|&k| t.dispatch(k, None).unwrap()).collect();
    assert_eq!(t.counts().inflight, 1, "children are not visible, the parent is");
    assert!(!done(t.complete(tk[1], -22)));
    assert!(!done(t.complete(tk[0], -5)));
    assert_eq!(poll(&mut t, 8), vec![]);
    assert!(done(t.complete(tk[2], 0)));
    assert_eq!(poll(&mut t, 8), vec![(100, -22)], "the first child error wins");
    // Children walk in init order, each with its own result.
    let mut walk = Vec::new();
    let mut cur = None;
    while let Some((id, user, error)) = t.next_child(p, cur).unwrap() {
        walk.push((user, error));
        cur = Some(id);
    }
    assert_eq!(walk, vec![(0, -5), (1, -22), (2, 0)]);
    // A child is not a parent, and a busy parent takes no new child.
    assert_eq!(init(&mut t, 9, Some(kids[0]), LIMIT), Err(TableError::Invalid));
    t.dispatch(kids[0], None).unwrap();
    assert_eq!(init(&mut t, 9, Some(p), LIMIT), Err(TableError::Busy));
}

#[test]
fn parent_abort_interrupts_children_and_completes() {
    let mut t = Table::new();
    let p = init(&mut t, 100, None, LIMIT).unwrap();
    let a = init(&mut t, 1, Some(p), LIMIT).unwrap();
    let _b = init(&mut t, 2, Some(p), LIMIT).unwrap();
    let ta = t.dispatch(a, Some(11)).unwrap();
    let mut aborted = Vec::new();
    // b was never dispatched: it counts as interrupted; a still runs.
    assert_eq!(t.abort(p, |op| aborted.push(*op)), Ok(false));
    assert_eq!(aborted, vec![11]);
    assert_eq!(t.fini(p), Err(TableError::Busy));
    assert!(done(t.complete(ta, 0)));
    assert_eq!(poll(&mut t, 8), vec![(100, -EINTR)]);
    assert_eq!(t.fini(p), Ok(false));
    assert_eq!(t.fini(a), Err(TableError::NotFound), "fini of a parent finalises its children");
    assert_eq!(t.counts().events, 0);
}

#[test]
fn abort_semantics() {
    let mut t = Table::new();
    let e = init(&mut t, 1, None, LIMIT).unwrap();
    assert_eq!(t.abort(e, |_| panic!()), Err(TableError::Invalid), "idle event");
    let tk = t.dispatch(e, Some(3)).unwrap();
    let mut n = 0;
    t.abort(e, |_| n += 1).unwrap();
    t.abort(e, |_| n += 1).unwrap();
    assert_eq!(n, 1, "abort reaches the operation once");
    assert!(done(t.complete(tk, 0)));
    assert_eq!(t.abort(e, |_| panic!()), Ok(false), "abort racing completion is harmless");
    assert_eq!(poll(&mut t, 1), vec![(1, -EINTR)]);
}

#[test]
fn fini_of_last_unfinished_child_completes_parent() {
    let mut t = Table::new();
    let p = init(&mut t, 100, None, LIMIT).unwrap();
    let a = init(&mut t, 1, Some(p), LIMIT).unwrap();
    let b = init(&mut t, 2, Some(p), LIMIT).unwrap();
    let ta = t.dispatch(a, None).unwrap();
    assert!(!done(t.complete(ta, 0)));
    assert_eq!(t.fini(b), Ok(true));
    assert_eq!(poll(&mut t, 8), vec![(100, 0)]);
}

#[test]
fn limit_and_chunks() {
    let mut t = Table::new();
    init(&mut t, 1, None, 2).unwrap();
    init(&mut t, 2, None, 2).unwrap();
    assert_eq!(init(&mut t, 3, None, 2), Err(TableError::Full));
    // No slot and no chunk: the table asks for one of the right size.
    let mut fresh = Table::new();
    assert_eq!(fresh.init(1, None, LIMIT), Err(TableError::NeedChunk(64)));
    assert!(fresh.add_chunk(HostChunk::new(32)).is_err(), "a chunk of the wrong size comes back");
    assert!(fresh.add_chunk(HostChunk::new(64)).is_ok());
    assert!(fresh.add_chunk(HostChunk::new(64)).is_err(), "one chunk is enough");
    assert!(fresh.init(1, None, LIMIT).is_ok());
}

#[test]
fn chunks_grow_without_moving_and_shrink_when_empty() {
    let mut t = Table::new();
    let ids: Vec<_> = (0..1000).map(|u| init(&mut t, u, None, LIMIT).unwrap()).collect();
    // 64 + 64 + 128 + 256 + 512 slots.
    assert_eq!(t.shrink().count(), 0);
    for &id in &ids[100..] {
        t.fini(id).unwrap();
    }
    // 100 live: chunks 3 and 4 (from slot 256) are empty, chunk 2 is not.
    assert_eq!(t.shrink().count(), 2);
    for &id in &ids[100..] {
        assert_eq!(t.fini(id), Err(TableError::NotFound));
    }
    // Regrown chunks give ids that differ from every freed one.
    let again: Vec<_> = (0..900).map(|u| init(&mut t, u, None, LIMIT).unwrap()).collect();
    for id in &again {
        assert!(!ids.contains(id), "id {id:?} named an earlier event");
    }
    for &id in &ids[100..] {
        assert_eq!(t.fini(id), Err(TableError::NotFound));
    }
    for &id in ids[..100].iter().chain(&again) {
        t.fini(id).unwrap();
    }
    assert_eq!(t.shrink().count(), 4, "all but the first chunk");
    assert_eq!(t.counts(), Counts::default());
}

#[test]
fn destroy_refuses_in_flight_then_frees_everything() {
    let mut t = Table::new();
    let a = init(&mut t, 1, None, LIMIT).unwrap();
    let b = init(&mut t, 2, None, LIMIT).unwrap();
    let ta = t.dispatch(a, None).unwrap();
    assert_eq!(t.destroy(|_| {}), Err(TableError::Busy));
    t.complete(ta, 0).unwrap();
    assert_eq!(t.destroy(|_| {}), Ok(()));
    assert_eq!(t.fini(b), Err(TableError::NotFound));
    assert_eq!(t.counts().events, 0);
    assert!(t.is_dead());
}

#[test]
fn abandoned_queue_frees_events_as_they_complete() {
    let mut t = Table::new();
    let p = init(&mut t, 100, None, LIMIT).unwrap();
    let c = init(&mut t, 1, Some(p), LIMIT).unwrap();
    let s = init(&mut t, 2, None, LIMIT).unwrap();
    let idle = init(&mut t, 3, None, LIMIT).unwrap();
    let tc = t.dispatch(c, Some(1)).unwrap();
    let ts = t.dispatch(s, Some(2)).unwrap();
    let mut aborted = Vec::new();
    t.abandon(|op| aborted.push(*op)).unwrap();
    aborted.sort();
    assert_eq!(aborted, vec![1, 2]);
    assert_eq!(t.counts().events, 3, "the idle event is freed at once");
    assert_eq!(t.fini(idle), Err(TableError::NotFound));
    assert_eq!(t.complete(ts, 0), Ok(Completed::Freed { op: Some(2) }));
    assert_eq!(t.complete(tc, 0), Ok(Completed::Freed { op: Some(1) }));
    assert_eq!(t.counts(), Counts::default());
    assert_eq!(init(&mut t, 4, None, LIMIT), Err(TableError::NotFound), "no new events once abandoned");
}

/// Posts what fits in `room` at `tail`, returning the entries written.
fn post(t: &mut Table, tail: u32, room: u32) -> Vec<(u32, u64, i32)> {
    let mut out = Vec::new();
    t.post(tail, room, |pos, u, e| out.push((pos, u, e))).unwrap();
    out
}

fn take_posted(t: &mut Table, from: u32, to: u32) -> Vec<(u64, i32)> {
    let mut out = Vec::new();
    t.take_posted(from, to, |d| out.push((d.user, d.error))).unwrap();
    out
}

/// Three events completed, dispatched and ticketed in order.
fn three_completed(t: &mut Table) -> Vec<EventId> {
    let ids: Vec<EventId> = (0..3).map(|k| init(t, 0x100 * (k + 1), None, LIMIT).unwrap()).collect();
    for (k, id) in ids.iter().enumerate() {
        let tk = t.dispatch(*id, None).unwrap();
        assert!(done(t.complete(tk, -(k as i32))));
    }
    ids
}

#[test]
fn posted_events_stay_completed_until_the_head_passes_them() {
    let mut t = Table::new();
    let ids = three_completed(&mut t);
    // Room for two: the oldest two go to the ring, in order, with indices
    // that wrap.
    let tail = u32::MAX;
    assert_eq!(post(&mut t, tail, 2), vec![(u32::MAX, 0x100, 0), (0, 0x200, -1)]);
    assert_eq!(t.posted_at(ids[0]), Some(u32::MAX));
    assert_eq!(t.posted_at(ids[2]), None);
    // Counted as completed, listed first (ring order), not deliverable by
    // the module's own poll, not dispatchable.
    assert_eq!(t.counts().completed, 3);
    assert_eq!(query(&t, ALL), vec![(0x100, 0), (0x200, -1), (0x300, -2)]);
    assert_eq!(poll(&mut t, 8), vec![(0x300, -2)]);
    assert_eq!(t.dispatch(ids[0], None).unwrap_err().0, TableError::Busy);
    // The head moves past the first entry only.
    assert_eq!(take_posted(&mut t, tail, 0), vec![(0x100, 0)]);
    assert_eq!(t.counts().completed, 1);
    assert!(t.dispatch(ids[0], None).is_ok(), "delivered: it may run again");
    assert_eq!(take_posted(&mut t, 0, 1), vec![(0x200, -1)]);
    assert_eq!(take_posted(&mut t, 1, 1), vec![], "nothing twice");
    assert_eq!(t.counts().completed, 0);
}

#[test]
fn run_now_posts_straight_into_the_ring_unless_older_events_wait() {
    let mut t = Table::new();
    let a = init(&mut t, 0xa, None, LIMIT).unwrap();
    let b = init(&mut t, 0xb, None, LIMIT).unwrap();
    assert_eq!(t.run_now(a, -1, Some(7)), Ok(Ran::Posted { user: 0xa, error: -1 }));
    assert_eq!(t.posted_at(a), Some(7));
    assert_eq!(t.counts().completed, 1);
    assert_eq!(t.dispatch(a, None).unwrap_err().0, TableError::Busy);
    // No room: it waits on the list; then an older event waits, so even
    // with room the next one queues behind it (completion order).
    assert_eq!(t.run_now(b, 0, None), Ok(Ran::Queued(true)));
    assert_eq!(t.posted_at(b), None);
    assert_eq!(take_posted(&mut t, 7, 8), vec![(0xa, -1)]);
    assert_eq!(t.run_now(a, -2, Some(8)), Ok(Ran::Queued(true)));
    assert_eq!(post(&mut t, 8, 8), vec![(8, 0xb, 0), (9, 0xa, -2)]);
    assert_eq!(take_posted(&mut t, 8, 10), vec![(0xb, 0), (0xa, -2)]);
    assert_eq!(t.counts(), Counts { events: 2, inflight: 0, completed: 0, ops: 0 });
}

#[test]
fn fini_of_a_posted_event_leaves_the_ring() {
    let mut t = Table::new();
    let ids = three_completed(&mut t);
    assert_eq!(post(&mut t, 10, 8).len(), 3);
    assert_eq!(t.fini(ids[1]), Ok(false));
    assert_eq!(t.counts().completed, 2);
    // The head passes all three entries: the finalised one has no event.
    assert_eq!(take_posted(&mut t, 10, 13), vec![(0x100, 0), (0x300, -2)]);
    assert_eq!(t.counts(), Counts { events: 2, inflight: 0, completed: 0, ops: 0 });
}

#[test]
fn a_stopped_ring_gives_its_events_back_in_order() {
    let mut t = Table::new();
    let ids = three_completed(&mut t);
    assert_eq!(post(&mut t, 0, 2).len(), 2);
    let mut cancelled = Vec::new();
    t.unpost_all(|pos| cancelled.push(pos)).unwrap();
    assert_eq!(cancelled, vec![1, 0]);
    assert_eq!(t.posted_at(ids[0]), None);
    assert_eq!(poll(&mut t, 8), vec![(0x100, 0), (0x200, -1), (0x300, -2)]);
    assert_eq!(take_posted(&mut t, 0, 2), vec![], "no longer in the ring");
}

#[test]
fn destroy_and_abandon_free_posted_events() {
    let mut t = Table::new();
    three_completed(&mut t);
    post(&mut t, 5, 2);
    let mut cancelled = Vec::new();
    t.destroy(|pos| cancelled.push(pos)).unwrap();
    assert_eq!(cancelled, vec![5, 6], "the entries still in the ring are cancelled");
    assert_eq!(t.counts(), Counts::default());
    let mut t = Table::new();
    three_completed(&mut t);
    post(&mut t, 0, 3);
    t.abandon(|_| {}).unwrap();
    assert_eq!(t.counts(), Counts::default());
}

#[test]
fn undeliver_puts_events_back_in_front_in_order() {
    let mut t = Table::new();
    let ids: Vec<_> = (0..4).map(|u| init(&mut t, u, None, LIMIT).unwrap()).collect();
    for (k, &id) in ids.iter().enumerate() {
        let tk = t.dispatch(id, None).unwrap();
        t.complete(tk, -(k as i32)).unwrap();
    }
    let taken = take(&mut t, 2);
    t.undeliver(&taken).unwrap();
    assert_eq!(poll(&mut t, 8), vec![(0, 0), (1, -1), (2, -2), (3, -3)]);
}

#[test]
fn undeliver_drops_a_result_whose_event_ran_again() {
    let mut t = Table::new();
    let id = init(&mut t, 7, None, LIMIT).unwrap();
    let tk = t.dispatch(id, None).unwrap();
    t.complete(tk, -1).unwrap();
    let taken = take(&mut t, 1);
    // Meanwhile: dispatched again, completed, and polled by someone else.
    let tk = t.dispatch(id, None).unwrap();
    t.complete(tk, -2).unwrap();
    assert_eq!(poll(&mut t, 1), vec![(7, -2)]);
    t.undeliver(&taken).unwrap();
    assert_eq!(poll(&mut t, 1), vec![], "the stale result is not delivered twice");
}

#[test]
fn undeliver_drops_a_result_whose_family_changed() {
    let mut t = Table::new();
    let p = init(&mut t, 100, None, LIMIT).unwrap();
    let c = init(&mut t, 1, Some(p), LIMIT).unwrap();
    let tk = t.dispatch(c, None).unwrap();
    t.complete(tk, 0).unwrap();
    let taken = take(&mut t, 1);
    init(&mut t, 2, Some(p), LIMIT).unwrap();
    t.undeliver(&taken).unwrap();
    assert_eq!(poll(&mut t, 1), vec![], "a child that joined since was never run");
}

// ---- the model ---------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MState {
    None,
    Dispatch,
    Abort,
    Complete,
}

#[derive(Clone, Debug)]
struct MEvent {
    id: EventId,
    user: u64,
    live: bool,
    state: MState,
    error: i32,
    parent: Option<usize>,
    children: Vec<usize>,
    /// Changes as the table's `seq` does.
    version: u32,
    /// The ticket of the dispatch in flight.
    ticket: Option<Ticket>,
}

impl MEvent {
    fn in_flight(&self) -> bool {
        matches!(self.state, MState::Dispatch | MState::Abort)
    }
}

#[derive(Default)]
struct Model {
    ev: Vec<MEvent>,
    /// Completed top-level events, in poll order.
    fifo: VecDeque<usize>,
    /// In-flight top-level events, in the order they started.
    inflight: Vec<usize>,
    dead: bool,
    /// Tickets of earlier dispatches, for stale completions.
    old_tickets: Vec<Ticket>,
}

impl Model {
    fn live(&self) -> u32 {
        self.ev.iter().filter(|e| e.live).count() as u32
    }

    fn counts(&self) -> Counts {
        Counts {
            events: self.live(),
            inflight: self.inflight.len() as u32,
            completed: self.fifo.len() as u32,
            ops: self.ev.iter().filter(|e| e.live && e.in_flight() && e.children.is_empty()).count() as u32,
        }
    }

    fn set_top_state(&mut self, i: usize, s: MState) {
        let was = self.ev[i].in_flight();
        self.ev[i].state = s;
        let now = self.ev[i].in_flight();
        if was && !now {
            self.inflight.retain(|&x| x != i);
        }
        if !was && now {
            self.inflight.push(i);
        }
        if s == MState::Complete {
            self.fifo.push_back(i);
        }
    }

    fn init(&mut self, user: u64, parent: Option<usize>, limit: u32) -> Result<usize, TableError> {
        if self.dead {
            return Err(TableError::NotFound);
        }
        if let Some(p) = parent {
            let pe = &self.ev[p];
            if !pe.live {
                return Err(TableError::NotFound);
            }
            if pe.parent.is_some() {
                return Err(TableError::Invalid);
            }
            if pe.state != MState::None {
                return Err(TableError::Busy);
            }
        }
        if self.live() >= limit {
            return Err(TableError::Full);
        }
        let i = self.ev.len();
        self.ev.push(MEvent {
            id: EventId(0),
            user,
            live: true,
            state: MState::None,
            error: 0,
            parent,
            children: Vec::new(),
            version: 0,
            ticket: None,
        });
        if let Some(p) = parent {
            self.ev[p].children.push(i);
            self.ev[p].version += 1;
        }
        Ok(i)
    }

    fn dispatch(&mut self, i: usize) -> Result<(), TableError> {
        let e = &self.ev[i];
        if !e.live {
            return Err(TableError::NotFound);
        }
        if !e.children.is_empty() {
            return Err(TableError::IsParent);
        }
        if let Some(p) = e.parent {
            if !matches!(self.ev[p].state, MState::None | MState::Dispatch) {
                return Err(TableError::Busy);
            }
        }
        if e.state != MState::None {
            return Err(TableError::Busy);
        }
        let e = &mut self.ev[i];
        e.error = 0;
        e.version += 1;
        match e.parent {
            None => self.set_top_state(i, MState::Dispatch),
            Some(p) => {
                e.state = MState::Dispatch;
                if self.ev[p].state == MState::None {
                    self.ev[p].error = 0;
                    self.ev[p].version += 1;
                    self.set_top_state(p, MState::Dispatch);
                }
            }
        }
        Ok(())
    }

    /// A child completes; returns whether its parent did.
    fn child_completes(&mut self, c: usize, error: i32) -> bool {
        self.ev[c].state = MState::Complete;
        self.ev[c].error = error;
        let p = self.ev[c].parent.unwrap();
        if self.ev[p].error == 0 {
            self.ev[p].error = error;
        }
        self.parent_check(p)
    }

    fn parent_check(&mut self, p: usize) -> bool {
        let pe = &self.ev[p];
        let all = pe.children.iter().all(|&c| self.ev[c].state == MState::Complete);
        if !pe.in_flight() || !all {
            return false;
        }
        if pe.state == MState::Abort {
            self.ev[p].error = -EINTR;
        }
        self.set_top_state(p, MState::Complete);
        true
    }

    fn family_in_flight(&self, root: usize) -> bool {
        let e = &self.ev[root];
        if e.children.is_empty() {
            e.in_flight()
        } else {
            e.children.iter().any(|&c| self.ev[c].in_flight())
        }
    }

    fn free_family(&mut self, root: usize) {
        self.fifo.retain(|&x| x != root);
        self.inflight.retain(|&x| x != root);
        for c in self.ev[root].children.clone() {
            self.ev[c].live = false;
        }
        self.ev[root].live = false;
    }

    /// Returns the expected `Completed` shape: (freed, queued).
    fn complete(&mut self, i: usize, error: i32) -> (bool, bool) {
        let aborted = self.ev[i].state == MState::Abort;
        let error = if aborted { -EINTR } else { error };
        self.ev[i].ticket = None;
        let parent = self.ev[i].parent;
        if self.dead {
            self.ev[i].state = MState::Complete;
            let root = parent.unwrap_or(i);
            if !self.family_in_flight(root) {
                self.free_family(root);
            }
            return (true, false);
        }
        match parent {
            None => {
                self.ev[i].error = error;
                self.set_top_state(i, MState::Complete);
                (false, true)
            }
            Some(_) => (false, self.child_completes(i, error)),
        }
    }

    fn abort(&mut self, i: usize) -> Result<bool, TableError> {
        let e = &self.ev[i];
        if !e.live {
            return Err(TableError::NotFound);
        }
        match e.state {
            MState::None => return Err(TableError::Invalid),
            MState::Abort | MState::Complete => return Ok(false),
            MState::Dispatch => {}
        }
        self.ev[i].state = MState::Abort;
        let mut queued = false;
        for c in self.ev[i].children.clone() {
            match self.ev[c].state {
                MState::Dispatch => self.ev[c].state = MState::Abort,
                MState::None => queued |= self.child_completes(c, -EINTR),
                _ => {}
            }
        }
        Ok(queued)
    }

    fn deliver(&mut self, max: u32) -> Vec<(usize, u32, u64, i32)> {
        let mut out = Vec::new();
        while out.len() < max as usize {
            let Some(i) = self.fifo.pop_front() else { break };
            self.ev[i].state = MState::None;
            for c in self.ev[i].children.clone() {
                self.ev[c].state = MState::None;
            }
            let e = &self.ev[i];
            out.push((i, e.version, e.user, e.error));
        }
        out
    }

    fn undeliver(&mut self, taken: &[(usize, u32, u64, i32)]) {
        for &(i, version, _, error) in taken.iter().rev() {
            let e = &self.ev[i];
            if !e.live || e.version != version || e.state != MState::None {
                continue;
            }
            for c in e.children.clone() {
                self.ev[c].state = MState::Complete;
            }
            self.ev[i].state = MState::Complete;
            self.ev[i].error = error;
            self.fifo.push_front(i);
        }
    }

    fn fini(&mut self, i: usize) -> Result<bool, TableError> {
        let e = &self.ev[i];
        if !e.live {
            return Err(TableError::NotFound);
        }
        if e.in_flight() {
            return Err(TableError::Busy);
        }
        match e.parent {
            None => {
                if self.family_in_flight(i) {
                    return Err(TableError::Busy);
                }
                self.free_family(i);
                Ok(false)
            }
            Some(p) => {
                self.ev[p].children.retain(|&c| c != i);
                self.ev[p].version += 1;
                self.ev[i].live = false;
                Ok(self.parent_check(p))
            }
        }
    }

    fn destroy(&mut self) -> Result<(), TableError> {
        if self.counts().ops > 0 || !self.inflight.is_empty() {
            return Err(TableError::Busy);
        }
        self.dead = true;
        for i in 0..self.ev.len() {
            if self.ev[i].live && self.ev[i].parent.is_none() {
                self.free_family(i);
            }
        }
        Ok(())
    }

    fn abandon(&mut self) {
        self.dead = true;
        for e in self.ev.iter_mut().filter(|e| e.live && e.state == MState::Dispatch) {
            e.state = MState::Abort;
        }
        for i in 0..self.ev.len() {
            if self.ev[i].live && self.ev[i].parent.is_none() && !self.family_in_flight(i) {
                self.free_family(i);
            }
        }
    }

    /// What query(ALL) lists: (user, current result), completed ones first.
    fn query(&self) -> Vec<(u64, i32)> {
        self.fifo.iter().chain(&self.inflight).map(|&i| (self.ev[i].user, self.ev[i].error)).collect()
    }
}

/// Random operations. Indices pick among every event ever made, so stale
/// ids are used as often as live ones.
#[derive(Clone, Debug)]
enum Op {
    Init(Option<usize>),
    InitMany(u8),
    Dispatch(usize),
    Complete(usize, i32),
    /// Dispatch and complete at once (`run_now`), against the model's two.
    RunNow(usize, i32),
    StaleComplete(usize),
    Abort(usize),
    Poll(u32),
    /// Poll; meanwhile some of the events taken run again and complete, and
    /// another poller takes some; then the first poll gives its results back,
    /// as a faulting copy does.
    PollFault(u32, Vec<usize>, u32),
    Fini(usize),
    FiniMany(usize, u8),
    Next(usize),
    Shrink,
    Destroy,
    Abandon,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => proptest::option::of(0..64usize).prop_map(Op::Init),
        1 => (1..100u8).prop_map(Op::InitMany),
        4 => (0..200usize).prop_map(Op::Dispatch),
        4 => (0..200usize, -10..1i32).prop_map(|(i, e)| Op::Complete(i, e)),
        2 => (0..200usize, -10..1i32).prop_map(|(i, e)| Op::RunNow(i, e)),
        1 => (0..50usize).prop_map(Op::StaleComplete),
        1 => (0..200usize).prop_map(Op::Abort),
        2 => (1..5u32).prop_map(Op::Poll),
        2 => ((1..5u32), proptest::collection::vec(0..200usize, 0..3), 0..3u32)
            .prop_map(|(n, r, p)| Op::PollFault(n, r, p)),
        2 => (0..200usize).prop_map(Op::Fini),
        1 => ((0..200usize), (1..100u8)).prop_map(|(i, n)| Op::FiniMany(i, n)),
        1 => (0..200usize).prop_map(Op::Next),
        1 => Just(Op::Shrink),
        1 => Just(Op::Destroy),
        1 => Just(Op::Abandon),
    ]
}

/// Drives a table and the model with the same operations.
struct Pair {
    t: Table,
    m: Model,
    limit: u32,
}

impl Pair {
    fn pick(&self, i: usize) -> Option<usize> {
        (!self.m.ev.is_empty()).then(|| i % self.m.ev.len())
    }

    fn init(&mut self, user: u64, parent: Option<usize>) -> Result<(), TestCaseError> {
        let pid = parent.map(|p| self.m.ev[p].id);
        let got = init(&mut self.t, user, pid, self.limit);
        let want = self.m.init(user, parent, self.limit);
        match (got, want) {
            (Ok(id), Ok(i)) => self.m.ev[i].id = id,
            (got, want) => prop_assert_eq!(got.err(), want.err()),
        }
        Ok(())
    }

    fn complete(&mut self, i: usize, error: i32) -> Result<(), TestCaseError> {
        let Some(tk) = self.m.ev[i].ticket else { return Ok(()) };
        let got = self.t.complete(tk, error).unwrap();
        self.m.old_tickets.push(tk);
        let (freed, queued) = self.m.complete(i, error);
        match got {
            Completed::Done { queued: q, .. } => prop_assert!(!freed && q == queued),
            Completed::Freed { .. } => prop_assert!(freed),
            Completed::Ignored => prop_assert!(false, "a live ticket was ignored"),
        }
        Ok(())
    }

    fn step(&mut self, op: Op) -> Result<(), TestCaseError> {
        let dead = self.m.dead;
        match op {
            Op::Init(parent) => {
                let parent = parent.and_then(|p| self.pick(p));
                let user = self.m.ev.len() as u64;
                self.init(user, parent)?;
            }
            Op::InitMany(n) => {
                for _ in 0..n {
                    let user = self.m.ev.len() as u64;
                    self.init(user, None)?;
                }
            }
            Op::Dispatch(i) if !dead => {
                let Some(i) = self.pick(i) else { return Ok(()) };
                let got = self.t.dispatch(self.m.ev[i].id, None);
                let want = self.m.dispatch(i);
                match (got, want) {
                    (Ok(tk), Ok(())) => self.m.ev[i].ticket = Some(tk),
                    (got, want) => prop_assert_eq!(got.err().map(|e| e.0), want.err()),
                }
            }
            Op::Complete(i, e) => {
                if let Some(i) = self.pick(i) {
                    self.complete(i, e)?;
                }
            }
            Op::RunNow(i, e) if !dead => {
                let Some(i) = self.pick(i) else { return Ok(()) };
                let got = self.t.run_now(self.m.ev[i].id, e, None);
                match (got, self.m.dispatch(i)) {
                    (Ok(Ran::Queued(q)), Ok(())) => {
                        let (freed, queued) = self.m.complete(i, e);
                        prop_assert!(!freed && q == queued);
                    }
                    (got, want) => prop_assert_eq!(got.err(), want.err()),
                }
            }
            Op::StaleComplete(k) => {
                if !self.m.old_tickets.is_empty() {
                    let tk = self.m.old_tickets[k % self.m.old_tickets.len()];
                    prop_assert_eq!(self.t.complete(tk, 0).unwrap(), Completed::Ignored);
                }
            }
            Op::Abort(i) if !dead => {
                let Some(i) = self.pick(i) else { return Ok(()) };
                let got = self.t.abort(self.m.ev[i].id, |_| {});
                prop_assert_eq!(got, self.m.abort(i));
            }
            Op::Poll(n) if !dead => {
                let got = poll(&mut self.t, n);
                let want: Vec<_> = self.m.deliver(n).into_iter().map(|(_, _, u, e)| (u, e)).collect();
                prop_assert_eq!(got, want);
            }
            Op::PollFault(n, again, between) if !dead => {
                let taken = take(&mut self.t, n);
                let mtaken = self.m.deliver(n);
                prop_assert_eq!(taken.len(), mtaken.len());
                // Meanwhile, some of them run again, complete and are polled.
                for r in again {
                    if mtaken.is_empty() {
                        break;
                    }
                    let i = mtaken[r % mtaken.len()].0;
                    if let (Ok(tk), Ok(())) = (self.t.dispatch(self.m.ev[i].id, None), self.m.dispatch(i)) {
                        self.m.ev[i].ticket = Some(tk);
                        self.complete(i, -3)?;
                    }
                }
                let got = poll(&mut self.t, between);
                let want: Vec<_> = self.m.deliver(between).into_iter().map(|(_, _, u, e)| (u, e)).collect();
                prop_assert_eq!(got, want);
                self.t.undeliver(&taken).unwrap();
                self.m.undeliver(&mtaken);
            }
            Op::Fini(i) if !dead => {
                let Some(i) = self.pick(i) else { return Ok(()) };
                prop_assert_eq!(self.t.fini(self.m.ev[i].id), self.m.fini(i));
            }
            Op::FiniMany(i, n) if !dead => {
                for k in 0..n as usize {
                    let Some(j) = self.pick(i + k) else { return Ok(()) };
                    prop_assert_eq!(self.t.fini(self.m.ev[j].id), self.m.fini(j));
                }
            }
            Op::Next(i) if !dead => {
                let Some(i) = self.pick(i) else { return Ok(()) };
                let e = &self.m.ev[i];
                let got = self.t.next_child(e.id, None);
                let want = if !e.live {
                    Err(TableError::NotFound)
                } else {
                    Ok(e.children.first().map(|&c| (self.m.ev[c].id, self.m.ev[c].user, self.m.ev[c].error)))
                };
                prop_assert_eq!(got, want);
            }
            Op::Shrink => drop(self.t.shrink()),
            Op::Destroy if !dead => prop_assert_eq!(self.t.destroy(|_| {}), self.m.destroy()),
            Op::Abandon if !dead => {
                self.t.abandon(|_| {}).unwrap();
                self.m.abandon();
            }
            _ => {}
        }
        prop_assert_eq!(self.t.counts(), self.m.counts());
        let mut listed = Vec::new();
        self.t.query(ALL, |u, e| { listed.push((u, e)); true }).unwrap();
        prop_assert_eq!(listed, self.m.query());
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn random_sequences_match_the_model(ops in proptest::collection::vec(op(), 1..300)) {
        let mut p = Pair { t: Table::new(), m: Model::default(), limit: 400 };
        for op in ops {
            p.step(op)?;
        }
        // Drain: everything in flight completes, then poll hands out the rest once.
        for i in 0..p.m.ev.len() {
            p.complete(i, 0)?;
        }
        prop_assert_eq!(p.t.counts().ops, 0);
        if !p.m.dead {
            let got = poll(&mut p.t, u32::MAX);
            let want: Vec<_> = p.m.deliver(u32::MAX).into_iter().map(|(_, _, u, e)| (u, e)).collect();
            prop_assert_eq!(got, want);
        }
        prop_assert_eq!(p.t.counts(), p.m.counts());
    }
}

proptest! {
    /// Any 64-bit value, as an id from userspace: only live events are found,
    /// and nothing panics (an index far beyond the slots included).
    #[test]
    fn forged_ids_find_nothing(raw: u64, n in 0..200u64) {
        let mut t = Table::new();
        let ids: Vec<_> = (0..n).map(|u| init(&mut t, u, None, LIMIT).unwrap()).collect();
        let id = EventId(raw);
        if !ids.contains(&id) {
            prop_assert_eq!(t.fini(id), Err(TableError::NotFound));
            prop_assert_eq!(t.abort(id, |_| {}), Err(TableError::NotFound));
            prop_assert_eq!(t.next_child(id, None), Err(TableError::NotFound));
        }
    }
}
