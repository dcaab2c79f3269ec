// SPDX-License-Identifier: GPL-2.0

//! Slots for the events of one queue: a fixed directory of chunks whose
//! sizes double, so that a slot never moves once placed.
//!
//! ```text
//!  chunk   0        1        2              3
//!  slots   [0, 64)  [64,128) [128, 256)     [256, 512)   ...  (20 chunks: 32M slots)
//! ```
//!
//! Invariants:
//! - Chunks are present from 0 up to `nchunks - 1`, none above; chunk `k`
//!   holds [`chunk_slots(k)`] slots, so a slot index names one chunk and one
//!   place in it without a lookup, and growing adds a chunk without copying or
//!   touching the others.
//! - The caller allocates chunks, outside its lock, when
//!   [`Slots::wanted_chunk`] asks for one; [`Slots::shrink`] hands empty ones
//!   back for it to free outside its lock. Nothing here allocates or frees.
//! - A chunk's used slots are a prefix of it (`Chunk::len`); each chunk
//!   keeps its own free list of used but vacant slots. A new slot is taken
//!   from the lowest chunk that has room, so that when the number of live
//!   slots falls, the high chunks empty and can be freed.
//! - A slot's generation grows each time the slot is freed; a slot whose
//!   generation is exhausted is retired for good. A chunk added where one was
//!   freed starts its generations above every generation the freed one
//!   reached, so (index, generation) never names two different lives.
//!
//! Nothing here panics: an inconsistency is reported as [`Corrupt`].

/// "No slot" in links.
pub(crate) const NIL: u32 = u32::MAX;

/// Slots in chunk 0 (and in chunk 1; then each chunk doubles).
const BASE: u32 = 64;
/// Chunks in the directory: room for 32M slots, above any event limit.
const NCHUNKS: usize = 20;

/// An internal inconsistency (a bug); the module reports it once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Corrupt;

/// Slots chunk `k` holds.
pub(crate) const fn chunk_slots(k: usize) -> usize {
    if k == 0 {
        BASE as usize
    } else {
        (BASE as usize) << (k - 1)
    }
}

/// The chunk and the place in it of slot `i`. The chunk may be beyond the
/// directory (an index from a forged id): lookups then find nothing.
const fn place(i: u32) -> (usize, usize) {
    if i < BASE {
        return (0, i as usize);
    }
    // i / BASE < 2^26, so k <= 26 and the shift below stays in range.
    let q = i / BASE;
    let k = (u32::BITS - q.leading_zeros()) as usize;
    (k, (i - (BASE << (k - 1))) as usize)
}

/// The index of place `at` in chunk `k`.
const fn index(k: usize, at: usize) -> u32 {
    if k == 0 {
        at as u32
    } else {
        (BASE << (k - 1)) + at as u32
    }
}

/// Memory for one chunk: room for a fixed number of slots, filled from the
/// front; the kernel's `KVVec` with its capacity reserved, or a host `Vec`.
pub(crate) trait Chunk<T>: core::ops::Deref<Target = [Slot<T>]> + core::ops::DerefMut {
    /// How many slots it can hold without allocating.
    fn room(&self) -> usize;
    /// Appends `slot` if there is room (never allocates).
    fn push_within(&mut self, slot: Slot<T>) -> Result<(), Slot<T>>;
}

/// One slot: a value, or the place for one.
pub(crate) struct Slot<T> {
    gen: u32,
    state: SlotState<T>,
}

enum SlotState<T> {
    Vacant { next_free: u32 },
    Live(T),
    /// Generation exhausted: never reused, so old ids stay unique.
    Retired,
}

/// What the directory knows of one chunk.
#[derive(Clone, Copy)]
struct ChunkMeta {
    /// Head of the chunk's list of vacant used slots.
    free: u32,
    /// Live slots in the chunk.
    live: u32,
    /// Highest generation any of its slots reached.
    max_gen: u32,
}

impl ChunkMeta {
    const EMPTY: ChunkMeta = ChunkMeta {
        free: NIL,
        live: 0,
        max_gen: 0,
    };
}

/// Chunks [`Slots::shrink`] took out, for the caller to free unlocked.
pub(crate) struct Released<C>([Option<C>; NCHUNKS]);

impl<C> Released<C> {
    /// How many chunks were released.
    #[cfg(test)]
    pub(crate) fn count(&self) -> usize {
        self.0.iter().filter(|c| c.is_some()).count()
    }
}

/// The slots of one table.
pub(crate) struct Slots<T, C: Chunk<T>> {
    chunks: [Option<C>; NCHUNKS],
    meta: [ChunkMeta; NCHUNKS],
    nchunks: usize,
    live: u32,
    /// Generation a newly added chunk starts its slots at.
    gen_floor: u32,
    _t: core::marker::PhantomData<T>,
}

impl<T, C: Chunk<T>> Slots<T, C> {
    pub(crate) fn new() -> Self {
        Slots {
            chunks: [const { None }; NCHUNKS],
            meta: [ChunkMeta::EMPTY; NCHUNKS],
            nchunks: 0,
            live: 0,
            gen_floor: 1,
            _t: core::marker::PhantomData,
        }
    }

    /// Live slots.
    pub(crate) fn live(&self) -> u32 {
        self.live
    }

    /// The lowest chunk with room for a new slot.
    fn chunk_with_room(&self) -> Option<usize> {
        (0..self.nchunks).find(|&k| {
            self.meta[k].free != NIL || self.chunks[k].as_ref().is_some_and(|c| c.len() < c.room())
        })
    }

    /// The size of the chunk to add before [`insert`](Self::insert) can
    /// succeed, or `None` if a slot is free. `Some(0)`: the directory is full.
    pub(crate) fn wanted_chunk(&self) -> Option<usize> {
        if self.chunk_with_room().is_some() {
            return None;
        }
        Some(if self.nchunks < NCHUNKS && self.gen_floor < u32::MAX {
            chunk_slots(self.nchunks)
        } else {
            0
        })
    }

    /// Adds `chunk` (empty, with room for exactly [`wanted_chunk`] slots)
    /// as the next one; hands it back if it is not what is wanted (another
    /// thread added one meanwhile, or it has the wrong size).
    ///
    /// [`wanted_chunk`]: Self::wanted_chunk
    pub(crate) fn add_chunk(&mut self, chunk: C) -> Result<(), C> {
        let k = self.nchunks;
        if self.wanted_chunk() != Some(chunk_slots(k)) || chunk.len() != 0 || chunk.room() != chunk_slots(k) {
            return Err(chunk);
        }
        let (Some(place), Some(meta)) = (self.chunks.get_mut(k), self.meta.get_mut(k)) else {
            return Err(chunk);
        };
        *place = Some(chunk);
        *meta = ChunkMeta {
            free: NIL,
            live: 0,
            max_gen: self.gen_floor,
        };
        self.nchunks = k + 1;
        Ok(())
    }

    /// Places `value` in a vacant slot and returns (index, generation).
    /// The caller first makes room (see [`wanted_chunk`](Self::wanted_chunk)).
    pub(crate) fn insert(&mut self, value: T) -> Result<(u32, u32), Corrupt> {
        let k = self.chunk_with_room().ok_or(Corrupt)?;
        let meta = self.meta.get_mut(k).ok_or(Corrupt)?;
        let chunk = self.chunks.get_mut(k).and_then(Option::as_mut).ok_or(Corrupt)?;
        let at = if meta.free != NIL {
            let at = place(meta.free).1;
            let slot = chunk.get_mut(at).ok_or(Corrupt)?;
            let SlotState::Vacant { next_free } = slot.state else {
                return Err(Corrupt);
            };
            meta.free = next_free;
            slot.state = SlotState::Live(value);
            at
        } else {
            let at = chunk.len();
            let fresh = Slot {
                gen: self.gen_floor,
                state: SlotState::Live(value),
            };
            chunk.push_within(fresh).map_err(|_| Corrupt)?;
            at
        };
        meta.live = meta.live.checked_add(1).ok_or(Corrupt)?;
        self.live = self.live.checked_add(1).ok_or(Corrupt)?;
        Ok((index(k, at), chunk.get(at).ok_or(Corrupt)?.gen))
    }

    fn slot(&self, i: u32) -> Option<&Slot<T>> {
        let (k, at) = place(i);
        self.chunks.get(k)?.as_ref()?.get(at)
    }

    fn slot_mut(&mut self, i: u32) -> Option<&mut Slot<T>> {
        let (k, at) = place(i);
        self.chunks.get_mut(k)?.as_mut()?.get_mut(at)
    }

    /// The live value in slot `i` if its generation is `gen`.
    pub(crate) fn find(&self, i: u32, gen: u32) -> Option<&T> {
        match self.slot(i) {
            Some(Slot {
                gen: g,
                state: SlotState::Live(v),
            }) if *g == gen => Some(v),
            _ => None,
        }
    }

    /// The live value in slot `i`, whatever its generation.
    pub(crate) fn get(&self, i: u32) -> Result<&T, Corrupt> {
        match self.slot(i) {
            Some(Slot {
                state: SlotState::Live(v),
                ..
            }) => Ok(v),
            _ => Err(Corrupt),
        }
    }

    /// The live value in slot `i`, whatever its generation.
    pub(crate) fn get_mut(&mut self, i: u32) -> Result<&mut T, Corrupt> {
        match self.slot_mut(i) {
            Some(Slot {
                state: SlotState::Live(v),
                ..
            }) => Ok(v),
            _ => Err(Corrupt),
        }
    }

    /// The generation of slot `i`.
    pub(crate) fn gen(&self, i: u32) -> Result<u32, Corrupt> {
        self.slot(i).map(|s| s.gen).ok_or(Corrupt)
    }

    /// Frees live slot `i` and returns its value; the slot's generation grows.
    pub(crate) fn remove(&mut self, i: u32) -> Result<T, Corrupt> {
        let (k, at) = place(i);
        let meta = self.meta.get_mut(k).ok_or(Corrupt)?;
        let slot = self.chunks.get_mut(k).ok_or(Corrupt)?.as_mut().ok_or(Corrupt)?.get_mut(at).ok_or(Corrupt)?;
        if !matches!(slot.state, SlotState::Live(_)) {
            return Err(Corrupt);
        }
        meta.live = meta.live.checked_sub(1).ok_or(Corrupt)?;
        self.live = self.live.checked_sub(1).ok_or(Corrupt)?;
        let next = if slot.gen == u32::MAX {
            SlotState::Retired
        } else {
            slot.gen += 1;
            meta.max_gen = meta.max_gen.max(slot.gen);
            let next_free = meta.free;
            meta.free = i;
            SlotState::Vacant { next_free }
        };
        match core::mem::replace(&mut slot.state, next) {
            SlotState::Live(v) => Ok(v),
            _ => Err(Corrupt),
        }
    }

    /// The first live slot at index `from` or above, for walks over every
    /// event that change the table as they go (each step resumes where the
    /// last one stopped, so a whole walk reads each slot once).
    pub(crate) fn next_live(&self, from: u32) -> Option<u32> {
        let (mut k, mut at) = place(from);
        while k < self.nchunks {
            let chunk = self.chunks[k].as_ref()?;
            while at < chunk.len() {
                if matches!(chunk[at].state, SlotState::Live(_)) {
                    return Some(index(k, at));
                }
                at += 1;
            }
            k += 1;
            at = 0;
        }
        None
    }

    /// Takes out the high chunks that are empty while the chunks below them
    /// are at most half full, for the caller to free outside its lock.
    /// Chunk 0 stays.
    pub(crate) fn shrink(&mut self) -> Released<C> {
        let mut out = Released([const { None }; NCHUNKS]);
        while self.nchunks > 1 {
            let top = self.nchunks - 1;
            let below = chunk_slots(top) as u32;
            if self.meta[top].live != 0 || self.live > below / 2 {
                break;
            }
            // Ids of the freed chunk's slots stay unique: its successor
            // starts above every generation it reached.
            self.gen_floor = self.gen_floor.max(self.meta[top].max_gen.saturating_add(1));
            out.0[top] = self.chunks[top].take();
            self.meta[top] = ChunkMeta::EMPTY;
            self.nchunks = top;
        }
        out
    }
}

impl<T> Slot<T> {
    /// The size of one slot holding a `T` (for the memory documentation).
    pub(crate) const SIZE: usize = core::mem::size_of::<Slot<T>>();
}
