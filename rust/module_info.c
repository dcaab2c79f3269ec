// SPDX-License-Identifier: GPL-2.0
/*
 * Module metadata the Rust module! macro cannot express in 7.3: parameters
 * visible (and writable) under /sys/module/daos/parameters, and the module
 * version shown by modinfo. The Rust side reads parameters through the
 * getters defined here (rust/sys/mod.rs).
 *
 * Memory an unprivileged opener can pin (Documentation/index.rst has the
 * arithmetic): per event queue, 72 bytes per event slot (asserted in
 * rust/event_queue.rs) in chunks of at most twice the live events, plus one
 * allocation per operation in flight; per open file, max_eqs_per_file
 * queues. All of it is charged to the opener's memory cgroup.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>

MODULE_VERSION(DAOS_VERSION);

/*
 * A read/write unsigned parameter that refuses values outside [min, max],
 * and its getter daos_param_NAME() for the Rust side.
 */
#define DAOS_PARAM_UINT(name, def, min, max, desc)				\
	static unsigned int name = def;						\
	static int name##_set(const char *val, const struct kernel_param *kp)	\
	{									\
		return param_set_uint_minmax(val, kp, min, max);		\
	}									\
	static const struct kernel_param_ops name##_ops = {			\
		.set = name##_set,						\
		.get = param_get_uint,						\
	};									\
	module_param_cb(name, &name##_ops, &name, 0644);			\
	MODULE_PARM_DESC(name, desc);						\
	unsigned int daos_param_##name(void);					\
	unsigned int daos_param_##name(void)					\
	{									\
		return READ_ONCE(name);						\
	}

/* At most 16M events, ~1.2 GiB of slots per queue. */
DAOS_PARAM_UINT(max_eq_events, 1U << 20, 1, 1U << 24,
		"Events one event queue may hold before -EMFILE (1..16777216, default 1048576)")

DAOS_PARAM_UINT(max_eqs_per_file, 256, 1, 65536,
		"Event queues one open /dev/daos may hold before -EMFILE (1..65536, default 256)")

DAOS_PARAM_UINT(max_io_mb, 64, 1, 1024,
		"Largest read or write, in MiB, before -EINVAL (1..1024, default 64)")

DAOS_PARAM_UINT(target_capacity_mb, 256, 1, 1U << 20,
		"Capacity of each local target, in MiB, before -ENOSPC (default 256)")
