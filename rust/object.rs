// SPDX-License-Identifier: GPL-2.0

//! Objects: open handles, and the reads, writes and punches that go to the
//! shard an object lives on.
//!
//! An object ID's `o_id_hi` is its shard, `o_id_lo` the object within it.
//! Objects always exist (the seed's create-on-write): a read of anything
//! never written returns zeros.
//!
//! A buffered write (an object opened with `DAOS_IOC_OBJ_IO_BUFFERED`)
//! copies the caller's data into the shard's writeback cache and completes
//! at once ([`crate::cache`]). Any other write copies the data at
//! submission, straight into the buffers the target keeps (one copy,
//! charged to the caller's memory cgroup and to the target's space), and
//! completes when the target has it. A read pins the caller's buffers at
//! submission and fills them from the work queue, with the cache's data
//! over the target's. All are bounded by `max_io_bytes`.

use kernel::{
    new_spinlock,
    prelude::*,
    sync::{
        Arc,
        SpinLock,
    },
    uaccess::{
        UserPtr,
        UserSlice, //
    },
};

use crate::{
    cache::{
        Pattern,
        Piece,
        ShardCache,
    },
    container::ContainerOpen,
    pure::extent::{
        pieces,
        Range,
    },
    request::{
        Job,
        Request,
        Step, //
    },
    sys::{
        params,
        user_pages::UserBuffers,
    },
    target::{
        ShardStore,
        Target,
        Version, //
    },
    uapi,
};

/// An open object.
pub(crate) struct ObjectOpen {
    pub(crate) open: Arc<ContainerOpen>,
    pub(crate) shard: u32,
    pub(crate) oid: u64,
    pub(crate) writable: bool,
    /// Writes go through the writeback cache, sent as `pattern` says.
    pub(crate) buffered: bool,
    pub(crate) pattern: Pattern,
}

impl ObjectOpen {
    /// Opens object `(oid_hi, oid_lo)` of `open` with `mode`.
    pub(crate) fn new(open: Arc<ContainerOpen>, oid_hi: u64, oid_lo: u64, mode: u32) -> Result<Arc<ObjectOpen>> {
        let access = mode & (uapi::DAOS_IOC_OBJ_RO | uapi::DAOS_IOC_OBJ_RW);
        let hints = uapi::DAOS_IOC_OBJ_IO_BUFFERED | uapi::DAOS_IOC_OBJ_IO_RAND | uapi::DAOS_IOC_OBJ_IO_SEQ;
        if mode & !(access | hints) != 0 || (access != uapi::DAOS_IOC_OBJ_RO && access != uapi::DAOS_IOC_OBJ_RW) {
            return Err(EINVAL);
        }
        let writable = access == uapi::DAOS_IOC_OBJ_RW;
        if writable {
            open.check_writer()?;
        }
        let shard = u32::try_from(oid_hi).ok().filter(|s| *s <= uapi::DAOS_SHARD_ID_MAX).ok_or(EINVAL)?;
        open.container.shard(shard)?;
        Ok(Arc::new(
            ObjectOpen {
                open,
                shard,
                oid: oid_lo,
                writable,
                buffered: mode & uapi::DAOS_IOC_OBJ_IO_BUFFERED != 0,
                pattern: if mode & uapi::DAOS_IOC_OBJ_IO_RAND != 0 {
                    Pattern::Random
                } else {
                    Pattern::Sequential
                },
            },
            GFP_KERNEL_ACCOUNT,
        )?)
    }

    /// The cache of the object's shard, still enabled.
    pub(crate) fn cache(&self) -> Result<Arc<ShardCache>> {
        self.open.container.cache(self.shard)
    }
}

/// Fragments copied from the caller: `(addr or offset, len)` pairs. A few
/// are kept inline, so that a typical call allocates nothing for them.
pub(crate) enum Frags {
    Inline([(u64, u64); INLINE_FRAGS], usize),
    Heap(KVec<(u64, u64)>),
}

const INLINE_FRAGS: usize = 4;

impl core::ops::Deref for Frags {
    type Target = [(u64, u64)];

    fn deref(&self) -> &[(u64, u64)] {
        match self {
            Frags::Inline(a, n) => &a[..*n],
            Frags::Heap(v) => v,
        }
    }
}

impl Frags {
    /// The fragments in a vector of their own.
    pub(crate) fn into_vec(self) -> Result<KVec<(u64, u64)>> {
        match self {
            Frags::Heap(v) => Ok(v),
            Frags::Inline(a, n) => {
                let mut v = KVec::with_capacity(n, GFP_KERNEL_ACCOUNT)?;
                v.extend_from_slice(&a[..n], GFP_KERNEL_ACCOUNT)?;
                Ok(v)
            }
        }
    }
}

/// Fragments copied from the caller: at most `DAOS_IO_FRAG_MAX`, adding up
/// to at most `max_io_bytes`. Returns them with their total.
pub(crate) fn read_frags(addr: u64, n: u32) -> Result<(Frags, u64)> {
    if n == 0 || n > uapi::DAOS_IO_FRAG_MAX || addr == 0 {
        return Err(EINVAL);
    }
    let n = n as usize;
    let bytes = n * core::mem::size_of::<uapi::daos_ioc_frag>();
    let ptr = UserPtr::from_addr(usize::try_from(addr).map_err(|_| EFAULT)?);
    let mut r = UserSlice::new(ptr, bytes).reader();
    let mut frags = if n <= INLINE_FRAGS {
        Frags::Inline([(0, 0); INLINE_FRAGS], 0)
    } else {
        Frags::Heap(KVec::with_capacity(n, GFP_KERNEL_ACCOUNT)?)
    };
    let mut total = 0u64;
    for _ in 0..n {
        let f: uapi::daos_ioc_frag = r.read()?;
        total = total.checked_add(f.len).ok_or(EINVAL)?;
        match &mut frags {
            Frags::Inline(a, len) => {
                a[*len] = (f.addr, f.len);
                *len += 1;
            }
            Frags::Heap(v) => v.push((f.addr, f.len), GFP_KERNEL_ACCOUNT)?,
        }
    }
    if total > params::max_io_bytes() {
        return Err(EINVAL);
    }
    Ok((frags, total))
}

/// The caller's memory fragments, read in order.
struct Gather<'a> {
    frags: core::slice::Iter<'a, (u64, u64)>,
    /// What is left of the current fragment.
    current: (u64, u64),
}

impl<'a> Gather<'a> {
    fn new(frags: &'a [(u64, u64)]) -> Gather<'a> {
        Gather {
            frags: frags.iter(),
            current: (0, 0),
        }
    }

    /// The next `n` bytes.
    fn read(&mut self, n: usize) -> Result<KVVec<u8>> {
        let mut data = KVVec::with_capacity(n, GFP_KERNEL_ACCOUNT)?;
        while data.len() < n {
            while self.current.1 == 0 {
                self.current = *self.frags.next().ok_or(EINVAL)?;
            }
            let (addr, left) = self.current;
            let take = left.min((n - data.len()) as u64);
            let ptr = UserPtr::from_addr(usize::try_from(addr).map_err(|_| EFAULT)?);
            UserSlice::new(ptr, take as usize).reader().read_all(&mut data, GFP_KERNEL_ACCOUNT)?;
            self.current = (addr + take, left - take);
        }
        Ok(data)
    }
}

/// The changes of one write or punch, applied in the work queue.
#[pin_data]
pub(crate) struct ChangeJob {
    store: Arc<ShardStore>,
    oid: u64,
    /// Taken by the run.
    #[pin]
    versions: SpinLock<KVec<Version>>,
}

impl ChangeJob {
    pub(crate) fn new(store: Arc<ShardStore>, oid: u64, versions: KVec<Version>) -> impl PinInit<Self, Error> {
        try_pin_init!(ChangeJob {
            store,
            oid,
            versions <- new_spinlock!(versions, "ChangeJob::versions"),
        })
    }
}

impl Job for ChangeJob {
    fn run(&self, _request: &Arc<Request<Self>>) -> Step {
        let versions = core::mem::take(&mut *self.versions.lock());
        let bytes = versions.iter().map(|v| v.data_len()).sum();
        self.store.target.serve(true, bytes);
        Step::Done(self.store.apply(self.oid, versions))
    }
}

/// `DAOS_IOC_OBJ_WRITE`'s changes, going around the cache: the data of the
/// memory fragments `mem`, laid over the object ranges `obj` at `epoch`,
/// each range a version with its space charged to the target.
pub(crate) fn write_versions(cache: &ShardCache, oid: u64, epoch: u64, mem: &[(u64, u64)], obj: &[(u64, u64)]) -> Result<KVec<Version>> {
    let mut versions = KVec::with_capacity(obj.len(), GFP_KERNEL_ACCOUNT)?;
    let mut source = Gather::new(mem);
    for &(offset, len) in obj.iter().filter(|o| o.1 > 0) {
        let n = usize::try_from(len).map_err(|_| EINVAL)?;
        let charge = cache.store.target.charge(len)?;
        let data = source.read(n)?;
        let seq = cache.bypass(epoch, oid, offset, offset + (len - 1))?;
        versions.push(Version::write(epoch, seq, offset, data, charge)?, GFP_KERNEL_ACCOUNT)?;
    }
    Ok(versions)
}

/// A buffered `DAOS_IOC_OBJ_WRITE`: the data of `mem` over the ranges
/// `obj`, cut into pieces of one chunk each, each charged to the target.
pub(crate) fn write_pieces(cache: &ShardCache, mem: &[(u64, u64)], obj: &[(u64, u64)]) -> Result<KVec<Piece>> {
    let target: &Arc<Target> = &cache.store.target;
    let mut out = KVec::new();
    let mut source = Gather::new(mem);
    for &(offset, len) in obj.iter() {
        let Some(r) = Range::at(offset, len) else {
            continue;
        };
        for range in pieces(r, cache.chunk_shift()) {
            let charge = target.charge(range.len())?;
            let data = source.read(range.len() as usize)?;
            out.push(Piece { range, data, charge }, GFP_KERNEL_ACCOUNT)?;
        }
    }
    Ok(out)
}

/// `DAOS_IOC_OBJ_READ`: the object's ranges into the pinned buffers.
pub(crate) struct ReadJob {
    pub(crate) cache: Arc<ShardCache>,
    pub(crate) oid: u64,
    pub(crate) epoch: u64,
    pub(crate) ranges: KVec<(u64, u64)>,
    pub(crate) out: UserBuffers,
}

impl Job for ReadJob {
    fn run(&self, _request: &Arc<Request<Self>>) -> Step {
        let bytes = self.ranges.iter().map(|r| r.1).sum();
        self.cache.store.target.serve(false, bytes);
        Step::Done(self.cache.read(self.oid, self.epoch, &self.ranges, &self.out))
    }
}
