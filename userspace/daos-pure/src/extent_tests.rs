// SPDX-License-Identifier: GPL-2.0

//! The writeback cache's extent arithmetic against a byte-array model: a
//! cache built by cutting, splitting and merging always holds what the
//! model holds, keeps its invariants, and batches sequential writes into
//! the fewest requests.

use proptest::prelude::*;

use crate::{
    extent_cache::{
        batches,
        chunk_of_range,
        Batch,
        Cache,
    },
    pure::extent::*,
};

/// The bytes of the object the tests write into.
const WINDOW: u64 = 1 << 16;

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
        prop_assert_eq!(cache.bytes(WINDOW), model);
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
