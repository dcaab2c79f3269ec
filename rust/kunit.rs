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

#[kernel::prelude::kunit_tests(daos_handles)]
mod handle_tests {
    use kernel::prelude::*;

    use crate::{
        event_queue::EventQueue,
        handle_table::{
            HandleTable,
            Object,
            Owner, //
        },
        pure::handle::HandleType,
    };

    #[test]
    fn lookups_check_type_owner_and_staleness() {
        let t = KBox::pin_init(HandleTable::new(), GFP_KERNEL).unwrap();
        let me = Owner { tgid: 100, file: 1 };
        let eq = EventQueue::new().unwrap();
        let h = t.insert(me, Object::EventQueue(eq)).unwrap();
        let eqt = HandleType::EventQueue;
        assert!(t.lookup(h, eqt, me).is_ok());
        assert_eq!(t.lookup(h, HandleType::Container, me).err(), Some(EBADF));
        // Another process, with other pid bits and with the same ones.
        assert_eq!(t.lookup(h, eqt, Owner { tgid: 101, ..me }).err(), Some(EBADF));
        assert_eq!(t.lookup(h, eqt, Owner { tgid: 100 + 128, ..me }).err(), Some(EBADF));
        // The same process through another open file.
        assert_eq!(t.lookup(h, eqt, Owner { file: 2, ..me }).err(), Some(EBADF));
        assert_eq!(t.remove(h, eqt, Owner { file: 2, ..me }).err(), Some(EBADF));
        assert!(t.remove(h, eqt, me).is_ok());
        // Stale.
        assert_eq!(t.lookup(h, eqt, me).err(), Some(EBADF));
        assert!(t.is_empty());
    }

    #[test]
    fn handles_are_unique() {
        let t = KBox::pin_init(HandleTable::new(), GFP_KERNEL).unwrap();
        let me = Owner { tgid: 7, file: 1 };
        let eq = EventQueue::new().unwrap();
        let a = t.insert(me, Object::EventQueue(eq.clone())).unwrap();
        let b = t.insert(me, Object::EventQueue(eq)).unwrap();
        assert!(a != b);
        t.release(a);
        t.release(b);
        assert!(t.is_empty());
    }
}

#[kernel::prelude::kunit_tests(daos_event_queue)]
mod event_queue_tests {
    use kernel::prelude::*;

    use crate::{
        event_queue::EventQueue,
        pure::event_table::Counts,
    };

    #[test]
    fn dispatch_complete_counts() {
        let eq = EventQueue::new().unwrap();
        let id = eq.init_event(0x1000, None).unwrap();
        let ticket = eq.dispatch(id, None).unwrap();
        assert_eq!(eq.counts().inflight, 1);
        assert_eq!(eq.dispatch(id, None).err(), Some(EBUSY));
        eq.complete(ticket, -5);
        let c = eq.counts();
        assert_eq!((c.inflight, c.completed, c.ops), (0, 1, 0));
        assert!(eq.fini_event(id).is_ok());
        assert_eq!(eq.fini_event(id).err(), Some(ENOENT));
    }

    #[test]
    fn late_completion_after_unlink_frees_the_event() {
        let eq = EventQueue::new().unwrap();
        let id = eq.init_event(0x1000, None).unwrap();
        let _idle = eq.init_event(0x2000, None).unwrap();
        let ticket = eq.dispatch(id, None).unwrap();
        eq.unlink();
        // Only the event in flight is left.
        assert_eq!(eq.counts().events, 1);
        assert_eq!(eq.init_event(0x3000, None).err(), Some(EBADF));
        eq.complete(ticket, 0);
        assert_eq!(eq.counts(), Counts::default());
    }

    #[test]
    fn destroy_refuses_events_in_flight() {
        let eq = EventQueue::new().unwrap();
        let id = eq.init_event(0x1000, None).unwrap();
        let ticket = eq.dispatch(id, None).unwrap();
        assert_eq!(eq.destroy().err(), Some(EBUSY));
        eq.complete(ticket, 0);
        assert!(eq.destroy().is_ok());
        assert_eq!(eq.destroy().err(), Some(EBADF));
    }
}
