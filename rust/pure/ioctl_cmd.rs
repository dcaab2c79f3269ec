// SPDX-License-Identifier: GPL-2.0

//! Decoding and validating ioctl command numbers.
//!
//! The command number carries the direction, the type ("magic"), the number
//! and the argument size (asm-generic layout, used by x86, arm64 and riscv).
//! The module looks a command up in its table of [`CmdSpec`]s: a foreign
//! magic, an unknown number or the wrong direction is not our command
//! (`ENOTTY`). Sizes follow `copy_struct_from_user()`, with the size in the
//! command number as its `usize`: every size the module published is
//! accepted, and any larger one (a newer caller; its extra bytes must be
//! zero, see [`fit`]); a smaller size it never published is `EINVAL`.

/// Bits of the number field.
const NR_BITS: u32 = 8;
/// Bits of the type field.
const TYPE_BITS: u32 = 8;
/// Bits of the size field.
const SIZE_BITS: u32 = 14;
const NR_SHIFT: u32 = 0;
const TYPE_SHIFT: u32 = NR_SHIFT + NR_BITS;
const SIZE_SHIFT: u32 = TYPE_SHIFT + TYPE_BITS;
const DIR_SHIFT: u32 = SIZE_SHIFT + SIZE_BITS;

/// Largest argument size a command number can carry.
pub(crate) const MAX_SIZE: usize = (1 << SIZE_BITS) - 1;

/// Data direction of an ioctl, seen from userspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dir {
    /// No argument (`_IO`).
    NoData = 0,
    /// Userspace writes, the module reads (`_IOW`).
    Write = 1,
    /// The module writes, userspace reads (`_IOR`).
    Read = 2,
    /// Both (`_IOWR`).
    ReadWrite = 3,
}

impl Dir {
    const fn from_bits(bits: u32) -> Dir {
        match bits & 3 {
            0 => Dir::NoData,
            1 => Dir::Write,
            2 => Dir::Read,
            _ => Dir::ReadWrite,
        }
    }
}

/// The four fields of a command number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cmd {
    pub(crate) dir: Dir,
    pub(crate) ty: u8,
    pub(crate) nr: u8,
    pub(crate) size: usize,
}

impl Cmd {
    /// Splits a command number into its fields.
    pub(crate) const fn decode(cmd: u32) -> Cmd {
        Cmd {
            dir: Dir::from_bits(cmd >> DIR_SHIFT),
            ty: (cmd >> TYPE_SHIFT) as u8,
            nr: (cmd >> NR_SHIFT) as u8,
            size: ((cmd >> SIZE_SHIFT) & ((1 << SIZE_BITS) - 1)) as usize,
        }
    }

    /// Builds a command number; `None` if `size` does not fit the size field.
    pub(crate) const fn encode(self) -> Option<u32> {
        if self.size > MAX_SIZE {
            return None;
        }
        Some(
            ((self.dir as u32) << DIR_SHIFT)
                | ((self.ty as u32) << TYPE_SHIFT)
                | ((self.nr as u32) << NR_SHIFT)
                | ((self.size as u32) << SIZE_SHIFT),
        )
    }
}

/// One command the module implements.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CmdSpec<Op: Copy> {
    /// What the dispatcher does for this command.
    pub(crate) op: Op,
    pub(crate) nr: u8,
    pub(crate) dir: Dir,
    /// Every argument size ever published for this command, oldest first.
    /// The last one is the module's structure.
    pub(crate) sizes: &'static [usize],
}

/// Why a command number was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CmdError {
    /// Not a command of this device (`ENOTTY`).
    NotOurs,
    /// A command of this device with an argument smaller than the module's
    /// that it never published (`EINVAL`).
    BadSize,
}

/// A command that passed [`lookup`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Accepted<Op> {
    pub(crate) op: Op,
    /// The size userspace passed: one the spec lists, or a larger one.
    pub(crate) size: usize,
}

/// Finds `cmd` in `table`, checking magic, number, direction and size.
pub(crate) fn lookup<Op: Copy>(
    table: &[CmdSpec<Op>],
    magic: u8,
    cmd: u32,
) -> Result<Accepted<Op>, CmdError> {
    let c = Cmd::decode(cmd);
    if c.ty != magic {
        return Err(CmdError::NotOurs);
    }
    let spec = table
        .iter()
        .find(|s| s.nr == c.nr && s.dir == c.dir)
        .ok_or(CmdError::NotOurs)?;
    let known = spec.sizes.last().ok_or(CmdError::NotOurs)?;
    if c.size <= *known && !spec.sizes.contains(&c.size) {
        return Err(CmdError::BadSize);
    }
    Ok(Accepted {
        op: spec.op,
        size: c.size,
    })
}

/// How a caller's structure of `user` bytes meets the module's of `kernel`
/// bytes (`copy_struct_from_user`, `copy_struct_to_user`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fit {
    /// Bytes both know: copied in, and out. The module's bytes after these
    /// are zero on input (an older caller).
    pub(crate) common: usize,
    /// Bytes only a newer caller knows: must be zero on input, are zeroed on
    /// output.
    pub(crate) tail: usize,
}

/// The fit of a caller's `user`-byte structure to the module's `kernel` bytes.
pub(crate) const fn fit(user: usize, kernel: usize) -> Fit {
    if user <= kernel {
        Fit { common: user, tail: 0 }
    } else {
        Fit {
            common: kernel,
            tail: user - kernel,
        }
    }
}
