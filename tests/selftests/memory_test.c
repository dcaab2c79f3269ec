// SPDX-License-Identifier: GPL-2.0
/*
 * What an unprivileged opener can make the module allocate is bounded and
 * charged to its memory cgroup: event queues per open file are limited
 * (max_eqs_per_file, -EMFILE beyond), and events are charged, so a memory
 * cgroup's limit stops a process that creates them without end.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/daos.h>

#include "kselftest_harness.h"
#include "daos_selftest.h"


TEST(eqs_per_file_are_limited)
{
	long limit = read_long(DAOS_PARAM "max_eqs_per_file");
	struct daos_ioc_eq_create c = { 0 };
	struct daos_ioc_eq d = { 0 };
	int fd, other;
	long i;

	ASSERT_LT(0, limit) TH_LOG("max_eqs_per_file is not a module parameter");
	fd = open("/dev/daos", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	for (i = 0; i < limit; i++)
		ASSERT_EQ(0, ioc(fd, DAOS_IOC_EQ_CREATE, &c)) TH_LOG("EQ %ld", i);
	d.eqh = c.eqh;
	EXPECT_EQ(-EMFILE, ioc(fd, DAOS_IOC_EQ_CREATE, &c));
	/* The limit is per file, and a destroyed EQ makes room. */
	other = open("/dev/daos", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, other);
	EXPECT_EQ(0, ioc(other, DAOS_IOC_EQ_CREATE, &c));
	close(other);
	ASSERT_EQ(0, ioc(fd, DAOS_IOC_EQ_DESTROY, &d));
	EXPECT_EQ(0, ioc(fd, DAOS_IOC_EQ_CREATE, &c));
	EXPECT_EQ(-EMFILE, ioc(fd, DAOS_IOC_EQ_CREATE, &c));
	close(fd);
}

#define CG "/sys/fs/cgroup/daos-mem"

FIXTURE(memcg) {
	int dummy;
};

FIXTURE_SETUP(memcg)
{
	mkdir("/sys/fs/cgroup", 0755);
	mount("none", "/sys/fs/cgroup", "cgroup2", 0, NULL);	/* may be there already */
	ASSERT_EQ(0, write_str("/sys/fs/cgroup/cgroup.subtree_control", "+memory"));
	ASSERT_EQ(0, mkdir(CG, 0755) ? -errno : 0);
	ASSERT_EQ(0, write_str("/sys/fs/cgroup/daos-mem/memory.max", "16M"));
}

FIXTURE_TEARDOWN(memcg)
{
	rmdir(CG);
}

struct grown {
	long events;
	int rc;
};

/*
 * In a 16 MiB memory cgroup, a process initialises events until something
 * stops it: a million events take far more than 16 MiB, so the cgroup's
 * limit must stop it first (with -ENOMEM, or its OOM killer).
 */
TEST_F(memcg, events_are_charged_to_the_callers_memory_cgroup)
{
	long max = read_long(DAOS_PARAM "max_eq_events");
	struct grown g = { .events = -1 };
	int out[2], status;
	pid_t pid;

	ASSERT_LT(0, max);
	ASSERT_EQ(0, pipe(out));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct daos_ioc_eq_create c = { 0 };
		struct daos_ioc_event_init e = { .user = 0x1000 };
		char self[32];
		int fd;

		snprintf(self, sizeof(self), "%d\n", getpid());
		if (write_str("/sys/fs/cgroup/daos-mem/cgroup.procs", self))
			_exit(2);
		fd = open("/dev/daos", O_RDWR | O_CLOEXEC);
		if (fd < 0 || ioc(fd, DAOS_IOC_EQ_CREATE, &c))
			_exit(3);
		e.eqh = c.eqh;
		for (g.events = 0; g.events < max; g.events++) {
			g.rc = ioc(fd, DAOS_IOC_EVENT_INIT, &e);
			if (g.rc)
				break;
		}
		if (write(out[1], &g, sizeof(g)) != sizeof(g))
			_exit(4);
		_exit(0);
	}
	close(out[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (WIFSIGNALED(status)) {
		EXPECT_EQ(SIGKILL, WTERMSIG(status));
		TH_LOG("stopped by the memory cgroup's OOM killer");
	} else {
		ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) TH_LOG("status %#x", status);
		ASSERT_EQ(sizeof(g), read(out[0], &g, sizeof(g)));
		EXPECT_EQ(-ENOMEM, g.rc) TH_LOG("%ld events, the limit is %ld", g.events, max);
		EXPECT_LT(g.events, max);
	}
	close(out[0]);
}

TEST_HARNESS_MAIN
