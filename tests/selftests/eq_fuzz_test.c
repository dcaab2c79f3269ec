// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile input: 100k random ioctls (random commands, sizes, pointers,
 * handles, ids, flags and values, mixed with valid ones so that deep paths
 * are reached), and allocation failures injected by failslab into the EQ
 * and event paths. Pass means: only the documented errors, no hang, and a
 * clean guest log and kmemleak scan afterwards (checked by make check).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/daos.h>

#include "kselftest_harness.h"
#include "daos_selftest.h"
#include "daos_ioctl_errors.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static __u64 rnd(void)
{
	return xorshift(&rng);
}

static const unsigned int nrs[] = {
	DAOS_IOC_NR_VERSION, DAOS_IOC_NR_EQ_CREATE, DAOS_IOC_NR_EQ_DESTROY, DAOS_IOC_NR_EQ_POLL,
	DAOS_IOC_NR_EQ_QUERY, DAOS_IOC_NR_EQ_EVENTFD, DAOS_IOC_NR_EVENT_INIT, DAOS_IOC_NR_EVENT_FINI,
	DAOS_IOC_NR_EVENT_NEXT, DAOS_IOC_NR_EVENT_ABORT, DAOS_IOC_NR_NOOP,
};
static const unsigned int sizes[] = {
	sizeof(struct daos_version), sizeof(struct daos_ioc_eq_create), sizeof(struct daos_ioc_eq),
	sizeof(struct daos_ioc_eq_poll), sizeof(struct daos_ioc_eq_query),
	sizeof(struct daos_ioc_eq_eventfd), sizeof(struct daos_ioc_event_init),
	sizeof(struct daos_ioc_event), sizeof(struct daos_ioc_event_next),
	sizeof(struct daos_ioc_event), sizeof(struct daos_ioc_noop),
};
static const unsigned int dirs[] = {
	_IOC_READ, _IOC_READ | _IOC_WRITE, _IOC_WRITE, _IOC_READ | _IOC_WRITE, _IOC_WRITE, _IOC_WRITE,
	_IOC_READ | _IOC_WRITE, _IOC_WRITE, _IOC_READ | _IOC_WRITE, _IOC_WRITE, _IOC_READ | _IOC_WRITE,
};

#define POOL 16

struct fuzz {
	int fd;
	__u64 eqs[POOL];
	__u64 ids[POOL];
	char *buf;	/* a valid page for arrays */
	char *ro;	/* a read-only page */
	long page;
};

/* A plausible-or-hostile 64-bit value of a field. */
static __u64 field(struct fuzz *f)
{
	switch (rnd() % 10) {
	case 0: return 0;
	case 1: return rnd();
	case 2: return f->eqs[rnd() % POOL];
	case 3: return f->ids[rnd() % POOL];
	case 4: return (__u64)(unsigned long)f->buf;
	case 5: return (__u64)(unsigned long)f->ro;
	case 6: return rnd() % 70000;
	case 7: return (__u64)-1;
	case 8: return f->eqs[rnd() % POOL] ^ (1ULL << (rnd() % 64));
	default: return rnd() % 4;
	}
}

/*
 * Whether `err` is documented for `cmd`, called with `arg` (which holds the
 * structure when the call was given one): a synchronous no-op also returns
 * the error it was asked for.
 */
static int allowed(unsigned long cmd, const __u64 *arg, int err)
{
	if (err == ENOTTY)
		return 1;
	if (_IOC_TYPE(cmd) != DAOS_IOC_MAGIC)
		return 0;
	if (err == EINVAL || err == EFAULT || err == E2BIG)
		return 1;
	if (documented_error(_IOC_NR(cmd), err))
		return 1;
	if (_IOC_NR(cmd) == DAOS_IOC_NR_NOOP && arg && arg[0] == 0 && arg[1] == 0)
		return (int)arg[3] == -err;
	return 0;
}

TEST(random_ioctls)
{
	struct fuzz f = { 0 };
	__u64 arg[8], sent[8];
	int i, unexpected = 0, ok = 0;

	f.page = sysconf(_SC_PAGESIZE);
	f.fd = open("/dev/daos", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, f.fd);
	f.buf = mmap(NULL, 16 * f.page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f.ro = mmap(NULL, f.page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, f.buf);
	ASSERT_NE(MAP_FAILED, f.ro);
	for (i = 0; i < POOL; i++) {
		struct daos_ioc_eq_create c = { 0 };
		struct daos_ioc_event_init e = { .user = 0x1000 + i };

		ASSERT_EQ(0, ioctl(f.fd, DAOS_IOC_EQ_CREATE, &c));
		f.eqs[i] = c.eqh;
		e.eqh = f.eqs[i % 4];
		ASSERT_EQ(0, ioctl(f.fd, DAOS_IOC_EVENT_INIT, &e));
		f.ids[i] = e.id;
	}
	ticker(1);
	for (i = 0; i < 100000; i++) {
		unsigned int k = rnd() % 11, size = sizes[k], dir = dirs[k], nr = nrs[k];
		unsigned long cmd;
		void *p;
		int rc, j;

		switch (rnd() % 20) {
		case 0: size = rnd() % 64; break;
		case 1: dir = rnd() % 4; break;
		case 2: nr = rnd() % 256; break;
		}
		for (j = 0; j < 8; j++)
			arg[j] = field(&f);
		/* Keep synchronous no-ops and timeouts short most of the time. */
		if (nr == DAOS_IOC_NR_NOOP && rnd() % 4)
			arg[2] %= 2000;
		if (nr == DAOS_IOC_NR_EQ_POLL && rnd() % 4)
			arg[1] = rnd() % 3 - 1;
		switch (rnd() % 12) {
		case 0: p = NULL; break;
		case 1: p = f.ro; break;
		case 2: p = (void *)(unsigned long)rnd(); break;
		case 3: p = f.buf + 16 * f.page - 8; break;	/* straddles the end */
		default: p = arg; break;
		}
		cmd = _IOC(dir, rnd() % 50 ? DAOS_IOC_MAGIC : rnd() % 256, nr, size);
		memcpy(sent, arg, sizeof(sent));
		rc = ioctl(f.fd, cmd, p);
		if (rc >= 0) {
			ok++;
			/* Refill the pools from successful creations. */
			if (cmd == DAOS_IOC_EQ_CREATE && p == arg)
				f.eqs[rnd() % POOL] = arg[0];
			if (cmd == DAOS_IOC_EVENT_INIT && p == arg)
				f.ids[rnd() % POOL] = arg[3];
		} else if (!allowed(cmd, p == arg ? sent : NULL, errno)) {
			if (unexpected++ < 10)
				TH_LOG("cmd %#lx: unexpected errno %d", cmd, errno);
		}
	}
	ticker(0);
	EXPECT_EQ(0, unexpected);
	EXPECT_LT(1000, ok) TH_LOG("too few calls reached a success path");
	/* Closing with whatever is left in flight must clean up. */
	close(f.fd);
}

/*
 * Switches failure injection for this thread, through a file opened in
 * advance: opening one while failing would fail.
 */
static int make_it_fail(int fd, int on)
{
	return pwrite(fd, on ? "1" : "0", 1, 0) == 1 ? 0 : -1;
}

/*
 * Walks an allocation failure through the EQ paths: with a growing budget of
 * successful allocations (failslab "space"), every call either works or says
 * -ENOMEM, and everything is torn down cleanly afterwards.
 */
TEST(failslab_in_eq_paths)
{
	int budget, enomem = 0, other = 0;

	/* task-filter first: until then a failure could hit any task. */
	static const char *const setup[][2] = {
		{ "task-filter", "Y" }, { "verbose", "0" }, { "ignore-gfp-wait", "N" },
		{ "times", "-1" }, { "probability", "100" },
	};

	unsigned int k;
	int mif = open("/proc/thread-self/make-it-fail", O_WRONLY | O_CLOEXEC);

	ASSERT_LE(0, mif);

	for (k = 0; k < sizeof(setup) / sizeof(setup[0]); k++) {
		ASSERT_EQ(0, failslab_knob(setup[k][0], setup[k][1])) {
			TH_LOG("failslab/%s: %s", setup[k][0], strerror(errno));
		}
	}

	for (budget = 0; budget < 4096; budget += 64) {
		struct daos_ioc_eq_create c = { 0 };
		struct daos_ioc_event_init e[3] = { 0 };
		struct daos_ioc_noop n = { .delay_us = 1000 };
		struct daos_polled_event out[4];
		struct daos_ioc_eq_poll p = { .n = 4, .timeout_us = 100000,
					      .events = (__u64)(unsigned long)out };
		struct daos_ioc_eq d = { 0 };
		int fd = open("/dev/daos", O_RDWR | O_CLOEXEC);
		char space[32];
		int rcs[6], i, polled;

		ASSERT_LE(0, fd);
		snprintf(space, sizeof(space), "%d", budget);
		ASSERT_EQ(0, failslab_knob("space", space));
		ASSERT_EQ(0, make_it_fail(mif, 1));
		/* Each step runs only if what it needs exists; 1 = not tried. */
		for (i = 0; i < 6; i++)
			rcs[i] = 1;
		rcs[0] = ioctl(fd, DAOS_IOC_EQ_CREATE, &c) ? -errno : 0;
		for (i = 0; i < 3 && rcs[0] == 0; i++) {
			if (i && rcs[1])
				break;
			e[i].eqh = c.eqh;
			e[i].user = 0x100 + i;
			e[i].parent = i ? e[0].id : 0;
			rcs[1 + i] = ioctl(fd, DAOS_IOC_EVENT_INIT, &e[i]) ? -errno : 0;
		}
		/* Both children run, so that their parent completes. */
		n.eqh = c.eqh;
		for (i = 0; i < 2; i++) {
			if (rcs[2 + i] == 0) {
				n.id = e[1 + i].id;
				rcs[4 + i] = ioctl(fd, DAOS_IOC_NOOP, &n) ? -errno : 0;
			}
		}
		ASSERT_EQ(0, make_it_fail(mif, 0));
		for (i = 0; i < 6; i++) {
			if (rcs[i] == -ENOMEM)
				enomem++;
			else if (rcs[i] != 0 && rcs[i] != 1)
				other++;
		}
		/* Tear down: let the parent complete, poll it, destroy, close. */
		if (rcs[0] == 0) {
			int started = (rcs[4] == 0) + (rcs[5] == 0);
			int children = (rcs[2] == 0) + (rcs[3] == 0);

			if (started) {
				struct daos_ioc_event ab = { .eqh = c.eqh, .id = e[0].id };

				p.eqh = c.eqh;
				if (started < children)
					ioctl(fd, DAOS_IOC_EVENT_ABORT, &ab);
				polled = ioctl(fd, DAOS_IOC_EQ_POLL, &p);
				EXPECT_EQ(1, polled) {
					TH_LOG("budget %d: rcs %d %d %d %d %d %d", budget,
					       rcs[0], rcs[1], rcs[2], rcs[3], rcs[4], rcs[5]);
				}
			}
			d.eqh = c.eqh;
			EXPECT_EQ(0, ioctl(fd, DAOS_IOC_EQ_DESTROY, &d)) {
				TH_LOG("budget %d: %s", budget, strerror(errno));
			}
		}
		close(fd);
	}
	failslab_knob("probability", "0");
	failslab_knob("task-filter", "N");
	close(mif);
	EXPECT_LT(0, enomem) TH_LOG("no allocation failure was injected");
	EXPECT_EQ(0, other);
}

TEST_HARNESS_MAIN
