// SPDX-License-Identifier: GPL-2.0

//! DAOS client for Linux: the `/dev/daos` misc device.
//!
//! Layout (one file per concept, like the Rust Binder driver):
//! - `device.rs`: the state of one open file, its owner and its queues;
//! - `ioctl.rs`: command table, argument checks and dispatch;
//! - `context.rs`: module-wide state; `handle_table.rs`: the handle table;
//! - `event_queue.rs`: event queues, the dispatch/complete interface;
//! - `noop.rs`: the no-op operation;
//! - `uapi.rs`: the ABI, generated from `include/uapi/linux/daos.h`;
//! - `pure/`: logic without kernel dependencies, also tested on the host;
//! - `sys/`: the only `unsafe` code, including the misc device itself;
//! - `module_info.c`: parameters and version for modinfo and sysfs.
//!
//! Load creates the context (handle table, work queue), then registers the
//! device; a failure at any step undoes the steps before it. Unload
//! deregisters the device first, then waits for every operation still
//! running (their files are closed, so they were aborted), then frees the
//! context: see `sys/misc.rs` and `sys/anchor.rs`.

use kernel::{prelude::*, sync::Arc};

mod admin;
mod cache;
mod change_log;
mod container;
mod container_ioctl;
mod context;
mod device;
mod engine;
mod event_queue;
mod handle_table;
mod ioctl;
#[cfg(daos_kunit)]
mod kunit;
mod noop;
mod object;
mod pure;
mod request;
mod sys;
mod system;
mod target;
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
    /// The storage targets, shared by the administration and the device.
    system: Arc<system::System>,
    /// Target administration; goes first at unload (before the device,
    /// whose context waits for everything else).
    #[pin]
    admin: admin::Subsystem,
    /// Writes back cached data under memory pressure; goes before the
    /// device (it holds the context).
    shrinker: sys::shrinker::Shrinker<cache::Reclaim>,
    #[pin]
    device: sys::misc::Device,
}

impl kernel::InPlaceModule for DaosModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pr_info!(
            "ABI {}.{}, max_eq_events={}, max_eqs_per_file={}, {} bytes per event, {} per no-op\n",
            uapi::DAOS_ABI_MAJOR,
            uapi::DAOS_ABI_MINOR,
            sys::params::max_eq_events(),
            sys::params::max_eqs_per_file(),
            event_queue::SLOT_BYTES,
            noop::NOOP_BYTES
        );
        try_pin_init!(Self {
            system: system::System::new()?,
            admin <- admin::Admin::subsystem(system.clone(), module),
            device <- sys::misc::Device::register(context::Context::new(system.clone())),
            shrinker: sys::shrinker::Shrinker::register(c"daos", cache::Reclaim(device.context()))?,
        })
    }
}
