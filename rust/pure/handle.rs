// SPDX-License-Identifier: GPL-2.0

//! DAOS handles: 64-bit values naming kernel objects to userspace.
//!
//! ```text
//!  63   61 60        54 53                                        0
//! +-------+------------+-------------------------------------------+
//! | type  | pid (low 7)|            cookie (54 bits)               |
//! +-------+------------+-------------------------------------------+
//! ```
//!
//! The type says what the handle names; the owner's pid bits pick the first
//! level of the handle table; the cookie, never reused, picks the object.
//! Type 0 is invalid, so neither 0 nor a small forged integer decodes.

const COOKIE_BITS: u32 = 54;
const PID_BITS: u32 = 7;
const PID_SHIFT: u32 = COOKIE_BITS;
const TYPE_SHIFT: u32 = COOKIE_BITS + PID_BITS;

/// Largest cookie a handle can carry.
pub(crate) const COOKIE_MAX: u64 = (1 << COOKIE_BITS) - 1;
/// Number of distinct pid-bit values: the first level of the table.
pub(crate) const PID_BUCKETS: usize = 1 << PID_BITS;

/// What a handle names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HandleType {
    EventQueue = 1,
    Container = 2,
    Object = 3,
    System = 4,
}

impl HandleType {
    const fn from_bits(bits: u64) -> Option<HandleType> {
        match bits {
            1 => Some(HandleType::EventQueue),
            2 => Some(HandleType::Container),
            3 => Some(HandleType::Object),
            4 => Some(HandleType::System),
            _ => None,
        }
    }
}

/// A decoded, well-formed handle. Well-formed is not valid: the table still
/// has to find it and check its owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Handle {
    pub(crate) ty: HandleType,
    /// The low [`PID_BITS`] bits of the owner's thread-group id.
    pub(crate) pid_bits: u8,
    /// Never zero, at most [`COOKIE_MAX`].
    pub(crate) cookie: u64,
}

/// The pid bits of a thread-group id.
pub(crate) const fn pid_bits(tgid: u32) -> u8 {
    (tgid & ((1 << PID_BITS) - 1)) as u8
}

impl Handle {
    /// A handle for `cookie` owned by `tgid`; `None` if the cookie is 0 or
    /// too large (the 54-bit space is exhausted).
    pub(crate) const fn new(ty: HandleType, tgid: u32, cookie: u64) -> Option<Handle> {
        if cookie == 0 || cookie > COOKIE_MAX {
            return None;
        }
        Some(Handle {
            ty,
            pid_bits: pid_bits(tgid),
            cookie,
        })
    }

    /// The 64-bit value given to userspace.
    pub(crate) const fn encode(self) -> u64 {
        ((self.ty as u64) << TYPE_SHIFT) | ((self.pid_bits as u64) << PID_SHIFT) | self.cookie
    }

    /// Parses a value from userspace; `None` if no handle could have this value.
    pub(crate) const fn decode(raw: u64) -> Option<Handle> {
        let ty = match HandleType::from_bits(raw >> TYPE_SHIFT) {
            Some(ty) => ty,
            None => return None,
        };
        let cookie = raw & COOKIE_MAX;
        if cookie == 0 {
            return None;
        }
        Some(Handle {
            ty,
            pid_bits: ((raw >> PID_SHIFT) & ((1 << PID_BITS) - 1)) as u8,
            cookie,
        })
    }
}
