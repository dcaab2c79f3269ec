/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * daos.h - the ioctl ABI of /dev/daos, the DAOS client device.
 *
 * This header is the single source of truth for the ABI: the kernel module
 * and the userspace bindings are both generated from it, and both assert the
 * layout of every structure below.
 *
 * Conventions (Documentation/ioctl-abi.rst has the long form):
 *  - Every argument is a fixed-size structure with explicit padding; pointers
 *    and sizes are __u64, so the layout is the same for 32- and 64-bit
 *    processes and no compat translation is needed.
 *  - The structure's size is part of the command number (_IOC_SIZE), as the
 *    size argument of clone3() and openat2() is. A structure grows only at
 *    its end, keeping its command number (_IOC_NR); the module follows
 *    copy_struct_from_user(): an older, smaller size it published is
 *    zero-extended; a larger one is accepted if the bytes it does not know
 *    are zero (-E2BIG otherwise); it writes back only the caller's size
 *    (zeroing the tail of a larger one). A smaller size it never published
 *    is -EINVAL.
 *  - Every structure that userspace fills has a flags word; flags and
 *    reserved fields must be zero on input (-EINVAL otherwise), so that
 *    they can be given a meaning later.
 *  - Errors are returned as -1 with errno set, as for any ioctl. Each
 *    command returns only the errors documented for it in
 *    Documentation/ioctl-abi.rst.
 *
 * The ioctl type ("magic") is 0xDA, unused in
 * Documentation/userspace-api/ioctl/ioctl-number.rst (between 0xCF and 0xDD).
 */
#ifndef _UAPI_LINUX_DAOS_H
#define _UAPI_LINUX_DAOS_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define DAOS_IOC_MAGIC 0xDA

/*
 * ABI version: the major number changes only on an incompatible change (never,
 * we hope); the minor number grows with every compatible addition.
 */
#define DAOS_ABI_MAJOR 1U
#define DAOS_ABI_MINOR 0U

/* Feature bits reported by DAOS_IOC_VERSION. */
#define DAOS_FEATURE_VERSION		(1ULL << 0)	/* DAOS_IOC_VERSION */
#define DAOS_FEATURE_EQ			(1ULL << 1)	/* event queues and events */
#define DAOS_FEATURE_NOOP		(1ULL << 2)	/* DAOS_IOC_NOOP */
#define DAOS_FEATURE_EQ_EVENTFD		(1ULL << 3)	/* DAOS_IOC_EQ_EVENTFD */

/**
 * struct daos_version - argument of DAOS_IOC_VERSION (out only, so it has
 *	no flags: userspace asks nothing of it)
 * @abi_major:	DAOS_ABI_MAJOR of the running module
 * @abi_minor:	DAOS_ABI_MINOR of the running module
 * @features:	DAOS_FEATURE_* bits the running module implements
 * @reserved:	zero
 */
struct daos_version {
	__u32 abi_major;
	__u32 abi_minor;
	__u64 features;
	__u64 reserved[2];
};

/*
 * Event queues and events.
 *
 * An event queue (EQ) is named by a 64-bit handle; an event by its EQ handle
 * and a 64-bit id, unique within the EQ and never reused. Handles and ids are
 * private to the process that opened the file they were created through,
 * and work only through that file: any other process (a forked child using
 * the inherited file included), and any stale or forged value, gets -EBADF
 * (handles) or -ENOENT (event ids).
 */

/* Largest n for DAOS_IOC_EQ_POLL and DAOS_IOC_EQ_QUERY. */
#define DAOS_EQ_BATCH_MAX 65536U

/* Largest errno a no-op may complete with (EHWPOISON): real errno values only. */
#define DAOS_ERRNO_MAX 133

/* daos_ioc_eq_poll.timeout_us: besides a positive number of microseconds */
#define DAOS_EQ_TIMEOUT_NOWAIT 0	/* return at once */
#define DAOS_EQ_TIMEOUT_INF (-1)	/* wait until an event completes */

/* daos_ioc_eq_poll.flags */
#define DAOS_EQ_POLL_WAIT_INFLIGHT (1U << 0)	/* wait only while events are in flight */

/* daos_ioc_eq_query.mode */
#define DAOS_EQ_QUERY_COMPLETED (1U << 0)
#define DAOS_EQ_QUERY_INFLIGHT (1U << 1)

/* Longest delay of a no-op: one hour. */
#define DAOS_NOOP_DELAY_MAX_US 3600000000ULL

/**
 * struct daos_ioc_eq_create - DAOS_IOC_EQ_CREATE
 * @eqh:	out: handle of the new EQ
 * @flags:	in: zero
 */
struct daos_ioc_eq_create {
	__u64 eqh;
	__u64 flags;
};

/**
 * struct daos_ioc_eq - DAOS_IOC_EQ_DESTROY
 * @eqh:	in: the EQ; -EBUSY while any of its events is in flight
 * @flags:	in: zero
 */
struct daos_ioc_eq {
	__u64 eqh;
	__u64 flags;
};

/**
 * struct daos_polled_event - one event, written by DAOS_IOC_EQ_POLL and
 *	DAOS_IOC_EQ_QUERY
 * @user:	address of the userspace event given at init
 * @error:	the operation's result: 0 or a negative errno (-EINTR if
 *		aborted); for an event still in flight, 0 or the first error of
 *		its children so far
 * @reserved:	zero
 */
struct daos_polled_event {
	__u64 user;
	__s32 error;
	__u32 reserved;
};

/**
 * struct daos_ioc_eq_poll - DAOS_IOC_EQ_POLL; returns the number of events
 * @eqh:	in: the EQ
 * @timeout_us:	in: DAOS_EQ_TIMEOUT_NOWAIT, DAOS_EQ_TIMEOUT_INF or > 0;
 *		out: the time left when a signal interrupted the wait
 * @events:	in: address of struct daos_polled_event[@n]
 * @n:		in: 1..DAOS_EQ_BATCH_MAX
 * @flags:	in: DAOS_EQ_POLL_WAIT_INFLIGHT
 *
 * Returns as soon as at least one event completed (without waiting to fill
 * the array), at the timeout with 0, or with 0 as soon as
 * DAOS_EQ_POLL_WAIT_INFLIGHT is set and nothing is in flight or waiting to
 * be polled. Each completed event is returned to exactly one caller.
 *
 * Signals, as for ppoll(): a stop or the freezer never ends the wait (the
 * call restarts by itself, a timed one with the time left, written back to
 * @timeout_us); a handled signal ends a timed wait with -EINTR, and an
 * untimed one with -EINTR unless the handler has SA_RESTART.
 */
struct daos_ioc_eq_poll {
	__u64 eqh;
	__s64 timeout_us;
	__u64 events;
	__u32 n;
	__u32 flags;
};

/**
 * struct daos_ioc_eq_query - DAOS_IOC_EQ_QUERY
 * @eqh:	in: the EQ
 * @events:	in: address of struct daos_polled_event[@n] receiving the
 *		events @mode selects (completed ones first, in poll order) with
 *		their current results, or 0
 * @n:		in: 0..DAOS_EQ_BATCH_MAX; 0 when @events is 0
 * @mode:	in: DAOS_EQ_QUERY_COMPLETED and/or DAOS_EQ_QUERY_INFLIGHT
 * @flags:	in: zero
 *
 * Returns the number of events @mode selects when @events is 0; otherwise
 * the number written to @events (counted and written in one step).
 */
struct daos_ioc_eq_query {
	__u64 eqh;
	__u64 events;
	__u32 n;
	__u32 mode;
	__u64 flags;
};

/**
 * struct daos_ioc_eq_eventfd - DAOS_IOC_EQ_EVENTFD
 * @eqh:	in: the EQ
 * @fd:		in: an eventfd, signalled once per completed event; -1 unbinds
 * @flags:	in: zero
 */
struct daos_ioc_eq_eventfd {
	__u64 eqh;
	__s32 fd;
	__u32 flags;
};

/**
 * struct daos_ioc_event_init - DAOS_IOC_EVENT_INIT
 * @eqh:	in: the EQ the event belongs to (its parent's, with @parent)
 * @user:	in: address of the userspace event, returned by poll and query
 * @parent:	in: id of the parent event, or 0
 * @id:		out: the event's id
 * @flags:	in: zero
 */
struct daos_ioc_event_init {
	__u64 eqh;
	__u64 user;
	__u64 parent;
	__u64 id;
	__u64 flags;
};

/**
 * struct daos_ioc_event - DAOS_IOC_EVENT_FINI, DAOS_IOC_EVENT_ABORT
 * @eqh:	in: the event's EQ
 * @id:		in: the event
 * @flags:	in: zero
 */
struct daos_ioc_event {
	__u64 eqh;
	__u64 id;
	__u64 flags;
};

/**
 * struct daos_ioc_event_next - DAOS_IOC_EVENT_NEXT
 * @eqh:	in: the EQ
 * @parent:	in: the parent event
 * @child:	in: the current child, or 0 for the first
 * @next:	out: the next child in init order, or 0 after the last
 * @next_user:	out: its userspace address, or 0
 * @flags:	in: zero
 * @next_error:	out: its result: 0, or the error it completed with
 */
struct daos_ioc_event_next {
	__u64 eqh;
	__u64 parent;
	__u64 child;
	__u64 next;
	__u64 next_user;
	__u32 flags;
	__s32 next_error;
};

/**
 * struct daos_ioc_noop - DAOS_IOC_NOOP: an operation that does nothing
 * @eqh:	in: the event's EQ, or 0 for a synchronous no-op
 * @id:		in: the event, or 0 for a synchronous no-op
 * @delay_us:	in: completes after this long (0..DAOS_NOOP_DELAY_MAX_US);
 *		out: the time left when a signal interrupted a synchronous one
 * @error:	in: the result to complete with: 0 or -DAOS_ERRNO_MAX..-1
 * @flags:	in: zero
 *
 * With an event it returns at once and the event completes after @delay_us
 * (each no-op on its own timer). Without one it sleeps @delay_us and
 * returns @error; signals as for a timed DAOS_IOC_EQ_POLL (a stop or the
 * freezer restarts it with the time left, a handled signal is -EINTR).
 */
struct daos_ioc_noop {
	__u64 eqh;
	__u64 id;
	__u64 delay_us;
	__s32 error;
	__u32 flags;
};

/*
 * Sizes of the first version of grown structures, still accepted and
 * zero-extended (as OPEN_HOW_SIZE_VER0 is by openat2()).
 */
#define DAOS_IOC_EVENT_INIT_SIZE_VER0	32
#define DAOS_IOC_EVENT_SIZE_VER0	16
#define DAOS_IOC_EVENT_NEXT_SIZE_VER0	40

/* Command numbers (_IOC_NR), one per operation, never reused. */
#define DAOS_IOC_NR_VERSION	0x00
#define DAOS_IOC_NR_EQ_CREATE	0x01
#define DAOS_IOC_NR_EQ_DESTROY	0x02
#define DAOS_IOC_NR_EQ_POLL	0x03
#define DAOS_IOC_NR_EQ_QUERY	0x04
#define DAOS_IOC_NR_EQ_EVENTFD	0x05
#define DAOS_IOC_NR_EVENT_INIT	0x06
#define DAOS_IOC_NR_EVENT_FINI	0x07
#define DAOS_IOC_NR_EVENT_NEXT	0x08
#define DAOS_IOC_NR_EVENT_ABORT	0x09
#define DAOS_IOC_NR_NOOP	0x0a

#define DAOS_IOC_VERSION	_IOR(DAOS_IOC_MAGIC, DAOS_IOC_NR_VERSION, struct daos_version)
#define DAOS_IOC_EQ_CREATE	_IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_EQ_CREATE, struct daos_ioc_eq_create)
#define DAOS_IOC_EQ_DESTROY	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_EQ_DESTROY, struct daos_ioc_eq)
#define DAOS_IOC_EQ_POLL	_IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_EQ_POLL, struct daos_ioc_eq_poll)
#define DAOS_IOC_EQ_QUERY	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_EQ_QUERY, struct daos_ioc_eq_query)
#define DAOS_IOC_EQ_EVENTFD	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_EQ_EVENTFD, struct daos_ioc_eq_eventfd)
#define DAOS_IOC_EVENT_INIT	_IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_EVENT_INIT, struct daos_ioc_event_init)
#define DAOS_IOC_EVENT_FINI	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_EVENT_FINI, struct daos_ioc_event)
#define DAOS_IOC_EVENT_NEXT	_IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_EVENT_NEXT, struct daos_ioc_event_next)
#define DAOS_IOC_EVENT_ABORT	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_EVENT_ABORT, struct daos_ioc_event)
#define DAOS_IOC_NOOP		_IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_NOOP, struct daos_ioc_noop)

#endif /* _UAPI_LINUX_DAOS_H */
