// SPDX-License-Identifier: GPL-2.0

//! The memory of an event queue's completion ring: a header page (`struct
//! daos_eq_ring`) and the entry pages, allocated by the module (charged to
//! the process) and mapped into the process by `mmap`.
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
    ptr::addr_of_mut, //
};

use kernel::{
    alloc::flags::__GFP_ZERO,
    bindings,
    mm::virt::VmaNew,
    page::{
        Page,
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
    transmute::AsBytes,
};

use crate::uapi;

const ENTRY: usize = size_of::<uapi::daos_ring_entry>();
const PER_PAGE: usize = PAGE_SIZE / ENTRY;
const _: () = assert!(size_of::<uapi::daos_eq_ring>() <= PAGE_SIZE && PAGE_SIZE % ENTRY == 0);

/// The pages of one ring: `[0]` the header, then the entries.
pub(crate) struct RingPages {
    pages: KVec<Page>,
}

impl RingPages {
    /// Zeroed pages for a ring of `entries`, its size written in the header.
    pub(crate) fn new(entries: u32) -> Result<RingPages> {
        let n = 1 + (entries as usize * ENTRY).div_ceil(PAGE_SIZE);
        let mut pages = KVec::with_capacity(n, GFP_KERNEL_ACCOUNT)?;
        for _ in 0..n {
            pages.push(Page::alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO)?, GFP_KERNEL_ACCOUNT)?;
        }
        let ring = RingPages { pages };
        ring.header().store(Field::Entries, entries, Relaxed);
        Ok(ring)
    }

    /// Bytes to map.
    pub(crate) fn bytes(&self) -> usize {
        self.pages.len() * PAGE_SIZE
    }

    /// The header, mapped while the returned value lives.
    pub(crate) fn header(&self) -> Header<'_> {
        // SAFETY: `pages[0]` exists (`new`) and is an order-0 page we own;
        // it is unmapped by `Header::drop`, in the reverse order of mapping
        // as `Header` borrows are scoped.
        let ptr = unsafe { bindings::kmap_local_page(self.pages[0].as_ptr()) };
        Header {
            ptr: ptr.cast(),
            _ring: PhantomData,
        }
    }

    /// Writes the entry of ring slot `slot` (within the ring's entries).
    pub(crate) fn write(&self, slot: usize, entry: &uapi::daos_ring_entry) {
        let Some(page) = self.pages.get(1 + slot / PER_PAGE) else { return };
        let bytes = entry.as_bytes();
        // SAFETY: `bytes` is valid for reads of `ENTRY` bytes and the range
        // lies inside the page. The process may access the page at the same
        // time: that only affects what the process reads.
        let _ = unsafe { page.write_raw(bytes.as_ptr(), (slot % PER_PAGE) * ENTRY, ENTRY) };
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
            vma.vm_insert_page(vma.start() + k * PAGE_SIZE, page)?;
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

/// The ring's header, mapped.
pub(crate) struct Header<'a> {
    ptr: *mut uapi::daos_eq_ring,
    _ring: PhantomData<&'a RingPages>,
}

impl Header<'_> {
    fn atomic(&self, field: Field) -> &Atomic<u32> {
        // SAFETY: `ptr` maps the header page while `self` lives; every
        // access the module makes to these fields is atomic, and the
        // process's accesses cannot make the module's undefined.
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

    fn store(&self, field: Field, value: u32, _: Relaxed) {
        self.atomic(field).store(value, Relaxed);
    }
}

impl Drop for Header<'_> {
    fn drop(&mut self) {
        // SAFETY: mapped by `RingPages::header` on this thread.
        unsafe { bindings::kunmap_local(self.ptr.cast()) };
    }
}
