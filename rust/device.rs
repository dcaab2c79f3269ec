// SPDX-License-Identifier: GPL-2.0

//! `/dev/daos`: the misc device and the state of one open file.
//!
//! Everything a process creates through the device (event queues, events,
//! later containers) belongs to the open file: its handles carry the file's
//! identity and the creating process, and `release` destroys all of it.

use kernel::{
    fs::File,
    miscdevice::{
        MiscDevice,
        MiscDeviceRegistration, //
    },
    new_mutex,
    prelude::*,
    seq_file::SeqFile,
    seq_print,
    sync::{
        Arc,
        ArcBorrow,
        Mutex, //
    },
};

use crate::{
    context::Context,
    event_queue::EventQueue,
    handle_table::{
        Object,
        Owner, //
    },
    ioctl,
    pure::handle::HandleType,
};

/// The state of one open `/dev/daos`.
#[pin_data]
pub(crate) struct DaosFile {
    pub(crate) context: Arc<Context>,
    /// The event queues created through this file, with their handles.
    #[pin]
    eqs: Mutex<KVec<(u64, Arc<EventQueue>)>>,
}

impl DaosFile {
    /// The caller as a handle owner: its process, through this file.
    pub(crate) fn owner(&self) -> Owner {
        Owner {
            tgid: kernel::current!().tgid(),
            file: core::ptr::from_ref(self) as usize,
        }
    }

    /// Creates an event queue and returns its handle.
    pub(crate) fn eq_create(&self) -> Result<u64> {
        let eq = EventQueue::new()?;
        let mut eqs = self.eqs.lock();
        eqs.reserve(1, GFP_KERNEL)?;
        let handle = self
            .context
            .handles
            .insert(self.owner(), Object::EventQueue(eq.clone()))?;
        // Cannot fail: capacity reserved above.
        let _ = eqs.push_within_capacity((handle, eq));
        Ok(handle)
    }

    /// The event queue of handle `eqh`, if the caller owns it.
    pub(crate) fn eq(&self, eqh: u64) -> Result<Arc<EventQueue>> {
        match self.context.handles.lookup(eqh, HandleType::EventQueue, self.owner())? {
            Object::EventQueue(eq) => Ok(eq),
        }
    }

    /// `daos_eq_destroy`.
    pub(crate) fn eq_destroy(&self, eqh: u64) -> Result {
        let eq = self.eq(eqh)?;
        // Hold the list lock so a concurrent destroy of the same handle
        // finds it gone rather than half-destroyed.
        let mut eqs = self.eqs.lock();
        eq.destroy()?;
        let removed = self.context.handles.remove(eqh, HandleType::EventQueue, self.owner());
        if let Some(i) = eqs.iter().position(|(h, _)| *h == eqh) {
            let _ = eqs.remove(i);
        }
        drop(eqs);
        removed.map(|_| ())
    }
}

#[vtable]
impl MiscDevice for DaosFile {
    type Ptr = Arc<DaosFile>;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<Arc<DaosFile>> {
        let context = Context::get()?;
        Arc::pin_init(
            pin_init!(DaosFile {
                context,
                eqs <- new_mutex!(KVec::new(), "DaosFile::eqs"),
            }),
            GFP_KERNEL,
        )
    }

    fn release(me: Arc<DaosFile>, _file: &File) {
        // Nothing else uses the file any more; take its queues out first and
        // tear them down unlocked.
        let eqs = core::mem::take(&mut *me.eqs.lock());
        for (handle, eq) in eqs.iter() {
            me.context.handles.release(*handle);
            eq.unlink();
        }
    }

    fn ioctl(me: ArcBorrow<'_, DaosFile>, _file: &File, cmd: u32, arg: usize) -> Result<isize> {
        ioctl::dispatch(&me, cmd, arg)
    }

    fn show_fdinfo(me: ArcBorrow<'_, DaosFile>, m: &SeqFile, _file: &File) {
        let eqs = me.eqs.lock();
        seq_print!(m, "daos_eqs:\t{}\n", eqs.len());
        for (handle, eq) in eqs.iter() {
            let c = eq.counts();
            seq_print!(
                m,
                "daos_eq:\t{:#x} events {} inflight {} completed {} ops {}\n",
                handle,
                c.events,
                c.inflight,
                c.completed,
                c.ops
            );
        }
    }
}
