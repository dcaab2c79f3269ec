// SPDX-License-Identifier: GPL-2.0

//! The system container (seed: `daos_sys_*`): the storage targets, where
//! they are, how they are doing, and who listens to their changes.
//!
//! Targets are added, moved, failed and removed by the administrator
//! through configfs ([`admin`](crate::admin)); the module makes
//! [`DEFAULT_TARGETS`] at load so that nothing needs setting up. Every
//! status change is logged ([`ChangeLog`]) and wakes the parked
//! `daos_sys_listen` requests.

use kernel::{
    new_mutex,
    prelude::*,
    sync::{
        atomic::{
            Acquire,
            Atomic,
            Release, //
        },
        Arc,
        Mutex,
    },
};

use crate::{
    container::Registry,
    change_log::{
        ChangeLog,
        ListenOut, //
    },
    pure::topology::{
        self,
        Level,
        Place,
        Subtree, //
    },
    request::{
        unpark,
        Job,
        Request,
        Step, //
    },
    target::{
        Location,
        Target,
        STATUS_DISABLED, //
    },
    uapi,
};

/// Local targets made at load: two nodes of two targets, in one rack.
pub(crate) const DEFAULT_TARGETS: u32 = 4;

/// Most targets.
pub(crate) const MAX_TARGETS: u32 = 4096;

/// A target's status change, as `daos_target_event` reports it.
#[derive(Clone, Copy)]
pub(crate) struct TargetChange {
    pub(crate) target: u32,
    pub(crate) status: i32,
}

/// The fields of [`System`] protected by `inner`.
struct Inner {
    /// By ID.
    targets: KVec<Arc<Target>>,
    changes: ChangeLog<TargetChange>,
    /// Parked `daos_sys_listen` requests, kicked by every change.
    listeners: KVec<Arc<Request<ListenJob>>>,
}

#[pin_data]
pub(crate) struct System {
    #[pin]
    inner: Mutex<Inner>,
    /// Every container: their shards hear of their targets' changes.
    #[pin]
    pub(crate) containers: Registry,
}

impl System {
    pub(crate) fn new() -> Result<Arc<System>> {
        let mut targets = KVec::with_capacity(DEFAULT_TARGETS as usize, GFP_KERNEL)?;
        for id in 0..DEFAULT_TARGETS {
            let location = Location {
                cage: 0,
                rack: 0,
                node: (id / 2) as i32,
            };
            targets.push(Target::new(id, location, true)?, GFP_KERNEL)?;
        }
        Arc::pin_init(
            pin_init!(System {
                inner <- new_mutex!(
                    Inner {
                        targets,
                        changes: ChangeLog::new(),
                        listeners: KVec::new(),
                    },
                    "System::inner"
                ),
                containers <- Registry::new(),
            }),
            GFP_KERNEL,
        )
    }

    /// Every target's request counters (debugfs `daos/rpc_stats`).
    pub(crate) fn show_rpc_stats(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let inner = self.inner.lock();
        for t in inner.targets.iter() {
            t.engine.show(t.id, f)?;
        }
        Ok(())
    }

    /// Target `id` (`ENODEV` if there is none).
    pub(crate) fn target(&self, id: u32) -> Result<Arc<Target>> {
        let inner = self.inner.lock();
        inner.targets.iter().find(|t| t.id == id).cloned().ok_or(ENODEV)
    }

    /// Target `id`, made (on node 0) if there is none.
    pub(crate) fn target_or_new(&self, id: u32) -> Result<Arc<Target>> {
        if id >= MAX_TARGETS {
            return Err(EINVAL);
        }
        let made = Target::new(
            id,
            Location {
                cage: 0,
                rack: 0,
                node: 0,
            },
            false,
        )?;
        let mut inner = self.inner.lock();
        if let Some(t) = inner.targets.iter().find(|t| t.id == id) {
            return Ok(t.clone());
        }
        let at = inner.targets.iter().position(|t| t.id > id).unwrap_or(inner.targets.len());
        inner.targets.reserve(1, GFP_KERNEL_ACCOUNT)?;
        inner.targets.insert_within_capacity(at, made.clone()).map_err(|_| ENOMEM)?;
        Ok(made)
    }

    /// Takes target `id` out of the system: it fails, and its shards with it.
    pub(crate) fn remove(&self, id: u32) {
        let target = {
            let mut inner = self.inner.lock();
            let Some(i) = inner.targets.iter().position(|t| t.id == id) else {
                return;
            };
            inner.targets.remove(i).ok()
        };
        if let Some(t) = target {
            self.set_status(&t, STATUS_DISABLED);
        }
    }

    /// Sets `target`'s health (0..100, or `STATUS_DISABLED`); a change is
    /// logged and wakes the listeners.
    pub(crate) fn set_status(&self, target: &Target, status: i32) {
        let listeners = {
            let mut inner = self.inner.lock();
            if target.store_status(status) == status {
                return;
            }
            inner.changes.push(TargetChange {
                target: target.id,
                status,
            });
            core::mem::take(&mut inner.listeners)
        };
        for l in listeners.iter() {
            l.kick();
        }
        self.containers.target_changed(target.id, status);
    }

    /// Walks the storage tree as `daos_sys_query` asks, calling `f` for
    /// each footprint; returns how many.
    pub(crate) fn walk(&self, q: Subtree, depth: u32, f: impl FnMut(Level, u32)) -> Result<usize> {
        let mut places = KVec::new();
        {
            let inner = self.inner.lock();
            places.reserve(inner.targets.len(), GFP_KERNEL_ACCOUNT)?;
            for t in inner.targets.iter() {
                let l = t.location();
                let _ = places.push_within_capacity(Place {
                    cage: l.cage as u32,
                    rack: l.rack as u32,
                    node: l.node as u32,
                    target: t.id,
                });
            }
        }
        places.sort_unstable();
        Ok(topology::walk(&places, q, depth, f))
    }

    fn generation(&self) -> u64 {
        self.inner.lock().changes.generation()
    }
}

/// An open handle of the system container.
pub(crate) struct SysOpen {
    pub(crate) system: Arc<System>,
    /// The last change this handle's listens reported.
    seen: Atomic<u64>,
    closed: Atomic<bool>,
}

impl SysOpen {
    /// A new handle: its listens report the changes after now.
    pub(crate) fn new(system: Arc<System>) -> Result<Arc<SysOpen>> {
        let seen = Atomic::new(system.generation());
        Ok(Arc::new(
            SysOpen {
                system,
                seen,
                closed: Atomic::new(false),
            },
            GFP_KERNEL_ACCOUNT,
        )?)
    }

    /// Closes the handle: its parked listens end (`EBADF`).
    pub(crate) fn close(&self) {
        self.closed.store(true, Release);
        let listeners = core::mem::take(&mut self.system.inner.lock().listeners);
        for l in listeners.iter() {
            l.kick();
        }
    }
}

/// `daos_sys_listen`: completes with the status changes after the last
/// ones the handle reported, waiting for one if there are none.
pub(crate) struct ListenJob {
    pub(crate) open: Arc<SysOpen>,
    pub(crate) out: ListenOut,
}

impl Job for ListenJob {
    fn run(&self, request: &Arc<Request<Self>>) -> Step {
        let mut guard = self.open.system.inner.lock();
        if self.open.closed.load(Acquire) {
            return Step::Done(Err(EBADF));
        }
        let inner = &mut *guard;
        let encode = |c: &TargetChange| uapi::daos_ioc_target_event {
            target: c.target,
            status: c.status,
        };
        self.out.deliver_or_park(&inner.changes, &self.open.seen, &mut inner.listeners, request, encode)
    }

    fn cancel(&self, request: &Arc<Request<Self>>) {
        unpark(&mut self.open.system.inner.lock().listeners, request);
    }
}
