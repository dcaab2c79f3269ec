// SPDX-License-Identifier: GPL-2.0

//! In-kernel KUnit suites, built when Kbuild passes `--cfg daos_kunit`
//! (`make DAOS_KUNIT=y`, as `make check` does); they run when the module loads.

#[kernel::prelude::kunit_tests(daos_ioctl)]
mod ioctl_tests {
    use kernel::ioctl::{
        _IOR,
        _IOW, //
    };

    use crate::{
        ioctl::{
            Op,
            COMMANDS,
            MAGIC, //
        },
        pure::ioctl_cmd::{
            lookup,
            Accepted,
            CmdError, //
        },
        uapi,
    };

    const NR: u32 = uapi::DAOS_IOC_NR_VERSION;

    #[test]
    fn version_is_found_with_its_size() {
        let cmd = _IOR::<uapi::daos_version>(MAGIC as u32, NR);
        let want = Accepted {
            op: Op::Version,
            size: core::mem::size_of::<uapi::daos_version>(),
        };
        assert_eq!(lookup(&COMMANDS, MAGIC, cmd), Ok(want));
    }

    #[test]
    fn wrong_size_is_bad_size() {
        let cmd = _IOR::<u64>(MAGIC as u32, NR);
        assert_eq!(lookup(&COMMANDS, MAGIC, cmd), Err(CmdError::BadSize));
    }

    #[test]
    fn wrong_direction_or_magic_is_not_ours() {
        let write = _IOW::<uapi::daos_version>(MAGIC as u32, NR);
        assert_eq!(lookup(&COMMANDS, MAGIC, write), Err(CmdError::NotOurs));
        let foreign = _IOR::<uapi::daos_version>(u32::from(MAGIC) + 1, NR);
        assert_eq!(lookup(&COMMANDS, MAGIC, foreign), Err(CmdError::NotOurs));
    }

    #[test]
    fn command_numbers_are_unique() {
        for (i, a) in COMMANDS.iter().enumerate() {
            for b in &COMMANDS[i + 1..] {
                assert!(a.nr != b.nr);
            }
        }
    }
}
