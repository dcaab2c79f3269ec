// SPDX-License-Identifier: GPL-2.0

//! ioctl dispatch: the command table, argument copies and checks.
//!
//! Every command is looked up in [`COMMANDS`] before its argument is touched:
//! a foreign or unknown command is `ENOTTY`, and a size the module does not
//! take is `EINVAL`. Arguments are copied by the `copy_struct_from_user`
//! rule ([`Arg`]), a bad user pointer is `EFAULT`. Every command but
//! `VERSION` is for the file's owner only (`EBADF` for anyone else). Each
//! handler reads its structure once, validates every field, and only then
//! acts; the errors each can return are listed in
//! Documentation/ioctl-abi.rst.

use kernel::{
    ioctl::_IOR,
    page::PAGE_SIZE,
    prelude::*,
    transmute::{
        AsBytes,
        FromBytes, //
    },
    uaccess::{
        UserPtr,
        UserSlice, //
    },
};

use crate::{
    container::EpochOp,
    container_ioctl as co,
    device::DaosFile,
    event_queue::{
        Timeout,
        DEFAULT_RING, //
    },
    noop,
    pure::{
        event_table::{
            EventId,
            QueryMode, //
        },
        handle::Handle,
        ioctl_cmd::{
            self,
            fit,
            Cmd,
            CmdError,
            CmdSpec,
            Dir, //
        },
        ring::Ring,
    },
    sys::eventfd::EventFd,
    uapi,
};

/// The operations behind the commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Version,
    EqCreate,
    EqDestroy,
    EqPoll,
    EqQuery,
    EqEventfd,
    EventInit,
    EventFini,
    EventNext,
    EventAbort,
    Noop,
    CoOpen,
    CoClose,
    CoUnlink,
    CoQuery,
    CoListShard,
    CoFlush,
    ShardAdd,
    ShardDisable,
    ShardQuery,
    ShardFlush,
    ShardListObj,
    ObjOpen,
    ObjClose,
    ObjRead,
    ObjWrite,
    ObjPunch,
    EpochQuery,
    EpochSlip,
    EpochWait,
    EpochCommit,
    EpochAbort,
    CoSnapshot,
    CoListen,
    CoLocal2Global,
    CoGlobal2Local,
    SysOpen,
    SysClose,
    SysQuery,
    SysQueryTarget,
    SysListen,
    EventProgress,
}

/// The ioctl type of `/dev/daos`.
pub(crate) const MAGIC: u8 = uapi::DAOS_IOC_MAGIC as u8;

/// Feature bits this module reports in `DAOS_IOC_VERSION`.
pub(crate) const FEATURES: u64 = (uapi::DAOS_FEATURE_VERSION
    | uapi::DAOS_FEATURE_EQ
    | uapi::DAOS_FEATURE_NOOP
    | uapi::DAOS_FEATURE_EQ_RING
    | uapi::DAOS_FEATURE_EQ_EVENTFD
    | uapi::DAOS_FEATURE_CONTAINER) as u64;

const fn spec<T>(op: Op, nr: u32, dir: Dir, sizes: &'static [usize]) -> CmdSpec<Op> {
    // The module's own structure is the last size published.
    assert!(sizes[sizes.len() - 1] == core::mem::size_of::<T>());
    CmdSpec {
        op,
        nr: nr as u8,
        dir,
        sizes,
    }
}

/// The one size of a structure that never grew.
macro_rules! size {
    ($t:ty) => {
        &[core::mem::size_of::<$t>()]
    };
}

/// Every command the module implements, with every size it publishes.
pub(crate) static COMMANDS: [CmdSpec<Op>; 42] = {
    use uapi::*;
    use Dir::{
        Read as R,
        ReadWrite as RW,
        Write as W, //
    };
    const EQ_CREATE: &[usize] = &[DAOS_IOC_EQ_CREATE_SIZE_VER0 as usize, size_of::<daos_ioc_eq_create>()];
    const EVENT_INIT: &[usize] = &[DAOS_IOC_EVENT_INIT_SIZE_VER0 as usize, size_of::<daos_ioc_event_init>()];
    const EVENT: &[usize] = &[DAOS_IOC_EVENT_SIZE_VER0 as usize, size_of::<daos_ioc_event>()];
    const EVENT_NEXT: &[usize] = &[DAOS_IOC_EVENT_NEXT_SIZE_VER0 as usize, size_of::<daos_ioc_event_next>()];
    [
        spec::<daos_version>(Op::Version, DAOS_IOC_NR_VERSION, R, size!(daos_version)),
        spec::<daos_ioc_eq_create>(Op::EqCreate, DAOS_IOC_NR_EQ_CREATE, RW, EQ_CREATE),
        spec::<daos_ioc_eq>(Op::EqDestroy, DAOS_IOC_NR_EQ_DESTROY, W, size!(daos_ioc_eq)),
        spec::<daos_ioc_eq_poll>(Op::EqPoll, DAOS_IOC_NR_EQ_POLL, RW, size!(daos_ioc_eq_poll)),
        spec::<daos_ioc_eq_query>(Op::EqQuery, DAOS_IOC_NR_EQ_QUERY, W, size!(daos_ioc_eq_query)),
        spec::<daos_ioc_eq_eventfd>(Op::EqEventfd, DAOS_IOC_NR_EQ_EVENTFD, W, size!(daos_ioc_eq_eventfd)),
        spec::<daos_ioc_event_init>(Op::EventInit, DAOS_IOC_NR_EVENT_INIT, RW, EVENT_INIT),
        spec::<daos_ioc_event>(Op::EventFini, DAOS_IOC_NR_EVENT_FINI, W, EVENT),
        spec::<daos_ioc_event_next>(Op::EventNext, DAOS_IOC_NR_EVENT_NEXT, RW, EVENT_NEXT),
        spec::<daos_ioc_event>(Op::EventAbort, DAOS_IOC_NR_EVENT_ABORT, W, EVENT),
        spec::<daos_ioc_noop>(Op::Noop, DAOS_IOC_NR_NOOP, RW, size!(daos_ioc_noop)),
        spec::<daos_ioc_co_open>(Op::CoOpen, DAOS_IOC_NR_CO_OPEN, RW, size!(daos_ioc_co_open)),
        spec::<daos_ioc_co>(Op::CoClose, DAOS_IOC_NR_CO_CLOSE, W, size!(daos_ioc_co)),
        spec::<daos_ioc_co_unlink>(Op::CoUnlink, DAOS_IOC_NR_CO_UNLINK, W, size!(daos_ioc_co_unlink)),
        spec::<daos_ioc_co_query>(Op::CoQuery, DAOS_IOC_NR_CO_QUERY, RW, size!(daos_ioc_co_query)),
        spec::<daos_ioc_list_shard>(Op::CoListShard, DAOS_IOC_NR_CO_LIST_SHARD, RW, size!(daos_ioc_list_shard)),
        spec::<daos_ioc_epoch>(Op::CoFlush, DAOS_IOC_NR_CO_FLUSH, W, size!(daos_ioc_epoch)),
        spec::<daos_ioc_shards>(Op::ShardAdd, DAOS_IOC_NR_SHARD_ADD, W, size!(daos_ioc_shards)),
        spec::<daos_ioc_shards>(Op::ShardDisable, DAOS_IOC_NR_SHARD_DISABLE, W, size!(daos_ioc_shards)),
        spec::<daos_ioc_shard_query>(Op::ShardQuery, DAOS_IOC_NR_SHARD_QUERY, RW, size!(daos_ioc_shard_query)),
        spec::<daos_ioc_epoch>(Op::ShardFlush, DAOS_IOC_NR_SHARD_FLUSH, W, size!(daos_ioc_epoch)),
        spec::<daos_ioc_list_obj>(Op::ShardListObj, DAOS_IOC_NR_SHARD_LIST_OBJ, RW, size!(daos_ioc_list_obj)),
        spec::<daos_ioc_obj_open>(Op::ObjOpen, DAOS_IOC_NR_OBJ_OPEN, RW, size!(daos_ioc_obj_open)),
        spec::<daos_ioc_obj>(Op::ObjClose, DAOS_IOC_NR_OBJ_CLOSE, W, size!(daos_ioc_obj)),
        spec::<daos_ioc_obj_io>(Op::ObjRead, DAOS_IOC_NR_OBJ_READ, W, size!(daos_ioc_obj_io)),
        spec::<daos_ioc_obj_io>(Op::ObjWrite, DAOS_IOC_NR_OBJ_WRITE, W, size!(daos_ioc_obj_io)),
        spec::<daos_ioc_obj_punch>(Op::ObjPunch, DAOS_IOC_NR_OBJ_PUNCH, W, size!(daos_ioc_obj_punch)),
        spec::<daos_ioc_epoch_query>(Op::EpochQuery, DAOS_IOC_NR_EPOCH_QUERY, RW, size!(daos_ioc_epoch_query)),
        spec::<daos_ioc_epoch>(Op::EpochSlip, DAOS_IOC_NR_EPOCH_SLIP, W, size!(daos_ioc_epoch)),
        spec::<daos_ioc_epoch_wait>(Op::EpochWait, DAOS_IOC_NR_EPOCH_WAIT, W, size!(daos_ioc_epoch_wait)),
        spec::<daos_ioc_epoch>(Op::EpochCommit, DAOS_IOC_NR_EPOCH_COMMIT, RW, size!(daos_ioc_epoch)),
        spec::<daos_ioc_epoch>(Op::EpochAbort, DAOS_IOC_NR_EPOCH_ABORT, RW, size!(daos_ioc_epoch)),
        spec::<daos_ioc_co_snapshot>(Op::CoSnapshot, DAOS_IOC_NR_CO_SNAPSHOT, W, size!(daos_ioc_co_snapshot)),
        spec::<daos_ioc_listen>(Op::CoListen, DAOS_IOC_NR_CO_LISTEN, W, size!(daos_ioc_listen)),
        spec::<daos_ioc_co_global>(Op::CoLocal2Global, DAOS_IOC_NR_CO_LOCAL2GLOBAL, RW, size!(daos_ioc_co_global)),
        spec::<daos_ioc_co_g2l>(Op::CoGlobal2Local, DAOS_IOC_NR_CO_GLOBAL2LOCAL, RW, size!(daos_ioc_co_g2l)),
        spec::<daos_ioc_sys_open>(Op::SysOpen, DAOS_IOC_NR_SYS_OPEN, RW, size!(daos_ioc_sys_open)),
        spec::<daos_ioc_co>(Op::SysClose, DAOS_IOC_NR_SYS_CLOSE, W, size!(daos_ioc_co)),
        spec::<daos_ioc_sys_query>(Op::SysQuery, DAOS_IOC_NR_SYS_QUERY, RW, size!(daos_ioc_sys_query)),
        spec::<daos_ioc_target_info>(Op::SysQueryTarget, DAOS_IOC_NR_SYS_QUERY_TARGET, RW, size!(daos_ioc_target_info)),
        spec::<daos_ioc_listen>(Op::SysListen, DAOS_IOC_NR_SYS_LISTEN, W, size!(daos_ioc_listen)),
        spec::<daos_ioc_event_progress>(Op::EventProgress, DAOS_IOC_NR_EVENT_PROGRESS, RW, size!(daos_ioc_event_progress)),
    ]
};

// The pure encoder agrees with the kernel's own `_IOR` on this architecture.
const _: () = {
    let pure = Cmd {
        dir: Dir::Read,
        ty: MAGIC,
        nr: uapi::DAOS_IOC_NR_VERSION as u8,
        size: core::mem::size_of::<uapi::daos_version>(),
    };
    let kernel = _IOR::<uapi::daos_version>(MAGIC as u32, uapi::DAOS_IOC_NR_VERSION);
    assert!(pure.encode().unwrap() == kernel);
};

/// A command's argument in user memory, `size` bytes as the caller's
/// command number says, copied by the `copy_struct_from_user` rule.
#[derive(Clone, Copy)]
pub(crate) struct Arg {
    ptr: UserPtr,
    size: usize,
}

/// Zeros, for checking and clearing the tail of a larger structure.
const ZEROS: [u8; 64] = [0; 64];

impl Arg {
    pub(crate) fn new(addr: usize, size: usize) -> Arg {
        Arg {
            ptr: UserPtr::from_addr(addr),
            size,
        }
    }

    /// Reads the structure once: an older, smaller one is zero-extended; a
    /// newer, larger one must be zero past the module's size (`E2BIG`).
    pub(crate) fn read<T: FromBytes + AsBytes + Default>(self) -> Result<T> {
        let f = fit(self.size, core::mem::size_of::<T>());
        let mut value = T::default();
        let mut r = UserSlice::new(self.ptr, self.size).reader();
        r.read_slice(&mut value.as_bytes_mut()[..f.common])?;
        let mut tail = f.tail;
        while tail > 0 {
            let mut buf = ZEROS;
            let n = tail.min(buf.len());
            r.read_slice(&mut buf[..n])?;
            if buf[..n] != ZEROS[..n] {
                return Err(E2BIG);
            }
            tail -= n;
        }
        Ok(value)
    }

    /// Writes the structure back: only the caller's size, with the bytes of
    /// a larger structure that the module does not know set to zero.
    pub(crate) fn write<T: AsBytes>(self, value: &T) -> Result {
        let f = fit(self.size, core::mem::size_of::<T>());
        let mut w = UserSlice::new(self.ptr, self.size).writer();
        w.write_slice(&value.as_bytes()[..f.common])?;
        let mut tail = f.tail;
        while tail > 0 {
            let n = tail.min(ZEROS.len());
            w.write_slice(&ZEROS[..n])?;
            tail -= n;
        }
        Ok(())
    }
}

/// Handles one ioctl on an open `/dev/daos`.
pub(crate) fn dispatch(file: &DaosFile, cmd: u32, arg: usize) -> Result<isize> {
    let accepted = ioctl_cmd::lookup(&COMMANDS, MAGIC, cmd).map_err(|e| match e {
        CmdError::NotOurs => ENOTTY,
        CmdError::BadSize => EINVAL,
    })?;
    let arg = Arg::new(arg, accepted.size);
    if accepted.op == Op::Version {
        return version(arg);
    }
    file.check_owner()?;
    match accepted.op {
        Op::Version => version(arg),
        Op::EqCreate => eq_create(file, arg),
        Op::EqDestroy => eq_destroy(file, arg.read()?),
        Op::EqPoll => eq_poll(file, arg),
        Op::EqQuery => eq_query(file, arg.read()?),
        Op::EqEventfd => eq_eventfd(file, arg.read()?),
        Op::EventInit => event_init(file, arg),
        Op::EventFini => event_fini(file, arg.read()?),
        Op::EventNext => event_next(file, arg),
        Op::EventAbort => event_abort(file, arg.read()?),
        Op::Noop => noop(file, arg),
        Op::CoOpen => co::co_open(file, arg),
        Op::CoClose => co::co_close(file, arg.read()?),
        Op::CoUnlink => co::co_unlink(file, arg.read()?),
        Op::CoQuery => co::co_query(file, arg),
        Op::CoListShard => co::co_list_shard(file, arg),
        Op::CoFlush => co::epoch_op(file, arg, EpochOp::Flush),
        Op::ShardAdd => co::shard_add(file, arg.read()?, false),
        Op::ShardDisable => co::shard_add(file, arg.read()?, true),
        Op::ShardQuery => co::shard_query(file, arg),
        Op::ShardFlush => co::epoch_op(file, arg, EpochOp::ShardFlush),
        Op::ShardListObj => co::shard_list_obj(file, arg),
        Op::ObjOpen => co::obj_open(file, arg),
        Op::ObjClose => co::obj_close(file, arg.read()?),
        Op::ObjRead => co::obj_io(file, arg.read()?, false),
        Op::ObjWrite => co::obj_io(file, arg.read()?, true),
        Op::ObjPunch => co::obj_punch(file, arg.read()?),
        Op::EpochQuery => co::epoch_query(file, arg),
        Op::EpochSlip => co::epoch_op(file, arg, EpochOp::Slip),
        Op::EpochWait => co::epoch_wait(file, arg.read()?),
        Op::EpochCommit => co::epoch_op(file, arg, EpochOp::Commit),
        Op::EpochAbort => co::epoch_op(file, arg, EpochOp::Abort),
        Op::CoSnapshot => co::co_snapshot(file, arg.read()?),
        Op::CoListen => co::co_listen(file, arg.read()?),
        Op::CoLocal2Global => co::co_local2global(file, arg),
        Op::CoGlobal2Local => co::co_global2local(file, arg),
        Op::SysOpen => co::sys_open(file, arg),
        Op::SysClose => co::sys_close(file, arg.read()?),
        Op::SysQuery => co::sys_query(file, arg),
        Op::SysQueryTarget => co::sys_query_target(file, arg),
        Op::SysListen => co::sys_listen(file, arg.read()?),
        Op::EventProgress => co::event_progress(file, arg),
    }
}

/// `EINVAL` unless `v` is zero (reserved fields and flags).
pub(crate) fn zero<T: PartialEq + Default>(v: T) -> Result {
    if v == T::default() {
        Ok(())
    } else {
        Err(EINVAL)
    }
}

/// An optional event id from userspace: 0 means none.
fn optional_id(raw: u64) -> Option<EventId> {
    (raw != 0).then_some(EventId(raw))
}

/// A required event id from userspace; 0 is never an event.
fn event_id(raw: u64) -> Result<EventId> {
    optional_id(raw).ok_or(ENOENT)
}

/// A user array address.
fn user_ptr(addr: u64) -> Result<UserPtr> {
    Ok(UserPtr::from_addr(usize::try_from(addr).map_err(|_| EFAULT)?))
}

/// `DAOS_IOC_VERSION`: ABI version and feature bits.
fn version(arg: Arg) -> Result<isize> {
    let reply = uapi::daos_version {
        abi_major: uapi::DAOS_ABI_MAJOR,
        abi_minor: uapi::DAOS_ABI_MINOR,
        features: FEATURES,
        reserved: [0; 2],
    };
    arg.write(&reply)?;
    Ok(0)
}

fn eq_create(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_eq_create = arg.read()?;
    zero(a.flags)?;
    let ring = match a.ring_entries {
        0 => DEFAULT_RING,
        n => Ring::at_least(n).ok_or(EINVAL)?,
    };
    let (eqh, eq) = file.eq_create(ring)?;
    a.eqh = eqh;
    a.ring_entries = ring.entries();
    a.ring_entries_off = PAGE_SIZE as u32;
    // The mmap offset in pages is the handle's cookie; one too large for
    // an offset (never, in practice) leaves the ring unmappable.
    let cookie = Handle::decode(eqh).map_or(0, |h| h.cookie);
    (a.ring_offset, a.ring_bytes) = match cookie.checked_mul(PAGE_SIZE as u64) {
        Some(off) if off <= i64::MAX as u64 => (off, eq.ring().bytes() as u64),
        _ => (0, 0),
    };
    if let Err(e) = arg.write(&a) {
        // The caller cannot learn the handle: undo.
        let _ = file.eq_destroy(a.eqh);
        return Err(e);
    }
    Ok(0)
}

fn eq_destroy(file: &DaosFile, a: uapi::daos_ioc_eq) -> Result<isize> {
    zero(a.flags)?;
    file.eq_destroy(a.eqh)?;
    Ok(0)
}

fn eq_poll(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_eq_poll = arg.read()?;
    if a.n == 0 || a.n > uapi::DAOS_EQ_BATCH_MAX || a.events == 0 {
        return Err(EINVAL);
    }
    if a.flags & !uapi::DAOS_EQ_POLL_WAIT_INFLIGHT != 0 {
        return Err(EINVAL);
    }
    let mut timeout = Timeout::from_abi(a.timeout_us)?;
    let wait_inflight = a.flags & uapi::DAOS_EQ_POLL_WAIT_INFLIGHT != 0;
    let out = user_ptr(a.events)?;
    let eq = file.eq(a.eqh)?;
    match eq.poll(a.n, &mut timeout, wait_inflight, out) {
        Ok(n) => Ok(n as isize),
        Err(e) if e == ERESTARTNOHAND => {
            // As ppoll: a restart goes on with the time left, so write it
            // back; if that fails the call cannot be restarted.
            if let Timeout::Micros(left) = timeout {
                a.timeout_us = left;
            }
            arg.write(&a).map_err(|_| EINTR)?;
            Err(e)
        }
        Err(e) => Err(e),
    }
}

fn eq_query(file: &DaosFile, a: uapi::daos_ioc_eq_query) -> Result<isize> {
    zero(a.flags)?;
    let all = uapi::DAOS_EQ_QUERY_COMPLETED | uapi::DAOS_EQ_QUERY_INFLIGHT;
    if a.mode == 0 || a.mode & !all != 0 || a.n > uapi::DAOS_EQ_BATCH_MAX {
        return Err(EINVAL);
    }
    if (a.events == 0) != (a.n == 0) {
        return Err(EINVAL);
    }
    let mode = QueryMode {
        completed: a.mode & uapi::DAOS_EQ_QUERY_COMPLETED != 0,
        inflight: a.mode & uapi::DAOS_EQ_QUERY_INFLIGHT != 0,
    };
    let out = match a.events {
        0 => None,
        addr => Some(user_ptr(addr)?),
    };
    let n = file.eq(a.eqh)?.query(mode, a.n, out)?;
    Ok(n as isize)
}

fn eq_eventfd(file: &DaosFile, a: uapi::daos_ioc_eq_eventfd) -> Result<isize> {
    zero(a.flags)?;
    let eq = file.eq(a.eqh)?;
    let efd = match a.fd {
        -1 => None,
        fd if fd < 0 => return Err(EBADF),
        fd => Some(EventFd::from_fd(fd)?),
    };
    eq.set_eventfd(efd)?;
    Ok(0)
}

fn event_init(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_event_init = arg.read()?;
    zero(a.flags)?;
    if a.user == 0 {
        return Err(EINVAL);
    }
    let eq = file.eq(a.eqh)?;
    let id = eq.init_event(a.user, optional_id(a.parent))?;
    a.id = id.0;
    if let Err(e) = arg.write(&a) {
        // The caller cannot learn the id: undo.
        let _ = eq.fini_event(id);
        return Err(e);
    }
    Ok(0)
}

fn event_fini(file: &DaosFile, a: uapi::daos_ioc_event) -> Result<isize> {
    zero(a.flags)?;
    file.eq(a.eqh)?.fini_event(event_id(a.id)?)?;
    Ok(0)
}

fn event_next(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_event_next = arg.read()?;
    zero(a.flags)?;
    let next = file.eq(a.eqh)?.next_child(event_id(a.parent)?, optional_id(a.child))?;
    (a.next, a.next_user, a.next_error) = next.map_or((0, 0, 0), |(id, user, error)| (id.0, user, error));
    arg.write(&a)?;
    Ok(0)
}

fn event_abort(file: &DaosFile, a: uapi::daos_ioc_event) -> Result<isize> {
    zero(a.flags)?;
    file.eq(a.eqh)?.abort_event(event_id(a.id)?)?;
    Ok(0)
}

/// A chosen completion error: 0 or a real errno (never one of the kernel's
/// internal codes, such as `ERESTARTSYS`, which must not reach userspace).
fn completion_error(e: i32) -> Result<i32> {
    if (-(uapi::DAOS_ERRNO_MAX as i32)..=0).contains(&e) {
        Ok(e)
    } else {
        Err(EINVAL)
    }
}

fn noop(file: &DaosFile, arg: Arg) -> Result<isize> {
    let mut a: uapi::daos_ioc_noop = arg.read()?;
    zero(a.flags)?;
    let error = completion_error(a.error)?;
    if a.delay_us > u64::from(uapi::DAOS_NOOP_DELAY_MAX_US) {
        return Err(EINVAL);
    }
    match (a.eqh, a.id) {
        (0, 0) => {
            if let Err(e) = noop::sleep(&mut a.delay_us) {
                // The time left goes back for the restart, as for a poll.
                arg.write(&a).map_err(|_| EINTR)?;
                return Err(e);
            }
            match error {
                0 => Ok(0),
                e => Err(Error::from_errno(e)),
            }
        }
        (0, _) | (_, 0) => Err(EINVAL),
        (eqh, id) => {
            let eq = file.eq(eqh)?;
            noop::NoopOp::start(&file.context, &eq, EventId(id), a.delay_us, error)?;
            Ok(0)
        }
    }
}
