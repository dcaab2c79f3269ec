// SPDX-License-Identifier: GPL-2.0

//! ioctl dispatch: the command table, argument-size checks and user copies.
//!
//! Every command is looked up in [`COMMANDS`] before its argument is touched:
//! a foreign or unknown command is `ENOTTY`, a size the module never
//! published is `EINVAL`, and a bad user pointer is `EFAULT` from the copy.

use kernel::{
    ioctl::_IOR,
    prelude::*,
    uaccess::{
        UserPtr,
        UserSlice, //
    },
};

use crate::{
    device::DaosFile,
    pure::ioctl_cmd::{
        self,
        Cmd,
        CmdError,
        CmdSpec,
        Dir, //
    },
    uapi,
};

/// The operations behind the commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Version,
}

/// The ioctl type of `/dev/daos`.
pub(crate) const MAGIC: u8 = uapi::DAOS_IOC_MAGIC as u8;

/// Feature bits this module reports in `DAOS_IOC_VERSION`.
pub(crate) const FEATURES: u64 = uapi::DAOS_FEATURE_VERSION as u64;

const fn size<T>() -> usize {
    core::mem::size_of::<T>()
}

/// Every command the module implements.
pub(crate) static COMMANDS: [CmdSpec<Op>; 1] = [CmdSpec {
    op: Op::Version,
    nr: uapi::DAOS_IOC_NR_VERSION as u8,
    dir: Dir::Read,
    sizes: &[size::<uapi::daos_version>()],
}];

// The pure encoder agrees with the kernel's own `_IOR` on this architecture.
const _: () = {
    let pure = Cmd {
        dir: Dir::Read,
        ty: MAGIC,
        nr: uapi::DAOS_IOC_NR_VERSION as u8,
        size: size::<uapi::daos_version>(),
    };
    let kernel = _IOR::<uapi::daos_version>(MAGIC as u32, uapi::DAOS_IOC_NR_VERSION);
    assert!(pure.encode().unwrap() == kernel);
};

/// Handles one ioctl on an open `/dev/daos`.
pub(crate) fn dispatch(_file: &DaosFile, cmd: u32, arg: usize) -> Result<isize> {
    let accepted = ioctl_cmd::lookup(&COMMANDS, MAGIC, cmd).map_err(|e| match e {
        CmdError::NotOurs => ENOTTY,
        CmdError::BadSize => EINVAL,
    })?;
    let user = UserSlice::new(UserPtr::from_addr(arg), accepted.size);
    match accepted.op {
        Op::Version => version(user),
    }
}

/// `DAOS_IOC_VERSION`: ABI version and feature bits.
fn version(user: UserSlice) -> Result<isize> {
    let reply = uapi::daos_version {
        abi_major: uapi::DAOS_ABI_MAJOR,
        abi_minor: uapi::DAOS_ABI_MINOR,
        features: FEATURES,
        reserved: [0; 2],
    };
    user.writer().write(&reply)?;
    Ok(0)
}
