// SPDX-License-Identifier: GPL-2.0

//! The memory of an event queue's completion ring: a header page (`struct
//! daos_eq_ring`) and the entry pages, one vmalloc allocation made by the
//! module (charged to the process) and mapped into the process by `mmap`.
//! The module reaches it through its own kernel address, with no mapping
//! per access.
//!
//! The process may write anything anywhere in it. The module writes the
//! entries, the tail and the flags, and reads only the head, whose value
//! its caller never trusts (`pure::ring`); nothing it reads here can
//! mislead it. Pages are mapped with `vm_insert_page`, which takes its own
//! page references, so a mapping may outlive the queue: the pages go with
//! the last of the two. Mappings are not inherited by a child (`fork`).

use core::{
    marker::PhantomData,
    mem::size_of,
    ptr::{
        addr_of_mut,
        NonNull, //
    },
};

use kernel::{
    alloc::flags::__GFP_ZERO,
    bindings,
    error::to_result,
    mm::virt::VmaNew,
    page::{
        AsPageIter,
        PAGE_SIZE, //
    },
    prelude::*,
    sync::atomic::{
        Acquire,
        Atomic,
        Full,
        Relaxed,
        Release, //
    },
};

use crate::uapi;

const ENTRY: usize = size_of::<uapi::daos_ring_entry>();
const _: () = assert!(size_of::<uapi::daos_eq_ring>() <= PAGE_SIZE && PAGE_SIZE % ENTRY == 0);

/// The memory of one ring: the header page, then the entries.
pub(crate) struct RingPages {
    /// Owns the allocation (never grown, so its buffer never moves).
    _mem: VVec<u8>,
    /// The allocation's start, page aligned.
    base: NonNull<u8>,
    /// Its pages, to map them.
    pages: KVec<NonNull<bindings::page>>,
    entries: usize,
}

// SAFETY: the memory is shared with the process by design; every access the
// module makes to the words the process may change is atomic (the header's)
// or a plain write the module never reads back (the entries).
unsafe impl Send for RingPages {}
// SAFETY: as above.
unsafe impl Sync for RingPages {}

impl RingPages {
    /// Zeroed memory for a ring of `entries`, its size written in the header.
    pub(crate) fn new(entries: u32) -> Result<RingPages> {
        let bytes = PAGE_SIZE + (entries as usize * ENTRY).next_multiple_of(PAGE_SIZE);
        let mut mem = VVec::<u8>::with_capacity(bytes, GFP_KERNEL_ACCOUNT | __GFP_ZERO)?;
        let mut pages = KVec::with_capacity(bytes / PAGE_SIZE, GFP_KERNEL_ACCOUNT)?;
        for page in mem.page_iter() {
            pages.push(NonNull::new(page.as_ptr()).ok_or(ENOMEM)?, GFP_KERNEL_ACCOUNT)?;
        }
        let base = NonNull::new(mem.as_mut_ptr()).ok_or(ENOMEM)?;
        let ring = RingPages {
            _mem: mem,
            base,
            pages,
            entries: entries as usize,
        };
        ring.header().atomic(Field::Entries).store(entries, Relaxed);
        Ok(ring)
    }

    /// Bytes to map.
    pub(crate) fn bytes(&self) -> usize {
        self.pages.len() * PAGE_SIZE
    }

    /// The header.
    pub(crate) fn header(&self) -> Header<'_> {
        Header {
            ptr: self.base.as_ptr().cast(),
            _ring: PhantomData,
        }
    }

    /// Writes the entry of ring slot `slot` (within the ring's entries).
    pub(crate) fn write(&self, slot: usize, entry: &uapi::daos_ring_entry) {
        if slot >= self.entries {
            return;
        }
        // SAFETY: inside the allocation (checked above), aligned (the
        // entries start a page after the base). The process may access it
        // at the same time: that only affects what the process reads.
        unsafe {
            let p = self.base.as_ptr().add(PAGE_SIZE).cast::<uapi::daos_ring_entry>().add(slot);
            core::ptr::write_volatile(p, *entry);
        }
    }

    /// Maps the ring into `vma`, which must be shared and exactly as long
    /// as the ring.
    pub(crate) fn map(&self, vma: &VmaNew) -> Result {
        if vma.end() - vma.start() != self.bytes() || vma.flags() & bindings::VM_SHARED == 0 {
            return Err(EINVAL);
        }
        vma.try_clear_mayexec()?;
        vma.set_dontcopy();
        vma.set_dontexpand();
        vma.set_dontdump();
        let vma = vma.set_mixedmap();
        for (k, page) in self.pages.iter().enumerate() {
            // SAFETY: `vma` is being set up under the mmap lock with
            // `VM_MIXEDMAP`; `page` is an order-0 page of our allocation,
            // alive while `self` is, and `vm_insert_page` takes its own
            // reference for the mapping.
            to_result(unsafe { bindings::vm_insert_page(vma.as_ptr(), vma.start() + k * PAGE_SIZE, page.as_ptr()) })?;
        }
        Ok(())
    }
}

/// The 32-bit fields of the header the module uses.
#[derive(Clone, Copy)]
pub(crate) enum Field {
    Head,
    Tail,
    Flags,
    Entries,
    Sleepers,
}

/// The ring's header.
pub(crate) struct Header<'a> {
    ptr: *mut uapi::daos_eq_ring,
    _ring: PhantomData<&'a RingPages>,
}

impl Header<'_> {
    fn atomic(&self, field: Field) -> &Atomic<u32> {
        // SAFETY: `ptr` is the header page, alive while `self` borrows the
        // ring; every access the module makes to these fields is atomic,
        // and the process's accesses cannot make the module's undefined.
        unsafe {
            let p = self.ptr;
            Atomic::from_ptr(match field {
                Field::Head => addr_of_mut!((*p).head),
                Field::Tail => addr_of_mut!((*p).tail),
                Field::Flags => addr_of_mut!((*p).flags),
                Field::Entries => addr_of_mut!((*p).entries),
                Field::Sleepers => addr_of_mut!((*p).sleepers),
            })
        }
    }

    /// The consumers' head, as the process left it (untrusted); acquire:
    /// the consumers are done reading the entries before it.
    pub(crate) fn head(&self) -> u32 {
        self.atomic(Field::Head).load(Acquire)
    }

    /// Takes the entries from `old` to `new` as a consumer does: whether
    /// the head was still `old`.
    pub(crate) fn claim(&self, old: u32, new: u32) -> bool {
        self.atomic(Field::Head).cmpxchg(old, new, Full).is_ok()
    }

    /// Publishes the tail: release, so entries are written before it.
    pub(crate) fn publish(&self, tail: u32) {
        self.atomic(Field::Tail).store(tail, Release);
    }

    /// Publishes the number of pollers asleep, ordered before the head is
    /// read again (a full barrier: see `daos_eq_ring.sleepers`).
    pub(crate) fn set_sleepers(&self, n: u32) {
        self.atomic(Field::Sleepers).xchg(n, Full);
    }

    pub(crate) fn set_flags(&self, flags: u32) {
        self.atomic(Field::Flags).store(flags, Release);
    }

}

