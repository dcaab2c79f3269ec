// SPDX-License-Identifier: GPL-2.0

//! The module's only `unsafe` code: thin safe wrappers around raw bindings,
//! the module-wide state slot, and the marker-trait promises for the ABI
//! structures.

use kernel::{
    bindings,
    prelude::*,
    transmute::{
        AsBytes,
        FromBytes, //
    },
};

use crate::uapi;

/// Implements the kernel's `FromBytes` and `AsBytes` for ABI structures.
macro_rules! abi_bytes {
    ($($t:ident),* $(,)?) => {
        $(
            // SAFETY: `uapi_layout.rs` asserts that this `repr(C)` structure
            // has only integer fields and no implicit padding (every byte
            // belongs to a field, padding is explicit `reserved`/`flags`), so
            // every bit pattern is valid and every byte is initialised.
            unsafe impl FromBytes for uapi::$t {}
            // SAFETY: as above.
            unsafe impl AsBytes for uapi::$t {}
        )*
    };
}

abi_bytes!(
    daos_version,
    daos_ioc_eq_create,
    daos_ioc_eq,
    daos_polled_event,
    daos_ioc_eq_poll,
    daos_ioc_eq_query,
    daos_ioc_eq_eventfd,
    daos_ioc_event_init,
    daos_ioc_event,
    daos_ioc_event_next,
    daos_ioc_noop,
);

/// Module parameters, defined in C (`module_info.c`) so that they appear under
/// `/sys/module/daos/parameters`; the Rust `module!` macro hides them.
pub(crate) mod params {
    extern "C" {
        fn daos_param_max_eq_events() -> u32;
    }

    /// Per-EQ event limit (`max_eq_events`); beyond it `-EMFILE`.
    pub(crate) fn max_eq_events() -> u32 {
        // SAFETY: a C function without preconditions that reads an integer
        // with READ_ONCE(); the parameter can change at any time through sysfs.
        unsafe { daos_param_max_eq_events() }
    }
}

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

/// The slot for module-wide state, set between module init and exit.
pub(crate) mod global {
    use kernel::{
        prelude::*,
        sync::Arc, //
    };

    use crate::context::Context;

    kernel::sync::global_lock! {
        // SAFETY: initialised in `init`, from module init, before any use.
        unsafe(uninit) static CONTEXT: Mutex<Option<Arc<Context>>> = None;
    }

    /// Prepares the slot; module init calls it once, first.
    pub(crate) fn init(context: Arc<Context>) {
        // SAFETY: called once, from module init, before any other use of
        // CONTEXT (the device is registered afterwards).
        unsafe { CONTEXT.init() };
        *CONTEXT.lock() = Some(context);
    }

    /// The module-wide state; `None` only during module exit.
    pub(crate) fn get() -> Option<Arc<Context>> {
        CONTEXT.lock().clone()
    }

    /// Empties the slot at module exit.
    pub(crate) fn take() -> Option<Arc<Context>> {
        CONTEXT.lock().take()
    }
}

/// The module's workqueue: completions run here, and destroying it at module
/// exit waits for every work item to finish.
pub(crate) mod workqueue {
    use kernel::{
        bindings,
        prelude::*,
        sync::atomic::{
            Acquire,
            Atomic,
            Release, //
        },
        workqueue::Queue,
    };

    static QUEUE: Atomic<*mut bindings::workqueue_struct> = Atomic::new(core::ptr::null_mut());

    /// Module init: creates the queue.
    pub(crate) fn create() -> Result {
        // SAFETY: a NUL-terminated name without format directives, valid
        // flags; no variadic arguments are needed.
        let q = unsafe {
            bindings::alloc_workqueue_noprof(c"daos".as_ptr().cast(), bindings::wq_flags_WQ_UNBOUND, 0)
        };
        if q.is_null() {
            return Err(ENOMEM);
        }
        QUEUE.store(q, Release);
        Ok(())
    }

    /// The queue; only used between `create` and `destroy`.
    pub(crate) fn queue() -> &'static Queue {
        let q = QUEUE.load(Acquire);
        // SAFETY: the queue is created in module init before the device
        // exists and destroyed in module exit after every file is closed and
        // every timer that could queue work has finished (noop::wait_idle),
        // so callers always see a live queue.
        unsafe { Queue::from_raw(q) }
    }

    /// Module exit: waits for queued work and frees the queue.
    pub(crate) fn destroy() {
        let q = QUEUE.xchg(core::ptr::null_mut(), Acquire);
        if !q.is_null() {
            // SAFETY: `q` came from alloc_workqueue and is destroyed once.
            unsafe { bindings::destroy_workqueue(q) };
        }
    }
}
