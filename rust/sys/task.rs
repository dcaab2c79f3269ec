// SPDX-License-Identifier: GPL-2.0

//! Facts about the calling task that `kernel::task` does not expose.

use kernel::{
    bindings,
    task::Task,
};

/// Whether the calling task is exiting: files it closes now are closed by
/// its exit, not by a `close()` it made.
pub(crate) fn current_is_exiting() -> bool {
    // SAFETY: `current` is always a valid task, and a task may read its own
    // flags.
    let flags = unsafe { (*Task::current_raw()).flags };
    flags & bindings::PF_EXITING != 0
}
