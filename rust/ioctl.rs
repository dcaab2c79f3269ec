// SPDX-License-Identifier: GPL-2.0

//! ioctl dispatch: the command table, argument checks and user copies.
//!
//! Every command is looked up in [`COMMANDS`] before its argument is touched:
//! a foreign or unknown command is `ENOTTY`, a size the module never
//! published is `EINVAL`, and a bad user pointer is `EFAULT` from the copy.
//! Each handler reads its structure once, validates every field, and only
//! then acts.

use kernel::{
    ioctl::_IOR,
    prelude::*,
    transmute::FromBytes,
    uaccess::{
        UserPtr,
        UserSlice, //
    },
};

use crate::{
    device::DaosFile,
    event_queue::Timeout,
    noop,
    pure::{
        event_table::{
            EventId,
            QueryMode, //
        },
        ioctl_cmd::{
            self,
            Cmd,
            CmdError,
            CmdSpec,
            Dir, //
        },
    },
    sys::EventFd,
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
}

/// The ioctl type of `/dev/daos`.
pub(crate) const MAGIC: u8 = uapi::DAOS_IOC_MAGIC as u8;

/// Feature bits this module reports in `DAOS_IOC_VERSION`.
pub(crate) const FEATURES: u64 = (uapi::DAOS_FEATURE_VERSION
    | uapi::DAOS_FEATURE_EQ
    | uapi::DAOS_FEATURE_NOOP
    | uapi::DAOS_FEATURE_EQ_EVENTFD) as u64;

const fn spec<T>(op: Op, nr: u32, dir: Dir) -> CmdSpec<Op> {
    CmdSpec {
        op,
        nr: nr as u8,
        dir,
        sizes: &[core::mem::size_of::<T>()],
    }
}

/// Every command the module implements.
pub(crate) static COMMANDS: [CmdSpec<Op>; 11] = [
    spec::<uapi::daos_version>(Op::Version, uapi::DAOS_IOC_NR_VERSION, Dir::Read),
    spec::<uapi::daos_ioc_eq_create>(Op::EqCreate, uapi::DAOS_IOC_NR_EQ_CREATE, Dir::ReadWrite),
    spec::<uapi::daos_ioc_eq>(Op::EqDestroy, uapi::DAOS_IOC_NR_EQ_DESTROY, Dir::Write),
    spec::<uapi::daos_ioc_eq_poll>(Op::EqPoll, uapi::DAOS_IOC_NR_EQ_POLL, Dir::Write),
    spec::<uapi::daos_ioc_eq_query>(Op::EqQuery, uapi::DAOS_IOC_NR_EQ_QUERY, Dir::Write),
    spec::<uapi::daos_ioc_eq_eventfd>(Op::EqEventfd, uapi::DAOS_IOC_NR_EQ_EVENTFD, Dir::Write),
    spec::<uapi::daos_ioc_event_init>(Op::EventInit, uapi::DAOS_IOC_NR_EVENT_INIT, Dir::ReadWrite),
    spec::<uapi::daos_ioc_event>(Op::EventFini, uapi::DAOS_IOC_NR_EVENT_FINI, Dir::Write),
    spec::<uapi::daos_ioc_event_next>(Op::EventNext, uapi::DAOS_IOC_NR_EVENT_NEXT, Dir::ReadWrite),
    spec::<uapi::daos_ioc_event>(Op::EventAbort, uapi::DAOS_IOC_NR_EVENT_ABORT, Dir::Write),
    spec::<uapi::daos_ioc_noop>(Op::Noop, uapi::DAOS_IOC_NR_NOOP, Dir::Write),
];

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

/// Handles one ioctl on an open `/dev/daos`.
pub(crate) fn dispatch(file: &DaosFile, cmd: u32, arg: usize) -> Result<isize> {
    let accepted = ioctl_cmd::lookup(&COMMANDS, MAGIC, cmd).map_err(|e| match e {
        CmdError::NotOurs => ENOTTY,
        CmdError::BadSize => EINVAL,
    })?;
    let user = UserSlice::new(UserPtr::from_addr(arg), accepted.size);
    match accepted.op {
        Op::Version => version(user),
        Op::EqCreate => eq_create(file, user),
        Op::EqDestroy => eq_destroy(file, read(user)?),
        Op::EqPoll => eq_poll(file, read(user)?),
        Op::EqQuery => eq_query(file, read(user)?),
        Op::EqEventfd => eq_eventfd(file, read(user)?),
        Op::EventInit => event_init(file, user),
        Op::EventFini => event_fini(file, read(user)?),
        Op::EventNext => event_next(file, user),
        Op::EventAbort => event_abort(file, read(user)?),
        Op::Noop => noop(file, read(user)?),
    }
}

/// Reads a whole argument structure (once: no double fetch).
fn read<T: FromBytes>(user: UserSlice) -> Result<T> {
    user.reader().read::<T>()
}

/// `EINVAL` unless `v` is zero (reserved fields and flags).
fn zero<T: PartialEq + Default>(v: T) -> Result {
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

/// `DAOS_IOC_VERSION`: ABI version and feature bits.
fn version(user: UserSlice) -> Result<isize> {
    let reply = uapi::daos_version {
        abi_major: uapi::DAOS_ABI_MAJOR,
        abi_minor: uapi::DAOS_ABI_MINOR,
        features: FEATURES,
        reserved: [0; 2],
    };
    user.writer().write(&reply)?;
    Ok(0)
}

fn eq_create(file: &DaosFile, user: UserSlice) -> Result<isize> {
    let (mut r, mut w) = user.reader_writer();
    let mut arg: uapi::daos_ioc_eq_create = r.read()?;
    zero(arg.flags)?;
    arg.eqh = file.eq_create()?;
    if let Err(e) = w.write(&arg) {
        // The caller cannot learn the handle: undo.
        let _ = file.eq_destroy(arg.eqh);
        return Err(e);
    }
    Ok(0)
}

fn eq_destroy(file: &DaosFile, arg: uapi::daos_ioc_eq) -> Result<isize> {
    zero(arg.flags)?;
    file.eq_destroy(arg.eqh)?;
    Ok(0)
}

fn eq_poll(file: &DaosFile, arg: uapi::daos_ioc_eq_poll) -> Result<isize> {
    if arg.n == 0 || arg.n > uapi::DAOS_EQ_BATCH_MAX || arg.events == 0 {
        return Err(EINVAL);
    }
    if arg.flags & !uapi::DAOS_EQ_POLL_WAIT_INFLIGHT != 0 {
        return Err(EINVAL);
    }
    let timeout = Timeout::from_abi(arg.timeout_us)?;
    let wait_inflight = arg.flags & uapi::DAOS_EQ_POLL_WAIT_INFLIGHT != 0;
    let out = UserPtr::from_addr(usize::try_from(arg.events).map_err(|_| EFAULT)?);
    let eq = file.eq(arg.eqh)?;
    let n = eq.poll(arg.n, timeout, wait_inflight, out)?;
    Ok(n as isize)
}

fn eq_query(file: &DaosFile, arg: uapi::daos_ioc_eq_query) -> Result<isize> {
    let all = uapi::DAOS_EQ_QUERY_COMPLETED | uapi::DAOS_EQ_QUERY_INFLIGHT;
    if arg.mode == 0 || arg.mode & !all != 0 || arg.n > uapi::DAOS_EQ_BATCH_MAX {
        return Err(EINVAL);
    }
    if (arg.events == 0) != (arg.n == 0) {
        return Err(EINVAL);
    }
    let mode = QueryMode {
        completed: arg.mode & uapi::DAOS_EQ_QUERY_COMPLETED != 0,
        inflight: arg.mode & uapi::DAOS_EQ_QUERY_INFLIGHT != 0,
    };
    let out = match arg.events {
        0 => None,
        a => Some(UserPtr::from_addr(usize::try_from(a).map_err(|_| EFAULT)?)),
    };
    let n = file.eq(arg.eqh)?.query(mode, arg.n, out)?;
    Ok(n as isize)
}

fn eq_eventfd(file: &DaosFile, arg: uapi::daos_ioc_eq_eventfd) -> Result<isize> {
    zero(arg.flags)?;
    let eq = file.eq(arg.eqh)?;
    let efd = match arg.fd {
        -1 => None,
        fd if fd < 0 => return Err(EBADF),
        fd => Some(EventFd::from_fd(fd)?),
    };
    eq.set_eventfd(efd)?;
    Ok(0)
}

fn event_init(file: &DaosFile, user: UserSlice) -> Result<isize> {
    let (mut r, mut w) = user.reader_writer();
    let mut arg: uapi::daos_ioc_event_init = r.read()?;
    if arg.user == 0 {
        return Err(EINVAL);
    }
    let eq = file.eq(arg.eqh)?;
    let id = eq.init_event(arg.user, optional_id(arg.parent))?;
    arg.id = id.0;
    if let Err(e) = w.write(&arg) {
        // The caller cannot learn the id: undo.
        let _ = eq.fini_event(id);
        return Err(e);
    }
    Ok(0)
}

fn event_fini(file: &DaosFile, arg: uapi::daos_ioc_event) -> Result<isize> {
    file.eq(arg.eqh)?.fini_event(event_id(arg.id)?)?;
    Ok(0)
}

fn event_next(file: &DaosFile, user: UserSlice) -> Result<isize> {
    let (mut r, mut w) = user.reader_writer();
    let mut arg: uapi::daos_ioc_event_next = r.read()?;
    let next = file.eq(arg.eqh)?.next_child(event_id(arg.parent)?, optional_id(arg.child))?;
    (arg.next, arg.next_user) = next.map_or((0, 0), |(id, user)| (id.0, user));
    w.write(&arg)?;
    Ok(0)
}

fn event_abort(file: &DaosFile, arg: uapi::daos_ioc_event) -> Result<isize> {
    file.eq(arg.eqh)?.abort_event(event_id(arg.id)?)?;
    Ok(0)
}

fn noop(file: &DaosFile, arg: uapi::daos_ioc_noop) -> Result<isize> {
    zero(arg.flags)?;
    if !(-4095..=0).contains(&arg.error) || arg.delay_us > u64::from(uapi::DAOS_NOOP_DELAY_MAX_US) {
        return Err(EINVAL);
    }
    match (arg.eqh, arg.id) {
        (0, 0) => {
            noop::sleep(arg.delay_us)?;
            match arg.error {
                0 => Ok(0),
                e => Err(Error::from_errno(e)),
            }
        }
        (0, _) | (_, 0) => Err(EINVAL),
        (eqh, id) => {
            let eq = file.eq(eqh)?;
            noop::NoopOp::start(&eq, EventId(id), arg.delay_us, arg.error)?;
            Ok(0)
        }
    }
}
