// SPDX-License-Identifier: GPL-2.0
/*
 * What the C compiler makes of the ABI header: structure sizes and command
 * numbers, compared with the Rust bindings by the crate's tests.
 */
#include <stddef.h>
#include <linux/daos.h>

const unsigned long daos_probe_sizeof_version = sizeof(struct daos_version);
const unsigned long daos_probe_alignof_version = _Alignof(struct daos_version);
const unsigned int daos_probe_ioc_version = DAOS_IOC_VERSION;
