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
 *  - The structure's size is part of the command number (_IOC_SIZE). A
 *    structure grows only at its end; the grown command keeps its number
 *    (_IOC_NR) and the module keeps accepting every size it ever published,
 *    zero-extending the older ones, as clone3() and openat2() do with their
 *    size argument. A size the module does not know is -EINVAL.
 *  - Padding and reserved fields must be zero on input (-EINVAL otherwise),
 *    so that they can be given a meaning later.
 *  - Errors are returned as -1 with errno set, as for any ioctl.
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

/**
 * struct daos_version - argument of DAOS_IOC_VERSION (out only)
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

/* Command numbers (_IOC_NR), one per operation, never reused. */
#define DAOS_IOC_NR_VERSION 0x00

#define DAOS_IOC_VERSION _IOR(DAOS_IOC_MAGIC, DAOS_IOC_NR_VERSION, struct daos_version)

#endif /* _UAPI_LINUX_DAOS_H */
