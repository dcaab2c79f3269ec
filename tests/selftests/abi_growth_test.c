// SPDX-License-Identifier: GPL-2.0
/*
 * How the ABI grows: the size in the command number is the structure's
 * size, as the size argument of clone3() and openat2() is, and the module
 * follows copy_struct_from_user(). Tested with the first versions of grown
 * structures (older, smaller) and with fabricated newer, larger ones:
 *  - an older size is zero-extended, and only its bytes are written back;
 *  - a newer size is accepted if the bytes the module does not know are
 *    zero (-E2BIG otherwise, before anything happens), and its tail is
 *    written back as zeros;
 *  - a smaller size the module never published is -EINVAL.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/daos.h>

#include "kselftest_harness.h"
#include "daos_selftest.h"

/* A command number for `nr` with the direction of `cmd` and size `size`. */
static unsigned long resized(unsigned long cmd, unsigned int size)
{
	return _IOC(_IOC_DIR(cmd), DAOS_IOC_MAGIC, _IOC_NR(cmd), size);
}

FIXTURE(dev) {
	int fd;
	__u64 eqh;
};

FIXTURE_SETUP(dev)
{
	self->fd = open_with_eq(&self->eqh);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

static __u64 event(int fd, __u64 eqh, __u64 parent)
{
	struct daos_ioc_event_init a = { .eqh = eqh, .user = 0x1000, .parent = parent };

	return ioc(fd, DAOS_IOC_EVENT_INIT, &a) ? 0 : a.id;
}

/* A newer caller's larger structure: filled in, with a zero tail. */
struct newer_version {
	struct daos_version v;
	__u64 tail[4];
};

TEST_F(dev, newer_read_only_structure_gets_a_zeroed_tail)
{
	struct newer_version n;
	int i;

	memset(&n, 0xa5, sizeof(n));
	ASSERT_EQ(0, ioc(self->fd, resized(DAOS_IOC_VERSION, sizeof(n)), &n));
	EXPECT_EQ(DAOS_ABI_MAJOR, n.v.abi_major);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(0, n.tail[i]) TH_LOG("tail word %d", i);
	}
}

struct newer_event {
	struct daos_ioc_event e;
	__u64 tail[2];
};

TEST_F(dev, newer_structure_with_a_zero_tail_is_taken)
{
	struct newer_event f = { .e = { .eqh = self->eqh } };

	f.e.id = event(self->fd, self->eqh, 0);
	ASSERT_NE(0, f.e.id);
	ASSERT_EQ(0, ioc(self->fd, resized(DAOS_IOC_EVENT_FINI, sizeof(f)), &f));
	EXPECT_EQ(-ENOENT, ioc(self->fd, DAOS_IOC_EVENT_FINI, &f.e)) TH_LOG("it was finalised");
}

TEST_F(dev, newer_structure_with_a_non_zero_tail_is_e2big_and_does_nothing)
{
	struct newer_event f = { .e = { .eqh = self->eqh } };

	f.e.id = event(self->fd, self->eqh, 0);
	ASSERT_NE(0, f.e.id);
	f.tail[1] = 1;
	EXPECT_EQ(-E2BIG, ioc(self->fd, resized(DAOS_IOC_EVENT_FINI, sizeof(f)), &f));
	/* An odd size, with the odd byte set. */
	f.tail[1] = 0;
	((char *)&f)[sizeof(f.e)] = 1;
	EXPECT_EQ(-E2BIG, ioc(self->fd, resized(DAOS_IOC_EVENT_FINI, sizeof(f.e) + 1), &f));
	EXPECT_EQ(0, ioc(self->fd, DAOS_IOC_EVENT_FINI, &f.e)) TH_LOG("the event is still there");
}

TEST_F(dev, newer_read_write_structure_is_written_back_in_full)
{
	struct {
		struct daos_ioc_eq_create c;
		__u64 tail;
	} n = { .c = { .flags = 0 }, .tail = 0 };

	ASSERT_EQ(0, ioc(self->fd, resized(DAOS_IOC_EQ_CREATE, sizeof(n)), &n));
	EXPECT_NE(0, n.c.eqh);
	EXPECT_EQ(0, n.tail);
}

/* The first version of struct daos_ioc_event: no flags word. */
struct event_ver0 {
	__u64 eqh;
	__u64 id;
};

TEST_F(dev, older_structure_is_zero_extended)
{
	struct event_ver0 old = { .eqh = self->eqh };

	ASSERT_EQ(DAOS_IOC_EVENT_SIZE_VER0, sizeof(old));
	old.id = event(self->fd, self->eqh, 0);
	ASSERT_NE(0, old.id);
	EXPECT_EQ(0, ioc(self->fd, resized(DAOS_IOC_EVENT_FINI, sizeof(old)), &old));
	EXPECT_EQ(-ENOENT, ioc(self->fd, resized(DAOS_IOC_EVENT_FINI, sizeof(old)), &old));
}

TEST_F(dev, older_structure_gets_only_its_own_bytes_back)
{
	struct {
		__u64 w[DAOS_IOC_EVENT_NEXT_SIZE_VER0 / 8];
		__u64 canary;
	} old;
	__u64 parent = event(self->fd, self->eqh, 0);
	__u64 child = event(self->fd, self->eqh, parent);

	ASSERT_NE(0, child);
	memset(&old, 0, sizeof(old));
	old.w[0] = self->eqh;
	old.w[1] = parent;
	old.canary = 0x5a5a5a5a5a5a5a5aULL;
	ASSERT_EQ(0, ioc(self->fd, resized(DAOS_IOC_EVENT_NEXT, DAOS_IOC_EVENT_NEXT_SIZE_VER0), &old));
	EXPECT_EQ(child, old.w[3]);
	EXPECT_EQ(0x1000, old.w[4]);
	EXPECT_EQ(0x5a5a5a5a5a5a5a5aULL, old.canary) TH_LOG("written past the caller's size");

	struct {
		__u64 w[DAOS_IOC_EVENT_INIT_SIZE_VER0 / 8];
		__u64 canary;
	} init = { .w = { self->eqh, 0x2000, 0, 0 }, .canary = 0x5a5a5a5a5a5a5a5aULL };
	ASSERT_EQ(0, ioc(self->fd, resized(DAOS_IOC_EVENT_INIT, DAOS_IOC_EVENT_INIT_SIZE_VER0), &init));
	EXPECT_NE(0, init.w[3]);
	EXPECT_EQ(0x5a5a5a5a5a5a5a5aULL, init.canary);
}

TEST_F(dev, sizes_between_published_ones_are_einval)
{
	char buf[64] = { 0 };

	EXPECT_EQ(-EINVAL, ioc(self->fd, resized(DAOS_IOC_EVENT_FINI, 8), buf));
	EXPECT_EQ(-EINVAL, ioc(self->fd, resized(DAOS_IOC_EVENT_FINI, DAOS_IOC_EVENT_SIZE_VER0 + 4), buf));
	EXPECT_EQ(-EINVAL, ioc(self->fd, resized(DAOS_IOC_EQ_POLL, sizeof(struct daos_ioc_eq_poll) - 8), buf));
}

TEST_F(dev, a_newer_structure_must_be_readable_whole)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct daos_ioc_event *e;

	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + page, page));
	/* The known part fits, the tail runs off the mapping. */
	e = (struct daos_ioc_event *)(map + page - sizeof(*e));
	e->eqh = self->eqh;
	e->id = event(self->fd, self->eqh, 0);
	e->flags = 0;
	EXPECT_EQ(-EFAULT, ioc(self->fd, resized(DAOS_IOC_EVENT_FINI, sizeof(*e) + 64), e));
	EXPECT_EQ(0, ioc(self->fd, DAOS_IOC_EVENT_FINI, e));
	munmap(map, page);
}

TEST_F(dev, new_flags_words_must_be_zero)
{
	__u64 id = event(self->fd, self->eqh, 0);
	struct daos_ioc_event_init i = { .eqh = self->eqh, .user = 0x1000, .flags = 1 };
	struct daos_ioc_event f = { .eqh = self->eqh, .id = id, .flags = 1 };
	struct daos_ioc_event_next n = { .eqh = self->eqh, .parent = id, .flags = 1 };
	struct daos_polled_event out[1];
	struct daos_ioc_eq_query q = { .eqh = self->eqh, .mode = DAOS_EQ_QUERY_INFLIGHT,
				       .events = (__u64)(unsigned long)out, .n = 1, .flags = 1 };

	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EVENT_INIT, &i));
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EVENT_FINI, &f));
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EVENT_ABORT, &f));
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EVENT_NEXT, &n));
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EQ_QUERY, &q));
}

TEST_HARNESS_MAIN
