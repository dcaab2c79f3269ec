/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The errors each command documents (Documentation/ioctl-abi.rst), for the
 * fuzz tests. Every command may also fail with ENOTTY (not a command of
 * this device), EINVAL (a size, flag or field it refuses), E2BIG (a larger
 * structure with a non-zero tail) and EFAULT (a bad pointer).
 */
#ifndef DAOS_IOCTL_ERRORS_H
#define DAOS_IOCTL_ERRORS_H

#include <errno.h>
#include <linux/daos.h>

struct documented {
	unsigned int nr;
	int errs[12];
};

/*
 * An operation on an event may also fail as the event does (EBADF for its
 * EQ, ENOENT, EBUSY, EPERM for a parent); a synchronous one ends with
 * EINTR on a signal.
 */
#define EV_ERRS EBADF, ENOENT, EBUSY, EPERM, ENOMEM

static const struct documented documented[] = {
	{ DAOS_IOC_NR_VERSION, { 0 } },
	{ DAOS_IOC_NR_EQ_CREATE, { EBADF, EMFILE, ENOMEM } },
	{ DAOS_IOC_NR_EQ_DESTROY, { EBADF, EBUSY } },
	{ DAOS_IOC_NR_EQ_POLL, { EBADF, EINTR } },
	{ DAOS_IOC_NR_EQ_QUERY, { EBADF, ENOMEM } },
	{ DAOS_IOC_NR_EQ_EVENTFD, { EBADF, ENOMEM } },
	{ DAOS_IOC_NR_EVENT_INIT, { EBADF, ENOENT, EBUSY, EMFILE, ENOMEM } },
	{ DAOS_IOC_NR_EVENT_FINI, { EBADF, ENOENT, EBUSY } },
	{ DAOS_IOC_NR_EVENT_NEXT, { EBADF, ENOENT } },
	{ DAOS_IOC_NR_EVENT_ABORT, { EBADF, ENOENT } },
	{ DAOS_IOC_NR_NOOP, { EBADF, ENOENT, EBUSY, EPERM, ENOMEM, EINTR } },
	{ DAOS_IOC_NR_EVENT_PROGRESS, { EBADF, ENOENT } },
	{ DAOS_IOC_NR_CO_OPEN, { EV_ERRS, EMFILE, ENOSPC } },
	{ DAOS_IOC_NR_CO_CLOSE, { EV_ERRS, EINTR } },
	{ DAOS_IOC_NR_CO_UNLINK, { EV_ERRS, EINTR } },
	{ DAOS_IOC_NR_CO_QUERY, { EV_ERRS } },
	{ DAOS_IOC_NR_CO_LIST_SHARD, { EV_ERRS } },
	{ DAOS_IOC_NR_CO_FLUSH, { EV_ERRS, EIO, EINTR } },
	{ DAOS_IOC_NR_CO_SNAPSHOT, { EV_ERRS, EEXIST, ENOSPC, EIO, EINTR } },
	{ DAOS_IOC_NR_CO_LISTEN, { EV_ERRS, EINTR } },
	{ DAOS_IOC_NR_CO_LOCAL2GLOBAL, { EBADF, EPERM, ENOMEM } },
	{ DAOS_IOC_NR_CO_GLOBAL2LOCAL, { EV_ERRS, ESTALE, EMFILE, ENOSPC } },
	{ DAOS_IOC_NR_SHARD_ADD, { EV_ERRS, EEXIST, ENODEV, EIO, ENOSPC, EINTR } },
	{ DAOS_IOC_NR_SHARD_DISABLE, { EV_ERRS, EALREADY, EINTR } },
	{ DAOS_IOC_NR_SHARD_QUERY, { EV_ERRS } },
	{ DAOS_IOC_NR_SHARD_FLUSH, { EV_ERRS, ENODEV, EIO, EINTR } },
	{ DAOS_IOC_NR_SHARD_LIST_OBJ, { EV_ERRS, ENODEV } },
	{ DAOS_IOC_NR_OBJ_OPEN, { EV_ERRS, ENODEV, EMFILE, ENOSPC } },
	{ DAOS_IOC_NR_OBJ_CLOSE, { EV_ERRS } },
	{ DAOS_IOC_NR_OBJ_READ, { EV_ERRS, ENODEV, EIO, EINTR } },
	{ DAOS_IOC_NR_OBJ_WRITE, { EV_ERRS, ENODEV, EIO, ENOSPC, EINTR } },
	{ DAOS_IOC_NR_OBJ_PUNCH, { EV_ERRS, ENODEV, EIO, ENOSPC, EINTR } },
	{ DAOS_IOC_NR_EPOCH_QUERY, { EV_ERRS } },
	{ DAOS_IOC_NR_EPOCH_SLIP, { EV_ERRS, EINTR } },
	{ DAOS_IOC_NR_EPOCH_WAIT, { EV_ERRS, EINTR } },
	{ DAOS_IOC_NR_EPOCH_COMMIT, { EV_ERRS, EIO, EINTR } },
	{ DAOS_IOC_NR_EPOCH_ABORT, { EV_ERRS, EIO, EINTR } },
	{ DAOS_IOC_NR_SYS_OPEN, { EV_ERRS, EMFILE, ENOSPC } },
	{ DAOS_IOC_NR_SYS_CLOSE, { EV_ERRS } },
	{ DAOS_IOC_NR_SYS_QUERY, { EV_ERRS, EOVERFLOW } },
	{ DAOS_IOC_NR_SYS_QUERY_TARGET, { EV_ERRS, ENODEV } },
	{ DAOS_IOC_NR_SYS_LISTEN, { EV_ERRS, EINTR } },
};

/* Whether command number @nr documents @err (the common ones aside). */
static inline int documented_error(unsigned int nr, int err)
{
	unsigned int i, k;

	for (i = 0; i < sizeof(documented) / sizeof(documented[0]); i++) {
		if (documented[i].nr != nr)
			continue;
		for (k = 0; k < 12 && documented[i].errs[k]; k++)
			if (documented[i].errs[k] == err)
				return 1;
	}
	return 0;
}

#endif /* DAOS_IOCTL_ERRORS_H */
