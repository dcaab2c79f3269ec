// SPDX-License-Identifier: LGPL-2.1-or-later

//! libdaos: the DAOS client API of `include/daos.h` over the `/dev/daos`
//! ioctls. Each call validates what it can in userspace, issues one ioctl and
//! returns 0 or a negative errno value, as the API specifies.

mod container;
mod device;
mod eq;
mod ring;
mod system;
mod types;

pub use container::*;
pub use eq::*;
pub use system::*;
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

/// `daos_api_version()`: this library's version, from Cargo.toml (as the
/// `DAOS_API_VERSION_*` macros of `daos.h`, which a test compares).
///
/// # Safety
/// Each non-NULL pointer must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn daos_api_version(major: *mut i32, minor: *mut i32, fix: *mut i32) {
    let parse = |s: &str| s.parse::<i32>().unwrap_or(0);
    let version = [
        parse(env!("CARGO_PKG_VERSION_MAJOR")),
        parse(env!("CARGO_PKG_VERSION_MINOR")),
        parse(env!("CARGO_PKG_VERSION_PATCH")),
    ];
    for (p, v) in [major, minor, fix].into_iter().zip(version) {
        // SAFETY: the caller passes NULL or pointers valid for writes.
        if let Some(p) = unsafe { p.as_mut() } {
            *p = v;
        }
    }
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
        assert_eq!(rc, -libc::ENODEV, "a missing module is -ENODEV");
    }

    #[test]
    fn header_version_is_the_package_version() {
        let (mut major, mut minor, mut fix) = (-1, -1, -1);
        // SAFETY: pointers to live locals.
        unsafe { daos_api_version(&mut major, &mut minor, &mut fix) };
        assert_eq!((major, minor, fix), (DAOS_API_VERSION_MAJOR as i32, DAOS_API_VERSION_MINOR as i32, DAOS_API_VERSION_FIX as i32));
        assert_eq!(format!("{major}.{minor}.{fix}"), env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn public_event_is_seven_words_of_private_space() {
        assert_eq!(std::mem::size_of::<daos_event>(), 64);
        assert_eq!(std::mem::size_of_val(&daos_event::default().ev_private.space), 56);
        assert_eq!(std::mem::size_of::<daos_handle_t>(), 8);
    }
}
