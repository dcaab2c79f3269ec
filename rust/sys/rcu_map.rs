// SPDX-License-Identifier: GPL-2.0

//! A map from integer keys to boxed values that readers search without a
//! lock: an xarray read under RCU. Writers take the xarray's own lock; a
//! removed value is freed only after an RCU grace period, so a reader that
//! found it before the removal can finish with it.
//!
//! The 7.3 `XArray` abstraction takes its lock for every lookup, which is
//! what this map is for avoiding.

use core::{
    marker::PhantomData,
    ptr::NonNull, //
};

use kernel::{
    bindings,
    error::to_result,
    prelude::*,
    sync::{
        atomic::{
            Atomic,
            Relaxed, //
        },
        rcu,
    },
    types::Opaque,
};

#[pin_data(PinnedDrop)]
pub(crate) struct RcuMap<T: Send + Sync> {
    #[pin]
    xa: Opaque<bindings::xarray>,
    /// Values in the map (changed under the xarray's lock).
    len: Atomic<usize>,
    _values: PhantomData<KBox<T>>,
}

// SAFETY: the xarray is made to be shared between threads (its lock and RCU
// guard every access); the values are `Send + Sync`.
unsafe impl<T: Send + Sync> Send for RcuMap<T> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync> Sync for RcuMap<T> {}

/// A value taken out of the map. Readers may still see it until a grace
/// period ends: dropping it waits for one ([`free_all`] waits once for
/// many).
pub(crate) struct Removed<T>(NonNull<T>);

impl<T> Removed<T> {
    pub(crate) fn get(&self) -> &T {
        // SAFETY: from `KBox::into_raw`; freed only when `self` goes.
        unsafe { self.0.as_ref() }
    }

    /// Frees the value; the caller waited for a grace period since it was
    /// removed.
    fn free_now(self) {
        let p = self.0.as_ptr();
        core::mem::forget(self);
        // SAFETY: from `KBox::into_raw`, out of the map, no reader left.
        drop(unsafe { KBox::from_raw(p) });
    }
}

impl<T> Drop for Removed<T> {
    fn drop(&mut self) {
        rcu::synchronize_rcu();
        // SAFETY: as in `free_now`.
        drop(unsafe { KBox::from_raw(self.0.as_ptr()) });
    }
}

// SAFETY: owns a `KBox<T>` (moved out of the map); `T: Send + Sync` where
// it is made.
unsafe impl<T: Send + Sync> Send for Removed<T> {}

/// Frees values removed from a map after one grace period for all.
pub(crate) fn free_all<T>(removed: impl IntoIterator<Item = Removed<T>>) {
    rcu::synchronize_rcu();
    for r in removed {
        r.free_now();
    }
}

impl<T: Send + Sync> RcuMap<T> {
    pub(crate) fn new() -> impl PinInit<Self> {
        pin_init!(RcuMap {
            // SAFETY: `xa_init_flags` initialises the xarray in place.
            xa <- Opaque::ffi_init(|xa| unsafe { bindings::xa_init_flags(xa, 0) }),
            len: Atomic::new(0),
            _values: PhantomData,
        })
    }

    /// Stores `value` at `key`, which must be free (`EBUSY` otherwise);
    /// the xarray's nodes are charged to the caller.
    pub(crate) fn insert(&self, key: usize, value: KBox<T>) -> Result {
        let p = KBox::into_raw(value);
        // SAFETY: the xarray is initialised; `__xa_insert` wants its lock
        // held and may drop and retake it to allocate (the flags sleep).
        let rc = unsafe {
            bindings::xa_lock(self.xa.get());
            let rc = bindings::__xa_insert(self.xa.get(), key, p.cast(), bindings::GFP_KERNEL_ACCOUNT);
            if rc == 0 {
                self.len.store(self.len.load(Relaxed) + 1, Relaxed);
            }
            bindings::xa_unlock(self.xa.get());
            rc
        };
        if rc != 0 {
            // SAFETY: not stored: still ours.
            drop(unsafe { KBox::from_raw(p) });
        }
        to_result(rc)
    }

    /// What `f` makes of the value at `key`, read without a lock. `f` runs
    /// in an RCU read-side section: it must not sleep.
    pub(crate) fn read<R>(&self, key: usize, f: impl FnOnce(&T) -> R) -> Option<R> {
        let _guard = rcu::read_lock();
        // SAFETY: the xarray is initialised; `xa_load` may run under RCU.
        let p = unsafe { bindings::xa_load(self.xa.get(), key) }.cast::<T>();
        // SAFETY: stored by `insert`; freed only after a grace period that
        // follows its removal, and `_guard` holds this reader in.
        NonNull::new(p).map(|p| f(unsafe { p.as_ref() }))
    }

    /// Takes the value at `key` out if `take(value)` says so (both under
    /// the lock).
    pub(crate) fn remove(&self, key: usize, take: impl FnOnce(&T) -> bool) -> Option<Removed<T>> {
        // SAFETY: the xarray is initialised; `__xa_erase` wants its lock.
        unsafe {
            bindings::xa_lock(self.xa.get());
            let p = NonNull::new(bindings::xa_load(self.xa.get(), key).cast::<T>());
            // SAFETY (deref): stored by `insert`, not freed while in the map.
            let p = p.filter(|p| take(p.as_ref()));
            if p.is_some() {
                bindings::__xa_erase(self.xa.get(), key);
                self.len.store(self.len.load(Relaxed) - 1, Relaxed);
            }
            bindings::xa_unlock(self.xa.get());
            p.map(Removed)
        }
    }

    /// Whether the map is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.len.load(Relaxed) == 0
    }
}

#[pinned_drop]
impl<T: Send + Sync> PinnedDrop for RcuMap<T> {
    fn drop(self: Pin<&mut Self>) {
        // Values left (a bug: the owner removes every one) are leaked
        // rather than freed under a reader; the nodes go.
        // SAFETY: nobody else can use the map any more.
        unsafe { bindings::xa_destroy(self.xa.get()) };
    }
}
