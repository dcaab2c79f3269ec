// SPDX-License-Identifier: LGPL-2.1-or-later

//! Containers, shards, objects and epochs over the `/dev/daos` ioctls.
//!
//! Each call fills its command's structure, names its event (or none, for a
//! synchronous call) and issues one ioctl; what the kernel writes back at
//! submission is copied to the caller's output parameters here. Container
//! files are opened by this library, in the caller's name, so the VFS
//! decides who may open what; the module only sees the descriptor.

use std::{ffi::CStr, os::raw::c_char, ptr};

use daos_abi as abi;

use crate::{
    device,
    eq::{dispatch, ret, Event},
    types::*,
};

/// The event field every command structure starts with.
pub(crate) trait WithEvent {
    fn event(&mut self) -> &mut abi::daos_ioc_ev;
}

macro_rules! with_event {
    ($($t:ident),* $(,)?) => {
        $(impl WithEvent for abi::$t {
            fn event(&mut self) -> &mut abi::daos_ioc_ev {
                &mut self.ev
            }
        })*
    };
}

with_event!(
    daos_ioc_co_open,
    daos_ioc_co,
    daos_ioc_co_unlink,
    daos_ioc_co_query,
    daos_ioc_list_shard,
    daos_ioc_shards,
    daos_ioc_shard_query,
    daos_ioc_list_obj,
    daos_ioc_epoch,
    daos_ioc_epoch_wait,
    daos_ioc_epoch_query,
    daos_ioc_obj_open,
    daos_ioc_obj,
    daos_ioc_obj_io,
    daos_ioc_obj_punch,
    daos_ioc_co_snapshot,
    daos_ioc_listen,
    daos_ioc_co_g2l,
    daos_ioc_sys_open,
    daos_ioc_sys_query,
    daos_ioc_target_info,
);

/// Issues `cmd` with `arg`, synchronously when `ev` is NULL, else on the
/// event (typed `ty` once submitted). `Err(-errno)` on failure.
///
/// # Safety
/// `ev` must be NULL or an event this library initialised.
pub(crate) unsafe fn call<T: WithEvent>(ev: *mut daos_event, ty: daos_ev_type_t, cmd: u32, arg: &mut T) -> Result<(), i32> {
    if ev.is_null() {
        return device::ioctl(cmd, arg).map(|_| ());
    }
    // SAFETY: the caller's promise.
    let event = unsafe { Event::at(ev) }?;
    let e = arg.event();
    (e.eqh, e.id) = (event.eqh, event.id);
    // SAFETY: an initialised event (checked by `at`).
    match unsafe { dispatch(event, ty, cmd, arg) } {
        0 => Ok(()),
        e => Err(e),
    }
}

/// `Err(-EINVAL)` for a NULL pointer.
fn non_null<T>(p: *const T) -> Result<(), i32> {
    if p.is_null() {
        Err(-libc::EINVAL)
    } else {
        Ok(())
    }
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO)
}

/// A descriptor this library opened, closed when dropped.
struct Fd(i32);

impl Fd {
    fn open(path: &CStr, flags: i32) -> Result<Fd, i32> {
        // SAFETY: a NUL-terminated path; the mode is read with O_CREAT only.
        let fd = unsafe { libc::open(path.as_ptr(), flags | libc::O_CLOEXEC, 0o666 as libc::c_uint) };
        if fd < 0 {
            Err(-errno())
        } else {
            Ok(Fd(fd))
        }
    }
}

impl Drop for Fd {
    fn drop(&mut self) {
        // SAFETY: our own descriptor, closed once.
        unsafe { libc::close(self.0) };
    }
}

/// # Safety
/// `path` must be NULL or a C string; `status` and `coh` NULL or valid for
/// writes; `event` NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_container_open(
    path: *const c_char,
    mode: u32,
    nprocess: u32,
    status: *mut daos_container_status_t,
    coh: *mut daos_handle_t,
    event: *mut daos_event,
) -> i32 {
    let run = || -> Result<(), i32> {
        non_null(path)?;
        non_null(coh)?;
        // SAFETY: the caller's promise.
        let path = unsafe { CStr::from_ptr(path) };
        let access = match mode & (DAOS_COO_RO | DAOS_COO_RW) {
            DAOS_COO_RO => libc::O_RDONLY,
            DAOS_COO_RW => libc::O_RDWR,
            _ => return Err(-libc::EINVAL),
        };
        let create = mode & DAOS_COO_CREATE != 0;
        // Creating the file exclusively tells whether it was ours to
        // remove again if the open fails.
        let (fd, created) = match create {
            true => match Fd::open(path, access | libc::O_CREAT | libc::O_EXCL) {
                Ok(fd) => (fd, true),
                Err(e) if e == -libc::EEXIST => (Fd::open(path, access)?, false),
                Err(e) => return Err(e),
            },
            false => (Fd::open(path, access)?, false),
        };
        let kmode = mode & (DAOS_COO_RO | DAOS_COO_RW | DAOS_COO_CREATE);
        let mut a = abi::daos_ioc_co_open { fd: fd.0, mode: kmode, nprocess, ..Default::default() };
        // SAFETY: the caller's promise.
        let rc = unsafe { call(event, DAOS_EV_CO_OPEN, abi::DAOS_IOC_CO_OPEN, &mut a) };
        drop(fd);
        if let Err(e) = rc {
            if created {
                // SAFETY: the path we just created.
                unsafe { libc::unlink(path.as_ptr()) };
            }
            return Err(e);
        }
        // SAFETY: the caller's promise.
        unsafe {
            (*coh).cookie = a.coh;
            if let Some(s) = status.as_mut() {
                *s = a.status as daos_container_status_t;
            }
        }
        Ok(())
    };
    ret(run().map(|_| 0))
}

/// # Safety
/// `event` NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_container_close(coh: daos_handle_t, event: *mut daos_event) -> i32 {
    let mut a = abi::daos_ioc_co { coh: coh.cookie, ..Default::default() };
    // SAFETY: the caller's promise.
    ret(unsafe { call(event, DAOS_EV_CO_CLOSE, abi::DAOS_IOC_CO_CLOSE, &mut a) }.map(|_| 0))
}

/// # Safety
/// `path` NULL or a C string; `event` NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_container_unlink(path: *const c_char, event: *mut daos_event) -> i32 {
    let run = || -> Result<(), i32> {
        non_null(path)?;
        // SAFETY: the caller's promise.
        let path = unsafe { CStr::from_ptr(path) };
        let fd = Fd::open(path, libc::O_WRONLY)?;
        let mut a = abi::daos_ioc_co_unlink { fd: fd.0, ..Default::default() };
        // SAFETY: the caller's promise.
        unsafe { call(event, DAOS_EV_CO_UNLINK, abi::DAOS_IOC_CO_UNLINK, &mut a) }?;
        drop(fd);
        // The container is out of the module's registry: its file goes.
        // SAFETY: a C string.
        if unsafe { libc::unlink(path.as_ptr()) } < 0 {
            return Err(-errno());
        }
        Ok(())
    };
    ret(run().map(|_| 0))
}

/// # Safety
/// `epoch` NULL or valid; `info` valid for a write; `event` NULL or an
/// initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_container_query(
    coh: daos_handle_t,
    epoch: *mut daos_epoch_t,
    info: *mut daos_container_info,
    event: *mut daos_event,
) -> i32 {
    if info.is_null() {
        return -libc::EINVAL;
    }
    // SAFETY: the caller's promise.
    let e = unsafe { epoch.as_ref() }.map_or(abi::DAOS_IOC_EPOCH_HIGHEST as u64, |e| e.seq);
    let mut a = abi::daos_ioc_co_query { coh: coh.cookie, epoch: e, ..Default::default() };
    // SAFETY: the caller's promise.
    if let Err(e) = unsafe { call(event, DAOS_EV_CO_QUERY, abi::DAOS_IOC_CO_QUERY, &mut a) } {
        return e;
    }
    // SAFETY: the caller's promise.
    unsafe {
        if let Some(e) = epoch.as_mut() {
            e.seq = a.epoch;
        }
        *info = daos_container_info {
            ci_uid: a.uid,
            ci_gid: a.gid,
            ci_nshard: a.nshard,
            ci_nshard_stuck: a.nshard_stuck,
            ci_nshard_disabled: a.nshard_disabled,
        };
    }
    0
}

/// # Safety
/// `anchor` valid; `shards` valid for `shardn` writes; `event` NULL or an
/// initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_container_list_shard(
    coh: daos_handle_t,
    epoch: daos_epoch_t,
    opc: daos_shard_list_t,
    anchor: *mut daos_off_t,
    shardn: u32,
    shards: *mut u32,
    event: *mut daos_event,
) -> i32 {
    if anchor.is_null() || shards.is_null() {
        return -libc::EINVAL;
    }
    let mut a = abi::daos_ioc_list_shard {
        coh: coh.cookie,
        epoch: epoch.seq,
        // SAFETY: the caller's promise.
        anchor: unsafe { *anchor },
        shards: shards as u64,
        n: shardn,
        opc,
        ..Default::default()
    };
    // SAFETY: the caller's promise.
    if let Err(e) = unsafe { call(event, DAOS_EV_CO_LS_SHARD, abi::DAOS_IOC_CO_LIST_SHARD, &mut a) } {
        return e;
    }
    // SAFETY: the caller's promise.
    unsafe { *anchor = a.anchor };
    0
}

/// An epoch command: flush, slip, commit, abort.
///
/// # Safety
/// `event` NULL or an initialised event.
unsafe fn epoch_call(
    coh: daos_handle_t,
    epoch: daos_epoch_t,
    shard: u32,
    flags: u32,
    event: *mut daos_event,
    (ty, cmd): (daos_ev_type_t, u32),
    failed: *mut u32,
) -> i32 {
    let mut a = abi::daos_ioc_epoch { coh: coh.cookie, epoch: epoch.seq, shard, flags, ..Default::default() };
    // SAFETY: the caller's promise.
    let rc = unsafe { call(event, ty, cmd, &mut a) };
    if rc == Err(-libc::EIO) {
        // SAFETY: the caller passes NULL or a valid pointer.
        if let Some(f) = unsafe { failed.as_mut() } {
            *f = a.shard;
        }
    }
    ret(rc.map(|_| 0))
}

/// # Safety
/// `event` NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_container_flush(coh: daos_handle_t, epoch: daos_epoch_t, event: *mut daos_event) -> i32 {
    // SAFETY: the caller's promise.
    unsafe { epoch_call(coh, epoch, 0, 0, event, (DAOS_EV_CO_FLUSH, abi::DAOS_IOC_CO_FLUSH), ptr::null_mut()) }
}

/// # Safety
/// `event` NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_shard_flush(
    coh: daos_handle_t,
    epoch: daos_epoch_t,
    shard: u32,
    event: *mut daos_event,
) -> i32 {
    // SAFETY: the caller's promise.
    unsafe { epoch_call(coh, epoch, shard, 0, event, (DAOS_EV_SHARD_FLUSH, abi::DAOS_IOC_SHARD_FLUSH), ptr::null_mut()) }
}

/// # Safety
/// `event` NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_epoch_slip(coh: daos_handle_t, epoch: daos_epoch_t, ev: *mut daos_event) -> i32 {
    // SAFETY: the caller's promise.
    unsafe { epoch_call(coh, epoch, 0, 0, ev, (DAOS_EV_EP_SLIP, abi::DAOS_IOC_EPOCH_SLIP), ptr::null_mut()) }
}

/// # Safety
/// `shard_failed` NULL or valid; `ev` NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_epoch_commit(
    coh: daos_handle_t,
    epoch: daos_epoch_t,
    sync: bool,
    shard_failed: *mut u32,
    ev: *mut daos_event,
) -> i32 {
    let flags = if sync { abi::DAOS_IOC_COMMIT_SYNC } else { 0 };
    // SAFETY: the caller's promise.
    unsafe { epoch_call(coh, epoch, 0, flags, ev, (DAOS_EV_EP_COMMIT, abi::DAOS_IOC_EPOCH_COMMIT), shard_failed) }
}

/// # Safety
/// `shard_failed` NULL or valid; `ev` NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_epoch_abort(
    coh: daos_handle_t,
    epoch: daos_epoch_t,
    shard_failed: *mut u32,
    ev: *mut daos_event,
) -> i32 {
    // SAFETY: the caller's promise.
    unsafe { epoch_call(coh, epoch, 0, 0, ev, (DAOS_EV_EP_ABORT, abi::DAOS_IOC_EPOCH_ABORT), shard_failed) }
}

/// # Safety
/// `epoch` valid for reads and writes until the event completes;
/// `epoch_layout` NULL or likewise; `ev` NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_epoch_wait(
    coh: daos_handle_t,
    epoch: *mut daos_epoch_t,
    epoch_layout: *mut daos_epoch_t,
    ev: *mut daos_event,
) -> i32 {
    if epoch.is_null() {
        return -libc::EINVAL;
    }
    let mut a = abi::daos_ioc_epoch_wait {
        coh: coh.cookie,
        // SAFETY: the caller's promise.
        epoch: unsafe { (*epoch).seq },
        epoch_out: epoch as u64,
        layout_out: epoch_layout as u64,
        ..Default::default()
    };
    // SAFETY: the caller's promise.
    ret(unsafe { call(ev, DAOS_EV_EP_WAIT, abi::DAOS_IOC_EPOCH_WAIT, &mut a) }.map(|_| 0))
}

/// # Safety
/// `info` valid for a write; `ev` NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_epoch_query(coh: daos_handle_t, info: *mut daos_epoch_info, ev: *mut daos_event) -> i32 {
    if info.is_null() {
        return -libc::EINVAL;
    }
    let mut a = abi::daos_ioc_epoch_query { coh: coh.cookie, ..Default::default() };
    // SAFETY: the caller's promise.
    if let Err(e) = unsafe { call(ev, DAOS_EV_EP_QUERY, abi::DAOS_IOC_EPOCH_QUERY, &mut a) } {
        return e;
    }
    let seq = |seq| daos_epoch_t { seq };
    // SAFETY: the caller's promise.
    unsafe {
        *info = daos_epoch_info {
            epi_hce: seq(a.hce),
            epi_hce_oldest: seq(a.oldest),
            epi_hce_slipped: seq(a.slipped),
            epi_hse: seq(a.hse),
            epi_layout_changed: seq(a.layout),
        };
    }
    0
}

/// Shard add or disable.
///
/// # Safety
/// `targets` NULL (disable) or valid for `n` reads; `shards` valid for `n`
/// reads and writes; `event` NULL or an initialised event.
unsafe fn shards_call(
    coh: daos_handle_t,
    epoch: daos_epoch_t,
    n: u32,
    targets: *mut u32,
    shards: *mut i32,
    event: *mut daos_event,
    (ty, cmd): (daos_ev_type_t, u32),
) -> i32 {
    if shards.is_null() {
        return -libc::EINVAL;
    }
    let mut a = abi::daos_ioc_shards {
        coh: coh.cookie,
        epoch: epoch.seq,
        targets: targets as u64,
        shards: shards as u64,
        n,
        ..Default::default()
    };
    // SAFETY: the caller's promise.
    ret(unsafe { call(event, ty, cmd, &mut a) }.map(|_| 0))
}

/// # Safety
/// As `shards_call`, with `targets` valid for `targetn` reads.
#[no_mangle]
pub unsafe extern "C" fn daos_shard_add(
    coh: daos_handle_t,
    epoch: daos_epoch_t,
    targetn: u32,
    targets: *mut u32,
    shards: *mut i32,
    event: *mut daos_event,
) -> i32 {
    if targets.is_null() {
        return -libc::EINVAL;
    }
    // SAFETY: the caller's promise.
    unsafe { shards_call(coh, epoch, targetn, targets, shards, event, (DAOS_EV_SHARD_ADD, abi::DAOS_IOC_SHARD_ADD)) }
}

/// # Safety
/// As `shards_call`.
#[no_mangle]
pub unsafe extern "C" fn daos_shard_disable(
    coh: daos_handle_t,
    epoch: daos_epoch_t,
    shardn: u32,
    shards: *mut i32,
    event: *mut daos_event,
) -> i32 {
    // SAFETY: the caller's promise.
    unsafe {
        shards_call(coh, epoch, shardn, ptr::null_mut(), shards, event, (DAOS_EV_SHARD_DISABLE, abi::DAOS_IOC_SHARD_DISABLE))
    }
}

/// # Safety
/// `epoch` NULL or valid; `info` valid for a write; `event` NULL or an
/// initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_shard_query(
    coh: daos_handle_t,
    epoch: *mut daos_epoch_t,
    shard: u32,
    info: *mut daos_shard_info,
    event: *mut daos_event,
) -> i32 {
    if info.is_null() {
        return -libc::EINVAL;
    }
    // SAFETY: the caller's promise.
    let e = unsafe { epoch.as_ref() }.map_or(abi::DAOS_IOC_EPOCH_HIGHEST as u64, |e| e.seq);
    let mut a = abi::daos_ioc_shard_query { coh: coh.cookie, epoch: e, shard, ..Default::default() };
    // SAFETY: the caller's promise.
    if let Err(e) = unsafe { call(event, DAOS_EV_SHARD_QUERY, abi::DAOS_IOC_SHARD_QUERY, &mut a) } {
        return e;
    }
    let mut location = daos_target_loc { tl_current: 0, tl_nlocs: 1, ..Default::default() };
    location.tl_failovers[0] = daos_location { lc_cage: a.cage, lc_rack: a.rack, lc_node: a.node };
    // SAFETY: the caller's promise.
    unsafe {
        if let Some(e) = epoch.as_mut() {
            e.seq = a.epoch;
        }
        *info = daos_shard_info {
            sai_target: a.target,
            sai_type: a.type_ as daos_target_type_t,
            sai_status: a.status,
            sai_location: location,
            sai_space: daos_shard_space { sai_nobjs: a.nobjs, sai_used: a.used },
        };
    }
    0
}

/// # Safety
/// `anchor` valid; `oids` valid for `oidn` writes; `event` NULL or an
/// initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_shard_list_obj(
    coh: daos_handle_t,
    epoch: daos_epoch_t,
    shard: u32,
    anchor: *mut daos_off_t,
    oidn: daos_size_t,
    oids: *mut daos_obj_id_t,
    event: *mut daos_event,
) -> i32 {
    if anchor.is_null() || oids.is_null() {
        return -libc::EINVAL;
    }
    let Ok(n) = u32::try_from(oidn) else {
        return -libc::EINVAL;
    };
    let mut a = abi::daos_ioc_list_obj {
        coh: coh.cookie,
        epoch: epoch.seq,
        // SAFETY: the caller's promise.
        anchor: unsafe { *anchor },
        oids: oids as u64,
        n,
        shard,
        ..Default::default()
    };
    // SAFETY: the caller's promise.
    if let Err(e) = unsafe { call(event, DAOS_EV_SHARD_LS_OBJ, abi::DAOS_IOC_SHARD_LIST_OBJ, &mut a) } {
        return e;
    }
    // SAFETY: the caller's promise.
    unsafe { *anchor = a.anchor };
    0
}

/// # Safety
/// `oh` valid for a write; `event` NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_object_open(
    coh: daos_handle_t,
    oid: daos_obj_id_t,
    mode: u32,
    oh: *mut daos_handle_t,
    event: *mut daos_event,
) -> i32 {
    if oh.is_null() {
        return -libc::EINVAL;
    }
    let mut a =
        abi::daos_ioc_obj_open { coh: coh.cookie, oid_hi: oid.o_id_hi, oid_lo: oid.o_id_lo, mode, ..Default::default() };
    // SAFETY: the caller's promise.
    if let Err(e) = unsafe { call(event, DAOS_EV_OBJ_OPEN, abi::DAOS_IOC_OBJ_OPEN, &mut a) } {
        return e;
    }
    // SAFETY: the caller's promise.
    unsafe { (*oh).cookie = a.oh };
    0
}

/// # Safety
/// `event` NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_object_close(oh: daos_handle_t, event: *mut daos_event) -> i32 {
    let mut a = abi::daos_ioc_obj { oh: oh.cookie, ..Default::default() };
    // SAFETY: the caller's promise.
    ret(unsafe { call(event, DAOS_EV_OBJ_CLOSE, abi::DAOS_IOC_OBJ_CLOSE, &mut a) }.map(|_| 0))
}

/// The fragments of a descriptor (`(address or offset, length)` pairs),
/// at most `DAOS_IO_FRAG_MAX` (`-EINVAL` beyond, or for NULL).
///
/// # Safety
/// `n` and `first` describe a readable descriptor.
unsafe fn frags<F>(n: Option<u64>, first: *const F, pair: impl Fn(&F) -> (u64, u64)) -> Result<Vec<abi::daos_ioc_frag>, i32> {
    let n = n.ok_or(-libc::EINVAL)?;
    if n == 0 || n > u64::from(abi::DAOS_IO_FRAG_MAX) {
        return Err(-libc::EINVAL);
    }
    // SAFETY: the caller's promise.
    let all = unsafe { std::slice::from_raw_parts(first, n as usize) };
    Ok(all
        .iter()
        .map(|f| {
            let (addr, len) = pair(f);
            abi::daos_ioc_frag { addr, len }
        })
        .collect())
}

/// Read or write.
///
/// # Safety
/// `mmd` and `iod` NULL or valid descriptors; `event` NULL or an
/// initialised event.
unsafe fn io(
    oh: daos_handle_t,
    epoch: daos_epoch_t,
    mmd: *mut daos_mmd,
    iod: *mut daos_iod,
    event: *mut daos_event,
    ty: daos_ev_type_t,
    cmd: u32,
) -> i32 {
    let run = || -> Result<(), i32> {
        non_null(mmd)?;
        non_null(iod)?;
        // SAFETY: the caller's promise (non-NULL checked).
        let (mmd, iod) = unsafe { (&*mmd, &*iod) };
        // SAFETY: a descriptor followed by its fragments.
        let mem = unsafe {
            frags(Some(mmd.mmd_nfrag), mmd.mmd_frag.as_ptr(), |f: &daos_mm_frag| (f.mf_addr as u64, f.mf_nob))
        }?;
        // SAFETY: as above.
        let obj = unsafe {
            frags(Some(iod.iod_nfrag), iod.iod_frag.as_ptr(), |f: &daos_io_frag| (f.if_offset, f.if_nob))
        }?;
        let mut a = abi::daos_ioc_obj_io {
            oh: oh.cookie,
            epoch: epoch.seq,
            mem: mem.as_ptr() as u64,
            obj: obj.as_ptr() as u64,
            nmem: mem.len() as u32,
            nobj: obj.len() as u32,
            ..Default::default()
        };
        // SAFETY: the caller's promise.
        unsafe { call(event, ty, cmd, &mut a) }
    };
    ret(run().map(|_| 0))
}

/// # Safety
/// As `io`; the buffers stay valid until the event completes.
#[no_mangle]
pub unsafe extern "C" fn daos_object_read(
    oh: daos_handle_t,
    epoch: daos_epoch_t,
    mmd: *mut daos_mmd,
    iod: *mut daos_iod,
    event: *mut daos_event,
) -> i32 {
    // SAFETY: the caller's promise.
    unsafe { io(oh, epoch, mmd, iod, event, DAOS_EV_OBJ_READ, abi::DAOS_IOC_OBJ_READ) }
}

/// # Safety
/// As `io`.
#[no_mangle]
pub unsafe extern "C" fn daos_object_write(
    oh: daos_handle_t,
    epoch: daos_epoch_t,
    mmd: *mut daos_mmd,
    iod: *mut daos_iod,
    event: *mut daos_event,
) -> i32 {
    // SAFETY: the caller's promise.
    unsafe { io(oh, epoch, mmd, iod, event, DAOS_EV_OBJ_WRITE, abi::DAOS_IOC_OBJ_WRITE) }
}

/// # Safety
/// `event` NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_object_punch(
    coh: daos_handle_t,
    epoch: daos_epoch_t,
    oid: daos_obj_id_t,
    begin: daos_off_t,
    end: daos_off_t,
    event: *mut daos_event,
) -> i32 {
    let mut a = abi::daos_ioc_obj_punch {
        coh: coh.cookie,
        epoch: epoch.seq,
        oid_hi: oid.o_id_hi,
        oid_lo: oid.o_id_lo,
        begin,
        end,
        ..Default::default()
    };
    // SAFETY: the caller's promise.
    ret(unsafe { call(event, DAOS_EV_OBJ_PUNCH, abi::DAOS_IOC_OBJ_PUNCH, &mut a) }.map(|_| 0))
}

/// # Safety
/// `coh` valid; `snapshot` NULL or a C string; `event` NULL or an
/// initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_container_snapshot(
    coh: daos_handle_t,
    epoch: daos_epoch_t,
    snapshot: *const c_char,
    event: *mut daos_event,
) -> i32 {
    let run = || -> Result<(), i32> {
        non_null(snapshot)?;
        // SAFETY: the caller's promise.
        let path = unsafe { CStr::from_ptr(snapshot) };
        let fd = Fd::open(path, libc::O_RDWR | libc::O_CREAT | libc::O_EXCL)?;
        let mut a = abi::daos_ioc_co_snapshot { coh: coh.cookie, epoch: epoch.seq, fd: fd.0, ..Default::default() };
        // SAFETY: the caller's promise.
        let rc = unsafe { call(event, DAOS_EV_CO_SNAPSHOT, abi::DAOS_IOC_CO_SNAPSHOT, &mut a) };
        drop(fd);
        if rc.is_err() {
            // SAFETY: the file we just created.
            unsafe { libc::unlink(path.as_ptr()) };
        }
        rc
    };
    ret(run().map(|_| 0))
}

/// # Safety
/// `sevn` valid for reads and writes and `sevs` for `*sevn` records, until
/// the event completes; `event` NULL or an initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_container_listen(
    coh: daos_handle_t,
    sevn: *mut u32,
    sevs: *mut daos_shard_event,
    event: *mut daos_event,
) -> i32 {
    // SAFETY: the caller's promise.
    unsafe { listen(coh, sevn, sevs as u64, event, (DAOS_EV_CO_QUERY, abi::DAOS_IOC_CO_LISTEN)) }
}

/// A listen: the kernel writes the count and the records at completion.
///
/// # Safety
/// As the listen calls.
pub(crate) unsafe fn listen(
    handle: daos_handle_t,
    count: *mut u32,
    events: u64,
    event: *mut daos_event,
    (ty, cmd): (daos_ev_type_t, u32),
) -> i32 {
    if count.is_null() || events == 0 {
        return -libc::EINVAL;
    }
    let mut a = abi::daos_ioc_listen {
        handle: handle.cookie,
        count: count as u64,
        events,
        // SAFETY: the caller's promise.
        n: unsafe { *count },
        ..Default::default()
    };
    // SAFETY: the caller's promise.
    ret(unsafe { call(event, ty, cmd, &mut a) }.map(|_| 0))
}

/// # Safety
/// `size` valid; `global` NULL or valid for `*size` bytes.
#[no_mangle]
pub unsafe extern "C" fn daos_local2global(handle: daos_handle_t, global: *mut libc::c_void, size: *mut u32) -> i32 {
    if size.is_null() {
        return -libc::EINVAL;
    }
    // SAFETY: the caller's promise.
    let mut a = abi::daos_ioc_co_global { coh: handle.cookie, buf: global as u64, size: unsafe { *size }, flags: 0 };
    let rc = device::ioctl(abi::DAOS_IOC_CO_LOCAL2GLOBAL, &mut a);
    if rc.is_ok() || rc == Err(-libc::E2BIG) {
        // SAFETY: the caller's promise.
        unsafe { *size = a.size };
    }
    ret(rc.map(|_| 0))
}

/// # Safety
/// `global` valid for `size` bytes; `handle` valid; `ev` NULL or an
/// initialised event.
#[no_mangle]
pub unsafe extern "C" fn daos_global2local(
    global: *mut libc::c_void,
    size: u32,
    handle: *mut daos_handle_t,
    ev: *mut daos_event,
) -> i32 {
    if global.is_null() || handle.is_null() {
        return -libc::EINVAL;
    }
    // SAFETY: the caller's promise.
    let old = unsafe { (*handle).cookie };
    let mut a = abi::daos_ioc_co_g2l { buf: global as u64, size, coh: old, ..Default::default() };
    // SAFETY: the caller's promise.
    let mut rc = unsafe { call(ev, DAOS_EV_G2L, abi::DAOS_IOC_CO_GLOBAL2LOCAL, &mut a) };
    if rc == Err(-libc::EBADF) && old != 0 {
        // Not a handle of ours to refresh: a new one, as the seed says.
        a.coh = 0;
        // SAFETY: as above.
        rc = unsafe { call(ev, DAOS_EV_G2L, abi::DAOS_IOC_CO_GLOBAL2LOCAL, &mut a) };
    }
    if rc.is_ok() {
        // SAFETY: the caller's promise.
        unsafe { (*handle).cookie = a.coh };
    }
    ret(rc.map(|_| 0))
}
