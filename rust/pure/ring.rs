// SPDX-License-Identifier: GPL-2.0

//! The index arithmetic of an event queue's completion ring (issue 9): a
//! ring of `2^shift` entries in memory shared with the process, one
//! producer (the module, under the queue's lock) and any number of
//! consumers (the process's threads, which claim entries by advancing the
//! head with a compare-and-swap).
//!
//! Indices are free-running `u32`s: entry `i` lives in slot `i & mask`,
//! `tail - head` entries are in the ring. The module owns the tail; the
//! head lives in the process's memory, so every value the module reads of
//! it is hostile: [`room`] never trusts it beyond "how many slots may I
//! fill", and a head that makes no sense reads as a full ring (the module
//! then keeps completions on its own list, as it does on overflow). A
//! process that scribbles over its ring can only confuse itself.
//!
//! A consumer reads the head, then the entry in its slot, then swaps the
//! head one further; if the swap fails another consumer took the entry and
//! it starts over. The entry it read cannot have been overwritten while the
//! swap succeeds: the producer reuses a slot only after the head passed it,
//! and then the head is no longer the value the consumer read (indices
//! wrap only after 2^32 completions).

/// Ring sizes: 2^6 to 2^16 entries (`DAOS_EQ_RING_MIN`, `_MAX`).
pub(crate) const SHIFT_MIN: u32 = 6;
pub(crate) const SHIFT_MAX: u32 = 16;

/// The shape of one ring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ring {
    shift: u32,
}

/// What the producer may do, given its tail and a head it read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Room {
    /// This many slots are free.
    Free(u32),
    /// No slot is free: completions wait on the module's list.
    Full,
    /// The head is ahead of the tail, or further behind than the ring is
    /// long: the process wrote it. Treated as [`Room::Full`].
    Nonsense,
}

impl Ring {
    /// A ring of `2^shift` entries, `None` outside the sizes allowed.
    pub(crate) const fn new(shift: u32) -> Option<Ring> {
        if shift >= SHIFT_MIN && shift <= SHIFT_MAX {
            Some(Ring { shift })
        } else {
            None
        }
    }

    /// A ring of at least `n` entries (rounded up to a power of two).
    pub(crate) const fn at_least(n: u32) -> Option<Ring> {
        let mut shift = SHIFT_MIN;
        while shift <= SHIFT_MAX {
            if (1u32 << shift) >= n {
                return Some(Ring { shift });
            }
            shift += 1;
        }
        None
    }

    pub(crate) const fn entries(self) -> u32 {
        1 << self.shift
    }

    /// The slot of index `i`: always inside the ring, whatever `i` is.
    pub(crate) const fn slot(self, i: u32) -> usize {
        (i & (self.entries() - 1)) as usize
    }

    /// Room for the producer at `tail`, the consumers' head read as `head`.
    pub(crate) const fn room(self, tail: u32, head: u32) -> Room {
        let used = tail.wrapping_sub(head);
        if used > self.entries() {
            Room::Nonsense
        } else if used == self.entries() {
            Room::Full
        } else {
            Room::Free(self.entries() - used)
        }
    }

    /// Entries a consumer may claim at `head`, the producer's tail read as
    /// `tail` (0 for a tail that makes no sense: the consumer asks the
    /// module instead).
    pub(crate) const fn ready(self, head: u32, tail: u32) -> u32 {
        let n = tail.wrapping_sub(head);
        if n > self.entries() {
            0
        } else {
            n
        }
    }

    /// Whether `head`, read from the process, may follow `seen`, the last
    /// head the producer accepted: heads only move forward, and never past
    /// the `tail`. (A head that does not is the process's scribble.)
    pub(crate) const fn follows(seen: u32, head: u32, tail: u32) -> bool {
        head.wrapping_sub(seen) <= tail.wrapping_sub(seen)
    }
}
