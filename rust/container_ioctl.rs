// SPDX-License-Identifier: GPL-2.0

//! The container, shard, object and epoch commands.
//!
//! Each handler reads its structure once, checks every field, the handles
//! and the capability, and takes from the caller what the operation needs;
//! then either the operation is submitted as a [`request`](crate::request)
//! (everything that reaches a target) or, for what only reads or changes
//! the module's own tables (opens, queries, shard layout), the result is
//! written back and the event completes at once.

use kernel::{
    prelude::*,
    sync::atomic::Atomic,
    uaccess::{
        UserPtr,
        UserSlice, //
    },
};

use crate::{
    cache::FlushJob,
    change_log::ListenOut,
    container::{
        CloseJob,
        ShardsJob,
        ListenJob as CoListenJob,
        SnapshotJob,
        DestroyJob,
        EpochJob,
        EpochOp,
        WaitJob,
        EPOCH_HIGHEST, //
    },
    device::DaosFile,
    ioctl::{
        zero,
        Arg, //
    },
    object::{
        read_frags,
        write_pieces,
        write_versions,
        ChangeJob,
        ObjectOpen,
        ReadJob, //
    },
    pure::{
        event_table::EventId,
        topology::Subtree,
    },
    request::{
        submit,
        submit_init, //
    },
    sys::{
        container_file::ContainerFile,
        user_pages::{
            UserBuffers,
            UserPages, //
        },
    },
    system::{
        ListenJob as SysListenJob,
        SysOpen,
    },
    target::Version,
    uapi,
};

/// Completes the event of an operation that finished inside the ioctl.
fn done_now(file: &DaosFile, ev: uapi::daos_ioc_ev) -> Result<isize> {
    match (ev.eqh, ev.id) {
        (0, 0) => Ok(0),
        (0, _) | (_, 0) => Err(EINVAL),
        (eqh, id) => {
            file.eq(eqh)?.complete_now(EventId(id), 0)?;
            Ok(0)
        }
    }
}

/// Writes back `a`, which hands out a new handle, and completes the event;
/// if either fails, the caller cannot learn the handle: `undo` takes it
/// back.
fn handed_out<T: kernel::transmute::AsBytes>(
    file: &DaosFile,
    arg: Arg,
    a: &T,
    ev: uapi::daos_ioc_ev,
    undo: impl FnOnce(),
) -> Result<isize> {
    if let Err(e) = arg.write(a).and_then(|_| done_now(file, ev).map(|_| ())) {
        undo();
        return Err(e);
    }
    Ok(0)
}

/// `EINVAL` unless the event names none or both; `EBADF` for an EQ that
/// is not the caller's. Checked before anything happens, so that an
/// operation never starts that could not complete its event.
fn check_ev(file: &DaosFile, ev: &uapi::daos_ioc_ev) -> Result {
    if (ev.eqh == 0) != (ev.id == 0) {
        return Err(EINVAL);
    }
    if ev.eqh != 0 {
        file.eq(ev.eqh)?;
    }
    Ok(())
}

fn user(addr: u64, len: usize) -> Result<UserSlice> {
    Ok(UserSlice::new(UserPtr::from_addr(usize::try_from(addr).map_err(|_| EFAULT)?), len))
}

/// Reads `n` (1..DAOS_SHARD_BATCH_MAX) 32-bit values from `addr`.
fn read_u32s(addr: u64, n: u32) -> Result<KVec<u32>> {
    if n == 0 || n > uapi::DAOS_SHARD_BATCH_MAX || addr == 0 {
        return Err(EINVAL);
    }
    let mut raw = KVec::new();
    user(addr, n as usize * 4)?.read_all(&mut raw, GFP_KERNEL_ACCOUNT)?;
    let mut out = KVec::with_capacity(n as usize, GFP_KERNEL_ACCOUNT)?;
    for c in raw.chunks_exact(4) {
        out.push(u32::from_ne_bytes([c[0], c[1], c[2], c[3]]), GFP_KERNEL_ACCOUNT)?;
    }
    Ok(out)
}

fn write_u32s(addr: u64, values: &[u32]) -> Result {
    let mut w = user(addr, values.len() * 4)?.writer();
    for v in values {
        w.write_slice(&v.to_ne_bytes())?;
    }
    Ok(())
}

pub(crate) fn co_open(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_co_open = arg.read()?;
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    let access = a.mode & (uapi::DAOS_IOC_COO_RO | uapi::DAOS_IOC_COO_RW);
    if a.mode & !(access | uapi::DAOS_IOC_COO_CREATE) != 0
        || (access != uapi::DAOS_IOC_COO_RO && access != uapi::DAOS_IOC_COO_RW)
    {
        return Err(EINVAL);
    }
    let cf = ContainerFile::from_fd(a.fd)?;
    let create = a.mode & uapi::DAOS_IOC_COO_CREATE != 0;
    let open = file.context.system.containers.open(&cf, create, access == uapi::DAOS_IOC_COO_RW)?;
    a.coh = file.co_insert(open)?;
    a.status = uapi::DAOS_IOC_CO_ST_HEALTHY;
    handed_out(file, arg, &a, a.ev, || {
        if let Ok(open) = file.co_remove(a.coh) {
            open.close();
        }
    })
}

pub(crate) fn co_close(file: &DaosFile, a: uapi::daos_ioc_co) -> Result<isize> {
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    let open = file.co_remove(a.coh)?;
    // The handle is gone: the close happens even if the submission fails.
    submit(file, a.ev, CloseJob(open.clone())).inspect_err(|_| open.close())?;
    Ok(0)
}

pub(crate) fn co_unlink(file: &DaosFile, a: uapi::daos_ioc_co_unlink) -> Result<isize> {
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    let cf = ContainerFile::from_fd(a.fd)?;
    let container = file.context.system.containers.unlink(&cf)?;
    submit(file, a.ev, DestroyJob(container))?;
    Ok(0)
}

pub(crate) fn co_query(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_co_query = arg.read()?;
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    let info = file.co(a.coh)?.container.info();
    if a.epoch == EPOCH_HIGHEST || a.epoch > info.hce {
        a.epoch = info.hse;
    }
    a.uid = info.uid;
    a.gid = info.gid;
    a.nshard = info.nshard;
    a.nshard_stuck = info.stuck;
    a.nshard_disabled = info.disabled;
    arg.write(&a)?;
    done_now(file, a.ev)
}

pub(crate) fn co_list_shard(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_list_shard = arg.read()?;
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    if a.opc > uapi::DAOS_IOC_SHARD_LS_DISABLED || a.n == 0 || a.n > uapi::DAOS_SHARD_BATCH_MAX || a.shards == 0 {
        return Err(EINVAL);
    }
    let open = file.co(a.coh)?;
    let mut ids = KVec::from_elem(u32::MAX, a.n as usize, GFP_KERNEL_ACCOUNT)?;
    let (_, next) = open.container.list_shards(a.opc, a.anchor, &mut ids);
    a.anchor = next.unwrap_or(EPOCH_HIGHEST);
    write_u32s(a.shards, &ids)?;
    arg.write(&a)?;
    done_now(file, a.ev)
}

pub(crate) fn shard_add(file: &DaosFile, a: uapi::daos_ioc_shards, disable: bool) -> Result<isize> {
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    if disable != (a.targets == 0) {
        return Err(EINVAL);
    }
    let open = file.co(a.coh)?;
    open.check_writer()?;
    let ids = read_u32s(a.shards, a.n)?;
    let targets = if disable {
        None
    } else {
        let wanted = read_u32s(a.targets, a.n)?;
        let mut targets = KVec::with_capacity(wanted.len(), GFP_KERNEL_ACCOUNT)?;
        for t in wanted.iter() {
            targets.push(file.context.target(*t).ok(), GFP_KERNEL_ACCOUNT)?;
        }
        Some(targets)
    };
    // The results go back into the caller's array when the job ran.
    let out = UserPages::pin(a.shards, u64::from(a.n) * 4)?;
    submit(
        file,
        a.ev,
        ShardsJob {
            open,
            epoch: a.epoch,
            ids,
            targets,
            out,
        },
    )?;
    Ok(0)
}

pub(crate) fn shard_query(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_shard_query = arg.read()?;
    zero(a.flags)?;
    zero(a.reserved)?;
    check_ev(file, &a.ev)?;
    let s = file.co(a.coh)?.container.shard_info(a.shard)?;
    if a.epoch == EPOCH_HIGHEST || a.epoch > s.hce {
        a.epoch = s.hse;
    }
    a.target = s.target.id;
    a.status = s.status;
    let l = s.target.location();
    a.type_ = s.target.kind();
    (a.cage, a.rack, a.node) = (l.cage, l.rack, l.node);
    a.nobjs = s.store.count(a.epoch);
    a.used = s.store.used();
    arg.write(&a)?;
    done_now(file, a.ev)
}

pub(crate) fn shard_list_obj(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_list_obj = arg.read()?;
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    if a.n == 0 || a.n > uapi::DAOS_SHARD_BATCH_MAX || a.oids == 0 {
        return Err(EINVAL);
    }
    let open = file.co(a.coh)?;
    let store = open.container.shard(a.shard)?;
    let epoch = open.read_epoch(a.epoch)?;
    let mut oids = KVec::from_elem(u64::MAX, a.n as usize, GFP_KERNEL_ACCOUNT)?;
    let (n, next) = store.list(epoch, a.anchor, &mut oids);
    a.anchor = next.unwrap_or(EPOCH_HIGHEST);
    let mut w = user(a.oids, a.n as usize * 16)?.writer();
    for (i, oid) in oids.iter().enumerate() {
        let hi = if i < n { u64::from(a.shard) } else { u64::MAX };
        w.write_slice(&hi.to_ne_bytes())?;
        w.write_slice(&oid.to_ne_bytes())?;
    }
    arg.write(&a)?;
    done_now(file, a.ev)
}

/// `DAOS_IOC_CO_FLUSH`, `SHARD_FLUSH`, `EPOCH_SLIP`, `_COMMIT`, `_ABORT`.
pub(crate) fn epoch_op(file: &DaosFile, arg: Arg, op: EpochOp) -> Result<isize> {
    let mut a: uapi::daos_ioc_epoch = arg.read()?;
    check_ev(file, &a.ev)?;
    let allowed = match op {
        EpochOp::Commit => uapi::DAOS_IOC_COMMIT_SYNC,
        _ => 0,
    };
    if a.flags & !allowed != 0 {
        return Err(EINVAL);
    }
    let open = file.co(a.coh)?;
    match op {
        EpochOp::Commit | EpochOp::Abort => {
            // The highest epoch names "the next one" elsewhere: never one
            // to commit.
            if a.epoch == EPOCH_HIGHEST {
                return Err(EINVAL);
            }
            open.check_writer()?;
            open.check_opener()?;
            if let Some(failed) = open.container.failed_shard() {
                a.shard = failed;
                arg.write(&a)?;
                return Err(EIO);
            }
        }
        EpochOp::ShardFlush => open.container.shard(a.shard)?.target.check_up()?,
        EpochOp::Flush | EpochOp::Slip => zero(a.shard)?,
    }
    if matches!(op, EpochOp::Abort) && open.epochs().hce >= a.epoch {
        return Err(EPERM);
    }
    let caches = match op {
        EpochOp::Commit | EpochOp::Flush => open.container.caches()?,
        EpochOp::ShardFlush => {
            let mut one = KVec::with_capacity(1, GFP_KERNEL_ACCOUNT)?;
            one.push(open.container.cache(a.shard)?, GFP_KERNEL_ACCOUNT)?;
            one
        }
        EpochOp::Abort | EpochOp::Slip => {
            let job = EpochJob {
                open,
                op,
                epoch: a.epoch,
            };
            return submit(file, a.ev, job).map(|()| 0);
        }
    };
    let commit = matches!(op, EpochOp::Commit);
    submit_init(file, a.ev, FlushJob::new(open, caches, a.epoch, commit))?;
    Ok(0)
}

pub(crate) fn epoch_query(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_epoch_query = arg.read()?;
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    let e = file.co(a.coh)?.epochs();
    (a.hce, a.oldest, a.slipped, a.hse, a.layout) = (e.hce, e.oldest, e.slipped, e.hse, e.layout);
    arg.write(&a)?;
    done_now(file, a.ev)
}

pub(crate) fn epoch_wait(file: &DaosFile, a: uapi::daos_ioc_epoch_wait) -> Result<isize> {
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    let open = file.co(a.coh)?;
    open.check_opener()?;
    let pin = |addr: u64| -> Result<Option<UserPages>> {
        match addr {
            0 => Ok(None),
            addr => Ok(Some(UserPages::pin(addr, 8)?)),
        }
    };
    let job = WaitJob {
        epoch: WaitJob::target(&open, a.epoch),
        open,
        epoch_out: pin(a.epoch_out)?,
        layout_out: pin(a.layout_out)?,
    };
    submit(file, a.ev, job)?;
    Ok(0)
}

pub(crate) fn obj_open(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_obj_open = arg.read()?;
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    let object = ObjectOpen::new(file.co(a.coh)?, a.oid_hi, a.oid_lo, a.mode)?;
    a.oh = file.obj_insert(object)?;
    handed_out(file, arg, &a, a.ev, || {
        let _ = file.obj_remove(a.oh);
    })
}

pub(crate) fn obj_close(file: &DaosFile, a: uapi::daos_ioc_obj) -> Result<isize> {
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    file.obj_remove(a.oh)?;
    done_now(file, a.ev)
}

pub(crate) fn obj_io(file: &DaosFile, a: uapi::daos_ioc_obj_io, write: bool) -> Result<isize> {
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    let object = file.obj(a.oh)?;
    let cache = object.cache()?;
    cache.store.target.check_up()?;
    let (mem, mem_total) = read_frags(a.mem, a.nmem)?;
    let (obj, obj_total) = read_frags(a.obj, a.nobj)?;
    if mem_total != obj_total {
        return Err(EINVAL);
    }
    for &(offset, len) in obj.iter() {
        if len > 0 {
            offset.checked_add(len - 1).ok_or(EINVAL)?;
        }
    }
    if write {
        if !object.writable {
            return Err(EPERM);
        }
        object.open.container.check_writable(a.epoch)?;
        if object.buffered {
            if let ([(addr, len)], [(offset, _)]) = (&mem[..], &obj[..]) {
                if cache.try_append(&file.context, object.oid, a.epoch, *offset, *addr, *len, object.pattern)? {
                    return done_now(file, a.ev);
                }
            }
            let pieces = write_pieces(&cache, &mem, &obj)?;
            cache.write(&file.context, object.oid, a.epoch, pieces, object.pattern)?;
            return done_now(file, a.ev);
        }
        let versions = write_versions(&cache, object.oid, a.epoch, &mem, &obj)?;
        submit_init(file, a.ev, ChangeJob::new(cache.store.clone(), object.oid, versions))?;
    } else {
        let epoch = object.open.read_epoch(a.epoch)?;
        let out = UserBuffers::pin(&mem)?;
        let job = ReadJob {
            cache,
            oid: object.oid,
            epoch,
            ranges: obj.into_vec()?,
            out,
        };
        submit(file, a.ev, job)?;
    }
    Ok(0)
}

pub(crate) fn obj_punch(file: &DaosFile, a: uapi::daos_ioc_obj_punch) -> Result<isize> {
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    if a.begin > a.end {
        return Err(EINVAL);
    }
    let open = file.co(a.coh)?;
    open.check_writer()?;
    let shard = u32::try_from(a.oid_hi).ok().filter(|s| *s <= uapi::DAOS_SHARD_ID_MAX).ok_or(EINVAL)?;
    let cache = open.container.cache(shard)?;
    cache.store.target.check_up()?;
    open.container.check_writable(a.epoch)?;
    let mut versions = KVec::with_capacity(1, GFP_KERNEL_ACCOUNT)?;
    let charge = cache.store.target.charge(0)?;
    let seq = cache.bypass(a.epoch, a.oid_lo, a.begin, a.end)?;
    versions.push(Version::punch(a.epoch, seq, a.begin, a.end, charge), GFP_KERNEL_ACCOUNT)?;
    submit_init(file, a.ev, ChangeJob::new(cache.store.clone(), a.oid_lo, versions))?;
    Ok(0)
}

pub(crate) fn co_snapshot(file: &DaosFile, a: uapi::daos_ioc_co_snapshot) -> Result<isize> {
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    let open = file.co(a.coh)?;
    open.container.check_readable_committed(a.epoch)?;
    let cf = ContainerFile::from_fd(a.fd)?;
    let snapshot = file.context.system.containers.create_at(&cf, a.epoch)?;
    let job = SnapshotJob {
        total: open.container.bytes_at(a.epoch),
        source: open,
        epoch: a.epoch,
        snapshot: snapshot.clone(),
        system: file.context.system.clone(),
        done: Atomic::new(0),
    };
    submit(file, a.ev, job).inspect_err(|_| file.context.system.containers.forget(&snapshot))?;
    Ok(0)
}

pub(crate) fn co_listen(file: &DaosFile, a: uapi::daos_ioc_listen) -> Result<isize> {
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    let open = file.co(a.handle)?;
    let out = ListenOut::pin(a.count, a.events, a.n, size_of::<uapi::daos_ioc_shard_event>())?;
    submit(file, a.ev, CoListenJob { open, out })?;
    Ok(0)
}

/// Bytes of a global handle buffer with `nshard` layout entries.
fn global_size(nshard: u32) -> usize {
    size_of::<uapi::daos_global_handle>() + nshard as usize * size_of::<uapi::daos_ioc_loc_key>()
}

pub(crate) fn co_local2global(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_co_global = arg.read()?;
    zero(a.flags)?;
    let open = file.co(a.coh)?;
    let (head, layout) = open.global()?;
    let need = global_size(head.nshard);
    let fits = a.size as usize >= need;
    a.size = need as u32;
    if a.buf == 0 || !fits {
        arg.write(&a)?;
        return if a.buf == 0 { Ok(0) } else { Err(E2BIG) };
    }
    let mut w = user(a.buf, need)?.writer();
    w.write(&head)?;
    for id in layout.iter() {
        w.write(&uapi::daos_ioc_loc_key { type_: 0, id: *id })?;
    }
    arg.write(&a)?;
    Ok(0)
}

pub(crate) fn co_global2local(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_co_g2l = arg.read()?;
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    let size = a.size as usize;
    if size < global_size(0) || size > global_size(uapi::DAOS_SHARD_BATCH_MAX) || a.buf == 0 {
        return Err(EINVAL);
    }
    let head: uapi::daos_global_handle = user(a.buf, size)?.reader().read()?;
    if head.magic != uapi::DAOS_GLOBAL_MAGIC
        || head.version != uapi::DAOS_GLOBAL_VERSION
        || head.reserved != 0
        || head.writable > 1
        || global_size(head.nshard.min(uapi::DAOS_SHARD_BATCH_MAX + 1)) != size
    {
        return Err(EINVAL);
    }
    if a.coh != 0 {
        // A refresh: the handle must be one made from this very open.
        let open = file.co(a.coh)?;
        let named = file.context.system.containers.named_open(&head)?;
        if !open.made_from(&named) {
            return Err(EINVAL);
        }
        return done_now(file, a.ev);
    }
    let open = file.context.system.containers.global2local(&head)?;
    a.coh = file.co_insert(open.clone()).inspect_err(|_| open.close())?;
    handed_out(file, arg, &a, a.ev, || {
        if let Ok(open) = file.co_remove(a.coh) {
            open.close();
        }
    })
}

pub(crate) fn sys_open(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_sys_open = arg.read()?;
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    a.handle = file.sys_insert(SysOpen::new(file.context.system.clone())?)?;
    handed_out(file, arg, &a, a.ev, || {
        if let Ok(open) = file.sys_remove(a.handle) {
            open.close();
        }
    })
}

pub(crate) fn sys_close(file: &DaosFile, a: uapi::daos_ioc_co) -> Result<isize> {
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    file.sys_remove(a.coh)?.close();
    done_now(file, a.ev)
}

/// A location part: `None` when negative (the seed's `DAOS_LOC_UNKNOWN`).
fn known(part: i32) -> Option<u32> {
    u32::try_from(part).ok()
}

pub(crate) fn sys_query(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_sys_query = arg.read()?;
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    if (a.keys == 0) != (a.n == 0) || a.n > uapi::DAOS_SHARD_BATCH_MAX {
        return Err(EINVAL);
    }
    let open = file.sys(a.handle)?;
    let q = Subtree {
        cage: known(a.cage),
        rack: known(a.rack),
        node: known(a.node),
    };
    let mut keys = KVec::with_capacity(a.n as usize, GFP_KERNEL_ACCOUNT)?;
    let count = open.system.walk(q, a.depth, |level, id| {
        let _ = keys.push_within_capacity(uapi::daos_ioc_loc_key { type_: level as u32, id });
    })?;
    if a.keys != 0 {
        let mut w = user(a.keys, keys.len() * size_of::<uapi::daos_ioc_loc_key>())?.writer();
        for k in keys.iter() {
            w.write(k)?;
        }
    }
    a.count = u32::try_from(count).map_err(|_| EOVERFLOW)?;
    arg.write(&a)?;
    done_now(file, a.ev)
}

pub(crate) fn sys_query_target(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_target_info = arg.read()?;
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    let t = file.sys(a.handle)?.system.target(a.target)?;
    let l = t.location();
    let perf = t.perf();
    a.status = t.status();
    a.type_ = t.kind();
    (a.cage, a.rack, a.node) = (l.cage, l.rack, l.node);
    a.capacity = t.capacity();
    a.free = t.capacity().saturating_sub(t.used());
    a.nshard = t.shards();
    a.read_mbps = perf.read_mbps;
    a.write_mbps = perf.write_mbps;
    a.iops = perf.iops;
    a.latency_us = perf.latency_us;
    // Local targets live on this node.
    a.net_dist = 0;
    arg.write(&a)?;
    done_now(file, a.ev)
}

pub(crate) fn sys_listen(file: &DaosFile, a: uapi::daos_ioc_listen) -> Result<isize> {
    zero(a.flags)?;
    check_ev(file, &a.ev)?;
    let open = file.sys(a.handle)?;
    let out = ListenOut::pin(a.count, a.events, a.n, size_of::<uapi::daos_ioc_target_event>())?;
    submit(file, a.ev, SysListenJob { open, out })?;
    Ok(0)
}

pub(crate) fn event_progress(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_event_progress = arg.read()?;
    zero(a.flags)?;
    let id = if a.id == 0 { return Err(ENOENT) } else { EventId(a.id) };
    (a.done, a.total) = file.eq(a.eqh)?.progress(id)?;
    arg.write(&a)?;
    Ok(0)
}
