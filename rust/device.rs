// SPDX-License-Identifier: GPL-2.0

//! `/dev/daos`: the misc device and the state of one open file.
//!
//! Everything a process creates through the device (event queues, events,
//! containers) belongs to the open file and dies with it in `release`.

use kernel::{
    fs::File,
    miscdevice::{
        MiscDevice,
        MiscDeviceRegistration, //
    },
    prelude::*,
    sync::{
        Arc,
        ArcBorrow, //
    },
};

use crate::ioctl;

/// The state of one open `/dev/daos`.
pub(crate) struct DaosFile {}

#[vtable]
impl MiscDevice for DaosFile {
    type Ptr = Arc<DaosFile>;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<Arc<DaosFile>> {
        Ok(Arc::new(DaosFile {}, GFP_KERNEL)?)
    }

    fn ioctl(me: ArcBorrow<'_, DaosFile>, _file: &File, cmd: u32, arg: usize) -> Result<isize> {
        ioctl::dispatch(&me, cmd, arg)
    }
}
