// SPDX-License-Identifier: GPL-2.0

//! The writeback cache's extent logic on the host (`cargo bench -p
//! daos-pure`, run by `make bench`): writes per second through the cache
//! model (cut, split, merge, chunk pieces), against a bare `BTreeMap` that
//! only stores each write (the baseline: no overlap handling, no merge).
//! Prints a table and "@@DAOS result" lines.

use std::{collections::BTreeMap, hint::black_box, time::Instant};

use daos_pure::extent_cache::Cache;

const SHIFT: u32 = 20;

/// Best of 5: nanoseconds per write of `writes`.
fn measure(writes: &[(u64, usize)], data: &[u8], mut run: impl FnMut(&[(u64, usize)], &[u8]) -> usize) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t0 = Instant::now();
        black_box(run(writes, data));
        best = best.min(t0.elapsed().as_nanos() as f64 / writes.len() as f64);
    }
    best
}

fn through_cache(writes: &[(u64, usize)], data: &[u8]) -> usize {
    let mut cache = Cache::default();
    for &(at, len) in writes {
        cache.write(at, &data[..len], SHIFT);
    }
    cache.len()
}

fn baseline(writes: &[(u64, usize)], data: &[u8]) -> usize {
    let mut map = BTreeMap::new();
    for &(at, len) in writes {
        map.insert(at, data[..len].to_vec());
    }
    map.len()
}

fn row(name: &str, value: f64, unit: &str) {
    println!("{name:<44} {value:>10.2} {unit}");
    println!("@@DAOS result\t{name}\t{value:.2}\t{unit}\t-\t-");
}

fn main() {
    let data = vec![0x5au8; 65536];
    let sequential: Vec<(u64, usize)> = (0..65536u64).map(|i| (i * 4096, 4096)).collect();
    let mut rng = 0x2545f4914f6cdd1du64;
    let random: Vec<(u64, usize)> = (0..65536)
        .map(|_| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            ((rng % (64 << 20)) & !511, 512 + (rng >> 40) as usize % 16384)
        })
        .collect();
    for (name, w) in [("sequential 4k", &sequential), ("random overlapping", &random)] {
        let cache = measure(w, &data, through_cache);
        let map = measure(w, &data, baseline);
        row(&format!("host extent cache, {name}"), cache, "ns/write");
        row(&format!("host BTreeMap baseline, {name}"), map, "ns/write");
        row(&format!("host cache/BTreeMap, {name}"), cache / map, "x");
    }
}
