// SPDX-License-Identifier: GPL-2.0
/*
 * cache_bench: the writeback cache's throughput against pwrite() to a
 * tmpfs file, measured in one boot (make bench). Prints numbers; asserts
 * nothing.
 *
 *  - buffered writes of 4 KiB, 64 KiB and 1 MiB (sequential, into one
 *    object), and pwrite() of the same sizes to tmpfs: MB/s and the ratio
 *  - direct (not buffered) writes of 1 MiB
 *  - write + flush: buffered 1 MiB writes until the target has them all
 *  - requests per MiB for sequential 4 KiB writes and for random ones
 *    (counted by the engine, debugfs daos/rpc_stats)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/daos.h>

#include "bench.h"

#define MiB (1024UL * 1024)
#define TOTAL (32 * MiB)

static unsigned char buf[16 * MiB];
static int dev;
static __u64 coh;

static double now_s(void)
{
	return now_ns() / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void xioctl(unsigned long cmd, void *arg, const char *what)
{
	if (ioctl(dev, cmd, arg) < 0)
		die(what);
}

/* Counter @key of target 0 in daos/rpc_stats. */
static long long stat_of(const char *key)
{
	static char text[16384];
	char pat[64], *at;
	FILE *f = fopen("/sys/kernel/debug/daos/rpc_stats", "r");
	size_t n;

	if (!f)
		die("rpc_stats");
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = 0;
	snprintf(pat, sizeof(pat), " %s ", key);
	at = strstr(strstr(text, "target 0\n"), pat);
	return at ? strtoll(at + strlen(pat), NULL, 10) : -1;
}

static __u64 obj_open(__u64 oid, __u32 mode)
{
	struct daos_ioc_obj_open o = { .coh = coh, .oid_hi = 0, .oid_lo = oid, .mode = DAOS_IOC_OBJ_RW | mode };

	xioctl(DAOS_IOC_OBJ_OPEN, &o, "obj open");
	return o.oh;
}

static void obj_close(__u64 oh)
{
	struct daos_ioc_obj c = { .oh = oh };

	xioctl(DAOS_IOC_OBJ_CLOSE, &c, "obj close");
}

static int write_at(__u64 oh, __u64 epoch, __u64 off, const void *data, __u64 len)
{
	struct daos_ioc_frag mem = { (__u64)(unsigned long)data, len }, obj = { off, len };
	struct daos_ioc_obj_io io = { .oh = oh, .epoch = epoch, .mem = (__u64)(unsigned long)&mem,
				      .obj = (__u64)(unsigned long)&obj, .nmem = 1, .nobj = 1 };

	return ioctl(dev, DAOS_IOC_OBJ_WRITE, &io);
}

static void epoch_op(unsigned long cmd, __u64 epoch, const char *what)
{
	struct daos_ioc_epoch e = { .coh = coh, .epoch = epoch };

	xioctl(cmd, &e, what);
}

/* Best of 3: MB/s of TOTAL bytes of sequential @size writes. */
static double daos_write(size_t size, __u32 mode, int flush)
{
	static __u64 epoch = 1, oid;
	double best = 0;

	for (int r = 0; r < 3; r++) {
		__u64 oh = obj_open(++oid, mode);
		double t0 = now_s(), mbs;

		epoch++;
		for (size_t off = 0; off < TOTAL; off += size)
			if (write_at(oh, epoch, off, buf + off % (8 * MiB), size))
				die("write");
		if (flush)
			epoch_op(DAOS_IOC_CO_FLUSH, epoch, "flush");
		mbs = TOTAL / (now_s() - t0) / 1e6;
		best = mbs > best ? mbs : best;
		/* Out of the way (and off the target): flushed, then aborted. */
		epoch_op(DAOS_IOC_CO_FLUSH, epoch, "flush");
		epoch_op(DAOS_IOC_EPOCH_ABORT, epoch, "abort");
		obj_close(oh);
	}
	return best;
}

/* Best of 3: MB/s of TOTAL bytes of sequential @size pwrite()s to tmpfs. */
static double tmpfs_write(size_t size)
{
	double best = 0;

	for (int r = 0; r < 3; r++) {
		int fd = open("/tmp/bench.tmpfs", O_RDWR | O_CREAT | O_TRUNC, 0600);
		double t0 = now_s(), mbs;

		if (fd < 0)
			die("tmpfs");
		for (size_t off = 0; off < TOTAL; off += size)
			if (pwrite(fd, buf + off % (8 * MiB), size, off) != (ssize_t)size)
				die("pwrite");
		mbs = TOTAL / (now_s() - t0) / 1e6;
		best = mbs > best ? mbs : best;
		close(fd);
		unlink("/tmp/bench.tmpfs");
	}
	return best;
}

/* Requests per MiB of 4 KiB writes: in order, or at random offsets. */
static double requests_per_mib(int random)
{
	static __u64 epoch = 1000;
	__u64 oh = obj_open(9999 + random, random ? DAOS_IOC_OBJ_IO_BUFFERED | DAOS_IOC_OBJ_IO_RAND
						  : DAOS_IOC_OBJ_IO_BUFFERED | DAOS_IOC_OBJ_IO_SEQ);
	long long req0 = stat_of("write_requests");
	uint64_t rng = 88172645463325252ULL;

	epoch++;
	for (size_t i = 0; i < 16 * MiB / 4096; i++) {
		__u64 off = i * 4096;

		if (random) {
			rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
			off = (rng % (64 * MiB / 4096)) * 4096;
		}
		if (write_at(oh, epoch, off, buf, 4096))
			die("write");
	}
	epoch_op(DAOS_IOC_CO_FLUSH, epoch, "flush");
	epoch_op(DAOS_IOC_EPOCH_ABORT, epoch, "abort");
	obj_close(oh);
	return (stat_of("write_requests") - req0) / 16.0;
}

int main(void)
{
	static const size_t sizes[] = { 4096, 64 * 1024, MiB };
	static const char *names[] = { "4k", "64k", "1m" };
	int fd = open("/tmp/bench.container", O_RDWR | O_CREAT, 0600);
	__u32 targets[1] = { 0 };
	__s32 shards[1] = { 0 };

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = i * 2654435761U >> 24;
	dev = open("/dev/daos", O_RDWR | O_CLOEXEC);
	if (dev < 0 || fd < 0)
		die("open");
	struct daos_ioc_co_open co = { .fd = fd, .mode = DAOS_IOC_COO_RW | DAOS_IOC_COO_CREATE, .nprocess = 1 };
	xioctl(DAOS_IOC_CO_OPEN, &co, "container open");
	coh = co.coh;
	struct daos_ioc_shards sa = { .coh = coh, .epoch = 1, .n = 1, .targets = (__u64)(unsigned long)targets,
				      .shards = (__u64)(unsigned long)shards };
	xioctl(DAOS_IOC_SHARD_ADD, &sa, "shard add");

	printf("== writeback cache: %lu MiB per run, best of 3\n", TOTAL / MiB);
	for (int i = 0; i < 3; i++) {
		char name[64];
		double tmpfs = tmpfs_write(sizes[i]), cached = daos_write(sizes[i], DAOS_IOC_OBJ_IO_BUFFERED, 0);

		snprintf(name, sizeof(name), "tmpfs pwrite %s", names[i]);
		row(name, tmpfs, "MB/s", NULL, 0);
		snprintf(name, sizeof(name), "buffered write %s", names[i]);
		row(name, cached, "MB/s", NULL, 0);
		snprintf(name, sizeof(name), "buffered/tmpfs %s", names[i]);
		row(name, cached / tmpfs, "x", i == 0 ? ">=" : i == 2 ? ">=" : NULL, i == 0 ? 0.6 : 0.8);
	}
	row("direct write 1m", daos_write(MiB, 0, 0), "MB/s", NULL, 0);
	row("buffered write 1m + flush", daos_write(MiB, DAOS_IOC_OBJ_IO_BUFFERED, 1), "MB/s", NULL, 0);
	row("requests per MiB, sequential 4k", requests_per_mib(0), "req", "<=", 1.0);
	row("requests per MiB, random 4k", requests_per_mib(1), "req", NULL, 0);
	close(dev);
	close(fd);
	return 0;
}
