// SPDX-License-Identifier: GPL-2.0

//! Storage targets (the seed's OST role) and the shards they hold.
//!
//! The target interface is narrow: create a shard ([`Target::create_shard`]),
//! and on a shard ([`ShardStore`]) write, punch and read at an epoch, abort
//! from an epoch, reclaim what no reader can see, list objects and report
//! space. Flush and commit have nothing to do for data that lives in memory:
//! it is durable (as durable as it gets) once written, and an epoch's
//! visibility is the container's HCE. A target over a lower filesystem or a
//! Lustre OST implements the same calls.
//!
//! This is the local target: shard data in kernel memory. An object is the
//! list of its changes (a write of bytes or a punch of a range), each at an
//! epoch, kept in epoch order (stable within an epoch, so the later of two
//! writes wins). A read at epoch `e` starts from zeros and replays every
//! change at or below `e`. Aborting epoch `e` drops the changes at `e` and
//! above. Once no reader can ask for an epoch below `oldest`, a change at or
//! below `oldest` that a later one (also at or below `oldest`) covers
//! entirely is dropped: that is what slipping reclaims.
//!
//! Space: every change holds a [`Charge`] on its target (its bytes plus a
//! fixed overhead, so punches count too), taken at submission (`ENOSPC`
//! beyond the capacity) and given back when the change goes.

use kernel::{
    new_mutex,
    prelude::*,
    time::{
        delay::fsleep,
        Delta,
    },
    rbtree::{
        RBTree,
        RBTreeNode, //
    },
    sync::{
        atomic::{
            Atomic,
            Relaxed, //
        },
        Arc,
        Mutex,
    },
};

use crate::{
    engine::Engine,
    sys::{
        params,
        user_pages::UserBuffers,
        wait::monotonic_ns,
    },
    uapi,
};

/// Where a target is, in the seed's storage tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Location {
    pub(crate) cage: i32,
    pub(crate) rack: i32,
    pub(crate) node: i32,
}

/// Bytes a change costs beyond its data: its bookkeeping.
pub(crate) const CHANGE_OVERHEAD: u64 = 64;

/// One storage target.
#[pin_data]
pub(crate) struct Target {
    pub(crate) id: u32,
    /// Made by the module at load: it stays when its configfs directory
    /// goes.
    pub(crate) builtin: bool,
    cage: Atomic<i32>,
    rack: Atomic<i32>,
    node: Atomic<i32>,
    /// The seed's `daos_target_type_t` (0: HDD, 1: SSD).
    kind: Atomic<u32>,
    /// Bytes it may hold, or 0 for the module parameter's.
    capacity: Atomic<u64>,
    used: Atomic<u64>,
    shards: Atomic<u32>,
    /// Health, 0..100, or `STATUS_DISABLED` once failed; changed only
    /// through the [`System`](crate::system::System), which reports it.
    status: Atomic<i32>,
    /// What was measured: bytes and nanoseconds of reads and writes.
    perf: [Atomic<u64>; 5],
    /// Injected service time, so that a local target can stand for a
    /// remote one: a latency per request (microseconds) and a bandwidth
    /// (MB/s, 0: unlimited).
    latency_us: Atomic<u64>,
    bandwidth_mbps: Atomic<u64>,
    /// The requests the writeback cache sends it.
    #[pin]
    pub(crate) engine: Engine,
}

/// The longest injected service time of one request.
pub(crate) const SERVICE_MAX_US: u64 = 10_000_000;

/// Indexes of [`Target::perf`].
const READ_BYTES: usize = 0;
const READ_NS: usize = 1;
const WRITE_BYTES: usize = 2;
const WRITE_NS: usize = 3;
const OPS: usize = 4;

/// Measured performance, in the seed's `daos_target_perf` units.
pub(crate) struct Perf {
    pub(crate) read_mbps: u32,
    pub(crate) write_mbps: u32,
    pub(crate) iops: u32,
    pub(crate) latency_us: u64,
}

/// Space held on a target, given back when dropped.
pub(crate) struct Charge {
    target: Arc<Target>,
    bytes: u64,
}

impl Drop for Charge {
    fn drop(&mut self) {
        self.target.used.fetch_sub(self.bytes, Relaxed);
    }
}

impl Charge {
    /// Splits `bytes` (at most all it holds) off into a charge of its own.
    pub(crate) fn split(&mut self, bytes: u64) -> Charge {
        let bytes = bytes.min(self.bytes);
        self.bytes -= bytes;
        Charge {
            target: self.target.clone(),
            bytes,
        }
    }

    /// Takes `other` (on the same target) into this one.
    pub(crate) fn join(&mut self, mut other: Charge) {
        self.bytes += core::mem::take(&mut other.bytes);
    }
}

/// `bytes` per `ns`, in MB/s (bytes per microsecond).
fn mbps(bytes: u64, ns: u64) -> u32 {
    (bytes / (ns / 1000).max(1)).min(u64::from(u32::MAX)) as u32
}

impl Target {
    pub(crate) fn new(id: u32, location: Location, builtin: bool) -> Result<Arc<Target>> {
        Arc::pin_init(
            try_pin_init!(Target {
                id,
                builtin,
                cage: Atomic::new(location.cage),
                rack: Atomic::new(location.rack),
                node: Atomic::new(location.node),
                kind: Atomic::new(0),
                capacity: Atomic::new(0),
                used: Atomic::new(0),
                shards: Atomic::new(0),
                status: Atomic::new(100),
                perf: [const { Atomic::new(0) }; 5],
                latency_us: Atomic::new(0),
                bandwidth_mbps: Atomic::new(0),
                engine <- Engine::new(),
            }),
            GFP_KERNEL_ACCOUNT,
        )
    }

    pub(crate) fn location(&self) -> Location {
        Location {
            cage: self.cage.load(Relaxed),
            rack: self.rack.load(Relaxed),
            node: self.node.load(Relaxed),
        }
    }

    pub(crate) fn set_location(&self, l: Location) {
        self.cage.store(l.cage, Relaxed);
        self.rack.store(l.rack, Relaxed);
        self.node.store(l.node, Relaxed);
    }

    pub(crate) fn kind(&self) -> u32 {
        self.kind.load(Relaxed)
    }

    pub(crate) fn set_kind(&self, kind: u32) {
        self.kind.store(kind, Relaxed);
    }

    /// Bytes the target holds at most: its own capacity if one was set,
    /// else the module parameter `target_capacity_mb`; read at each charge,
    /// so a change applies at once (what is held stays).
    pub(crate) fn capacity(&self) -> u64 {
        match self.capacity.load(Relaxed) {
            0 => params::target_capacity(),
            c => c,
        }
    }

    /// Sets the target's own capacity (0: the module parameter's).
    pub(crate) fn set_capacity(&self, bytes: u64) {
        self.capacity.store(bytes, Relaxed);
    }

    pub(crate) fn used(&self) -> u64 {
        self.used.load(Relaxed)
    }

    pub(crate) fn shards(&self) -> u32 {
        self.shards.load(Relaxed)
    }

    pub(crate) fn status(&self) -> i32 {
        self.status.load(Relaxed)
    }

    /// For the [`System`](crate::system::System) only: it reports changes.
    pub(crate) fn store_status(&self, status: i32) -> i32 {
        self.status.xchg(status, Relaxed)
    }

    pub(crate) fn latency_us(&self) -> u64 {
        self.latency_us.load(Relaxed)
    }

    pub(crate) fn set_latency_us(&self, us: u64) {
        self.latency_us.store(us.min(SERVICE_MAX_US), Relaxed);
    }

    pub(crate) fn bandwidth_mbps(&self) -> u64 {
        self.bandwidth_mbps.load(Relaxed)
    }

    pub(crate) fn set_bandwidth_mbps(&self, mbps: u64) {
        self.bandwidth_mbps.store(mbps, Relaxed);
    }

    /// Serves a read or write of `bytes` at the injected speed: sleeps its
    /// latency and its transfer time (in the work queue, never under a
    /// lock), and counts it.
    pub(crate) fn serve(&self, write: bool, bytes: u64) {
        let start = monotonic_ns();
        let transfer = match self.bandwidth_mbps() {
            0 => 0,
            // MB/s is bytes per microsecond.
            mbps => bytes / mbps,
        };
        let us = self.latency_us().saturating_add(transfer).min(SERVICE_MAX_US);
        if us > 0 {
            fsleep(Delta::from_micros(us as i64));
        }
        self.measure(write, bytes, monotonic_ns().saturating_sub(start));
    }

    /// Counts one read or write of `bytes` that took `ns`.
    fn measure(&self, write: bool, bytes: u64, ns: u64) {
        let (b, t) = if write { (WRITE_BYTES, WRITE_NS) } else { (READ_BYTES, READ_NS) };
        self.perf[b].fetch_add(bytes, Relaxed);
        self.perf[t].fetch_add(ns, Relaxed);
        self.perf[OPS].fetch_add(1, Relaxed);
    }

    pub(crate) fn perf(&self) -> Perf {
        let get = |i: usize| self.perf[i].load(Relaxed);
        let ns = get(READ_NS) + get(WRITE_NS);
        let ops = get(OPS);
        Perf {
            read_mbps: mbps(get(READ_BYTES), get(READ_NS)),
            write_mbps: mbps(get(WRITE_BYTES), get(WRITE_NS)),
            iops: (ops.saturating_mul(1_000_000) / (ns / 1000).max(1)).min(u64::from(u32::MAX)) as u32,
            latency_us: if ops == 0 { 0 } else { ns / ops / 1000 },
        }
    }

    /// `EIO` once the target failed.
    pub(crate) fn check_up(&self) -> Result {
        if self.status() < 0 {
            Err(EIO)
        } else {
            Ok(())
        }
    }

    /// Reserves room for a change of `data` bytes (`ENOSPC` beyond the
    /// capacity).
    pub(crate) fn charge(self: &Arc<Self>, data: u64) -> Result<Charge> {
        let bytes = data.checked_add(CHANGE_OVERHEAD).ok_or(ENOSPC)?;
        let capacity = self.capacity();
        let mut used = self.used.load(Relaxed);
        loop {
            let new = used.checked_add(bytes).filter(|n| *n <= capacity).ok_or(ENOSPC)?;
            match self.used.cmpxchg(used, new, Relaxed) {
                Ok(_) => break,
                Err(now) => used = now,
            }
        }
        Ok(Charge {
            target: self.clone(),
            bytes,
        })
    }

    /// A new, empty shard on this target.
    pub(crate) fn create_shard(self: &Arc<Self>) -> Result<Arc<ShardStore>> {
        self.check_up()?;
        let shard = Arc::pin_init(
            pin_init!(ShardStore {
                target: self.clone(),
                objects <- new_mutex!(RBTree::new(), "ShardStore::objects"),
                next_seq: Atomic::new(1),
            }),
            GFP_KERNEL_ACCOUNT,
        )?;
        self.shards.fetch_add(1, Relaxed);
        Ok(shard)
    }
}

/// What a change does to its range.
pub(crate) enum Change {
    /// These bytes, from the range's first byte.
    Write(KVVec<u8>),
    /// Zeros.
    Punch,
}

/// One change of an object: `first..=last` at `epoch`; among the changes
/// of one epoch, the higher `seq` is the later.
pub(crate) struct Version {
    epoch: u64,
    seq: u64,
    first: u64,
    last: u64,
    change: Change,
    _charge: Charge,
}

impl Version {
    /// A write of `data` (not empty) at `offset`; `EINVAL` past the end of
    /// the object's address space.
    pub(crate) fn write(epoch: u64, seq: u64, offset: u64, data: KVVec<u8>, charge: Charge) -> Result<Version> {
        let len = u64::try_from(data.len()).map_err(|_| EINVAL)?;
        let last = offset.checked_add(len.checked_sub(1).ok_or(EINVAL)?).ok_or(EINVAL)?;
        Ok(Version {
            epoch,
            seq,
            first: offset,
            last,
            change: Change::Write(data),
            _charge: charge,
        })
    }

    /// A punch of `first..=last`.
    pub(crate) fn punch(epoch: u64, seq: u64, first: u64, last: u64, charge: Charge) -> Version {
        Version {
            epoch,
            seq,
            first,
            last,
            change: Change::Punch,
            _charge: charge,
        }
    }

    /// Bytes of data it holds.
    pub(crate) fn data_len(&self) -> u64 {
        match &self.change {
            Change::Write(d) => d.len() as u64,
            Change::Punch => 0,
        }
    }

    fn overlaps(&self, first: u64, last: u64) -> bool {
        self.first <= last && first <= self.last
    }
}

/// The changes of one object, in epoch order.
type Object = KVec<Version>;

/// A shard of a container on a target.
#[pin_data(PinnedDrop)]
pub(crate) struct ShardStore {
    pub(crate) target: Arc<Target>,
    /// Objects by `o_id_lo`; an object with no change left is removed.
    #[pin]
    objects: Mutex<RBTree<u64, Object>>,
    /// The next change's `seq`: changes are ordered by when they left the
    /// client, whatever order they arrive in.
    next_seq: Atomic<u64>,
}

/// Data not in the store yet (the writeback cache's) that a read sees in
/// its place among the store's changes.
pub(crate) struct Layer<'a> {
    pub(crate) epoch: u64,
    pub(crate) seq: u64,
    pub(crate) first: u64,
    pub(crate) data: &'a [u8],
}

#[pinned_drop]
impl PinnedDrop for ShardStore {
    fn drop(self: Pin<&mut Self>) {
        self.target.shards.fetch_sub(1, Relaxed);
    }
}

impl ShardStore {
    /// The `seq` of a change leaving the client now.
    pub(crate) fn seq(&self) -> u64 {
        self.next_seq.fetch_add(1, Relaxed)
    }

    /// Adds `versions` to object `oid`, each after every change before it
    /// in (epoch, seq) order. On failure nothing was added.
    pub(crate) fn apply(&self, oid: u64, versions: KVec<Version>) -> Result {
        let n = versions.len();
        self.apply_with(oid, n, &mut versions.into_iter())
    }

    /// [`apply`](Self::apply) of the `n` versions `versions` yields; on
    /// failure none was taken from it.
    pub(crate) fn apply_with(&self, oid: u64, n: usize, versions: &mut impl Iterator<Item = Version>) -> Result {
        self.target.check_up()?;
        if n == 0 {
            return Ok(());
        }
        let node = RBTreeNode::new(oid, KVec::new(), GFP_KERNEL_ACCOUNT)?;
        let mut objects = self.objects.lock();
        if objects.get(&oid).is_none() {
            objects.insert(node);
        }
        let object = objects.get_mut(&oid).ok_or(EIO)?;
        object.reserve(n, GFP_KERNEL_ACCOUNT)?;
        for v in versions.take(n) {
            // Mostly the last: searched from the end.
            let at = object.iter().rposition(|w| (w.epoch, w.seq) <= (v.epoch, v.seq)).map_or(0, |i| i + 1);
            // Cannot fail: room reserved above.
            if let Err(e) = object.insert_within_capacity(at, v) {
                drop(e);
                return Err(EIO);
            }
        }
        Ok(())
    }

    /// Reads object `oid` at `epoch`: each `(offset, len)` range in turn
    /// into the run of `out`, zeros where nothing was written, with
    /// `layers` (sorted by epoch and seq) in their places among the
    /// changes.
    pub(crate) fn read(&self, oid: u64, epoch: u64, ranges: &[(u64, u64)], out: &UserBuffers, layers: &[Layer<'_>]) -> Result {
        self.target.check_up()?;
        let objects = self.objects.lock();
        let object = objects.get(&oid);
        let mut pos = 0usize;
        for &(offset, len) in ranges {
            let n = usize::try_from(len).map_err(|_| EINVAL)?;
            out.zero(pos, n);
            let Some(last) = len.checked_sub(1).and_then(|l| offset.checked_add(l)) else {
                continue;
            };
            let mut versions = object.iter().flat_map(|o| o.iter()).take_while(|v| v.epoch <= epoch).peekable();
            let mut cached = layers.iter().take_while(|l| l.epoch <= epoch).peekable();
            loop {
                let layer_first = match (versions.peek(), cached.peek()) {
                    (None, None) => break,
                    (Some(v), Some(l)) => (l.epoch, l.seq) < (v.epoch, v.seq),
                    (v, _) => v.is_none(),
                };
                // The next change: its range and its bytes (None: zeros).
                let (first, data): (u64, Option<&[u8]>) = if layer_first {
                    let Some(l) = cached.next() else { break };
                    (l.first, Some(l.data))
                } else {
                    let Some(v) = versions.next() else { break };
                    if !v.overlaps(offset, last) {
                        continue;
                    }
                    match &v.change {
                        Change::Write(d) => (v.first, Some(&d[..])),
                        Change::Punch => {
                            let (lo, hi) = (v.first.max(offset), v.last.min(last));
                            out.zero(pos + (lo - offset) as usize, (hi - lo) as usize + 1);
                            continue;
                        }
                    }
                };
                let Some(data) = data.filter(|d| !d.is_empty()) else { continue };
                let data_last = first + (data.len() as u64 - 1);
                if first > last || data_last < offset {
                    continue;
                }
                let (lo, hi) = (first.max(offset), data_last.min(last));
                // In range: both below `len`, which fits in usize.
                let at = pos + (lo - offset) as usize;
                let from = (lo - first) as usize;
                out.write(at, &data[from..from + (hi - lo) as usize + 1]);
            }
            pos += n;
        }
        Ok(())
    }

    /// Drops every change at `epoch` and above.
    pub(crate) fn abort(&self, epoch: u64) {
        let mut objects = self.objects.lock();
        let mut cursor = objects.cursor_front_mut();
        while let Some(mut c) = cursor {
            let object = c.current_mut().1;
            while object.last().is_some_and(|v| v.epoch >= epoch) {
                // Its charge goes back as it drops.
                drop(object.pop());
            }
            cursor = if object.is_empty() {
                c.remove_current().0
            } else {
                c.move_next()
            };
        }
    }

    /// Reclaims, for epochs at or below `oldest` (no reader asks for an
    /// older one), every change a later one entirely covers.
    pub(crate) fn reclaim(&self, oldest: u64) {
        let mut objects = self.objects.lock();
        let mut cursor = objects.cursor_front_mut();
        while let Some(mut c) = cursor {
            let object = c.current_mut().1;
            let mut i = 0;
            while i < object.len() && object[i].epoch <= oldest {
                let v = &object[i];
                let shadowed = object[i + 1..]
                    .iter()
                    .take_while(|w| w.epoch <= oldest)
                    .any(|w| w.first <= v.first && v.last <= w.last);
                if shadowed {
                    let _ = object.remove(i);
                } else {
                    i += 1;
                }
            }
            // An object whose only changes left are punches is empty.
            cursor = if object.iter().all(|v| matches!(v.change, Change::Punch) && v.epoch <= oldest) {
                c.remove_current().0
            } else {
                c.move_next()
            };
        }
    }

    /// Whether object `object` has data at `epoch`: a write at or below
    /// `epoch` after its last punch of the whole object. (A write that
    /// partial punches zeroed still counts: deciding that exactly costs
    /// more than a listing should, with millions of changes.)
    fn has_data(object: &Object, epoch: u64) -> bool {
        for v in object.iter().rev().filter(|v| v.epoch <= epoch) {
            match v.change {
                Change::Write(_) => return true,
                Change::Punch if v.first == 0 && v.last == u64::MAX => return false,
                Change::Punch => {}
            }
        }
        false
    }

    /// Objects with data at `epoch`, from `anchor` on, into `out`; returns
    /// how many and the next anchor (`None` after the last).
    pub(crate) fn list(&self, epoch: u64, anchor: u64, out: &mut [u64]) -> (usize, Option<u64>) {
        let objects = self.objects.lock();
        let mut n = 0;
        for (oid, object) in objects.iter() {
            if *oid < anchor || !Self::has_data(object, epoch) {
                continue;
            }
            if n == out.len() {
                return (n, Some(*oid));
            }
            out[n] = *oid;
            n += 1;
        }
        (n, None)
    }

    /// Objects with data at `epoch`.
    pub(crate) fn count(&self, epoch: u64) -> u64 {
        let objects = self.objects.lock();
        objects.values().filter(|o| Self::has_data(o, epoch)).count() as u64
    }

    /// Copies what a read at `epoch` sees into `copy` (empty, on the same
    /// target): the changes at or below `epoch`, their data charged again.
    /// Adds the bytes copied to `done` as it goes.
    pub(crate) fn clone_into(&self, copy: &ShardStore, epoch: u64, done: &Atomic<u64>) -> Result {
        // Built unlocked (the copy is not shared yet), then put in place:
        // the two stores' locks are never held together.
        let mut copied = RBTree::new();
        {
            let objects = self.objects.lock();
            for (oid, object) in objects.iter() {
                let mut versions = KVec::new();
                for v in object.iter().take_while(|v| v.epoch <= epoch) {
                    let charge = copy.target.charge(v.data_len())?;
                    let change = match &v.change {
                        Change::Write(d) => {
                            let mut data = KVVec::with_capacity(d.len(), GFP_KERNEL)?;
                            data.extend_from_slice(d, GFP_KERNEL)?;
                            Change::Write(data)
                        }
                        Change::Punch => Change::Punch,
                    };
                    versions.push(
                        Version {
                            epoch: v.epoch,
                            seq: v.seq,
                            first: v.first,
                            last: v.last,
                            change,
                            _charge: charge,
                        },
                        GFP_KERNEL,
                    )?;
                    done.fetch_add(v.data_len(), Relaxed);
                }
                if !versions.is_empty() {
                    copied.insert(RBTreeNode::new(*oid, versions, GFP_KERNEL)?);
                }
            }
        }
        copy.next_seq.store(self.next_seq.load(Relaxed), Relaxed);
        let empty = core::mem::replace(&mut *copy.objects.lock(), copied);
        drop(empty);
        Ok(())
    }

    /// Bytes of data at or below `epoch`.
    pub(crate) fn bytes_at(&self, epoch: u64) -> u64 {
        let objects = self.objects.lock();
        objects.values().flat_map(|o| o.iter().take_while(|v| v.epoch <= epoch)).map(|v| v.data_len()).sum()
    }

    /// Bytes of data this shard holds.
    pub(crate) fn used(&self) -> u64 {
        let objects = self.objects.lock();
        objects
            .values()
            .flat_map(|o| o.iter())
            .map(|v| v.data_len() + CHANGE_OVERHEAD)
            .sum()
    }
}

/// `DAOS_IOC_TARGET_ST_DISABLED`, as the status type.
pub(crate) const STATUS_DISABLED: i32 = uapi::DAOS_IOC_TARGET_ST_DISABLED;
