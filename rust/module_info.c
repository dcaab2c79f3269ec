// SPDX-License-Identifier: GPL-2.0
/*
 * Module metadata the Rust module! macro cannot express in 7.3: parameters
 * visible (and, where safe, writable) under /sys/module/daos/parameters, and
 * the module version shown by modinfo. The Rust side reads parameters through
 * the getters below (rust/sys/mod.rs).
 *
 * Memory an unprivileged opener can pin (Documentation/index.rst has the
 * arithmetic): per event queue, 72 bytes per event slot (asserted in
 * rust/event_queue.rs) in chunks of at most twice the live events, plus
 * about 250 bytes per operation in flight; per open file, max_eqs_per_file
 * queues. All of it is charged to the opener's memory cgroup.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>

MODULE_VERSION(DAOS_VERSION);

/* Upper bound for max_eq_events: 16M events, ~1.2 GiB of slots per queue. */
#define DAOS_MAX_EQ_EVENTS_LIMIT (1U << 24)

static unsigned int max_eq_events = 1U << 20;

static int max_eq_events_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, DAOS_MAX_EQ_EVENTS_LIMIT);
}

static const struct kernel_param_ops max_eq_events_ops = {
	.set = max_eq_events_set,
	.get = param_get_uint,
};

module_param_cb(max_eq_events, &max_eq_events_ops, &max_eq_events, 0644);
MODULE_PARM_DESC(max_eq_events,
		 "Events one event queue may hold before -EMFILE (1..16777216, default 1048576)");

#define DAOS_MAX_EQS_PER_FILE_LIMIT 65536U

static unsigned int max_eqs_per_file = 256;

static int max_eqs_per_file_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, DAOS_MAX_EQS_PER_FILE_LIMIT);
}

static const struct kernel_param_ops max_eqs_per_file_ops = {
	.set = max_eqs_per_file_set,
	.get = param_get_uint,
};

module_param_cb(max_eqs_per_file, &max_eqs_per_file_ops, &max_eqs_per_file, 0644);
MODULE_PARM_DESC(max_eqs_per_file,
		 "Event queues one open /dev/daos may hold before -EMFILE (1..65536, default 256)");

unsigned int daos_param_max_eq_events(void);
unsigned int daos_param_max_eq_events(void)
{
	return READ_ONCE(max_eq_events);
}

unsigned int daos_param_max_eqs_per_file(void);
unsigned int daos_param_max_eqs_per_file(void)
{
	return READ_ONCE(max_eqs_per_file);
}
