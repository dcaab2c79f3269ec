// SPDX-License-Identifier: GPL-2.0
/*
 * eq_bench: the cost of the DAOS event path against io_uring and a bare
 * ioctl, measured in one boot (make bench). Prints numbers; asserts nothing.
 *
 *  - bare ioctl on /dev/null (the syscall floor)
 *  - io_uring NOP, 1 and 32 per io_uring_enter
 *  - DAOS no-op round trip: dispatch one (DAOS_IOC_NOOP) + poll one
 *  - DAOS 32 dispatched, then one poll of 32
 *  - DAOS round trip with 1, 1k and 100k other events in flight
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/daos.h>

#include "bench.h"

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void xioctl(int fd, unsigned long cmd, void *arg, const char *what)
{
	if (ioctl(fd, cmd, arg) < 0)
		die(what);
}

/* Best of `reps` runs of `iters` operations, in ns per operation. */
#define MEASURE(result, reps, iters, ops_per_iter, body)			\
	do {									\
		double best_ = 1e30;						\
		for (int r_ = 0; r_ < (reps); r_++) {				\
			double t0_ = now_ns();					\
			for (long i_ = 0; i_ < (iters); i_++) {			\
				body;						\
			}							\
			double per_ = (now_ns() - t0_) / ((double)(iters) * (ops_per_iter)); \
			if (per_ < best_)					\
				best_ = per_;					\
		}								\
		(result) = best_;						\
	} while (0)

struct daos {
	int fd;
	__u64 eqh;
	__u64 *ids;
	int n;
};

static void daos_open(struct daos *d, int events)
{
	struct daos_ioc_eq_create c = { 0 };

	d->fd = open("/dev/daos", O_RDWR | O_CLOEXEC);
	if (d->fd < 0)
		die("open /dev/daos");
	xioctl(d->fd, DAOS_IOC_EQ_CREATE, &c, "EQ_CREATE");
	d->eqh = c.eqh;
	d->n = events;
	d->ids = calloc(events, sizeof(*d->ids));
	for (int i = 0; i < events; i++) {
		struct daos_ioc_event_init e = { .eqh = d->eqh, .user = 0x1000 + i };

		xioctl(d->fd, DAOS_IOC_EVENT_INIT, &e, "EVENT_INIT");
		d->ids[i] = e.id;
	}
}

static void daos_close(struct daos *d)
{
	close(d->fd);	/* release aborts and frees everything */
	free(d->ids);
}

static void noop(struct daos *d, int i, __u64 delay_us)
{
	struct daos_ioc_noop n = { .eqh = d->eqh, .id = d->ids[i], .delay_us = delay_us };

	xioctl(d->fd, DAOS_IOC_NOOP, &n, "NOOP");
}

static int poll_n(struct daos *d, struct daos_polled_event *out, unsigned int n)
{
	struct daos_ioc_eq_poll p = { .eqh = d->eqh, .events = (__u64)(unsigned long)out,
				      .n = n, .timeout_us = DAOS_EQ_TIMEOUT_INF };
	int got = ioctl(d->fd, DAOS_IOC_EQ_POLL, &p);

	if (got < 0)
		die("EQ_POLL");
	return got;
}

/* Round trip on event `idx` with `inflight` other events dispatched for an hour. */
static double round_trip_with(int inflight, long iters)
{
	struct daos d;
	struct daos_polled_event out[1];
	double ns;

	daos_open(&d, inflight + 1);
	for (int i = 1; i <= inflight; i++)
		noop(&d, i, 3600000000ULL);
	MEASURE(ns, 5, iters, 1, {
		noop(&d, 0, 0);
		if (poll_n(&d, out, 1) != 1)
			die("poll: no event");
	});
	daos_close(&d);
	return ns;
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 20000;
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct daos_polled_event out[32];
	struct daos d;
	double bare, uring1, uring32, rt, batch32, k1, k1000, k100000;
	double version, sync_noop, empty_poll, noop_only;
	int nullfd, x;

	nullfd = open("/dev/null", O_RDONLY);
	if (nullfd < 0)
		die("/dev/null");
	MEASURE(bare, 5, iters, 1, { ioctl(nullfd, FIONREAD, &x); });

	if (io_uring_queue_init(64, &ring, 0))
		die("io_uring_queue_init");
	MEASURE(uring1, 5, iters, 1, {
		io_uring_prep_nop(io_uring_get_sqe(&ring));
		io_uring_submit_and_wait(&ring, 1);
		io_uring_wait_cqe(&ring, &cqe);
		io_uring_cqe_seen(&ring, cqe);
	});
	MEASURE(uring32, 5, iters / 32 + 1, 32, {
		for (int k = 0; k < 32; k++)
			io_uring_prep_nop(io_uring_get_sqe(&ring));
		io_uring_submit_and_wait(&ring, 32);
		io_uring_cq_advance(&ring, 32);
	});
	io_uring_queue_exit(&ring);

	daos_open(&d, 32);
	/* The parts of a round trip: the cheapest command, a no-op without an
	 * event, a poll that finds nothing, a dispatch alone. */
	{
		struct daos_version v;
		struct daos_ioc_noop sn = { 0 };
		struct daos_ioc_eq_poll ep = { .eqh = d.eqh, .n = 1,
					       .events = (__u64)(unsigned long)out };

		MEASURE(version, 5, iters, 1, { xioctl(d.fd, DAOS_IOC_VERSION, &v, "VERSION"); });
		MEASURE(sync_noop, 5, iters, 1, { xioctl(d.fd, DAOS_IOC_NOOP, &sn, "NOOP"); });
		MEASURE(empty_poll, 5, iters, 1, { xioctl(d.fd, DAOS_IOC_EQ_POLL, &ep, "POLL"); });
		MEASURE(noop_only, 5, iters / 32 + 1, 32, {
			for (int k = 0; k < 32; k++)
				noop(&d, k, 0);
			ep.n = 32;
			ioctl(d.fd, DAOS_IOC_EQ_POLL, &ep);
			ep.n = 1;
		});
	}
	MEASURE(rt, 5, iters, 1, {
		noop(&d, 0, 0);
		if (poll_n(&d, out, 1) != 1)
			die("poll: no event");
	});
	MEASURE(batch32, 5, iters / 32 + 1, 32, {
		for (int k = 0; k < 32; k++)
			noop(&d, k, 0);
		if (poll_n(&d, out, 32) != 32)
			die("poll: short batch");
	});
	daos_close(&d);

	k1 = round_trip_with(1, iters);
	k1000 = round_trip_with(1000, iters);
	k100000 = round_trip_with(100000, iters);

	printf("\n== eq_bench: ns per operation (best of 5 runs of %ld) ==\n", iters);
	row("bare ioctl on /dev/null", bare, "ns", NULL, 0);
	row("io_uring NOP, 1 per enter", uring1, "ns", NULL, 0);
	row("io_uring NOP, 32 per enter", uring32, "ns", NULL, 0);
	row("daos VERSION ioctl", version, "ns", NULL, 0);
	row("daos synchronous no-op (no event)", sync_noop, "ns", NULL, 0);
	row("daos poll of an empty EQ", empty_poll, "ns", NULL, 0);
	row("daos no-op round trip (dispatch+poll)", rt, "ns", NULL, 0);
	row("daos 32 dispatched + one poll, per op", batch32, "ns", NULL, 0);
	row("daos round trip, 1 in flight", k1, "ns", NULL, 0);
	row("daos round trip, 1k in flight", k1000, "ns", NULL, 0);
	row("daos round trip, 100k in flight", k100000, "ns", NULL, 0);
	(void)noop_only;
	printf("== ratios (targets: DESIGN.md) ==\n");
	row("empty poll / bare ioctl", empty_poll / bare, "x", "<=", 0.1);
	row("round trip / io_uring NOP (1)", rt / uring1, "x", "<=", 1.0);
	row("round trip / bare ioctl", rt / bare, "x", NULL, 0);
	row("32-batch per op / bare ioctl", batch32 / bare, "x", "<=", 1.5);
	row("32-batch per op / io_uring NOP (32)", batch32 / uring32, "x", NULL, 0);
	row("100k in flight / 1 in flight", k100000 / k1, "x", "<=", 2.0);
	row("1k in flight / 1 in flight", k1000 / k1, "x", NULL, 0);
	return 0;
}
