// SPDX-License-Identifier: GPL-2.0

//! References to eventfds (there is no Rust wrapper in 7.3, and the C
//! `eventfd_signal()` is inline).

use kernel::{
    bindings,
    prelude::*,
};

/// A reference to an eventfd's context (`struct eventfd_ctx`).
///
/// # Invariants
/// `ctx` is a valid eventfd context on which this object holds a reference.
pub(crate) struct EventFd {
    ctx: *mut bindings::eventfd_ctx,
}

// SAFETY: an eventfd context is reference counted and internally locked;
// signalling and releasing it are allowed from any thread.
unsafe impl Send for EventFd {}
// SAFETY: as above; `signal` takes `&self` and is safe concurrently.
unsafe impl Sync for EventFd {}

impl EventFd {
    /// The eventfd behind file descriptor `fd` of the calling process.
    pub(crate) fn from_fd(fd: i32) -> Result<EventFd> {
        // SAFETY: any integer is acceptable; the function returns a counted
        // reference or an error pointer.
        let ctx = kernel::error::from_err_ptr(unsafe { bindings::eventfd_ctx_fdget(fd) })?;
        // INVARIANT: a valid context with a reference that we now own.
        Ok(EventFd { ctx })
    }

    /// Adds 1 to the eventfd's counter, waking its readers and pollers.
    pub(crate) fn signal(&self) {
        // SAFETY: `ctx` is valid by the type invariant; this is what the C
        // inline eventfd_signal() does. Safe in any context.
        unsafe { bindings::eventfd_signal_mask(self.ctx, 0) }
    }
}

impl Drop for EventFd {
    fn drop(&mut self) {
        // SAFETY: we own one reference to a valid context (type invariant).
        unsafe { bindings::eventfd_ctx_put(self.ctx) }
    }
}
