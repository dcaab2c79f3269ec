// SPDX-License-Identifier: GPL-2.0
/*
 * libdaos through its C API: the shared library, its header and its device
 * handling (lazy open, fork).
 */
#include <errno.h>
#include <stdint.h>
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

TEST_HARNESS_MAIN
