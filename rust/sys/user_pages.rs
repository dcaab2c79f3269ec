// SPDX-License-Identifier: GPL-2.0

//! User memory an operation reaches after its ioctl returned: the pages are
//! pinned at submission (in the caller's address space) and written from the
//! work queue through short-lived kernel mappings, with no bounce buffer.

use kernel::{
    bindings,
    ffi,
    page::{
        PAGE_MASK,
        PAGE_SIZE, //
    },
    prelude::*,
};

/// `len` bytes of user memory at `addr`, pinned for writing.
///
/// # Invariants
/// Every entry of `pages` is a page pinned by `pin_user_pages_fast` on which
/// this object holds the pin; together they cover `offset..offset + len`.
pub(crate) struct UserPages {
    pages: KVVec<*mut bindings::page>,
    /// Where the memory starts in the first page.
    offset: usize,
    len: usize,
}

// SAFETY: pinned pages are reference counted; mapping, copying and unpinning
// them is allowed from any thread.
unsafe impl Send for UserPages {}
// SAFETY: `&self` methods only copy into the pages; concurrent writers are
// the caller's affair, as for any user buffer.
unsafe impl Sync for UserPages {}

impl UserPages {
    /// Pins the caller's `len` bytes at `addr` for writing (`EFAULT` if any
    /// of it is not writable memory of the caller).
    pub(crate) fn pin(addr: u64, len: u64) -> Result<UserPages> {
        let addr = usize::try_from(addr).map_err(|_| EFAULT)?;
        let len = usize::try_from(len).map_err(|_| EINVAL)?;
        let mut pages = KVVec::new();
        if len == 0 {
            return Ok(UserPages {
                pages,
                offset: 0,
                len,
            });
        }
        let end = addr.checked_add(len).ok_or(EFAULT)?;
        let first = addr & PAGE_MASK;
        let n = ((end - 1) & PAGE_MASK).wrapping_sub(first) / PAGE_SIZE + 1;
        pages.reserve(n, GFP_KERNEL_ACCOUNT)?;
        let mut this = UserPages {
            pages,
            offset: addr - first,
            len,
        };
        while this.pages.len() < n {
            let done = this.pages.len();
            let want = ffi::c_int::try_from(n - done).map_err(|_| EINVAL)?;
            // SAFETY: the vector has room for `n - done` more entries past
            // its length, which is what the call may fill.
            let got = unsafe {
                bindings::pin_user_pages_fast(
                    (first + done * PAGE_SIZE) as ffi::c_ulong,
                    want,
                    bindings::FOLL_WRITE,
                    this.pages.as_mut_ptr().add(done),
                )
            };
            let got = usize::try_from(got).map_err(|_| Error::from_errno(got))?;
            if got == 0 {
                return Err(EFAULT);
            }
            // SAFETY: the call filled `got` more entries with pinned pages
            // (INVARIANT: so `drop` unpins exactly those).
            unsafe { this.pages.inc_len(got) };
        }
        Ok(this)
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Calls `f(mapped, done)` for each page-sized piece of
    /// `pos..pos + len` (clamped to the memory), `done` being the bytes of
    /// the range before the piece.
    fn each_piece(&self, pos: usize, len: usize, mut f: impl FnMut(&mut [u8], usize)) {
        let end = pos.saturating_add(len).min(self.len);
        let mut at = pos;
        while at < end {
            let abs = self.offset + at;
            let in_page = abs % PAGE_SIZE;
            let n = (PAGE_SIZE - in_page).min(end - at);
            let page = self.pages[abs / PAGE_SIZE];
            // SAFETY: `page` is pinned (type invariant), so it stays valid
            // while mapped; the mapping is undone below, in this thread.
            let base = unsafe { bindings::kmap_local_page(page) }.cast::<u8>();
            // SAFETY: `in_page + n <= PAGE_SIZE` bytes of the mapped page;
            // user memory is plain bytes, any value is valid.
            let piece = unsafe { core::slice::from_raw_parts_mut(base.add(in_page), n) };
            f(piece, at - pos);
            // SAFETY: the mapping made above, the last one of this thread.
            unsafe { bindings::kunmap_local(base.cast()) };
            at += n;
        }
    }

    /// Copies `src` into the memory at `pos`.
    pub(crate) fn write(&self, pos: usize, src: &[u8]) {
        self.each_piece(pos, src.len(), |piece, done| {
            piece.copy_from_slice(&src[done..done + piece.len()]);
        });
    }

    /// Sets `len` bytes at `pos` to zero.
    pub(crate) fn zero(&self, pos: usize, len: usize) {
        self.each_piece(pos, len, |piece, _| piece.fill(0));
    }
}

impl Drop for UserPages {
    fn drop(&mut self) {
        let n = self.pages.len() as ffi::c_ulong;
        if n > 0 {
            // SAFETY: the pages are pinned by us (type invariant); they were
            // written, so they are marked dirty as they are unpinned.
            unsafe { bindings::unpin_user_pages_dirty_lock(self.pages.as_mut_ptr(), n, true) };
        }
    }
}

/// The buffers of a read, taken in order as one run of bytes.
pub(crate) struct UserBuffers(KVec<UserPages>);

impl UserBuffers {
    /// Pins each `(addr, len)` buffer.
    pub(crate) fn pin(frags: &[(u64, u64)]) -> Result<UserBuffers> {
        let mut v = KVec::with_capacity(frags.len(), GFP_KERNEL_ACCOUNT)?;
        for &(addr, len) in frags {
            v.push(UserPages::pin(addr, len)?, GFP_KERNEL_ACCOUNT)?;
        }
        Ok(UserBuffers(v))
    }

    /// Calls `f(buffer, at, done)` for each piece of `pos..pos + len` of
    /// the run: `at` within that buffer, `done` bytes of the range before.
    fn each(&self, pos: usize, len: usize, mut f: impl FnMut(&UserPages, usize, usize)) {
        let (mut start, end) = (0usize, pos.saturating_add(len));
        for b in self.0.iter() {
            let stop = start + b.len();
            let (lo, hi) = (pos.max(start), end.min(stop));
            if lo < hi {
                f(b, lo - start, lo - pos);
            }
            start = stop;
        }
    }

    /// Copies `src` into the run at `pos`.
    pub(crate) fn write(&self, pos: usize, src: &[u8]) {
        self.each(pos, src.len(), |b, at, done| {
            let n = (b.len() - at).min(src.len() - done);
            b.write(at, &src[done..done + n]);
        });
    }

    /// Sets `len` bytes of the run at `pos` to zero.
    pub(crate) fn zero(&self, pos: usize, len: usize) {
        self.each(pos, len, |b, at, done| b.zero(at, (b.len() - at).min(len - done)));
    }
}
