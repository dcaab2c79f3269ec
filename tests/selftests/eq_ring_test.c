// SPDX-License-Identifier: GPL-2.0
/*
 * The EQ completion ring (DAOS_FEATURE_EQ_RING): its layout and the
 * module's bookkeeping through the raw ABI (entries, head, cancelled
 * entries, overflow, indices a process corrupts, fork), and libdaos's
 * consumer (polls without a system call, many pollers on one EQ).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/daos.h>
#include <daos.h>

#include "kselftest_harness.h"
#include "daos_selftest.h"

/* One EQ with its ring mapped, through the raw ABI. */
struct raw {
	int fd;
	struct daos_ioc_eq_create c;
	struct daos_eq_ring *ring;
	struct daos_ring_entry *e;
	__u64 *ids;
	int n;
};

static int raw_open(struct raw *r, unsigned int entries, int events)
{
	memset(r, 0, sizeof(*r));
	r->fd = open("/dev/daos", O_RDWR | O_CLOEXEC);
	if (r->fd < 0)
		return -errno;
	r->c.ring_entries = entries;
	if (ioc(r->fd, DAOS_IOC_EQ_CREATE, &r->c))
		return -1;
	r->ring = mmap(NULL, r->c.ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, r->c.ring_offset);
	if (r->ring == MAP_FAILED)
		return -errno;
	r->e = (void *)((char *)r->ring + r->c.ring_entries_off);
	r->n = events;
	r->ids = calloc(events, sizeof(*r->ids));
	for (int i = 0; i < events; i++) {
		struct daos_ioc_event_init in = { .eqh = r->c.eqh, .user = 0x1000 + i };

		if (ioc(r->fd, DAOS_IOC_EVENT_INIT, &in))
			return -1;
		r->ids[i] = in.id;
	}
	return 0;
}

static void raw_close(struct raw *r)
{
	munmap(r->ring, r->c.ring_bytes);
	close(r->fd);
	free(r->ids);
}

/* A no-op on event i completing at once with `error`: 0 or -errno. */
static int raw_noop(struct raw *r, int i, int error)
{
	struct daos_ioc_noop n = { .eqh = r->c.eqh, .id = r->ids[i], .error = error };

	return ioc(r->fd, DAOS_IOC_NOOP, &n);
}

static int raw_count(struct raw *r, unsigned int mode)
{
	struct daos_ioc_eq_query q = { .eqh = r->c.eqh, .mode = mode };

	return ioctl(r->fd, DAOS_IOC_EQ_QUERY, &q);
}

/* Takes up to `max` entries as a consumer does; returns how many. */
static int raw_take(struct raw *r, struct daos_ring_entry *out, unsigned int max)
{
	__u32 head = __atomic_load_n(&r->ring->head, __ATOMIC_ACQUIRE);
	__u32 ready = __atomic_load_n(&r->ring->tail, __ATOMIC_ACQUIRE) - head;
	__u32 k = ready < max ? ready : max;

	for (__u32 i = 0; i < k; i++)
		out[i] = r->e[(head + i) & (r->c.ring_entries - 1)];
	if (k && !__atomic_compare_exchange_n(&r->ring->head, &head, head + k, 0, __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED))
		return -1;
	return k;
}

static int raw_poll(struct raw *r, struct daos_polled_event *out, unsigned int n)
{
	struct daos_ioc_eq_poll p = { .eqh = r->c.eqh, .events = (__u64)(uintptr_t)out, .n = n };

	return ioctl(r->fd, DAOS_IOC_EQ_POLL, &p);
}

TEST(the_ring_is_where_the_header_says)
{
	struct raw r;
	long page = sysconf(_SC_PAGESIZE);

	ASSERT_EQ(0, raw_open(&r, 100, 1));
	EXPECT_EQ(128, r.c.ring_entries) TH_LOG("rounded up to a power of two");
	EXPECT_EQ(page, r.c.ring_entries_off);
	EXPECT_EQ(page + ((128 * 16 + page - 1) / page) * page, r.c.ring_bytes);
	EXPECT_EQ(128, r.ring->entries);
	EXPECT_EQ(0, r.ring->tail);
	EXPECT_EQ(0, r.ring->flags);
	raw_close(&r);

	/* Sizes: the default, the bounds, and one too many. */
	ASSERT_EQ(0, raw_open(&r, 0, 0));
	EXPECT_EQ(DAOS_EQ_RING_DEFAULT, r.c.ring_entries);
	raw_close(&r);
	ASSERT_EQ(0, raw_open(&r, 1, 0));
	EXPECT_EQ(DAOS_EQ_RING_MIN, r.c.ring_entries);
	raw_close(&r);
	ASSERT_EQ(0, raw_open(&r, DAOS_EQ_RING_MAX, 0));
	EXPECT_EQ(DAOS_EQ_RING_MAX, r.c.ring_entries);
	raw_close(&r);
	{
		int fd = open("/dev/daos", O_RDWR);
		struct daos_ioc_eq_create c = { .ring_entries = DAOS_EQ_RING_MAX + 1 };

		EXPECT_EQ(-EINVAL, ioc(fd, DAOS_IOC_EQ_CREATE, &c));
		close(fd);
	}
}

/* The ABI 1.1 create (16 bytes) still works: the EQ gets the default ring,
 * which the ioctl poll uses. */
TEST(the_first_create_size_still_works)
{
	__u64 old[DAOS_IOC_EQ_CREATE_SIZE_VER0 / 8] = { 0 };
	unsigned long cmd = _IOC(_IOC_READ | _IOC_WRITE, DAOS_IOC_MAGIC, DAOS_IOC_NR_EQ_CREATE,
				 DAOS_IOC_EQ_CREATE_SIZE_VER0);
	struct daos_polled_event polled;
	struct daos_ioc_event_init in = { .user = 0x1000 };
	struct daos_ioc_noop n = { .error = -5 };
	struct daos_ioc_eq_poll p = { .events = (__u64)(uintptr_t)&polled, .n = 1 };
	int fd = open("/dev/daos", O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioc(fd, cmd, old));
	ASSERT_NE(0, old[0]);
	in.eqh = n.eqh = p.eqh = old[0];
	ASSERT_EQ(0, ioc(fd, DAOS_IOC_EVENT_INIT, &in));
	n.id = in.id;
	ASSERT_EQ(0, ioc(fd, DAOS_IOC_NOOP, &n));
	ASSERT_EQ(1, ioctl(fd, DAOS_IOC_EQ_POLL, &p));
	EXPECT_EQ(0x1000, polled.user);
	EXPECT_EQ(-5, polled.error);
	close(fd);
}

TEST(a_bad_mapping_is_refused)
{
	struct raw r;
	void *p;

	ASSERT_EQ(0, raw_open(&r, 64, 0));
	p = mmap(NULL, r.c.ring_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE, r.fd, r.c.ring_offset);
	EXPECT_EQ(MAP_FAILED, p) TH_LOG("private");
	p = mmap(NULL, r.c.ring_bytes + 4096, PROT_READ, MAP_SHARED, r.fd, r.c.ring_offset);
	EXPECT_EQ(MAP_FAILED, p) TH_LOG("too long");
	p = mmap(NULL, r.c.ring_bytes, PROT_READ, MAP_SHARED, r.fd, r.c.ring_offset + 4096);
	EXPECT_EQ(MAP_FAILED, p) TH_LOG("no EQ there");
	p = mmap(NULL, r.c.ring_bytes, PROT_READ | PROT_EXEC, MAP_SHARED, r.fd, r.c.ring_offset);
	EXPECT_EQ(MAP_FAILED, p) TH_LOG("executable");
	raw_close(&r);
}

TEST(completions_land_in_the_ring_until_the_head_passes_them)
{
	struct daos_ring_entry got[4];
	struct daos_polled_event polled[8];
	struct raw r;

	ASSERT_EQ(0, raw_open(&r, 64, 3));
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, raw_noop(&r, i, -i));
	ASSERT_EQ(3, r.ring->tail);
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(0x1000 + i, r.e[i].user);
		EXPECT_EQ(-i, r.e[i].error);
		EXPECT_EQ(i, r.e[i].seq);
	}
	/* Still waiting to be polled: counted, not dispatchable. */
	EXPECT_EQ(3, raw_count(&r, DAOS_EQ_QUERY_COMPLETED));
	EXPECT_EQ(-EBUSY, raw_noop(&r, 0, 0));
	/* Two taken in userspace: the module sees it at its next call. */
	ASSERT_EQ(2, raw_take(&r, got, 2));
	EXPECT_EQ(0x1000, got[0].user);
	EXPECT_EQ(1, raw_count(&r, DAOS_EQ_QUERY_COMPLETED));
	ASSERT_EQ(0, raw_noop(&r, 0, -7)) TH_LOG("polled from the ring: it may run again");
	/* The ioctl poll takes the rest from the ring, oldest first. */
	ASSERT_EQ(2, raw_poll(&r, polled, 8));
	EXPECT_EQ(0x1002, polled[0].user);
	EXPECT_EQ(0x1000, polled[1].user);
	EXPECT_EQ(-7, polled[1].error);
	EXPECT_EQ(4, r.ring->head) TH_LOG("the module advanced the head as a consumer");
	EXPECT_EQ(0, raw_count(&r, DAOS_EQ_QUERY_COMPLETED));
	raw_close(&r);
}

TEST(fini_of_an_unpolled_event_cancels_its_entry)
{
	struct daos_ring_entry got[4];
	struct daos_polled_event polled[4];
	struct daos_ioc_event fini;
	struct raw r;

	ASSERT_EQ(0, raw_open(&r, 64, 2));
	ASSERT_EQ(0, raw_noop(&r, 0, 0));
	ASSERT_EQ(0, raw_noop(&r, 1, 0));
	fini = (struct daos_ioc_event){ .eqh = r.c.eqh, .id = r.ids[0] };
	ASSERT_EQ(0, ioc(r.fd, DAOS_IOC_EVENT_FINI, &fini));
	EXPECT_EQ(0, r.e[0].user) TH_LOG("cancelled");
	EXPECT_EQ(0x1001, r.e[1].user);
	EXPECT_EQ(1, raw_count(&r, DAOS_EQ_QUERY_COMPLETED));
	ASSERT_EQ(1, raw_poll(&r, polled, 4)) TH_LOG("the cancelled entry is skipped");
	EXPECT_EQ(0x1001, polled[0].user);
	EXPECT_EQ(0, raw_take(&r, got, 4));
	raw_close(&r);
}

/* More completions than entries: the rest wait in the module (flag set),
 * and move into the ring as room appears; all arrive once, in order. */
TEST(an_overflowing_ring_loses_nothing)
{
	enum { N = 1000 };
	struct daos_ring_entry got[16];
	struct daos_polled_event polled[16];
	int next = 0, k;
	struct raw r;

	ASSERT_EQ(0, raw_open(&r, 64, N));
	for (int i = 0; i < N; i++)
		ASSERT_EQ(0, raw_noop(&r, i, -(i % 100)));
	EXPECT_EQ(64, r.ring->tail);
	EXPECT_EQ(DAOS_RING_OVERFLOW, r.ring->flags);
	EXPECT_EQ(N, raw_count(&r, DAOS_EQ_QUERY_COMPLETED));
	/* Take from the ring in userspace; when it is empty, any call lets
	 * the module refill it; every other round the ioctl poll takes some. */
	for (int round = 0; next < N; round++) {
		k = raw_take(&r, got, 16);
		ASSERT_LE(0, k);
		for (int j = 0; j < k; j++, next++) {
			ASSERT_EQ(0x1000 + next, got[j].user);
			ASSERT_EQ(-(next % 100), got[j].error);
		}
		if (k == 0) {
			ASSERT_EQ(N - next, raw_count(&r, DAOS_EQ_QUERY_COMPLETED));
			ASSERT_NE(r.ring->head, r.ring->tail) TH_LOG("refilled");
		}
		if (round % 2 && next < N) {
			k = raw_poll(&r, polled, 16);
			ASSERT_LT(0, k);
			for (int j = 0; j < k; j++, next++)
				ASSERT_EQ(0x1000 + next, polled[j].user);
		}
	}
	ASSERT_EQ(N, next);
	EXPECT_EQ(0, raw_count(&r, DAOS_EQ_QUERY_COMPLETED));
	EXPECT_EQ(0, r.ring->flags);
	EXPECT_EQ(0, raw_count(&r, DAOS_EQ_QUERY_COMPLETED));
	raw_close(&r);
}

/* Indices the process writes make no sense: the module stops the ring
 * and hands every event out through the ioctl, once. */
static void scribbled_head(struct __test_metadata *_metadata, __u32 (*scribble)(__u32 head, __u32 tail))
{
	struct daos_ring_entry got[4];
	struct daos_polled_event polled[16];
	int seen[12] = { 0 }, k, total = 0;
	struct raw r;

	ASSERT_EQ(0, raw_open(&r, 64, 12));
	for (int i = 0; i < 10; i++)
		ASSERT_EQ(0, raw_noop(&r, i, 0));
	ASSERT_EQ(3, raw_take(&r, got, 3));
	for (int j = 0; j < 3; j++)
		seen[got[j].user - 0x1000]++;
	/* The module learns of those at its next call (taken in userspace
	 * and never seen by the module, they would be handed out again). */
	ASSERT_EQ(7, raw_count(&r, DAOS_EQ_QUERY_COMPLETED));
	r.ring->head = scribble(r.ring->head, r.ring->tail);
	/* Garbage everywhere else the module writes, too: it never reads it. */
	r.ring->tail = 12345;
	r.ring->flags = ~0u;
	memset(r.e, 0xa5, 64 * sizeof(*r.e));
	ASSERT_EQ(0, raw_noop(&r, 10, 0));
	EXPECT_EQ(DAOS_RING_OVERFLOW | DAOS_RING_STOPPED, r.ring->flags);
	ASSERT_EQ(0, raw_noop(&r, 11, 0));
	while ((k = raw_poll(&r, polled, 16)) > 0) {
		for (int j = 0; j < k; j++)
			seen[polled[j].user - 0x1000]++;
		total += k;
	}
	EXPECT_EQ(0, k);
	EXPECT_EQ(9, total);
	for (int i = 0; i < 12; i++) {
		EXPECT_EQ(1, seen[i]) TH_LOG("event %d", i);
	}
	EXPECT_EQ(0, raw_count(&r, DAOS_EQ_QUERY_COMPLETED));
	/* And it goes on working, without the ring. */
	ASSERT_EQ(0, raw_noop(&r, 0, -5));
	ASSERT_EQ(1, raw_poll(&r, polled, 16));
	EXPECT_EQ(-5, polled[0].error);
	raw_close(&r);
}

static __u32 ahead_of_the_tail(__u32 head, __u32 tail)
{
	return tail + 1000;
}

static __u32 backwards(__u32 head, __u32 tail)
{
	return head - 2;
}

static __u32 far_behind(__u32 head, __u32 tail)
{
	return tail - 0x80000000u;
}

TEST(a_head_ahead_of_the_tail_stops_the_ring)
{
	scribbled_head(_metadata, ahead_of_the_tail);
}

TEST(a_head_moving_backwards_stops_the_ring)
{
	scribbled_head(_metadata, backwards);
}

TEST(a_head_far_behind_stops_the_ring)
{
	scribbled_head(_metadata, far_behind);
}

/* A child does not inherit the mapping, and cannot map its parent's ring. */
TEST(a_forked_child_cannot_use_the_ring)
{
	struct raw r;
	pid_t pid;
	int status;

	ASSERT_EQ(0, raw_open(&r, 64, 1));
	ASSERT_EQ(0, raw_noop(&r, 0, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		unsigned char vec[1];
		void *p;
		int bad = 0;

		/* Not mapped in the child: mincore fails with ENOMEM. */
		if (mincore(r.ring, 4096, vec) == 0 || errno != ENOMEM)
			bad |= 1;
		p = mmap(NULL, r.c.ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd, r.c.ring_offset);
		if (p != MAP_FAILED || errno != EBADF)
			bad |= 2;
		_exit(bad);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The parent's ring is untouched. */
	EXPECT_EQ(1, r.ring->tail);
	EXPECT_EQ(0x1000, r.e[0].user);
	raw_close(&r);
}

/* ---- through libdaos --------------------------------------------------- */

/* From here on the process makes no ioctl: each fails with ENOSYS. */
static int forbid_ioctl(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ioctl, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

/* In a child (the filter stays): completed events are polled, and empty
 * polls answered, with every ioctl refused. */
TEST(libdaos_polls_without_a_system_call)
{
	pid_t pid;
	int status;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		daos_handle_t eqh;
		daos_event_t ev[4], *out[4];
		int bad = 0;

		if (daos_eq_create(&eqh))
			_exit(10);
		for (int i = 0; i < 4; i++)
			if (daos_event_init(&ev[i], eqh, NULL) || daos_noop(0, -i, &ev[i]))
				_exit(11);
		if (forbid_ioctl())
			_exit(12);
		if (daos_eq_poll(eqh, 0, DAOS_EQ_NOWAIT, 4, out) != 4)
			bad |= 1;
		for (int i = 0; i < 4; i++)
			if (out[i] != &ev[i] || out[i]->ev_error != -i)
				bad |= 2;
		if (daos_eq_poll(eqh, 0, DAOS_EQ_NOWAIT, 4, out) != 0)
			bad |= 4;
		/* The proof that the filter works: an ioctl of libdaos fails. */
		if (daos_noop(0, 0, &ev[0]) != -ENOSYS)
			bad |= 8;
		_exit(bad);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST(libdaos_in_a_forked_child_does_not_take_the_parents_events)
{
	daos_handle_t eqh;
	daos_event_t ev, *out;
	pid_t pid;
	int status;

	ASSERT_EQ(0, daos_eq_create(&eqh));
	ASSERT_EQ(0, daos_event_init(&ev, eqh, NULL));
	ASSERT_EQ(0, daos_noop(0, -3, &ev));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(daos_eq_poll(eqh, 0, DAOS_EQ_NOWAIT, 1, &out) == -EBADF ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(1, daos_eq_poll(eqh, 0, DAOS_EQ_NOWAIT, 1, &out));
	EXPECT_EQ(&ev, out);
	EXPECT_EQ(-3, ev.ev_error);
	EXPECT_EQ(0, daos_event_fini(&ev));
	EXPECT_EQ(0, daos_eq_destroy(eqh));
}

/* Pollers asleep waiting for the EQ to go idle, while another thread takes
 * the completion from the ring in userspace: the module must learn it (the
 * ring's sleepers count) and wake them all. A lost wake-up hangs the test
 * (harness watchdog). Rounds make the userspace taker win at least once. */
struct idle_round {
	daos_handle_t eqh;
	atomic_int got;
};

static void *idle_sleeper(void *arg)
{
	struct idle_round *r = arg;
	daos_event_t *out;
	int n = daos_eq_poll(r->eqh, 1, DAOS_EQ_WAIT, 1, &out);

	if (n > 0)
		atomic_fetch_add(&r->got, n);
	return (void *)(long)(n < 0);
}

TEST(sleepers_wake_when_userspace_takes_the_last_event)
{
	enum { SLEEPERS = 3, ROUNDS = 20 };
	struct idle_round r = { 0 };
	daos_event_t ev, *out;
	int taken_in_userspace = 0;

	ASSERT_EQ(0, daos_eq_create(&r.eqh));
	ASSERT_EQ(0, daos_event_init(&ev, r.eqh, NULL));
	for (int round = 0; round < ROUNDS; round++) {
		pthread_t t[SLEEPERS];
		void *failed;

		atomic_store(&r.got, 0);
		ASSERT_EQ(0, daos_noop(20000, 0, &ev));
		for (int k = 0; k < SLEEPERS; k++)
			ASSERT_EQ(0, pthread_create(&t[k], NULL, idle_sleeper, &r));
		/* Take it from the ring as soon as it lands (unless a sleeper
		 * took it in the module first). */
		while (atomic_load(&r.got) == 0) {
			int n = daos_eq_poll(r.eqh, 0, DAOS_EQ_NOWAIT, 1, &out);

			ASSERT_LE(0, n);
			if (n == 1) {
				taken_in_userspace++;
				break;
			}
			if (daos_eq_query(r.eqh, DAOS_EVQ_ALL, 0, NULL) == 0)
				break;	/* a sleeper has it */
		}
		for (int k = 0; k < SLEEPERS; k++) {
			ASSERT_EQ(0, pthread_join(t[k], &failed));
			EXPECT_EQ(NULL, failed);
		}
	}
	TH_LOG("%d of %d rounds taken in userspace", taken_in_userspace, ROUNDS);
	EXPECT_LT(0, taken_in_userspace);
	EXPECT_EQ(0, daos_event_fini(&ev));
	EXPECT_EQ(0, daos_eq_destroy(r.eqh));
}

/* Many pollers on one EQ, each re-dispatching what it polls, until TOTAL
 * completions (more in flight than the default ring holds, so it overflows
 * too): every completion is delivered exactly once. Pollers block
 * (no timeout, waiting while anything is in flight) and leave when the EQ
 * goes idle at the end: a lost wake-up hangs the test (harness watchdog). */
enum { EVENTS = 400, TOTAL = 20000, POLLERS = 4 };	/* more events than the ring has entries */

struct storm {
	daos_handle_t eqh;
	daos_event_t ev[EVENTS];
	atomic_int dispatched[EVENTS];
	atomic_int delivered[EVENTS];
	atomic_int tickets;
	atomic_int failures;
};

static void *storm_poller(void *arg)
{
	struct storm *s = arg;
	daos_event_t *out[8];

	for (;;) {
		int n = daos_eq_poll(s->eqh, 1, DAOS_EQ_WAIT, 8, out);

		if (n < 0) {
			atomic_fetch_add(&s->failures, 1);
			return NULL;
		}
		if (n == 0) {
			if (atomic_load(&s->tickets) >= TOTAL)
				return NULL;
			continue;
		}
		for (int j = 0; j < n; j++) {
			int i = out[j] - s->ev;

			if (i < 0 || i >= EVENTS || out[j]->ev_error != -(i % 7)) {
				atomic_fetch_add(&s->failures, 1);
				continue;
			}
			atomic_fetch_add(&s->delivered[i], 1);
			if (atomic_fetch_add(&s->tickets, 1) < TOTAL) {
				atomic_fetch_add(&s->dispatched[i], 1);
				if (daos_noop(0, -(i % 7), out[j]))
					atomic_fetch_add(&s->failures, 1);
			}
		}
	}
}

FIXTURE(storm_eq) {
	int unused;
};

FIXTURE_SETUP(storm_eq)
{
}

FIXTURE_TEARDOWN(storm_eq)
{
}

TEST_F_TIMEOUT(storm_eq, many_pollers_get_each_completion_once, 300)
{
	static struct storm s;
	pthread_t t[POLLERS];
	long delivered = 0;

	memset(&s, 0, sizeof(s));
	ASSERT_EQ(0, daos_eq_create(&s.eqh));
	for (int i = 0; i < EVENTS; i++)
		ASSERT_EQ(0, daos_event_init(&s.ev[i], s.eqh, NULL));
	for (int k = 0; k < POLLERS; k++)
		ASSERT_EQ(0, pthread_create(&t[k], NULL, storm_poller, &s));
	atomic_store(&s.tickets, EVENTS);
	for (int i = 0; i < EVENTS; i++) {
		atomic_store(&s.dispatched[i], 1);
		ASSERT_EQ(0, daos_noop(0, -(i % 7), &s.ev[i]));
	}
	for (int k = 0; k < POLLERS; k++)
		ASSERT_EQ(0, pthread_join(t[k], NULL));
	EXPECT_EQ(0, atomic_load(&s.failures));
	for (int i = 0; i < EVENTS; i++) {
		EXPECT_EQ(atomic_load(&s.dispatched[i]), atomic_load(&s.delivered[i])) TH_LOG("event %d", i);
		delivered += atomic_load(&s.delivered[i]);
	}
	EXPECT_EQ(TOTAL, delivered);
	EXPECT_EQ(0, daos_eq_query(s.eqh, DAOS_EVQ_ALL, 0, NULL));
	for (int i = 0; i < EVENTS; i++)
		EXPECT_EQ(0, daos_event_fini(&s.ev[i]));
	EXPECT_EQ(0, daos_eq_destroy(s.eqh));
}

TEST_HARNESS_MAIN
