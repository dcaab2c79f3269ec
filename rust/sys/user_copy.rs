// SPDX-License-Identifier: GPL-2.0

//! Copies from user memory that may not sleep: for a copy made under a
//! lock that a page fault must not be taken with (the fault could wait on
//! I/O, or on a userfaultfd handler, while every writer of the lock waits).

use core::ffi::c_void;

use kernel::{
    bindings,
    prelude::*,
};

/// Appends `len` bytes from user address `addr` to `v`, within its
/// capacity, without taking a page fault. Returns false, with `v`
/// unchanged, if there is no room or the memory is not resident (the
/// caller then copies the slow way, outside its lock).
pub(crate) fn append_nofault(v: &mut KVVec<u8>, addr: u64, len: usize) -> bool {
    let Ok(src) = usize::try_from(addr) else {
        return false;
    };
    if v.capacity() - v.len() < len {
        return false;
    }
    let spare = v.spare_capacity_mut();
    // SAFETY: `spare` is `len` bytes or more of `v`'s allocation past its
    // length, borrowed exclusively; the function reads user memory at
    // `src` (any value: it checks access and faults nothing in).
    let rc = unsafe { bindings::copy_from_user_nofault(spare.as_mut_ptr().cast(), src as *const c_void, len) };
    if rc != 0 {
        return false;
    }
    // SAFETY: the `len` bytes after the length were written just above.
    unsafe { v.inc_len(len) };
    true
}
