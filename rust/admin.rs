// SPDX-License-Identifier: GPL-2.0

//! Target administration through configfs, as nvmet does it:
//! `/sys/kernel/config/daos/<id>/` is target `id`.
//!
//! `mkdir` makes the target, or shows one that exists (the module's default
//! targets exist from load, so `mkdir daos/0` is how an administrator
//! reaches target 0); `rmdir` takes a target that `mkdir` made out of the
//! system (it fails, and its shards with it), and only hides a default one.
//! Files:
//!
//! - `status`: health 0..100, or `failed` (-1); writing it is how a target
//!   is failed or brought back, and what `daos_sys_listen` reports;
//! - `cage`, `rack`, `node`: where it is (0..2^31-1);
//! - `type`: `hdd` or `ssd`;
//! - `capacity`: bytes it may hold (written in MiB, 0 for the module
//!   parameter `target_capacity_mb`);
//! - `latency_us`, `bandwidth_mbps`: the service time injected into each
//!   request (0: none), so that a local target can stand for a remote one;
//! - `used`, `shards`: bytes held and shards, read-only;
//! - `request_kb`, `max_in_flight`, `max_dirty_mb`: the writeback cache's
//!   requests to the target: their size (a power of two, 4..16384 KiB; for
//!   shards made afterwards), how many may be at the target at once, and how
//!   many bytes may be cached for it before writers block;
//! - `lose_writes`: an injected fault: the target loses this many of the
//!   next requests (each counts down).

use core::fmt::Write;

use kernel::{
    prelude::*,
    sync::Arc,
};

use crate::{
    sys::configfs::{
        self,
        Dir,
        Root,
        Text, //
    },
    system::System,
    target::{
        Location,
        Target,
        SERVICE_MAX_US,
        STATUS_DISABLED, //
    },
};

/// The `daos` subsystem.
pub(crate) type Subsystem = configfs::Subsystem<Admin>;

/// The subsystem's directory: `mkdir` in it makes targets.
pub(crate) struct Admin {
    system: Arc<System>,
}

impl Admin {
    pub(crate) fn subsystem(system: Arc<System>, module: &'static ThisModule) -> impl PinInit<Subsystem, Error> {
        configfs::Subsystem::register(c"daos", module, Admin { system })
    }
}

impl Root for Admin {
    type Dir = TargetDir;

    fn mkdir(&self, name: &str) -> Result<TargetDir> {
        let id = name.parse::<u32>().map_err(|_| EINVAL)?;
        Ok(TargetDir {
            system: self.system.clone(),
            target: self.system.target_or_new(id)?,
        })
    }
}

/// One target's directory; configfs drops it after `rmdir` (the module
/// cannot be unloaded while one exists), and a target it made goes too.
pub(crate) struct TargetDir {
    system: Arc<System>,
    target: Arc<Target>,
}

impl Drop for TargetDir {
    fn drop(&mut self) {
        if !self.target.builtin {
            self.system.remove(self.target.id);
        }
    }
}

const STATUS: usize = 0;
const CAGE: usize = 1;
const RACK: usize = 2;
const NODE: usize = 3;
const TYPE: usize = 4;
const USED: usize = 5;
const SHARDS: usize = 6;
const CAPACITY: usize = 7;
const LATENCY: usize = 8;
const BANDWIDTH: usize = 9;
const REQUEST_KB: usize = 10;
const IN_FLIGHT: usize = 11;
const DIRTY_MB: usize = 12;
const LOSE: usize = 13;

/// A location part: 0..2^31-1.
fn location_part(text: &str) -> Result<i32> {
    text.parse::<i32>().ok().filter(|v| *v >= 0).ok_or(EINVAL)
}

impl Dir for TargetDir {
    const FILES: &'static [(&'static CStr, bool)] = &[
        (c"status", true),
        (c"cage", true),
        (c"rack", true),
        (c"node", true),
        (c"type", true),
        (c"used", false),
        (c"shards", false),
        (c"capacity", true),
        (c"latency_us", true),
        (c"bandwidth_mbps", true),
        (c"request_kb", true),
        (c"max_in_flight", true),
        (c"max_dirty_mb", true),
        (c"lose_writes", true),
    ];

    fn show(&self, file: usize, out: &mut Text<'_>) -> Result {
        let t = &self.target;
        let l = t.location();
        match file {
            STATUS if t.status() == STATUS_DISABLED => writeln!(out, "failed"),
            STATUS => writeln!(out, "{}", t.status()),
            CAGE => writeln!(out, "{}", l.cage),
            RACK => writeln!(out, "{}", l.rack),
            NODE => writeln!(out, "{}", l.node),
            TYPE => writeln!(out, "{}", if t.kind() == 1 { "ssd" } else { "hdd" }),
            USED => writeln!(out, "{}", t.used()),
            SHARDS => writeln!(out, "{}", t.shards()),
            CAPACITY => writeln!(out, "{}", t.capacity()),
            LATENCY => writeln!(out, "{}", t.latency_us()),
            BANDWIDTH => writeln!(out, "{}", t.bandwidth_mbps()),
            REQUEST_KB => writeln!(out, "{}", 1u64 << (t.engine.request_shift() - 10)),
            IN_FLIGHT => writeln!(out, "{}", t.engine.max_in_flight()),
            DIRTY_MB => writeln!(out, "{}", t.engine.max_dirty() >> 20),
            LOSE => writeln!(out, "{}", t.engine.lose_writes()),
            _ => return Err(EINVAL),
        }
        .map_err(|_| EINVAL)
    }

    fn store(&self, file: usize, text: &str) -> Result {
        let t = &self.target;
        let mut l: Location = t.location();
        match file {
            STATUS => {
                let status = match text {
                    "failed" => STATUS_DISABLED,
                    _ => text.parse::<i32>().map_err(|_| EINVAL)?,
                };
                if !(STATUS_DISABLED..=100).contains(&status) {
                    return Err(EINVAL);
                }
                self.system.set_status(t, status);
                return Ok(());
            }
            CAGE => l.cage = location_part(text)?,
            RACK => l.rack = location_part(text)?,
            NODE => l.node = location_part(text)?,
            TYPE => {
                t.set_kind(match text {
                    "hdd" => 0,
                    "ssd" => 1,
                    _ => return Err(EINVAL),
                });
                return Ok(());
            }
            CAPACITY => {
                let mb = text.parse::<u64>().ok().filter(|mb| *mb <= 1 << 20).ok_or(EINVAL)?;
                t.set_capacity(mb << 20);
                return Ok(());
            }
            LATENCY => {
                t.set_latency_us(text.parse::<u64>().ok().filter(|us| *us <= SERVICE_MAX_US).ok_or(EINVAL)?);
                return Ok(());
            }
            BANDWIDTH => {
                t.set_bandwidth_mbps(text.parse::<u64>().map_err(|_| EINVAL)?);
                return Ok(());
            }
            REQUEST_KB => {
                let kb = text.parse::<u64>().ok().filter(|kb| *kb <= 1 << 20).ok_or(EINVAL)?;
                return t.engine.set_request_bytes(kb << 10);
            }
            IN_FLIGHT => return t.engine.set_max_in_flight(text.parse::<u32>().map_err(|_| EINVAL)?),
            DIRTY_MB => {
                let mb = text.parse::<u64>().ok().filter(|mb| (1..=1 << 20).contains(mb)).ok_or(EINVAL)?;
                return t.engine.set_max_dirty(mb << 20);
            }
            LOSE => {
                t.engine.set_lose_writes(text.parse::<u32>().map_err(|_| EINVAL)?);
                return Ok(());
            }
            _ => return Err(EINVAL),
        }
        t.set_location(l);
        Ok(())
    }
}
