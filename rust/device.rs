// SPDX-License-Identifier: GPL-2.0

//! The state of one open `/dev/daos`.
//!
//! A file belongs to the process that opened it, held by reference to its
//! thread-group leader (as Binder holds its task), so that a recycled pid
//! can never pass for it. Only that process may use the file; anyone else,
//! a forked child using the inherited file included, gets `EBADF`.
//!
//! Everything the owner creates through the file (event queues and their
//! events, later containers) belongs to the file, and goes when the owner
//! does: at the owner's exit (the `flush` every close runs, exit included)
//! even if a forked child still holds the file, or at the last close
//! (`release`), whichever comes first. Teardown marks the file dead first
//! thing, under the lock every insert takes, so that nothing can be added
//! while or after it runs.

use kernel::{
    fs::File,
    new_mutex,
    prelude::*,
    seq_file::SeqFile,
    seq_print,
    sync::{
        aref::ARef,
        Arc,
        Mutex, //
    },
    task::Task,
};

use crate::{
    context::Context,
    event_queue::EventQueue,
    handle_table::{
        Object,
        Owner, //
    },
    pure::handle::HandleType,
    sys::{
        anchor::Anchor,
        params,
        task::current_is_exiting,
    },
};

/// The state of one open `/dev/daos`.
#[pin_data]
pub(crate) struct DaosFile {
    pub(crate) context: Anchor<Context>,
    /// The thread-group leader of the process that opened the file.
    owner: ARef<Task>,
    #[pin]
    inner: Mutex<FileInner>,
}

/// The fields of [`DaosFile`] protected by `inner`.
struct FileInner {
    /// Set first thing by teardown: nothing is added afterwards.
    dead: bool,
    /// The event queues created through this file, with their handles.
    eqs: KVec<(u64, Arc<EventQueue>)>,
}

impl DaosFile {
    /// A new open file, owned by the calling process.
    pub(crate) fn open(context: Anchor<Context>, _file: &File) -> Result<Arc<DaosFile>> {
        let owner: ARef<Task> = kernel::current!().group_leader().into();
        Arc::pin_init(
            pin_init!(DaosFile {
                context,
                owner,
                inner <- new_mutex!(
                    FileInner {
                        dead: false,
                        eqs: KVec::new(),
                    },
                    "DaosFile::inner"
                ),
            }),
            GFP_KERNEL_ACCOUNT,
        )
    }

    /// `EBADF` unless the caller is the process that opened the file.
    pub(crate) fn check_owner(&self) -> Result {
        if *self.owner == *kernel::current!().group_leader() {
            Ok(())
        } else {
            Err(EBADF)
        }
    }

    /// This file's handles' owner.
    fn handle_owner(&self) -> Owner {
        Owner {
            tgid: self.owner.tgid(),
            file: core::ptr::from_ref(self) as usize,
        }
    }

    /// Creates an event queue and returns its handle (`EMFILE` beyond
    /// `max_eqs_per_file`).
    pub(crate) fn eq_create(&self) -> Result<u64> {
        let eq = EventQueue::new()?;
        let mut inner = self.inner.lock();
        if inner.dead {
            return Err(EBADF);
        }
        if inner.eqs.len() >= params::max_eqs_per_file() as usize {
            return Err(EMFILE);
        }
        inner.eqs.reserve(1, GFP_KERNEL_ACCOUNT)?;
        let handle = self.context.handles.insert(self.handle_owner(), Object::EventQueue(eq.clone()))?;
        // Cannot fail: capacity reserved above.
        let _ = inner.eqs.push_within_capacity((handle, eq));
        Ok(handle)
    }

    /// The event queue of handle `eqh`.
    pub(crate) fn eq(&self, eqh: u64) -> Result<Arc<EventQueue>> {
        match self.context.handles.lookup(eqh, HandleType::EventQueue, self.handle_owner())? {
            Object::EventQueue(eq) => Ok(eq),
        }
    }

    /// `daos_eq_destroy`.
    pub(crate) fn eq_destroy(&self, eqh: u64) -> Result {
        let eq = self.eq(eqh)?;
        // Under the file's lock, so that a concurrent destroy of the same
        // handle finds it gone rather than half-destroyed.
        let mut inner = self.inner.lock();
        eq.destroy()?;
        let removed = self.context.handles.remove(eqh, HandleType::EventQueue, self.handle_owner());
        if let Some(i) = inner.eqs.iter().position(|(h, _)| *h == eqh) {
            let _ = inner.eqs.remove(i);
        }
        drop(inner);
        removed.map(|_| ())
    }

    /// The owner is gone: everything goes. Runs once; later calls find the
    /// file dead.
    fn teardown(&self) {
        let eqs = {
            let mut inner = self.inner.lock();
            if inner.dead {
                return;
            }
            inner.dead = true;
            core::mem::take(&mut inner.eqs)
        };
        for (handle, eq) in eqs.iter() {
            self.context.handles.release(*handle);
            eq.abandon();
        }
    }

    /// Every close of a descriptor of the file, exit included: the owner's
    /// exit takes everything down even while a forked child holds a copy.
    /// A plain `close()` does nothing (the owner may hold another copy).
    pub(crate) fn flush(&self) {
        if current_is_exiting() && self.check_owner().is_ok() {
            self.teardown();
        }
    }

    /// The last reference to the file went.
    pub(crate) fn release(this: Arc<DaosFile>) {
        this.teardown();
    }

    /// `/proc/PID/fdinfo`: the owner and each queue's counts.
    pub(crate) fn show_fdinfo(&self, m: &SeqFile) {
        let inner = self.inner.lock();
        seq_print!(m, "daos_owner:\t{}\n", self.owner.tgid());
        seq_print!(m, "daos_dead:\t{}\n", u8::from(inner.dead));
        seq_print!(m, "daos_eqs:\t{}\n", inner.eqs.len());
        for (handle, eq) in inner.eqs.iter() {
            let c = eq.counts();
            seq_print!(
                m,
                "daos_eq:\t{:#x} events {} inflight {} completed {} ops {}\n",
                handle,
                c.events,
                c.inflight,
                c.completed,
                c.ops
            );
        }
    }
}
