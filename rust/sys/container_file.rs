// SPDX-License-Identifier: GPL-2.0

//! The file a container lives in, as the caller opened it: its identity
//! (the inode's, which no user can write and a rename keeps) and what the
//! VFS allowed the opener.

use kernel::{
    bindings,
    fs::file::LocalFile,
    prelude::*,
};

// `FMODE_READ` and `FMODE_WRITE` of include/linux/fs.h (casts bindgen
// cannot translate).
const FMODE_READ: u32 = 1 << 0;
const FMODE_WRITE: u32 = 1 << 1;

/// What names a container: its file's inode, for the life of the inode.
/// `generation` tells apart inodes that reuse a number after a delete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FileIdentity {
    pub(crate) dev: u32,
    pub(crate) ino: u64,
    pub(crate) generation: u32,
}

/// A container file the caller has open.
pub(crate) struct ContainerFile {
    pub(crate) identity: FileIdentity,
    /// The descriptor was opened for writing (the VFS checked the caller
    /// may write the file).
    pub(crate) writable: bool,
    pub(crate) readable: bool,
    pub(crate) uid: u32,
    pub(crate) gid: u32,
}

impl ContainerFile {
    /// The regular file behind the caller's descriptor `fd` (`EBADF` for a
    /// bad descriptor, `EINVAL` for anything but a regular file).
    pub(crate) fn from_fd(fd: i32) -> Result<ContainerFile> {
        let fd = u32::try_from(fd).map_err(|_| EBADF)?;
        let file = LocalFile::fget(fd)?;
        let raw = file.as_ptr();
        // SAFETY: `file` holds a reference on the file, so the file and its
        // inode (pinned by the open file) are valid while we read them; the
        // fields read are set at open or inode creation and never change.
        let (mode, inode) = unsafe { ((*raw).f_mode, (*raw).f_inode) };
        // SAFETY: as above, the open file pins its inode and superblock.
        let (imode, ino, generation, dev, uid, gid) = unsafe {
            (
                u32::from((*inode).i_mode),
                (*inode).i_ino,
                (*inode).i_generation,
                (*(*inode).i_sb).s_dev,
                (*inode).i_uid.val,
                (*inode).i_gid.val,
            )
        };
        if imode & bindings::S_IFMT != bindings::S_IFREG {
            return Err(EINVAL);
        }
        Ok(ContainerFile {
            identity: FileIdentity {
                dev,
                ino,
                generation,
            },
            writable: mode & FMODE_WRITE != 0,
            readable: mode & FMODE_READ != 0,
            uid,
            gid,
        })
    }
}
