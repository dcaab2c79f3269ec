/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the selftests that use containers through libdaos.
 */
#ifndef DAOS_CO_H
#define DAOS_CO_H

#include <stdint.h>
#include <daos.h>

#define EP(n) ((daos_epoch_t){ .seq = (n) })

/* Waits (forever, under the harness watchdog) for @ev; returns its error. */
static inline int wait_ev(daos_handle_t eq, struct daos_event *ev)
{
	struct daos_event *got = NULL;
	int n = daos_eq_poll(eq, 0, DAOS_EQ_WAIT, 1, &got);

	if (n != 1 || got != ev)
		return -1000 - n;
	return ev->ev_error;
}

/* Writes @len bytes of @buf at @off of @oh, at @epoch, synchronously. */
static inline int put(daos_handle_t oh, uint64_t epoch, uint64_t off, const void *buf, uint64_t len)
{
	struct { struct daos_mmd m; struct daos_mm_frag f; } mmd = { { 1 }, { (void *)buf, len } };
	struct { struct daos_iod i; struct daos_io_frag f; } iod = { { 1 }, { off, len } };

	return daos_object_write(oh, EP(epoch), &mmd.m, &iod.i, NULL);
}

/* Reads @len bytes at @off of @oh, at @epoch, into @buf, synchronously. */
static inline int get(daos_handle_t oh, uint64_t epoch, uint64_t off, void *buf, uint64_t len)
{
	struct { struct daos_mmd m; struct daos_mm_frag f; } mmd = { { 1 }, { buf, len } };
	struct { struct daos_iod i; struct daos_io_frag f; } iod = { { 1 }, { off, len } };

	return daos_object_read(oh, EP(epoch), &mmd.m, &iod.i, NULL);
}

#endif /* DAOS_CO_H */
