// SPDX-License-Identifier: GPL-2.0

//! Handle lookups on the host (`cargo bench -p daos-pure`, run by `make
//! bench`): the module's two ways of finding a handle's object, modelled
//! with the pure handle encoding, with 1 to 8 threads of one process each
//! looking up its own event queue.
//!
//! - *bucket*: every handle of a process lives in its pid bucket, a tree
//!   under one lock (`rust/handle_table.rs` for containers and objects);
//! - *lock-free*: event queue handles are read without a lock (the module's
//!   RCU-read xarray, modelled by an array of atomic pointers indexed by
//!   cookie, published before the threads start); a lookup writes only the
//!   queue's own reference count.
//!
//! Each lookup decodes and checks the handle, finds the entry, checks its
//! owner and takes a reference to the object (dropped after). Prints
//! lookups per microsecond (all threads) and "@@DAOS result" lines.

use std::{
    collections::BTreeMap,
    hint::black_box,
    sync::{
        atomic::{AtomicPtr, Ordering},
        Arc, Barrier, Mutex,
    },
    thread,
    time::Instant,
};

use daos_pure::handle::{event_queue, event_queue_cookie};

const TGID: u32 = 4242;
const LOOKUPS: usize = 2_000_000;

struct Entry {
    owner: u32,
    object: Arc<u64>,
}

trait Table: Sync {
    fn lookup(&self, raw: u64) -> Option<Arc<u64>>;
}

struct Bucket(Mutex<BTreeMap<u64, Entry>>);

impl Table for Bucket {
    fn lookup(&self, raw: u64) -> Option<Arc<u64>> {
        let cookie = event_queue_cookie(raw, TGID)?;
        let map = self.0.lock().unwrap();
        map.get(&cookie).filter(|e| e.owner == TGID).map(|e| e.object.clone())
    }
}

struct LockFree(Vec<AtomicPtr<Entry>>);

impl Table for LockFree {
    fn lookup(&self, raw: u64) -> Option<Arc<u64>> {
        let cookie = event_queue_cookie(raw, TGID)?;
        let p = self.0.get(cookie as usize)?.load(Ordering::Acquire);
        // SAFETY: entries are published before the threads start and freed
        // after they end (the module frees after an RCU grace period).
        let e = unsafe { p.as_ref() }?;
        (e.owner == TGID).then(|| e.object.clone())
    }
}

impl Drop for LockFree {
    fn drop(&mut self) {
        for p in &self.0 {
            let p = p.load(Ordering::Relaxed);
            if !p.is_null() {
                // SAFETY: from `Box::into_raw` below, no thread left.
                drop(unsafe { Box::from_raw(p) });
            }
        }
    }
}

/// Handles of `n` event queues, cookies 1..=n.
fn handles(n: usize) -> Vec<u64> {
    (1..=n as u64).map(|c| event_queue(TGID, c).unwrap()).collect()
}

fn bucket(n: usize) -> Bucket {
    let map = (1..=n as u64).map(|c| (c, Entry { owner: TGID, object: Arc::new(c) })).collect();
    Bucket(Mutex::new(map))
}

fn lock_free(n: usize) -> LockFree {
    let mut v: Vec<AtomicPtr<Entry>> = (0..=n).map(|_| AtomicPtr::new(std::ptr::null_mut())).collect();
    for (c, slot) in v.iter_mut().enumerate().skip(1) {
        *slot.get_mut() = Box::into_raw(Box::new(Entry { owner: TGID, object: Arc::new(c as u64) }));
    }
    LockFree(v)
}

/// Lookups per microsecond, all threads together (best of 3).
fn measure(table: &dyn Table, threads: usize) -> f64 {
    let hs = handles(threads);
    let mut best = 0f64;
    for _ in 0..3 {
        let start = Barrier::new(threads);
        let t0 = Instant::now();
        thread::scope(|s| {
            for &h in &hs {
                let start = &start;
                s.spawn(move || {
                    start.wait();
                    for _ in 0..LOOKUPS / threads {
                        black_box(table.lookup(black_box(h)).expect("found"));
                    }
                });
            }
        });
        best = best.max(LOOKUPS as f64 / (t0.elapsed().as_nanos() as f64 / 1000.0));
    }
    best
}

fn row(name: &str, value: f64, unit: &str) {
    println!("{name:<44} {value:>10.2} {unit}");
    println!("@@DAOS result\t{name}\t{value:.2}\t{unit}\t-\t-");
}

fn main() {
    let cpus = thread::available_parallelism().map_or(1, |n| n.get());
    println!("\n== handle_bench: lookups per microsecond, threads of one process ({cpus} CPUs) ==");
    let (b, l) = (bucket(8), lock_free(8));
    let mut one = (0.0, 0.0);
    for threads in [1, 2, 4, 8] {
        let (bn, ln) = (measure(&b, threads), measure(&l, threads));
        row(&format!("host lookups, bucket lock, {threads} threads"), bn, "/us");
        row(&format!("host lookups, lock-free, {threads} threads"), ln, "/us");
        if threads == 1 {
            one = (bn, ln);
        } else {
            row(&format!("host bucket lock, {threads} threads / 1"), bn / one.0, "x");
            row(&format!("host lock-free, {threads} threads / 1"), ln / one.1, "x");
        }
    }
}
