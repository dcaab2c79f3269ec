// SPDX-License-Identifier: GPL-2.0

//! The recent changes of something listeners follow (target status for
//! `daos_sys_listen`, shard layout for `daos_container_listen`), each with
//! a generation number.
//!
//! A listener remembers the last generation it was told about and gets
//! what came after. The log keeps the last [`LOG_MAX`] changes: a listener
//! further behind gets the oldest kept, and learns that it missed some from
//! the gap in the generations.

use kernel::{
    prelude::*,
    sync::{
        atomic::{
            Acquire,
            Atomic,
            Release, //
        },
        Arc,
    },
    transmute::AsBytes,
};

use crate::{
    request::{
        park,
        Job,
        Request,
        Step, //
    },
    sys::user_pages::UserPages,
};

/// Changes kept.
pub(crate) const LOG_MAX: usize = 256;

pub(crate) struct ChangeLog<T: Copy> {
    /// Oldest first; generations increase by one.
    entries: KVec<(u64, T)>,
    /// The generation of the last change (0: none yet).
    generation: u64,
}

impl<T: Copy> ChangeLog<T> {
    pub(crate) const fn new() -> Self {
        ChangeLog {
            entries: KVec::new(),
            generation: 0,
        }
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// Records `change`: the oldest goes when the log is full. On failure
    /// to grow, the change is still counted (listeners see the gap).
    pub(crate) fn push(&mut self, change: T) {
        self.generation += 1;
        if self.entries.len() == LOG_MAX {
            let _ = self.entries.remove(0);
        }
        let _ = self.entries.push((self.generation, change), GFP_KERNEL_ACCOUNT);
    }

    /// The changes after generation `seen`, oldest first.
    pub(crate) fn since(&self, seen: u64) -> impl Iterator<Item = &(u64, T)> {
        self.entries.iter().filter(move |(g, _)| *g > seen)
    }
}

/// Where a listen's results go: user memory pinned at submission, written
/// when the listen completes.
pub(crate) struct ListenOut {
    /// The caller's count (in: the room, out: how many were written).
    pub(crate) count: UserPages,
    pub(crate) room: usize,
    pub(crate) events: UserPages,
}

impl ListenOut {
    /// Pins a count at `count` and room for `room` records of `size` bytes
    /// at `events`.
    pub(crate) fn pin(count: u64, events: u64, room: u32, size: usize) -> Result<ListenOut> {
        if count == 0 || events == 0 || room == 0 || room > crate::uapi::DAOS_SHARD_BATCH_MAX {
            return Err(EINVAL);
        }
        let bytes = (room as usize).checked_mul(size).ok_or(EINVAL)?;
        Ok(ListenOut {
            count: UserPages::pin(count, 4)?,
            room: room as usize,
            events: UserPages::pin(events, bytes as u64)?,
        })
    }

    /// A listen's run: writes the changes of `log` after `seen`, each as
    /// `encode` makes its record, and their count, and moves `seen` past
    /// them; or, with nothing new, parks `request` among `listeners`.
    pub(crate) fn deliver_or_park<T: Copy, R: AsBytes, J: Job>(
        &self,
        log: &ChangeLog<T>,
        seen: &Atomic<u64>,
        listeners: &mut KVec<Arc<Request<J>>>,
        request: &Arc<Request<J>>,
        encode: impl Fn(&T) -> R,
    ) -> Step {
        let size = core::mem::size_of::<R>();
        let mut n = 0usize;
        for (g, change) in log.since(seen.load(Acquire)).take(self.room) {
            self.events.write(n * size, encode(change).as_bytes());
            seen.store(*g, Release);
            n += 1;
        }
        if n == 0 {
            return park(listeners, request);
        }
        self.count.write(0, &(n as u32).to_ne_bytes());
        Step::Done(Ok(()))
    }
}
