// SPDX-License-Identifier: GPL-2.0

//! A work queue the module owns: created at load, destroyed (after its last
//! work item returned) when dropped. 7.3 has only borrowed queues.

use core::ptr::NonNull;

use kernel::{
    bindings,
    prelude::*,
    workqueue::Queue,
};

/// An unbound work queue, destroyed on drop.
///
/// # Invariants
/// `raw` came from `alloc_workqueue` and is destroyed only by `drop`.
pub(crate) struct OwnedQueue {
    raw: NonNull<bindings::workqueue_struct>,
}

// SAFETY: a work queue may be used and destroyed from any thread.
unsafe impl Send for OwnedQueue {}
// SAFETY: enqueueing through `&Queue` is safe concurrently.
unsafe impl Sync for OwnedQueue {}

impl OwnedQueue {
    /// Creates an unbound queue named `name`.
    pub(crate) fn new(name: &'static CStr) -> Result<OwnedQueue> {
        // SAFETY: a NUL-terminated name without format directives (so no
        // variadic arguments are read), valid flags.
        let raw = unsafe { bindings::alloc_workqueue_noprof(name.as_char_ptr(), bindings::wq_flags_WQ_UNBOUND, 0) };
        // INVARIANT: a queue from alloc_workqueue, or an error.
        NonNull::new(raw).map(|raw| OwnedQueue { raw }).ok_or(ENOMEM)
    }
}

impl core::ops::Deref for OwnedQueue {
    type Target = Queue;

    fn deref(&self) -> &Queue {
        // SAFETY: the queue lives until `drop`, and the reference cannot
        // outlive `self`.
        unsafe { Queue::from_raw(self.raw.as_ptr()) }
    }
}

impl Drop for OwnedQueue {
    fn drop(&mut self) {
        // SAFETY: by the type invariant the queue is live and destroyed only
        // here; destroy_workqueue waits for queued and running work first.
        unsafe { bindings::destroy_workqueue(self.raw.as_ptr()) };
    }
}
