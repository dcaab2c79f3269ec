// SPDX-License-Identifier: GPL-2.0

//! `/dev/daos`: a misc device with this module's own file operations.
//!
//! The 7.3 `MiscDevice` abstraction has no `flush` operation, and `flush`
//! is how the module learns that the owner of an open file exited while a
//! forked child still holds a copy (Binder registers its own operations for
//! the same reason). So the module registers a `struct miscdevice` itself
//! and routes each operation to [`DaosFile`].
//!
//! The [`Device`] holds the module-wide [`Context`] next to the misc device,
//! with the context's debugfs directory: `open` finds the device from the
//! file (`misc_open` leaves the `miscdevice` in `private_data`) and gives
//! the new file an [`Anchor`] to the context. Dropping the device
//! deregisters it first (no new opens), then removes the debugfs directory
//! and drops the context, which waits for its last user.

use kernel::{
    bindings,
    debugfs::Scope,
    error::to_result,
    ffi::{
        c_int,
        c_long,
        c_uint,
        c_ulong, //
    },
    fs::File,
    mm::virt::VmaNew,
    module::this_module,
    prelude::*,
    seq_file::SeqFile,
    sync::Arc,
    types::{
        ForeignOwnable,
        Opaque, //
    },
};

use super::anchor::{
    Anchor,
    Anchored, //
};
use crate::{
    context::Context,
    device::DaosFile,
};

/// The registered device and the state its files share.
///
/// # Invariants
/// `misc` is registered with [`FOPS`] from the end of `register` until
/// `drop`.
#[pin_data(PinnedDrop)]
pub(crate) struct Device {
    #[pin]
    misc: Opaque<bindings::miscdevice>,
    /// The context, and its debugfs directory `daos/`.
    #[pin]
    context: Scope<Anchored<Context>>,
}

// SAFETY: the misc device is only touched by `misc_register` and
// `misc_deregister`, which may run on any thread; the context is `Sync`.
unsafe impl Send for Device {}
// SAFETY: as above.
unsafe impl Sync for Device {}

impl Device {
    /// Creates the context, then registers `/dev/daos`.
    pub(crate) fn register(context: impl PinInit<Context, Error>) -> impl PinInit<Self, Error> {
        try_pin_init!(Device {
            context <- Scope::dir(Anchored::new(context), c"daos", |context, dir| {
                context.debugfs(dir);
                dir.write_only_callback_file(c"shrink", context, &shrink);
            }),
            misc <- Opaque::try_ffi_init(|slot: *mut bindings::miscdevice| {
                let mut misc: bindings::miscdevice = pin_init::zeroed();
                misc.minor = bindings::MISC_DYNAMIC_MINOR as c_int;
                misc.name = c"daos".as_char_ptr();
                // Any user may open it: what a process makes through it is
                // its own (handles), charged to it (memory cgroup) and
                // bounded (module parameters); containers are guarded by
                // their files' permissions.
                misc.mode = 0o666;
                misc.fops = &FOPS.0;
                // SAFETY: `slot` is valid for a write; the device is pinned
                // and deregistered in `drop` before its memory goes.
                // INVARIANT: registered if this succeeds.
                unsafe {
                    slot.write(misc);
                    to_result(bindings::misc_register(slot))
                }
            }),
        })
    }

    /// A counted reference to the context.
    pub(crate) fn context(&self) -> Anchor<Context> {
        // SAFETY: the anchored context is structurally pinned in the scope,
        // which is a structurally pinned field of a pinned `Device`.
        unsafe { Pin::new_unchecked(&*self.context) }.anchor()
    }
}

#[pinned_drop]
impl PinnedDrop for Device {
    fn drop(self: Pin<&mut Self>) {
        // SAFETY: registered (type invariant); after this no file can open.
        unsafe { bindings::misc_deregister(self.misc.get()) };
        // Dirty data goes to the targets before the context goes (its
        // drop waits for the requests).
        let sent = crate::cache::writeback(&self.context(), None, u64::MAX, true);
        if sent > 0 {
            pr_info!("unload: wrote back {} cached bytes\n", sent);
        }
    }
}

/// debugfs `daos/shrink`: writing N runs the shrinker's scan for N pages,
/// the same code memory pressure runs.
fn shrink(context: &Anchored<Context>, r: &mut kernel::uaccess::UserSliceReader) -> Result {
    let mut buf = [0u8; 24];
    let n = r.len().min(buf.len());
    r.read_slice(&mut buf[..n])?;
    let text = core::str::from_utf8(&buf[..n]).map_err(|_| EINVAL)?.trim();
    let pages = text.parse::<u64>().map_err(|_| EINVAL)?;
    // SAFETY: the anchored context is structurally pinned in the device's
    // debugfs scope, whose files (this one) go before it.
    let anchor = unsafe { Pin::new_unchecked(context) }.anchor();
    crate::sys::shrinker::Shrink::scan(&crate::cache::Reclaim(anchor), pages);
    Ok(())
}

/// `file_operations` in a `static`.
struct Operations(bindings::file_operations);

// SAFETY: a table of function pointers and the module pointer, never written.
unsafe impl Sync for Operations {}

static FOPS: Operations = Operations(bindings::file_operations {
    owner: this_module::<crate::LocalModule>().as_ptr(),
    open: Some(open),
    release: Some(release),
    flush: Some(flush),
    unlocked_ioctl: Some(ioctl),
    mmap: Some(mmap),
    // The ABI has one layout for 32- and 64-bit processes.
    #[cfg(CONFIG_COMPAT)]
    compat_ioctl: Some(bindings::compat_ptr_ioctl),
    show_fdinfo: Some(show_fdinfo),
    ..pin_init::zeroed()
});

/// # Safety
/// Called by the VFS through [`FOPS`] for a file being opened on our device.
unsafe extern "C" fn open(inode: *mut bindings::inode, file: *mut bindings::file) -> c_int {
    // SAFETY: valid pointers for a file being opened.
    let ret = unsafe { bindings::generic_file_open(inode, file) };
    if ret != 0 {
        return ret;
    }
    // SAFETY: misc_open() set `private_data` to our `struct miscdevice`,
    // which is the `misc` field of a pinned `Device`, and keeps it registered
    // during this call.
    let device = unsafe {
        let misc = (*file).private_data.cast::<bindings::miscdevice>();
        &*kernel::container_of!(Opaque::cast_from(misc), Device, misc)
    };
    // SAFETY: the file is valid for the duration of this call and has no
    // active fdget_pos region.
    let f = unsafe { File::from_raw_file(file) };
    match DaosFile::open(device.context(), f) {
        Ok(daos) => {
            // SAFETY: open may set `private_data`; from now on it holds our
            // `Arc<DaosFile>`, taken back in `release`.
            unsafe { (*file).private_data = daos.into_foreign() };
            0
        }
        Err(e) => e.to_errno(),
    }
}

/// # Safety
/// `file` is a file of our device whose `private_data` was set by `open`.
unsafe fn daos_file<'a>(file: *mut bindings::file) -> <Arc<DaosFile> as ForeignOwnable>::Borrowed<'a> {
    // SAFETY: the caller's promise; the borrow ends before `release`.
    unsafe { <Arc<DaosFile> as ForeignOwnable>::borrow((*file).private_data) }
}

/// # Safety
/// Called by the VFS through [`FOPS`] when the last reference goes.
unsafe extern "C" fn release(_inode: *mut bindings::inode, file: *mut bindings::file) -> c_int {
    // SAFETY: `open` stored an `Arc<DaosFile>`; release owns it now.
    let daos = unsafe { <Arc<DaosFile> as ForeignOwnable>::from_foreign((*file).private_data) };
    DaosFile::release(daos);
    0
}

/// # Safety
/// Called by the VFS through [`FOPS`] on every close of a descriptor of the
/// file, exit included.
unsafe extern "C" fn flush(file: *mut bindings::file, _id: bindings::fl_owner_t) -> c_int {
    // SAFETY: a file of our device, between `open` and `release`.
    unsafe { daos_file(file) }.flush();
    0
}

/// # Safety
/// Called by the VFS through [`FOPS`].
unsafe extern "C" fn ioctl(file: *mut bindings::file, cmd: c_uint, arg: c_ulong) -> c_long {
    // SAFETY: a file of our device, between `open` and `release`.
    let daos = unsafe { daos_file(file) };
    match crate::ioctl::dispatch(&daos, cmd, arg as usize) {
        Ok(n) => n as c_long,
        Err(e) => e.to_errno() as c_long,
    }
}

/// # Safety
/// Called by the VFS through [`FOPS`] (`mmap_region`), with the mmap lock
/// held for writing and `vma` being set up.
unsafe extern "C" fn mmap(file: *mut bindings::file, vma: *mut bindings::vm_area_struct) -> c_int {
    // SAFETY: a file of our device, between `open` and `release`; `vma` is
    // a new area, valid and set up under the mmap write lock for this call.
    let (daos, vma) = unsafe { (daos_file(file), VmaNew::from_raw(vma)) };
    // SAFETY: as above; `vm_pgoff` is set before `mmap` is called.
    let pgoff = unsafe { (*vma.as_ptr()).vm_pgoff } as usize;
    match daos.mmap(pgoff, vma) {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// # Safety
/// Called by the VFS through [`FOPS`] for `/proc/PID/fdinfo`.
unsafe extern "C" fn show_fdinfo(m: *mut bindings::seq_file, file: *mut bindings::file) {
    // SAFETY: a file of our device, between `open` and `release`; `m` is
    // valid and exclusive for this call.
    let (daos, m) = unsafe { (daos_file(file), SeqFile::from_raw(m)) };
    daos.show_fdinfo(m);
}
