// SPDX-License-Identifier: LGPL-2.1-or-later

//! libdaos: the DAOS client API of `include/daos.h` over the `/dev/daos`
//! ioctls. Each call validates what it can in userspace, issues one ioctl and
//! returns 0 or a negative errno value, as the API specifies.

mod device;
mod eq;
mod types;

pub use eq::*;
pub use types::*;

/// `daos_version()`: the ABI version and feature bits of the loaded module.
///
/// # Safety
/// Each non-NULL pointer must be valid for a write of its type.
#[no_mangle]
pub unsafe extern "C" fn daos_version(
    abi_major: *mut u32,
    abi_minor: *mut u32,
    features: *mut u64,
) -> i32 {
    let mut v = daos_abi::daos_version::default();
    if let Err(e) = device::ioctl(daos_abi::DAOS_IOC_VERSION, &mut v) {
        return e;
    }
    // SAFETY: the caller passes NULL or pointers valid for writes.
    unsafe {
        if let Some(p) = abi_major.as_mut() {
            *p = v.abi_major;
        }
        if let Some(p) = abi_minor.as_mut() {
            *p = v.abi_minor;
        }
        if let Some(p) = features.as_mut() {
            *p = v.features;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_without_device_is_a_negative_errno() {
        // The host running unit tests has no /dev/daos; the VM tests cover the real path.
        if std::path::Path::new(device::DEVICE.to_str().unwrap()).exists() {
            return;
        }
        // SAFETY: NULL pointers are allowed.
        let rc = unsafe { daos_version(std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut()) };
        assert_eq!(rc, -libc::ENOENT);
    }

    #[test]
    fn public_event_is_seven_words_of_private_space() {
        assert_eq!(std::mem::size_of::<daos_event>(), 64);
        assert_eq!(std::mem::size_of_val(&daos_event::default().ev_private.space), 56);
        assert_eq!(std::mem::size_of::<daos_handle_t>(), 8);
    }
}
