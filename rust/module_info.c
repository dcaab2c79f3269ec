// SPDX-License-Identifier: GPL-2.0
/*
 * Module metadata the Rust module! macro cannot express in 7.3: parameters
 * visible (and, where safe, writable) under /sys/module/daos/parameters, and
 * the module version shown by modinfo. The Rust side reads parameters through
 * the getters below (rust/sys.rs).
 */
#include <linux/module.h>
#include <linux/moduleparam.h>

MODULE_VERSION("0.1.0");

/* Upper bound for max_eq_events: keeps per-EQ memory bounded (~256 bytes/event). */
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

unsigned int daos_param_max_eq_events(void);
unsigned int daos_param_max_eq_events(void)
{
	return READ_ONCE(max_eq_events);
}
