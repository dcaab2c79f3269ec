// SPDX-License-Identifier: GPL-2.0
/*
 * What the C compiler makes of the ABI header: structure sizes and command
 * numbers, compared with the Rust bindings by the crate's tests.
 */
#include <stddef.h>
#include <linux/daos.h>

const unsigned long daos_probe_sizeof_version = sizeof(struct daos_version);
const unsigned long daos_probe_alignof_version = _Alignof(struct daos_version);
/* Same order as COMMANDS in lib.rs. */
const unsigned int daos_probe_commands[11] = {
	DAOS_IOC_VERSION,	DAOS_IOC_EQ_CREATE,	DAOS_IOC_EQ_DESTROY,
	DAOS_IOC_EQ_POLL,	DAOS_IOC_EQ_QUERY,	DAOS_IOC_EQ_EVENTFD,
	DAOS_IOC_EVENT_INIT,	DAOS_IOC_EVENT_FINI,	DAOS_IOC_EVENT_NEXT,
	DAOS_IOC_EVENT_ABORT,	DAOS_IOC_NOOP,
};
