// SPDX-License-Identifier: LGPL-2.1-or-later

//! `daos target`: list through the system container, administer through
//! configfs (`/sys/kernel/config/daos/<id>/`).

use std::{
    fs, io,
    path::{Path, PathBuf},
};

use crate::{check, ffi, Failure, Outcome};

const CONFIGFS: &str = "/sys/kernel/config/daos";

/// Runs `daos target ARGS`; `None` for a usage error.
pub(crate) fn run(args: &[&str]) -> Option<Outcome> {
    match args {
        ["list"] => Some(list()),
        ["add", id, options @ ..] => Some(add(id.parse().ok()?, &parse_options(options)?)),
        ["fail", id] => Some(set_status(id.parse().ok()?, "failed")),
        ["restore", id] => Some(set_status(id.parse().ok()?, "100")),
        _ => None,
    }
}

/// `--cage N --rack N --node N --type T --capacity-mb N --latency-us N
/// --bandwidth-mbps N` as configfs files and values.
fn parse_options<'a>(options: &[&'a str]) -> Option<Vec<(&'a str, &'a str)>> {
    let mut out = Vec::new();
    for pair in options.chunks(2) {
        let [option, value] = pair else { return None };
        let file = match *option {
            "--cage" | "--rack" | "--node" => {
                value.parse::<u32>().ok()?;
                &option[2..]
            }
            "--type" if matches!(*value, "hdd" | "ssd") => "type",
            "--capacity-mb" | "--latency-us" | "--bandwidth-mbps" => {
                value.parse::<u64>().ok()?;
                match *option {
                    "--capacity-mb" => "capacity",
                    "--latency-us" => "latency_us",
                    _ => "bandwidth_mbps",
                }
            }
            _ => return None,
        };
        out.push((file, *value));
    }
    Some(out)
}

/// A configfs failure as a sentence.
fn admin_error(what: &str, e: io::Error) -> Failure {
    let hint = match e.kind() {
        io::ErrorKind::NotFound => " (is configfs mounted on /sys/kernel/config, and the module loaded?)",
        io::ErrorKind::PermissionDenied => " (administering targets needs root)",
        _ => "",
    };
    Failure(format!("{what}: {e}{hint}"))
}

/// Target `id`'s directory, made if needed (which shows a default target,
/// or adds a new one).
fn target_dir(id: u32) -> Result<PathBuf, Failure> {
    let dir = PathBuf::from(format!("{CONFIGFS}/{id}"));
    match fs::create_dir(&dir) {
        Ok(()) => Ok(dir),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(dir),
        Err(e) => Err(admin_error(&format!("target {id}"), e)),
    }
}

fn write_file(dir: &Path, file: &str, value: &str) -> Outcome {
    fs::write(dir.join(file), value).map_err(|e| admin_error(&format!("{file} {value}"), e))
}

fn add(id: u32, options: &[(&str, &str)]) -> Outcome {
    let dir = target_dir(id)?;
    for (file, value) in options {
        write_file(&dir, file, value)?;
    }
    println!("target {id} added");
    Ok(())
}

fn set_status(id: u32, status: &str) -> Outcome {
    let dir = target_dir(id)?;
    write_file(&dir, "status", status)?;
    println!("target {id} {}", if status == "failed" { "failed" } else { "restored" });
    Ok(())
}

/// A system container handle, closed when dropped.
pub(crate) struct System(pub(crate) ffi::daos_handle_t);

impl System {
    pub(crate) fn open() -> Result<System, Failure> {
        let mut h = ffi::daos_handle_t::default();
        // SAFETY: a NULL path and a live handle.
        check(unsafe { ffi::daos_sys_open(std::ptr::null(), &mut h, std::ptr::null_mut()) }, "system container")?;
        Ok(System(h))
    }

    /// Every target's ID, in tree order.
    pub(crate) fn targets(&self) -> Result<Vec<u32>, Failure> {
        let mut n = 0u32;
        // SAFETY: a NULL array asks for the count.
        let rc = unsafe { ffi::daos_sys_query(self.0, std::ptr::null_mut(), 0, &mut n, std::ptr::null_mut(), std::ptr::null_mut()) };
        check(rc, "storage tree")?;
        let mut keys = vec![ffi::daos_loc_key::default(); n as usize];
        // SAFETY: room for `n` keys.
        let rc = unsafe { ffi::daos_sys_query(self.0, std::ptr::null_mut(), 0, &mut n, keys.as_mut_ptr(), std::ptr::null_mut()) };
        check(rc, "storage tree")?;
        Ok(keys[..n as usize].iter().filter(|k| k.lk_type == ffi::DAOS_LOC_TYP_TARGET).map(|k| k.lk_id).collect())
    }

    pub(crate) fn info(&self, id: u32) -> Result<ffi::daos_target_info, Failure> {
        let mut info = ffi::daos_target_info::default();
        // SAFETY: a live structure.
        let rc = unsafe { ffi::daos_sys_query_target(self.0, id, &mut info, std::ptr::null_mut()) };
        check(rc, &format!("target {id}"))?;
        Ok(info)
    }
}

impl Drop for System {
    fn drop(&mut self) {
        // SAFETY: our handle, closed once.
        unsafe { ffi::daos_sys_close(self.0, std::ptr::null_mut()) };
    }
}

/// Bytes for people: KiB, MiB, GiB.
pub(crate) fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1}G", b as f64 / (1u64 << 30) as f64),
        b if b >= 1 << 20 => format!("{:.1}M", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1}K", b as f64 / 1024.0),
        b => format!("{b}"),
    }
}

fn list() -> Outcome {
    let sys = System::open()?;
    println!("{:>6} {:>7} {:>4} {:>4} {:>4} {:>4} {:>6} {:>8} {:>8} {:>10} {:>10}", "TARGET", "STATUS", "TYPE", "CAGE", "RACK", "NODE", "SHARDS", "USED", "SIZE", "READ", "WRITE");
    for id in sys.targets()? {
        let t = sys.info(id)?;
        let status = match t.ti_status {
            s if s < 0 => "failed".to_string(),
            s => format!("{s}%"),
        };
        let l = t.ti_loc.tl_failovers[0];
        println!(
            "{:>6} {:>7} {:>4} {:>4} {:>4} {:>4} {:>6} {:>8} {:>8} {:>6}MB/s {:>6}MB/s",
            id,
            status,
            if t.ti_type == ffi::DAOS_TARGET_TYPE_SSD { "ssd" } else { "hdd" },
            l.lc_cage,
            l.lc_rack,
            l.lc_node,
            t.ti_space.ts_nshard,
            size(t.ti_space.ts_size - t.ti_space.ts_free),
            size(t.ti_space.ts_size),
            t.ti_perf.tp_rdbw,
            t.ti_perf.tp_wrbw
        );
    }
    Ok(())
}
