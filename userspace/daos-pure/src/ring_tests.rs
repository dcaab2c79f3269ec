// SPDX-License-Identifier: GPL-2.0

//! The completion ring's protocol, simulated: one producer (the module,
//! with its overflow list) and several consumers claiming entries with a
//! compare-and-swap of the head, interleaved in every order proptest
//! finds. Every completion is delivered exactly once, the producer never
//! overwrites an entry nobody took, and a head the process scribbled over
//! never makes the producer index outside the ring.

use std::collections::VecDeque;

use proptest::prelude::*;

use crate::pure::ring::*;

/// The memory the module and the process share, and the module's list.
struct World {
    ring: Ring,
    slots: Vec<u64>,
    /// Written by consumers (compare-and-swap), read by the producer.
    head: u32,
    /// Written by the producer only.
    tail: u32,
    overflow: VecDeque<u64>,
    next_id: u64,
    delivered: Vec<u64>,
}

/// A consumer between reading an entry and swapping the head.
#[derive(Clone, Copy)]
enum Consumer {
    Idle,
    Loaded { head: u32, entry: u64 },
}

impl World {
    fn new(ring: Ring, start: u32) -> World {
        World {
            ring,
            slots: vec![u64::MAX; ring.entries() as usize],
            head: start,
            tail: start,
            overflow: VecDeque::new(),
            next_id: 0,
            delivered: Vec::new(),
        }
    }

    /// The module puts one entry in the ring, if there is room.
    fn push(&mut self, id: u64) -> bool {
        match self.ring.room(self.tail, self.head) {
            Room::Free(n) => {
                assert!(n <= self.ring.entries());
                // Nobody's entry is overwritten: the slot was taken.
                assert!(self.tail.wrapping_sub(self.head) < self.ring.entries());
                let slot = self.ring.slot(self.tail);
                self.slots[slot] = id;
                self.tail = self.tail.wrapping_add(1);
                true
            }
            Room::Full | Room::Nonsense => false,
        }
    }

    /// A completion: into the ring, unless older ones wait on the list.
    fn complete(&mut self) {
        let id = self.next_id;
        self.next_id += 1;
        if !self.overflow.is_empty() || !self.push(id) {
            self.overflow.push_back(id);
        }
    }

    /// The poll ioctl (a consumer that found the ring empty): the list
    /// moves into the ring as far as it fits, and one is returned from the
    /// list if the ring is still empty.
    fn ioctl_poll(&mut self) {
        while let Some(&id) = self.overflow.front() {
            if !self.push(id) {
                break;
            }
            self.overflow.pop_front();
        }
        if self.ring.ready(self.head, self.tail) == 0 {
            if let Some(id) = self.overflow.pop_front() {
                self.delivered.push(id);
            }
        }
    }

    /// One step of consumer `c`.
    fn step(&mut self, c: Consumer) -> Consumer {
        match c {
            Consumer::Idle => {
                let head = self.head;
                if self.ring.ready(head, self.tail) == 0 {
                    self.ioctl_poll();
                    return Consumer::Idle;
                }
                Consumer::Loaded { head, entry: self.slots[self.ring.slot(head)] }
            }
            Consumer::Loaded { head, entry } => {
                if self.head == head {
                    self.head = head.wrapping_add(1);
                    self.delivered.push(entry);
                }
                Consumer::Idle
            }
        }
    }
}

proptest! {
    #[test]
    fn every_completion_is_delivered_exactly_once(
        schedule in prop::collection::vec(0u8..8, 1..3000),
        consumers in 1usize..5,
        start in any::<u32>(),
    ) {
        let ring = Ring::new(SHIFT_MIN).unwrap();
        let mut w = World::new(ring, start);
        let mut cs = vec![Consumer::Idle; consumers];
        for s in schedule {
            match s as usize {
                // Completions come in bursts larger than the ring.
                0..=2 => for _ in 0..=(s as u32 * 40) { w.complete() },
                i => {
                    let c = i % consumers;
                    cs[c] = w.step(cs[c]);
                }
            }
        }
        // Drain: the consumers run until nothing is left.
        let mut idle_rounds = 0;
        while idle_rounds < 2 {
            let before = w.delivered.len();
            for c in 0..consumers {
                for _ in 0..2 {
                    cs[c] = w.step(cs[c]);
                }
            }
            idle_rounds = if w.delivered.len() == before { idle_rounds + 1 } else { 0 };
        }
        let mut got = w.delivered.clone();
        got.sort_unstable();
        let want: Vec<u64> = (0..w.next_id).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn a_scribbled_head_keeps_the_producer_inside_the_ring(
        heads in prop::collection::vec(any::<u32>(), 1..500),
        tail in any::<u32>(),
        shift in SHIFT_MIN..=SHIFT_MAX,
    ) {
        let ring = Ring::new(shift).unwrap();
        let mut tail = tail;
        for head in heads {
            match ring.room(tail, head) {
                Room::Free(n) => {
                    prop_assert!(n >= 1 && n <= ring.entries());
                    prop_assert!(tail.wrapping_sub(head) < ring.entries());
                    tail = tail.wrapping_add(1);
                }
                Room::Full => prop_assert_eq!(tail.wrapping_sub(head), ring.entries()),
                Room::Nonsense => prop_assert!(tail.wrapping_sub(head) > ring.entries()),
            }
            prop_assert!(ring.slot(head) < ring.entries() as usize);
            prop_assert!(ring.ready(head, tail) <= ring.entries());
        }
    }
}

proptest! {
    /// A head the producer accepts only ever moves forward within the
    /// entries it published: whatever the process writes, the producer's
    /// view of the ring stays sane (room never above the ring's size).
    #[test]
    fn an_accepted_head_stays_between_the_last_one_and_the_tail(
        writes in prop::collection::vec((any::<u32>(), -8i32..140, any::<bool>(), 0u32..80), 1..300),
        start in any::<u32>(),
        shift in SHIFT_MIN..=SHIFT_MAX,
    ) {
        let ring = Ring::new(shift).unwrap();
        let (mut seen, mut tail) = (start, start);
        for (raw, near, scribble, produced) in writes {
            // Any value, or one near the last head (the edges).
            let head = if scribble { raw } else { seen.wrapping_add_signed(near) };
            // The producer fills what room it has.
            if let Room::Free(n) = ring.room(tail, seen) {
                tail = tail.wrapping_add(produced.min(n));
            }
            if Ring::follows(seen, head, tail) {
                prop_assert!(head.wrapping_sub(seen) <= tail.wrapping_sub(seen));
                prop_assert!(ring.room(tail, head) != Room::Nonsense);
                seen = head;
            } else {
                prop_assert!(head.wrapping_sub(seen) > tail.wrapping_sub(seen));
            }
            prop_assert!(tail.wrapping_sub(seen) <= ring.entries());
        }
    }
}

#[test]
fn sizes_are_powers_of_two_in_range() {
    assert_eq!(Ring::new(SHIFT_MIN - 1), None);
    assert_eq!(Ring::new(SHIFT_MAX + 1), None);
    assert_eq!(Ring::at_least(1).unwrap().entries(), 1 << SHIFT_MIN);
    assert_eq!(Ring::at_least(65).unwrap().entries(), 128);
    assert_eq!(Ring::at_least(1 << SHIFT_MAX).unwrap().entries(), 1 << SHIFT_MAX);
    assert_eq!(Ring::at_least((1 << SHIFT_MAX) + 1), None);
    let r = Ring::new(SHIFT_MIN).unwrap();
    // Indices run free across the wrap of u32.
    assert_eq!(r.room(2, u32::MAX - 1), Room::Free(r.entries() - 4));
    assert_eq!(r.ready(u32::MAX - 1, 2), 4);
    assert_eq!(r.room(5, 6), Room::Nonsense);
    assert_eq!(r.ready(6, 5), 0);
}
