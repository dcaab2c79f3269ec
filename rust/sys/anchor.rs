// SPDX-License-Identifier: GPL-2.0

//! Module-wide state that outlives all its users.
//!
//! An [`Anchored`] value sits in place (in the module's own structure) and
//! hands out counted references, [`Anchor`]s, to open files and running
//! operations. Dropping the `Anchored` value waits until the last `Anchor`
//! is gone: module exit cannot free the state, or the work queue inside it,
//! while a work item or timer still uses it. That is the counted wait the
//! module's teardown is built on (it replaces polling a counter).

use core::{
    ops::Deref,
    ptr::NonNull,
};

use kernel::{
    prelude::*,
    sync::{
        atomic::{
            Atomic,
            Full,
            Relaxed,
            Release, //
        },
        Completion,
    },
};

/// `T` in place, with counted references; dropping it waits for them.
///
/// # Invariants
/// `refs` counts the live [`Anchor`]s plus one for the `Anchored` itself
/// until its drop starts; `idle` is completed when `refs` reaches zero.
#[pin_data(PinnedDrop)]
pub(crate) struct Anchored<T: Send + Sync> {
    #[pin]
    value: T,
    refs: Atomic<usize>,
    #[pin]
    idle: Completion,
}

/// A counted reference to an [`Anchored`] value.
///
/// # Invariants
/// `ptr` points to a pinned `Anchored<T>` whose `refs` counts this reference,
/// so the value cannot be dropped while this exists.
pub(crate) struct Anchor<T: Send + Sync> {
    ptr: NonNull<Anchored<T>>,
}

// SAFETY: an `Anchor` gives shared access to a `T: Sync` and may be dropped
// on any thread (the count is atomic, `complete_all` works anywhere).
unsafe impl<T: Send + Sync> Send for Anchor<T> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync> Sync for Anchor<T> {}

impl<T: Send + Sync> Anchored<T> {
    pub(crate) fn new(value: impl PinInit<T, Error>) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            value <- value,
            refs: Atomic::new(1),
            idle <- Completion::new(),
        })
    }

    /// A new counted reference.
    pub(crate) fn anchor(self: Pin<&Self>) -> Anchor<T> {
        self.refs.fetch_add(1, Relaxed);
        // INVARIANT: the count includes the new reference; `self` is pinned.
        Anchor {
            ptr: NonNull::from(self.get_ref()),
        }
    }
}

impl<T: Send + Sync> Deref for Anchored<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

#[pinned_drop]
impl<T: Send + Sync> PinnedDrop for Anchored<T> {
    fn drop(self: Pin<&mut Self>) {
        // Give up our own count; if references remain, the last one to go
        // completes `idle`. Full ordering: every reference's uses of the
        // value happen before the value is dropped.
        if self.refs.fetch_sub(1, Full) != 1 {
            self.idle.wait_for_completion();
        }
    }
}

impl<T: Send + Sync> Deref for Anchor<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the `Anchored` lives while this reference exists (type
        // invariant).
        unsafe { &self.ptr.as_ref().value }
    }
}

impl<T: Send + Sync> Clone for Anchor<T> {
    fn clone(&self) -> Self {
        // SAFETY: as in `deref`.
        let anchored = unsafe { self.ptr.as_ref() };
        anchored.refs.fetch_add(1, Relaxed);
        // INVARIANT: counted above.
        Anchor { ptr: self.ptr }
    }
}

impl<T: Send + Sync> Drop for Anchor<T> {
    fn drop(&mut self) {
        // SAFETY: as in `deref`; the value is valid until our count is given
        // up below, and `idle` until `complete_all` returns: the waiter in
        // `Anchored::drop` can only return once `complete_all` released the
        // completion's lock.
        let anchored = unsafe { self.ptr.as_ref() };
        if anchored.refs.fetch_sub(1, Release) == 1 {
            anchored.idle.complete_all();
        }
    }
}
