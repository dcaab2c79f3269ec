// SPDX-License-Identifier: GPL-2.0

//! The arithmetic of the writeback cache's extents (seed: "Client Caching
//! and Writeback"; the invariants follow Lustre's `osc_cache.c`).
//!
//! An extent is a byte range of one object at one epoch, holding the dirty
//! data of that range. The cache keeps, per (epoch, object):
//!
//! 1. extents never overlap: a new write cuts the older extents it covers
//!    ([`cut`]), so the newest data wins;
//! 2. an extent never straddles a request boundary (a *chunk*, a power of
//!    two such as 1 MiB): a write is split into [`pieces`] first, so one
//!    request is always a set of whole extents;
//! 3. adjacent extents in one chunk are merged ([`mergeable`]): a chunk
//!    written sequentially is one extent, and one request.
//!
//! A request holds the extents of one chunk of one object at one epoch.
//! Sequential objects send only full chunks until a flush; random ones send
//! what they have.
//!
//! Everything here is arithmetic on ranges: the module keeps the extents in
//! a red-black tree (`rust/cache.rs`) and the host tests in a `BTreeMap`
//! (`userspace/daos-pure/src/extent_cache.rs`, which also batches a model's
//! extents into requests), both applying the same decisions.

/// A half-open byte range `start..end`, never empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Range {
    pub(crate) start: u64,
    pub(crate) end: u64,
}

impl Range {
    /// `start..end`, or `None` if empty or reversed.
    pub(crate) const fn new(start: u64, end: u64) -> Option<Range> {
        if start < end {
            Some(Range { start, end })
        } else {
            None
        }
    }

    /// `len` bytes at `start`, or `None` if empty or past the address space.
    pub(crate) const fn at(start: u64, len: u64) -> Option<Range> {
        match start.checked_add(len) {
            Some(end) => Range::new(start, end),
            None => None,
        }
    }

    pub(crate) const fn len(self) -> u64 {
        self.end - self.start
    }

    pub(crate) const fn overlaps(self, other: Range) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// What a newer write does to an older extent of the same object and epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cut {
    /// No overlap: the extent stays as it is.
    Untouched,
    /// Covered entirely: the extent goes.
    Gone,
    /// Its front stays (the write covers its back).
    Front(Range),
    /// Its back stays (the write covers its front).
    Back(Range),
    /// The write falls in its middle: it splits into front and back.
    Split(Range, Range),
}

/// How `new` cuts `old`.
pub(crate) const fn cut(old: Range, new: Range) -> Cut {
    if !old.overlaps(new) {
        return Cut::Untouched;
    }
    let front = Range::new(old.start, new.start);
    let back = Range::new(new.end, old.end);
    match (front, back) {
        (None, None) => Cut::Gone,
        (Some(f), None) => Cut::Front(f),
        (None, Some(b)) => Cut::Back(b),
        (Some(f), Some(b)) => Cut::Split(f, b),
    }
}

/// Chunk sizes: powers of two from 4 KiB to 16 MiB.
pub(crate) const CHUNK_SHIFT_MIN: u32 = 12;
pub(crate) const CHUNK_SHIFT_MAX: u32 = 24;

/// The chunk (request slot) byte `offset` falls in.
pub(crate) const fn chunk_of(offset: u64, chunk_shift: u32) -> u64 {
    offset >> chunk_shift
}

/// Whether `left` and `right` (in this order) may become one extent: they
/// touch and lie in one chunk.
pub(crate) const fn mergeable(left: Range, right: Range, chunk_shift: u32) -> bool {
    left.end == right.start && chunk_of(left.start, chunk_shift) == chunk_of(right.end - 1, chunk_shift)
}

/// `r` split at chunk boundaries, in order.
pub(crate) fn pieces(r: Range, chunk_shift: u32) -> impl Iterator<Item = Range> {
    let mut at = r.start;
    core::iter::from_fn(move || {
        if at >= r.end {
            return None;
        }
        // The next boundary after `at`, or the end of the address space.
        let boundary = (chunk_of(at, chunk_shift) + 1).checked_shl(chunk_shift).filter(|b| *b > at);
        let stop = match boundary {
            Some(b) if b < r.end => b,
            _ => r.end,
        };
        let piece = Range { start: at, end: stop };
        at = stop;
        Some(piece)
    })
}
