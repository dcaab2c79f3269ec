// SPDX-License-Identifier: GPL-2.0
/*
 * Blocking calls and signals, as for ppoll() and nanosleep(), each test for
 * an untimed poll, a timed poll and a synchronous no-op:
 *  - a stop and continue (SIGSTOP/SIGCONT), or a cgroup freeze and thaw, is
 *    invisible: the call goes on, and a timed one keeps its deadline;
 *  - a handled signal interrupts an untimed wait with -EINTR unless the
 *    handler has SA_RESTART, then the wait goes on;
 *  - a handled signal interrupts a timed wait (a poll with a timeout, a
 *    synchronous no-op) with -EINTR, whatever SA_RESTART says.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <daos.h>

#include "kselftest_harness.h"
#include "daos_selftest.h"

static atomic_int handled;

static void on_usr1(int sig)
{
	(void)sig;
	atomic_fetch_add(&handled, 1);
}

static void handle_usr1(int flags)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = flags };

	sigaction(SIGUSR1, &sa, NULL);
}

/*
 * A child process runs one blocking call and reports its result and how
 * long it took through a pipe; the parent stops, freezes or signals it.
 */
struct child {
	pid_t pid;
	int pipe;
};

struct report {
	int rc;
	int handled;
	uint64_t us;
};

enum call { POLL_FOREVER, POLL_TIMED, SYNC_NOOP };

/*
 * Timed calls last this long (µs); untimed ones end by a no-op of this
 * delay. A stop or freeze starts after 300 ms and lasts 300 ms, so a timed
 * call restarted with its whole time would take CALL_US + 600 ms; one that
 * kept its deadline takes CALL_US, give or take less than SLACK_US.
 */
#define CALL_US 1000000
#define SLACK_US 400000

static void run_call(enum call call, int out)
{
	struct report r = { 0 };
	daos_handle_t eqh;
	daos_event_t ev, *got;
	uint64_t t0;

	if (call != SYNC_NOOP) {
		if (daos_eq_create(&eqh) || daos_event_init(&ev, eqh, NULL))
			_exit(10);
		if (call == POLL_FOREVER && daos_noop(CALL_US, 0, &ev))
			_exit(11);
	}
	t0 = now_us();
	switch (call) {
	case POLL_FOREVER:
		r.rc = daos_eq_poll(eqh, 0, DAOS_EQ_WAIT, 1, &got);
		break;
	case POLL_TIMED:
		r.rc = daos_eq_poll(eqh, 0, CALL_US, 1, &got);
		break;
	case SYNC_NOOP:
		r.rc = daos_noop(CALL_US, 0, NULL);
		break;
	}
	r.us = now_us() - t0;
	r.handled = atomic_load(&handled);
	if (write(out, &r, sizeof(r)) != sizeof(r))
		_exit(12);
	_exit(0);
}

static struct child start(enum call call, int sa_flags, const char *cgroup)
{
	struct child c;
	int p[2];

	if (pipe(p))
		abort();
	c.pid = fork();
	if (c.pid == 0) {
		close(p[0]);
		if (cgroup) {
			char path[256];
			FILE *f;

			snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
			f = fopen(path, "w");
			if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f))
				_exit(13);
		}
		if (sa_flags >= 0)
			handle_usr1(sa_flags);
		run_call(call, p[1]);
	}
	close(p[1]);
	c.pipe = p[0];
	/* Let the call start and block. */
	usleep(300000);
	return c;
}

static struct report finish(struct __test_metadata *_metadata, struct child c)
{
	struct report r = { .rc = -1000 };
	int status;

	EXPECT_EQ(sizeof(r), read(c.pipe, &r, sizeof(r)));
	close(c.pipe);
	EXPECT_EQ(c.pid, waitpid(c.pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) TH_LOG("status %#x", status);
	return r;
}

static void stop_and_continue(pid_t pid)
{
	kill(pid, SIGSTOP);
	usleep(300000);
	kill(pid, SIGCONT);
}

/* cgroup v2 freezer: freezing sends every task a fake signal. */
#define CG "/sys/fs/cgroup/daos-freeze"

/* Waits until cgroup.events says frozen (1) or thawed (0). */
static int wait_frozen(int want)
{
	char buf[256];

	for (int i = 0; i < 500; i++) {
		FILE *f = fopen(CG "/cgroup.events", "r");
		int frozen = -1;

		if (!f)
			return -errno;
		while (fgets(buf, sizeof(buf), f))
			sscanf(buf, "frozen %d", &frozen);
		fclose(f);
		if (frozen == want)
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

/* Each test runs for each blocking call. */
FIXTURE(call) {
	int unused;
};

FIXTURE_VARIANT(call) {
	enum call call;
};

FIXTURE_VARIANT_ADD(call, untimed_poll) {
	.call = POLL_FOREVER,
};

FIXTURE_VARIANT_ADD(call, timed_poll) {
	.call = POLL_TIMED,
};

FIXTURE_VARIANT_ADD(call, synchronous_noop) {
	.call = SYNC_NOOP,
};

FIXTURE_SETUP(call)
{
	mkdir("/sys/fs/cgroup", 0755);
	mount("none", "/sys/fs/cgroup", "cgroup2", 0, NULL);	/* may be there already */
	ASSERT_EQ(0, mkdir(CG, 0755) ? -errno : 0) TH_LOG("cgroup2 at /sys/fs/cgroup: %s", strerror(errno));
}

FIXTURE_TEARDOWN(call)
{
	write_str(CG "/cgroup.freeze", "0");
	rmdir(CG);
}

/*
 * The call ended as if nothing had happened: an untimed poll got its event,
 * a timed call returned at its own deadline (not restarted with its whole
 * time).
 */
static void expect_uninterrupted(struct __test_metadata *_metadata, enum call call, struct report r)
{
	if (call == POLL_FOREVER) {
		EXPECT_EQ(1, r.rc) TH_LOG("the poll must go on and get the event");
		return;
	}
	EXPECT_EQ(0, r.rc);
	EXPECT_GE(r.us, CALL_US);
	EXPECT_LT(r.us, CALL_US + SLACK_US) TH_LOG("restarted with its whole time again");
}

/* The handler ran and the call returned -EINTR at once. */
static void expect_eintr(struct __test_metadata *_metadata, struct report r)
{
	EXPECT_EQ(1, r.handled);
	EXPECT_EQ(-EINTR, r.rc);
	EXPECT_LT(r.us, CALL_US);
}

TEST_F(call, a_stop_and_continue_is_invisible)
{
	struct child c = start(variant->call, -1, NULL);

	stop_and_continue(c.pid);
	expect_uninterrupted(_metadata, variant->call, finish(_metadata, c));
}

TEST_F(call, a_freeze_and_thaw_is_invisible)
{
	struct child c = start(variant->call, -1, CG);

	EXPECT_EQ(0, write_str(CG "/cgroup.freeze", "1"));
	EXPECT_EQ(0, wait_frozen(1));
	usleep(300000);
	EXPECT_EQ(0, write_str(CG "/cgroup.freeze", "0"));
	EXPECT_EQ(0, wait_frozen(0));
	expect_uninterrupted(_metadata, variant->call, finish(_metadata, c));
}

TEST_F(call, a_handler_with_sa_restart_restarts_only_an_untimed_wait)
{
	struct child c = start(variant->call, SA_RESTART, NULL);
	struct report r;

	kill(c.pid, SIGUSR1);
	r = finish(_metadata, c);
	if (variant->call == POLL_FOREVER) {
		EXPECT_EQ(1, r.handled);
		EXPECT_EQ(1, r.rc) TH_LOG("the poll must be restarted and get the event");
	} else {
		expect_eintr(_metadata, r);
	}
}

TEST_F(call, a_handler_without_sa_restart_interrupts)
{
	struct child c = start(variant->call, 0, NULL);

	kill(c.pid, SIGUSR1);
	expect_eintr(_metadata, finish(_metadata, c));
}

TEST_HARNESS_MAIN
