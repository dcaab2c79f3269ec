// SPDX-License-Identifier: LGPL-2.1-or-later

//! The one piece of global state: the `/dev/daos` file descriptor.
//!
//! Opened lazily on the first call, shared by all threads, close-on-exec.
//! A `pthread_atfork` child handler drops it, so a forked child opens its own
//! on its next call instead of sharing the parent's open file (whose event
//! queues belong to the parent).

use std::{
    ffi::CStr,
    sync::{
        atomic::{AtomicI32, Ordering},
        Once,
    },
};

pub(crate) const DEVICE: &CStr = c"/dev/daos";

/// The open device, or -1.
static FD: AtomicI32 = AtomicI32::new(-1);
static ATFORK: Once = Once::new();

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO)
}

extern "C" fn forget_after_fork() {
    let fd = FD.swap(-1, Ordering::AcqRel);
    if fd >= 0 {
        // SAFETY: the child's copy of a descriptor only this library uses.
        unsafe { libc::close(fd) };
    }
}

/// The device descriptor, opening it on first use; `Err(-errno)` on failure.
pub(crate) fn fd() -> Result<i32, i32> {
    let fd = FD.load(Ordering::Acquire);
    if fd >= 0 {
        return Ok(fd);
    }
    ATFORK.call_once(|| {
        // SAFETY: registers a handler that only touches an atomic and close().
        unsafe { libc::pthread_atfork(None, None, Some(forget_after_fork)) };
    });
    // SAFETY: a NUL-terminated path and plain flags.
    let new = unsafe { libc::open(DEVICE.as_ptr(), libc::O_RDWR | libc::O_CLOEXEC) };
    if new < 0 {
        return Err(-errno());
    }
    match FD.compare_exchange(-1, new, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => Ok(new),
        Err(winner) => {
            // Another thread opened it first: use theirs.
            // SAFETY: `new` is ours and unused.
            unsafe { libc::close(new) };
            Ok(winner)
        }
    }
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
