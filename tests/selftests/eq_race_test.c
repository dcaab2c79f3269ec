// SPDX-License-Identifier: GPL-2.0
/*
 * Races that need a poll stopped half-way: userfaultfd holds the poll's copy
 * to userspace (after it took its events from the queue and dropped the
 * lock) for as long as the test wants, and then makes it fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/daos.h>

#include "kselftest_harness.h"
#include "daos_selftest.h"

struct stalled_poll {
	int fd;
	__u64 eqh;
	struct daos_polled_event *out;	/* in a userfaultfd-registered page */
	int rc;
};

static void *poll_into_trap(void *arg)
{
	struct stalled_poll *s = arg;
	struct daos_ioc_eq_poll p = {
		.eqh = s->eqh, .timeout_us = DAOS_EQ_TIMEOUT_NOWAIT,
		.events = (__u64)(uintptr_t)s->out, .n = 1,
	};

	s->rc = ioc(s->fd, DAOS_IOC_EQ_POLL, &p);
	return NULL;
}

/*
 * The reported double delivery: a poll takes an event, and its copy to
 * userspace faults. Meanwhile the event is dispatched again, completes and
 * is polled by someone else. The failed poll must not put its stale result
 * back: the event would reach userspace twice.
 */
TEST(failed_poll_does_not_put_back_an_event_polled_since)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffd_msg msg;
	struct pollfd pfd;
	struct daos_ioc_eq_create c = { 0 };
	struct daos_ioc_event_init e = { .user = 0x1000 };
	struct daos_ioc_noop n = { 0 };
	struct daos_polled_event out[2];
	struct daos_ioc_eq_poll p = { .timeout_us = DAOS_EQ_TIMEOUT_NOWAIT, .n = 2 };
	struct stalled_poll s;
	long page = sysconf(_SC_PAGESIZE);
	pthread_t th;
	int fd, uffd;
	void *trap;

	fd = open("/dev/daos", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioc(fd, DAOS_IOC_EQ_CREATE, &c));
	e.eqh = c.eqh;
	ASSERT_EQ(0, ioc(fd, DAOS_IOC_EVENT_INIT, &e));
	n.eqh = c.eqh;
	n.id = e.id;
	p.eqh = c.eqh;
	p.events = (__u64)(uintptr_t)out;

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	ASSERT_LE(0, uffd) TH_LOG("userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_API, &api));
	trap = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, trap);
	reg.range.start = (uintptr_t)trap;
	reg.range.len = page;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));

	/* The event completes; a poll takes it and stalls in its copy out. */
	ASSERT_EQ(0, ioc(fd, DAOS_IOC_NOOP, &n));
	s = (struct stalled_poll){ .fd = fd, .eqh = c.eqh, .out = trap, .rc = 1000 };
	ASSERT_EQ(0, pthread_create(&th, NULL, poll_into_trap, &s));
	pfd = (struct pollfd){ .fd = uffd, .events = POLLIN };
	ASSERT_EQ(1, poll(&pfd, 1, 10000)) TH_LOG("the poll never reached its copy");
	ASSERT_EQ(sizeof(msg), read(uffd, &msg, sizeof(msg)));
	ASSERT_EQ(UFFD_EVENT_PAGEFAULT, msg.event);

	/* Meanwhile: dispatched again, completed, polled by us. */
	ASSERT_EQ(0, ioc(fd, DAOS_IOC_NOOP, &n));
	ASSERT_EQ(1, ioc(fd, DAOS_IOC_EQ_POLL, &p));
	EXPECT_EQ(0x1000, out[0].user);

	/* The stalled copy now fails: the page is gone. */
	ASSERT_EQ(0, munmap(trap, page));
	close(uffd);
	pthread_join(th, NULL);
	EXPECT_EQ(-EFAULT, s.rc);

	/* The event was delivered once per completion, never more. */
	EXPECT_EQ(0, ioc(fd, DAOS_IOC_EQ_POLL, &p)) TH_LOG("the stale result came back");
	close(fd);
}

/*
 * The other half: when nothing happened meanwhile, the failed poll's events
 * go back in front, in order, so nothing is lost.
 */
TEST(failed_poll_puts_its_events_back_in_order)
{
	struct daos_ioc_eq_create c = { 0 };
	struct daos_polled_event out[4];
	struct daos_ioc_eq_poll p = { .timeout_us = DAOS_EQ_TIMEOUT_NOWAIT, .n = 4 };
	__u64 id[3];
	int fd, i;

	fd = open("/dev/daos", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioc(fd, DAOS_IOC_EQ_CREATE, &c));
	for (i = 0; i < 3; i++) {
		struct daos_ioc_event_init e = { .eqh = c.eqh, .user = 0x1000 + i };
		struct daos_ioc_noop n = { .eqh = c.eqh };

		ASSERT_EQ(0, ioc(fd, DAOS_IOC_EVENT_INIT, &e));
		id[i] = e.id;
		n.id = id[i];
		n.error = -i;
		ASSERT_EQ(0, ioc(fd, DAOS_IOC_NOOP, &n));
	}
	p.eqh = c.eqh;
	p.events = 8;	/* unmapped */
	EXPECT_EQ(-EFAULT, ioc(fd, DAOS_IOC_EQ_POLL, &p));
	p.events = (__u64)(uintptr_t)out;
	ASSERT_EQ(3, ioc(fd, DAOS_IOC_EQ_POLL, &p));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(0x1000 + i, out[i].user);
		EXPECT_EQ(-i, out[i].error);
	}
	close(fd);
}

TEST_HARNESS_MAIN
