// SPDX-License-Identifier: GPL-2.0
/*
 * libdaos through its C API: the shared library, its header and its device
 * handling (lazy open, fork).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/daos.h>
#include <daos.h>

#include "kselftest_harness.h"

TEST(version_matches_the_header)
{
	uint32_t major = 0, minor = ~0u;
	uint64_t features = 0;

	ASSERT_EQ(0, daos_version(&major, &minor, &features));
	EXPECT_EQ(DAOS_ABI_MAJOR, major);
	EXPECT_EQ(DAOS_ABI_MINOR, minor);
	EXPECT_NE(0, features & DAOS_FEATURE_VERSION);
}

TEST(version_accepts_null_outputs)
{
	EXPECT_EQ(0, daos_version(NULL, NULL, NULL));
}

TEST(forked_child_uses_its_own_device)
{
	pid_t pid;
	int status;

	ASSERT_EQ(0, daos_version(NULL, NULL, NULL));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(daos_version(NULL, NULL, NULL) == 0 ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The parent's device is untouched by the child's reopen. */
	EXPECT_EQ(0, daos_version(NULL, NULL, NULL));
}

TEST(event_is_the_seed_layout)
{
	daos_event_t ev;

	EXPECT_EQ(64, sizeof(ev));
	EXPECT_EQ(7, sizeof(ev.ev_private.space) / sizeof(ev.ev_private.space[0]));
	EXPECT_EQ(8, sizeof(daos_handle_t));
}

/* Whether this process has /dev/daos open, on any descriptor. */
static int holds_device(void)
{
	char path[300], target[64];
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");
	int found = 0;

	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", d->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = 0;
			found |= !strcmp(target, "/dev/daos");
		}
	}
	closedir(dir);
	return found;
}

static void *first_call(void *arg)
{
	(void)arg;
	daos_version(NULL, NULL, NULL);
	return NULL;
}

/*
 * A fork while another thread makes the process's first libdaos call: the
 * child must neither hang on its own first call (fork handlers registered
 * half-way) nor inherit the descriptor that thread was opening.
 */
TEST(fork_during_the_first_call_neither_hangs_nor_leaks)
{
	int hung = 0, leaked = 0, failed = 0;

	for (int run = 0; run < 30; run++) {
		pid_t fresh = fork();
		int status;

		ASSERT_LE(0, fresh);
		if (fresh == 0) {
			/* A process that has not called libdaos yet. */
			pthread_t th;
			pid_t child;

			pthread_create(&th, NULL, first_call, NULL);
			usleep(run * 20);
			child = fork();
			if (child == 0) {
				int leak = holds_device() == 1;

				alarm(5);
				_exit(daos_version(NULL, NULL, NULL) ? 2 : leak ? 3 : 0);
			}
			pthread_join(th, NULL);
			if (waitpid(child, &status, 0) != child)
				_exit(4);
			_exit(WIFSIGNALED(status) ? 1 : WEXITSTATUS(status));
		}
		ASSERT_EQ(fresh, waitpid(fresh, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		hung += WEXITSTATUS(status) == 1;
		failed += WEXITSTATUS(status) == 2 || WEXITSTATUS(status) == 4;
		leaked += WEXITSTATUS(status) == 3;
	}
	EXPECT_EQ(0, hung) TH_LOG("children whose first call hung");
	EXPECT_EQ(0, leaked) TH_LOG("children that inherited the half-opened device");
	EXPECT_EQ(0, failed);
}

/*
 * What a fresh process's first call returns after `setup` (which returns
 * non-zero if it could not set things up: reported as 100).
 */
static int first_call_in_child(int (*setup)(void))
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(setup() ? 100 : -daos_version(NULL, NULL, NULL));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* A private /dev without the node: as if the module were not loaded. */
static int hide_the_device(void)
{
	return unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	       mount("none", "/dev", "tmpfs", 0, NULL);
}

static int become_nobody(void)
{
	return setgid(65534) || setuid(65534);
}

static int use_up_descriptors(void)
{
	struct rlimit r = { 16, 16 };

	if (setrlimit(RLIMIT_NOFILE, &r))
		return -1;
	while (dup(0) >= 0)
		;
	return 0;
}

/* Why the device cannot be opened is told apart, by results no call uses
 * for anything else. */
TEST(a_missing_module_is_enodev)
{
	EXPECT_EQ(ENODEV, first_call_in_child(hide_the_device));
}

TEST(no_permission_for_the_device_is_eacces)
{
	/* An administrator may restrict the node (a udev rule). */
	ASSERT_EQ(0, chmod("/dev/daos", 0600));
	EXPECT_EQ(EACCES, first_call_in_child(become_nobody));
	ASSERT_EQ(0, chmod("/dev/daos", 0666));
}

TEST(no_descriptor_left_for_the_device_is_enfile)
{
	EXPECT_EQ(ENFILE, first_call_in_child(use_up_descriptors)) TH_LOG("-EMFILE means the EQ's event limit");
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
	daos_eq_destroy(self->eqh);
}

TEST_F(eq, init_with_a_finalised_parent_is_enoent)
{
	daos_event_t parent, child;

	ASSERT_EQ(0, daos_event_init(&parent, self->eqh, NULL));
	ASSERT_EQ(0, daos_event_fini(&parent));
	EXPECT_EQ(-ENOENT, daos_event_init(&child, self->eqh, &parent));
}

TEST_F(eq, a_moved_event_is_einval)
{
	daos_event_t ev, copy;

	ASSERT_EQ(0, daos_event_init(&ev, self->eqh, NULL));
	memcpy(&copy, &ev, sizeof(ev));
	EXPECT_EQ(-EINVAL, daos_event_fini(&copy));
	EXPECT_EQ(-EINVAL, daos_event_abort(&copy));
	EXPECT_EQ(-EINVAL, daos_noop(0, 0, &copy));
	EXPECT_EQ(NULL, daos_event_next(&copy, NULL));
	EXPECT_EQ(0, daos_event_fini(&ev)) TH_LOG("the original is untouched");
}

TEST_F(eq, fini_after_eq_destroy_is_enoent)
{
	daos_handle_t eqh;
	daos_event_t ev;

	ASSERT_EQ(0, daos_eq_create(&eqh));
	ASSERT_EQ(0, daos_event_init(&ev, eqh, NULL));
	ASSERT_EQ(0, daos_eq_destroy(eqh));
	EXPECT_EQ(-ENOENT, daos_event_fini(&ev)) TH_LOG("destroy finalised it");
	EXPECT_EQ(-ENOENT, daos_event_abort(&ev));
	EXPECT_EQ(-ENOENT, daos_noop(0, 0, &ev));
}

TEST_F(eq, children_carry_their_results)
{
	daos_event_t parent, child[3], *out[1], *it;
	static const int err[3] = { 0, -EIO, -ENOSPC };

	ASSERT_EQ(0, daos_event_init(&parent, self->eqh, NULL));
	EXPECT_EQ(DAOS_EV_NONE, parent.ev_type);
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, daos_event_init(&child[i], self->eqh, &parent));
	EXPECT_EQ(DAOS_EV_COMPOUND, parent.ev_type) TH_LOG("a parent is a compound event");
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, daos_noop(0, err[i], &child[i]));
	ASSERT_EQ(1, daos_eq_poll(self->eqh, 0, DAOS_EQ_WAIT, 1, out));
	EXPECT_EQ(&parent, out[0]);
	EXPECT_EQ(-EIO, parent.ev_error);
	it = NULL;
	for (int i = 0; i < 3; i++) {
		it = daos_event_next(&parent, it);
		ASSERT_EQ(&child[i], it);
		EXPECT_EQ(err[i], it->ev_error) TH_LOG("child %d", i);
	}
	EXPECT_EQ(0, daos_event_fini(&parent));
}

/* Events completing while a query runs: every returned pointer is real. */
struct churn {
	daos_handle_t eqh;
	daos_event_t ev[64];
	atomic_int stop;
};

static void *churn(void *arg)
{
	struct churn *c = arg;
	daos_event_t *out[64];

	while (!atomic_load(&c->stop)) {
		for (int i = 0; i < 64; i++)
			daos_noop(0, 0, &c->ev[i]);
		while (daos_eq_poll(c->eqh, 0, DAOS_EQ_NOWAIT, 64, out) > 0)
			;
	}
	return NULL;
}

TEST_F(eq, query_never_returns_what_it_did_not_write)
{
	struct churn *c = calloc(1, sizeof(*c));
	daos_event_t *evs[64];
	pthread_t th;
	int bad = 0;

	ASSERT_NE(NULL, c);
	c->eqh = self->eqh;
	for (int i = 0; i < 64; i++)
		ASSERT_EQ(0, daos_event_init(&c->ev[i], self->eqh, NULL));
	ASSERT_EQ(0, pthread_create(&th, NULL, churn, c));
	for (int run = 0; run < 10000 && bad < 10; run++) {
		int n = daos_eq_query(self->eqh, DAOS_EVQ_ALL, 64, evs);

		if (n < 0 || n > 64) {
			bad++;
			continue;
		}
		for (int i = 0; i < n; i++)
			if (evs[i] < c->ev || evs[i] >= c->ev + 64)
				bad++;
	}
	atomic_store(&c->stop, 1);
	pthread_join(th, NULL);
	EXPECT_EQ(0, bad);
	free(c);
}

TEST_HARNESS_MAIN
