// SPDX-License-Identifier: GPL-2.0

//! A memory shrinker: the kernel asks it, under memory pressure, how much
//! it could free ([`Shrink::count`]) and to free some ([`Shrink::scan`]).
//! 7.3 has no abstraction for it (Binder has a private one).

use core::{
    ffi::c_void,
    ptr::NonNull,
};

use kernel::{
    bindings,
    ffi::c_ulong,
    prelude::*,
};

/// What a shrinker frees, in pages.
pub(crate) trait Shrink: Send + Sync + 'static {
    /// Pages it could free now (0: nothing to do).
    fn count(&self) -> u64;
    /// Frees about `pages`; returns how many it freed (0: it cannot now).
    fn scan(&self, pages: u64) -> u64;
}

/// A registered shrinker over `T`, unregistered on drop.
///
/// # Invariants
/// `raw` came from `shrinker_alloc`, was registered with `count::<T>` and
/// `scan::<T>` and `data` as its private data, and is freed only by `drop`.
pub(crate) struct Shrinker<T: Shrink> {
    raw: NonNull<bindings::shrinker>,
    /// Reached by the callbacks, through the shrinker's private data.
    _data: KBox<T>,
}

// SAFETY: the kernel calls the shrinker from any thread; `T` is `Send +
// Sync`, and the pointer is only freed by `drop`.
unsafe impl<T: Shrink> Send for Shrinker<T> {}
// SAFETY: as above.
unsafe impl<T: Shrink> Sync for Shrinker<T> {}

impl<T: Shrink> Shrinker<T> {
    /// Registers a shrinker named `name` over `data`.
    pub(crate) fn register(name: &'static CStr, data: T) -> Result<Shrinker<T>> {
        let data = KBox::new(data, GFP_KERNEL)?;
        // SAFETY: a NUL-terminated name without format directives (so no
        // variadic arguments are read).
        let raw = NonNull::new(unsafe { bindings::shrinker_alloc(0, name.as_char_ptr()) }).ok_or(ENOMEM)?;
        // SAFETY: `raw` is a new, unregistered shrinker: its fields are
        // ours to set; `data` lives (boxed, it does not move) until `drop`
        // has freed the shrinker.
        unsafe {
            let s = raw.as_ptr();
            (*s).count_objects = Some(count::<T>);
            (*s).scan_objects = Some(scan::<T>);
            (*s).private_data = (&raw const *data).cast_mut().cast::<c_void>();
            bindings::shrinker_register(s);
        }
        // INVARIANT: registered above with our callbacks and `data`.
        Ok(Shrinker { raw, _data: data })
    }
}

impl<T: Shrink> Drop for Shrinker<T> {
    fn drop(&mut self) {
        // SAFETY: registered (type invariant); shrinker_free unregisters it
        // and waits for callbacks in progress before `data` goes.
        unsafe { bindings::shrinker_free(self.raw.as_ptr()) };
    }
}

/// # Safety
/// Called by the kernel for a shrinker registered by [`Shrinker::register`].
unsafe extern "C" fn count<T: Shrink>(s: *mut bindings::shrinker, _sc: *mut bindings::shrink_control) -> c_ulong {
    // SAFETY: private data is the `T` of a live `Shrinker<T>` (its drop
    // waits for us).
    let data = unsafe { &*(*s).private_data.cast::<T>() };
    data.count() as c_ulong
}

/// # Safety
/// As for [`count`]; `sc` is the kernel's valid shrink control.
unsafe extern "C" fn scan<T: Shrink>(s: *mut bindings::shrinker, sc: *mut bindings::shrink_control) -> c_ulong {
    // SAFETY: as in `count`.
    let data = unsafe { &*(*s).private_data.cast::<T>() };
    // SAFETY: the kernel passes a valid control.
    let wanted = unsafe { (*sc).nr_to_scan };
    match data.scan(wanted as u64) {
        // SHRINK_STOP: nothing can be done now.
        0 => c_ulong::MAX,
        freed => freed as c_ulong,
    }
}
