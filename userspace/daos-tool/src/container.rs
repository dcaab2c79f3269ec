// SPDX-License-Identifier: LGPL-2.1-or-later

//! `daos container` and `daos epoch`: containers by their paths.

use std::{ffi::CString, ptr::null_mut};

use crate::{
    check, ffi,
    target::{size, System},
    Failure, Outcome,
};

/// Runs `daos container ARGS`; `None` for a usage error.
pub(crate) fn run(args: &[&str]) -> Option<Outcome> {
    match args {
        ["create", path] => Some(create(path, None)),
        ["create", path, "--shards", count] => Some(create(path, Some(count.parse().ok().filter(|c: &u32| *c > 0)?))),
        ["query", path] => Some(query(path)),
        ["snapshot", path, epoch, to] => Some(snapshot(path, epoch.parse().ok()?, to)),
        ["unlink", path] => Some(unlink(path)),
        _ => None,
    }
}

fn c_path(path: &str) -> Result<CString, Failure> {
    CString::new(path).map_err(|_| Failure(format!("{path}: a path cannot hold a NUL byte")))
}

/// An open container handle, closed when dropped.
struct Container(ffi::daos_handle_t);

impl Container {
    fn open(path: &str, mode: u32) -> Result<Container, Failure> {
        let c = c_path(path)?;
        let mut h = ffi::daos_handle_t::default();
        // SAFETY: a C string and live outputs; synchronous.
        let rc = unsafe { ffi::daos_container_open(c.as_ptr(), mode, 1, null_mut(), &mut h, null_mut()) };
        check(rc, path)?;
        Ok(Container(h))
    }
}

impl Drop for Container {
    fn drop(&mut self) {
        // SAFETY: our handle, closed once.
        unsafe { ffi::daos_container_close(self.0, null_mut()) };
    }
}

fn epochs(co: &Container, path: &str) -> Result<ffi::daos_epoch_info, Failure> {
    let mut info = ffi::daos_epoch_info::default();
    // SAFETY: a live structure; synchronous.
    check(unsafe { ffi::daos_epoch_query(co.0, &mut info, null_mut()) }, path)?;
    Ok(info)
}

fn create(path: &str, shards: Option<u32>) -> Outcome {
    let targets = {
        let sys = System::open()?;
        sys.targets()?.into_iter().filter(|t| sys.info(*t).is_ok_and(|i| i.ti_status >= 0)).collect::<Vec<_>>()
    };
    if targets.is_empty() {
        return Err(Failure("no healthy target to put shards on".into()));
    }
    let n = shards.unwrap_or(targets.len() as u32);
    let co = Container::open(path, ffi::DAOS_COO_RW | ffi::DAOS_COO_CREATE)?;
    let e = epochs(&co, path)?;
    let mut on: Vec<u32> = (0..n).map(|i| targets[i as usize % targets.len()]).collect();
    let mut ids: Vec<i32> = (0..n as i32).collect();
    let epoch = ffi::daos_epoch_t { seq: e.epi_hce.seq + 1 };
    // SAFETY: arrays of `n` entries; synchronous.
    let rc = unsafe { ffi::daos_shard_add(co.0, epoch, n, on.as_mut_ptr(), ids.as_mut_ptr(), null_mut()) };
    check(rc, &format!("{path}: adding shards"))?;
    // SAFETY: synchronous.
    let rc = unsafe { ffi::daos_epoch_commit(co.0, epoch, false, null_mut(), null_mut()) };
    check(rc, &format!("{path}: committing the layout"))?;
    println!("{path}: container with {n} shards on targets {on:?}, layout committed at epoch {}", epoch.seq);
    Ok(())
}

fn query(path: &str) -> Outcome {
    let co = Container::open(path, ffi::DAOS_COO_RO)?;
    let mut info = ffi::daos_container_info::default();
    // SAFETY: a live structure; synchronous.
    check(unsafe { ffi::daos_container_query(co.0, null_mut(), &mut info, null_mut()) }, path)?;
    println!("{path}: owner {}:{}, {} shards ({} stuck, {} disabled)", info.ci_uid, info.ci_gid, info.ci_nshard, info.ci_nshard_stuck, info.ci_nshard_disabled);
    let mut anchor = 0u64;
    let mut ids = [0u32; 64];
    println!("{:>6} {:>6} {:>8} {:>8} {:>8}", "SHARD", "TARGET", "STATUS", "OBJECTS", "USED");
    while anchor != ffi::DAOS_LIST_END as u64 {
        let e = ffi::daos_epoch_t { seq: u64::MAX };
        // SAFETY: room for 64 IDs; synchronous.
        let rc = unsafe { ffi::daos_container_list_shard(co.0, e, ffi::DAOS_SHARD_LS_ALL, &mut anchor, 64, ids.as_mut_ptr(), null_mut()) };
        check(rc, path)?;
        for id in ids.iter().take_while(|i| **i != u32::MAX) {
            let mut s = ffi::daos_shard_info::default();
            // SAFETY: a live structure; synchronous.
            check(unsafe { ffi::daos_shard_query(co.0, null_mut(), *id, &mut s, null_mut()) }, path)?;
            let status = if s.sai_status < 0 { "disabled".to_string() } else { format!("{}%", s.sai_status) };
            println!("{:>6} {:>6} {:>8} {:>8} {:>8}", id, s.sai_target, status, s.sai_space.sai_nobjs, size(s.sai_space.sai_used));
        }
    }
    print_epochs(path, &epochs(&co, path)?);
    Ok(())
}

fn print_epochs(path: &str, e: &ffi::daos_epoch_info) {
    println!(
        "{path}: HCE {}, HSE {}, oldest readable {}, slipped {}, layout changed at {}",
        e.epi_hce.seq, e.epi_hse.seq, e.epi_hce_oldest.seq, e.epi_hce_slipped.seq, e.epi_layout_changed.seq
    );
}

pub(crate) fn epoch_query(path: &str) -> Outcome {
    let co = Container::open(path, ffi::DAOS_COO_RO)?;
    print_epochs(path, &epochs(&co, path)?);
    Ok(())
}

fn snapshot(path: &str, epoch: u64, snapshot: &str) -> Outcome {
    let co = Container::open(path, ffi::DAOS_COO_RO)?;
    let target = c_path(snapshot)?;
    // SAFETY: a C string; synchronous.
    let rc = unsafe { ffi::daos_container_snapshot(co.0, ffi::daos_epoch_t { seq: epoch }, target.as_ptr(), null_mut()) };
    check(rc, &format!("{path}: snapshot at epoch {epoch} to {snapshot}"))?;
    println!("{snapshot}: snapshot of {path} at epoch {epoch}");
    Ok(())
}

fn unlink(path: &str) -> Outcome {
    let c = c_path(path)?;
    // SAFETY: a C string; synchronous.
    check(unsafe { ffi::daos_container_unlink(c.as_ptr(), null_mut()) }, path)?;
    println!("{path}: container destroyed");
    Ok(())
}
