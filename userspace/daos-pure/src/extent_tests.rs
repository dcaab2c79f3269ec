// SPDX-License-Identifier: GPL-2.0

//! The writeback cache's extent arithmetic against a byte-array model: a
//! cache built by cutting, splitting and merging always holds what the
//! model holds, keeps its invariants, and batches sequential writes into
//! the fewest requests.

use std::collections::BTreeMap;

use proptest::prelude::*;

use crate::pure::extent::*;

/// The bytes of the object the tests write into.
const WINDOW: u64 = 1 << 16;

/// A cache of one object at one epoch: extents by start, with their data.
#[derive(Default)]
struct Cache {
    extents: BTreeMap<u64, (Range, Vec<u8>)>,
}

impl Cache {
    /// A write of `data` at `start`, as the module applies it.
    fn write(&mut self, start: u64, data: &[u8], chunk_shift: u32) {
        let new = Range::at(start, data.len() as u64).unwrap();
        for p in pieces(new, chunk_shift) {
            let slice = &data[(p.start - start) as usize..(p.end - start) as usize];
            self.insert(p, slice.to_vec(), chunk_shift);
        }
    }

    fn insert(&mut self, p: Range, data: Vec<u8>, chunk_shift: u32) {
        let hit: Vec<u64> = self.extents.range(..p.end).filter(|(_, (r, _))| r.overlaps(p)).map(|(k, _)| *k).collect();
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

    fn ranges(&self) -> Vec<Range> {
        self.extents.values().map(|(r, _)| *r).collect()
    }

    /// The invariants of the module's tree.
    fn check(&self, chunk_shift: u32) {
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
    fn bytes(&self) -> Vec<Option<u8>> {
        let mut out = vec![None; WINDOW as usize];
        for (r, data) in self.extents.values() {
            for (i, b) in data.iter().enumerate() {
                out[r.start as usize + i] = Some(*b);
            }
        }
        out
    }
}

fn writes() -> impl Strategy<Value = Vec<(u64, u64, u8)>> {
    prop::collection::vec((0..WINDOW - 1, 1u64..9000, any::<u8>()), 1..60)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_cache_holds_what_the_model_holds(w in writes(), shift in CHUNK_SHIFT_MIN..15u32) {
        let mut cache = Cache::default();
        let mut model = vec![None; WINDOW as usize];
        for (start, len, byte) in w {
            let len = len.min(WINDOW - start);
            let data: Vec<u8> = (0..len).map(|i| byte.wrapping_add(i as u8)).collect();
            cache.write(start, &data, shift);
            for (i, b) in data.iter().enumerate() {
                model[start as usize + i] = Some(*b);
            }
            cache.check(shift);
        }
        prop_assert_eq!(cache.bytes(), model);
    }

    #[test]
    fn batches_cover_every_extent_once_per_chunk(w in writes(), shift in CHUNK_SHIFT_MIN..15u32) {
        let mut cache = Cache::default();
        for (start, len, byte) in w {
            cache.write(start, &vec![byte; len.min(WINDOW - start) as usize], shift);
        }
        let ranges = cache.ranges();
        let all: Vec<Batch> = batches(&ranges, shift, false).collect();
        let mut next = 0;
        let mut chunks = Vec::new();
        for b in &all {
            prop_assert_eq!(b.first, next);
            prop_assert!(b.last > b.first);
            for r in &ranges[b.first..b.last] {
                prop_assert_eq!(chunk_of_range(*r, shift), Some(b.chunk));
            }
            prop_assert_eq!(b.bytes, ranges[b.first..b.last].iter().map(|r| r.len()).sum::<u64>());
            chunks.push(b.chunk);
            next = b.last;
        }
        prop_assert_eq!(next, ranges.len());
        let mut sorted = chunks.clone();
        sorted.dedup();
        prop_assert_eq!(sorted, chunks);
        // Full-only batches are the full ones.
        for b in batches(&ranges, shift, true) {
            prop_assert_eq!(b.bytes, 1u64 << shift);
        }
    }
}

#[test]
fn sequential_writes_make_the_fewest_requests() {
    // 64 KiB of 4 KiB writes with 16 KiB requests: 4 extents, 4 requests.
    let shift = 14;
    let mut cache = Cache::default();
    for i in 0..16u64 {
        cache.write(i * 4096, &[i as u8; 4096], shift);
    }
    let ranges = cache.ranges();
    assert_eq!(ranges.len(), 4);
    assert_eq!(batches(&ranges, shift, true).count(), 4);
    // Unaligned: 3 KiB writes from 1 KiB: every chunk still one request.
    let mut cache = Cache::default();
    for i in 0..20u64 {
        cache.write(1024 + i * 3072, &[1; 3072], shift);
    }
    let ranges = cache.ranges();
    let n = batches(&ranges, shift, false).count() as u64;
    let (first, last) = (chunk_of(1024, shift), chunk_of(1024 + 20 * 3072 - 1, shift));
    assert_eq!(n, last - first + 1);
    // The partial chunks at either end are not full.
    assert_eq!(batches(&ranges, shift, true).count() as u64, n - 2);
}

#[test]
fn cuts_and_pieces_at_the_edges() {
    let r = |a, b| Range::new(a, b).unwrap();
    assert_eq!(cut(r(0, 10), r(10, 20)), Cut::Untouched);
    assert_eq!(cut(r(0, 10), r(0, 10)), Cut::Gone);
    assert_eq!(cut(r(0, 10), r(5, 20)), Cut::Front(r(0, 5)));
    assert_eq!(cut(r(5, 20), r(0, 10)), Cut::Back(r(10, 20)));
    assert_eq!(cut(r(0, 20), r(5, 10)), Cut::Split(r(0, 5), r(10, 20)));
    assert_eq!(Range::at(u64::MAX, 1), None);
    assert_eq!(Range::new(3, 3), None);
    // The last chunk of the address space ends at its end.
    let top = r(u64::MAX - 5000, u64::MAX);
    let p: Vec<Range> = pieces(top, 12).collect();
    assert_eq!(p.last().unwrap().end, u64::MAX);
    assert_eq!(p.iter().map(|x| x.len()).sum::<u64>(), top.len());
    assert!(!mergeable(r(0, 4096), r(4096, 8192), 12));
    assert!(mergeable(r(0, 100), r(100, 4096), 12));
}
