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
 *  - the same through libdaos, which takes completions from the EQ's
 *    mapped ring (no system call to poll); the targets are on these rows
 *  - handle lookups scaling: 1 and 2 threads each dispatching on their own
 *    EQ of one process
 */
#include <pthread.h>
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
#include <daos.h>

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

/* ---- through libdaos -------------------------------------------------- */

static void xdaos(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "%s: %d\n", what, rc);
		exit(1);
	}
}

struct lib {
	daos_handle_t eqh;
	daos_event_t *ev;
	int n;
};

static void lib_open(struct lib *l, int events)
{
	xdaos(daos_eq_create(&l->eqh), "daos_eq_create");
	l->n = events;
	l->ev = calloc(events, sizeof(*l->ev));
	for (int i = 0; i < events; i++)
		xdaos(daos_event_init(&l->ev[i], l->eqh, NULL), "daos_event_init");
}

static void lib_close(struct lib *l)
{
	for (int i = 0; i < l->n; i++)
		daos_event_abort(&l->ev[i]);
	for (int i = 0; i < l->n; i++) {
		daos_event_t *out[64];

		while (daos_event_fini(&l->ev[i]) == -EBUSY)
			daos_eq_poll(l->eqh, 1, DAOS_EQ_WAIT, 64, out);
	}
	xdaos(daos_eq_destroy(l->eqh), "daos_eq_destroy");
	free(l->ev);
}

static void lib_round_trip(struct lib *l)
{
	daos_event_t *out;

	xdaos(daos_noop(0, 0, &l->ev[0]), "daos_noop");
	if (daos_eq_poll(l->eqh, 0, DAOS_EQ_WAIT, 1, &out) != 1)
		die("daos_eq_poll: no event");
}

/* Round trip through libdaos with `inflight` other events in flight. */
static double lib_round_trip_with(int inflight, long iters)
{
	struct lib l;
	double ns;

	lib_open(&l, inflight + 1);
	for (int i = 1; i <= inflight; i++)
		xdaos(daos_noop(3600000000ULL, 0, &l.ev[i]), "daos_noop (long)");
	MEASURE(ns, 5, iters, 1, { lib_round_trip(&l); });
	lib_close(&l);
	return ns;
}

/* Threads of one process, each on its own EQ: round trips per second. */
struct scaling {
	pthread_barrier_t *go;
	long iters;
	double ns;
};

static void *scaling_thread(void *arg)
{
	struct scaling *s = arg;
	struct lib l;
	double t0;

	lib_open(&l, 1);
	pthread_barrier_wait(s->go);
	t0 = now_ns();
	for (long i = 0; i < s->iters; i++)
		lib_round_trip(&l);
	s->ns = now_ns() - t0;
	lib_close(&l);
	return NULL;
}

/* Round trips per microsecond with `threads` threads. */
static double scaling(int threads, long iters)
{
	pthread_barrier_t go;
	pthread_t t[8];
	struct scaling s[8];
	double slowest = 0;

	pthread_barrier_init(&go, NULL, threads);
	for (int k = 0; k < threads; k++) {
		s[k] = (struct scaling){ .go = &go, .iters = iters };
		pthread_create(&t[k], NULL, scaling_thread, &s[k]);
	}
	for (int k = 0; k < threads; k++) {
		pthread_join(t[k], NULL);
		if (s[k].ns > slowest)
			slowest = s[k].ns;
	}
	pthread_barrier_destroy(&go);
	return threads * iters / (slowest / 1000);
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
	double lib_floor, lib_empty, lib_rt, lib_batch32, lib_k1, lib_k100000, scale1, scale2;
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


	/* libdaos: the ring. */
	{
		struct lib l;
		daos_event_t *outs[32];

		lib_open(&l, 32);
		/* The floor of any libdaos poll: a call refused at once. */
		MEASURE(lib_floor, 5, iters, 1, {
			if (daos_eq_poll(l.eqh, 0, DAOS_EQ_NOWAIT, 0, outs) != -EINVAL)
				die("refused poll");
		});
		MEASURE(lib_empty, 5, iters, 1, {
			if (daos_eq_poll(l.eqh, 0, DAOS_EQ_NOWAIT, 1, outs) != 0)
				die("empty poll");
		});
		MEASURE(lib_rt, 5, iters, 1, { lib_round_trip(&l); });
		MEASURE(lib_batch32, 5, iters / 32 + 1, 32, {
			for (int k = 0; k < 32; k++)
				xdaos(daos_noop(0, 0, &l.ev[k]), "daos_noop");
			if (daos_eq_poll(l.eqh, 0, DAOS_EQ_WAIT, 32, outs) != 32)
				die("daos_eq_poll: short batch");
		});
		lib_close(&l);
	}
	lib_k1 = lib_round_trip_with(1, iters);
	lib_k100000 = lib_round_trip_with(100000, iters);
	scale1 = scaling(1, iters);
	scale2 = scaling(2, iters);
	/* Last: closing the file leaves the module aborting these events in
	 * the background, which would slow whatever ran next. */
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
	row("libdaos poll refused at once (call floor)", lib_floor, "ns", NULL, 0);
	row("libdaos poll of an empty EQ (ring)", lib_empty, "ns", NULL, 0);
	row("libdaos no-op round trip", lib_rt, "ns", NULL, 0);
	row("libdaos 32 dispatched + one poll, per op", lib_batch32, "ns", NULL, 0);
	row("libdaos round trip, 1 in flight", lib_k1, "ns", NULL, 0);
	row("libdaos round trip, 100k in flight", lib_k100000, "ns", NULL, 0);
	row("libdaos round trips, 1 thread", scale1, "/us", NULL, 0);
	row("libdaos round trips, 2 threads (own EQs)", scale2, "/us", NULL, 0);
	(void)noop_only;
	printf("== ratios (targets: issue 9; raw ioctl rows without the ring) ==\n");
	row("empty poll / bare ioctl", lib_empty / bare, "x", "<=", 0.1);
	row("round trip / io_uring NOP (1)", lib_rt / uring1, "x", "<=", 1.0);
	row("round trip / bare ioctl", lib_rt / bare, "x", NULL, 0);
	row("32-batch per op / bare ioctl", lib_batch32 / bare, "x", "<=", 1.5);
	row("32-batch per op / io_uring NOP (32)", lib_batch32 / uring32, "x", NULL, 0);
	row("100k in flight / 1 in flight", lib_k100000 / lib_k1, "x", "<=", 2.0);
	row("refused libdaos call / bare ioctl", lib_floor / bare, "x", NULL, 0);
	row("raw ioctl: empty poll / bare ioctl", empty_poll / bare, "x", NULL, 0);
	row("raw ioctl: round trip / io_uring NOP (1)", rt / uring1, "x", NULL, 0);
	row("raw ioctl: 1k in flight / 1 in flight", k1000 / k1, "x", NULL, 0);
	row("2 threads / 1 thread, round trips", scale2 / scale1, "x", NULL, 0);
	return 0;
}
