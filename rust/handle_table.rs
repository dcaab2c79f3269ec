// SPDX-License-Identifier: GPL-2.0

//! The global handle table (seed: "DAOS handle table").
//!
//! Two levels, as in the design: the owner's pid bits pick one of 128
//! buckets, each a red-black tree keyed by cookie under its own spinlock, so
//! processes rarely contend with each other and a lookup holds its bucket
//! only for a tree search and a reference count increment. Every lookup
//! checks the handle's type and its owner (the open file, and its owner's
//! pid bits): a foreign, stale, forged or mistyped handle gets `EBADF`,
//! never another object. That the caller is the file's owning process is
//! checked before, once per ioctl (`DaosFile::check_owner`).
//!
//! Allocation (the tree node, charged to the caller's memory cgroup) happens
//! before a bucket lock is taken, and removed nodes are dropped after it is
//! released.
//!
//! Event queue handles, which the event path looks up on every call, are
//! kept apart in an [`RcuMap`] keyed by cookie: a lookup takes no lock and
//! writes nothing shared but the queue's own reference count, so threads of
//! one process do not serialise on their bucket. Removing one waits for an
//! RCU grace period (a queue's destroy, or once per batch when a file goes).

use kernel::{
    new_spinlock,
    prelude::*,
    rbtree::{
        RBTree,
        RBTreeNode,
        RBTreeNodeReservation, //
    },
    sync::{
        atomic::{
            Atomic,
            Relaxed, //
        },
        Arc,
        SpinLock,
    },
};

use crate::{
    sys::rcu_map::{
        free_all,
        RcuMap,
        Removed, //
    },
    container::ContainerOpen,
    event_queue::EventQueue,
    object::ObjectOpen,
    system::SysOpen,
    pure::handle::{
        pid_bits,
        Handle,
        HandleType,
        PID_BUCKETS, //
    },
};

/// Who may use a handle: one open `/dev/daos`, used by its owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Owner {
    /// The thread-group id of the process that opened the file.
    pub(crate) tgid: i32,
    /// Address of the open file's state, as an identity (its handles are
    /// all removed before that state is freed).
    pub(crate) file: usize,
}

/// What a handle names.
#[derive(Clone)]
pub(crate) enum Object {
    EventQueue(Arc<EventQueue>),
    Container(Arc<ContainerOpen>),
    Object(Arc<ObjectOpen>),
    System(Arc<SysOpen>),
}

impl Object {
    fn handle_type(&self) -> HandleType {
        match self {
            Object::EventQueue(_) => HandleType::EventQueue,
            Object::Container(_) => HandleType::Container,
            Object::Object(_) => HandleType::Object,
            Object::System(_) => HandleType::System,
        }
    }
}

struct Entry {
    owner: Owner,
    object: Object,
}

/// One bucket: the handles of processes whose pid bits select it.
type Bucket = SpinLock<RBTree<u64, Entry>>;

/// The table of every handle of every process.
#[pin_data]
pub(crate) struct HandleTable {
    #[pin]
    buckets: [Bucket; PID_BUCKETS],
    /// Event queue handles, by cookie.
    #[pin]
    eqs: RcuMap<Entry>,
    /// Last cookie handed out; cookies are never reused.
    cookie: Atomic<u64>,
}

impl HandleTable {
    pub(crate) fn new() -> impl PinInit<Self, Error> {
        try_pin_init!(HandleTable {
            buckets <- pin_init::pin_init_array_from_fn(|_| {
                new_spinlock!(RBTree::new(), "HandleTable::bucket")
            }),
            eqs <- RcuMap::new(),
            cookie: Atomic::new(0),
        })
    }

    fn bucket(&self, h: &Handle) -> &Bucket {
        &self.buckets[usize::from(h.pid_bits)]
    }

    /// Gives `object` a new handle owned by `owner`.
    pub(crate) fn insert(&self, owner: Owner, object: Object) -> Result<u64> {
        let cookie = self.cookie.fetch_add(1, Relaxed) + 1;
        // `u32::try_from` cannot fail for a tgid; a 54-bit cookie space that
        // ran out (after centuries) is reported instead of wrapping.
        let tgid = u32::try_from(owner.tgid).map_err(|_| EINVAL)?;
        let handle = Handle::new(object.handle_type(), tgid, cookie).ok_or(ENOSPC)?;
        if let Object::EventQueue(_) = object {
            let entry = KBox::new(Entry { owner, object }, GFP_KERNEL_ACCOUNT)?;
            self.eqs.insert(key(&handle)?, entry)?;
            return Ok(handle.encode());
        }
        let reservation = RBTreeNodeReservation::new(GFP_KERNEL_ACCOUNT)?;
        let node = reservation.into_node(
            handle.cookie,
            Entry {
                owner,
                object,
            },
        );
        let old = self.bucket(&handle).lock().insert(node);
        debug_assert!(old.is_none());
        drop(old);
        Ok(handle.encode())
    }

    /// The entry `raw` names, if it is a well-formed handle of type `ty`
    /// owned by `owner`.
    fn check(&self, raw: u64, ty: HandleType, owner: Owner) -> Result<Handle> {
        let h = Handle::decode(raw).ok_or(EBADF)?;
        let tgid = u32::try_from(owner.tgid).map_err(|_| EBADF)?;
        if h.ty != ty || h.pid_bits != pid_bits(tgid) {
            return Err(EBADF);
        }
        Ok(h)
    }

    /// The object of handle `raw`, checked for type and owner.
    pub(crate) fn lookup(&self, raw: u64, ty: HandleType, owner: Owner) -> Result<Object> {
        let h = self.check(raw, ty, owner)?;
        if ty == HandleType::EventQueue {
            let found = self.eqs.read(key(&h)?, |e| (e.owner == owner).then(|| e.object.clone()));
            return found.flatten().ok_or(EBADF);
        }
        let bucket = self.bucket(&h).lock();
        match bucket.get(&h.cookie) {
            Some(e) if e.owner == owner => Ok(e.object.clone()),
            _ => Err(EBADF),
        }
    }

    /// Removes handle `raw` (same checks as [`lookup`](Self::lookup)) and
    /// returns its object.
    pub(crate) fn remove(&self, raw: u64, ty: HandleType, owner: Owner) -> Result<Object> {
        let h = self.check(raw, ty, owner)?;
        if ty == HandleType::EventQueue {
            let removed = self.eqs.remove(key(&h)?, |e| e.owner == owner).ok_or(EBADF)?;
            // The entry keeps its reference until no reader can see it.
            return Ok(removed.get().object.clone());
        }
        let node: Option<RBTreeNode<u64, Entry>> = {
            let mut bucket = self.bucket(&h).lock();
            match bucket.get(&h.cookie) {
                Some(e) if e.owner == owner => bucket.remove_node(&h.cookie),
                _ => None,
            }
        };
        // The entry (and maybe the last reference to the object) is dropped
        // here, outside the bucket lock.
        node.map(|n| n.to_key_value().1.object).ok_or(EBADF)
    }

    /// Removes handle `raw` whatever the caller: for the owning file's
    /// teardown, which may run in another process (after fork) or in none.
    pub(crate) fn release(&self, raw: u64) {
        let Some(h) = Handle::decode(raw) else { return };
        if h.ty == HandleType::EventQueue {
            self.release_eqs(core::iter::once(raw));
            return;
        }
        let node = self.bucket(&h).lock().remove_node(&h.cookie);
        drop(node);
    }

    /// [`release`](Self::release) for event queue handles, waiting one
    /// grace period per batch rather than per handle.
    pub(crate) fn release_eqs(&self, raws: impl Iterator<Item = u64>) {
        const BATCH: usize = 32;
        let mut batch: [Option<Removed<Entry>>; BATCH] = [const { None }; BATCH];
        let mut n = 0;
        for raw in raws {
            let Some(k) = Handle::decode(raw).and_then(|h| key(&h).ok()) else { continue };
            if let Some(r) = self.eqs.remove(k, |_| true) {
                batch[n] = Some(r);
                n += 1;
            }
            if n == BATCH {
                free_all(batch.iter_mut().filter_map(Option::take));
                n = 0;
            }
        }
        if n > 0 {
            free_all(batch.iter_mut().filter_map(Option::take));
        }
    }

    /// Whether no handle is left, for module exit's leak check.
    pub(crate) fn is_empty(&self) -> bool {
        self.eqs.is_empty() && self.buckets.iter().all(|b| b.lock().is_empty())
    }
}

/// The key of a handle in [`HandleTable::eqs`].
fn key(h: &Handle) -> Result<usize> {
    usize::try_from(h.cookie).map_err(|_| EBADF)
}
