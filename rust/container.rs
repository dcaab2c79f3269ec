// SPDX-License-Identifier: GPL-2.0

//! Containers: their shards, their epochs, and the handles that open them.
//!
//! A container is named by its file's inode ([`FileIdentity`]): only the
//! kernel can write that, a rename keeps it, and opening the file is the
//! permission check (the VFS's). The [`Registry`] maps identities to
//! containers; a container lives, with its shards' data, until it is
//! unlinked through DAOS or the module goes.
//!
//! Epochs (seed section v): writes and punches go to epochs above the HCE
//! (highest committed epoch). Committing `e` makes everything at or below
//! `e` visible to every reader; aborting `e` drops `e` and later. A writer
//! reads its own uncommitted epochs; any other handle reads at most the HCE.
//! Each handle has a slipped epoch, the oldest it may still read; the
//! container's oldest readable epoch is the lowest of them, and slipping
//! reclaims the versions below it that nobody can see any more.
//!
//! Locking: the registry's mutex, then a container's `inner`; a shard store's
//! own lock is taken under `inner` (never the other way).

use kernel::{
    new_mutex,
    prelude::*,
    sync::{
        atomic::{
            Acquire,
            Atomic,
            Relaxed,
            Release, //
        },
        Arc,
        Mutex,
    },
};

use crate::{
    cache::ShardCache,
    change_log::{
        ChangeLog,
        ListenOut, //
    },
    request::{
        park,
        unpark,
        Job,
        Request,
        Step, //
    },
    sys::{
        container_file::{
            ContainerFile,
            FileIdentity, //
        },
        random_bytes,
        user_pages::UserPages,
    },
    system::System,
    target::{
        ShardStore,
        Target,
        STATUS_DISABLED, //
    },
    uapi,
};

/// `DAOS_IOC_EPOCH_HIGHEST` (which bindgen types as a signed -1).
pub(crate) const EPOCH_HIGHEST: u64 = u64::MAX;

/// A shard of a container.
pub(crate) struct Shard {
    pub(crate) id: u32,
    pub(crate) store: Arc<ShardStore>,
    /// Its writeback cache.
    pub(crate) cache: Arc<ShardCache>,
    /// Disabled shards stay disabled (and invisible to I/O).
    pub(crate) disabled: bool,
}

impl Shard {
    fn new(id: u32, store: Arc<ShardStore>) -> Result<Shard> {
        Ok(Shard {
            id,
            cache: ShardCache::new(store.clone())?,
            store,
            disabled: false,
        })
    }

    /// Drops `epoch` and later, cached and stored.
    fn abort(&self, epoch: u64) {
        self.cache.abort(epoch);
        self.store.abort(epoch);
    }
    /// Health: the target's, or `DAOS_IOC_TARGET_ST_DISABLED`.
    pub(crate) fn status(&self) -> i32 {
        if self.disabled {
            STATUS_DISABLED
        } else {
            self.store.target.status()
        }
    }

    /// Enabled, but its target failed: it cannot commit.
    pub(crate) fn stuck(&self) -> bool {
        !self.disabled && self.store.target.status() < 0
    }
}

/// One open handle's place in its container.
struct Opener {
    key: u64,
    writable: bool,
    slipped: u64,
    /// For a handle made by global2local: its opener's key.
    parent: Option<u64>,
}

/// A shard added or disabled, as `daos_shard_event` reports it.
#[derive(Clone, Copy)]
pub(crate) struct ShardChange {
    pub(crate) shard: u32,
    pub(crate) target: u32,
    pub(crate) status: i32,
    pub(crate) epoch: u64,
}

/// The fields of [`Container`] protected by `inner`.
struct Inner {
    hce: u64,
    hse: u64,
    oldest: u64,
    /// The last layout change the HSE covers, and one above it.
    layout: u64,
    layout_pending: u64,
    /// By ID.
    shards: KVec<Shard>,
    openers: KVec<Opener>,
    next_key: u64,
    /// Parked `DAOS_IOC_EPOCH_WAIT` requests, kicked by every commit.
    waiters: KVec<Arc<Request<WaitJob>>>,
    /// Shards added and disabled, and the parked listens.
    layout_changes: ChangeLog<ShardChange>,
    listeners: KVec<Arc<Request<ListenJob>>>,
    /// Opens that made a global handle buffer: what global2local finds.
    globals: KVec<Arc<ContainerOpen>>,
    uid: u32,
    gid: u32,
}

impl Inner {
    /// Registers a new open handle (made by global2local from open
    /// `parent`); returns its key. It may read from the oldest readable
    /// epoch on.
    fn add_opener(&mut self, writable: bool, parent: Option<u64>) -> Result<u64> {
        self.openers.reserve(1, GFP_KERNEL_ACCOUNT)?;
        let key = self.next_key;
        self.next_key += 1;
        // Cannot fail: room reserved above.
        let _ = self.openers.push_within_capacity(Opener {
            key,
            writable,
            slipped: self.oldest,
            parent,
        });
        Ok(key)
    }

    /// The caches of every enabled shard.
    fn caches(&self) -> Result<KVec<Arc<ShardCache>>> {
        let mut v = KVec::with_capacity(self.shards.len(), GFP_KERNEL)?;
        for s in self.shards.iter().filter(|s| !s.disabled) {
            let _ = v.push_within_capacity(s.cache.clone());
        }
        Ok(v)
    }

    /// The live open that made the global handle buffer `head` (`ESTALE`
    /// for any other buffer: a wrong key or secret, or a closed open).
    fn named_open(&self, head: &uapi::daos_global_handle) -> Result<Arc<ContainerOpen>> {
        // Every byte of the secret is compared, whatever differs first.
        let same = |secret: &[u8; 16]| secret.iter().zip(head.secret.iter()).fold(0, |d, (a, b)| d | (a ^ b)) == 0;
        self.globals
            .iter()
            .find(|g| g.key == head.open && same(&g.secret))
            .filter(|g| g.usable())
            .cloned()
            .ok_or(ESTALE)
    }
}

#[pin_data]
pub(crate) struct Container {
    identity: FileIdentity,
    #[pin]
    inner: Mutex<Inner>,
}

/// Epochs as `DAOS_IOC_EPOCH_QUERY` reports them.
pub(crate) struct EpochInfo {
    pub(crate) hce: u64,
    pub(crate) oldest: u64,
    pub(crate) slipped: u64,
    pub(crate) hse: u64,
    pub(crate) layout: u64,
}

/// Shard counts as `DAOS_IOC_CO_QUERY` reports them.
pub(crate) struct ContainerInfo {
    pub(crate) uid: u32,
    pub(crate) gid: u32,
    pub(crate) hse: u64,
    pub(crate) hce: u64,
    pub(crate) nshard: u32,
    pub(crate) stuck: u32,
    pub(crate) disabled: u32,
}

/// A shard's state as `DAOS_IOC_SHARD_QUERY` reports it.
pub(crate) struct ShardInfo {
    pub(crate) target: Arc<Target>,
    pub(crate) status: i32,
    pub(crate) store: Arc<ShardStore>,
    pub(crate) hse: u64,
    pub(crate) hce: u64,
}

impl Container {
    fn new(identity: FileIdentity, uid: u32, gid: u32, hce: u64) -> Result<Arc<Container>> {
        Arc::pin_init(
            pin_init!(Container {
                identity,
                inner <- new_mutex!(
                    Inner {
                        hce,
                        hse: hce,
                        oldest: hce,
                        layout: 0,
                        layout_pending: 0,
                        shards: KVec::new(),
                        openers: KVec::new(),
                        next_key: 1,
                        waiters: KVec::new(),
                        layout_changes: ChangeLog::new(),
                        listeners: KVec::new(),
                        globals: KVec::new(),
                        uid,
                        gid,
                    },
                    "Container::inner"
                ),
            }),
            GFP_KERNEL_ACCOUNT,
        )
    }

    /// `EINVAL` unless `epoch` can still be written (above the HCE).
    pub(crate) fn check_writable(&self, epoch: u64) -> Result {
        let inner = self.inner.lock();
        if epoch <= inner.hce || epoch == EPOCH_HIGHEST {
            return Err(EINVAL);
        }
        Ok(())
    }

    /// The store of enabled shard `id` (`ENOENT` if there is none,
    /// `ENODEV` once disabled).
    pub(crate) fn shard(&self, id: u32) -> Result<Arc<ShardStore>> {
        let inner = self.inner.lock();
        let s = inner.shards.iter().find(|s| s.id == id).ok_or(ENOENT)?;
        if s.disabled {
            return Err(ENODEV);
        }
        Ok(s.store.clone())
    }

    /// The cache of enabled shard `id` (errors as for [`shard`](Self::shard)).
    pub(crate) fn cache(&self, id: u32) -> Result<Arc<ShardCache>> {
        let inner = self.inner.lock();
        let s = inner.shards.iter().find(|s| s.id == id).ok_or(ENOENT)?;
        if s.disabled {
            return Err(ENODEV);
        }
        Ok(s.cache.clone())
    }

    /// The caches of every enabled shard.
    pub(crate) fn caches(&self) -> Result<KVec<Arc<ShardCache>>> {
        self.inner.lock().caches()
    }

    /// Adds shards `ids` on `targets` at `epoch`: each result in `results`
    /// (0 or a negative errno).
    /// An unknown target (`None`) fails its shard with `ENODEV`.
    pub(crate) fn add_shards(&self, epoch: u64, ids: &[u32], targets: &[Option<Arc<Target>>], results: &mut [i32]) -> Result {
        let mut inner = self.inner.lock();
        if epoch <= inner.hce || epoch == EPOCH_HIGHEST {
            return Err(EINVAL);
        }
        inner.shards.reserve(ids.len(), GFP_KERNEL_ACCOUNT)?;
        for ((&id, target), result) in ids.iter().zip(targets).zip(results.iter_mut()) {
            let added = (|| {
                if id > uapi::DAOS_SHARD_ID_MAX {
                    return Err(EINVAL);
                }
                let target = target.as_ref().ok_or(ENODEV)?;
                if inner.shards.iter().any(|s| s.id == id) {
                    return Err(EEXIST);
                }
                let shard = Shard::new(id, target.create_shard()?)?;
                let at = inner.shards.iter().position(|s| s.id > id).unwrap_or(inner.shards.len());
                inner.shards.insert_within_capacity(at, shard).map_err(|_| ENOMEM)
            })();
            *result = match added {
                Ok(()) => {
                    inner.layout_pending = inner.layout_pending.max(epoch);
                    inner.layout_changes.push(ShardChange {
                        shard: id,
                        target: target.as_ref().map_or(0, |t| t.id),
                        status: target.as_ref().map_or(0, |t| t.status()),
                        epoch,
                    });
                    0
                }
                Err(e) => e.to_errno(),
            };
        }
        Self::kick_listeners(&mut inner);
        Ok(())
    }

    /// Wakes the parked listens (under `inner`: enqueueing takes no lock
    /// of ours).
    fn kick_listeners(inner: &mut Inner) {
        for l in core::mem::take(&mut inner.listeners).iter() {
            l.kick();
        }
    }

    /// Disables shards `ids` at `epoch`: each result in `results`.
    pub(crate) fn disable_shards(&self, epoch: u64, ids: &[u32], results: &mut [i32]) -> Result {
        let mut inner = self.inner.lock();
        if epoch <= inner.hce || epoch == EPOCH_HIGHEST {
            return Err(EINVAL);
        }
        for (&id, result) in ids.iter().zip(results.iter_mut()) {
            let found = inner.shards.iter_mut().find(|s| s.id == id);
            *result = match found {
                None => ENOENT.to_errno(),
                Some(s) if s.disabled => EALREADY.to_errno(),
                Some(s) => {
                    s.disabled = true;
                    s.cache.discard();
                    0
                }
            };
            if *result == 0 {
                inner.layout_pending = inner.layout_pending.max(epoch);
                let target = inner.shards.iter().find(|s| s.id == id).map_or(0, |s| s.store.target.id);
                inner.layout_changes.push(ShardChange {
                    shard: id,
                    target,
                    status: STATUS_DISABLED,
                    epoch,
                });
            }
        }
        Self::kick_listeners(&mut inner);
        Ok(())
    }

    /// Shard `id`'s state.
    pub(crate) fn shard_info(&self, id: u32) -> Result<ShardInfo> {
        let inner = self.inner.lock();
        let s = inner.shards.iter().find(|s| s.id == id).ok_or(ENOENT)?;
        Ok(ShardInfo {
            target: s.store.target.clone(),
            status: s.status(),
            store: s.store.clone(),
            hse: inner.hse,
            hce: inner.hce,
        })
    }

    /// Shard IDs from `anchor` on that `opc` selects, into `out`; returns
    /// how many and the next anchor (`None` after the last).
    pub(crate) fn list_shards(&self, opc: u32, anchor: u64, out: &mut [u32]) -> (usize, Option<u64>) {
        let inner = self.inner.lock();
        let mut n = 0;
        for s in inner.shards.iter().filter(|s| u64::from(s.id) >= anchor) {
            let selected = match opc {
                uapi::DAOS_IOC_SHARD_LS_STUCK => s.stuck(),
                uapi::DAOS_IOC_SHARD_LS_DISABLED => s.disabled,
                _ => true,
            };
            if !selected {
                continue;
            }
            if n == out.len() {
                return (n, Some(u64::from(s.id)));
            }
            out[n] = s.id;
            n += 1;
        }
        (n, None)
    }

    pub(crate) fn info(&self) -> ContainerInfo {
        let inner = self.inner.lock();
        ContainerInfo {
            uid: inner.uid,
            gid: inner.gid,
            hse: inner.hse,
            hce: inner.hce,
            nshard: inner.shards.len() as u32,
            stuck: inner.shards.iter().filter(|s| s.stuck()).count() as u32,
            disabled: inner.shards.iter().filter(|s| s.disabled).count() as u32,
        }
    }

    /// The first enabled shard whose target is down, if any.
    pub(crate) fn failed_shard(&self) -> Option<u32> {
        let inner = self.inner.lock();
        inner.shards.iter().find(|s| s.stuck()).map(|s| s.id)
    }

    /// Commits `epoch`: `EIO` if a shard cannot (the HSE moves, the HCE
    /// does not). Committing at or below the HCE is done already.
    pub(crate) fn commit(&self, epoch: u64) -> Result {
        let waiters = {
            let mut inner = self.inner.lock();
            if epoch <= inner.hce {
                return Ok(());
            }
            inner.hse = inner.hse.max(epoch);
            if inner.shards.iter().any(|s| s.stuck()) {
                return Err(EIO);
            }
            inner.hce = epoch;
            if inner.layout_pending != 0 && inner.layout_pending <= epoch {
                inner.layout = inner.layout_pending;
                inner.layout_pending = 0;
            }
            core::mem::take(&mut inner.waiters)
        };
        for w in waiters.iter() {
            w.kick();
        }
        Ok(())
    }

    /// Drops `epoch` and later (`EPERM` at or below the HCE).
    fn abort(&self, epoch: u64) -> Result {
        let mut inner = self.inner.lock();
        if epoch <= inner.hce {
            return Err(EPERM);
        }
        for s in inner.shards.iter() {
            s.abort(epoch);
        }
        if inner.hse >= epoch {
            inner.hse = inner.hce.max(epoch - 1);
        }
        if inner.layout_pending >= epoch {
            inner.layout_pending = 0;
        }
        Ok(())
    }

    /// Moves opener `key`'s slipped epoch to `epoch` (the HCE at most) and
    /// reclaims what no opener can read any more.
    fn slip(&self, key: u64, epoch: u64) -> Result {
        let mut inner = self.inner.lock();
        let to = epoch.min(inner.hce);
        if to < inner.oldest {
            return Err(EINVAL);
        }
        if let Some(o) = inner.openers.iter_mut().find(|o| o.key == key) {
            o.slipped = to;
        }
        let oldest = inner.openers.iter().map(|o| o.slipped).min().unwrap_or(to);
        if oldest > inner.oldest {
            inner.oldest = oldest;
            for s in inner.shards.iter() {
                s.store.reclaim(oldest);
            }
        }
        Ok(())
    }

    /// Drops every shard and its data.
    fn destroy(&self) {
        let shards = core::mem::take(&mut self.inner.lock().shards);
        for s in shards.iter() {
            s.cache.discard();
        }
    }
}

/// A copy of the list `all` (to work on without its lock).
fn copied(all: &[Arc<Container>]) -> Option<KVec<Arc<Container>>> {
    let mut copy = KVec::with_capacity(all.len(), GFP_KERNEL).ok()?;
    for c in all.iter() {
        let _ = copy.push_within_capacity(c.clone());
    }
    Some(copy)
}

/// Every container, by identity.
#[pin_data]
pub(crate) struct Registry {
    #[pin]
    containers: Mutex<KVec<Arc<Container>>>,
}

impl Registry {
    pub(crate) fn new() -> impl PinInit<Self> {
        pin_init!(Registry {
            containers <- new_mutex!(KVec::new(), "Registry::containers"),
        })
    }

    /// Opens the container in `file` (making one first with `create`).
    pub(crate) fn open(&self, file: &ContainerFile, create: bool, writable: bool) -> Result<Arc<ContainerOpen>> {
        if (writable && !file.writable) || !file.readable {
            return Err(EBADF);
        }
        let container = {
            let mut all = self.containers.lock();
            match all.iter().find(|c| c.identity == file.identity) {
                Some(c) => c.clone(),
                None if create => {
                    let c = Container::new(file.identity, file.uid, file.gid, 0)?;
                    all.push(c.clone(), GFP_KERNEL_ACCOUNT)?;
                    c
                }
                None => return Err(ENOENT),
            }
        };
        let key = {
            let mut inner = container.inner.lock();
            // The owner may have changed since the container was made.
            (inner.uid, inner.gid) = (file.uid, file.gid);
            inner.add_opener(writable, None)?
        };
        ContainerOpen::new(container, key, writable, None)
    }

    /// Takes the container in `file` out of the registry, for its data to
    /// be destroyed (`ENOENT` if it is none, `EBUSY` while open).
    pub(crate) fn unlink(&self, file: &ContainerFile) -> Result<Arc<Container>> {
        if !file.writable {
            return Err(EBADF);
        }
        let mut all = self.containers.lock();
        let i = all.iter().position(|c| c.identity == file.identity).ok_or(ENOENT)?;
        if !all[i].inner.lock().openers.is_empty() {
            return Err(EBUSY);
        }
        all.remove(i).map_err(|_| EIO)
    }

    /// `DAOS_IOC_CO_GLOBAL2LOCAL`: a new handle of the open `head` names
    /// (`ESTALE` unless it names a live open, with its secret).
    pub(crate) fn global2local(&self, head: &uapi::daos_global_handle) -> Result<Arc<ContainerOpen>> {
        let container = self.container_of(head)?;
        let mut inner = container.inner.lock();
        let parent = inner.named_open(head)?;
        let key = inner.add_opener(parent.writable, Some(parent.key))?;
        drop(inner);
        ContainerOpen::new(container.clone(), key, parent.writable, Some(parent))
    }

    /// The live open a global handle buffer names (`ESTALE` if none).
    pub(crate) fn named_open(&self, head: &uapi::daos_global_handle) -> Result<Arc<ContainerOpen>> {
        self.container_of(head)?.inner.lock().named_open(head)
    }

    /// The container a global handle buffer names (`ESTALE` if none).
    fn container_of(&self, head: &uapi::daos_global_handle) -> Result<Arc<Container>> {
        let identity = FileIdentity {
            dev: head.dev,
            ino: head.ino,
            generation: head.generation,
        };
        self.find(identity).ok_or(ESTALE)
    }

    fn find(&self, identity: FileIdentity) -> Option<Arc<Container>> {
        self.containers.lock().iter().find(|c| c.identity == identity).cloned()
    }

    /// Makes the container in `file` (`EEXIST` if it is one already), at
    /// HCE `hce`, empty: the snapshot's shards are added as they are
    /// copied.
    pub(crate) fn create_at(&self, file: &ContainerFile, hce: u64) -> Result<Arc<Container>> {
        if !file.writable {
            return Err(EBADF);
        }
        let mut all = self.containers.lock();
        if all.iter().any(|c| c.identity == file.identity) {
            return Err(EEXIST);
        }
        let c = Container::new(file.identity, file.uid, file.gid, hce)?;
        all.push(c.clone(), GFP_KERNEL_ACCOUNT)?;
        Ok(c)
    }

    /// Takes `container` out (a snapshot that failed).
    pub(crate) fn forget(&self, container: &Arc<Container>) {
        let gone = {
            let mut all = self.containers.lock();
            all.iter().position(|c| Arc::ptr_eq(c, container)).and_then(|i| all.remove(i).ok())
        };
        if let Some(c) = gone {
            c.destroy();
        }
    }

    /// Target `target`'s status changed: every enabled shard on it is
    /// reported to its container's listeners.
    pub(crate) fn target_changed(&self, target: u32, status: i32) {
        let Some(all) = copied(&self.containers.lock()) else {
            return;
        };
        for c in all.iter() {
            let mut inner = c.inner.lock();
            let hce = inner.hce;
            let mut changed = false;
            let mut i = 0;
            while i < inner.shards.len() {
                let s = &inner.shards[i];
                if !s.disabled && s.store.target.id == target {
                    let shard = s.id;
                    inner.layout_changes.push(ShardChange {
                        shard,
                        target,
                        status,
                        epoch: hce,
                    });
                    changed = true;
                }
                i += 1;
            }
            if changed {
                Container::kick_listeners(&mut inner);
            }
        }
    }

    /// Calls `f` on the cache of every enabled shard. Without `block`,
    /// skips what is locked (the shrinker must not wait for a lock that an
    /// allocating task holds).
    pub(crate) fn each_cache(&self, block: bool, mut f: impl FnMut(&Arc<ShardCache>)) {
        let all = match block {
            true => copied(&self.containers.lock()),
            false => self.containers.try_lock().and_then(|all| copied(&all)),
        };
        for c in all.iter().flat_map(|v| v.iter()) {
            let caches = match block {
                true => c.inner.lock().caches().ok(),
                false => c.inner.try_lock().and_then(|inner| inner.caches().ok()),
            };
            for cache in caches.iter().flat_map(|v| v.iter()) {
                f(cache);
            }
        }
    }

    /// Drops every container (module exit: no file is open any more).
    pub(crate) fn clear(&self) {
        let all = core::mem::take(&mut *self.containers.lock());
        for c in all.iter() {
            c.destroy();
        }
    }
}

/// An open handle of a container.
pub(crate) struct ContainerOpen {
    pub(crate) container: Arc<Container>,
    key: u64,
    pub(crate) writable: bool,
    closed: Atomic<bool>,
    /// For a handle made by global2local, the open it was made from: it
    /// dies with it.
    parent: Option<Arc<ContainerOpen>>,
    /// What a global handle buffer of this open must carry.
    secret: [u8; 16],
    /// The last layout change this handle's listens reported.
    listen_seen: Atomic<u64>,
}

impl ContainerOpen {
    /// The handle of opener `key` (in `container`'s list already). On
    /// failure, the opener goes again (the drop of the handle).
    fn new(container: Arc<Container>, key: u64, writable: bool, parent: Option<Arc<ContainerOpen>>) -> Result<Arc<Self>> {
        let mut secret = [0u8; 16];
        random_bytes(&mut secret);
        let seen = container.inner.lock().layout_changes.generation();
        let open = ContainerOpen {
            container,
            key,
            writable,
            closed: Atomic::new(false),
            parent,
            secret,
            listen_seen: Atomic::new(seen),
        };
        Ok(Arc::new(open, GFP_KERNEL_ACCOUNT)?)
    }

    /// Neither closed nor revoked (its opener closed).
    pub(crate) fn usable(&self) -> bool {
        !self.closed() && self.parent.as_ref().is_none_or(|p| !p.closed())
    }

    /// Whether global2local made this handle from `open`.
    pub(crate) fn made_from(&self, open: &Arc<ContainerOpen>) -> bool {
        self.parent.as_ref().is_some_and(|p| Arc::ptr_eq(p, open))
    }

    /// `EPERM` unless this is the opener's own handle (not one made by
    /// global2local): only the opener commits, aborts and waits.
    pub(crate) fn check_opener(&self) -> Result {
        if self.parent.is_some() {
            Err(EPERM)
        } else {
            Ok(())
        }
    }

    /// `EPERM` unless the handle may write.
    pub(crate) fn check_writer(&self) -> Result {
        if self.writable {
            Ok(())
        } else {
            Err(EPERM)
        }
    }

    pub(crate) fn epochs(&self) -> EpochInfo {
        let inner = self.container.inner.lock();
        let slipped = inner.openers.iter().find(|o| o.key == self.key).map_or(0, |o| o.slipped);
        EpochInfo {
            hce: inner.hce,
            oldest: inner.oldest,
            slipped,
            hse: inner.hse,
            layout: inner.layout,
        }
    }

    /// The epoch a read at `epoch` sees: a writer sees its own uncommitted
    /// epochs, anyone else the HCE at most. `EINVAL` below the oldest
    /// readable epoch.
    pub(crate) fn read_epoch(&self, epoch: u64) -> Result<u64> {
        let inner = self.container.inner.lock();
        if epoch < inner.oldest {
            return Err(EINVAL);
        }
        Ok(if self.writable { epoch } else { epoch.min(inner.hce) })
    }

    /// Closes the handle: the last writer's close discards every epoch
    /// above the HSE. Parked waits of the handle end (`EBADF`).
    pub(crate) fn close(&self) {
        if self.closed.xchg(true, Release) {
            return;
        }
        let (waiters, listeners, globals) = {
            let mut inner = self.container.inner.lock();
            let key = self.key;
            // An opener takes the handles made from it along.
            inner.openers.retain(|o| o.key != key && o.parent != Some(key));
            if self.writable && self.parent.is_none() && !inner.openers.iter().any(|o| o.writable && o.parent.is_none()) {
                if let Some(above) = inner.hse.checked_add(1) {
                    for s in inner.shards.iter() {
                        s.abort(above);
                    }
                }
            }
            let global = inner.globals.iter().position(|g| g.key == key).and_then(|i| inner.globals.remove(i).ok());
            (core::mem::take(&mut inner.waiters), core::mem::take(&mut inner.listeners), global)
        };
        for w in waiters.iter() {
            w.kick();
        }
        for l in listeners.iter() {
            l.kick();
        }
        // Our own reference from the list, dropped unlocked.
        drop(globals);
    }

    /// `DAOS_IOC_CO_LOCAL2GLOBAL`: the global handle buffer of this open:
    /// its head and the layout (shard IDs) that follows it. The open is
    /// remembered for global2local until it closes.
    pub(crate) fn global(self: &Arc<Self>) -> Result<(uapi::daos_global_handle, KVec<u32>)> {
        self.check_opener()?;
        let mut inner = self.container.inner.lock();
        if !inner.globals.iter().any(|g| Arc::ptr_eq(g, self)) {
            inner.globals.push(self.clone(), GFP_KERNEL_ACCOUNT)?;
        }
        let mut layout = KVec::with_capacity(inner.shards.len(), GFP_KERNEL_ACCOUNT)?;
        for s in inner.shards.iter().filter(|s| !s.disabled) {
            let _ = layout.push_within_capacity(s.id);
        }
        let id = self.container.identity;
        let head = uapi::daos_global_handle {
            magic: uapi::DAOS_GLOBAL_MAGIC,
            version: uapi::DAOS_GLOBAL_VERSION,
            nshard: layout.len() as u32,
            dev: id.dev,
            generation: id.generation,
            writable: u32::from(self.writable),
            ino: id.ino,
            open: self.key,
            hce: inner.hce,
            secret: self.secret,
            reserved: 0,
        };
        Ok((head, layout))
    }

    fn closed(&self) -> bool {
        self.closed.load(Acquire)
    }
}

impl Drop for ContainerOpen {
    fn drop(&mut self) {
        self.close();
    }
}

/// What an epoch request does.
pub(crate) enum EpochOp {
    Commit,
    Abort,
    Slip,
    /// Container flush, shard flush: a [`FlushJob`](crate::cache::FlushJob).
    Flush,
    ShardFlush,
}

/// `DAOS_IOC_EPOCH_ABORT` and `_SLIP` (a commit flushes first: it is a
/// [`FlushJob`](crate::cache::FlushJob)).
pub(crate) struct EpochJob {
    pub(crate) open: Arc<ContainerOpen>,
    pub(crate) op: EpochOp,
    pub(crate) epoch: u64,
}

impl Job for EpochJob {
    fn run(&self, _request: &Arc<Request<Self>>) -> Step {
        if !self.open.usable() {
            return Step::Done(Err(EBADF));
        }
        let c = &self.open.container;
        Step::Done(match self.op {
            EpochOp::Abort => c.abort(self.epoch),
            EpochOp::Slip => c.slip(self.open.key, self.epoch),
            EpochOp::Commit | EpochOp::Flush | EpochOp::ShardFlush => Err(EINVAL),
        })
    }
}

/// `DAOS_IOC_EPOCH_WAIT`: parks until the HCE reaches `epoch`.
pub(crate) struct WaitJob {
    pub(crate) open: Arc<ContainerOpen>,
    pub(crate) epoch: u64,
    pub(crate) epoch_out: Option<UserPages>,
    pub(crate) layout_out: Option<UserPages>,
}

impl WaitJob {
    /// The epoch a wait for `epoch` ends at: `EPOCH_HIGHEST` is the next
    /// commit.
    pub(crate) fn target(open: &ContainerOpen, epoch: u64) -> u64 {
        if epoch == EPOCH_HIGHEST {
            open.container.inner.lock().hce.saturating_add(1)
        } else {
            epoch
        }
    }
}

impl Job for WaitJob {
    fn run(&self, request: &Arc<Request<Self>>) -> Step {
        let mut inner = self.open.container.inner.lock();
        // Under the lock: a close either drained the waiters already (and
        // marked the handle before), or will drain them after we park.
        if !self.open.usable() {
            return Step::Done(Err(EBADF));
        }
        if inner.hce >= self.epoch {
            if let Some(out) = &self.epoch_out {
                out.write(0, &inner.hce.to_ne_bytes());
            }
            if let Some(out) = &self.layout_out {
                out.write(0, &inner.layout.to_ne_bytes());
            }
            return Step::Done(Ok(()));
        }
        park(&mut inner.waiters, request)
    }

    fn cancel(&self, request: &Arc<Request<Self>>) {
        unpark(&mut self.open.container.inner.lock().waiters, request);
    }
}

/// `DAOS_IOC_CO_CLOSE`: the handle is out of the table already.
pub(crate) struct CloseJob(pub(crate) Arc<ContainerOpen>);

impl Job for CloseJob {
    fn run(&self, _request: &Arc<Request<Self>>) -> Step {
        self.0.close();
        Step::Done(Ok(()))
    }
}

/// `DAOS_IOC_CO_UNLINK`: the container is out of the registry already.
pub(crate) struct DestroyJob(pub(crate) Arc<Container>);

impl Job for DestroyJob {
    fn run(&self, _request: &Arc<Request<Self>>) -> Step {
        self.0.destroy();
        Step::Done(Ok(()))
    }
}

/// `DAOS_IOC_CO_LISTEN`: completes with the shards added or disabled after
/// the last ones this handle reported, waiting for one if there are none.
pub(crate) struct ListenJob {
    pub(crate) open: Arc<ContainerOpen>,
    pub(crate) out: ListenOut,
}

impl Job for ListenJob {
    fn run(&self, request: &Arc<Request<Self>>) -> Step {
        let mut guard = self.open.container.inner.lock();
        if !self.open.usable() {
            return Step::Done(Err(EBADF));
        }
        let inner = &mut *guard;
        let encode = |c: &ShardChange| uapi::daos_ioc_shard_event {
            shard: c.shard,
            target: c.target,
            status: c.status,
            reserved: 0,
            epoch: c.epoch,
        };
        self.out.deliver_or_park(&inner.layout_changes, &self.open.listen_seen, &mut inner.listeners, request, encode)
    }

    fn cancel(&self, request: &Arc<Request<Self>>) {
        unpark(&mut self.open.container.inner.lock().listeners, request);
    }
}

/// `DAOS_IOC_CO_SNAPSHOT`: copies every enabled shard of the source at
/// `epoch` into a new shard, on the same target, of `snapshot`.
pub(crate) struct SnapshotJob {
    pub(crate) source: Arc<ContainerOpen>,
    pub(crate) epoch: u64,
    pub(crate) snapshot: Arc<Container>,
    pub(crate) system: Arc<System>,
    pub(crate) done: Atomic<u64>,
    pub(crate) total: u64,
}

impl SnapshotJob {
    fn copy(&self) -> Result {
        let shards = {
            let inner = self.source.container.inner.lock();
            let mut v = KVec::with_capacity(inner.shards.len(), GFP_KERNEL)?;
            for s in inner.shards.iter().filter(|s| !s.disabled) {
                let _ = v.push_within_capacity((s.id, s.store.clone()));
            }
            v
        };
        for (id, store) in shards.iter() {
            let copy = store.target.create_shard()?;
            store.clone_into(&copy, self.epoch, &self.done)?;
            let shard = Shard::new(*id, copy)?;
            self.snapshot.inner.lock().shards.push(shard, GFP_KERNEL)?;
        }
        Ok(())
    }
}

impl Job for SnapshotJob {
    fn run(&self, _request: &Arc<Request<Self>>) -> Step {
        let result = self.copy();
        if result.is_err() {
            self.system.containers.forget(&self.snapshot);
        }
        Step::Done(result)
    }

    fn cancel(&self, _request: &Arc<Request<Self>>) {
        self.system.containers.forget(&self.snapshot);
    }

    fn progress(&self) -> Option<(u64, u64)> {
        Some((self.done.load(Relaxed), self.total))
    }
}

impl Container {
    /// Bytes of data at or below `epoch`, for a snapshot's progress.
    pub(crate) fn bytes_at(&self, epoch: u64) -> u64 {
        let inner = self.inner.lock();
        inner.shards.iter().filter(|s| !s.disabled).map(|s| s.store.bytes_at(epoch)).sum()
    }

    /// `EINVAL` unless `epoch` is committed and still readable.
    pub(crate) fn check_readable_committed(&self, epoch: u64) -> Result {
        let inner = self.inner.lock();
        if epoch > inner.hce || epoch < inner.oldest {
            return Err(EINVAL);
        }
        Ok(())
    }
}

/// `DAOS_IOC_SHARD_ADD` (with `targets`) and `DAOS_IOC_SHARD_DISABLE`: each
/// shard's result goes back into the caller's array (-1 where it failed);
/// the request ends with the first failure.
pub(crate) struct ShardsJob {
    pub(crate) open: Arc<ContainerOpen>,
    pub(crate) epoch: u64,
    pub(crate) ids: KVec<u32>,
    /// Each new shard's target (`None`: there is no such target).
    pub(crate) targets: Option<KVec<Option<Arc<Target>>>>,
    pub(crate) out: UserPages,
}

impl Job for ShardsJob {
    fn run(&self, _request: &Arc<Request<Self>>) -> Step {
        if !self.open.usable() {
            return Step::Done(Err(EBADF));
        }
        let mut results = match KVec::from_elem(0i32, self.ids.len(), GFP_KERNEL) {
            Ok(r) => r,
            Err(e) => return Step::Done(Err(e.into())),
        };
        let c = &self.open.container;
        let done = match &self.targets {
            Some(targets) => c.add_shards(self.epoch, &self.ids, targets, &mut results),
            None => c.disable_shards(self.epoch, &self.ids, &mut results),
        };
        if let Err(e) = done {
            return Step::Done(Err(e));
        }
        let mut first = 0;
        for (i, (id, r)) in self.ids.iter().zip(results.iter()).enumerate() {
            let id = if *r == 0 { *id } else { u32::MAX };
            self.out.write(i * 4, &id.to_ne_bytes());
            if first == 0 {
                first = *r;
            }
        }
        Step::Done(match first {
            0 => Ok(()),
            e => Err(Error::from_errno(e)),
        })
    }
}
