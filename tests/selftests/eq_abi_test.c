// SPDX-License-Identifier: GPL-2.0
/*
 * The event queue ioctls at the ABI level: flags, sizes, counts, pointers and
 * handles that libdaos would never send, handle ownership across open files,
 * events surviving a faulting poll, and fdinfo.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/daos.h>

#include "kselftest_harness.h"
#include "daos_selftest.h"

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
	close(self->fd);	/* release destroys what is left */
}

static __u64 event(int fd, __u64 eqh, __u64 user, __u64 parent)
{
	struct daos_ioc_event_init a = { .eqh = eqh, .user = user, .parent = parent };

	return ioc(fd, DAOS_IOC_EVENT_INIT, &a) ? 0 : a.id;
}

TEST_F(dev, flags_and_reserved_fields_must_be_zero)
{
	struct daos_ioc_eq_create c = { .flags = 1 };
	struct daos_ioc_eq d = { .eqh = self->eqh, .flags = 2 };
	struct daos_ioc_eq_eventfd e = { .eqh = self->eqh, .fd = -1, .flags = 1 };
	struct daos_ioc_noop n = { .flags = 1 };

	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EQ_CREATE, &c));
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EQ_DESTROY, &d));
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EQ_EVENTFD, &e));
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_NOOP, &n));
}

TEST_F(dev, poll_and_query_bounds)
{
	struct daos_polled_event out[4];
	struct daos_ioc_eq_poll p = { .eqh = self->eqh, .events = (__u64)(unsigned long)out, .n = 4 };
	struct daos_ioc_eq_query q = { .eqh = self->eqh, .mode = DAOS_EQ_QUERY_COMPLETED };

	EXPECT_EQ(0, ioc(self->fd, DAOS_IOC_EQ_POLL, &p));
	p.n = 0;
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EQ_POLL, &p));
	p.n = DAOS_EQ_BATCH_MAX + 1;
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EQ_POLL, &p));
	p.n = 4;
	p.events = 0;
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EQ_POLL, &p));
	p.events = (__u64)(unsigned long)out;
	p.flags = 2;
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EQ_POLL, &p));
	p.flags = 0;
	p.timeout_us = -2;
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EQ_POLL, &p));

	EXPECT_EQ(0, ioc(self->fd, DAOS_IOC_EQ_QUERY, &q));
	q.mode = 0;
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EQ_QUERY, &q));
	q.mode = 4;
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EQ_QUERY, &q));
	q.mode = DAOS_EQ_QUERY_INFLIGHT;
	q.n = 1;	/* n without an array */
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EQ_QUERY, &q));
	q.n = DAOS_EQ_BATCH_MAX + 1;
	q.events = (__u64)(unsigned long)out;
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EQ_QUERY, &q));
}

TEST_F(dev, noop_argument_checks)
{
	__u64 id = event(self->fd, self->eqh, 0x1000, 0);
	struct daos_ioc_noop n = { .eqh = self->eqh, .id = id };

	ASSERT_NE(0, id);
	n.error = 1;
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_NOOP, &n));
	n.error = -4096;
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_NOOP, &n));
	n.error = 0;
	n.delay_us = DAOS_NOOP_DELAY_MAX_US + 1;
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_NOOP, &n));
	n.delay_us = 0;
	n.id = 0;	/* an EQ without an event */
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_NOOP, &n));
	n.eqh = 0;
	n.id = id;	/* an event without an EQ */
	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_NOOP, &n));
	n.eqh = self->eqh;
	n.id = id ^ (1ULL << 40);	/* a forged generation */
	EXPECT_EQ(-ENOENT, ioc(self->fd, DAOS_IOC_NOOP, &n));
	n.id = id + 1;		/* a slot never used */
	EXPECT_EQ(-ENOENT, ioc(self->fd, DAOS_IOC_NOOP, &n));
}

/*
 * A chosen completion error is a real errno (1..133, EPERM..EHWPOISON):
 * the kernel's internal codes (ERESTARTSYS = 512 .. 529) would come back
 * from the ioctl and make the kernel restart the system call.
 */
TEST_F(dev, noop_error_is_a_real_errno)
{
	__u64 id = event(self->fd, self->eqh, 0x1000, 0);
	struct daos_ioc_noop sync = { 0 };
	struct daos_ioc_noop async = { .eqh = self->eqh, .id = id };
	static const int refused[] = { -134, -200, -511, -512, -513, -516, -517, -529, -530, -4095 };
	static const int taken[] = { -1, -4, -22, -133 };
	unsigned int i;

	ASSERT_NE(0, id);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		sync.error = async.error = refused[i];
		EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_NOOP, &sync)) TH_LOG("error %d", refused[i]);
		EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_NOOP, &async)) TH_LOG("error %d", refused[i]);
	}
	for (i = 0; i < sizeof(taken) / sizeof(taken[0]); i++) {
		struct daos_polled_event out[1];
		struct daos_ioc_eq_poll p = { .eqh = self->eqh, .n = 1,
					      .events = (__u64)(unsigned long)out };

		sync.error = async.error = taken[i];
		EXPECT_EQ(taken[i], ioc(self->fd, DAOS_IOC_NOOP, &sync));
		ASSERT_EQ(0, ioc(self->fd, DAOS_IOC_NOOP, &async));
		ASSERT_EQ(1, ioc(self->fd, DAOS_IOC_EQ_POLL, &p));
		EXPECT_EQ(taken[i], out[0].error);
	}
}

TEST_F(dev, event_argument_checks)
{
	struct daos_ioc_event_init i = { .eqh = self->eqh, .user = 0 };
	struct daos_ioc_event f = { .eqh = self->eqh, .id = 0 };
	struct daos_ioc_event_next nx = { .eqh = self->eqh, .parent = 0 };

	EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EVENT_INIT, &i)) TH_LOG("user address 0");
	i.user = 0x1000;
	i.parent = 12345;
	EXPECT_EQ(-ENOENT, ioc(self->fd, DAOS_IOC_EVENT_INIT, &i)) TH_LOG("bogus parent");
	EXPECT_EQ(-ENOENT, ioc(self->fd, DAOS_IOC_EVENT_FINI, &f));
	EXPECT_EQ(-ENOENT, ioc(self->fd, DAOS_IOC_EVENT_ABORT, &f));
	EXPECT_EQ(-ENOENT, ioc(self->fd, DAOS_IOC_EVENT_NEXT, &nx));
	/* A child of another parent is not a valid cursor. */
	{
		__u64 p1 = event(self->fd, self->eqh, 0x10, 0);
		__u64 p2 = event(self->fd, self->eqh, 0x20, 0);
		__u64 c2 = event(self->fd, self->eqh, 0x30, p2);

		ASSERT_NE(0, c2);
		nx.parent = p1;
		nx.child = c2;
		EXPECT_EQ(-EINVAL, ioc(self->fd, DAOS_IOC_EVENT_NEXT, &nx));
		nx.parent = p2;
		nx.child = 0;
		ASSERT_EQ(0, ioc(self->fd, DAOS_IOC_EVENT_NEXT, &nx));
		EXPECT_EQ(c2, nx.next);
		EXPECT_EQ(0x30, nx.next_user);
	}
}

TEST_F(dev, bad_pointers_lose_nothing)
{
	long page = sysconf(_SC_PAGESIZE);
	__u64 id = event(self->fd, self->eqh, 0xabc0, 0);
	struct daos_ioc_noop n = { .eqh = self->eqh, .id = id, .error = -5 };
	struct daos_polled_event out[2];
	struct daos_ioc_eq_poll p = { .eqh = self->eqh, .n = 2 };
	struct daos_ioc_eq_query q = { .eqh = self->eqh, .mode = DAOS_EQ_QUERY_COMPLETED, .n = 2 };
	void *ro;

	ASSERT_NE(0, id);
	ASSERT_EQ(0, ioc(self->fd, DAOS_IOC_NOOP, &n));
	ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	p.events = (__u64)(unsigned long)ro;
	EXPECT_EQ(-EFAULT, ioc(self->fd, DAOS_IOC_EQ_POLL, &p));
	p.events = 1;
	EXPECT_EQ(-EFAULT, ioc(self->fd, DAOS_IOC_EQ_POLL, &p));
	q.events = (__u64)(unsigned long)ro;
	EXPECT_EQ(-EFAULT, ioc(self->fd, DAOS_IOC_EQ_QUERY, &q));
	/* The event is still there for a good buffer. */
	p.events = (__u64)(unsigned long)out;
	ASSERT_EQ(1, ioc(self->fd, DAOS_IOC_EQ_POLL, &p));
	EXPECT_EQ(0xabc0, out[0].user);
	EXPECT_EQ(-5, out[0].error);
	EXPECT_EQ(0, out[0].reserved);
	munmap(ro, page);

	EXPECT_EQ(-EFAULT, ioc(self->fd, DAOS_IOC_EQ_CREATE, NULL));
	EXPECT_EQ(-EFAULT, ioc(self->fd, DAOS_IOC_EVENT_INIT, (void *)1));
	EXPECT_EQ(-EFAULT, ioc(self->fd, DAOS_IOC_NOOP, (void *)0xffffffff81000000UL));
}

TEST_F(dev, wrong_sizes_and_directions)
{
	char buf[256] = { 0 };

	/* Smaller than the structure, and never published. */
	EXPECT_EQ(-EINVAL, ioc(self->fd, _IOC(_IOC_READ | _IOC_WRITE, DAOS_IOC_MAGIC, DAOS_IOC_NR_EQ_POLL, 24), buf));
	EXPECT_EQ(-EINVAL, ioc(self->fd, _IOC(_IOC_READ | _IOC_WRITE, DAOS_IOC_MAGIC,
					      DAOS_IOC_NR_EVENT_INIT, 36), buf));
	/* The right number with another direction is another command. */
	EXPECT_EQ(-ENOTTY, ioc(self->fd, _IOC(_IOC_WRITE, DAOS_IOC_MAGIC, DAOS_IOC_NR_EQ_POLL, 32), buf));
	EXPECT_EQ(-ENOTTY, ioc(self->fd, _IOC(_IOC_READ, DAOS_IOC_MAGIC, DAOS_IOC_NR_NOOP, 32), buf));
}

TEST_F(dev, handles_belong_to_their_open_file)
{
	int other = open("/dev/daos", O_RDWR | O_CLOEXEC);
	struct daos_ioc_eq d = { .eqh = self->eqh };
	struct daos_ioc_eq_query q = { .eqh = self->eqh, .mode = DAOS_EQ_QUERY_COMPLETED };

	ASSERT_LE(0, other);
	EXPECT_EQ(-EBADF, ioc(other, DAOS_IOC_EQ_QUERY, &q));
	EXPECT_EQ(-EBADF, ioc(other, DAOS_IOC_EQ_DESTROY, &d));
	close(other);
	EXPECT_EQ(0, ioc(self->fd, DAOS_IOC_EQ_DESTROY, &d));
	EXPECT_EQ(-EBADF, ioc(self->fd, DAOS_IOC_EQ_DESTROY, &d));
}

TEST_F(dev, fdinfo_shows_queues)
{
	char path[64], text[1024] = { 0 };
	__u64 id = event(self->fd, self->eqh, 0x40, 0);
	int f;

	ASSERT_NE(0, id);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", self->fd);
	f = open(path, O_RDONLY);
	ASSERT_LE(0, f);
	ASSERT_LT(0, read(f, text, sizeof(text) - 1));
	close(f);
	EXPECT_NE(NULL, strstr(text, "daos_eqs:\t1")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "events 1 inflight 0 completed 0")) TH_LOG("%s", text);
}

TEST_HARNESS_MAIN
