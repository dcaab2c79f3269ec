// SPDX-License-Identifier: GPL-2.0

//! In-kernel KUnit suites, built when Kbuild passes `--cfg daos_kunit`
//! (`make DAOS_KUNIT=y`, as `make check` does); they run when the module loads.
//!
//! KUnit cases run in kernel threads without user memory, so every copy to
//! userspace faults: a poll that finds an event reports `EFAULT` and puts
//! the event back, which these tests use to wait for completions and to
//! check that nothing is lost.

#[kernel::prelude::kunit_tests(daos_ioctl)]
mod ioctl_tests {
    use kernel::ioctl::{
        _IOR,
        _IOW,
        _IOWR, //
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
    fn smaller_unknown_size_is_bad_size_larger_is_taken() {
        let cmd = _IOR::<u64>(MAGIC as u32, NR);
        assert_eq!(lookup(&COMMANDS, MAGIC, cmd), Err(CmdError::BadSize));
        let cmd = _IOR::<[u64; 6]>(MAGIC as u32, NR);
        assert_eq!(lookup(&COMMANDS, MAGIC, cmd).map(|a| a.size), Ok(48));
    }

    #[test]
    fn first_versions_of_grown_structures_are_taken() {
        let fini = _IOW::<[u64; 2]>(MAGIC as u32, uapi::DAOS_IOC_NR_EVENT_FINI);
        assert_eq!(lookup(&COMMANDS, MAGIC, fini).map(|a| a.op), Ok(Op::EventFini));
        let next = _IOWR::<[u64; 5]>(MAGIC as u32, uapi::DAOS_IOC_NR_EVENT_NEXT);
        assert_eq!(lookup(&COMMANDS, MAGIC, next).map(|a| a.op), Ok(Op::EventNext));
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
        let eq = EventQueue::new(crate::event_queue::DEFAULT_RING).unwrap();
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
        let eq = EventQueue::new(crate::event_queue::DEFAULT_RING).unwrap();
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
    use kernel::{
        prelude::*,
        sync::{
            atomic::{
                Atomic,
                Relaxed, //
            },
            Arc,
            ArcBorrow,
        },
        time::{
            Delta,
            Instant,
            Monotonic, //
        },
        uaccess::UserPtr,
    };

    use crate::{
        context::Context,
        event_queue::{
            EventOp,
            EventQueue,
            OpRef,
            Timeout, //
        },
        noop::{
            self,
            NoopOp, //
        },
        pure::event_table::{
            Counts,
            EventId,
            Ticket, //
        },
        sys::anchor::Anchored,
        system::System,
    };

    /// An operation that counts its aborts and completes when told.
    struct Manual {
        aborts: Atomic<u32>,
    }

    impl EventOp for Manual {
        fn abort(self: ArcBorrow<'_, Self>) {
            self.aborts.fetch_add(1, Relaxed);
        }
    }

    fn manual() -> Arc<Manual> {
        Arc::new(Manual { aborts: Atomic::new(0) }, GFP_KERNEL).unwrap()
    }

    /// Dispatches `op` on `id`; returns the ticket.
    fn dispatch(eq: &EventQueue, id: EventId, op: &Arc<Manual>) -> Result<Ticket> {
        let mut ticket = None;
        let as_op: OpRef = op.clone();
        eq.dispatch(id, as_op, |t| ticket = Some(t))?;
        ticket.ok_or(EINVAL)
    }

    /// A user address that faults in a kernel thread.
    fn nowhere() -> UserPtr {
        UserPtr::from_addr(0x1000)
    }

    #[test]
    fn dispatch_complete_counts() {
        let eq = EventQueue::new(crate::event_queue::DEFAULT_RING).unwrap();
        let op = manual();
        let id = eq.init_event(0x1000, None).unwrap();
        let ticket = dispatch(&eq, id, &op).unwrap();
        assert_eq!(eq.counts().inflight, 1);
        assert_eq!(dispatch(&eq, id, &op).err(), Some(EBUSY));
        eq.abort_event(id).unwrap();
        eq.abort_event(id).unwrap();
        assert_eq!(op.aborts.load(Relaxed), 1);
        eq.complete(ticket, -5);
        let c = eq.counts();
        assert_eq!((c.inflight, c.completed, c.ops), (0, 1, 0));
        assert!(eq.fini_event(id).is_ok());
        assert_eq!(eq.fini_event(id).err(), Some(ENOENT));
    }

    #[test]
    fn abandoned_queue_aborts_and_frees_on_late_completion() {
        let eq = EventQueue::new(crate::event_queue::DEFAULT_RING).unwrap();
        let op = manual();
        let id = eq.init_event(0x1000, None).unwrap();
        let _idle = eq.init_event(0x2000, None).unwrap();
        let ticket = dispatch(&eq, id, &op).unwrap();
        eq.abandon();
        assert_eq!(op.aborts.load(Relaxed), 1);
        // Only the event in flight is left.
        assert_eq!(eq.counts().events, 1);
        assert_eq!(eq.init_event(0x3000, None).err(), Some(EBADF));
        eq.complete(ticket, 0);
        assert_eq!(eq.counts(), Counts::default());
    }

    #[test]
    fn destroy_refuses_events_in_flight() {
        let eq = EventQueue::new(crate::event_queue::DEFAULT_RING).unwrap();
        let op = manual();
        let id = eq.init_event(0x1000, None).unwrap();
        let ticket = dispatch(&eq, id, &op).unwrap();
        assert_eq!(eq.destroy().err(), Some(EBUSY));
        eq.complete(ticket, 0);
        assert!(eq.destroy().is_ok());
        assert_eq!(eq.destroy().err(), Some(EBADF));
    }

    #[test]
    fn poll_without_events_returns_at_its_time() {
        let eq = EventQueue::new(crate::event_queue::DEFAULT_RING).unwrap();
        let mut t = Timeout::NoWait;
        assert_eq!(eq.poll(4, &mut t, false, nowhere()), Ok(0));
        // Nothing in flight: wait-in-flight returns at once, even untimed.
        let mut t = Timeout::Forever;
        assert_eq!(eq.poll(4, &mut t, true, nowhere()), Ok(0));
        let start = Instant::<Monotonic>::now();
        let mut t = Timeout::Micros(20_000);
        assert_eq!(eq.poll(4, &mut t, false, nowhere()), Ok(0));
        // A poll never ends early.
        assert!(start.elapsed() >= Delta::from_micros(20_000));
    }

    #[test]
    fn poll_that_cannot_copy_puts_its_events_back() {
        let eq = EventQueue::new(crate::event_queue::DEFAULT_RING).unwrap();
        for user in [0x1000, 0x2000, 0x3000] {
            let id = eq.init_event(user, None).unwrap();
            eq.complete_now(id, 0).unwrap();
        }
        let mut t = Timeout::NoWait;
        assert_eq!(eq.poll(2, &mut t, false, nowhere()).err(), Some(EFAULT));
        // Nothing is lost.
        assert_eq!(eq.counts().completed, 3);
    }

    /// A context of the test's own, with its own work queue; dropping it
    /// waits for every no-op started on it.
    fn context() -> Pin<KBox<Anchored<Context>>> {
        KBox::pin_init(Anchored::new(Context::new(System::new().unwrap())), GFP_KERNEL).unwrap()
    }

    /// Waits, without a timeout, until `eq` has a completed event (the poll
    /// then fails to copy it out and puts it back).
    fn wait_completed(eq: &EventQueue) {
        let mut t = Timeout::Forever;
        assert_eq!(eq.poll(1, &mut t, false, nowhere()).err(), Some(EFAULT));
    }

    #[test]
    fn noop_completes_after_its_delay() {
        let ctx = context();
        let eq = EventQueue::new(crate::event_queue::DEFAULT_RING).unwrap();
        let id = eq.init_event(0x1000, None).unwrap();
        let start = Instant::<Monotonic>::now();
        NoopOp::start(&ctx.as_ref().anchor(), &eq, id, 5000, -5).unwrap();
        assert_eq!(eq.counts().inflight, 1);
        wait_completed(&eq);
        assert!(start.elapsed() >= Delta::from_micros(5000));
        assert_eq!(eq.counts().completed, 1);
        eq.fini_event(id).unwrap();
    }

    #[test]
    fn abort_cuts_a_long_noop_short() {
        let ctx = context();
        let eq = EventQueue::new(crate::event_queue::DEFAULT_RING).unwrap();
        let id = eq.init_event(0x1000, None).unwrap();
        NoopOp::start(&ctx.as_ref().anchor(), &eq, id, 3_600_000_000, 0).unwrap();
        eq.abort_event(id).unwrap();
        wait_completed(&eq);
        eq.fini_event(id).unwrap();
    }

    #[test]
    fn abort_racing_the_timer_completes_each_noop_once() {
        let ctx = context();
        let eq = EventQueue::new(crate::event_queue::DEFAULT_RING).unwrap();
        for round in 0..300u64 {
            let id = eq.init_event(0x1000, None).unwrap();
            NoopOp::start(&ctx.as_ref().anchor(), &eq, id, 1 + round % 40, 0).unwrap();
            eq.abort_event(id).unwrap();
            wait_completed(&eq);
            let c = eq.counts();
            assert_eq!((c.inflight, c.completed, c.ops), (0, 1, 0));
            eq.fini_event(id).unwrap();
        }
        // Dropping the context waits for the last work item.
        drop(ctx);
        assert_eq!(eq.counts(), Counts::default());
    }

    #[test]
    fn synchronous_noop_sleeps_its_delay() {
        let start = Instant::<Monotonic>::now();
        let mut left = 3000;
        assert_eq!(noop::sleep(&mut left), Ok(()));
        assert!(start.elapsed() >= Delta::from_micros(3000));
    }
}

#[kernel::prelude::kunit_tests(daos_ring)]
mod ring_tests {
    use crate::pure::ring::{
        Ring,
        Room,
        SHIFT_MIN, //
    };

    /// The kernel build of the ring arithmetic (with overflow checks on):
    /// free-running indices across the wrap of `u32`.
    #[test]
    fn indices_run_across_the_wrap() {
        let r = Ring::new(SHIFT_MIN).unwrap();
        let n = r.entries();
        let head = u32::MAX - 2;
        assert_eq!(r.room(head, head), Room::Free(n));
        assert_eq!(r.room(head.wrapping_add(n), head), Room::Full);
        assert_eq!(r.ready(head, head.wrapping_add(5)), 5);
        assert_eq!(r.slot(head.wrapping_add(n)), r.slot(head));
    }

    /// A head the process wrote (ahead of the tail, or further behind than
    /// the ring is long) leaves no room and nothing to read.
    #[test]
    fn a_hostile_head_leaves_no_room() {
        let r = Ring::new(SHIFT_MIN).unwrap();
        let tail = 1000;
        for head in [1001, u32::MAX, tail - r.entries() - 1, 0] {
            assert_eq!(r.room(tail, head), Room::Nonsense);
            assert_eq!(r.ready(head, tail), 0);
        }
        assert!(r.slot(u32::MAX) < r.entries() as usize);
    }

    /// The consumers' head is accepted only moving forward, up to the
    /// tail, across the wrap too.
    #[test]
    fn a_head_follows_only_forward_up_to_the_tail() {
        let (seen, tail) = (u32::MAX - 1, 3);
        for head in [seen, u32::MAX, 0, 3] {
            assert!(Ring::follows(seen, head, tail));
        }
        for head in [4, seen - 1, 1000] {
            assert!(!Ring::follows(seen, head, tail));
        }
    }
}
