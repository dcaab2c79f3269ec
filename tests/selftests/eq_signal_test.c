// SPDX-License-Identifier: GPL-2.0
/*
 * Blocking calls and signals, as for ppoll() and nanosleep():
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

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

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

TEST(stop_and_continue_does_not_interrupt_an_untimed_poll)
{
	struct child c = start(POLL_FOREVER, -1, NULL);
	struct report r;

	stop_and_continue(c.pid);
	r = finish(_metadata, c);
	EXPECT_EQ(1, r.rc) TH_LOG("the poll must go on and get the event");
}

TEST(stop_and_continue_does_not_interrupt_a_timed_poll_nor_move_its_deadline)
{
	struct child c = start(POLL_TIMED, -1, NULL);
	struct report r;

	stop_and_continue(c.pid);
	r = finish(_metadata, c);
	EXPECT_EQ(0, r.rc);
	EXPECT_GE(r.us, CALL_US);
	EXPECT_LT(r.us, CALL_US + SLACK_US) TH_LOG("restarted with its whole timeout again");
}

TEST(stop_and_continue_does_not_interrupt_a_synchronous_noop)
{
	struct child c = start(SYNC_NOOP, -1, NULL);
	struct report r;

	stop_and_continue(c.pid);
	r = finish(_metadata, c);
	EXPECT_EQ(0, r.rc);
	EXPECT_GE(r.us, CALL_US);
	EXPECT_LT(r.us, CALL_US + SLACK_US) TH_LOG("slept its whole delay again");
}

TEST(sa_restart_restarts_an_untimed_poll)
{
	struct child c = start(POLL_FOREVER, SA_RESTART, NULL);
	struct report r;

	kill(c.pid, SIGUSR1);
	r = finish(_metadata, c);
	EXPECT_EQ(1, r.handled);
	EXPECT_EQ(1, r.rc) TH_LOG("the poll must be restarted and get the event");
}

TEST(a_handler_without_sa_restart_interrupts_an_untimed_poll)
{
	struct child c = start(POLL_FOREVER, 0, NULL);
	struct report r;

	kill(c.pid, SIGUSR1);
	r = finish(_metadata, c);
	EXPECT_EQ(1, r.handled);
	EXPECT_EQ(-EINTR, r.rc);
}

TEST(a_handler_interrupts_a_timed_poll_even_with_sa_restart)
{
	struct child c = start(POLL_TIMED, SA_RESTART, NULL);
	struct report r;

	kill(c.pid, SIGUSR1);
	r = finish(_metadata, c);
	EXPECT_EQ(1, r.handled);
	EXPECT_EQ(-EINTR, r.rc);
	EXPECT_LT(r.us, CALL_US);
}

TEST(a_handler_interrupts_a_synchronous_noop_even_with_sa_restart)
{
	struct child c = start(SYNC_NOOP, SA_RESTART, NULL);
	struct report r;

	kill(c.pid, SIGUSR1);
	r = finish(_metadata, c);
	EXPECT_EQ(1, r.handled);
	EXPECT_EQ(-EINTR, r.rc);
	EXPECT_LT(r.us, CALL_US);
}

/* cgroup v2 freezer: freezing sends every task a fake signal. */
static const char *const CG = "/sys/fs/cgroup/daos-freeze";

static int put(const char *dir, const char *file, const char *value)
{
	char path[256];
	int fd, rc;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	rc = write(fd, value, strlen(value)) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

/* Waits until cgroup.events says frozen (1) or thawed (0). */
static int wait_frozen(int want)
{
	char path[256], buf[256];

	snprintf(path, sizeof(path), "%s/cgroup.events", CG);
	for (int i = 0; i < 500; i++) {
		FILE *f = fopen(path, "r");
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

FIXTURE(freezer) {
	int ok;
};

FIXTURE_SETUP(freezer)
{
	mkdir("/sys/fs/cgroup", 0755);
	mount("none", "/sys/fs/cgroup", "cgroup2", 0, NULL);	/* may be there already */
	ASSERT_EQ(0, mkdir(CG, 0755) ? -errno : 0) TH_LOG("cgroup2 at /sys/fs/cgroup: %s", strerror(errno));
}

FIXTURE_TEARDOWN(freezer)
{
	put(CG, "cgroup.freeze", "0");
	rmdir(CG);
}

static struct report freeze_and_thaw(struct __test_metadata *_metadata, enum call call)
{
	struct child c = start(call, -1, CG);

	EXPECT_EQ(0, put(CG, "cgroup.freeze", "1"));
	EXPECT_EQ(0, wait_frozen(1));
	usleep(300000);
	EXPECT_EQ(0, put(CG, "cgroup.freeze", "0"));
	EXPECT_EQ(0, wait_frozen(0));
	return finish(_metadata, c);
}

TEST_F(freezer, freezing_does_not_interrupt_an_untimed_poll)
{
	struct report r = freeze_and_thaw(_metadata, POLL_FOREVER);

	EXPECT_EQ(1, r.rc);
}

TEST_F(freezer, freezing_does_not_interrupt_a_timed_poll)
{
	struct report r = freeze_and_thaw(_metadata, POLL_TIMED);

	EXPECT_EQ(0, r.rc);
	EXPECT_GE(r.us, CALL_US);
	EXPECT_LT(r.us, CALL_US + SLACK_US);
}

TEST_F(freezer, freezing_does_not_interrupt_a_synchronous_noop)
{
	struct report r = freeze_and_thaw(_metadata, SYNC_NOOP);

	EXPECT_EQ(0, r.rc);
	EXPECT_GE(r.us, CALL_US);
	EXPECT_LT(r.us, CALL_US + SLACK_US);
}

TEST_HARNESS_MAIN
