// SPDX-License-Identifier: GPL-2.0

//! The writeback cache of one shard of a container (seed: "Client Caching
//! and Writeback"; Lustre's `osc_cache.c` is the model for its rules).
//!
//! A buffered write (`DAOS_IOC_OBJ_IO_BUFFERED`) copies the caller's data
//! into an extent here and completes; the extents go to the target later,
//! in bulk requests of one object, one epoch and one *chunk* (the target's
//! request size, 1 MiB by default), through the target's [`Engine`]. A
//! sequential object (`IO_SEQ`, and objects without a hint) sends a chunk
//! once it is full; a random one (`IO_RAND`) sends what it wrote at once.
//! A flush sends everything up to its epoch and completes when the target
//! has all of it; a commit flushes first.
//!
//! Invariants, under `inner`:
//!
//! 1. `extents` holds the dirty data, keyed by (epoch, object, offset). The
//!    extents of one (epoch, object) never overlap: a write cuts what it
//!    covers out of the older extents (shrinking or splitting them), so the
//!    newest data wins.
//! 2. No extent straddles a chunk: a write is cut into [`pieces`] first. A
//!    request is therefore a set of whole extents.
//! 3. A new extent merges with the extents just before and after it when
//!    they touch and lie in its chunk (and none came back from a lost
//!    request, see 6): a chunk written in order is one extent.
//! 4. A request in `in_flight` holds the extents of one chunk of one
//!    (epoch, object), taken out of `extents`. A write that overlaps a
//!    request of its epoch and object waits for it to end, so a request the
//!    target lost finds its range free and goes back into `extents` as it
//!    was; a request of an aborted epoch is dropped when it ends.
//! 5. `bytes` is the data in `extents`; the engine's dirty count is that
//!    plus the requests in flight, over every cache of the target.
//! 6. An extent's `seq` is [`NEWEST`] until it is sent, then the store's
//!    next `seq` (kept if it comes back): the store orders the changes of
//!    an epoch by `seq`, so requests may arrive in any order. A write or
//!    punch that goes around the cache (not buffered) cuts what it covers
//!    out of the extents of its epoch first, so an unsent extent is always
//!    newer than anything of its epoch at the target.
//!
//! Reads see the cache: the extents and requests of the object at or below
//! the read's epoch are laid over the store's changes in (epoch, seq) order.
//!
//! Locks: a container's `inner`, then a cache's `inner`, then the store's;
//! the engine's lock is never held with a cache's.

use kernel::{
    impl_has_work,
    new_mutex,
    new_work,
    prelude::*,
    rbtree::{
        RBTree,
        RBTreeNodeReservation, //
    },
    sync::{
        atomic::{
            Atomic,
            Relaxed, //
        },
        Arc,
        Mutex,
    },
    workqueue::{
        Work,
        WorkItem, //
    },
};

use crate::{
    container::ContainerOpen,
    context::{
        Context,
        Running, //
    },
    engine::Engine,
    pure::extent::{
        chunk_of,
        cut,
        mergeable,
        Cut,
        Range, //
    },
    request::{
        park,
        unpark,
        Job,
        Request,
        Step, //
    },
    sys::{
        anchor::Anchor,
        shrinker::Shrink,
        user_copy::append_nofault,
        user_pages::UserBuffers,
        wait::{
            new_wait_queue,
            WaitQueue,
            Woke, //
        },
    },
    target::{
        Charge,
        Layer,
        ShardStore,
        Version, //
    },
};

/// The `seq` of an extent not sent yet: newer than anything of its epoch.
const NEWEST: u64 = u64::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    epoch: u64,
    oid: u64,
    start: u64,
}

/// Dirty data: `data.len()` bytes from its key's `start`.
struct Extent {
    seq: u64,
    data: KVVec<u8>,
    charge: Charge,
}

impl Extent {
    fn range(&self, start: u64) -> Range {
        Range {
            start,
            end: start + self.data.len() as u64,
        }
    }

    /// Takes the contents, leaving an empty extent in place.
    fn take(&mut self) -> Extent {
        Extent {
            seq: self.seq,
            data: core::mem::take(&mut self.data),
            charge: self.charge.split(u64::MAX),
        }
    }
}

/// A request at the target: extents of one chunk of one (epoch, object).
struct Bulk {
    number: u64,
    epoch: u64,
    oid: u64,
    span: Range,
    bytes: u64,
    extents: KVec<(u64, Extent)>,
    /// Their tree nodes, kept so that a lost request goes back without
    /// allocating.
    nodes: KVec<RBTreeNodeReservation<Key, Extent>>,
    /// Its epoch was aborted (or the shard dropped): it is dropped when it
    /// ends.
    cancelled: bool,
}

/// The fields of [`ShardCache`] protected by `inner`.
struct Inner {
    extents: RBTree<Key, Extent>,
    in_flight: KVec<Bulk>,
    next_number: u64,
    bytes: u64,
    /// Requests the target lost, ever; and whether a flush reported the
    /// last one yet.
    lost: u64,
    unreported: bool,
    /// Parked flushes, kicked whenever a request ends.
    flushers: KVec<Arc<Request<FlushJob>>>,
    /// The shard was disabled or its container removed.
    discarded: bool,
}

impl Inner {
    /// Bytes of the requests in flight numbered below `mark` at or below
    /// `epoch`: what a flush that sent up to `mark` still waits for.
    fn waiting_bytes(&self, mark: u64, epoch: u64) -> u64 {
        self.in_flight.iter().filter(|b| b.number < mark && b.epoch <= epoch).map(|b| b.bytes).sum()
    }
}

/// Where a cache stood when a flush had sent everything up to its epoch:
/// the next request's number, the requests lost so far, and the bytes in
/// flight the flush waits for.
struct Sent {
    mark: u64,
    lost: u64,
    waiting: u64,
}

#[pin_data]
pub(crate) struct ShardCache {
    pub(crate) store: Arc<ShardStore>,
    /// Log2 of the request size, from the target when the cache was made.
    chunk_shift: u32,
    #[pin]
    inner: Mutex<Inner>,
    /// Notified whenever a request ends: writers waiting for one.
    #[pin]
    settled: WaitQueue,
}

/// How a buffered write sends.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// Full chunks only (`DAOS_IOC_OBJ_IO_SEQ`, or no hint).
    Sequential,
    /// Everything written, at once (`DAOS_IOC_OBJ_IO_RAND`).
    Random,
}

/// One piece of a buffered write: its range (in one chunk), data, charge.
pub(crate) struct Piece {
    pub(crate) range: Range,
    pub(crate) data: KVVec<u8>,
    pub(crate) charge: Charge,
}

impl ShardCache {
    pub(crate) fn new(store: Arc<ShardStore>) -> Result<Arc<ShardCache>> {
        let chunk_shift = store.target.engine.request_shift();
        Arc::pin_init(
            try_pin_init!(ShardCache {
                store,
                chunk_shift,
                inner <- new_mutex!(
                    Inner {
                        extents: RBTree::new(),
                        in_flight: KVec::new(),
                        next_number: 1,
                        bytes: 0,
                        lost: 0,
                        unreported: false,
                        flushers: KVec::new(),
                        discarded: false,
                    },
                    "ShardCache::inner"
                ),
                settled <- new_wait_queue!(c"ShardCache::settled"),
            }),
            GFP_KERNEL_ACCOUNT,
        )
    }

    pub(crate) fn chunk_shift(&self) -> u32 {
        self.chunk_shift
    }

    fn engine(&self) -> &Engine {
        &self.store.target.engine
    }

    /// A buffered write of `pieces` (each in one chunk, in order) to object
    /// `oid` at `epoch`. Blocks (interruptibly) while the target is at its
    /// dirty limit, or while a request of the same range is in flight.
    pub(crate) fn write(self: &Arc<Self>, context: &Anchor<Context>, oid: u64, epoch: u64, pieces: KVec<Piece>, pattern: Pattern) -> Result {
        let total: u64 = pieces.iter().map(|p| p.range.len()).sum();
        self.wait_for_room(context, total)?;
        let (sends, result) = {
            let mut inner = loop {
                let inner = self.inner.lock();
                let t = self.settled.ticket();
                let busy = inner
                    .in_flight
                    .iter()
                    .any(|b| b.epoch == epoch && b.oid == oid && pieces.iter().any(|p| p.range.overlaps(b.span)));
                if !busy {
                    break inner;
                }
                drop(inner);
                if self.settled.sleep(t, None) == Woke::Signal {
                    return Err(ERESTARTSYS);
                }
            };
            if inner.discarded {
                return Err(ENODEV);
            }
            let mut sends = KVec::new();
            let mut result = Ok(());
            let mut pieces = pieces.into_iter().peekable();
            while let Some(p) = pieces.next() {
                let chunk = chunk_of(p.range.start, self.chunk_shift);
                // A piece that fails (ENOMEM) ends the write; what was
                // taken into requests before it is still sent.
                result = self.insert(&mut inner, epoch, oid, p, pattern);
                if result.is_err() {
                    break;
                }
                // Pieces come in order: a chunk is done when the next
                // piece is in another one.
                let next = pieces.peek().map(|q| chunk_of(q.range.start, self.chunk_shift));
                if next != Some(chunk) && (pattern == Pattern::Random || self.chunk_full(&inner, epoch, oid, chunk)) {
                    // As in `try_append`: a request that cannot be made now
                    // goes later; the data is cached either way.
                    if sends.reserve(1, GFP_KERNEL_ACCOUNT).is_ok() {
                        if let Ok(Some(s)) = self.take_chunk(&mut inner, context, epoch, oid, chunk) {
                            let _ = sends.push_within_capacity(s);
                        }
                    }
                }
            }
            (sends, result)
        };
        self.submit(sends);
        result
    }

    /// The common case of a sequential writer, without a buffer of its
    /// own: `len` bytes at user address `addr`, written at `offset` of
    /// `oid` at `epoch`, appended to the extent that ends there (if there
    /// is one with room, nothing else is in the way and the target has
    /// dirty room). Returns false when it did nothing: the caller takes the
    /// general path ([`write`](Self::write)).
    pub(crate) fn try_append(self: &Arc<Self>, context: &Anchor<Context>, oid: u64, epoch: u64, offset: u64, addr: u64, len: u64, pattern: Pattern) -> Result<bool> {
        let Some(r) = Range::at(offset, len) else {
            return Ok(false);
        };
        if chunk_of(r.start, self.chunk_shift) != chunk_of(r.end - 1, self.chunk_shift) || !self.engine().has_room(len) {
            return Ok(false);
        }
        let charge = self.store.target.charge(len)?;
        let key = Key { epoch, oid, start: r.start };
        let send = {
            let mut inner = self.inner.lock();
            let Some((k, prev, NEWEST)) = Self::before(&inner, &key) else {
                return Ok(false);
            };
            let clear = inner.extents.cursor_lower_bound(&key).is_none_or(|c| {
                let next = c.current().0;
                next.epoch != epoch || next.oid != oid || next.start >= r.end
            });
            let busy = inner.in_flight.iter().any(|b| b.epoch == epoch && b.oid == oid && b.span.overlaps(r));
            if prev.end != r.start || !mergeable(prev, r, self.chunk_shift) || !clear || busy || inner.discarded {
                return Ok(false);
            }
            let Some(x) = inner.extents.get_mut(&k) else {
                return Ok(false);
            };
            if !append_nofault(&mut x.data, addr, len as usize) {
                return Ok(false);
            }
            x.charge.join(charge);
            inner.bytes += len;
            self.engine().add_dirty(len);
            let chunk = chunk_of(r.start, self.chunk_shift);
            // The write is done: a request that cannot be made now goes
            // with a later one, or the flush.
            if pattern == Pattern::Random || self.chunk_full(&inner, epoch, oid, chunk) {
                self.take_chunk(&mut inner, context, epoch, oid, chunk).unwrap_or(None)
            } else {
                None
            }
        };
        if let Some(s) = send {
            self.engine().submit(s);
        }
        Ok(true)
    }

    /// Waits until `bytes` fit under the target's dirty limit, pushing the
    /// target's caches to write back meanwhile.
    fn wait_for_room(&self, context: &Anchor<Context>, bytes: u64) -> Result {
        let engine = self.engine();
        loop {
            let t = engine.room.ticket();
            if engine.has_room(bytes) {
                return Ok(());
            }
            writeback(context, Some(self.store.target.id), u64::MAX, false);
            if engine.room.sleep(t, None) == Woke::Signal {
                return Err(ERESTARTSYS);
            }
        }
    }

    /// The extent just before `key`, if it is of the same epoch and object.
    fn before(inner: &Inner, key: &Key) -> Option<(Key, Range, u64)> {
        let found = match inner.extents.cursor_lower_bound(key) {
            Some(c) => c.peek_prev().map(|(k, x)| (*k, x.range(k.start), x.seq)),
            None => inner.extents.cursor_back().map(|c| {
                let (k, x) = c.current();
                (*k, x.range(k.start), x.seq)
            }),
        }?;
        (found.0.epoch == key.epoch && found.0.oid == key.oid).then_some(found)
    }

    /// Cuts `r` out of the extents of (`epoch`, `oid`): what a newer write
    /// or punch covers. Allocates (at most one node and one buffer, for a
    /// split) before changing anything.
    fn cut_range(&self, inner: &mut Inner, epoch: u64, oid: u64, r: Range) -> Result {
        let at = Key { epoch, oid, start: r.start };
        let mut hit: KVec<(Key, Range)> = KVec::new();
        if let Some((k, range, _)) = Self::before(inner, &at) {
            if range.overlaps(r) {
                hit.push((k, range), GFP_KERNEL_ACCOUNT)?;
            }
        }
        let mut c = inner.extents.cursor_lower_bound_mut(&at);
        while let Some(cur) = c {
            let (k, x) = cur.current();
            if k.epoch != epoch || k.oid != oid || k.start >= r.end {
                break;
            }
            hit.push((*k, x.range(k.start)), GFP_KERNEL_ACCOUNT)?;
            c = cur.move_next();
        }
        if hit.is_empty() {
            return Ok(());
        }
        // Only an extent covering both ends of `r` splits, and then it is
        // the only one hit; only the last one hit can lose its front.
        let mut spare_node = None;
        let mut spare_data = None;
        if let Some(&(_, last)) = hit.last() {
            match cut(last, r) {
                Cut::Split(_, back) => {
                    spare_node = Some(RBTreeNodeReservation::new(GFP_KERNEL_ACCOUNT)?);
                    spare_data = Some(KVVec::with_capacity(back.len() as usize, GFP_KERNEL_ACCOUNT)?);
                }
                Cut::Back(_) => spare_node = Some(RBTreeNodeReservation::new(GFP_KERNEL_ACCOUNT)?),
                _ => {}
            }
        }
        let mut removed = 0u64;
        for &(k, old) in hit.iter() {
            match cut(old, r) {
                Cut::Untouched => {}
                Cut::Gone => {
                    if let Some(node) = inner.extents.remove_node(&k) {
                        removed += old.len();
                        drop(node);
                    }
                }
                Cut::Front(front) => {
                    if let Some(x) = inner.extents.get_mut(&k) {
                        x.data.truncate(front.len() as usize);
                        drop(x.charge.split(old.len() - front.len()));
                        removed += old.len() - front.len();
                    }
                }
                Cut::Back(back) => {
                    let (Some(node), Some(spare)) = (inner.extents.remove_node(&k), spare_node.take()) else {
                        continue;
                    };
                    let (_, mut x) = node.to_key_value();
                    let skip = (back.start - old.start) as usize;
                    x.data.copy_within(skip.., 0);
                    x.data.truncate(back.len() as usize);
                    drop(x.charge.split(skip as u64));
                    removed += skip as u64;
                    inner.extents.insert(spare.into_node(Key { start: back.start, ..k }, x));
                }
                Cut::Split(front, back) => {
                    let (Some(x), Some(spare), Some(mut data)) = (inner.extents.get_mut(&k), spare_node.take(), spare_data.take()) else {
                        continue;
                    };
                    let from = (back.start - old.start) as usize;
                    // Cannot fail: the capacity was allocated above.
                    data.extend_from_slice(&x.data[from..], GFP_NOWAIT)?;
                    x.data.truncate(front.len() as usize);
                    let charge = x.charge.split(back.len());
                    drop(x.charge.split(r.len()));
                    let seq = x.seq;
                    removed += r.len();
                    inner.extents.insert(spare.into_node(Key { start: back.start, ..k }, Extent { seq, data, charge }));
                }
            }
        }
        inner.bytes -= removed;
        self.engine().sub_dirty(removed);
        Ok(())
    }

    /// Puts piece `p` into the extents: cuts what it covers, merges it
    /// with its neighbours. Everything that may fail comes first.
    fn insert(&self, inner: &mut Inner, epoch: u64, oid: u64, p: Piece, pattern: Pattern) -> Result {
        let Piece { range: r, mut data, mut charge } = p;
        let shift = self.chunk_shift;
        let key = Key { epoch, oid, start: r.start };
        // Inside an unsent extent: overwritten in place (the newest data
        // wins either way), its space already charged.
        let within = match inner.extents.get(&key) {
            Some(x) => Some((key, x.range(r.start), x.seq)),
            None => Self::before(inner, &key),
        };
        if let Some((k, x_range, NEWEST)) = within {
            if x_range.start <= r.start && r.end <= x_range.end {
                if let Some(x) = inner.extents.get_mut(&k) {
                    let at = (r.start - x_range.start) as usize;
                    x.data[at..at + data.len()].copy_from_slice(&data);
                    return Ok(());
                }
            }
        }
        let next_key = Key { epoch, oid, start: r.end };
        let next = inner.extents.get(&next_key).map(|x| (x.seq, x.range(r.end)));
        let next_len = match next {
            Some((NEWEST, n)) if mergeable(r, n, shift) => n.len() as usize,
            _ => 0,
        };
        // The extent before it, once cut, ends where it starts: it takes
        // the new data (and the next extent's) if it has room.
        let mut into_prev = None;
        if let Some((k, prev, NEWEST)) = Self::before(inner, &key) {
            let cut_prev = Range { start: prev.start, end: r.start };
            if prev.end >= r.start && mergeable(cut_prev, r, shift) {
                if let Some(x) = inner.extents.get_mut(&k) {
                    let keep = (r.start - prev.start) as usize;
                    let need = (keep + data.len() + next_len).saturating_sub(x.data.len());
                    if x.data.reserve(need, GFP_KERNEL_ACCOUNT).is_ok() {
                        into_prev = Some(k);
                    }
                }
            }
        }
        let node = match into_prev {
            Some(_) => None,
            None => Some(RBTreeNodeReservation::new(GFP_KERNEL_ACCOUNT)?),
        };
        self.cut_range(inner, epoch, oid, r)?;
        inner.bytes += r.len();
        self.engine().add_dirty(r.len());
        // The extent after it joins it.
        if next_len > 0 {
            if data.reserve(next_len, GFP_KERNEL_ACCOUNT).is_ok() {
                if let Some(n) = inner.extents.remove_node(&next_key) {
                    let (_, x) = n.to_key_value();
                    // Cannot fail: reserved above.
                    data.extend_from_slice(&x.data, GFP_NOWAIT)?;
                    charge.join(x.charge);
                }
            }
        }
        if let Some(x) = into_prev.and_then(|k| inner.extents.get_mut(&k)) {
            // Cannot fail: room reserved above.
            if x.data.extend_from_slice(&data, GFP_KERNEL_ACCOUNT).is_ok() {
                x.charge.join(charge);
                return Ok(());
            }
        }
        let node = match node {
            Some(n) => n,
            None => RBTreeNodeReservation::new(GFP_KERNEL_ACCOUNT)?,
        };
        let chunk = 1usize << shift;
        if pattern == Pattern::Sequential && r.start & (chunk as u64 - 1) == 0 {
            // The first piece of a chunk written in order: room for the
            // whole chunk, so that the rest appends without moving it.
            let _ = data.reserve(chunk.saturating_sub(data.len()), GFP_KERNEL_ACCOUNT);
        }
        let extent = Extent {
            seq: NEWEST,
            data,
            charge,
        };
        inner.extents.insert(node.into_node(key, extent));
        Ok(())
    }

    /// Whether chunk `chunk` of (`epoch`, `oid`) is one full extent.
    fn chunk_full(&self, inner: &Inner, epoch: u64, oid: u64, chunk: u64) -> bool {
        let Some(start) = chunk.checked_shl(self.chunk_shift) else {
            return false;
        };
        inner
            .extents
            .get(&Key { epoch, oid, start })
            .is_some_and(|x| x.data.len() as u64 == 1u64 << self.chunk_shift)
    }

    /// Takes chunk `chunk` of (`epoch`, `oid`) out of the extents into a
    /// request; `None` if it holds nothing. Allocates everything before
    /// taking anything.
    fn take_chunk(self: &Arc<Self>, inner: &mut Inner, context: &Anchor<Context>, epoch: u64, oid: u64, chunk: u64) -> Result<Option<Arc<SendWork>>> {
        let start = chunk << self.chunk_shift;
        let first = Key { epoch, oid, start };
        let in_chunk = |k: &Key| k.epoch == epoch && k.oid == oid && chunk_of(k.start, self.chunk_shift) == chunk;
        // Count first.
        let (mut n, mut bytes, mut end) = (0usize, 0u64, start);
        let mut c = inner.extents.cursor_lower_bound_mut(&first);
        while let Some(cur) = c {
            let (k, x) = cur.current();
            if !in_chunk(k) {
                break;
            }
            n += 1;
            bytes += x.data.len() as u64;
            end = x.range(k.start).end;
            c = cur.move_next();
        }
        if n == 0 {
            return Ok(None);
        }
        let number = inner.next_number;
        let work = SendWork::new(self.clone(), context, number, bytes)?;
        inner.in_flight.reserve(1, GFP_KERNEL_ACCOUNT)?;
        let mut extents = KVec::with_capacity(n, GFP_KERNEL_ACCOUNT)?;
        let mut nodes = KVec::with_capacity(n, GFP_KERNEL_ACCOUNT)?;
        let mut span_start = u64::MAX;
        let mut c = inner.extents.cursor_lower_bound_mut(&first);
        while let Some(mut cur) = c {
            if !in_chunk(cur.current().0) {
                break;
            }
            let k = *cur.current().0;
            let x = cur.current_mut().1;
            if x.seq == NEWEST {
                x.seq = self.store.seq();
            }
            let taken = x.take();
            span_start = span_start.min(k.start);
            let (next, node) = cur.remove_current();
            // Cannot fail: room for `n` allocated above.
            let _ = extents.push_within_capacity((k.start, taken));
            let _ = nodes.push_within_capacity(node.into_reservation());
            c = next;
        }
        inner.next_number += 1;
        inner.bytes -= bytes;
        // Cannot fail: room reserved above.
        let _ = inner.in_flight.push_within_capacity(Bulk {
            number,
            epoch,
            oid,
            span: Range { start: span_start, end },
            bytes,
            extents,
            nodes,
            cancelled: false,
        });
        Ok(Some(work))
    }

    /// Takes every extent at or below `epoch` into requests.
    fn take_upto(self: &Arc<Self>, inner: &mut Inner, context: &Anchor<Context>, epoch: u64, sends: &mut KVec<Arc<SendWork>>) -> Result {
        loop {
            let Some((k, _)) = inner.extents.cursor_front().map(|c| {
                let (k, x) = c.current();
                (*k, x.data.len())
            }) else {
                return Ok(());
            };
            if k.epoch > epoch {
                return Ok(());
            }
            sends.reserve(1, GFP_KERNEL_ACCOUNT)?;
            if let Some(s) = self.take_chunk(inner, context, k.epoch, k.oid, chunk_of(k.start, self.chunk_shift))? {
                let _ = sends.push_within_capacity(s);
            }
        }
    }

    /// Sends everything at or below `epoch` (a flush's first step).
    fn send_upto(self: &Arc<Self>, context: &Anchor<Context>, epoch: u64) -> Result<Sent> {
        let mut sends = KVec::new();
        let (result, sent) = {
            let mut inner = self.inner.lock();
            let lost = inner.lost;
            let r = self.take_upto(&mut inner, context, epoch, &mut sends);
            let mark = inner.next_number;
            let waiting = inner.waiting_bytes(mark, epoch);
            (r, Sent { mark, lost, waiting })
        };
        self.submit(sends);
        result.map(|()| sent)
    }

    fn submit(&self, sends: KVec<Arc<SendWork>>) {
        for s in sends.into_iter() {
            self.engine().submit(s);
        }
    }

    /// Request `number` ended at the target: applied, or `lost`.
    fn complete(&self, number: u64, lost: bool) {
        let mut inner = self.inner.lock();
        let Some(i) = inner.in_flight.iter().position(|b| b.number == number) else {
            return;
        };
        let Ok(mut bulk) = inner.in_flight.remove(i) else {
            return;
        };
        let mut gone = bulk.bytes;
        if !bulk.cancelled && !inner.discarded {
            let n = bulk.extents.len();
            let (epoch, oid) = (bulk.epoch, bulk.oid);
            let mut versions = core::iter::from_fn(|| {
                let (start, x) = bulk.extents.pop()?;
                Version::write(epoch, x.seq, start, x.data, x.charge).ok()
            });
            let applied = !lost && self.store.apply_with(oid, n, &mut versions).is_ok();
            drop(versions);
            if !applied {
                // Back as it was: nothing of its range was written since
                // (writers wait for it), and nothing is lost.
                inner.lost += 1;
                inner.unreported = true;
                inner.bytes += bulk.bytes;
                gone = 0;
                for ((start, x), node) in bulk.extents.drain_all().zip(bulk.nodes.drain_all()) {
                    inner.extents.insert(node.into_node(Key { epoch, oid, start }, x));
                }
            }
        }
        let flushers = core::mem::take(&mut inner.flushers);
        drop(inner);
        self.engine().sub_dirty(gone);
        self.settled.notify_all();
        for f in flushers.iter() {
            f.kick();
        }
    }

    /// A read of object `oid` at `epoch` (each `(offset, len)` of `ranges`
    /// into `out`): the store's data with this cache's laid over it.
    pub(crate) fn read(&self, oid: u64, epoch: u64, ranges: &[(u64, u64)], out: &UserBuffers) -> Result {
        let inner = self.inner.lock();
        let mut layers = KVec::new();
        // Keys are ordered by epoch first: visit the object's extents
        // epoch by epoch, jumping over the other objects.
        let mut at = Some(Key { epoch: 0, oid, start: 0 });
        while let Some(key) = at {
            let Some(k) = inner.extents.cursor_lower_bound(&key).map(|c| *c.current().0) else {
                break;
            };
            if k.epoch > epoch {
                break;
            }
            at = if k.oid == oid {
                let Some(x) = inner.extents.get(&k) else {
                    break;
                };
                let layer = Layer {
                    epoch: k.epoch,
                    seq: x.seq,
                    first: k.start,
                    data: &x.data,
                };
                layers.push(layer, GFP_KERNEL_ACCOUNT)?;
                // An extent is never empty: its start is below u64::MAX.
                Some(Key { start: k.start + 1, ..k })
            } else if k.oid < oid {
                Some(Key { epoch: k.epoch, oid, start: 0 })
            } else {
                k.epoch.checked_add(1).map(|epoch| Key { epoch, oid, start: 0 })
            };
        }
        for b in inner.in_flight.iter().filter(|b| b.oid == oid && b.epoch <= epoch && !b.cancelled) {
            for (start, x) in b.extents.iter() {
                layers.push(
                    Layer {
                        epoch: b.epoch,
                        seq: x.seq,
                        first: *start,
                        data: &x.data,
                    },
                    GFP_KERNEL_ACCOUNT,
                )?;
            }
        }
        // Nearly sorted already (the tree's order, then a few requests):
        // an insertion sort.
        for i in 1..layers.len() {
            let mut j = i;
            while j > 0 && (layers[j - 1].epoch, layers[j - 1].seq) > (layers[j].epoch, layers[j].seq) {
                layers.swap(j - 1, j);
                j -= 1;
            }
        }
        self.store.read(oid, epoch, ranges, out, &layers)
    }

    /// A write or punch going around the cache: cuts `first..=last` out of
    /// the extents of (`epoch`, `oid`). Returns the seq it goes with.
    pub(crate) fn bypass(&self, epoch: u64, oid: u64, first: u64, last: u64) -> Result<u64> {
        let mut inner = self.inner.lock();
        let r = Range {
            start: first,
            end: last.saturating_add(1),
        };
        if r.start < r.end {
            self.cut_range(&mut inner, epoch, oid, r)?;
        }
        Ok(self.store.seq())
    }

    /// Drops `epoch` and later: their extents now, their requests when
    /// they end.
    pub(crate) fn abort(&self, epoch: u64) {
        let mut inner = self.inner.lock();
        let mut removed = 0;
        let mut c = inner.extents.cursor_lower_bound_mut(&Key { epoch, oid: 0, start: 0 });
        while let Some(cur) = c {
            // Removing the last node moves the cursor back: stop there.
            if cur.current().0.epoch < epoch {
                break;
            }
            removed += cur.current().1.data.len() as u64;
            c = cur.remove_current().0;
        }
        inner.bytes -= removed;
        for b in inner.in_flight.iter_mut().filter(|b| b.epoch >= epoch) {
            b.cancelled = true;
        }
        drop(inner);
        self.engine().sub_dirty(removed);
    }

    /// Drops everything (the shard is disabled or removed).
    pub(crate) fn discard(&self) {
        let mut inner = self.inner.lock();
        inner.discarded = true;
        drop(inner);
        self.abort(0);
    }

    /// Whether request `number`s below `mark` at or below `epoch` are still
    /// in flight (bytes), parking `request` to be kicked when one ends.
    fn pending(&self, mark: u64, epoch: u64, request: &Arc<Request<FlushJob>>) -> Result<u64> {
        let mut inner = self.inner.lock();
        let bytes = inner.waiting_bytes(mark, epoch);
        if bytes > 0 {
            if let Step::Done(Err(e)) = park(&mut inner.flushers, request) {
                return Err(e);
            }
        }
        Ok(bytes)
    }
}

/// One request on its way: serves it at the target's speed, then applies
/// it (or loses it) and frees its slot.
#[pin_data]
pub(crate) struct SendWork {
    cache: Arc<ShardCache>,
    number: u64,
    pub(crate) bytes: u64,
    running: Running,
    #[pin]
    work: Work<SendWork>,
}

impl_has_work! {
    impl HasWork<Self> for SendWork { self.work }
}

impl SendWork {
    fn new(cache: Arc<ShardCache>, context: &Anchor<Context>, number: u64, bytes: u64) -> Result<Arc<SendWork>> {
        Arc::pin_init(
            pin_init!(SendWork {
                cache,
                number,
                bytes,
                running: Running::new(context),
                work <- new_work!("SendWork::work"),
            }),
            GFP_KERNEL_ACCOUNT,
        )
    }

    /// Puts it on the work queue (the engine gave it a slot).
    pub(crate) fn start(self: Arc<Self>) {
        let queue = &self.running.queue;
        let _ = queue.enqueue(self.clone());
    }
}

impl WorkItem for SendWork {
    type Pointer = Arc<Self>;

    fn run(this: Arc<Self>) {
        let target = &this.cache.store.target;
        target.serve(true, this.bytes);
        let lost = target.engine.loses() || target.check_up().is_err();
        this.cache.complete(this.number, lost);
        target.engine.finished();
    }
}

/// Sends what the caches hold: every cache's (or those of target
/// `target`), until about `bytes` were sent. Without `block`, skips caches
/// whose locks are taken (the shrinker must not wait for a lock an
/// allocating writer holds). Returns the bytes sent.
pub(crate) fn writeback(context: &Anchor<Context>, target: Option<u32>, bytes: u64, block: bool) -> u64 {
    let mut sent = 0u64;
    context.system.containers.each_cache(block, |cache| {
        if sent >= bytes || target.is_some_and(|t| t != cache.store.target.id) {
            return;
        }
        let mut sends = KVec::new();
        {
            let mut inner = match block {
                true => cache.inner.lock(),
                false => match cache.inner.try_lock() {
                    Some(g) => g,
                    None => return,
                },
            };
            let _ = cache.take_upto(&mut inner, context, u64::MAX, &mut sends);
        }
        sent += sends.iter().map(|s| s.bytes).sum::<u64>();
        cache.submit(sends);
    });
    sent
}

/// Bytes cached and not sent, over every cache (without waiting for a
/// lock: the shrinker's count).
pub(crate) fn dirty_bytes(context: &Context) -> u64 {
    let mut bytes = 0;
    context.system.containers.each_cache(false, |cache| {
        if let Some(inner) = cache.inner.try_lock() {
            bytes += inner.bytes;
        }
    });
    bytes
}

/// `DAOS_IOC_CO_FLUSH`, `DAOS_IOC_SHARD_FLUSH` and `DAOS_IOC_EPOCH_COMMIT`:
/// sends everything of `caches` up to `epoch`, waits until the target has
/// it, and (for a commit) commits. A request the target lost makes it
/// fail with `EIO`; its data stays cached for the next flush.
#[pin_data]
pub(crate) struct FlushJob {
    pub(crate) open: Arc<ContainerOpen>,
    pub(crate) caches: KVec<Arc<ShardCache>>,
    pub(crate) epoch: u64,
    pub(crate) commit: bool,
    /// Per cache, set by the first run: the request number it waits below,
    /// and the cache's lost count then.
    #[pin]
    pub(crate) marks: Mutex<KVec<(u64, u64)>>,
    pub(crate) total: Atomic<u64>,
    pub(crate) done: Atomic<u64>,
}

impl FlushJob {
    pub(crate) fn new(open: Arc<ContainerOpen>, caches: KVec<Arc<ShardCache>>, epoch: u64, commit: bool) -> impl PinInit<Self, Error> {
        try_pin_init!(FlushJob {
            open,
            caches,
            epoch,
            commit,
            marks <- new_mutex!(KVec::new(), "FlushJob::marks"),
            total: Atomic::new(0),
            done: Atomic::new(0),
        })
    }

    /// Sends, and notes where each cache stands.
    fn start(&self, request: &Arc<Request<Self>>, marks: &mut KVec<(u64, u64)>) -> Result {
        marks.reserve(self.caches.len(), GFP_KERNEL_ACCOUNT)?;
        let mut total = 0;
        for cache in self.caches.iter() {
            let sent = cache.send_upto(request.anchor(), self.epoch)?;
            let _ = marks.push_within_capacity((sent.mark, sent.lost));
            total += sent.waiting;
        }
        self.total.store(total, Relaxed);
        Ok(())
    }

    fn step(&self, request: &Arc<Request<Self>>) -> Result<bool> {
        let mut marks = self.marks.lock();
        if marks.is_empty() {
            self.start(request, &mut marks)?;
        }
        let mut left = 0;
        for (cache, &(mark, _)) in self.caches.iter().zip(marks.iter()) {
            left += cache.pending(mark, self.epoch, request)?;
        }
        self.done.store(self.total.load(Relaxed).saturating_sub(left), Relaxed);
        if left > 0 {
            return Ok(false);
        }
        // Every cache is asked, so that each report is taken.
        let mut failed = false;
        for (cache, &(_, lost)) in self.caches.iter().zip(marks.iter()) {
            let mut inner = cache.inner.lock();
            // A loss since the last flush's report, or during this flush.
            failed |= core::mem::take(&mut inner.unreported) | (inner.lost != lost);
        }
        if failed {
            return Err(EIO);
        }
        Ok(true)
    }
}

impl Job for FlushJob {
    fn progress(&self) -> Option<(u64, u64)> {
        Some((self.done.load(Relaxed), self.total.load(Relaxed)))
    }

    fn run(&self, request: &Arc<Request<Self>>) -> Step {
        if !self.open.usable() {
            return Step::Done(Err(EBADF));
        }
        match self.step(request) {
            Ok(false) => Step::Park,
            Ok(true) if self.commit => Step::Done(self.open.container.commit(self.epoch)),
            Ok(true) => Step::Done(Ok(())),
            Err(e) => Step::Done(Err(e)),
        }
    }

    fn cancel(&self, request: &Arc<Request<Self>>) {
        for cache in self.caches.iter() {
            unpark(&mut cache.inner.lock().flushers, request);
        }
    }
}

/// The shrinker's view of the caches: their dirty pages, written back on
/// demand. (The local target keeps what it is sent; with a remote one the
/// pages are freed as their requests complete.)
pub(crate) struct Reclaim(pub(crate) Anchor<Context>);

impl Shrink for Reclaim {
    fn count(&self) -> u64 {
        dirty_bytes(&self.0) / PAGE
    }

    fn scan(&self, pages: u64) -> u64 {
        writeback(&self.0, None, pages.saturating_mul(PAGE), false).div_ceil(PAGE)
    }
}

const PAGE: u64 = 4096;
