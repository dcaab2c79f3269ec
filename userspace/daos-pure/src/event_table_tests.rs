// SPDX-License-Identifier: GPL-2.0

//! The event table: scenarios from the design, and random operation
//! sequences checked against a simple model.

use std::collections::HashMap;

use proptest::prelude::*;

use crate::pure::event_table::{
    Completed, EventId, EventTable, QueryMode, Slot, SlotStore, TableError, Ticket,
};

const EINTR: i32 = 4;

/// Host slot store; `fail_after` simulates memory running out.
struct VecStore {
    slots: Vec<Slot<u32>>,
    fail_after: usize,
}

impl SlotStore<u32> for VecStore {
    fn len(&self) -> u32 {
        self.slots.len() as u32
    }
    fn get(&self, i: u32) -> &Slot<u32> {
        &self.slots[i as usize]
    }
    fn get_mut(&mut self, i: u32) -> &mut Slot<u32> {
        &mut self.slots[i as usize]
    }
    fn push_vacant(&mut self) -> Result<(), ()> {
        if self.slots.len() >= self.fail_after {
            return Err(());
        }
        self.slots.push(Slot::new());
        Ok(())
    }
}

type Table = EventTable<u32, VecStore>;

fn table() -> Table {
    EventTable::new(VecStore { slots: Vec::new(), fail_after: usize::MAX })
}

const ALL: QueryMode = QueryMode { completed: true, inflight: true };
const LIMIT: u32 = 1 << 20;

fn poll(t: &mut Table, max: u32) -> Vec<(u64, i32)> {
    let mut out = Vec::new();
    t.deliver(max, |_, user, err| out.push((user, err)));
    out
}

fn done(c: Completed<u32>) -> bool {
    match c {
        Completed::Done { queued, .. } => queued,
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn standalone_life_cycle() {
    let mut t = table();
    let id = t.init(0x1000, None, LIMIT).unwrap();
    assert_eq!(poll(&mut t, 8), vec![]);
    let tk = t.dispatch(id, Some(7)).unwrap();
    assert_eq!(t.counts().inflight, 1);
    assert_eq!(t.dispatch(id, None).unwrap_err().0, TableError::Busy);
    assert_eq!(t.fini(id), Err(TableError::Busy));
    assert_eq!(t.complete(tk, -5), Completed::Done { op: Some(7), queued: true });
    // Repeated completion of the same dispatch is ignored.
    assert_eq!(t.complete(tk, 0), Completed::Ignored);
    assert_eq!(t.counts().completed, 1);
    assert_eq!(poll(&mut t, 8), vec![(0x1000, -5)]);
    assert_eq!(poll(&mut t, 8), vec![], "each event is handed out once");
    // Reusable after poll.
    let tk2 = t.dispatch(id, None).unwrap();
    assert_eq!(t.complete(tk, 0), Completed::Ignored, "stale ticket of the first dispatch");
    assert!(done(t.complete(tk2, 0)));
    assert_eq!(t.fini(id), Ok(false), "fini of a completed, unpolled event");
    assert_eq!(poll(&mut t, 8), vec![], "finalised events leave the queue silently");
    assert_eq!(t.fini(id), Err(TableError::NotFound));
    assert_eq!(t.dispatch(id, None).unwrap_err().0, TableError::NotFound);
    assert_eq!(t.counts().events, 0);
}

#[test]
fn stale_ids_never_find_a_new_event() {
    let mut t = table();
    let a = t.init(1, None, LIMIT).unwrap();
    t.fini(a).unwrap();
    let b = t.init(2, None, LIMIT).unwrap();
    assert_ne!(a, b, "the slot is reused with a new generation");
    assert_eq!(t.fini(a), Err(TableError::NotFound));
    assert_eq!(t.next_child(a, None), Err(TableError::NotFound));
    assert_eq!(t.fini(EventId(0)), Err(TableError::NotFound));
    assert_eq!(t.fini(EventId(u64::MAX)), Err(TableError::NotFound));
    assert_eq!(t.fini(b), Ok(false));
}

#[test]
fn fifo_order_of_completion() {
    let mut t = table();
    let ids: Vec<_> = (0..1000).map(|u| t.init(u, None, LIMIT).unwrap()).collect();
    let tickets: Vec<_> = ids.iter().map(|&id| t.dispatch(id, None).unwrap()).collect();
    // Complete in reverse order: poll order is completion order.
    for tk in tickets.iter().rev() {
        assert!(done(t.complete(*tk, 0)));
    }
    let mut q = Vec::new();
    assert_eq!(t.query(ALL, |u| { q.push(u); true }), 1000);
    assert_eq!(q, (0..1000).rev().collect::<Vec<_>>());
    let got: Vec<_> = poll(&mut t, 1000).into_iter().map(|(u, _)| u).collect();
    assert_eq!(got, (0..1000).rev().collect::<Vec<_>>());
}

#[test]
fn query_modes_and_early_stop() {
    let mut t = table();
    let a = t.init(1, None, LIMIT).unwrap();
    let b = t.init(2, None, LIMIT).unwrap();
    t.init(3, None, LIMIT).unwrap();
    let ta = t.dispatch(a, None).unwrap();
    t.dispatch(b, None).unwrap();
    t.complete(ta, 0);
    let mut seen = Vec::new();
    let completed = QueryMode { completed: true, inflight: false };
    let inflight = QueryMode { completed: false, inflight: true };
    assert_eq!(t.query(completed, |u| { seen.push(u); true }), 1);
    assert_eq!(t.query(inflight, |u| { seen.push(u); true }), 1);
    assert_eq!(t.query(ALL, |_| false), 2, "the count is the total even when listing stops");
    assert_eq!(seen, vec![1, 2]);
}

#[test]
fn parent_completes_when_all_children_complete_first_error_wins() {
    let mut t = table();
    let p = t.init(100, None, LIMIT).unwrap();
    let kids: Vec<_> = (0..3).map(|u| t.init(u, Some(p), LIMIT).unwrap()).collect();
    assert_eq!(t.dispatch(p, None).unwrap_err().0, TableError::IsParent);
    let tk: Vec<_> = kids.iter().map(|&k| t.dispatch(k, None).unwrap()).collect();
    assert_eq!(t.counts().inflight, 1, "children are not visible, the parent is");
    assert!(!done(t.complete(tk[1], -22)));
    assert!(!done(t.complete(tk[0], -5)));
    assert_eq!(poll(&mut t, 8), vec![]);
    assert!(done(t.complete(tk[2], 0)));
    assert_eq!(poll(&mut t, 8), vec![(100, -22)], "the first child error wins");
    // Children walk in init order.
    let mut walk = Vec::new();
    let mut cur = None;
    while let Some((id, user)) = t.next_child(p, cur).unwrap() {
        walk.push(user);
        cur = Some(id);
    }
    assert_eq!(walk, vec![0, 1, 2]);
    // A child is not a parent, and a busy parent takes no new child.
    assert_eq!(t.init(9, Some(kids[0]), LIMIT), Err(TableError::Invalid));
    t.dispatch(kids[0], None).unwrap();
    assert_eq!(t.init(9, Some(p), LIMIT), Err(TableError::Busy));
}

#[test]
fn parent_abort_interrupts_children_and_completes() {
    let mut t = table();
    let p = t.init(100, None, LIMIT).unwrap();
    let a = t.init(1, Some(p), LIMIT).unwrap();
    let _b = t.init(2, Some(p), LIMIT).unwrap();
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
    let mut t = table();
    let e = t.init(1, None, LIMIT).unwrap();
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
    let mut t = table();
    let p = t.init(100, None, LIMIT).unwrap();
    let a = t.init(1, Some(p), LIMIT).unwrap();
    let b = t.init(2, Some(p), LIMIT).unwrap();
    let ta = t.dispatch(a, None).unwrap();
    assert!(!done(t.complete(ta, 0)));
    assert_eq!(t.fini(b), Ok(true));
    assert_eq!(poll(&mut t, 8), vec![(100, 0)]);
}

#[test]
fn limit_and_memory() {
    let mut t = table();
    t.init(1, None, 2).unwrap();
    t.init(2, None, 2).unwrap();
    assert_eq!(t.init(3, None, 2), Err(TableError::Full));
    let mut small = EventTable::new(VecStore { slots: Vec::new(), fail_after: 1 });
    small.init(1, None, LIMIT).unwrap();
    assert_eq!(small.init(2, None, LIMIT), Err(TableError::NoMemory));
}

#[test]
fn destroy_refuses_in_flight_then_frees_everything() {
    let mut t = table();
    let a = t.init(1, None, LIMIT).unwrap();
    let b = t.init(2, None, LIMIT).unwrap();
    let ta = t.dispatch(a, None).unwrap();
    assert_eq!(t.destroy(), Err(TableError::Busy));
    t.complete(ta, 0);
    assert_eq!(t.destroy(), Ok(()));
    assert_eq!(t.fini(b), Err(TableError::NotFound));
    assert_eq!(t.counts().events, 0);
    assert!(t.is_unlinked());
}

#[test]
fn unlinked_completions_free_their_events() {
    let mut t = table();
    let p = t.init(100, None, LIMIT).unwrap();
    let c = t.init(1, Some(p), LIMIT).unwrap();
    let s = t.init(2, None, LIMIT).unwrap();
    let idle = t.init(3, None, LIMIT).unwrap();
    let tc = t.dispatch(c, Some(1)).unwrap();
    let ts = t.dispatch(s, Some(2)).unwrap();
    let mut aborted = Vec::new();
    t.unlink_all(|op| aborted.push(*op));
    aborted.sort();
    assert_eq!(aborted, vec![1, 2]);
    assert_eq!(t.counts().events, 3, "the idle event is freed at once");
    assert_eq!(t.fini(idle), Err(TableError::NotFound));
    assert_eq!(t.complete(ts, 0), Completed::Unlinked { op: Some(2) });
    assert_eq!(t.complete(tc, 0), Completed::Unlinked { op: Some(1) });
    assert_eq!(t.counts(), Default::default());
    assert_eq!(t.init(4, None, LIMIT), Err(TableError::NotFound), "no new events once unlinked");
}

#[test]
fn undeliver_puts_events_back_in_front_in_order() {
    let mut t = table();
    let ids: Vec<_> = (0..4).map(|u| t.init(u, None, LIMIT).unwrap()).collect();
    for &id in &ids {
        let tk = t.dispatch(id, None).unwrap();
        t.complete(tk, -(id.0 as i32 & 0xff));
    }
    let mut taken = Vec::new();
    t.deliver(2, |id, _, err| taken.push((id, err)));
    t.undeliver(&taken);
    let got: Vec<_> = poll(&mut t, 8).into_iter().map(|(u, _)| u).collect();
    assert_eq!(got, vec![0, 1, 2, 3]);
}

/// Random operations against a model: per event, its state in the model;
/// the FIFO of completed top-level events; and table invariants.
#[derive(Clone, Debug)]
enum Op {
    Init(Option<usize>),
    Dispatch(usize),
    Complete(usize, i32),
    Abort(usize),
    Poll(u32),
    Fini(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => proptest::option::of(0..8usize).prop_map(Op::Init),
        3 => (0..16usize).prop_map(Op::Dispatch),
        3 => (0..16usize, -10..1i32).prop_map(|(i, e)| Op::Complete(i, e)),
        1 => (0..16usize).prop_map(Op::Abort),
        2 => (1..4u32).prop_map(Op::Poll),
        1 => (0..16usize).prop_map(Op::Fini),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn random_sequences_keep_invariants(ops in proptest::collection::vec(op(), 1..200)) {
        let mut t = table();
        let mut ids: Vec<EventId> = Vec::new();
        let mut tickets: HashMap<usize, Ticket> = HashMap::new();
        for op in ops {
            match op {
                Op::Init(parent) => {
                    let parent = parent.and_then(|p| ids.get(p).copied());
                    if let Ok(id) = t.init(ids.len() as u64, parent, 64) {
                        ids.push(id);
                    }
                }
                Op::Dispatch(i) => if let Some(&id) = ids.get(i) {
                    if let Ok(tk) = t.dispatch(id, None) {
                        tickets.insert(i, tk);
                    }
                },
                Op::Complete(i, e) => if let Some(tk) = tickets.remove(&i) {
                    let c = t.complete(tk, e);
                    prop_assert!(matches!(c, Completed::Done { .. }), "{:?}", c);
                },
                Op::Abort(i) => if let Some(&id) = ids.get(i) {
                    let _ = t.abort(id, |_| {});
                },
                Op::Poll(n) => {
                    let before = t.counts().completed;
                    let got = poll(&mut t, n);
                    prop_assert_eq!(got.len() as u32, before.min(n));
                }
                Op::Fini(i) => if let Some(&id) = ids.get(i) {
                    let _ = t.fini(id);
                },
            }
            let c = t.counts();
            prop_assert!(c.inflight + c.completed <= c.events);
            prop_assert!(c.ops <= c.events);
            let mut listed = 0;
            prop_assert_eq!(t.query(ALL, |_| { listed += 1; true }), c.inflight + c.completed);
            prop_assert_eq!(listed, c.inflight + c.completed);
        }
        // Drain: everything in flight completes, then poll hands out the rest once.
        for (_, tk) in tickets.drain() {
            t.complete(tk, 0);
        }
        let c = t.counts();
        prop_assert_eq!(c.ops, 0);
        let rest = poll(&mut t, u32::MAX);
        prop_assert_eq!(rest.len() as u32, c.completed);
        prop_assert_eq!(t.counts().completed, 0);
        // Everything can be finalised except parents still waiting for
        // children that were never dispatched.
        // Two passes: finalising the last children can complete a parent.
        for _ in 0..2 {
            for &id in &ids {
                let _ = t.fini(id);
            }
        }
        prop_assert!(t.counts().events == 0 || t.counts().inflight > 0);
    }
}
