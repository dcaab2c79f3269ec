// SPDX-License-Identifier: GPL-2.0

//! A writeback cache of one object at one epoch over a `BTreeMap`, making
//! the decisions of `rust/pure/extent.rs` as the module's red-black tree
//! does: what the property tests check against a byte array, and what the
//! host benchmark measures.

use std::collections::BTreeMap;

use crate::pure::extent::*;

/// A cache of one object at one epoch: extents by start, with their data.
#[derive(Default)]
pub struct Cache {
    pub(crate) extents: BTreeMap<u64, (Range, Vec<u8>)>,
}

impl Cache {
    /// A write of `data` at `start`, as the module applies it.
    pub fn write(&mut self, start: u64, data: &[u8], chunk_shift: u32) {
        let new = Range::at(start, data.len() as u64).unwrap();
        for p in pieces(new, chunk_shift) {
            let slice = &data[(p.start - start) as usize..(p.end - start) as usize];
            self.insert(p, slice.to_vec(), chunk_shift);
        }
    }

    pub(crate) fn insert(&mut self, p: Range, data: Vec<u8>, chunk_shift: u32) {
        // Inside one extent: overwritten in place, as the module does.
        if let Some((_, (r, bytes))) = self.extents.range_mut(..=p.start).next_back() {
            if r.start <= p.start && p.end <= r.end {
                let at = (p.start - r.start) as usize;
                bytes[at..at + data.len()].copy_from_slice(&data);
                return;
            }
        }
        // What it overlaps: the extent before its start, and those that
        // start inside it (found by lookup, as in the module's tree).
        let before = self.extents.range(..p.start).next_back().filter(|(_, (r, _))| r.overlaps(p));
        let inside = self.extents.range(p.start..p.end);
        let hit: Vec<u64> = before.into_iter().chain(inside).map(|(k, _)| *k).collect();
        for k in hit {
            let (old, bytes) = self.extents.remove(&k).unwrap();
            let keep = |r: Range| bytes[(r.start - old.start) as usize..(r.end - old.start) as usize].to_vec();
            match cut(old, p) {
                Cut::Untouched => unreachable!("overlaps"),
                Cut::Gone => {}
                Cut::Front(f) | Cut::Back(f) => {
                    self.extents.insert(f.start, (f, keep(f)));
                }
                Cut::Split(f, b) => {
                    self.extents.insert(f.start, (f, keep(f)));
                    self.extents.insert(b.start, (b, keep(b)));
                }
            }
        }
        let (mut range, mut bytes) = (p, data);
        // Merge with the extent ending where this one starts...
        if let Some((&k, (left, _))) = self.extents.range(..range.start).next_back() {
            if mergeable(*left, range, chunk_shift) {
                let (left, mut front) = self.extents.remove(&k).unwrap();
                front.extend_from_slice(&bytes);
                (range, bytes) = (Range::new(left.start, range.end).unwrap(), front);
            }
        }
        // ...and the one starting where it ends.
        if let Some((right, back)) = self.extents.get(&range.end).cloned() {
            if mergeable(range, right, chunk_shift) {
                self.extents.remove(&range.end);
                bytes.extend_from_slice(&back);
                range = Range::new(range.start, right.end).unwrap();
            }
        }
        self.extents.insert(range.start, (range, bytes));
    }

    /// How many extents it holds.
    pub fn len(&self) -> usize {
        self.extents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.extents.is_empty()
    }

    pub(crate) fn ranges(&self) -> Vec<Range> {
        self.extents.values().map(|(r, _)| *r).collect()
    }

    /// The invariants of the module's tree.
    pub fn check(&self, chunk_shift: u32) {
        let ranges = self.ranges();
        for (r, (range, data)) in self.extents.values().map(|v| (v.0, v)) {
            assert_eq!(data.len() as u64, range.len());
            assert!(chunk_of_range(r, chunk_shift).is_some(), "{r:?} straddles a chunk");
        }
        for w in ranges.windows(2) {
            assert!(w[0].end <= w[1].start, "{:?} and {:?} overlap", w[0], w[1]);
            assert!(!mergeable(w[0], w[1], chunk_shift), "{:?} and {:?} should be one", w[0], w[1]);
        }
    }

    /// What the cache holds, byte by byte.
    pub fn bytes(&self, window: u64) -> Vec<Option<u8>> {
        let mut out = vec![None; window as usize];
        for (r, data) in self.extents.values() {
            for (i, b) in data.iter().enumerate() {
                out[r.start as usize + i] = Some(*b);
            }
        }
        out
    }
}

/// The chunk `r` lies in, if it lies in one.
pub(crate) const fn chunk_of_range(r: Range, chunk_shift: u32) -> Option<u64> {
    let c = chunk_of(r.start, chunk_shift);
    if chunk_of(r.end - 1, chunk_shift) == c {
        Some(c)
    } else {
        None
    }
}


/// One request: the extents of one chunk (of one object at one epoch).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Batch {
    pub(crate) chunk: u64,
    /// Indexes into the extents given to [`batches`]: `first..last`.
    pub(crate) first: usize,
    pub(crate) last: usize,
    pub(crate) bytes: u64,
}

/// The requests to send for `extents` (of one object at one epoch, sorted,
/// disjoint, none straddling a chunk): one per chunk. With `full_only`
/// (a sequential object that is not being flushed), only chunks whose
/// extents cover them entirely.
pub(crate) fn batches(extents: &[Range], chunk_shift: u32, full_only: bool) -> impl Iterator<Item = Batch> + '_ {
    let mut i = 0;
    core::iter::from_fn(move || {
        while i < extents.len() {
            let first = i;
            let chunk = chunk_of(extents[i].start, chunk_shift);
            let mut bytes = 0u64;
            while i < extents.len() && chunk_of(extents[i].start, chunk_shift) == chunk {
                bytes += extents[i].len();
                i += 1;
            }
            let full = Some(bytes) == 1u64.checked_shl(chunk_shift);
            if !full_only || full {
                return Some(Batch {
                    chunk,
                    first,
                    last: i,
                    bytes,
                });
            }
        }
        None
    })
}
