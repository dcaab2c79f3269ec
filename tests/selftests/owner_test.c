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
#include "daos_selftest.h"

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

/* The owner, with a child that keeps the file. */
struct family {
	pid_t owner;
	pid_t child;
	struct made m;
};

/*
 * Forks the owner, which makes its objects and forks a child that keeps the
 * inherited file until the test writes to `go[1]`, then runs `then` and
 * exits with its result. The owner exits at once; the test waits for it
 * (and, as a subreaper, can wait for the orphaned child).
 */
static int start_family(struct family *f, int go[2], int (*then)(const struct family *))
{
	int out[2], status;
	pid_t owner;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || pipe(out) || pipe(go))
		return -1;
	owner = fork();
	if (owner == 0) {
		struct family mine = { .owner = getpid() };
		char c;

		if (make(&mine.m))
			_exit(1);
		mine.child = fork();
		if (mine.child == 0)
			_exit(read(go[0], &c, 1) == 1 ? then(&mine) : 2);
		_exit(write(out[1], &mine, sizeof(mine)) == sizeof(mine) ? 0 : 3);
	}
	if (owner < 0 || read(out[0], f, sizeof(*f)) != sizeof(*f))
		return -1;
	if (waitpid(owner, &status, 0) != owner || status)
		return -1;
	return 0;
}

/* Lets the child go on; its exit status. */
static int finish_family(const struct family *f, int go[2])
{
	int status;

	if (write(go[1], "x", 1) != 1 || waitpid(f->child, &status, 0) != f->child || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int uses_the_inherited_file(const struct family *f)
{
	return not_ebadf(&f->m) ? 3 : 0;
}

TEST(the_owners_exit_releases_everything_while_a_child_holds_the_file)
{
	struct family f;
	int go[2];

	ASSERT_EQ(0, start_family(&f, go, uses_the_inherited_file));
	/* The owner is gone; its child still holds the file. */
	EXPECT_EQ(1, fdinfo(f.child, f.m.fd, "daos_eqs") == 0) {
		TH_LOG("the child's copy still holds %ld EQs", fdinfo(f.child, f.m.fd, "daos_eqs"));
	}
	/* Its hour-long no-op was cancelled then, not when the child goes. */
	for (int i = 0; i < 300 && daos_operations() > 0; i++)
		usleep(10000);
	EXPECT_EQ(0, daos_operations());
	EXPECT_EQ(0, finish_family(&f, go));
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

static int takes_the_owners_pid(const struct family *f)
{
	pid_t again = clone_with_pid(f->owner), got;
	int status;

	if (again < 0)
		return errno == EEXIST ? 4 : 5;
	if (again == 0)
		_exit(getpid() == f->owner && !not_ebadf(&f->m) ? 0 : 6);
	got = waitpid(again, &status, 0);
	return got == again && WIFEXITED(status) ? WEXITSTATUS(status) : 7;
}

TEST(a_recycled_pid_does_not_regain_the_owners_handles)
{
	struct family f;
	int go[2];

	/* start_family reaped the owner: its pid is free for a new process. */
	ASSERT_EQ(0, start_family(&f, go, takes_the_owners_pid));
	EXPECT_EQ(0, finish_family(&f, go)) {
		TH_LOG("4: pid taken, 5: clone3 failed, 6: the recycled pid used the handles");
	}
}

TEST_HARNESS_MAIN
