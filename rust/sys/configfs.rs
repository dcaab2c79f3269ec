// SPDX-License-Identifier: GPL-2.0

//! A configfs subsystem of directories made by `mkdir`, each with
//! attribute files.
//!
//! The module has its own because the 7.3 abstraction (`kernel::configfs`)
//! unregisters a subsystem whose registration failed: under memory
//! pressure, a failed load oopses (the load-fault walker found it). This
//! one registers last in its initialiser and unregisters only what it
//! registered. It is also smaller: one level of directories, up to
//! [`MAX_FILES`] files each, all the tables inside the subsystem itself.

use core::marker::PhantomData;

use kernel::{
    bindings,
    error::to_result,
    ffi::c_char,
    page::PAGE_SIZE,
    prelude::*,
    sync::atomic::{
        Acquire,
        Atomic,
        Release, //
    },
    types::Opaque,
    ThisModule,
};

/// Most attribute files of a directory.
pub(crate) const MAX_FILES: usize = 16;

/// What one directory is.
pub(crate) trait Dir: Send + Sync + Sized + 'static {
    /// Its files: name, and whether it can be written.
    const FILES: &'static [(&'static CStr, bool)];

    /// Writes file `file`'s text to `out`.
    fn show(&self, file: usize, out: &mut Text<'_>) -> Result;

    /// Takes `text` written to file `file`.
    fn store(&self, file: usize, text: &str) -> Result;
}

/// What the subsystem's directory is: it makes the others.
pub(crate) trait Root: Send + Sync + 'static {
    type Dir: Dir;

    /// `mkdir name`.
    fn mkdir(&self, name: &str) -> Result<Self::Dir>;
}

/// A page of text being shown.
pub(crate) struct Text<'a> {
    page: &'a mut [u8],
    len: usize,
}

impl core::fmt::Write for Text<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len.checked_add(s.len()).filter(|e| *e <= self.page.len()).ok_or(core::fmt::Error)?;
        self.page[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// A directory in configfs: its group first, so that a group pointer is
/// also a pointer to it.
#[repr(C)]
struct Node<D> {
    group: Opaque<bindings::config_group>,
    dir: D,
}

/// The subsystem.
///
/// # Invariants
/// `raw` is registered with configfs iff `registered`; its group and the
/// item types and attribute tables it points to live in this pinned value.
#[pin_data(PinnedDrop)]
pub(crate) struct Subsystem<R: Root> {
    #[pin]
    raw: Opaque<bindings::configfs_subsystem>,
    #[pin]
    root_type: Opaque<bindings::config_item_type>,
    #[pin]
    root_ops: Opaque<bindings::configfs_group_operations>,
    #[pin]
    dir_type: Opaque<bindings::config_item_type>,
    #[pin]
    dir_ops: Opaque<bindings::configfs_item_operations>,
    #[pin]
    files: Opaque<[bindings::configfs_attribute; MAX_FILES]>,
    /// Pointers to `files`, NULL-terminated, as `ct_attrs` wants them.
    #[pin]
    file_list: Opaque<[*mut bindings::configfs_attribute; MAX_FILES + 1]>,
    root: R,
    registered: Atomic<bool>,
}

// SAFETY: the raw parts are only touched by configfs, under its own locks,
// and by `drop`; `root` is `Send + Sync`.
unsafe impl<R: Root> Send for Subsystem<R> {}
// SAFETY: as above.
unsafe impl<R: Root> Sync for Subsystem<R> {}

impl<R: Root> Subsystem<R> {
    /// Registers `/sys/kernel/config/<name>`, whose `mkdir` is `root`'s.
    pub(crate) fn register(name: &'static CStr, module: &'static ThisModule, root: R) -> impl PinInit<Self, Error> {
        const { assert!(<R::Dir as Dir>::FILES.len() <= MAX_FILES) };
        try_pin_init!(Subsystem {
            raw <- Opaque::zeroed(),
            root_type <- Opaque::zeroed(),
            root_ops <- Opaque::zeroed(),
            dir_type <- Opaque::zeroed(),
            dir_ops <- Opaque::zeroed(),
            files <- Opaque::zeroed(),
            file_list <- Opaque::zeroed(),
            root,
            registered: Atomic::new(false),
        })
        .pin_chain(move |this| {
            // SAFETY: every raw part is pinned, zeroed and ours to fill in
            // before registration; configfs keeps pointers to them, which
            // stay valid until `drop` unregisters.
            unsafe {
                let owner = module.as_ptr();
                (*this.root_ops.get()).make_group = Some(make_group::<R>);
                let root_type = this.root_type.get();
                (*root_type).ct_owner = owner;
                (*root_type).ct_group_ops = this.root_ops.get();
                (*this.dir_ops.get()).release = Some(release::<R::Dir>);
                let files = this.files.get().cast::<bindings::configfs_attribute>();
                let list = this.file_list.get().cast::<*mut bindings::configfs_attribute>();
                for (i, (name, writable)) in <R::Dir as Dir>::FILES.iter().enumerate() {
                    let f = files.add(i);
                    (*f).ca_name = name.as_char_ptr();
                    (*f).ca_owner = owner;
                    (*f).ca_mode = if *writable { 0o644 } else { 0o444 };
                    (*f).show = Some(SHOWS::<R::Dir>::ALL[i]);
                    if *writable {
                        (*f).store = Some(STORES::<R::Dir>::ALL[i]);
                    }
                    *list.add(i) = f;
                }
                let dir_type = this.dir_type.get();
                (*dir_type).ct_owner = owner;
                (*dir_type).ct_item_ops = this.dir_ops.get();
                (*dir_type).ct_attrs = list;
                let raw = this.raw.get();
                bindings::config_group_init_type_name(&raw mut (*raw).su_group, name.as_char_ptr(), root_type);
                bindings::__mutex_init(
                    &raw mut (*raw).su_mutex,
                    c"daos_configfs".as_char_ptr(),
                    kernel::static_lock_class!().as_ptr(),
                );
                to_result(bindings::configfs_register_subsystem(raw))?;
            }
            // INVARIANT: registered just now.
            this.registered.store(true, Release);
            Ok(())
        })
    }
}

#[pinned_drop]
impl<R: Root> PinnedDrop for Subsystem<R> {
    fn drop(self: Pin<&mut Self>) {
        let raw = self.raw.get();
        if self.registered.load(Acquire) {
            // SAFETY: registered (type invariant); configfs holds the
            // module while any directory exists, so none is left.
            unsafe { bindings::configfs_unregister_subsystem(raw) };
        }
        // SAFETY: the chain initialised the mutex before it could fail,
        // and it ran (this value is only dropped once it did).
        unsafe { bindings::mutex_destroy(&raw mut (*raw).su_mutex) };
    }
}

/// The subsystem whose group `group` is.
///
/// # Safety
/// `group` is the `su_group` of the `raw` of a live `Subsystem<R>`.
unsafe fn subsystem_of<'a, R: Root>(group: *mut bindings::config_group) -> &'a Subsystem<R> {
    // SAFETY: the caller's promise; `raw` is an `Opaque` of the C type,
    // which has the same layout.
    unsafe {
        let raw = kernel::container_of!(group, bindings::configfs_subsystem, su_group);
        &*kernel::container_of!(raw.cast::<Opaque<bindings::configfs_subsystem>>(), Subsystem<R>, raw)
    }
}

/// The directory an item of the directory type is.
///
/// # Safety
/// `item` is the item of the group of a live `Node<D>`.
unsafe fn node_of<'a, D: Dir>(item: *mut bindings::config_item) -> &'a Node<D> {
    // SAFETY: the caller's promise; `group` is the first field of the
    // `repr(C)` node.
    unsafe { &*kernel::container_of!(item, bindings::config_group, cg_item).cast::<Node<D>>() }
}

unsafe extern "C" fn make_group<R: Root>(
    group: *mut bindings::config_group,
    name: *const c_char,
) -> *mut bindings::config_group {
    // SAFETY: configfs calls this on the subsystem's group, with a
    // NUL-terminated name.
    let (subsystem, name) = unsafe { (subsystem_of::<R>(group), CStr::from_char_ptr(name)) };
    let made = (|| -> Result<*mut bindings::config_group> {
        let text = name.to_str().map_err(|_| EINVAL)?;
        let dir = subsystem.root.mkdir(text)?;
        let node = KBox::new(
            Node {
                group: Opaque::zeroed(),
                dir,
            },
            GFP_KERNEL,
        )?;
        let node = KBox::into_raw(node);
        // SAFETY: a new node, ours until configfs releases it (`release`);
        // the directory type lives in the subsystem, which outlives it.
        unsafe {
            let g = (*node).group.get();
            bindings::config_group_init_type_name(g, name.as_char_ptr(), subsystem.dir_type.get());
            Ok(g)
        }
    })();
    match made {
        Ok(g) => g,
        Err(e) => e.to_ptr(),
    }
}

unsafe extern "C" fn release<D: Dir>(item: *mut bindings::config_item) {
    // SAFETY: configfs releases each directory once, after the last use;
    // it was made by `make_group` from a `KBox`.
    unsafe {
        let node = kernel::container_of!(item, bindings::config_group, cg_item).cast::<Node<D>>();
        drop(KBox::from_raw(node));
    }
}

/// `show` of file `N` of a directory of type `D`.
unsafe extern "C" fn show<D: Dir, const N: usize>(item: *mut bindings::config_item, page: *mut c_char) -> isize {
    // SAFETY: configfs calls this on an item of the directory type, with
    // a page of PAGE_SIZE bytes.
    let (node, page) = unsafe { (node_of::<D>(item), core::slice::from_raw_parts_mut(page.cast::<u8>(), PAGE_SIZE)) };
    let mut text = Text { page, len: 0 };
    match node.dir.show(N, &mut text) {
        Ok(()) => text.len as isize,
        Err(e) => e.to_errno() as isize,
    }
}

/// `store` of file `N` of a directory of type `D`.
unsafe extern "C" fn store<D: Dir, const N: usize>(item: *mut bindings::config_item, page: *const c_char, size: usize) -> isize {
    // SAFETY: configfs calls this on an item of the directory type, with
    // `size` bytes written.
    let (node, bytes) = unsafe { (node_of::<D>(item), core::slice::from_raw_parts(page.cast::<u8>(), size)) };
    let result = core::str::from_utf8(bytes).map_err(|_| EINVAL).and_then(|t| node.dir.store(N, t.trim()));
    match result {
        Ok(()) => size as isize,
        Err(e) => e.to_errno() as isize,
    }
}

type ShowFn = unsafe extern "C" fn(*mut bindings::config_item, *mut c_char) -> isize;
type StoreFn = unsafe extern "C" fn(*mut bindings::config_item, *const c_char, usize) -> isize;

/// The `show` of each file number.
struct SHOWS<D>(PhantomData<D>);
impl<D: Dir> SHOWS<D> {
    const ALL: [ShowFn; MAX_FILES] = [
        show::<D, 0>,
        show::<D, 1>,
        show::<D, 2>,
        show::<D, 3>,
        show::<D, 4>,
        show::<D, 5>,
        show::<D, 6>,
        show::<D, 7>,
        show::<D, 8>,
        show::<D, 9>,
        show::<D, 10>,
        show::<D, 11>,
        show::<D, 12>,
        show::<D, 13>,
        show::<D, 14>,
        show::<D, 15>,
    ];
}

/// The `store` of each file number.
struct STORES<D>(PhantomData<D>);
impl<D: Dir> STORES<D> {
    const ALL: [StoreFn; MAX_FILES] = [
        store::<D, 0>,
        store::<D, 1>,
        store::<D, 2>,
        store::<D, 3>,
        store::<D, 4>,
        store::<D, 5>,
        store::<D, 6>,
        store::<D, 7>,
        store::<D, 8>,
        store::<D, 9>,
        store::<D, 10>,
        store::<D, 11>,
        store::<D, 12>,
        store::<D, 13>,
        store::<D, 14>,
        store::<D, 15>,
    ];
}
