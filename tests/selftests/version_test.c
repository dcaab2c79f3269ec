// SPDX-License-Identifier: GPL-2.0
/*
 * DAOS_IOC_VERSION and the device's handling of bad commands, sizes and
 * pointers, through raw ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/daos.h>

#include "kselftest_harness.h"
#include "daos_selftest.h"

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	self->fd = open("/dev/daos", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/daos: %s", strerror(errno));
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

TEST_F(dev, version_reports_abi_and_features)
{
	struct daos_version v;

	memset(&v, 0xa5, sizeof(v));
	ASSERT_EQ(0, ioc(self->fd, DAOS_IOC_VERSION, &v));
	EXPECT_EQ(DAOS_ABI_MAJOR, v.abi_major);
	EXPECT_EQ(DAOS_ABI_MINOR, v.abi_minor);
	EXPECT_NE(0, v.features & DAOS_FEATURE_VERSION);
	EXPECT_EQ(0, v.reserved[0]);
	EXPECT_EQ(0, v.reserved[1]);
}

TEST_F(dev, unknown_commands_are_enotty)
{
	struct daos_version v;

	EXPECT_EQ(-ENOTTY, ioc(self->fd, _IOR(DAOS_IOC_MAGIC, 0xff, struct daos_version), &v));
	/* Right number, wrong direction. */
	EXPECT_EQ(-ENOTTY, ioc(self->fd, _IOW(DAOS_IOC_MAGIC, DAOS_IOC_NR_VERSION, struct daos_version), &v));
	EXPECT_EQ(-ENOTTY, ioc(self->fd, _IO(DAOS_IOC_MAGIC, DAOS_IOC_NR_VERSION), NULL));
	/* Another driver's magic. */
	EXPECT_EQ(-ENOTTY, ioc(self->fd, _IOR('x', DAOS_IOC_NR_VERSION, struct daos_version), &v));
	EXPECT_EQ(-ENOTTY, ioc(self->fd, 0, NULL));
}

/* Smaller sizes the module never published (larger ones: abi_growth_test). */
TEST_F(dev, unknown_smaller_sizes_are_einval)
{
	char buf[4096] = { 0 };
	const unsigned int sizes[] = { 0, 1, 8, sizeof(struct daos_version) - 1 };

	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned long cmd = _IOC(_IOC_READ, DAOS_IOC_MAGIC, DAOS_IOC_NR_VERSION, sizes[i]);

		EXPECT_EQ(-EINVAL, ioc(self->fd, cmd, buf)) {
			TH_LOG("size %u", sizes[i]);
		}
	}
}

TEST_F(dev, bad_pointers_are_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map;

	EXPECT_EQ(-EFAULT, ioc(self->fd, DAOS_IOC_VERSION, NULL));
	EXPECT_EQ(-EFAULT, ioc(self->fd, DAOS_IOC_VERSION, (void *)1));
	/* A kernel address. */
	EXPECT_EQ(-EFAULT, ioc(self->fd, DAOS_IOC_VERSION, (void *)0xffffffff81000000UL));

	/* Read-only memory cannot receive the reply. */
	map = mmap(NULL, 2 * page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(-EFAULT, ioc(self->fd, DAOS_IOC_VERSION, map));

	/* A structure that straddles the end of a mapping. */
	ASSERT_EQ(0, mprotect(map, page, PROT_READ | PROT_WRITE));
	ASSERT_EQ(0, munmap(map + page, page));
	EXPECT_EQ(-EFAULT, ioc(self->fd, DAOS_IOC_VERSION, map + page - 8));
	/* ... and the same call fits when moved inside. */
	EXPECT_EQ(0, ioc(self->fd, DAOS_IOC_VERSION, map + page - sizeof(struct daos_version)));
	munmap(map, page);
}

TEST(device_node_is_a_char_device_for_every_user)
{
	struct stat st;

	/* Users own what they make through it; files guard containers. */
	ASSERT_EQ(0, stat("/dev/daos", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0666, st.st_mode & 0777);
}

TEST(many_opens_are_independent)
{
	struct daos_version v;
	int fds[64];

	for (int i = 0; i < 64; i++) {
		fds[i] = open("/dev/daos", O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, fds[i]);
	}
	for (int i = 0; i < 64; i++) {
		EXPECT_EQ(0, ioc(fds[i], DAOS_IOC_VERSION, &v));
		close(fds[i]);
	}
}

TEST_HARNESS_MAIN
