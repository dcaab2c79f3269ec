// SPDX-License-Identifier: GPL-2.0

//! DAOS client for Linux: the `/dev/daos` misc device.
//!
//! Layout (one file per concept, like the Rust Binder driver):
//! - `device.rs`: the misc device and per-open-file state;
//! - `ioctl.rs`: command table, argument checks and dispatch;
//! - `context.rs`: module-wide state; `handle_table.rs`: the handle table;
//! - `event_queue.rs`: event queues, the dispatch/complete interface;
//! - `noop.rs`: the no-op operation;
//! - `uapi.rs`: the ABI, generated from `include/uapi/linux/daos.h`;
//! - `pure/`: logic without kernel dependencies, also tested on the host;
//! - `sys.rs`: the only `unsafe` code;
//! - `module_info.c`: parameters and version for modinfo and sysfs.

use kernel::{
    miscdevice::{
        MiscDeviceOptions,
        MiscDeviceRegistration, //
    },
    prelude::*,
};

mod context;
mod device;
mod event_queue;
mod handle_table;
mod ioctl;
#[cfg(daos_kunit)]
mod kunit;
mod noop;
mod pure;
mod sys;
mod uapi;

module! {
    type: DaosModule,
    name: "daos",
    authors: ["DAOS client developers"],
    description: "DAOS client: event queues, containers and objects through /dev/daos",
    license: "GPL",
}

#[pin_data(PinnedDrop)]
struct DaosModule {
    #[pin]
    misc: MiscDeviceRegistration<device::DaosFile>,
}

impl kernel::InPlaceModule for DaosModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pr_info!(
            "ABI {}.{}, max_eq_events={}\n",
            uapi::DAOS_ABI_MAJOR,
            uapi::DAOS_ABI_MINOR,
            sys::params::max_eq_events()
        );
        // The state every file uses exists before the device does.
        let setup = || -> Result {
            sys::workqueue::create()?;
            context::Context::init()
        };
        try_pin_init!(Self {
            misc <- {
                setup()?;
                MiscDeviceRegistration::register(MiscDeviceOptions { name: c"daos" })
            },
        })
    }
}

#[pinned_drop]
impl PinnedDrop for DaosModule {
    fn drop(self: Pin<&mut Self>) {
        // Every file is closed (the module was not in use); what they left
        // in flight was aborted. Wait for the last completions, then free.
        noop::wait_idle();
        sys::workqueue::destroy();
        context::Context::exit();
    }
}
