/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * daos.h - the DAOS client API (libdaos).
 *
 * The types and calls of the DAOS-on-Lustre client design's API appendix,
 * implemented over the /dev/daos ioctls (see <linux/daos.h>). Every call
 * returns 0 (or a count) on success and a negative errno value on failure;
 * each call lists the errors it can return. A NULL event makes an
 * asynchronous call synchronous.
 *
 * Errors any call can return, because libdaos opens /dev/daos on first use:
 *   -ENODEV   the DAOS module is not loaded (no /dev/daos)
 *   -EACCES   no permission to open /dev/daos
 *   -ENFILE   no file descriptor left to open /dev/daos
 *   -ENOMEM   the kernel is out of memory (or the caller's memory cgroup
 *             reached its limit)
 *
 * Thread safety: every call may be made from any thread. After fork() the
 * child opens /dev/daos anew on its first call; it cannot use the parent's
 * handles (-EBADF) or events (-ENOENT).
 *
 * Events: an initialised event must not move (no copying, no realloc()):
 * libdaos records its address at init, and a call with a moved copy returns
 * -EINVAL. Initialising an event that is still initialised finalises its
 * old kernel event first (-EBUSY if that one is in flight).
 *
 * Where the design contradicts itself, this library's reading:
 *  - daos_eq_destroy() with events in flight returns -EBUSY (the appendix)
 *    instead of aborting them (the body text): the caller decides what to
 *    abort, and no completion can arrive for an event whose EQ is gone.
 *  - daos_event_fini() of an event in flight returns -EBUSY (the appendix):
 *    abort it and poll it first. Fini of an event that completed but was
 *    not polled yet succeeds and removes it from the EQ silently (the body
 *    text): an application tearing down does not have to poll first.
 *  - The no-op operation, eventfd binding and version calls are additions.
 */
#ifndef DAOS_H
#define DAOS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The API this header declares: daos_api_version() reports the library's. */
#define DAOS_API_VERSION_MAJOR 0
#define DAOS_API_VERSION_MINOR 2
#define DAOS_API_VERSION_FIX 0

typedef uint64_t daos_off_t;
typedef uint64_t daos_size_t;

/** Generic handle: refers to an EQ, container, object or epoch scope. */
typedef struct {
	uint64_t cookie;
} daos_handle_t;

typedef struct {
	/** epoch sequence number */
	uint64_t seq;
} daos_epoch_t;

/** The highest epoch; the seed's (-1) as a 64-bit value, usable in #if. */
#define DAOS_EPOCH_HIGHEST 0xffffffffffffffffULL

/** Event type */
typedef enum {
	DAOS_EV_NONE,
	/** parent event */
	DAOS_EV_COMPOUND,
	DAOS_EV_EQ_DESTROY,
	DAOS_EV_SYS_OPEN,
	DAOS_EV_SYS_CLOSE,
	DAOS_EV_SYS_QUERY,
	DAOS_EV_SYS_QUERY_TGT,
	DAOS_EV_CO_OPEN,
	DAOS_EV_CO_CLOSE,
	DAOS_EV_CO_UNLINK,
	DAOS_EV_CO_SNAPSHOT,
	DAOS_EV_CO_FLUSH,
	DAOS_EV_CO_QUERY,
	DAOS_EV_CO_LS_SHARD,
	DAOS_EV_G2L,
	DAOS_EV_SHARD_ADD,
	DAOS_EV_SHARD_DISABLE,
	DAOS_EV_SHARD_QUERY,
	DAOS_EV_SHARD_FLUSH,
	DAOS_EV_SHARD_LS_OBJ,
	DAOS_EV_OBJ_OPEN,
	DAOS_EV_OBJ_CLOSE,
	DAOS_EV_OBJ_READ,
	DAOS_EV_OBJ_WRITE,
	DAOS_EV_OBJ_PUNCH,
	DAOS_EV_EP_SLIP,
	DAOS_EV_EP_WAIT,
	DAOS_EV_EP_QUERY,
	DAOS_EV_EP_COMMIT,
	DAOS_EV_EP_ABORT,
	/** beyond the seed: daos_noop() */
	DAOS_EV_NOOP,
} daos_ev_type_t;

/**
 * Userspace event structure. libdaos writes ev_type when the event is
 * dispatched (DAOS_EV_COMPOUND for a parent, when its first child is
 * initialised) and ev_error when poll, query or daos_event_next() return it.
 */
typedef struct daos_event {
	/** event type */
	daos_ev_type_t ev_type;
	/** returned result of the asynchronous operation, 0 or -errno */
	int ev_error;
	/** reserved space for libdaos (EQ handle, kernel id, address); do not touch */
	struct {
		uint64_t space[7];
	} ev_private;
} daos_event_t;

/** wait for completion event forever */
#define DAOS_EQ_WAIT (-1)
/** always return immediately */
#define DAOS_EQ_NOWAIT (0)

typedef enum {
	/** query outstanding completed event */
	DAOS_EVQ_COMPLETED = (1),
	/** query # inflight event */
	DAOS_EVQ_INFLIGHT = (1 << 1),
	/** query # inflight + completed events in EQ */
	DAOS_EVQ_ALL = (DAOS_EVQ_COMPLETED | DAOS_EVQ_INFLIGHT),
} daos_ev_query_t;

/***********************************************************************
 * Storage topology, targets, containers, shards, objects and epochs: the
 * types of the API appendix, with its names and values. (The calls that
 * use them come with the module support for them; see the README.)
 ***********************************************************************/

typedef enum {
	/** all shards are in consistent status */
	DAOS_CONTAINER_ST_OK,
	/** some shards are stuck to commit */
	DAOS_CONTAINER_ST_STUCK,
	/** some shards are inaccessible */
	DAOS_CONTAINER_ST_FAULTY,
	/** container is corrupt */
	DAOS_CONTAINER_ST_CORRUPT,
} daos_container_status_t;

enum {
	/** target is unknown */
	DAOS_TARGET_ST_UNKNOWN = -2,
	/** target is disabled */
	DAOS_TARGET_ST_DISABLED = -1,
	/** 0 - 100 are health levels */
};

typedef enum {
	DAOS_TARGET_TYPE_HDD,
	DAOS_TARGET_TYPE_SSD,
} daos_target_type_t;

struct daos_target_event {
	/** target ID */
	unsigned int te_target;
	/** target health status, see DAOS_TARGET_ST_* for details */
	int te_status;
};

/** event for adding/disabling shard */
struct daos_shard_event {
	/** shard ID */
	unsigned int se_shard;
	/** target ID of this shard */
	unsigned int se_target;
	/** target health status, see DAOS_TARGET_ST_* for details */
	int se_status;
	/** epoch of shard operation */
	daos_epoch_t se_epoch;
};

/** DAOS storage tree structure has four layers: cage, rack, node and target */
typedef enum {
	DAOS_LOC_TYP_UNKNOWN = 0,
	DAOS_LOC_TYP_CAGE,
	DAOS_LOC_TYP_RACK,
	DAOS_LOC_TYP_NODE,
	DAOS_LOC_TYP_TARGET,
} daos_loc_type_t;

/** target placement information */
#define DAOS_LOC_UNKNOWN (-1)

/** location ID of cage/rack/node */
struct daos_loc_key {
	/** location type of this ID: DAOS_LOC_TYP_CAGE/RACK/NODE/TARGET */
	daos_loc_type_t lk_type;
	/** logic ID of cage/rack/node/target */
	unsigned int lk_id;
};

/** placement information of DAOS storage tree */
struct daos_location {
	/** cage number */
	int lc_cage;
	/** rack number */
	int lc_rack;
	/** node number */
	int lc_node;
};

/** performance metrics for target */
struct daos_target_perf {
	unsigned int tp_rdbw; /* MB */
	unsigned int tp_rdbw_bs;
	unsigned int tp_wrbw; /* MB */
	unsigned int tp_wrbw_bs;
	unsigned int tp_iops;
	unsigned int tp_iops_bs;
};

struct daos_target_aff {
	/** reserved for target CPU affinity */
	int ta_cpu_aff;
	/**
	 * Network distance: zero if the target is attached to the local node,
	 * otherwise network hops (1 for a target on the local network, 2 for
	 * one reached through one routing hop).
	 */
	int ta_net_dist;
	/** latency from caller to target (micro-second) */
	uint64_t ta_latency;
};

struct daos_target_space {
	/** capacity of the target */
	daos_size_t ts_size;
	/** free space of target */
	daos_size_t ts_free;
	/** number of shards in this target */
	unsigned int ts_nshard;
};

#define DAOS_TARGET_MAX_FAILOVER 4

struct daos_target_loc {
	/** location offset of current node in \a tl_failovers */
	unsigned int tl_current;
	/** number of failover nodes of this target */
	unsigned int tl_nlocs;
	/** location of failover nodes */
	struct daos_location tl_failovers[DAOS_TARGET_MAX_FAILOVER];
};

/** detail information of a target */
struct daos_target_info {
	/** target health status, see DAOS_TARGET_ST_* for details */
	int ti_status;
	/** storage type */
	daos_target_type_t ti_type;
	/** target location */
	struct daos_target_loc ti_loc;
	/** bandwidth information of target */
	struct daos_target_perf ti_perf;
	struct daos_target_space ti_space;
	struct daos_target_aff ti_affinity;
};

/** container open modes */
/** read-only */
#define DAOS_COO_RO (1)
/** read-write */
#define DAOS_COO_RW (1 << 1)
/** create container if it does not exist */
#define DAOS_COO_CREATE (1 << 2)
/** tell DAOS to not retain request and data for replay */
#define DAOS_COO_OWN_RECOV (1 << 3)
/**
 * The seed's example of collective open spells the read-only mode
 * DAOS_CMODE_RD: the same mode (the appendix's DAOS_COO_* are canonical).
 */
#define DAOS_CMODE_RD DAOS_COO_RO

/** container information */
struct daos_container_info {
	/** user-id of owner */
	uid_t ci_uid;
	/** group-id of owner */
	gid_t ci_gid;
	/** number of shards */
	unsigned int ci_nshard;
	/** number of shards are stuck to commit */
	unsigned int ci_nshard_stuck;
	/** number of disabled shards */
	unsigned int ci_nshard_disabled;
};

typedef enum {
	/** query all shards */
	DAOS_SHARD_LS_ALL,
	/** query all shards stuck to commit */
	DAOS_SHARD_LS_STUCK,
	/** query all disabled shards */
	DAOS_SHARD_LS_DISABLED,
} daos_shard_list_t;

struct daos_shard_space {
	/** number of non-empty object */
	daos_size_t sai_nobjs;
	/** space used */
	daos_size_t sai_used;
};

struct daos_shard_info {
	unsigned int sai_target;
	/** storage type */
	daos_target_type_t sai_type;
	/** target health status, see DAOS_TARGET_ST_* for details */
	int sai_status;
	/** shard location */
	struct daos_target_loc sai_location;
	/** space information of target */
	struct daos_shard_space sai_space;
};

#define DAOS_LIST_END 0xffffffffffffffffULL

/** object ID */
typedef struct {
	/** baseline DAOS API, it's shard ID (20 bits for DAOS targets) */
	uint64_t o_id_hi;
	/** baseline DAOS API, it's object ID within shard */
	uint64_t o_id_lo;
} daos_obj_id_t;

enum {
	/* access mode: either DAOS_OBJ_RO or DAOS_OBJ_RW must be specified */
	/** read-only mode, no read cache/no read-ahead by default */
	DAOS_OBJ_RO = (1 << 1),
	/** read & write mode, no read/write caching by default */
	DAOS_OBJ_RW = (1 << 2),
	/** buffered write, writeback caching is enabled */
	DAOS_OBJ_IO_BUFFERED = (1 << 3),
	/** random I/O */
	DAOS_OBJ_IO_RAND = (1 << 4),
	/** sequential I/O */
	DAOS_OBJ_IO_SEQ = (1 << 5),
};

/* Deprecated, kept for compatibility */
#define DAOS_OBJ_EXCL (DAOS_OBJ_IO_BUFFERED | DAOS_OBJ_RW)
/**
 * The seed's text of daos_object_open() names its modes
 * DAOS_OMODE_RO/WR/RW; the appendix's DAOS_OBJ_* are canonical, and these
 * spellings mean the same (a write-only open is a read-write one).
 */
#define DAOS_OMODE_RO DAOS_OBJ_RO
#define DAOS_OMODE_WR DAOS_OBJ_RW
#define DAOS_OMODE_RW DAOS_OBJ_RW

/** DAOS memory buffer fragment */
struct daos_mm_frag {
	void *mf_addr;
	daos_size_t mf_nob;
};

/**
 * DAOS memory descriptor: an array of memory fragments, the source of a
 * write or the target of a read. A caller may lay one out as the structure
 * followed by its fragments.
 */
struct daos_mmd {
	unsigned long mmd_nfrag;
	struct daos_mm_frag mmd_frag[];
};

/** IO fragment of a DAOS object */
struct daos_io_frag {
	daos_off_t if_offset;
	daos_size_t if_nob;
};

/**
 * IO descriptor of a DAOS object: an array of object fragments, the target
 * of a write or the source of a read.
 */
struct daos_iod {
	unsigned long iod_nfrag;
	struct daos_io_frag iod_frag[];
};

struct daos_epoch_info {
	/**
	 * Highest Committed Epoch (HCE): highest consistently committed
	 * epoch of all shards, the latest readable epoch of a container.
	 */
	daos_epoch_t epi_hce;
	/** Oldest readable epoch */
	daos_epoch_t epi_hce_oldest;
	/** Slipped epoch of current open */
	daos_epoch_t epi_hce_slipped;
	/**
	 * Highest Shard Epoch (HSE): highest committed epoch of all shards;
	 * equal to HCE when the container is consistent, higher when the
	 * last epoch was only partially committed.
	 */
	daos_epoch_t epi_hse;
	/** Layout changed epoch: the last one before and including epi_hse */
	daos_epoch_t epi_layout_changed;
};

/***********************************************************************
 * Event queues (EQ) and events
 *
 * All DAOS calls are asynchronous: the caller passes a pre-allocated event,
 * the call returns at once, and the event comes back from daos_eq_poll()
 * when the operation completed, with ev_error set. A NULL event makes a
 * call synchronous.
 ***********************************************************************/

/**
 * Create an event queue.
 *
 * \param eqh [OUT] handle of the new EQ
 * \return 0; -EINVAL if \a eqh is NULL; -EMFILE if this process has
 *         max_eqs_per_file EQs already (module parameter, default 256)
 */
int daos_eq_create(daos_handle_t *eqh);

/**
 * Destroy an event queue and every event initialised on it (their later
 * calls return -ENOENT).
 *
 * \return 0; -EBUSY if an event is in flight (abort and poll it first);
 *         -EBADF for a handle that is not an EQ of this process
 */
int daos_eq_destroy(daos_handle_t eqh);

/**
 * Retrieve completed events from an EQ, oldest first.
 *
 * \param eqh      [IN] EQ handle
 * \param wait_inf [IN] non-zero: wait only while events are in flight
 * \param timeout  [IN] microseconds to wait; DAOS_EQ_NOWAIT or DAOS_EQ_WAIT
 * \param eventn   [IN] size of \a events, 1..65536
 * \param events   [OUT] the completed events; each has ev_error set
 *                  (-EINTR if it was aborted)
 * \return the number of events (0 at the timeout, or at once with
 *         \a wait_inf when nothing is in flight); -EINVAL for a bad
 *         argument; -EBADF for a bad handle, or when the EQ is destroyed
 *         while waiting; -EINTR when a signal handler ran (with no
 *         timeout, only if it lacks SA_RESTART; a stop or a freeze never
 *         interrupts); -EFAULT if \a events is not writable.
 *         Returns as soon as one event is there; each event is returned to
 *         one caller only.
 */
int daos_eq_poll(daos_handle_t eqh, int wait_inf, int64_t timeout, int eventn,
		 struct daos_event **events);

/**
 * Count (and with \a events, list) the events of an EQ in a state.
 *
 * \param query  [IN] DAOS_EVQ_COMPLETED, DAOS_EVQ_INFLIGHT or DAOS_EVQ_ALL
 * \param eventn [IN] size of \a events (0..65536)
 * \param events [OUT] NULL, or receives up to \a eventn events (completed
 *               ones first, in poll order), each with its current
 *               ev_error; they stay owned by the EQ
 * \return with \a events NULL, the number of events in that state; else the
 *         number stored in \a events; -EINVAL for a bad argument; -EBADF
 *         for a bad handle; -EFAULT if \a events is not writable
 */
int daos_eq_query(daos_handle_t eqh, daos_ev_query_t query, unsigned int eventn,
		  struct daos_event **events);

/**
 * Initialise an event on an EQ, or as a child of \a parent (then \a eqh is
 * ignored). A parent completes when all its children completed, with the
 * first child error; it is never dispatched itself (-EPERM), and only the
 * parent is visible to poll and query.
 *
 * \return 0; -EINVAL if \a ev is NULL or \a parent was moved; -EBADF for a
 *         bad \a eqh; -ENOENT if \a parent is not initialised (or was
 *         finalised); -EINVAL if \a parent is itself a child; -EBUSY if
 *         \a parent is in flight or waits to be polled, or if \a ev is
 *         initialised and in flight; -EMFILE at the EQ's event limit
 *         (max_eq_events, default 1048576, children included)
 */
int daos_event_init(struct daos_event *ev, daos_handle_t eqh, struct daos_event *parent);

/**
 * Finalise an event (a parent takes its children along). A completed event
 * not yet polled is silently removed from its EQ.
 *
 * \return 0; -EINVAL if \a ev is NULL or was moved; -EBUSY if it (or a
 *         child) is in flight; -ENOENT if it is not initialised, was
 *         finalised already, or its parent or EQ was
 */
int daos_event_fini(struct daos_event *ev);

/**
 * The child of \a parent after \a child (the first one if \a child is
 * NULL), in init order, with its ev_error set to its last result; NULL
 * after the last one or on error.
 */
struct daos_event *daos_event_next(struct daos_event *parent, struct daos_event *child);

/**
 * Abort the operation of an event (of every child, for a parent). The event
 * still completes and is polled, with ev_error -EINTR.
 *
 * \return 0 (also if it completed meanwhile); -EINVAL if nothing was
 *         dispatched on it, or \a ev is NULL or was moved; -ENOENT if it
 *         is not initialised (or was finalised)
 */
int daos_event_abort(struct daos_event *ev);

/**
 * Beyond the seed: bind an eventfd to an EQ. The eventfd is signalled once
 * per completed event, so applications can wait with epoll next to their
 * sockets and then call daos_eq_poll() with DAOS_EQ_NOWAIT.
 *
 * \param fd [IN] an eventfd, or -1 to unbind
 * \return 0; -EBADF for a bad handle or a bad \a fd; -EINVAL if \a fd is
 *         not an eventfd
 */
int daos_eq_set_eventfd(daos_handle_t eqh, int fd);

/**
 * Beyond the seed: an operation that does nothing, completing \a ev after
 * \a delay_us microseconds (at most one hour) with \a error (0 or a
 * negative errno, -133..-1).
 *
 * \return with an event: 0; -EINVAL for a bad argument or a moved event;
 *         -ENOENT if \a ev is not initialised (or was finalised); -EBUSY
 *         if it is in flight or waits to be polled; -EPERM if it is a
 *         parent. Without one: \a error after the delay, or -EINTR if a
 *         signal handler ran first (a stop or a freeze does not interrupt)
 */
int daos_noop(uint64_t delay_us, int error, struct daos_event *ev);

/**
 * Version of the running kernel module's ABI (beyond the seed).
 *
 * \param abi_major [OUT] incompatible-change number, may be NULL
 * \param abi_minor [OUT] compatible-addition number, may be NULL
 * \param features  [OUT] DAOS_FEATURE_* bits of <linux/daos.h>, may be NULL
 * \return 0, or one of the errors any call can return (see the top)
 */
int daos_version(uint32_t *abi_major, uint32_t *abi_minor, uint64_t *features);

/**
 * Version of this library (beyond the seed), to compare with the
 * DAOS_API_VERSION_* macros an application was built with.
 *
 * \param major, minor, fix [OUT] each may be NULL
 */
void daos_api_version(int *major, int *minor, int *fix);

/***********************************************************************
 * Containers, shards, objects and epochs
 *
 * Every call below takes a completion event, or NULL to run synchronously.
 * With an event the call returns 0 once the operation is submitted (or a
 * negative errno if it could not be) and the event completes with the
 * result; output parameters the call documents as "at submission" are
 * written before it returns, the others when the event completes, so they
 * must stay valid until then. Without an event the call returns the result.
 *
 * The storage behind a container is its shards, each on a target. This
 * library's module keeps targets in kernel memory (four by default); every
 * call here works the same over any target.
 ***********************************************************************/

/**
 * Open a container: the file at \a path (a regular file in any file
 * system; its inode names the container, so a rename keeps it).
 *
 * \param path     [IN] the container file
 * \param mode     [IN] DAOS_COO_RO or DAOS_COO_RW, with DAOS_COO_CREATE to
 *                 create the file (mode 0666 & ~umask) and the container if
 *                 missing; the file's permissions decide whether RW is
 *                 allowed (-EACCES)
 * \param nprocess [IN] processes sharing a collective open (0 or 1: none)
 * \param status   [OUT] at submission: DAOS_CONTAINER_ST_OK; may be NULL
 * \param coh      [OUT] at submission: the open handle
 * \param event    [IN] completion event, or NULL
 * \return 0; -EINVAL for a bad mode or NULL \a path / \a coh; -ENOENT if the
 *         file is missing, or is not a container and DAOS_COO_CREATE is not
 *         given; -EACCES and the other errors of open(2); -EMFILE
 */
int daos_container_open(const char *path, unsigned int mode, unsigned int nprocess,
			daos_container_status_t *status, daos_handle_t *coh,
			struct daos_event *event);

/**
 * Close a container handle (and its objects' handles). Closing the last
 * read-write handle discards every epoch above the HSE.
 *
 * \return 0; -EBADF for a bad handle
 */
int daos_container_close(daos_handle_t coh, struct daos_event *event);

/**
 * Destroy a container: its data on every target, then its file.
 *
 * \return 0; -ENOENT if the file is not a container; -EBUSY while it is
 *         open; -EACCES (the file must be writable) and the errors of
 *         open(2) and unlink(2)
 */
int daos_container_unlink(const char *path, struct daos_event *event);

/**
 * Query a container: owner, shard counts (at submission).
 *
 * \param epoch [IN/OUT] a committed epoch; DAOS_EPOCH_HIGHEST or an
 *              uncommitted one is replaced by the HSE; may be NULL
 * \param info  [OUT] the container's information
 * \return 0; -EBADF; -EINVAL for a NULL \a info
 */
int daos_container_query(daos_handle_t coh, daos_epoch_t *epoch,
			 struct daos_container_info *info, struct daos_event *event);

/**
 * List shard IDs (at submission), in order, from \a *anchor on.
 *
 * \param opc    [IN] DAOS_SHARD_LS_ALL, _STUCK (target failed) or _DISABLED
 * \param anchor [IN/OUT] first ID to list; set to DAOS_LIST_END (-1) after
 *               the last
 * \param shardn [IN] size of \a shards, 1..1024
 * \param shards [OUT] IDs, the rest set to -1
 * \return 0; -EBADF; -EINVAL
 */
int daos_container_list_shard(daos_handle_t coh, daos_epoch_t epoch,
			      daos_shard_list_t opc, daos_off_t *anchor,
			      unsigned int shardn, unsigned int *shards,
			      struct daos_event *event);

/**
 * Flush cached changes up to \a epoch to the targets (nothing is cached
 * without DAOS_OBJ_IO_BUFFERED).
 *
 * \return 0; -EBADF
 */
int daos_container_flush(daos_handle_t coh, daos_epoch_t epoch, struct daos_event *event);

/**
 * Add shards, shard \a shards[i] on target \a targets[i]. The results are
 * written into \a shards when the operation completes: it must stay valid
 * until then.
 *
 * \param epoch   [IN] epoch of the layout change, above the HCE
 * \param targetn [IN] entries in \a targets and \a shards, 1..1024
 * \param shards  [IN/OUT] shard IDs (0..2^20-1); set to -1 where that shard
 *                failed
 * \return 0 if every shard was added; otherwise the error of the first that
 *         failed (-EEXIST, -ENODEV for an unknown target, -EIO for a failed
 *         one, -ENOSPC, -EINVAL); -EPERM for a read-only handle
 */
int daos_shard_add(daos_handle_t coh, daos_epoch_t epoch, unsigned int targetn,
		   unsigned int *targets, int *shards, struct daos_event *event);

/**
 * Disable shards for good: their objects can no longer be opened or reached
 * (-ENODEV). The results are written into \a shards when the operation
 * completes.
 *
 * \param shards [IN/OUT] set to -1 where that shard failed (-ENOENT,
 *               -EALREADY)
 */
int daos_shard_disable(daos_handle_t coh, daos_epoch_t epoch, unsigned int shardn,
		       int *shards, struct daos_event *event);

/**
 * Query a shard (at submission): target, health, location, objects, space.
 *
 * \param epoch [IN/OUT] as for daos_container_query(); may be NULL
 * \return 0; -EBADF; -ENOENT for an unknown shard; -EINVAL
 */
int daos_shard_query(daos_handle_t coh, daos_epoch_t *epoch, unsigned int shard,
		     struct daos_shard_info *info, struct daos_event *event);

/**
 * Flush cached changes of one shard up to \a epoch.
 *
 * \return 0; -EBADF; -ENOENT, -ENODEV (disabled), -EIO (target failed)
 */
int daos_shard_flush(daos_handle_t coh, daos_epoch_t epoch, unsigned int shard,
		     struct daos_event *event);

/**
 * List the objects of a shard that hold data at \a epoch (at submission):
 * a write at or below it after the object's last punch of the whole object.
 *
 * \param anchor [IN/OUT] first o_id_lo to list; DAOS_LIST_END after the last
 * \param oidn   [IN] size of \a oids, 1..1024
 * \param oids   [OUT] object IDs, the rest set to all ones
 */
int daos_shard_list_obj(daos_handle_t coh, daos_epoch_t epoch, unsigned int shard,
			daos_off_t *anchor, daos_size_t oidn, daos_obj_id_t *oids,
			struct daos_event *event);

/**
 * Open an object (at submission): \a oid.o_id_hi is its shard.
 *
 * \param mode [IN] DAOS_OBJ_RO or DAOS_OBJ_RW (or the seed's DAOS_OMODE_*),
 *             with any of the DAOS_OBJ_IO_* hints
 * \return 0; -EBADF; -EPERM for RW on a read-only container handle;
 *         -ENOENT for an unknown shard, -ENODEV for a disabled one; -EINVAL
 */
int daos_object_open(daos_handle_t coh, daos_obj_id_t oid, unsigned int mode,
		     daos_handle_t *oh, struct daos_event *event);

/** Close an object handle. \return 0; -EBADF */
int daos_object_close(daos_handle_t oh, struct daos_event *event);

/**
 * Read an object at \a epoch into memory: the object ranges of \a iod, in
 * order, fill the buffers of \a mmd, in order; zeros where nothing was
 * written. A read-write handle sees its uncommitted epochs, any other the
 * HCE at most. The buffers must stay valid until the event completes.
 *
 * \return 0; -EBADF; -EINVAL if the totals differ, exceed max_io_mb, or
 *         there are more than 1024 fragments, or \a epoch is below the
 *         oldest readable one; -EFAULT; -ENODEV; -EIO (target failed)
 */
int daos_object_read(daos_handle_t oh, daos_epoch_t epoch, struct daos_mmd *mmd,
		     struct daos_iod *iod, struct daos_event *event);

/**
 * Write memory into an object at \a epoch, which must be above the HCE.
 * The data is copied at submission: the buffers may be reused at once.
 *
 * \return as daos_object_read(); -EPERM for a read-only handle; -EINVAL for
 *         an epoch at or below the HCE; -ENOSPC when the target is full
 */
int daos_object_write(daos_handle_t oh, daos_epoch_t epoch, struct daos_mmd *mmd,
		      struct daos_iod *iod, struct daos_event *event);

/**
 * Discard bytes \a begin to \a end (inclusive) of an object at \a epoch:
 * they read as zeros from then on. 0 and -1 discard the whole object.
 *
 * \return 0; -EBADF; -EPERM for a read-only handle; -EINVAL
 */
int daos_object_punch(daos_handle_t coh, daos_epoch_t epoch, daos_obj_id_t oid,
		      daos_off_t begin, daos_off_t end, struct daos_event *event);

/**
 * Move this handle's read cursor to \a epoch (the HCE at most): epochs
 * below the lowest cursor of all handles may be reclaimed.
 *
 * \return 0; -EBADF; -EINVAL below the oldest readable epoch
 */
int daos_epoch_slip(daos_handle_t coh, daos_epoch_t epoch, struct daos_event *ev);

/**
 * Wait until \a epoch is committed (DAOS_EPOCH_HIGHEST: the next commit).
 *
 * \param epoch        [IN/OUT] written with the HCE when the wait ends
 * \param epoch_layout [OUT] the last layout change up to it; may be NULL
 * \return 0; -EBADF (also when the handle closes while waiting); -EFAULT
 */
int daos_epoch_wait(daos_handle_t coh, daos_epoch_t *epoch, daos_epoch_t *epoch_layout,
		    struct daos_event *ev);

/** Query the epochs of a container (at submission). \return 0; -EBADF; -EINVAL */
int daos_epoch_query(daos_handle_t coh, struct daos_epoch_info *info, struct daos_event *ev);

/**
 * Commit every change up to \a epoch: when it completes, they are durable
 * and every reader sees them. Committing an epoch at or below the HCE does
 * nothing.
 *
 * \param sync         [IN] accepted (every commit is a snapshot point here)
 * \param shard_failed [OUT] the shard that could not commit; may be NULL
 * \return 0; -EBADF; -EPERM for a read-only handle; -EIO if a shard's
 *         target failed (the HSE moves, the HCE does not)
 */
int daos_epoch_commit(daos_handle_t coh, daos_epoch_t epoch, bool sync,
		      unsigned int *shard_failed, struct daos_event *ev);

/**
 * Discard every change at \a epoch and later.
 *
 * \return 0; -EBADF; -EPERM for a read-only handle or a committed epoch;
 *         -EIO as for commit
 */
int daos_epoch_abort(daos_handle_t coh, daos_epoch_t epoch, unsigned int *shard_failed,
		     struct daos_event *ev);

/**
 * Snapshot a container: a new container at \a snapshot (a file this call
 * creates, -EEXIST if it exists) holding what \a coh's container holds at
 * \a epoch, independent of it afterwards; its HCE is \a epoch. The copy
 * runs in the background: daos_event_progress() reports its bytes.
 *
 * \param epoch [IN] a committed epoch, not below the oldest readable one
 * \return 0; -EBADF; -EINVAL for an epoch that is not committed or was
 *         reclaimed; -ENOSPC; -EIO; and the errors of open(2)
 */
int daos_container_snapshot(daos_handle_t coh, daos_epoch_t epoch, const char *snapshot,
			    struct daos_event *event);

/**
 * Listen for shards added or disabled: completes with those after the last
 * ones this handle reported (for its first listen, after its open),
 * waiting for one. The event's type is DAOS_EV_CO_QUERY (the seed has none
 * of its own for a listen).
 *
 * \param sevn [IN/OUT] room in \a sevs, 1..1024; written at completion
 * \param sevs [OUT] the changes, written at completion
 * \return 0; -EBADF (also when the handle closes while listening); -EINVAL
 */
int daos_container_listen(daos_handle_t coh, unsigned int *sevn, struct daos_shard_event *sevs,
			  struct daos_event *event);

/**
 * Make a global handle buffer of a container open, for other processes'
 * daos_global2local(). The buffer is a capability: it holds 128 random bits
 * the module checks. Only the opener's own handle makes one (-EPERM for one
 * from daos_global2local()).
 *
 * \param global [OUT] the buffer, or NULL to learn its size
 * \param size   [IN/OUT] the buffer's size; set to the size needed
 * \return 0; -EBADF; -EPERM; -E2BIG if \a size is too small
 */
int daos_local2global(daos_handle_t handle, void *global, unsigned int *size);

/**
 * A handle from a global handle buffer, without opening the container's
 * file. It reads, and writes if the opener may; only the opener commits,
 * aborts and waits (-EPERM). When the opener's handle closes (or its
 * process dies), every handle made from it fails with -EBADF.
 *
 * \param handle [IN/OUT] a handle this call made before, to refresh, or
 *               anything else for a new one
 * \return 0; -EINVAL for a buffer that is not one (magic, version, size);
 *         -ESTALE for one naming no live open, or with a wrong secret
 */
int daos_global2local(void *global, unsigned int size, daos_handle_t *handle,
		      struct daos_event *ev);

/***********************************************************************
 * The system container: the storage targets
 ***********************************************************************/

/**
 * Open the system container.
 *
 * \param daos_path [IN] the mount point of the file system (must exist),
 *                  or NULL
 * \return 0; -ENOENT and the errors of access(2) for \a daos_path; -EMFILE
 */
int daos_sys_open(const char *daos_path, daos_handle_t *handle, struct daos_event *ev);

/** Close the system container. \return 0; -EBADF */
int daos_sys_close(daos_handle_t handle, struct daos_event *ev);

/**
 * Listen for target status changes (a target failed, came back, changed
 * health): completes with those after the last ones this handle reported
 * (for its first listen, after its open), waiting for one. The event's
 * type is DAOS_EV_SYS_QUERY.
 *
 * \param tevn [IN/OUT] room in \a tevs, 1..1024; written at completion
 * \param tevs [OUT] the changes, written at completion
 * \return 0; -EBADF (also when the handle closes while listening)
 */
int daos_sys_listen(daos_handle_t handle, unsigned int *tevn, struct daos_target_event *tevs,
		    struct daos_event *ev);

/**
 * Walk the storage tree (cages, racks, nodes, targets) in preorder, with
 * the depth rules of the seed (see the appendix): \a loc names the subtree
 * (DAOS_LOC_UNKNOWN parts widen it), \a depth cuts it (0: all of it).
 *
 * \param loc [IN] the subtree, or NULL for the whole tree
 * \param lkn [IN/OUT] with \a lks NULL: set to the number of footprints;
 *            otherwise the room in \a lks, set to the number written
 *            (fewer than the walk has when the room is short)
 * \return 0; -EBADF; -EINVAL
 */
int daos_sys_query(daos_handle_t handle, struct daos_location *loc, unsigned int depth,
		   unsigned int *lkn, struct daos_loc_key *lks, struct daos_event *ev);

/**
 * Query a target: status, type, location (\a info->ti_loc holds its one
 * location; the seed's "failover" parameter is not in its prototype),
 * measured performance, space and affinity.
 *
 * \return 0; -EBADF; -ENODEV for an unknown target; -EINVAL
 */
int daos_sys_query_target(daos_handle_t handle, unsigned int target, struct daos_target_info *info,
			  struct daos_event *ev);

/**
 * How far the operation of an event in flight got (beyond the seed):
 * bytes done and in all of a snapshot or flush (0 and 0 for operations that
 * do not report).
 *
 * \param done  [OUT] may be NULL
 * \param total [OUT] may be NULL
 * \return 0; -EINVAL unless the event is in flight; -ENOENT
 */
int daos_event_progress(struct daos_event *ev, uint64_t *done, uint64_t *total);

#ifdef __cplusplus
}
#endif

#endif /* DAOS_H */
