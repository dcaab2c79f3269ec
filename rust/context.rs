// SPDX-License-Identifier: GPL-2.0

//! Module-wide state shared by every open file and every operation: the
//! handle table, the work queue operations complete on, and counters.
//!
//! It lives in the module's [`Device`](crate::sys::misc::Device), from
//! module init to module exit. Open files and running operations hold
//! [`Anchor`]s to it, and module exit waits for the last one before the
//! context (and its work queue) goes. Its counters are in debugfs, under
//! `daos/`.

use core::ops::Deref;

use kernel::{
    debugfs::ScopedDir,
    prelude::*,
    sync::{
        atomic::{
            Atomic,
            Relaxed, //
        },
        Arc,
    },
};

use crate::{
    handle_table::HandleTable,
    sys::{
        anchor::Anchor,
        workqueue::OwnedQueue,
    },
    system::System,
    target::Target,
};

#[pin_data(PinnedDrop)]
pub(crate) struct Context {
    #[pin]
    pub(crate) handles: HandleTable,
    /// Operations complete here: their timers fire in interrupt context and
    /// hand over to a work item. Dropping it waits for the last work item.
    pub(crate) queue: OwnedQueue,
    /// Operations started and not yet gone (debugfs `daos/operations`).
    operations: Atomic<u64>,
    /// The system container: the storage targets.
    pub(crate) system: Arc<System>,
}

impl Context {
    pub(crate) fn new(system: Arc<System>) -> impl PinInit<Self, Error> {
        try_pin_init!(Context {
            handles <- HandleTable::new(),
            queue: OwnedQueue::new(c"daos")?,
            operations: Atomic::new(0),
            system,
        })
    }

    /// Target `id` (`ENODEV` if there is none).
    pub(crate) fn target(&self, id: u32) -> Result<Arc<Target>> {
        self.system.target(id)
    }

    /// Fills the module's debugfs directory.
    pub(crate) fn debugfs<'d>(&'d self, dir: &ScopedDir<'d, '_>) {
        dir.read_only_file(c"operations", &self.operations);
        dir.read_callback_file(c"rpc_stats", self, &|c: &Context, f: &mut core::fmt::Formatter<'_>| {
            c.system.show_rpc_stats(f)
        });
    }
}

/// A running operation's hold on the module: its context, kept alive (and
/// module exit waits for it), and its place in the count of operations.
pub(crate) struct Running(Anchor<Context>);

impl Running {
    pub(crate) fn new(context: &Anchor<Context>) -> Running {
        context.operations.fetch_add(1, Relaxed);
        Running(context.clone())
    }

    /// The hold on the context, for operations this one starts.
    pub(crate) fn anchor(&self) -> &Anchor<Context> {
        &self.0
    }
}

impl Deref for Running {
    type Target = Context;

    fn deref(&self) -> &Context {
        &self.0
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0.operations.fetch_sub(1, Relaxed);
    }
}

#[pinned_drop]
impl PinnedDrop for Context {
    fn drop(self: Pin<&mut Self>) {
        // Every file released its handles; one left is a leak.
        if !self.handles.is_empty() {
            pr_err!("handles left at module exit\n");
        }
        self.system.containers.clear();
    }
}
