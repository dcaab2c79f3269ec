// SPDX-License-Identifier: GPL-2.0

//! Objects: open handles, and the reads, writes and punches that go to the
//! shard an object lives on.
//!
//! An object ID's `o_id_hi` is its shard, `o_id_lo` the object within it.
//! Objects always exist (the seed's create-on-write): a read of anything
//! never written returns zeros.
//!
//! A write copies the caller's data at submission, straight into the
//! buffers the target keeps (one copy, charged to the caller's memory
//! cgroup and to the target's space). A read pins the caller's buffers at
//! submission and the target fills them from the work queue. Both are
//! bounded by `max_io_bytes`.

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
    container::ContainerOpen,
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
            },
            GFP_KERNEL_ACCOUNT,
        )?)
    }

    /// The store of the object's shard, still enabled.
    pub(crate) fn store(&self) -> Result<Arc<ShardStore>> {
        self.open.container.shard(self.shard)
    }
}

/// Fragments copied from the caller: `(addr or offset, len)` pairs, at
/// most `DAOS_IO_FRAG_MAX`, adding up to at most `max_io_bytes`. Returns
/// them with their total.
pub(crate) fn read_frags(addr: u64, n: u32) -> Result<(KVec<(u64, u64)>, u64)> {
    if n == 0 || n > uapi::DAOS_IO_FRAG_MAX || addr == 0 {
        return Err(EINVAL);
    }
    let n = n as usize;
    let bytes = n * core::mem::size_of::<uapi::daos_ioc_frag>();
    let ptr = UserPtr::from_addr(usize::try_from(addr).map_err(|_| EFAULT)?);
    let mut r = UserSlice::new(ptr, bytes).reader();
    let mut frags = KVec::with_capacity(n, GFP_KERNEL_ACCOUNT)?;
    let mut total = 0u64;
    for _ in 0..n {
        let f: uapi::daos_ioc_frag = r.read()?;
        total = total.checked_add(f.len).ok_or(EINVAL)?;
        frags.push((f.addr, f.len), GFP_KERNEL_ACCOUNT)?;
    }
    if total > params::max_io_bytes() {
        return Err(EINVAL);
    }
    Ok((frags, total))
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
        Step::Done(self.store.apply(self.oid, versions))
    }
}

/// `DAOS_IOC_OBJ_WRITE`'s changes: the data of the memory fragments `mem`,
/// laid over the object ranges `obj` at `epoch`, each range a version with
/// its space charged to the target.
pub(crate) fn write_versions(store: &Arc<ShardStore>, epoch: u64, mem: &[(u64, u64)], obj: &[(u64, u64)]) -> Result<KVec<Version>> {
    let mut versions = KVec::with_capacity(obj.len(), GFP_KERNEL_ACCOUNT)?;
    let mut source = mem.iter().copied().filter(|m| m.1 > 0);
    let mut current: Option<(u64, u64)> = None;
    for &(offset, len) in obj.iter().filter(|o| o.1 > 0) {
        let n = usize::try_from(len).map_err(|_| EINVAL)?;
        let charge = store.target.charge(len)?;
        let mut data = KVVec::with_capacity(n, GFP_KERNEL_ACCOUNT)?;
        while data.len() < n {
            let (addr, left) = match current.take() {
                Some(c) => c,
                None => source.next().ok_or(EINVAL)?,
            };
            let take = left.min((n - data.len()) as u64);
            let ptr = UserPtr::from_addr(usize::try_from(addr).map_err(|_| EFAULT)?);
            UserSlice::new(ptr, take as usize).reader().read_all(&mut data, GFP_KERNEL_ACCOUNT)?;
            if take < left {
                current = Some((addr + take, left - take));
            }
        }
        versions.push(Version::write(epoch, offset, data, charge)?, GFP_KERNEL_ACCOUNT)?;
    }
    Ok(versions)
}

/// `DAOS_IOC_OBJ_READ`: the object's ranges into the pinned buffers.
pub(crate) struct ReadJob {
    pub(crate) store: Arc<ShardStore>,
    pub(crate) oid: u64,
    pub(crate) epoch: u64,
    pub(crate) ranges: KVec<(u64, u64)>,
    pub(crate) out: UserBuffers,
}

impl Job for ReadJob {
    fn run(&self, _request: &Arc<Request<Self>>) -> Step {
        Step::Done(self.store.read(self.oid, self.epoch, &self.ranges, &self.out))
    }
}
