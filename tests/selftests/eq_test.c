// SPDX-License-Identifier: GPL-2.0
/*
 * Event queues and events through the libdaos C API: every call's success
 * and error paths, parents and children, ordering, limits, threads, signals,
 * process death, fork and eventfd.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <daos.h>

#include "kselftest_harness.h"
#include "daos_selftest.h"

static void set_param(const char *name, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), DAOS_PARAM "%s", name);
	write_str(path, value);
}

FIXTURE(eq) {
	daos_handle_t eqh;
};

FIXTURE_SETUP(eq)
{
	ASSERT_EQ(0, daos_eq_create(&self->eqh));
}

FIXTURE_TEARDOWN(eq)
{
	/* Tests leave nothing in flight; the EQ may already be gone. */
	int rc = daos_eq_destroy(self->eqh);

	if (rc != 0 && rc != -EBADF)
		TH_LOG("teardown: daos_eq_destroy: %d", rc);
}

TEST(create_and_destroy)
{
	daos_handle_t a, b;

	ASSERT_EQ(0, daos_eq_create(&a));
	ASSERT_EQ(0, daos_eq_create(&b));
	EXPECT_NE(a.cookie, b.cookie);
	EXPECT_EQ(-EINVAL, daos_eq_create(NULL));
	EXPECT_EQ(0, daos_eq_destroy(a));
	EXPECT_EQ(-EBADF, daos_eq_destroy(a)) TH_LOG("destroyed handle is stale");
	EXPECT_EQ(0, daos_eq_destroy(b));
}

TEST(bad_handles_are_ebadf)
{
	daos_handle_t eqh, forged;
	daos_event_t ev;
	daos_event_t *evp;

	ASSERT_EQ(0, daos_eq_create(&eqh));
	EXPECT_EQ(-EBADF, daos_eq_destroy((daos_handle_t){ 0 }));
	EXPECT_EQ(-EBADF, daos_eq_destroy((daos_handle_t){ ~0ULL }));
	/* Same cookie and pid bits, another type (container). */
	forged.cookie = (eqh.cookie & ~(7ULL << 61)) | (2ULL << 61);
	EXPECT_EQ(-EBADF, daos_eq_destroy(forged));
	/* Same type and pid bits, the next cookie. */
	forged.cookie = eqh.cookie + 1;
	EXPECT_EQ(-EBADF, daos_eq_poll(forged, 0, DAOS_EQ_NOWAIT, 1, &evp));
	/* Another process's pid bits. */
	forged.cookie = eqh.cookie ^ (1ULL << 54);
	EXPECT_EQ(-EBADF, daos_event_init(&ev, forged, NULL));
	EXPECT_EQ(-EBADF, daos_eq_query(forged, DAOS_EVQ_ALL, 0, NULL));
	EXPECT_EQ(0, daos_eq_destroy(eqh));
}

TEST_F(eq, event_init_and_fini)
{
	daos_event_t ev;

	EXPECT_EQ(-EINVAL, daos_event_init(NULL, self->eqh, NULL));
	ASSERT_EQ(0, daos_event_init(&ev, self->eqh, NULL));
	EXPECT_EQ(0, daos_event_fini(&ev));
	EXPECT_EQ(-ENOENT, daos_event_fini(&ev)) TH_LOG("second fini");
	/* Re-init after fini is allowed. */
	ASSERT_EQ(0, daos_event_init(&ev, self->eqh, NULL));
	EXPECT_EQ(0, daos_event_fini(&ev));
	EXPECT_EQ(-EINVAL, daos_event_fini(NULL));
}

TEST_F(eq, noop_round_trip)
{
	daos_event_t ev;
	daos_event_t *out[4];

	ASSERT_EQ(0, daos_event_init(&ev, self->eqh, NULL));
	ASSERT_EQ(0, daos_noop(0, 0, &ev));
	ASSERT_EQ(1, daos_eq_poll(self->eqh, 0, DAOS_EQ_NOWAIT, 4, out));
	EXPECT_EQ(&ev, out[0]);
	EXPECT_EQ(0, ev.ev_error);
	EXPECT_EQ(0, daos_eq_poll(self->eqh, 0, DAOS_EQ_NOWAIT, 4, out)) TH_LOG("handed out once");
	/* The event can be reused, with an error this time. */
	ASSERT_EQ(0, daos_noop(0, -EIO, &ev));
	ASSERT_EQ(1, daos_eq_poll(self->eqh, 1, DAOS_EQ_WAIT, 4, out));
	EXPECT_EQ(-EIO, ev.ev_error);
	EXPECT_EQ(0, daos_event_fini(&ev));
}

TEST_F(eq, delayed_noop_and_timeouts)
{
	daos_event_t ev;
	daos_event_t *out[1];
	uint64_t t0;

	ASSERT_EQ(0, daos_event_init(&ev, self->eqh, NULL));
	ASSERT_EQ(0, daos_noop(50000, 0, &ev));
	EXPECT_EQ(0, daos_eq_poll(self->eqh, 0, DAOS_EQ_NOWAIT, 1, out));
	t0 = now_us();
	ASSERT_EQ(1, daos_eq_poll(self->eqh, 0, DAOS_EQ_WAIT, 1, out));
	EXPECT_GE(now_us() - t0, 30000) TH_LOG("completed too early");

	/* Nothing in flight: wait_inf returns at once, a timeout waits. */
	t0 = now_us();
	EXPECT_EQ(0, daos_eq_poll(self->eqh, 1, DAOS_EQ_WAIT, 1, out));
	EXPECT_LT(now_us() - t0, 1000000);
	t0 = now_us();
	EXPECT_EQ(0, daos_eq_poll(self->eqh, 0, 20000, 1, out));
	EXPECT_GE(now_us() - t0, 20000);
	EXPECT_EQ(0, daos_event_fini(&ev));
}

TEST_F(eq, short_noop_is_not_held_behind_long_one)
{
	daos_event_t slow, fast;
	daos_event_t *out[2];

	ASSERT_EQ(0, daos_event_init(&slow, self->eqh, NULL));
	ASSERT_EQ(0, daos_event_init(&fast, self->eqh, NULL));
	ASSERT_EQ(0, daos_noop(5000000, 0, &slow));
	ASSERT_EQ(0, daos_noop(1000, 0, &fast));
	ASSERT_EQ(1, daos_eq_poll(self->eqh, 0, 2000000, 2, out));
	EXPECT_EQ(&fast, out[0]);
	EXPECT_EQ(0, daos_event_abort(&slow));
	ASSERT_EQ(1, daos_eq_poll(self->eqh, 0, DAOS_EQ_WAIT, 2, out));
	EXPECT_EQ(&slow, out[0]);
	EXPECT_EQ(-EINTR, slow.ev_error);
	EXPECT_EQ(0, daos_event_fini(&slow));
	EXPECT_EQ(0, daos_event_fini(&fast));
}

TEST_F(eq, poll_argument_errors)
{
	daos_event_t *out[1];

	EXPECT_EQ(-EINVAL, daos_eq_poll(self->eqh, 0, 0, 0, out));
	EXPECT_EQ(-EINVAL, daos_eq_poll(self->eqh, 0, 0, 1, NULL));
	EXPECT_EQ(-EINVAL, daos_eq_poll(self->eqh, 0, -2, 1, out));
	EXPECT_EQ(-EINVAL, daos_eq_poll(self->eqh, 0, 0, 65537, out));
	EXPECT_EQ(-EINVAL, daos_eq_query(self->eqh, DAOS_EVQ_ALL, 65537, out));
	EXPECT_EQ(-EINVAL, daos_eq_query(self->eqh, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, daos_eq_query(self->eqh, 4, 0, NULL));
}

TEST(synchronous_noop)
{
	uint64_t t0 = now_us();

	EXPECT_EQ(0, daos_noop(10000, 0, NULL));
	EXPECT_GE(now_us() - t0, 10000);
	EXPECT_EQ(-ENOSPC, daos_noop(0, -ENOSPC, NULL));
	EXPECT_EQ(-EINVAL, daos_noop(0, 1, NULL));
	EXPECT_EQ(-EINVAL, daos_noop(0, -4096, NULL));
	EXPECT_EQ(-EINVAL, daos_noop(3600000001ULL, 0, NULL));
}

TEST_F(eq, busy_states)
{
	daos_event_t ev;
	daos_event_t *out[1];

	ASSERT_EQ(0, daos_event_init(&ev, self->eqh, NULL));
	ASSERT_EQ(0, daos_noop(10000000, 0, &ev));
	EXPECT_EQ(-EBUSY, daos_noop(0, 0, &ev)) TH_LOG("dispatch in flight");
	EXPECT_EQ(-EBUSY, daos_event_fini(&ev)) TH_LOG("fini in flight");
	EXPECT_EQ(-EBUSY, daos_eq_destroy(self->eqh)) TH_LOG("destroy with events in flight");
	ASSERT_EQ(0, daos_event_abort(&ev));
	EXPECT_EQ(0, daos_event_abort(&ev)) TH_LOG("second abort");
	/* Completed, not yet polled: busy for dispatch, fine for fini. */
	while (daos_eq_query(self->eqh, DAOS_EVQ_COMPLETED, 0, NULL) == 0)
		usleep(1000);
	EXPECT_EQ(-EBUSY, daos_noop(0, 0, &ev));
	EXPECT_EQ(0, daos_event_fini(&ev)) TH_LOG("fini of a completed, unpolled event");
	EXPECT_EQ(0, daos_eq_poll(self->eqh, 0, DAOS_EQ_NOWAIT, 1, out)) TH_LOG("removed silently");
	EXPECT_EQ(-EINVAL, daos_event_abort(NULL));
}

TEST(destroy_frees_idle_and_completed_events)
{
	daos_handle_t eqh;
	daos_event_t ev[3];

	ASSERT_EQ(0, daos_eq_create(&eqh));
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, daos_event_init(&ev[i], eqh, NULL));
	ASSERT_EQ(0, daos_noop(0, 0, &ev[1]));
	EXPECT_EQ(0, daos_eq_destroy(eqh));
	EXPECT_EQ(-ENOENT, daos_event_fini(&ev[0])) TH_LOG("the EQ is gone, its events with it");
}

TEST_F(eq, abort_gives_eintr)
{
	daos_event_t ev;
	daos_event_t *out[1];
	uint64_t t0;

	ASSERT_EQ(0, daos_event_init(&ev, self->eqh, NULL));
	EXPECT_EQ(-EINVAL, daos_event_abort(&ev)) TH_LOG("nothing dispatched");
	ASSERT_EQ(0, daos_noop(60000000, 0, &ev));
	t0 = now_us();
	ASSERT_EQ(0, daos_event_abort(&ev));
	ASSERT_EQ(1, daos_eq_poll(self->eqh, 0, DAOS_EQ_WAIT, 1, out));
	EXPECT_EQ(-EINTR, ev.ev_error);
	EXPECT_LT(now_us() - t0, 5000000) TH_LOG("abort did not cut the delay");
	/* Abort after completion is harmless. */
	ASSERT_EQ(0, daos_noop(0, 0, &ev));
	EXPECT_EQ(0, daos_event_abort(&ev));
	ASSERT_EQ(1, daos_eq_poll(self->eqh, 0, DAOS_EQ_WAIT, 1, out));
	EXPECT_EQ(0, ev.ev_error);
	EXPECT_EQ(0, daos_event_fini(&ev));
}

TEST_F(eq, parent_completes_after_children_first_error_wins)
{
	daos_event_t parent, child[3], grandchild;
	daos_event_t *out[4];
	daos_event_t *it;
	int i;

	ASSERT_EQ(0, daos_event_init(&parent, self->eqh, NULL));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, daos_event_init(&child[i], self->eqh, &parent));
	EXPECT_EQ(-EPERM, daos_noop(0, 0, &parent)) TH_LOG("parent dispatched directly");
	EXPECT_EQ(-EINVAL, daos_event_init(&grandchild, self->eqh, &child[0])) TH_LOG("grandchild");

	/* Children in init order. */
	it = NULL;
	for (i = 0; i < 3; i++) {
		it = daos_event_next(&parent, it);
		EXPECT_EQ(&child[i], it);
	}
	EXPECT_EQ(NULL, daos_event_next(&parent, it));

	ASSERT_EQ(0, daos_noop(20000, 0, &child[0]));
	ASSERT_EQ(0, daos_noop(0, -EIO, &child[1]));
	EXPECT_EQ(1, daos_eq_query(self->eqh, DAOS_EVQ_INFLIGHT, 0, NULL)) TH_LOG("one parent, no children");
	ASSERT_EQ(0, daos_noop(0, -ENOSPC, &child[2]));
	EXPECT_EQ(0, daos_eq_poll(self->eqh, 0, DAOS_EQ_NOWAIT, 4, out)) TH_LOG("child 0 still runs");
	ASSERT_EQ(1, daos_eq_poll(self->eqh, 0, DAOS_EQ_WAIT, 4, out));
	EXPECT_EQ(&parent, out[0]);
	EXPECT_EQ(-EIO, parent.ev_error);

	/* Fini of the parent takes the children along. */
	EXPECT_EQ(0, daos_event_fini(&parent));
	EXPECT_EQ(-ENOENT, daos_event_fini(&child[1]));
}

TEST_F(eq, parent_abort)
{
	daos_event_t parent, child[2];
	daos_event_t *out[1];

	ASSERT_EQ(0, daos_event_init(&parent, self->eqh, NULL));
	ASSERT_EQ(0, daos_event_init(&child[0], self->eqh, &parent));
	ASSERT_EQ(0, daos_event_init(&child[1], self->eqh, &parent));
	ASSERT_EQ(0, daos_noop(60000000, 0, &child[0]));
	ASSERT_EQ(0, daos_event_abort(&parent));
	ASSERT_EQ(1, daos_eq_poll(self->eqh, 0, 10000000, 1, out));
	EXPECT_EQ(&parent, out[0]);
	EXPECT_EQ(-EINTR, parent.ev_error);
	EXPECT_EQ(0, daos_event_fini(&child[1])) TH_LOG("a child can leave on its own");
	EXPECT_EQ(0, daos_event_fini(&parent));
}

TEST_F(eq, thousand_events_fifo_poll_and_query)
{
	enum { N = 1000 };
	daos_event_t *ev = calloc(N, sizeof(*ev));
	daos_event_t **out = calloc(N, sizeof(*out));
	int i, got;

	ASSERT_NE(NULL, ev);
	for (i = 0; i < N; i++)
		ASSERT_EQ(0, daos_event_init(&ev[i], self->eqh, NULL));
	for (i = 0; i < N; i++)
		ASSERT_EQ(0, daos_noop(0, -(i % 100), &ev[i]));
	EXPECT_EQ(N, daos_eq_query(self->eqh, DAOS_EVQ_COMPLETED, 0, NULL));
	EXPECT_EQ(0, daos_eq_query(self->eqh, DAOS_EVQ_INFLIGHT, 0, NULL));
	ASSERT_EQ(N, daos_eq_query(self->eqh, DAOS_EVQ_ALL, N, out));
	for (i = 0; i < N; i++)
		ASSERT_EQ(&ev[i], out[i]) TH_LOG("query order at %d", i);
	EXPECT_EQ(10, daos_eq_query(self->eqh, DAOS_EVQ_ALL, 10, out));

	/* Poll in uneven batches: still completion order. */
	for (got = 0; got < N;) {
		int n = daos_eq_poll(self->eqh, 0, DAOS_EQ_NOWAIT, 77, out);

		ASSERT_GT(n, 0);
		for (i = 0; i < n; i++) {
			ASSERT_EQ(&ev[got + i], out[i]);
			ASSERT_EQ(-((got + i) % 100), out[i]->ev_error);
		}
		got += n;
	}
	for (i = 0; i < N; i++)
		ASSERT_EQ(0, daos_event_fini(&ev[i]));
	free(ev);
	free(out);
}

static void get_param(const char *name, char *value, int len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), DAOS_PARAM "%s", name);
	value[0] = 0;
	f = fopen(path, "r");
	if (f) {
		if (!fgets(value, len, f))
			value[0] = 0;
		fclose(f);
	}
}

/* Tests that change max_eq_events; the teardown puts it back, pass or fail. */
FIXTURE(limit) {
	daos_handle_t eqh;
	char saved[32];
};

FIXTURE_SETUP(limit)
{
	get_param("max_eq_events", self->saved, sizeof(self->saved));
	ASSERT_NE(0, self->saved[0]);
	ASSERT_EQ(0, daos_eq_create(&self->eqh));
}

FIXTURE_TEARDOWN(limit)
{
	set_param("max_eq_events", self->saved);
	daos_eq_destroy(self->eqh);
}

TEST_F(limit, event_limit_is_emfile)
{
	daos_event_t ev[17];
	int i;

	set_param("max_eq_events", "16");
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, daos_event_init(&ev[i], self->eqh, NULL));
	EXPECT_EQ(-EMFILE, daos_event_init(&ev[16], self->eqh, NULL));
	set_param("max_eq_events", self->saved);
	EXPECT_EQ(0, daos_event_init(&ev[16], self->eqh, NULL));
	for (i = 0; i < 17; i++)
		ASSERT_EQ(0, daos_event_fini(&ev[i]));
}

/* Initialising an initialised event replaces its kernel event: none leaks. */
TEST_F(limit, reinit_without_fini_does_not_leak)
{
	daos_event_t ev, busy, *out[1];
	int i;

	set_param("max_eq_events", "2");
	ASSERT_EQ(0, daos_event_init(&ev, self->eqh, NULL));
	for (i = 0; i < 5; i++)
		ASSERT_EQ(0, daos_event_init(&ev, self->eqh, NULL)) TH_LOG("round %d", i);
	ASSERT_EQ(0, daos_event_init(&busy, self->eqh, NULL)) TH_LOG("the limit counts one event, not six");
	/* An event in flight is not replaced. */
	ASSERT_EQ(0, daos_noop(3600000000ULL, 0, &busy));
	EXPECT_EQ(-EBUSY, daos_event_init(&busy, self->eqh, NULL));
	ASSERT_EQ(0, daos_event_abort(&busy));
	ASSERT_EQ(1, daos_eq_poll(self->eqh, 0, DAOS_EQ_WAIT, 1, out));
	EXPECT_EQ(&busy, out[0]);
	EXPECT_EQ(0, daos_event_fini(&ev));
}

/* Producer and consumers: every event reaches exactly one poller. */
#define PC_EVENTS 2000
#define PC_POLLERS 4

struct pc {
	daos_handle_t eqh;
	daos_event_t ev[PC_EVENTS];
	atomic_int seen[PC_EVENTS];
	atomic_int total;
	atomic_int bad;
};

static void *consumer(void *arg)
{
	struct pc *pc = arg;
	daos_event_t *out[16];

	while (atomic_load(&pc->total) < PC_EVENTS) {
		int n = daos_eq_poll(pc->eqh, 0, 100000, 16, out);

		if (n < 0) {
			atomic_fetch_add(&pc->bad, 1);
			break;
		}
		for (int i = 0; i < n; i++) {
			long idx = out[i] - pc->ev;

			if (idx < 0 || idx >= PC_EVENTS || out[i]->ev_error != 0)
				atomic_fetch_add(&pc->bad, 1);
			else
				atomic_fetch_add(&pc->seen[idx], 1);
		}
		atomic_fetch_add(&pc->total, n);
	}
	return NULL;
}

TEST(producer_and_blocking_consumers)
{
	struct pc *pc = calloc(1, sizeof(*pc));
	pthread_t th[PC_POLLERS];
	int i;

	ASSERT_NE(NULL, pc);
	ASSERT_EQ(0, daos_eq_create(&pc->eqh));
	for (i = 0; i < PC_EVENTS; i++)
		ASSERT_EQ(0, daos_event_init(&pc->ev[i], pc->eqh, NULL));
	for (i = 0; i < PC_POLLERS; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, consumer, pc));
	for (i = 0; i < PC_EVENTS; i++)
		ASSERT_EQ(0, daos_noop(i % 7 ? 0 : 1000 + i % 3000, 0, &pc->ev[i]));
	for (i = 0; i < PC_POLLERS; i++)
		pthread_join(th[i], NULL);
	EXPECT_EQ(0, atomic_load(&pc->bad));
	EXPECT_EQ(PC_EVENTS, atomic_load(&pc->total));
	for (i = 0; i < PC_EVENTS; i++)
		ASSERT_EQ(1, atomic_load(&pc->seen[i])) TH_LOG("event %d", i);
	for (i = 0; i < PC_EVENTS; i++)
		ASSERT_EQ(0, daos_event_fini(&pc->ev[i]));
	EXPECT_EQ(0, daos_eq_destroy(pc->eqh));
	free(pc);
}

static void on_usr1(int sig)
{
	(void)sig;
}

struct blocked {
	daos_handle_t eqh;
	int rc;
};

static void *blocked_poller(void *arg)
{
	struct blocked *b = arg;
	daos_event_t *out[1];

	b->rc = daos_eq_poll(b->eqh, 0, DAOS_EQ_WAIT, 1, out);
	return NULL;
}

TEST(signal_interrupts_blocking_poll)
{
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	struct blocked b = { .rc = 1 };
	pthread_t th;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, daos_eq_create(&b.eqh));
	ASSERT_EQ(0, pthread_create(&th, NULL, blocked_poller, &b));
	usleep(100000);
	pthread_kill(th, SIGUSR1);
	pthread_join(th, NULL);
	EXPECT_EQ(-EINTR, b.rc);
	EXPECT_EQ(0, daos_eq_destroy(b.eqh));
}

TEST(destroy_wakes_blocked_poller)
{
	struct blocked b = { .rc = 1 };
	pthread_t th;

	ASSERT_EQ(0, daos_eq_create(&b.eqh));
	ASSERT_EQ(0, pthread_create(&th, NULL, blocked_poller, &b));
	usleep(100000);
	ASSERT_EQ(0, daos_eq_destroy(b.eqh));
	pthread_join(th, NULL);
	EXPECT_EQ(-EBADF, b.rc);
}

/* A child with events in flight and a thread blocked in poll is killed. */
TEST(sigkill_with_events_in_flight)
{
	int ready[2];
	pid_t pid;
	int status;
	char c;

	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static daos_event_t ev[200];
		struct blocked b = { .rc = 1 };
		pthread_t th;

		if (daos_eq_create(&b.eqh))
			_exit(1);
		for (int i = 0; i < 200; i++) {
			if (daos_event_init(&ev[i], b.eqh, i >= 100 ? &ev[99] : NULL))
				_exit(2);
		}
		for (int i = 0; i < 99; i++)
			daos_noop(i % 2 ? 60000000 : 0, 0, &ev[i]);
		for (int i = 100; i < 200; i++)
			daos_noop(i % 2 ? 60000000 : 0, 0, &ev[i]);
		pthread_create(&th, NULL, blocked_poller, &b);
		write(ready[1], "x", 1);
		pause();
		_exit(3);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	usleep(100000);
	/* Its 99 minute-long no-ops run (as the module's count shows). */
	EXPECT_LE(99, daos_operations());
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	close(ready[0]);
	/*
	 * Its exit closed the file, which aborted every one of them: they end
	 * on the module's work queue at once, not in a minute. (The memory
	 * they leave is checked by kmemleak, and rmmod at the end of make
	 * check must not wait for any.)
	 */
	for (int i = 0; i < 300 && daos_operations() > 0; i++)
		usleep(10000);
	EXPECT_EQ(0, daos_operations()) TH_LOG("operations left running by the killed process");
}

TEST(fork_child_cannot_use_parent_handles)
{
	daos_handle_t eqh;
	daos_event_t ev;
	pid_t pid;
	int status;

	ASSERT_EQ(0, daos_eq_create(&eqh));
	ASSERT_EQ(0, daos_event_init(&ev, eqh, NULL));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		daos_handle_t mine;
		daos_event_t e2, *out[1];
		int fails = 0;

		/* The parent's handles are -EBADF, its events -ENOENT. */
		fails += daos_eq_destroy(eqh) != -EBADF;
		fails += daos_noop(0, 0, &ev) != -ENOENT;
		fails += daos_event_init(&e2, eqh, NULL) != -EBADF;
		/* Its own EQ works. */
		fails += daos_eq_create(&mine) != 0;
		fails += daos_event_init(&e2, mine, NULL) != 0;
		fails += daos_noop(0, 0, &e2) != 0;
		fails += daos_eq_poll(mine, 0, DAOS_EQ_WAIT, 1, out) != 1;
		fails += daos_event_fini(&e2) != 0;
		fails += daos_eq_destroy(mine) != 0;
		_exit(fails);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The parent's objects are untouched. */
	EXPECT_EQ(0, daos_event_fini(&ev));
	EXPECT_EQ(0, daos_eq_destroy(eqh));
}

TEST_F(eq, eventfd_wakes_epoll)
{
	struct epoll_event ee = { .events = EPOLLIN }, got;
	daos_event_t ev;
	daos_event_t *out[1];
	uint64_t count = 0;
	int efd, ep, pfd[2];

	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ASSERT_LE(0, efd);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ee));
	ASSERT_EQ(0, daos_eq_set_eventfd(self->eqh, efd));
	ASSERT_EQ(0, daos_event_init(&ev, self->eqh, NULL));
	ASSERT_EQ(0, daos_noop(20000, 0, &ev));
	EXPECT_EQ(0, epoll_wait(ep, &got, 1, 0)) TH_LOG("nothing completed yet");
	ASSERT_EQ(1, epoll_wait(ep, &got, 1, 5000));
	ASSERT_EQ(sizeof(count), read(efd, &count, sizeof(count)));
	EXPECT_EQ(1, count);
	EXPECT_EQ(1, daos_eq_poll(self->eqh, 0, DAOS_EQ_NOWAIT, 1, out));

	/* Unbind, then errors. */
	EXPECT_EQ(0, daos_eq_set_eventfd(self->eqh, -1));
	ASSERT_EQ(0, daos_noop(0, 0, &ev));
	EXPECT_EQ(0, epoll_wait(ep, &got, 1, 50));
	EXPECT_EQ(1, daos_eq_poll(self->eqh, 0, DAOS_EQ_NOWAIT, 1, out));
	EXPECT_EQ(-EBADF, daos_eq_set_eventfd(self->eqh, 9999));
	EXPECT_EQ(-EBADF, daos_eq_set_eventfd(self->eqh, -5));
	ASSERT_EQ(0, pipe(pfd));
	EXPECT_EQ(-EINVAL, daos_eq_set_eventfd(self->eqh, pfd[0])) TH_LOG("not an eventfd");
	close(pfd[0]);
	close(pfd[1]);
	EXPECT_EQ(0, daos_event_fini(&ev));
	close(ep);
	close(efd);
}

TEST_HARNESS_MAIN
