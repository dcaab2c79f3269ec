/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * daos.h - the DAOS client API (libdaos).
 *
 * The types and calls of the DAOS-on-Lustre client design's API appendix,
 * implemented over the /dev/daos ioctls (see <linux/daos.h>). Every call
 * returns 0 (or a count) on success and a negative errno value on failure.
 * A NULL event makes an asynchronous call synchronous.
 *
 * Thread safety: every call may be made from any thread. After fork() the
 * child reopens /dev/daos on its first call; it cannot use the parent's
 * handles.
 */
#ifndef DAOS_H
#define DAOS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

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

#define DAOS_EPOCH_HIGHEST ((uint64_t)-1)

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
} daos_ev_type_t;

/** Userspace event structure */
typedef struct daos_event {
	/** event type */
	daos_ev_type_t ev_type;
	/** returned result of the asynchronous operation, 0 or -errno */
	int ev_error;
	/** reserved space for libdaos (kernel event id); do not touch */
	struct {
		uint64_t space[7];
	} ev_private;
} daos_event_t;

/** wait for completion event forever */
#define DAOS_EQ_WAIT -1
/** always return immediately */
#define DAOS_EQ_NOWAIT 0

typedef enum {
	/** query outstanding completed event */
	DAOS_EVQ_COMPLETED = (1),
	/** query # inflight event */
	DAOS_EVQ_INFLIGHT = (1 << 1),
	/** query # inflight + completed events in EQ */
	DAOS_EVQ_ALL = (DAOS_EVQ_COMPLETED | DAOS_EVQ_INFLIGHT),
} daos_ev_query_t;

/**
 * Version of the running kernel module's ABI (beyond the seed).
 *
 * \param abi_major [OUT] incompatible-change number, may be NULL
 * \param abi_minor [OUT] compatible-addition number, may be NULL
 * \param features  [OUT] DAOS_FEATURE_* bits of <linux/daos.h>, may be NULL
 *
 * \return 0, or -ENOENT/-ENODEV if the module is not loaded, or another
 *         negative errno value
 */
int daos_version(uint32_t *abi_major, uint32_t *abi_minor, uint64_t *features);

#ifdef __cplusplus
}
#endif

#endif /* DAOS_H */
