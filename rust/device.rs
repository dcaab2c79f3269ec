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
    mm::virt::VmaNew,
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
    container::ContainerOpen,
    context::Context,
    event_queue::EventQueue,
    object::ObjectOpen,
    system::SysOpen,
    handle_table::{
        Object,
        Owner, //
    },
    pure::handle::{
        Handle,
        HandleType, //
    },
    pure::ring::Ring,
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
    /// Open containers, objects and system containers, with their handles.
    opens: KVec<(u64, Object)>,
}

/// Opens one file may hold (`EMFILE` beyond).
pub(crate) const MAX_OPEN_PER_FILE: usize = 65536;

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
                        opens: KVec::new(),
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
    pub(crate) fn eq_create(&self, ring: Ring) -> Result<(u64, Arc<EventQueue>)> {
        let eq = EventQueue::new(ring)?;
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
        let _ = inner.eqs.push_within_capacity((handle, eq.clone()));
        Ok((handle, eq))
    }

    /// `mmap` at the offset `DAOS_IOC_EQ_CREATE` gave: the EQ's completion
    /// ring (the offset in pages is its handle's cookie).
    pub(crate) fn mmap(&self, pgoff: usize, vma: &VmaNew) -> Result {
        self.check_owner()?;
        let tgid = u32::try_from(self.owner.tgid()).map_err(|_| EBADF)?;
        let h = Handle::new(HandleType::EventQueue, tgid, pgoff as u64).ok_or(EINVAL)?;
        self.eq(h.encode())?.ring().map(vma)
    }

    /// The event queue of handle `eqh`.
    pub(crate) fn eq(&self, eqh: u64) -> Result<Arc<EventQueue>> {
        match self.context.handles.lookup(eqh, HandleType::EventQueue, self.handle_owner())? {
            Object::EventQueue(eq) => Ok(eq),
            _ => Err(EBADF),
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

    /// Gives `object` (a container, object or system container open) a
    /// handle of this file (`EMFILE` beyond [`MAX_OPEN_PER_FILE`]).
    fn insert_open(&self, object: Object) -> Result<u64> {
        let mut inner = self.inner.lock();
        if inner.dead {
            return Err(EBADF);
        }
        if inner.opens.len() >= MAX_OPEN_PER_FILE {
            return Err(EMFILE);
        }
        // An object's container handle may have closed meanwhile.
        if let Object::Object(o) = &object {
            if !inner.opens.iter().any(|(_, c)| matches!(c, Object::Container(c) if Arc::ptr_eq(c, &o.open))) {
                return Err(EBADF);
            }
        }
        inner.opens.reserve(1, GFP_KERNEL_ACCOUNT)?;
        let handle = self.context.handles.insert(self.handle_owner(), object.clone())?;
        // Cannot fail: capacity reserved above.
        let _ = inner.opens.push_within_capacity((handle, object));
        Ok(handle)
    }

    /// Takes handle `h` of type `ty` away; returns what it named.
    fn remove_open(&self, h: u64, ty: HandleType) -> Result<Object> {
        let mut inner = self.inner.lock();
        let i = inner.opens.iter().position(|(x, _)| *x == h).ok_or(EBADF)?;
        self.context.handles.remove(h, ty, self.handle_owner())?;
        let (_, object) = inner.opens.remove(i).map_err(|_| EBADF)?;
        if let Object::Container(open) = &object {
            // Its objects' handles go with it.
            let handles = &self.context.handles;
            inner.opens.retain(|(h, o)| {
                let mine = matches!(o, Object::Object(o) if Arc::ptr_eq(&o.open, open));
                if mine {
                    handles.release(*h);
                }
                !mine
            });
        }
        Ok(object)
    }

    fn lookup(&self, h: u64, ty: HandleType) -> Result<Object> {
        self.context.handles.lookup(h, ty, self.handle_owner())
    }

    /// Gives `open` a handle of this file.
    pub(crate) fn co_insert(&self, open: Arc<ContainerOpen>) -> Result<u64> {
        self.insert_open(Object::Container(open))
    }

    /// The open container of handle `coh`; `EBADF` once it was revoked
    /// (its opener closed).
    pub(crate) fn co(&self, coh: u64) -> Result<Arc<ContainerOpen>> {
        match self.lookup(coh, HandleType::Container)? {
            Object::Container(open) if open.usable() => Ok(open),
            _ => Err(EBADF),
        }
    }

    /// Takes handle `coh` and the handles of its objects away; returns the
    /// open container, for the caller to close.
    pub(crate) fn co_remove(&self, coh: u64) -> Result<Arc<ContainerOpen>> {
        match self.remove_open(coh, HandleType::Container)? {
            Object::Container(open) => Ok(open),
            _ => Err(EBADF),
        }
    }

    /// Gives `object` a handle of this file.
    pub(crate) fn obj_insert(&self, object: Arc<ObjectOpen>) -> Result<u64> {
        self.insert_open(Object::Object(object))
    }

    /// The open object of handle `oh`.
    pub(crate) fn obj(&self, oh: u64) -> Result<Arc<ObjectOpen>> {
        match self.lookup(oh, HandleType::Object)? {
            Object::Object(o) if o.open.usable() => Ok(o),
            _ => Err(EBADF),
        }
    }

    /// Takes handle `oh` away.
    pub(crate) fn obj_remove(&self, oh: u64) -> Result {
        self.remove_open(oh, HandleType::Object).map(|_| ())
    }

    /// Gives `open` a handle of this file.
    pub(crate) fn sys_insert(&self, open: Arc<SysOpen>) -> Result<u64> {
        self.insert_open(Object::System(open))
    }

    /// The open system container of handle `h`.
    pub(crate) fn sys(&self, h: u64) -> Result<Arc<SysOpen>> {
        match self.lookup(h, HandleType::System)? {
            Object::System(s) => Ok(s),
            _ => Err(EBADF),
        }
    }

    /// Takes handle `h` away; returns the open, for the caller to close.
    pub(crate) fn sys_remove(&self, h: u64) -> Result<Arc<SysOpen>> {
        match self.remove_open(h, HandleType::System)? {
            Object::System(s) => Ok(s),
            _ => Err(EBADF),
        }
    }

    /// The owner is gone: everything goes. Runs once; later calls find the
    /// file dead.
    fn teardown(&self) {
        let (eqs, opens) = {
            let mut inner = self.inner.lock();
            if inner.dead {
                return;
            }
            inner.dead = true;
            (core::mem::take(&mut inner.eqs), core::mem::take(&mut inner.opens))
        };
        for (handle, object) in opens.iter() {
            self.context.handles.release(*handle);
            match object {
                Object::Container(open) => open.close(),
                Object::System(open) => open.close(),
                _ => {}
            }
        }
        self.context.handles.release_eqs(eqs.iter().map(|(handle, _)| *handle));
        for (_, eq) in eqs.iter() {
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
        seq_print!(m, "daos_opens:\t{}\n", inner.opens.len());
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
