// SPDX-License-Identifier: GPL-2.0
/*
 * Who owns what an open /dev/daos holds: the process that opened it, by
 * identity rather than by pid. A forked child using the inherited file gets
 * -EBADF; the owner's exit releases everything at once even while a child
 * keeps the file open; and a new process that happens to get the owner's
 * recycled pid gains nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/daos.h>

#include "kselftest_harness.h"

static int ioc(int fd, unsigned long cmd, void *arg)
{
	int rc = ioctl(fd, cmd, arg);

	return rc < 0 ? -errno : rc;
}

/* What a process made: an EQ with an idle event and one in flight. */
struct made {
	int fd;
	__u64 eqh;
	__u64 idle;
	__u64 busy;
};

static int make(struct made *m)
{
	struct daos_ioc_eq_create c = { 0 };
	struct daos_ioc_event_init e = { .user = 0x1000 };
	struct daos_ioc_noop n = { .delay_us = 3600000000ULL };

	m->fd = open("/dev/daos", O_RDWR | O_CLOEXEC);
	if (m->fd < 0 || ioc(m->fd, DAOS_IOC_EQ_CREATE, &c))
		return -1;
	m->eqh = e.eqh = n.eqh = c.eqh;
	if (ioc(m->fd, DAOS_IOC_EVENT_INIT, &e))
		return -1;
	m->idle = e.id;
	if (ioc(m->fd, DAOS_IOC_EVENT_INIT, &e))
		return -1;
	m->busy = n.id = e.id;
	return ioc(m->fd, DAOS_IOC_NOOP, &n);
}

/* Uses `m`'s handles through `m->fd`: how many calls did not fail with EBADF. */
static int not_ebadf(const struct made *m)
{
	struct daos_ioc_eq d = { .eqh = m->eqh };
	struct daos_ioc_event ev = { .eqh = m->eqh, .id = m->idle };
	struct daos_ioc_event ab = { .eqh = m->eqh, .id = m->busy };
	struct daos_ioc_event_init e = { .eqh = m->eqh, .user = 0x2000 };
	struct daos_ioc_noop n = { .eqh = m->eqh, .id = m->idle };
	struct daos_polled_event out[1];
	struct daos_ioc_eq_poll p = { .eqh = m->eqh, .events = (__u64)(unsigned long)out, .n = 1 };
	struct daos_ioc_eq_query q = { .eqh = m->eqh, .mode = DAOS_EQ_QUERY_INFLIGHT };
	struct daos_ioc_eq_create c = { 0 };
	int fails = 0;

	fails += ioc(m->fd, DAOS_IOC_EQ_DESTROY, &d) != -EBADF;
	fails += ioc(m->fd, DAOS_IOC_EVENT_FINI, &ev) != -EBADF;
	fails += ioc(m->fd, DAOS_IOC_EVENT_ABORT, &ab) != -EBADF;
	fails += ioc(m->fd, DAOS_IOC_EVENT_INIT, &e) != -EBADF;
	fails += ioc(m->fd, DAOS_IOC_NOOP, &n) != -EBADF;
	fails += ioc(m->fd, DAOS_IOC_EQ_POLL, &p) != -EBADF;
	fails += ioc(m->fd, DAOS_IOC_EQ_QUERY, &q) != -EBADF;
	/* Nor can it make objects of its own in a file it does not own. */
	fails += ioc(m->fd, DAOS_IOC_EQ_CREATE, &c) != -EBADF;
	return fails;
}

TEST(a_forked_child_cannot_use_the_inherited_file)
{
	struct made m;
	struct daos_version v;
	pid_t pid;
	int status;

	ASSERT_EQ(0, make(&m));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(not_ebadf(&m) + 10 * (ioc(m.fd, DAOS_IOC_VERSION, &v) != 0));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("calls that were not -EBADF (+10: VERSION failed)");
	/* The owner's objects are untouched. */
	struct daos_ioc_event ab = { .eqh = m.eqh, .id = m.busy };
	EXPECT_EQ(0, ioc(m.fd, DAOS_IOC_EVENT_ABORT, &ab));
	close(m.fd);
}

/* Operations running in the module (debugfs), or -1. */
static long operations(void)
{
	FILE *f = fopen("/sys/kernel/debug/daos/operations", "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/* Reads the value of `key` in /proc/PID/fdinfo/FD, or -1. */
static long fdinfo(pid_t pid, int fd, const char *key)
{
	char path[64], line[256];
	size_t len = strlen(key);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", pid, fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':')
			v = strtol(line + len + 1, NULL, 0);
	fclose(f);
	return v;
}

/* The owner, with a child that keeps the file: both report over a pipe. */
struct family {
	pid_t owner;
	pid_t child;
	struct made m;
};

static void run_owner(int out, int go)
{
	struct family f = { .owner = getpid() };
	char c;

	if (make(&f.m))
		_exit(1);
	f.child = fork();
	if (f.child == 0) {
		/* Keeps the inherited file open until told to go on. */
		if (read(go, &c, 1) != 1)
			_exit(2);
		_exit(not_ebadf(&f.m) ? 3 : 0);
	}
	if (write(out, &f, sizeof(f)) != sizeof(f))
		_exit(4);
	_exit(0);
}

TEST(the_owners_exit_releases_everything_while_a_child_holds_the_file)
{
	int out[2], go[2], status;
	struct family f;
	pid_t owner;

	/* The owner's child outlives it and becomes ours, to wait for. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	ASSERT_EQ(0, pipe(out));
	ASSERT_EQ(0, pipe(go));
	owner = fork();
	ASSERT_LE(0, owner);
	if (owner == 0)
		run_owner(out[1], go[0]);
	ASSERT_EQ(sizeof(f), read(out[0], &f, sizeof(f)));
	ASSERT_EQ(owner, waitpid(owner, &status, 0));
	ASSERT_EQ(0, status);
	/* The owner is gone; its child still holds the file. */
	EXPECT_EQ(1, fdinfo(f.child, f.m.fd, "daos_eqs") == 0) {
		TH_LOG("the child's copy still holds %ld EQs", fdinfo(f.child, f.m.fd, "daos_eqs"));
	}
	/* Its hour-long no-op was cancelled then, not when the child goes. */
	for (int i = 0; i < 300 && operations() > 0; i++)
		usleep(10000);
	EXPECT_EQ(0, operations());
	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(f.child, waitpid(f.child, &status, 0));
	EXPECT_EQ(0, status);
}

/*
 * The owner exits, its pid is given to a new process (clone3 with set_tid)
 * that inherits the file: the pid is the owner's, the process is not.
 */
static pid_t clone_with_pid(pid_t pid)
{
	struct clone_args args = {
		.exit_signal = SIGCHLD,
		.set_tid = (__u64)(unsigned long)&pid,
		.set_tid_size = 1,
	};

	return syscall(SYS_clone3, &args, sizeof(args));
}

TEST(a_recycled_pid_does_not_regain_the_owners_handles)
{
	int out[2], go[2], status;
	struct family f;
	pid_t owner;

	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	ASSERT_EQ(0, pipe(out));
	ASSERT_EQ(0, pipe(go));
	owner = fork();
	ASSERT_LE(0, owner);
	if (owner == 0) {
		struct family mine = { .owner = getpid() };

		if (make(&mine.m))
			_exit(1);
		mine.child = fork();
		if (mine.child == 0) {
			pid_t again, got;
			char c;

			if (read(go[0], &c, 1) != 1)
				_exit(2);
			again = clone_with_pid(mine.owner);
			if (again < 0)
				_exit(errno == EEXIST ? 4 : 5);
			if (again == 0)
				_exit(getpid() == mine.owner && !not_ebadf(&mine.m) ? 0 : 6);
			got = waitpid(again, &status, 0);
			_exit(got == again && WIFEXITED(status) ? WEXITSTATUS(status) : 7);
		}
		if (write(out[1], &mine, sizeof(mine)) != sizeof(mine))
			_exit(3);
		_exit(0);
	}
	ASSERT_EQ(sizeof(f), read(out[0], &f, sizeof(f)));
	ASSERT_EQ(owner, waitpid(owner, &status, 0));
	ASSERT_EQ(0, status);
	/* The owner is reaped: its pid is free for the grandchild to take. */
	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(f.child, waitpid(f.child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("4: pid taken, 5: clone3 failed, 6: the recycled pid used the handles");
	}
}

TEST_HARNESS_MAIN
