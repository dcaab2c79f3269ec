// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile input to the container, shard, object, epoch and system commands:
 * 100k calls with random fields, mixed with valid handles, events, file
 * descriptors and buffers so that deep paths are reached; then allocation
 * failures injected by failslab into the same commands. Pass means: only
 * each command's documented errors, no hang, and a clean guest log and
 * kmemleak scan afterwards (checked by make check).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/daos.h>

#include "kselftest_harness.h"
#include "daos_selftest.h"
#include "daos_ioctl_errors.h"

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static __u64 rnd(void)
{
	return xorshift(&rng);
}

/* Which handle a command takes after its event. */
enum takes { CO, OBJ, SYS, NONE };

static const struct command {
	unsigned long cmd;
	enum takes takes;
} commands[] = {
	{ DAOS_IOC_CO_OPEN, NONE },		{ DAOS_IOC_CO_CLOSE, CO },
	{ DAOS_IOC_CO_UNLINK, NONE },		{ DAOS_IOC_CO_QUERY, CO },
	{ DAOS_IOC_CO_LIST_SHARD, CO },		{ DAOS_IOC_CO_FLUSH, CO },
	{ DAOS_IOC_CO_SNAPSHOT, CO },		{ DAOS_IOC_CO_LISTEN, CO },
	{ DAOS_IOC_CO_LOCAL2GLOBAL, NONE },	{ DAOS_IOC_CO_GLOBAL2LOCAL, NONE },
	{ DAOS_IOC_SHARD_ADD, CO },		{ DAOS_IOC_SHARD_DISABLE, CO },
	{ DAOS_IOC_SHARD_QUERY, CO },		{ DAOS_IOC_SHARD_FLUSH, CO },
	{ DAOS_IOC_SHARD_LIST_OBJ, CO },	{ DAOS_IOC_OBJ_OPEN, CO },
	{ DAOS_IOC_OBJ_CLOSE, OBJ },		{ DAOS_IOC_OBJ_READ, OBJ },
	{ DAOS_IOC_OBJ_WRITE, OBJ },		{ DAOS_IOC_OBJ_PUNCH, CO },
	{ DAOS_IOC_EPOCH_QUERY, CO },		{ DAOS_IOC_EPOCH_SLIP, CO },
	{ DAOS_IOC_EPOCH_WAIT, CO },		{ DAOS_IOC_EPOCH_COMMIT, CO },
	{ DAOS_IOC_EPOCH_ABORT, CO },		{ DAOS_IOC_SYS_OPEN, NONE },
	{ DAOS_IOC_SYS_CLOSE, SYS },		{ DAOS_IOC_SYS_QUERY, SYS },
	{ DAOS_IOC_SYS_QUERY_TARGET, SYS },	{ DAOS_IOC_SYS_LISTEN, SYS },
	{ DAOS_IOC_EVENT_PROGRESS, NONE },
};
#define NCMD (sizeof(commands) / sizeof(commands[0]))

#define POOL 8

struct fuzz {
	int fd;
	int no_blocking;	/* no call that waits for a commit or a change */
	__u64 eqs[POOL], ids[POOL], cohs[POOL], ohs[POOL], sys[POOL];
	int files[POOL];	/* container files and fresh files */
	__u32 global_size;	/* of the global handle buffer at page 7 */
	__u32 next_shard;	/* a shard ID not added yet */
	__u64 high;		/* the highest epoch committed (of any container) */
	/* A container no random call reaches: writes and layout changes land. */
	__u64 clean_coh, clean_oh, clean_high;
	__u64 added_coh;	/* the container of the last shards added... */
	__u32 added[4], nadded;	/* ...and their IDs */
	char *buf;		/* valid memory for arrays, fragments, buffers */
	char *ro;		/* read-only memory */
	long page;
};

static __u64 pick(const __u64 *pool)
{
	return pool[rnd() % POOL];
}

/* A plausible-or-hostile 64-bit value of a field. */
static __u64 field(struct fuzz *f)
{
	switch (rnd() % 12) {
	case 0: return 0;
	case 1: return rnd();
	case 2: return pick(f->cohs);
	case 3: return pick(f->ohs);
	case 4: return (__u64)(unsigned long)(f->buf + rnd() % (8 * f->page));
	case 5: return (__u64)(unsigned long)f->ro;
	case 6: return rnd() % 70;
	case 7: return (__u64)-1;
	case 8: return (__u64)f->files[rnd() % POOL] | (rnd() % 8) << 32;
	case 9: return rnd() % 4096;
	default: return rnd() % 8;
	}
}

/* Addresses in the valid buffer: page 0 gets random words each call. */
#define AT(f, pg, off) ((__u64)(unsigned long)((f)->buf + (pg) * (f)->page + (off)))
#define LO_HI(lo, hi) ((__u64)(__u32)(lo) | (__u64)(__u32)(hi) << 32)

/* An event of the pool (an EQ and one of its events), or none. */
static void event(struct fuzz *f, __u64 *arg)
{
	unsigned int i = rnd() % POOL;

	arg[0] = rnd() % 2 ? 0 : f->eqs[i % 4];
	arg[1] = arg[0] ? f->ids[i] : 0;
}

/*
 * A well-formed argument of command @c: pool handles, buffers, small
 * counts and epochs; the fuzz then changes a field or two, or nothing.
 */
static void valid(struct fuzz *f, const struct command *c, __u64 *arg)
{
	__u64 coh = pick(f->cohs), oh = pick(f->ohs), sys = pick(f->sys);
	/* Mostly just above what was committed, so that writes can land. */
	__u64 epoch = rnd() % 4 ? f->high + 1 + rnd() % 8 : rnd() % 4;
	int fd = f->files[rnd() % POOL];
	__u32 n = 1 + rnd() % 4;

	memset(arg, 0, 16 * sizeof(*arg));
	event(f, arg);
	switch (c->cmd) {
	case DAOS_IOC_CO_OPEN:
		arg[2] = LO_HI(fd, rnd() % 2 ? DAOS_IOC_COO_RW | DAOS_IOC_COO_CREATE : DAOS_IOC_COO_RO);
		arg[3] = rnd() % 3;
		break;
	case DAOS_IOC_CO_UNLINK:
		arg[2] = LO_HI(fd, 0);
		break;
	case DAOS_IOC_CO_LOCAL2GLOBAL:
		arg[0] = coh;
		arg[1] = rnd() % 2 ? AT(f, 6, 0) : 0;
		arg[2] = f->page;
		break;
	case DAOS_IOC_CO_GLOBAL2LOCAL:
		arg[2] = AT(f, 7, 0);
		arg[3] = f->global_size;
		break;
	case DAOS_IOC_CO_LIST_SHARD:
	case DAOS_IOC_SHARD_LIST_OBJ:
		arg[2] = coh;
		arg[3] = epoch;
		arg[5] = AT(f, 4, 0);
		arg[6] = LO_HI(n, rnd() % 3);
		break;
	case DAOS_IOC_CO_SNAPSHOT:
		arg[2] = coh;
		arg[3] = rnd() % 2;
		arg[4] = LO_HI(fd, 0);
		break;
	case DAOS_IOC_CO_LISTEN:
	case DAOS_IOC_SYS_LISTEN:
		arg[2] = c->cmd == DAOS_IOC_SYS_LISTEN ? sys : coh;
		arg[3] = AT(f, 5, 0);
		arg[4] = AT(f, 5, 64);
		arg[5] = n;
		break;
	case DAOS_IOC_SHARD_ADD:
	case DAOS_IOC_SHARD_DISABLE: {
		__u32 *ids = (__u32 *)(f->buf + 3 * f->page + 64);

		/* New IDs to add; one of the last added to disable, there. */
		if (c->cmd == DAOS_IOC_SHARD_DISABLE && f->nadded) {
			n = 1;
			ids[0] = f->added[rnd() % f->nadded];
			coh = f->added_coh;
		}
		for (__u32 i = 0; c->cmd == DAOS_IOC_SHARD_ADD && i < n; i++)
			ids[i] = f->next_shard++;
		arg[2] = coh;
		arg[3] = epoch;
		arg[4] = c->cmd == DAOS_IOC_SHARD_ADD ? AT(f, 3, 0) : 0;
		arg[5] = AT(f, 3, 64);
		arg[6] = n;
		break;
	}
	case DAOS_IOC_SHARD_QUERY:
	case DAOS_IOC_CO_FLUSH:
	case DAOS_IOC_SHARD_FLUSH:
	case DAOS_IOC_EPOCH_SLIP:
	case DAOS_IOC_EPOCH_COMMIT:
	case DAOS_IOC_EPOCH_ABORT:
	case DAOS_IOC_CO_QUERY:
	case DAOS_IOC_EPOCH_QUERY:
		arg[2] = coh;
		if (c->cmd != DAOS_IOC_EPOCH_QUERY && c->cmd != DAOS_IOC_CO_QUERY)
			arg[3] = epoch;
		if (c->cmd == DAOS_IOC_SHARD_QUERY || c->cmd == DAOS_IOC_SHARD_FLUSH)
			arg[4] = rnd() % 5;
		break;
	case DAOS_IOC_OBJ_OPEN:
		arg[2] = coh;
		arg[3] = rnd() % 5;
		arg[4] = rnd() % 16;
		arg[5] = rnd() % 2 ? DAOS_IOC_OBJ_RW | (rnd() % 2 ? DAOS_IOC_OBJ_IO_BUFFERED : 0)
				   : DAOS_IOC_OBJ_RO | DAOS_IOC_OBJ_IO_RAND;
		break;
	case DAOS_IOC_OBJ_READ:
	case DAOS_IOC_OBJ_WRITE:
		arg[2] = oh;
		arg[3] = epoch;
		arg[4] = AT(f, 2, 0);
		arg[5] = AT(f, 2, 64);
		arg[6] = LO_HI(1, 1);
		break;
	case DAOS_IOC_OBJ_PUNCH:
		arg[2] = coh;
		arg[3] = epoch;
		arg[4] = rnd() % 4;
		arg[5] = rnd() % 16;
		arg[6] = rnd() % 8192;
		arg[7] = arg[6] + rnd() % 8192;
		break;
	case DAOS_IOC_EPOCH_WAIT:
		arg[2] = coh;
		arg[3] = rnd() % 3;
		arg[4] = AT(f, 5, 256);
		arg[5] = rnd() % 2 ? AT(f, 5, 264) : 0;
		break;
	case DAOS_IOC_CO_CLOSE:
		arg[2] = coh;
		break;
	case DAOS_IOC_OBJ_CLOSE:
		arg[2] = oh;
		break;
	case DAOS_IOC_SYS_CLOSE:
	case DAOS_IOC_SYS_QUERY_TARGET:
		arg[2] = sys;
		arg[3] = rnd() % 6;
		break;
	case DAOS_IOC_SYS_QUERY:
		arg[2] = sys;
		arg[3] = LO_HI(rnd() % 2 ? -1 : 0, rnd() % 2 ? -1 : 0);
		arg[4] = LO_HI(rnd() % 2 ? -1 : rnd() % 3, rnd() % 5);
		arg[5] = rnd() % 2 ? AT(f, 4, 0) : 0;
		arg[6] = arg[5] ? 16 : 0;
		break;
	case DAOS_IOC_EVENT_PROGRESS: {
		unsigned int i = rnd() % POOL;

		arg[0] = f->eqs[i % 4];
		arg[1] = f->ids[i];
		break;
	}
	}
}

/*
 * The arguments of a call: a well-formed structure with a field or two
 * changed, or nothing changed, or fields at random; and the handle the
 * command takes, mostly.
 */
static void fill(struct fuzz *f, const struct command *c, __u64 *arg, int n)
{
	/* Now and then, a clean call on the clean container, left as is. */
	if (rnd() % 8 == 0 && (c->cmd == DAOS_IOC_OBJ_WRITE || c->cmd == DAOS_IOC_EPOCH_COMMIT ||
			       c->cmd == DAOS_IOC_SHARD_ADD || c->cmd == DAOS_IOC_SHARD_DISABLE)) {
		valid(f, c, arg);
		arg[0] = arg[1] = 0;
		arg[2] = c->cmd == DAOS_IOC_OBJ_WRITE ? f->clean_oh : f->clean_coh;
		arg[3] = f->clean_high + 1;
		if (c->cmd == DAOS_IOC_SHARD_DISABLE)
			*(__u32 *)(f->buf + 3 * f->page + 64) = f->next_shard - 1;
		return;
	}
	switch (rnd() % 4) {
	case 0:
		for (int j = 0; j < n; j++)
			arg[j] = field(f);
		break;
	case 1:
		valid(f, c, arg);
		break;
	default:
		valid(f, c, arg);
		for (int k = rnd() % 2; k >= 0; k--)
			arg[rnd() % (_IOC_SIZE(c->cmd) / 8)] = field(f);
		break;
	}
	if (f->no_blocking && (c->cmd == DAOS_IOC_EPOCH_WAIT || c->cmd == DAOS_IOC_SYS_LISTEN ||
			       c->cmd == DAOS_IOC_CO_LISTEN)) {
		/* With an event: they complete when the file closes. */
		arg[0] = pick(f->eqs);
		arg[1] = pick(f->ids);
	}
	if (rnd() % 2)
		return;
	switch (c->takes) {
	case CO: if (rnd() % 8) arg[2] = pick(f->cohs); break;
	case OBJ: if (rnd() % 8) arg[2] = pick(f->ohs); break;
	case SYS: if (rnd() % 8) arg[2] = pick(f->sys); break;
	case NONE: break;
	}
	if (c->cmd == DAOS_IOC_CO_LOCAL2GLOBAL && rnd() % 4)
		arg[0] = pick(f->cohs);
	if (c->cmd == DAOS_IOC_EVENT_PROGRESS && rnd() % 4) {
		arg[0] = pick(f->eqs);
		arg[1] = pick(f->ids);
	}
}

/* Keeps the pools fresh from the calls that made something. */
static void refill(struct fuzz *f, unsigned long cmd, const __u64 *arg)
{
	if (cmd == DAOS_IOC_CO_OPEN || cmd == DAOS_IOC_CO_GLOBAL2LOCAL)
		f->cohs[rnd() % POOL] = arg[cmd == DAOS_IOC_CO_OPEN ? 4 : 4];
	if (cmd == DAOS_IOC_OBJ_OPEN)
		f->ohs[rnd() % POOL] = arg[6];
	if (cmd == DAOS_IOC_SYS_OPEN)
		f->sys[rnd() % POOL] = arg[2];
	if (cmd == DAOS_IOC_EPOCH_COMMIT && arg[3] > f->high && arg[3] < 1ULL << 40)
		f->high = arg[3];
	if (cmd == DAOS_IOC_EPOCH_COMMIT && arg[2] == f->clean_coh)
		f->clean_high = arg[3];
	if (cmd == DAOS_IOC_SHARD_ADD && (arg[6] & 0xffffffff) <= 4 &&
	    arg[5] == (__u64)(unsigned long)(f->buf + 3 * f->page + 64)) {
		f->added_coh = arg[2];
		f->nadded = arg[6] & 0xffffffff;
		memcpy(f->added, f->buf + 3 * f->page + 64, f->nadded * sizeof(__u32));
	}
}

static int allowed(unsigned long cmd, int err)
{
	if (err == ENOTTY || err == EINVAL || err == EFAULT || err == E2BIG)
		return 1;
	return documented_error(_IOC_NR(cmd), err);
}

static int do_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg);
}

/* The pools: a container with four shards, its objects, system handles. */
static void setup(struct __test_metadata *_metadata, struct fuzz *f, const char *dir)
{
	char path[96];

	f->page = sysconf(_SC_PAGESIZE);
	f->fd = open("/dev/daos", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, f->fd);
	f->buf = mmap(NULL, 16 * f->page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f->ro = mmap(NULL, f->page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, f->buf);
	ASSERT_NE(MAP_FAILED, f->ro);
	/* Faulted in now: later faults could meet failslab. */
	memset(f->buf, 0, 16 * f->page);
	for (int i = 0; i < POOL; i++) {
		struct daos_ioc_eq_create c = { 0 };
		struct daos_ioc_event_init e = { .user = 0x1000 + i };

		ASSERT_EQ(0, ioctl(f->fd, DAOS_IOC_EQ_CREATE, &c));
		f->eqs[i] = c.eqh;
		e.eqh = f->eqs[i % 4];
		ASSERT_EQ(0, ioctl(f->fd, DAOS_IOC_EVENT_INIT, &e));
		f->ids[i] = e.id;
		snprintf(path, sizeof(path), "%s/f%d", dir, i);
		f->files[i] = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		ASSERT_LE(0, f->files[i]);
	}
	for (int i = 0; i < POOL; i++) {
		struct daos_ioc_co_open o = { .fd = f->files[i % 2], .mode = DAOS_IOC_COO_RW | DAOS_IOC_COO_CREATE };
		struct daos_ioc_sys_open s = { 0 };

		ASSERT_EQ(0, ioctl(f->fd, DAOS_IOC_CO_OPEN, &o));
		f->cohs[i] = o.coh;
		ASSERT_EQ(0, ioctl(f->fd, DAOS_IOC_SYS_OPEN, &s));
		f->sys[i] = s.handle;
	}
	for (int c = 0; c < 2; c++) {
		__u32 targets[4] = { 0, 1, 2, 3 };
		__s32 shards[4] = { 0, 1, 2, 3 };
		struct daos_ioc_shards a = { .coh = f->cohs[c], .epoch = 1, .n = 4,
					     .targets = (__u64)(unsigned long)targets,
					     .shards = (__u64)(unsigned long)shards };

		ASSERT_EQ(0, ioctl(f->fd, DAOS_IOC_SHARD_ADD, &a));
	}
	{
		/* A global handle buffer of the first container, at page 7. */
		struct daos_ioc_co_global g = { .coh = f->cohs[0], .buf = AT(f, 7, 0), .size = f->page };
		__u64 *frags = (__u64 *)(f->buf + 2 * f->page);
		__u32 *small = (__u32 *)(f->buf + 3 * f->page);

		ASSERT_EQ(0, ioctl(f->fd, DAOS_IOC_CO_LOCAL2GLOBAL, &g));
		f->global_size = g.size;
		f->next_shard = 100;
		/* A read's or write's one memory and one object fragment. */
		frags[0] = AT(f, 8, 0);
		frags[1] = 1000;
		frags[8] = 4096;
		frags[9] = 1000;
		/* Targets and shard IDs. */
		for (int i = 0; i < 64; i++)
			small[i] = i % 4 + (i >= 16 ? 100 : 0);
	}
	for (int i = 0; i < POOL; i++) {
		/* Every other object writes through the writeback cache. */
		__u32 cached = i % 4 == 1 ? DAOS_IOC_OBJ_IO_BUFFERED | DAOS_IOC_OBJ_IO_RAND
			     : i % 4 == 3 ? DAOS_IOC_OBJ_IO_BUFFERED : 0;
		struct daos_ioc_obj_open o = { .coh = f->cohs[i % 2], .oid_hi = i % 4, .oid_lo = i,
					       .mode = DAOS_IOC_OBJ_RW | cached };

		ASSERT_EQ(0, ioctl(f->fd, DAOS_IOC_OBJ_OPEN, &o));
		f->ohs[i] = o.oh;
	}
	{
		/* Its file is no descriptor of the pool. */
		char clean[96];
		int fd;

		snprintf(clean, sizeof(clean), "%s/clean", dir);
		fd = open(clean, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		ASSERT_LE(0, fd);
		struct daos_ioc_co_open co = { .fd = fd, .mode = DAOS_IOC_COO_RW | DAOS_IOC_COO_CREATE };
		__u32 targets[1] = { 0 };
		__s32 shards[1] = { 0 };
		struct daos_ioc_shards a = { .epoch = 1, .n = 1, .targets = (__u64)(unsigned long)targets,
					     .shards = (__u64)(unsigned long)shards };
		struct daos_ioc_obj_open o = { .mode = DAOS_IOC_OBJ_RW | DAOS_IOC_OBJ_IO_BUFFERED };

		ASSERT_EQ(0, ioctl(f->fd, DAOS_IOC_CO_OPEN, &co));
		close(fd);
		f->clean_coh = a.coh = o.coh = co.coh;
		ASSERT_EQ(0, ioctl(f->fd, DAOS_IOC_SHARD_ADD, &a));
		ASSERT_EQ(0, ioctl(f->fd, DAOS_IOC_OBJ_OPEN, &o));
		f->clean_oh = o.oh;
	}
}

static void teardown(struct fuzz *f, const char *dir)
{
	char path[96];

	close(f->fd);
	for (int i = 0; i < POOL; i++) {
		close(f->files[i]);
		snprintf(path, sizeof(path), "%s/f%d", dir, i);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/clean", dir);
	unlink(path);
	rmdir(dir);
	munmap(f->buf, 16 * f->page);
	munmap(f->ro, f->page);
}

/* Aborts and polls every event of the pool, so that none stays in flight. */
static void recycle_events(struct fuzz *f)
{
	struct daos_polled_event out[POOL];

	for (int i = 0; i < POOL; i++) {
		struct daos_ioc_event a = { .eqh = f->eqs[i % 4], .id = f->ids[i] };

		ioctl(f->fd, DAOS_IOC_EVENT_ABORT, &a);
	}
	for (int i = 0; i < 4; i++) {
		struct daos_ioc_eq_poll p = { .eqh = f->eqs[i], .events = (__u64)(unsigned long)out, .n = POOL };

		ioctl(f->fd, DAOS_IOC_EQ_POLL, &p);
	}
}

/* Successful calls of each command. */
static int successes[NCMD];

/* One random call; returns its errno (0 on success). */
static int one_call(struct fuzz *f, unsigned long *cmd_out)
{
	unsigned int k = rnd() % NCMD;
	const struct command *c = &commands[k];
	unsigned long cmd = c->cmd;
	__u64 arg[16];
	void *p;

	fill(f, c, arg, 16);
	switch (rnd() % 24) {
	case 0: cmd = _IOC(_IOC_DIR(cmd), DAOS_IOC_MAGIC, _IOC_NR(cmd), rnd() % 128); break;
	case 1: cmd = _IOC(rnd() % 4, DAOS_IOC_MAGIC, _IOC_NR(cmd), _IOC_SIZE(cmd)); break;
	}
	switch (rnd() % 16) {
	case 0: p = NULL; break;
	case 1: p = f->ro; break;
	case 2: p = f->buf + 16 * f->page - 8; break;	/* straddles the end */
	default: p = arg; break;
	}
	/* Fragments and arrays point into the buffer, mostly small. */
	for (int j = 0; j < 16; j++)
		((__u64 *)f->buf)[j] = rnd() % 3 ? rnd() % 512 : field(f);
	*cmd_out = cmd;
	if (do_ioctl(f->fd, cmd, p) == 0) {
		if (p == arg)
			refill(f, cmd, arg);
		successes[k]++;
		return 0;
	}
	return errno;
}

FIXTURE(fuzz) {
	int unused;
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

TEST_F_TIMEOUT(fuzz, random_container_ioctls, 600)
{
	uint64_t t0 = now_us();
	struct fuzz f = { 0 };
	char dir[64];
	int unexpected = 0, ok = 0;

	snprintf(dir, sizeof(dir), "/tmp/co_fuzz.%d", getpid());
	ASSERT_EQ(0, mkdir(dir, 0755));
	setup(_metadata, &f, dir);
	ticker(1);
	for (int i = 0; i < 100000; i++) {
		unsigned long cmd;
		int err;

		/* Events parked in waits and listens come back to the pool. */
		if (i % 1000 == 999)
			recycle_events(&f);
		err = one_call(&f, &cmd);

		if (err == 0) {
			ok++;
		} else if (!allowed(cmd, err)) {
			if (unexpected++ < 10)
				TH_LOG("cmd %#lx: unexpected errno %d", cmd, err);
		}
	}
	ticker(0);
	TH_LOG("100000 calls in %llu ms, %d succeeded", (unsigned long long)(now_us() - t0) / 1000, ok);
	/*
	 * Deep paths were reached: most commands succeeded now and then (a
	 * few depend on state the random calls rarely leave, such as a fresh
	 * file for a snapshot; co_test covers their successes).
	 */
	int never = 0;

	for (unsigned int k = 0; k < NCMD; k++) {
		if (successes[k] == 0) {
			TH_LOG("command %#lx never succeeded", commands[k].cmd);
			never++;
		}
	}
	EXPECT_GE(3, never);
	EXPECT_LT(2000, ok);
	EXPECT_EQ(0, unexpected);
	/* Closing with whatever is left in flight must clean up. */
	teardown(&f, dir);
}

/*
 * Walks an allocation failure through the same commands: with a growing
 * budget of successful allocations (failslab "space"), every call either
 * works or fails as documented (ENOMEM among others), and everything is
 * torn down cleanly afterwards.
 */
TEST_F_TIMEOUT(fuzz, failslab_in_container_paths, 600)
{
	static const char *const knobs[][2] = {
		{ "task-filter", "Y" }, { "verbose", "0" }, { "ignore-gfp-wait", "N" },
		{ "times", "-1" }, { "probability", "100" },
	};
	struct fuzz f = { 0 };
	char dir[64], space[16];
	int mif = open("/proc/thread-self/make-it-fail", O_WRONLY | O_CLOEXEC);
	int enomem = 0, unexpected = 0;

	ASSERT_LE(0, mif);
	for (unsigned int k = 0; k < sizeof(knobs) / sizeof(knobs[0]); k++)
		ASSERT_EQ(0, failslab_knob(knobs[k][0], knobs[k][1]));
	snprintf(dir, sizeof(dir), "/tmp/co_failslab.%d", getpid());
	ASSERT_EQ(0, mkdir(dir, 0755));
	setup(_metadata, &f, dir);
	/* No signals here (a signal frame could meet failslab): nothing may block. */
	f.no_blocking = 1;
	for (int budget = 0; budget < 2048; budget += 16) {
		unsigned long cmds[64];
		int errs[64];

		snprintf(space, sizeof(space), "%d", budget);
		ASSERT_EQ(0, failslab_knob("space", space));
		/* Nothing but the calls while allocations fail: no printing. */
		ASSERT_EQ(1, pwrite(mif, "1", 1, 0));
		for (int i = 0; i < 64; i++)
			errs[i] = one_call(&f, &cmds[i]);
		ASSERT_EQ(1, pwrite(mif, "0", 1, 0));
		for (int i = 0; i < 64; i++) {
			if (errs[i] == ENOMEM)
				enomem++;
			else if (errs[i] && !allowed(cmds[i], errs[i]) && unexpected++ < 10)
				TH_LOG("cmd %#lx: unexpected errno %d", cmds[i], errs[i]);
		}
	}
	ASSERT_EQ(0, failslab_knob("probability", "0"));
	EXPECT_EQ(0, unexpected);
	EXPECT_LT(0, enomem) TH_LOG("no allocation failed: failslab is not reaching the module");
	teardown(&f, dir);
	close(mif);
}

TEST_HARNESS_MAIN
