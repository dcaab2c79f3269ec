// SPDX-License-Identifier: LGPL-2.1-or-later

//! The one piece of global state: the `/dev/daos` file descriptor (and,
//! in `ring.rs`, the event queues' rings mapped from it).
//!
//! Opened lazily on the first call, shared by all threads, close-on-exec.
//! Fork handlers, registered from a library constructor (so that no fork can
//! race with their registration), keep the descriptor consistent across
//! `fork()`: the prepare handler takes the lock under which the device is
//! opened, so no fork happens half-way through an open, and the child
//! handler closes the child's copy, so that the child opens its own on its
//! next call instead of sharing the parent's open file (whose event queues
//! belong to the parent).

use std::{
    cell::UnsafeCell,
    ffi::CStr,
    sync::atomic::{AtomicI32, Ordering},
};

pub(crate) const DEVICE: &CStr = c"/dev/daos";

/// The open device, or -1.
static FD: AtomicI32 = AtomicI32::new(-1);

/// Serialises opening the device with `fork()` (a pthread mutex, because the
/// fork handlers lock and unlock it in different functions).
struct ForkLock(UnsafeCell<libc::pthread_mutex_t>);

// SAFETY: a pthread mutex is made to be shared between threads.
unsafe impl Sync for ForkLock {}

static OPEN_LOCK: ForkLock = ForkLock(UnsafeCell::new(libc::PTHREAD_MUTEX_INITIALIZER));

pub(crate) fn lock() {
    // SAFETY: a statically initialised mutex.
    unsafe { libc::pthread_mutex_lock(OPEN_LOCK.0.get()) };
}

pub(crate) fn unlock() {
    // SAFETY: as above; called by the thread that locked it (or, in the
    // child, by the only thread, which inherited it locked).
    unsafe { libc::pthread_mutex_unlock(OPEN_LOCK.0.get()) };
}

extern "C" fn before_fork() {
    lock();
}

extern "C" fn after_fork_in_parent() {
    unlock();
}

extern "C" fn after_fork_in_child() {
    crate::ring::forget_all_in_child();
    let fd = FD.swap(-1, Ordering::AcqRel);
    if fd >= 0 {
        // SAFETY: the child's copy of a descriptor only this library uses.
        unsafe { libc::close(fd) };
    }
    unlock();
}

extern "C" fn register_fork_handlers() {
    // SAFETY: the handlers only touch the lock, an atomic and close().
    unsafe {
        libc::pthread_atfork(Some(before_fork), Some(after_fork_in_parent), Some(after_fork_in_child))
    };
}

/// Runs when the library is loaded (or, linked statically, at program
/// start), before any thread of the program can fork.
#[used]
#[link_section = ".init_array"]
static REGISTER_FORK_HANDLERS: extern "C" fn() = register_fork_handlers;

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO)
}

/// The error an API call returns when the device cannot be opened: three
/// causes, three results, none of which a call documents for anything else.
fn open_error(errno: i32) -> i32 {
    match errno {
        // No node, or no driver behind it: the module is not loaded.
        libc::ENOENT | libc::ENXIO | libc::ENODEV => -libc::ENODEV,
        libc::EACCES | libc::EPERM => -libc::EACCES,
        // Out of descriptors, for the process or the system.
        libc::EMFILE | libc::ENFILE => -libc::ENFILE,
        e => -e,
    }
}

/// The device descriptor, opening it on first use; `Err(-errno)` on failure.
pub(crate) fn fd() -> Result<i32, i32> {
    let fd = FD.load(Ordering::Acquire);
    if fd >= 0 {
        return Ok(fd);
    }
    lock();
    let mut fd = FD.load(Ordering::Acquire);
    let result = if fd >= 0 {
        Ok(fd)
    } else {
        // SAFETY: a NUL-terminated path and plain flags.
        fd = unsafe { libc::open(DEVICE.as_ptr(), libc::O_RDWR | libc::O_CLOEXEC) };
        if fd < 0 {
            Err(open_error(errno()))
        } else {
            FD.store(fd, Ordering::Release);
            Ok(fd)
        }
    };
    unlock();
    result
}

/// Issues `cmd` with `arg` as its argument structure; `Err(-errno)` on failure.
pub(crate) fn ioctl<T>(cmd: u32, arg: &mut T) -> Result<i32, i32> {
    let fd = fd()?;
    // SAFETY: `arg` is a live, exclusively borrowed structure whose size is
    // the one encoded in `cmd` (commands are built from the same types).
    let rc = unsafe { libc::ioctl(fd, cmd as libc::c_ulong, arg as *mut T) };
    if rc < 0 {
        Err(-errno())
    } else {
        Ok(rc)
    }
}
