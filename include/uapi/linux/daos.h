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
#define DAOS_ABI_MINOR 2U

/* Feature bits reported by DAOS_IOC_VERSION. */
#define DAOS_FEATURE_VERSION		(1ULL << 0)	/* DAOS_IOC_VERSION */
#define DAOS_FEATURE_EQ			(1ULL << 1)	/* event queues and events */
#define DAOS_FEATURE_NOOP		(1ULL << 2)	/* DAOS_IOC_NOOP */
#define DAOS_FEATURE_EQ_EVENTFD		(1ULL << 3)	/* DAOS_IOC_EQ_EVENTFD */
#define DAOS_FEATURE_EQ_RING		(1ULL << 5)	/* completion rings (ABI 1.2) */

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
 * @ring_entries: in: entries of the EQ's completion ring, 0 for
 *		DAOS_EQ_RING_DEFAULT; rounded up to a power of two, at least
 *		DAOS_EQ_RING_MIN, at most DAOS_EQ_RING_MAX (-EINVAL above);
 *		out: the ring's entries
 * @ring_entries_off: out: offset of the entries in the mapping
 * @ring_offset: out: the mmap() offset of the ring
 * @ring_bytes:	out: the length to mmap()
 *
 * Every EQ has a completion ring (DAOS_FEATURE_EQ_RING). A process may map
 * it (mmap of /dev/daos, MAP_SHARED, read and write, @ring_bytes at
 * @ring_offset) and take completed events from it without a system call;
 * DAOS_IOC_EQ_POLL takes them from the same ring, so a process that never
 * maps it sees no difference. See struct daos_eq_ring.
 */
struct daos_ioc_eq_create {
	__u64 eqh;
	__u64 flags;
	__u32 ring_entries;
	__u32 ring_entries_off;
	__u64 ring_offset;
	__u64 ring_bytes;
};

#define DAOS_EQ_RING_MIN	64U
#define DAOS_EQ_RING_DEFAULT	256U
#define DAOS_EQ_RING_MAX	65536U

/**
 * struct daos_eq_ring - the header of an EQ's completion ring, at offset 0
 *	of its mapping; the entries (struct daos_ring_entry) follow at
 *	daos_ioc_eq_create.ring_entries_off
 * @head:	consumers' index: the next entry to take. Written by the
 *		process only: a consumer that read @head == h and an entry
 *		(h & (entries - 1)) owns that entry if it swaps @head from h to
 *		h + 1 (compare-and-swap); DAOS_IOC_EQ_POLL takes entries the
 *		same way. The module reads it as untrusted: a value that makes
 *		no sense stops the ring (completions then wait in the module,
 *		DAOS_RING_OVERFLOW set, for DAOS_IOC_EQ_POLL).
 * @pad0:	keeps @head on a cache line of its own
 * @tail:	the producer's index: entries h with h - @head < @tail - @head
 *		are ready. Written by the module only (with release order: an
 *		entry is complete when @tail covers it)
 * @pad1:	as @pad0
 * @flags:	DAOS_RING_OVERFLOW: completed events wait in the module, not
 *		in the ring; DAOS_IOC_EQ_POLL returns them. DAOS_RING_STOPPED
 *		(with DAOS_RING_OVERFLOW): the module read a @head that moved
 *		backwards or past @tail and no longer uses the ring; its
 *		entries were cancelled and their events wait in the module
 *		(entries taken since the module's last call on the EQ may so
 *		be handed out twice: the process broke its own ring)
 * @entries:	the ring's entries (a power of two)
 * @sleepers:	pollers asleep in DAOS_IOC_EQ_POLL. A consumer that took
 *		entries and then reads a @sleepers other than 0 (both with
 *		sequentially consistent order) must tell the module, with any
 *		command on the EQ (DAOS_IOC_EQ_QUERY, say): a poller waiting for
 *		the EQ to go idle may be waiting for what it took
 * @reserved:	zero
 *
 * Indices are free-running 32-bit numbers. An entry whose @user is 0 was
 * cancelled (its event was finalised before it was taken): skip it.
 */
struct daos_eq_ring {
	__u32 head;
	__u32 pad0[15];
	__u32 tail;
	__u32 pad1[15];
	__u32 flags;
	__u32 entries;
	__u32 sleepers;
	__u32 reserved[29];
};

#define DAOS_RING_OVERFLOW	(1U << 0)
#define DAOS_RING_STOPPED	(1U << 1)

/**
 * struct daos_ring_entry - one completed event in an EQ's ring
 * @user:	address of the userspace event given at init; 0: cancelled
 * @error:	the operation's result, as in struct daos_polled_event
 * @seq:	the entry's index (the low 32 bits of its place in the ring's
 *		history), for consumers that check what they read
 */
struct daos_ring_entry {
	__u64 user;
	__s32 error;
	__u32 seq;
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
 * Containers, shards, objects and epochs (DAOS_FEATURE_CONTAINER).
 *
 * Each of these commands starts with a struct daos_ioc_ev naming the event
 * the operation completes on, or none (both zero) for a synchronous call.
 * With an event the command returns 0 once the operation is submitted and
 * the event completes with the result (-EINTR if aborted first); what the
 * command writes back (handles, query results) is valid at submission.
 * Without one the command returns the result. Errors found before the
 * operation starts (a bad handle, argument or capability) are returned by
 * the command in both cases, and no event completes.
 *
 * Handles (container, object) are private to their process and file, as
 * EQ handles are (-EBADF for anyone else); object handles close with their
 * container handle.
 */

/* Feature bit of the commands below. */
#define DAOS_FEATURE_CONTAINER		(1ULL << 4)

/* daos_ioc_co_open.mode: the seed's DAOS_COO_* values */
#define DAOS_IOC_COO_RO		(1U << 0)
#define DAOS_IOC_COO_RW		(1U << 1)
#define DAOS_IOC_COO_CREATE	(1U << 2)

/* daos_ioc_co_open.status: the seed's daos_container_status_t */
#define DAOS_IOC_CO_ST_HEALTHY	0U

/*
 * daos_ioc_obj_open.mode: the seed's DAOS_OBJ_* values. With IO_BUFFERED,
 * writes go through the shard's writeback cache: the call copies the data
 * and completes, and a flush (or the commit) sends it. IO_SEQ (and no
 * hint) sends one request's worth (a chunk) at a time; IO_RAND sends what
 * each write touched at once.
 */
#define DAOS_IOC_OBJ_RO		(1U << 1)
#define DAOS_IOC_OBJ_RW		(1U << 2)
#define DAOS_IOC_OBJ_IO_BUFFERED (1U << 3)
#define DAOS_IOC_OBJ_IO_RAND	(1U << 4)
#define DAOS_IOC_OBJ_IO_SEQ	(1U << 5)

/* daos_ioc_list_shard.opc: the seed's daos_shard_list_t */
#define DAOS_IOC_SHARD_LS_ALL		0U
#define DAOS_IOC_SHARD_LS_STUCK		1U
#define DAOS_IOC_SHARD_LS_DISABLED	2U

/* Target status, the seed's DAOS_TARGET_ST_*: 0..100 is health. */
#define DAOS_IOC_TARGET_ST_DISABLED	(-1)

/* Largest shard ID: an object's o_id_hi holds its shard in 20 bits. */
#define DAOS_SHARD_ID_MAX	((1U << 20) - 1)

/* Most fragments of one read or write, and shards of one shard call. */
#define DAOS_IO_FRAG_MAX	1024U
#define DAOS_SHARD_BATCH_MAX	1024U

/* The highest epoch; as a query's epoch it asks for the current one. */
#define DAOS_IOC_EPOCH_HIGHEST	0xffffffffffffffffULL

/* daos_ioc_epoch.flags for DAOS_IOC_EPOCH_COMMIT */
#define DAOS_IOC_COMMIT_SYNC	(1U << 0)

/**
 * struct daos_ioc_ev - the event an operation completes on
 * @eqh:	the event's EQ, or 0 for a synchronous call
 * @id:		the event, or 0 for a synchronous call
 */
struct daos_ioc_ev {
	__u64 eqh;
	__u64 id;
};

/**
 * struct daos_ioc_co_open - DAOS_IOC_CO_OPEN
 * @ev:		in: the event
 * @fd:		in: the container file, a regular file the caller opened
 *		(read-only for DAOS_IOC_COO_RO, read-write for DAOS_IOC_COO_RW);
 *		the container is named by the file's inode, so a rename keeps it
 * @mode:	in: DAOS_IOC_COO_RO or DAOS_IOC_COO_RW, with DAOS_IOC_COO_CREATE
 *		to make the file a container if it is not one (-ENOENT otherwise)
 * @nprocess:	in: the processes sharing a collective open (0 or 1: none)
 * @status:	out: DAOS_IOC_CO_ST_HEALTHY
 * @coh:	out: the open handle
 * @flags:	in: zero
 */
struct daos_ioc_co_open {
	struct daos_ioc_ev ev;
	__s32 fd;
	__u32 mode;
	__u32 nprocess;
	__u32 status;
	__u64 coh;
	__u64 flags;
};

/**
 * struct daos_ioc_co - DAOS_IOC_CO_CLOSE
 * @ev:		in: the event
 * @coh:	in: the open handle; closing the last read-write handle
 *		discards every epoch above the highest committed one
 * @flags:	in: zero
 */
struct daos_ioc_co {
	struct daos_ioc_ev ev;
	__u64 coh;
	__u64 flags;
};

/**
 * struct daos_ioc_co_unlink - DAOS_IOC_CO_UNLINK: destroys the container's
 *	data on its targets (libdaos then unlinks the file)
 * @ev:		in: the event
 * @fd:		in: the container file, opened for writing; -EBUSY while the
 *		container is open
 * @flags:	in: zero
 */
struct daos_ioc_co_unlink {
	struct daos_ioc_ev ev;
	__s32 fd;
	__u32 flags;
};

/**
 * struct daos_ioc_co_query - DAOS_IOC_CO_QUERY
 * @ev:		in: the event
 * @coh:	in: the open handle
 * @epoch:	in: a committed epoch to query; out: the HSE when the epoch
 *		in was DAOS_IOC_EPOCH_HIGHEST or not a committed one
 * @uid:	out: the container file's owner
 * @gid:	out: the container file's group
 * @nshard:	out: shards
 * @nshard_stuck: out: shards that failed to commit the HSE
 * @nshard_disabled: out: disabled shards
 * @flags:	in: zero
 */
struct daos_ioc_co_query {
	struct daos_ioc_ev ev;
	__u64 coh;
	__u64 epoch;
	__u32 uid;
	__u32 gid;
	__u32 nshard;
	__u32 nshard_stuck;
	__u32 nshard_disabled;
	__u32 flags;
};

/**
 * struct daos_ioc_list_shard - DAOS_IOC_CO_LIST_SHARD
 * @ev:		in: the event
 * @coh:	in: the open handle
 * @epoch:	in: the epoch (any: the shards now)
 * @anchor:	in: the first shard ID to list; out: the next one, or
 *		DAOS_IOC_EPOCH_HIGHEST after the last
 * @shards:	in: address of __u32[@n], filled with shard IDs in order, the
 *		rest with 0xffffffff
 * @n:		in: 1..DAOS_SHARD_BATCH_MAX
 * @opc:	in: DAOS_IOC_SHARD_LS_*
 * @flags:	in: zero
 */
struct daos_ioc_list_shard {
	struct daos_ioc_ev ev;
	__u64 coh;
	__u64 epoch;
	__u64 anchor;
	__u64 shards;
	__u32 n;
	__u32 opc;
	__u64 flags;
};

/**
 * struct daos_ioc_shards - DAOS_IOC_SHARD_ADD, DAOS_IOC_SHARD_DISABLE
 * @ev:		in: the event
 * @coh:	in: a read-write open handle
 * @epoch:	in: the epoch of the layout change (above the HCE)
 * @targets:	in: address of __u32[@n], the target of each new shard
 *		(DAOS_IOC_SHARD_ADD only; 0 for DISABLE)
 * @shards:	in: address of __s32[@n], the shard IDs; out, when the
 *		request ran: each set to -1 where that shard failed
 * @n:		in: 1..DAOS_SHARD_BATCH_MAX
 * @flags:	in: zero
 *
 * Returns (or completes with) 0 if every shard was added or disabled, or
 * the error of the first that failed.
 */
struct daos_ioc_shards {
	struct daos_ioc_ev ev;
	__u64 coh;
	__u64 epoch;
	__u64 targets;
	__u64 shards;
	__u32 n;
	__u32 flags;
};

/**
 * struct daos_ioc_shard_query - DAOS_IOC_SHARD_QUERY
 * @ev:		in: the event
 * @coh:	in: the open handle
 * @epoch:	in/out: as for DAOS_IOC_CO_QUERY
 * @shard:	in: the shard ID
 * @target:	out: its target
 * @status:	out: its health (0..100) or DAOS_IOC_TARGET_ST_DISABLED
 * @type:	out: the target's type (the seed's daos_target_type_t)
 * @cage:	out: the target's location
 * @rack:	out: ...
 * @node:	out: ...
 * @reserved:	zero
 * @nobjs:	out: non-empty objects at the epoch
 * @used:	out: bytes the shard holds on its target
 * @flags:	in: zero
 */
struct daos_ioc_shard_query {
	struct daos_ioc_ev ev;
	__u64 coh;
	__u64 epoch;
	__u32 shard;
	__u32 target;
	__s32 status;
	__u32 type;
	__s32 cage;
	__s32 rack;
	__s32 node;
	__u32 reserved;
	__u64 nobjs;
	__u64 used;
	__u64 flags;
};

/**
 * struct daos_ioc_list_obj - DAOS_IOC_SHARD_LIST_OBJ
 * @ev:		in: the event
 * @coh:	in: the open handle
 * @epoch:	in: the epoch (objects non-empty at it)
 * @anchor:	in: the first object ID (o_id_lo) to list; out: the next one,
 *		or DAOS_IOC_EPOCH_HIGHEST after the last
 * @oids:	in: address of __u64[2 * @n], filled with (o_id_hi, o_id_lo)
 *		pairs in order, the rest with all ones
 * @n:		in: 1..DAOS_SHARD_BATCH_MAX
 * @shard:	in: the shard ID
 * @flags:	in: zero
 */
struct daos_ioc_list_obj {
	struct daos_ioc_ev ev;
	__u64 coh;
	__u64 epoch;
	__u64 anchor;
	__u64 oids;
	__u32 n;
	__u32 shard;
	__u64 flags;
};

/**
 * struct daos_ioc_epoch - DAOS_IOC_CO_FLUSH, DAOS_IOC_SHARD_FLUSH,
 *	DAOS_IOC_EPOCH_SLIP, DAOS_IOC_EPOCH_COMMIT, DAOS_IOC_EPOCH_ABORT
 * @ev:		in: the event
 * @coh:	in: the open handle (read-write for COMMIT and ABORT)
 * @epoch:	in: the epoch
 * @shard:	in: SHARD_FLUSH's shard; out: the shard that failed when
 *		COMMIT or ABORT returns -EIO
 * @flags:	in: DAOS_IOC_COMMIT_SYNC for COMMIT, else zero
 *
 * FLUSH sends the cached writes of the container (or shard) at or below
 * @epoch and completes when the target has them all; -EIO if the target
 * lost one (its data stays cached: flush again). COMMIT flushes first and
 * commits nothing if that fails.
 */
struct daos_ioc_epoch {
	struct daos_ioc_ev ev;
	__u64 coh;
	__u64 epoch;
	__u32 shard;
	__u32 flags;
};

/**
 * struct daos_ioc_epoch_wait - DAOS_IOC_EPOCH_WAIT
 * @ev:		in: the event
 * @coh:	in: the open handle
 * @epoch:	in: the epoch to wait for (DAOS_IOC_EPOCH_HIGHEST: the next
 *		commit)
 * @epoch_out:	in: address of a __u64 receiving the HCE when the wait
 *		ends, or 0
 * @layout_out:	in: address of a __u64 receiving the last layout change up
 *		to it, or 0
 * @flags:	in: zero
 *
 * Both addresses are written when the epoch is committed, which may be
 * after the command returned: they must stay valid until the event
 * completes. Only a handle of the opener may wait (-EPERM).
 */
struct daos_ioc_epoch_wait {
	struct daos_ioc_ev ev;
	__u64 coh;
	__u64 epoch;
	__u64 epoch_out;
	__u64 layout_out;
	__u64 flags;
};

/**
 * struct daos_ioc_epoch_query - DAOS_IOC_EPOCH_QUERY
 * @ev:		in: the event
 * @coh:	in: the open handle
 * @hce:	out: highest committed epoch
 * @oldest:	out: oldest readable epoch
 * @slipped:	out: this handle's slipped epoch
 * @hse:	out: highest shard epoch
 * @layout:	out: last layout change up to the HSE
 * @flags:	in: zero
 */
struct daos_ioc_epoch_query {
	struct daos_ioc_ev ev;
	__u64 coh;
	__u64 hce;
	__u64 oldest;
	__u64 slipped;
	__u64 hse;
	__u64 layout;
	__u64 flags;
};

/**
 * struct daos_ioc_obj_open - DAOS_IOC_OBJ_OPEN
 * @ev:		in: the event
 * @coh:	in: the open container handle
 * @oid_hi:	in: the object's shard (0..DAOS_SHARD_ID_MAX)
 * @oid_lo:	in: the object within the shard
 * @mode:	in: DAOS_IOC_OBJ_RO or DAOS_IOC_OBJ_RW (a read-write container
 *		handle), with any of the DAOS_IOC_OBJ_IO_* hints
 * @flags:	in: zero
 * @oh:		out: the object handle
 */
struct daos_ioc_obj_open {
	struct daos_ioc_ev ev;
	__u64 coh;
	__u64 oid_hi;
	__u64 oid_lo;
	__u32 mode;
	__u32 flags;
	__u64 oh;
};

/**
 * struct daos_ioc_obj - DAOS_IOC_OBJ_CLOSE
 * @ev:		in: the event
 * @oh:		in: the object handle
 * @flags:	in: zero
 */
struct daos_ioc_obj {
	struct daos_ioc_ev ev;
	__u64 oh;
	__u64 flags;
};

/**
 * struct daos_ioc_frag - one memory or object fragment
 * @addr:	memory: the buffer's address; object: the offset
 * @len:	bytes
 */
struct daos_ioc_frag {
	__u64 addr;
	__u64 len;
};

/**
 * struct daos_ioc_obj_io - DAOS_IOC_OBJ_READ, DAOS_IOC_OBJ_WRITE
 * @ev:		in: the event
 * @oh:		in: the object handle (read-write to write)
 * @epoch:	in: the epoch; a write's is above the HCE (-EINVAL otherwise)
 * @mem:	in: address of struct daos_ioc_frag[@nmem], the buffers
 * @obj:	in: address of struct daos_ioc_frag[@nobj], the object's ranges
 * @nmem:	in: 1..DAOS_IO_FRAG_MAX
 * @nobj:	in: 1..DAOS_IO_FRAG_MAX
 * @flags:	in: zero
 *
 * The buffers, taken in order, hold the object ranges taken in order:
 * both add up to the same length (-EINVAL otherwise), at most the module
 * parameter max_io_bytes. A write copies the data at submission: with
 * DAOS_IOC_OBJ_IO_BUFFERED into the writeback cache, and the event
 * completes then (a writer past the target's dirty limit blocks first,
 * interruptibly); otherwise it completes when the target has the data. A
 * read's buffers must stay valid until the event completes. A read returns
 * zeros where nothing was written, and sees the writer's cached data.
 */
struct daos_ioc_obj_io {
	struct daos_ioc_ev ev;
	__u64 oh;
	__u64 epoch;
	__u64 mem;
	__u64 obj;
	__u32 nmem;
	__u32 nobj;
	__u64 flags;
};

/**
 * struct daos_ioc_obj_punch - DAOS_IOC_OBJ_PUNCH
 * @ev:		in: the event
 * @coh:	in: a read-write open container handle
 * @epoch:	in: the epoch, above the HCE
 * @oid_hi:	in: the object's shard
 * @oid_lo:	in: the object
 * @begin:	in: first byte discarded
 * @end:	in: last byte discarded (inclusive); 0..~0 is the whole object
 * @flags:	in: zero
 */
struct daos_ioc_obj_punch {
	struct daos_ioc_ev ev;
	__u64 coh;
	__u64 epoch;
	__u64 oid_hi;
	__u64 oid_lo;
	__u64 begin;
	__u64 end;
	__u64 flags;
};

/**
 * struct daos_ioc_co_snapshot - DAOS_IOC_CO_SNAPSHOT: a new container, in
 *	the file @fd, holding what @coh's container holds at @epoch;
 *	independent of it afterwards
 * @ev:		in: the event
 * @coh:	in: the open handle
 * @epoch:	in: a committed epoch, not below the oldest readable one
 * @fd:		in: the new container's file, opened for writing; -EEXIST if
 *		it is a container already
 * @flags:	in: zero
 *
 * The copy runs in the work queue; DAOS_IOC_EVENT_PROGRESS reports its
 * bytes. The snapshot's HCE is @epoch.
 */
struct daos_ioc_co_snapshot {
	struct daos_ioc_ev ev;
	__u64 coh;
	__u64 epoch;
	__s32 fd;
	__u32 flags;
};

/**
 * struct daos_ioc_listen - DAOS_IOC_SYS_LISTEN, DAOS_IOC_CO_LISTEN
 * @ev:		in: the event
 * @handle:	in: the system or container handle
 * @count:	in: address of a __u32 receiving the number of records written
 * @events:	in: address of @n records: struct daos_ioc_target_event
 *		(SYS_LISTEN) or struct daos_ioc_shard_event (CO_LISTEN)
 * @n:		in: 1..DAOS_SHARD_BATCH_MAX
 * @flags:	in: zero
 *
 * Completes with the changes after the last ones this handle reported (the
 * first listen of a handle: after it opened), waiting for one if there are
 * none. @count and @events are written at completion: they must stay
 * valid until the event completes. Closing the handle ends a pending
 * listen with -EBADF.
 */
struct daos_ioc_listen {
	struct daos_ioc_ev ev;
	__u64 handle;
	__u64 count;
	__u64 events;
	__u32 n;
	__u32 flags;
};

/* A target's status change (the seed's struct daos_target_event). */
struct daos_ioc_target_event {
	__u32 target;
	__s32 status;
};

/* A shard added or disabled (the seed's struct daos_shard_event). */
struct daos_ioc_shard_event {
	__u32 shard;
	__u32 target;
	__s32 status;
	__u32 reserved;
	__u64 epoch;
};

/**
 * struct daos_ioc_sys_open - DAOS_IOC_SYS_OPEN
 * @ev:		in: the event
 * @handle:	out: the system container handle
 * @flags:	in: zero
 */
struct daos_ioc_sys_open {
	struct daos_ioc_ev ev;
	__u64 handle;
	__u64 flags;
};

/**
 * struct daos_ioc_loc_key - one footprint of DAOS_IOC_SYS_QUERY (the
 *	seed's struct daos_loc_key)
 * @type:	1 cage, 2 rack, 3 node, 4 target (daos_loc_type_t)
 * @id:		its number
 */
struct daos_ioc_loc_key {
	__u32 type;
	__u32 id;
};

/**
 * struct daos_ioc_sys_query - DAOS_IOC_SYS_QUERY: the storage tree
 * @ev:		in: the event
 * @handle:	in: the system container handle
 * @cage:	in: the subtree's cage, or -1 for the whole tree
 * @rack:	in: its rack, or -1 for the whole cage
 * @node:	in: its node, or -1 for the whole rack
 * @depth:	in: levels walked (0: all), as the seed's daos_sys_query()
 * @keys:	in: address of struct daos_ioc_loc_key[@n], or 0 to count
 * @n:		in: room in @keys (0 with @keys 0)
 * @count:	out: footprints of the whole walk (more than @n: truncated)
 * @flags:	in: zero
 */
struct daos_ioc_sys_query {
	struct daos_ioc_ev ev;
	__u64 handle;
	__s32 cage;
	__s32 rack;
	__s32 node;
	__u32 depth;
	__u64 keys;
	__u32 n;
	__u32 count;
	__u64 flags;
};

/**
 * struct daos_ioc_target_info - DAOS_IOC_SYS_QUERY_TARGET
 * @ev:		in: the event
 * @handle:	in: the system container handle
 * @target:	in: the target
 * @status:	out: health 0..100, or DAOS_IOC_TARGET_ST_DISABLED
 * @type:	out: 0 HDD, 1 SSD
 * @cage:	out: location
 * @rack:	out: ...
 * @node:	out: ...
 * @capacity:	out: bytes
 * @free:	out: bytes
 * @nshard:	out: shards on it
 * @read_mbps:	out: measured read bandwidth, MB/s (0 before any read)
 * @write_mbps:	out: measured write bandwidth, MB/s
 * @iops:	out: measured operations per second
 * @latency_us:	out: measured mean time of an operation, microseconds
 * @net_dist:	out: network hops to it (0: on this node)
 * @flags:	in: zero
 */
struct daos_ioc_target_info {
	struct daos_ioc_ev ev;
	__u64 handle;
	__u32 target;
	__s32 status;
	__u32 type;
	__s32 cage;
	__s32 rack;
	__s32 node;
	__u64 capacity;
	__u64 free;
	__u32 nshard;
	__u32 read_mbps;
	__u32 write_mbps;
	__u32 iops;
	__u64 latency_us;
	__s32 net_dist;
	__u32 flags;
};

/*
 * Collective open: the buffer daos_local2global() fills, a capability
 * naming one open of a container. Its secret is 128 random bits of the
 * open; a buffer whose secret, open or container is not a live one is
 * -ESTALE, whatever was changed, so guessing learns nothing.
 */
#define DAOS_GLOBAL_MAGIC	0x474f4144U	/* "DAOG" */
#define DAOS_GLOBAL_VERSION	1U

/**
 * struct daos_global_handle - the head of a global handle buffer
 * @magic:	DAOS_GLOBAL_MAGIC
 * @version:	DAOS_GLOBAL_VERSION
 * @nshard:	entries of the layout that follows the head: one
 *		struct daos_ioc_loc_key each (type 0, id: the shard ID),
 *		for information
 * @dev:	the container: its file's device...
 * @generation:	...inode generation...
 * @ino:	...and inode number
 * @open:	the open this names
 * @hce:	the HCE when it was made
 * @secret:	the open's secret
 * @writable:	1 if the open may write
 * @reserved:	zero
 */
struct daos_global_handle {
	__u32 magic;
	__u32 version;
	__u32 nshard;
	__u32 dev;
	__u32 generation;
	__u32 writable;
	__u64 ino;
	__u64 open;
	__u64 hce;
	__u8 secret[16];
	__u64 reserved;
};

/**
 * struct daos_ioc_co_global - DAOS_IOC_CO_LOCAL2GLOBAL (no event: it
 *	completes in the call)
 * @coh:	in: an open handle of this process's own open (not one made
 *		by DAOS_IOC_CO_GLOBAL2LOCAL: -EPERM)
 * @buf:	in: address of the buffer, or 0 for its size
 * @size:	in: the buffer's size (-E2BIG if too small); out: the size
 * @flags:	in: zero
 */
struct daos_ioc_co_global {
	__u64 coh;
	__u64 buf;
	__u32 size;
	__u32 flags;
};

/**
 * struct daos_ioc_co_g2l - DAOS_IOC_CO_GLOBAL2LOCAL
 * @ev:		in: the event
 * @buf:	in: address of a global handle buffer
 * @size:	in: its size
 * @flags:	in: zero
 * @coh:	in: 0 for a new handle, or a handle this call made before to
 *		refresh; out: the handle. It may read, and write if the
 *		opener may, but only the opener commits, aborts or waits
 *		(-EPERM); it dies (-EBADF) when the opener's handle closes.
 */
struct daos_ioc_co_g2l {
	struct daos_ioc_ev ev;
	__u64 buf;
	__u32 size;
	__u32 flags;
	__u64 coh;
};

/**
 * struct daos_ioc_event_progress - DAOS_IOC_EVENT_PROGRESS: how far the
 *	operation of an event in flight got (beyond the seed)
 * @eqh:	in: the event's EQ
 * @id:		in: the event
 * @done:	out: bytes done
 * @total:	out: bytes in all (0 if the operation does not report)
 * @flags:	in: zero
 */
struct daos_ioc_event_progress {
	__u64 eqh;
	__u64 id;
	__u64 done;
	__u64 total;
	__u64 flags;
};

/*
 * Sizes of the first version of grown structures, still accepted and
 * zero-extended (as OPEN_HOW_SIZE_VER0 is by openat2()).
 */
#define DAOS_IOC_EQ_CREATE_SIZE_VER0	16
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
#define DAOS_IOC_NR_CO_OPEN	0x10
#define DAOS_IOC_NR_CO_CLOSE	0x11
#define DAOS_IOC_NR_CO_UNLINK	0x12
#define DAOS_IOC_NR_CO_QUERY	0x13
#define DAOS_IOC_NR_CO_LIST_SHARD 0x14
#define DAOS_IOC_NR_CO_FLUSH	0x15
#define DAOS_IOC_NR_SHARD_ADD	0x18
#define DAOS_IOC_NR_SHARD_DISABLE 0x19
#define DAOS_IOC_NR_SHARD_QUERY	0x1a
#define DAOS_IOC_NR_SHARD_FLUSH	0x1b
#define DAOS_IOC_NR_SHARD_LIST_OBJ 0x1c
#define DAOS_IOC_NR_OBJ_OPEN	0x20
#define DAOS_IOC_NR_OBJ_CLOSE	0x21
#define DAOS_IOC_NR_OBJ_READ	0x22
#define DAOS_IOC_NR_OBJ_WRITE	0x23
#define DAOS_IOC_NR_OBJ_PUNCH	0x24
#define DAOS_IOC_NR_EPOCH_QUERY	0x28
#define DAOS_IOC_NR_EPOCH_SLIP	0x29
#define DAOS_IOC_NR_EPOCH_WAIT	0x2a
#define DAOS_IOC_NR_EPOCH_COMMIT 0x2b
#define DAOS_IOC_NR_EPOCH_ABORT	0x2c
#define DAOS_IOC_NR_CO_SNAPSHOT	0x16
#define DAOS_IOC_NR_CO_LISTEN	0x17
#define DAOS_IOC_NR_CO_LOCAL2GLOBAL 0x1d
#define DAOS_IOC_NR_CO_GLOBAL2LOCAL 0x1e
#define DAOS_IOC_NR_SYS_OPEN	0x30
#define DAOS_IOC_NR_SYS_CLOSE	0x31
#define DAOS_IOC_NR_SYS_QUERY	0x32
#define DAOS_IOC_NR_SYS_QUERY_TARGET 0x33
#define DAOS_IOC_NR_SYS_LISTEN	0x34
#define DAOS_IOC_NR_EVENT_PROGRESS 0x0b

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

#define DAOS_IOC_CO_OPEN	_IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_CO_OPEN, struct daos_ioc_co_open)
#define DAOS_IOC_CO_CLOSE	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_CO_CLOSE, struct daos_ioc_co)
#define DAOS_IOC_CO_UNLINK	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_CO_UNLINK, struct daos_ioc_co_unlink)
#define DAOS_IOC_CO_QUERY	_IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_CO_QUERY, struct daos_ioc_co_query)
#define DAOS_IOC_CO_LIST_SHARD	_IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_CO_LIST_SHARD, struct daos_ioc_list_shard)
#define DAOS_IOC_CO_FLUSH	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_CO_FLUSH, struct daos_ioc_epoch)
#define DAOS_IOC_SHARD_ADD	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_SHARD_ADD, struct daos_ioc_shards)
#define DAOS_IOC_SHARD_DISABLE	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_SHARD_DISABLE, struct daos_ioc_shards)
#define DAOS_IOC_SHARD_QUERY	_IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_SHARD_QUERY, struct daos_ioc_shard_query)
#define DAOS_IOC_SHARD_FLUSH	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_SHARD_FLUSH, struct daos_ioc_epoch)
#define DAOS_IOC_SHARD_LIST_OBJ	_IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_SHARD_LIST_OBJ, struct daos_ioc_list_obj)
#define DAOS_IOC_OBJ_OPEN	_IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_OBJ_OPEN, struct daos_ioc_obj_open)
#define DAOS_IOC_OBJ_CLOSE	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_OBJ_CLOSE, struct daos_ioc_obj)
#define DAOS_IOC_OBJ_READ	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_OBJ_READ, struct daos_ioc_obj_io)
#define DAOS_IOC_OBJ_WRITE	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_OBJ_WRITE, struct daos_ioc_obj_io)
#define DAOS_IOC_OBJ_PUNCH	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_OBJ_PUNCH, struct daos_ioc_obj_punch)
#define DAOS_IOC_EPOCH_QUERY	_IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_EPOCH_QUERY, struct daos_ioc_epoch_query)
#define DAOS_IOC_EPOCH_SLIP	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_EPOCH_SLIP, struct daos_ioc_epoch)
#define DAOS_IOC_EPOCH_WAIT	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_EPOCH_WAIT, struct daos_ioc_epoch_wait)
#define DAOS_IOC_EPOCH_COMMIT	_IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_EPOCH_COMMIT, struct daos_ioc_epoch)
#define DAOS_IOC_EPOCH_ABORT	_IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_EPOCH_ABORT, struct daos_ioc_epoch)
#define DAOS_IOC_CO_SNAPSHOT	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_CO_SNAPSHOT, struct daos_ioc_co_snapshot)
#define DAOS_IOC_CO_LISTEN	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_CO_LISTEN, struct daos_ioc_listen)
#define DAOS_IOC_CO_LOCAL2GLOBAL _IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_CO_LOCAL2GLOBAL, struct daos_ioc_co_global)
#define DAOS_IOC_CO_GLOBAL2LOCAL _IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_CO_GLOBAL2LOCAL, struct daos_ioc_co_g2l)
#define DAOS_IOC_SYS_OPEN	_IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_SYS_OPEN, struct daos_ioc_sys_open)
#define DAOS_IOC_SYS_CLOSE	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_SYS_CLOSE, struct daos_ioc_co)
#define DAOS_IOC_SYS_QUERY	_IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_SYS_QUERY, struct daos_ioc_sys_query)
#define DAOS_IOC_SYS_QUERY_TARGET _IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_SYS_QUERY_TARGET, struct daos_ioc_target_info)
#define DAOS_IOC_SYS_LISTEN	_IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_SYS_LISTEN, struct daos_ioc_listen)
#define DAOS_IOC_EVENT_PROGRESS	_IOWR(DAOS_IOC_MAGIC, DAOS_IOC_NR_EVENT_PROGRESS, struct daos_ioc_event_progress)

#endif /* _UAPI_LINUX_DAOS_H */
