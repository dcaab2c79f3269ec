// SPDX-License-Identifier: GPL-2.0

//! DAOS client for Linux: the `/dev/daos` misc device.
//!
//! Layout (one file per concept, like the Rust Binder driver):
//! - `device.rs`: the misc device and per-open-file state;
//! - `ioctl.rs`: command table and dispatch;
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

mod device;
mod ioctl;
#[cfg(daos_kunit)]
mod kunit;
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

#[pin_data]
struct DaosModule {
    #[pin]
    _misc: MiscDeviceRegistration<device::DaosFile>,
}

impl kernel::InPlaceModule for DaosModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pr_info!(
            "ABI {}.{}, max_eq_events={}\n",
            uapi::DAOS_ABI_MAJOR,
            uapi::DAOS_ABI_MINOR,
            sys::params::max_eq_events()
        );
        try_pin_init!(Self {
            _misc <- MiscDeviceRegistration::register(MiscDeviceOptions { name: c"daos" }),
        })
    }
}
