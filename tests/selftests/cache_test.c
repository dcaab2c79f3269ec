// SPDX-License-Identifier: GPL-2.0
/*
 * The writeback cache and the request engine: buffered writes batched into
 * requests (counted in debugfs daos/rpc_stats), reads that see the cache,
 * flushes up to an epoch, the dirty limit, the shrinker, lost writes, and
 * a process killed with dirty data.
 *
 * Each test uses its own target (changing its knobs in configfs and putting
 * them back) and reads the counters as differences.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/daos.h>
#include <daos.h>

#include "kselftest_harness.h"
#include "daos_selftest.h"
#include "daos_co.h"

#define CONFIGFS "/sys/kernel/config/daos/"
#define RPC_STATS "/sys/kernel/debug/daos/rpc_stats"
#define KiB 1024ULL
#define MiB (1024 * KiB)

static int target_set(unsigned int id, const char *attr, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), CONFIGFS "%u", id);
	if (mkdir(path, 0755) && errno != EEXIST)
		return -1;
	snprintf(path, sizeof(path), CONFIGFS "%u/%s", id, attr);
	return write_str(path, value);
}

static void target_defaults(unsigned int id)
{
	target_set(id, "latency_us", "0");
	target_set(id, "bandwidth_mbps", "0");
	target_set(id, "request_kb", "1024");
	target_set(id, "max_in_flight", "8");
	target_set(id, "max_dirty_mb", "32");
	target_set(id, "lose_writes", "0");
}

/* Back to the defaults, and its directory hidden again. */
static void target_done(unsigned int id)
{
	char path[64];

	target_defaults(id);
	snprintf(path, sizeof(path), CONFIGFS "%u", id);
	rmdir(path);
}

/*
 * Counter @key of target @id in rpc_stats: "key value" or, for a
 * histogram line @key, its bucket "@bucket:value". -1 if absent.
 */
static long long stat_of(unsigned int id, const char *key, int bucket)
{
	static char text[16384];
	char head[32], pat[64], *sec, *end, *at;
	FILE *f = fopen(RPC_STATS, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = 0;
	snprintf(head, sizeof(head), "target %u\n", id);
	sec = strstr(text, head);
	if (!sec)
		return -1;
	end = strstr(sec + 1, "target ");
	if (end)
		*end = 0;
	snprintf(pat, sizeof(pat), " %s ", key);
	at = strstr(sec, pat);
	if (!at)
		return -1;
	at += strlen(pat);
	if (bucket >= 0) {
		snprintf(pat, sizeof(pat), " %d:", bucket);
		at = strstr(at - 1, pat);
		if (!at)
			return -1;
		at += strlen(pat);
	}
	return strtoll(at, NULL, 10);
}

/* A container at a path of its own with shard 0 on target @target. */
static int make_container(const char *name, unsigned int target, char *path, size_t n, daos_handle_t *coh)
{
	unsigned int targets[1] = { target };
	int shards[1] = { 0 };
	int rc;

	snprintf(path, n, "/tmp/%s.%d", name, getpid());
	rc = daos_container_open(path, DAOS_COO_RW | DAOS_COO_CREATE, 1, NULL, coh, NULL);
	if (rc)
		return rc;
	return daos_shard_add(*coh, EP(1), 1, targets, shards, NULL);
}

/* The object every test writes. */
static const daos_obj_id_t OBJ = { 0, 7 };

/* Closes the test's handle on the container at @path and unlinks it. */
static int drop_container(const char *path, daos_handle_t coh)
{
	int rc = daos_container_close(coh, NULL);

	return rc ? rc : daos_container_unlink(path, NULL);
}

/* Another handle on the container at @path, read-only, and its object. */
static int open_reader(const char *path, daos_handle_t *coh, daos_handle_t *oh)
{
	int rc = daos_container_open(path, DAOS_COO_RO, 1, NULL, coh, NULL);

	return rc ? rc : daos_object_open(*coh, OBJ, DAOS_OBJ_RO, oh, NULL);
}

static void fill(unsigned char *buf, size_t len, uint64_t seed)
{
	for (size_t i = 0; i < len; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		buf[i] = seed >> 56;
	}
}

/* Block @off of the sequential test: a pattern slice stamped with @off. */
static void block_at(unsigned char *out, const unsigned char *pattern, uint64_t off)
{
	memcpy(out, pattern + off % MiB, 4096);
	memcpy(out, &off, sizeof(off));
}

/* 16384 calls: long in a debug kernel under TCG. */
FIXTURE(slow) {};
FIXTURE_SETUP(slow) {}
FIXTURE_TEARDOWN(slow) {}

TEST_F_TIMEOUT(slow, sequential_4k_writes_make_exactly_64_requests_of_1mib, 300)
{
	static unsigned char pattern[MiB], back[MiB], want[MiB];
	long long req0, bytes0, full0;
	daos_handle_t coh, oh, ro, roh;
	char path[64];
	uint64_t t0;

	target_defaults(0);
	fill(pattern, sizeof(pattern), 17);
	ASSERT_EQ(0, make_container("cache_seq", 0, path, sizeof(path), &coh));
	ASSERT_EQ(0, daos_object_open(coh, OBJ, DAOS_OBJ_RW | DAOS_OBJ_IO_BUFFERED | DAOS_OBJ_IO_SEQ, &oh, NULL));
	req0 = stat_of(0, "write_requests", -1);
	bytes0 = stat_of(0, "write_bytes", -1);
	full0 = stat_of(0, "pages_per_request", 256);
	ASSERT_LE(0, req0);
	t0 = now_us();
	for (uint64_t off = 0; off < 64 * MiB; off += 4096) {
		unsigned char block[4096];

		block_at(block, pattern, off);
		ASSERT_EQ(0, put(oh, 2, off, block, sizeof(block)));
	}
	TH_LOG("16384 writes of 4 KiB in %llu ms", (unsigned long long)(now_us() - t0) / 1000);
	ASSERT_EQ(0, daos_container_flush(coh, EP(2), NULL));
	EXPECT_EQ(64, stat_of(0, "write_requests", -1) - req0);
	EXPECT_EQ(64 * MiB, stat_of(0, "write_bytes", -1) - bytes0);
	EXPECT_EQ(64, stat_of(0, "pages_per_request", 256) - full0);
	EXPECT_EQ(0, stat_of(0, "dirty_bytes", -1));
	/* A commit, and another handle reads what the target has. */
	ASSERT_EQ(0, daos_epoch_commit(coh, EP(2), true, NULL, NULL));
	ASSERT_EQ(0, open_reader(path, &ro, &roh));
	for (uint64_t mb = 0; mb < 64; mb += 21) {
		for (uint64_t off = 0; off < MiB; off += 4096)
			block_at(want + off, pattern, mb * MiB + off);
		ASSERT_EQ(0, get(roh, 2, mb * MiB, back, MiB));
		EXPECT_EQ(0, memcmp(back, want, MiB));
	}
	EXPECT_EQ(0, daos_container_close(ro, NULL));
	EXPECT_EQ(0, drop_container(path, coh));
	target_done(0);
}

/*
 * Random overlapping writes in one epoch (buffered, sequential and random
 * hints, and direct writes and punches going around the cache), with small
 * requests so that writes straddle them, and a target whose service time
 * grows with the request, so that requests overtake each other: every
 * read, before and after the flush and through another handle after the
 * commit, equals the model.
 */
TEST(random_overlapping_writes_read_back_equal_to_a_model)
{
	enum { SPAN = 256 * 1024, OPS = 3000 };
	static unsigned char model[SPAN], buf[SPAN], got[SPAN];
	daos_handle_t coh, seq, rnd, direct, ro, roh;
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	char path[64];

	target_defaults(1);
	ASSERT_EQ(0, target_set(1, "request_kb", "16"));
	/* Large requests take longer: a later small one overtakes them. */
	ASSERT_EQ(0, target_set(1, "bandwidth_mbps", "50"));
	ASSERT_EQ(0, make_container("cache_model", 1, path, sizeof(path), &coh));
	ASSERT_EQ(0, daos_object_open(coh, OBJ, DAOS_OBJ_RW | DAOS_OBJ_IO_BUFFERED | DAOS_OBJ_IO_SEQ, &seq, NULL));
	ASSERT_EQ(0, daos_object_open(coh, OBJ, DAOS_OBJ_RW | DAOS_OBJ_IO_BUFFERED | DAOS_OBJ_IO_RAND, &rnd, NULL));
	ASSERT_EQ(0, daos_object_open(coh, OBJ, DAOS_OBJ_RW, &direct, NULL));
	memset(model, 0, sizeof(model));
	for (int i = 0; i < OPS; i++) {
		uint64_t r = xorshift(&rng);
		uint64_t off = r % SPAN, len = 1 + (r >> 20) % (20 * 1024);
		int kind = (r >> 40) % 16;

		if (off + len > SPAN)
			len = SPAN - off;
		if (kind == 0) {
			ASSERT_EQ(0, daos_object_punch(coh, EP(3), OBJ, off, off + len - 1, NULL));
			memset(model + off, 0, len);
		} else if (kind == 1) {
			ASSERT_EQ(0, get(seq, 3, 0, got, SPAN));
			ASSERT_EQ(0, memcmp(got, model, SPAN)) TH_LOG("op %d: the writer's read differs", i);
		} else {
			daos_handle_t oh = kind < 4 ? direct : kind < 10 ? seq : rnd;

			fill(buf, len, r);
			ASSERT_EQ(0, put(oh, 3, off, buf, len));
			memcpy(model + off, buf, len);
		}
	}
	ASSERT_EQ(0, get(rnd, 3, 0, got, SPAN));
	ASSERT_EQ(0, memcmp(got, model, SPAN));
	ASSERT_EQ(0, daos_container_flush(coh, EP(3), NULL));
	EXPECT_EQ(0, stat_of(1, "dirty_bytes", -1));
	ASSERT_EQ(0, get(seq, 3, 0, got, SPAN));
	ASSERT_EQ(0, memcmp(got, model, SPAN));
	ASSERT_EQ(0, daos_epoch_commit(coh, EP(3), true, NULL, NULL));
	ASSERT_EQ(0, open_reader(path, &ro, &roh));
	ASSERT_EQ(0, get(roh, 3, 0, got, SPAN));
	EXPECT_EQ(0, memcmp(got, model, SPAN));
	EXPECT_EQ(0, daos_container_close(ro, NULL));
	EXPECT_EQ(0, drop_container(path, coh));
	target_done(1);
}

TEST(a_flush_sends_up_to_its_epoch_and_no_further)
{
	static unsigned char a[100000], b[100000], c[100000], got[100000];
	long long bytes0;
	daos_handle_t coh, oh, ro, roh;
	char path[64];

	target_defaults(2);
	ASSERT_EQ(0, make_container("cache_epochs", 2, path, sizeof(path), &coh));
	ASSERT_EQ(0, daos_object_open(coh, OBJ, DAOS_OBJ_RW | DAOS_OBJ_IO_BUFFERED, &oh, NULL));
	fill(a, sizeof(a), 1);
	fill(b, sizeof(b), 2);
	fill(c, sizeof(c), 3);
	bytes0 = stat_of(2, "write_bytes", -1);
	ASSERT_EQ(0, put(oh, 2, 0, a, sizeof(a)));
	ASSERT_EQ(0, put(oh, 3, 50000, b, sizeof(b)));
	ASSERT_EQ(0, put(oh, 4, 0, c, sizeof(c)));
	/* Partial chunks of a sequential object: all cached. */
	EXPECT_EQ(0, stat_of(2, "write_bytes", -1) - bytes0);
	EXPECT_EQ(300000, stat_of(2, "dirty_bytes", -1));
	ASSERT_EQ(0, daos_shard_flush(coh, EP(3), 0, NULL));
	EXPECT_EQ(200000, stat_of(2, "write_bytes", -1) - bytes0);
	EXPECT_EQ(100000, stat_of(2, "dirty_bytes", -1));
	/* The writer reads epoch 4 with the cached one over the target's. */
	ASSERT_EQ(0, get(oh, 4, 0, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(got, c, sizeof(c)));
	ASSERT_EQ(0, get(oh, 3, 0, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(got, a, 50000));
	EXPECT_EQ(0, memcmp(got + 50000, b, 50000));
	/* Commit 3 (nothing left to send up to it); a reader sees it. */
	ASSERT_EQ(0, daos_epoch_commit(coh, EP(3), true, NULL, NULL));
	EXPECT_EQ(100000, stat_of(2, "dirty_bytes", -1));
	ASSERT_EQ(0, open_reader(path, &ro, &roh));
	ASSERT_EQ(0, get(roh, 4, 0, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(got, a, 50000));
	EXPECT_EQ(0, memcmp(got + 50000, b, 50000));
	/* A commit flushes by itself. */
	ASSERT_EQ(0, daos_epoch_commit(coh, EP(4), true, NULL, NULL));
	EXPECT_EQ(0, stat_of(2, "dirty_bytes", -1));
	ASSERT_EQ(0, get(roh, 4, 0, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(got, c, sizeof(c)));
	EXPECT_EQ(0, daos_container_close(ro, NULL));
	EXPECT_EQ(0, drop_container(path, coh));
	target_done(2);
}

TEST(an_abort_drops_its_epochs_from_the_cache_and_no_others)
{
	static unsigned char a[20000], b[20000], got[20000];
	daos_handle_t coh, oh;
	char path[64];

	target_defaults(3);
	ASSERT_EQ(0, make_container("cache_abort", 3, path, sizeof(path), &coh));
	ASSERT_EQ(0, daos_object_open(coh, OBJ, DAOS_OBJ_RW | DAOS_OBJ_IO_BUFFERED, &oh, NULL));
	fill(a, sizeof(a), 11);
	fill(b, sizeof(b), 12);
	ASSERT_EQ(0, put(oh, 2, 0, a, sizeof(a)));
	ASSERT_EQ(0, put(oh, 3, 0, b, sizeof(b)));
	ASSERT_EQ(0, put(oh, 4, 5000, b, sizeof(b)));
	EXPECT_EQ(60000, stat_of(3, "dirty_bytes", -1));
	ASSERT_EQ(0, daos_epoch_abort(coh, EP(3), NULL, NULL));
	EXPECT_EQ(20000, stat_of(3, "dirty_bytes", -1));
	ASSERT_EQ(0, get(oh, 3, 0, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(got, a, sizeof(a)));
	ASSERT_EQ(0, daos_epoch_commit(coh, EP(2), true, NULL, NULL));
	EXPECT_EQ(0, stat_of(3, "dirty_bytes", -1));
	ASSERT_EQ(0, get(oh, 2, 0, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(got, a, sizeof(a)));
	EXPECT_EQ(0, drop_container(path, coh));
	target_done(3);
}

/* A flush of 8 requests served one at a time in 100 ms reports its bytes. */
TEST(a_flush_reports_its_progress)
{
	static unsigned char buf[32 * 1024];
	uint64_t done, total, last = 0, seen_total = 0;
	int n, between = 0;
	struct daos_event ev, *got;
	daos_handle_t coh, oh, eq;
	char path[64];

	target_defaults(0);
	ASSERT_EQ(0, target_set(0, "request_kb", "64"));
	ASSERT_EQ(0, target_set(0, "max_in_flight", "1"));
	ASSERT_EQ(0, make_container("cache_progress", 0, path, sizeof(path), &coh));
	ASSERT_EQ(0, target_set(0, "latency_us", "100000"));
	ASSERT_EQ(0, daos_object_open(coh, OBJ, DAOS_OBJ_RW | DAOS_OBJ_IO_BUFFERED | DAOS_OBJ_IO_SEQ, &oh, NULL));
	/* Half chunks: all stay cached until the flush. */
	for (int i = 0; i < 8; i++)
		ASSERT_EQ(0, put(oh, 2, i * 65536ULL, buf, sizeof(buf)));
	ASSERT_EQ(8 * sizeof(buf), stat_of(0, "dirty_bytes", -1));
	ASSERT_EQ(0, daos_eq_create(&eq));
	ASSERT_EQ(0, daos_event_init(&ev, eq, NULL));
	ASSERT_EQ(0, daos_container_flush(coh, EP(2), &ev));
	while ((n = daos_eq_poll(eq, 0, DAOS_EQ_NOWAIT, 1, &got)) == 0) {
		if (daos_event_progress(&ev, &done, &total) == 0 && total) {
			EXPECT_LE(done, total);
			EXPECT_LE(last, done);
			between |= done > 0 && done < total;
			last = done;
			seen_total = total;
		}
		usleep(20000);
	}
	ASSERT_EQ(1, n);
	EXPECT_EQ(0, ev.ev_error);
	EXPECT_EQ(8 * sizeof(buf), seen_total);
	EXPECT_TRUE(between);
	EXPECT_EQ(0, stat_of(0, "dirty_bytes", -1));
	EXPECT_EQ(0, daos_event_fini(&ev));
	EXPECT_EQ(0, daos_eq_destroy(eq));
	EXPECT_EQ(0, drop_container(path, coh));
	target_done(0);
}

struct writer {
	daos_handle_t oh;
	int writes;
	size_t len;
	volatile int done;
	int rc;
};

static void *write_all(void *arg)
{
	struct writer *w = arg;
	static unsigned char buf[64 * 1024];

	w->rc = 0;
	for (int i = 0; i < w->writes && !w->rc; i++)
		w->rc = put(w->oh, 2, (uint64_t)i * w->len, buf, w->len);
	w->done = 1;
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/*
 * 1 MiB of dirty room, requests of 64 KiB served one at a time in 50 ms:
 * a writer of 3 MiB blocks at the limit (the dirty bytes never pass it by
 * more than one write) and is released as requests complete; a writer
 * blocked there is interrupted by a signal.
 */
TEST(the_dirty_limit_blocks_and_releases_writers)
{
	struct writer w = { .writes = 48, .len = 64 * 1024 };
	struct sigaction sa = { .sa_handler = on_usr1 };
	long long most = 0;
	daos_handle_t coh;
	char path[64];
	pthread_t t;
	uint64_t t0;

	target_defaults(3);
	ASSERT_EQ(0, target_set(3, "request_kb", "64"));
	ASSERT_EQ(0, target_set(3, "max_in_flight", "1"));
	ASSERT_EQ(0, target_set(3, "max_dirty_mb", "1"));
	ASSERT_EQ(0, target_set(3, "latency_us", "50000"));
	ASSERT_EQ(0, make_container("cache_limit", 3, path, sizeof(path), &coh));
	ASSERT_EQ(0, daos_object_open(coh, OBJ, DAOS_OBJ_RW | DAOS_OBJ_IO_BUFFERED | DAOS_OBJ_IO_RAND, &w.oh, NULL));
	t0 = now_us();
	ASSERT_EQ(0, pthread_create(&t, NULL, write_all, &w));
	while (!w.done) {
		long long d = stat_of(3, "dirty_bytes", -1);

		most = d > most ? d : most;
		usleep(10000);
	}
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(0, w.rc);
	/* 2 MiB had to reach the target first: 32 requests of 50 ms. */
	EXPECT_LE(32 * 50000, now_us() - t0);
	EXPECT_LE(most, MiB + 64 * 1024);
	EXPECT_LE(MiB / 2, most);

	/* Blocked at the limit, a signal ends the write (no SA_RESTART). */
	ASSERT_EQ(0, daos_container_flush(coh, EP(2), NULL));
	ASSERT_EQ(0, target_set(3, "latency_us", "2000000"));
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	w = (struct writer){ .oh = w.oh, .writes = 40, .len = 64 * 1024 };
	ASSERT_EQ(0, pthread_create(&t, NULL, write_all, &w));
	while (stat_of(3, "dirty_bytes", -1) < (long long)MiB)
		usleep(10000);
	usleep(200000);
	EXPECT_EQ(0, w.done);
	ASSERT_EQ(0, pthread_kill(t, SIGUSR1));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(-EINTR, w.rc);
	ASSERT_EQ(0, target_set(3, "latency_us", "0"));
	EXPECT_EQ(0, daos_container_flush(coh, EP(2), NULL));
	EXPECT_EQ(0, stat_of(3, "dirty_bytes", -1));
	EXPECT_EQ(0, drop_container(path, coh));
	target_done(3);
}

TEST(the_shrinker_writes_back_dirty_data)
{
	static unsigned char buf[512 * 1024], got[512 * 1024];
	long long req0;
	daos_handle_t coh, oh;
	char path[64];

	target_defaults(0);
	ASSERT_EQ(0, make_container("cache_shrink", 0, path, sizeof(path), &coh));
	ASSERT_EQ(0, daos_object_open(coh, OBJ, DAOS_OBJ_RW | DAOS_OBJ_IO_BUFFERED | DAOS_OBJ_IO_SEQ, &oh, NULL));
	fill(buf, sizeof(buf), 5);
	req0 = stat_of(0, "write_requests", -1);
	ASSERT_EQ(0, put(oh, 2, 0, buf, sizeof(buf)));
	EXPECT_EQ(0, stat_of(0, "write_requests", -1) - req0);
	EXPECT_EQ((long long)sizeof(buf), stat_of(0, "dirty_bytes", -1));
	/* What memory pressure calls: the shrinker's scan. */
	ASSERT_EQ(0, write_str("/sys/kernel/debug/daos/shrink", "1000"));
	EXPECT_EQ(1, stat_of(0, "write_requests", -1) - req0);
	/* The flush has nothing left to send, and waits for the request. */
	ASSERT_EQ(0, daos_container_flush(coh, EP(2), NULL));
	EXPECT_EQ(1, stat_of(0, "write_requests", -1) - req0);
	EXPECT_EQ(0, stat_of(0, "dirty_bytes", -1));
	ASSERT_EQ(0, get(oh, 2, 0, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(buf, got, sizeof(buf)));
	EXPECT_EQ(0, drop_container(path, coh));
	target_done(0);
}

TEST(a_lost_write_fails_the_flush_and_a_retry_succeeds)
{
	static unsigned char buf[8192], got[8192];
	long long lost0;
	daos_handle_t coh, oh, ro, roh;
	unsigned int failed = 99;
	char path[64];

	target_defaults(1);
	ASSERT_EQ(0, make_container("cache_lost", 1, path, sizeof(path), &coh));
	ASSERT_EQ(0, daos_object_open(coh, OBJ, DAOS_OBJ_RW | DAOS_OBJ_IO_BUFFERED, &oh, NULL));
	fill(buf, sizeof(buf), 9);
	lost0 = stat_of(1, "lost", -1);
	ASSERT_EQ(0, put(oh, 2, 4096, buf, sizeof(buf)));
	ASSERT_EQ(0, target_set(1, "lose_writes", "1"));
	EXPECT_EQ(-EIO, daos_container_flush(coh, EP(2), NULL));
	EXPECT_EQ(1, stat_of(1, "lost", -1) - lost0);
	EXPECT_EQ(0, read_long(CONFIGFS "1/lose_writes"));
	/* Still cached: the writer reads it, and a retry sends it. */
	EXPECT_EQ((long long)sizeof(buf), stat_of(1, "dirty_bytes", -1));
	ASSERT_EQ(0, get(oh, 2, 4096, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(buf, got, sizeof(buf)));
	ASSERT_EQ(0, daos_container_flush(coh, EP(2), NULL));
	EXPECT_EQ(0, stat_of(1, "dirty_bytes", -1));
	ASSERT_EQ(0, daos_epoch_commit(coh, EP(2), true, &failed, NULL));
	ASSERT_EQ(0, open_reader(path, &ro, &roh));
	ASSERT_EQ(0, get(roh, 2, 4096, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(buf, got, sizeof(got)));
	/* A commit whose flush loses a write fails, and commits nothing. */
	ASSERT_EQ(0, put(oh, 3, 0, buf, sizeof(buf)));
	ASSERT_EQ(0, target_set(1, "lose_writes", "1"));
	EXPECT_EQ(-EIO, daos_epoch_commit(coh, EP(3), true, NULL, NULL));
	ASSERT_EQ(0, get(roh, 3, 0, got, 4096));
	EXPECT_EQ(0, got[0] | got[4095]);
	EXPECT_EQ(0, daos_epoch_commit(coh, EP(3), true, NULL, NULL));
	ASSERT_EQ(0, get(roh, 3, 0, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(buf, got, sizeof(got)));
	EXPECT_EQ(0, daos_container_close(ro, NULL));
	EXPECT_EQ(0, drop_container(path, coh));
	target_done(1);
}

/*
 * A process killed with dirty data and a request in flight: its operations
 * end, and its close (the last writer's) discards its uncommitted epoch:
 * the cached data and the request's go, with their space on the target.
 */
TEST(a_process_killed_with_dirty_data_leaks_nothing)
{
	static unsigned char buf[300 * 1024], got[300 * 1024];
	daos_handle_t coh, oh;
	long used0;
	char path[64];
	int status;
	pid_t pid;

	target_defaults(2);
	used0 = read_long(CONFIGFS "2/used");
	ASSERT_EQ(0, target_set(2, "latency_us", "300000"));
	snprintf(path, sizeof(path), "/tmp/cache_kill.%d", getpid());
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		unsigned int targets[1] = { 2 };
		int shards[1] = { 0 };
		daos_handle_t c, oh, r;

		if (daos_container_open(path, DAOS_COO_RW | DAOS_COO_CREATE, 1, NULL, &c, NULL) ||
		    daos_shard_add(c, EP(1), 1, targets, shards, NULL) ||
		    daos_object_open(c, OBJ, DAOS_OBJ_RW | DAOS_OBJ_IO_BUFFERED | DAOS_OBJ_IO_SEQ, &oh, NULL) ||
		    daos_object_open(c, (daos_obj_id_t){ 0, 8 }, DAOS_OBJ_RW | DAOS_OBJ_IO_BUFFERED | DAOS_OBJ_IO_RAND, &r, NULL))
			_exit(1);
		put(oh, 2, 0, buf, sizeof(buf));
		put(r, 2, 0, buf, sizeof(buf));
		kill(getpid(), SIGKILL);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));
	for (int i = 0; i < 500 && daos_operations() != 0; i++)
		usleep(10000);
	EXPECT_EQ(0, daos_operations());
	EXPECT_EQ(0, stat_of(2, "dirty_bytes", -1));
	ASSERT_EQ(0, target_set(2, "latency_us", "0"));
	ASSERT_EQ(0, daos_container_open(path, DAOS_COO_RW, 1, NULL, &coh, NULL));
	ASSERT_EQ(0, daos_object_open(coh, OBJ, DAOS_OBJ_RW, &oh, NULL));
	ASSERT_EQ(0, get(oh, 2, 0, got, sizeof(got)));
	EXPECT_EQ(0, got[0] | got[sizeof(got) - 1]);
	EXPECT_EQ(0, drop_container(path, coh));
	EXPECT_EQ(used0, read_long(CONFIGFS "2/used"));
	target_done(2);
}

TEST(knobs_refuse_bad_values)
{
	EXPECT_NE(0, target_set(0, "request_kb", "1000"));
	EXPECT_NE(0, target_set(0, "request_kb", "2"));
	EXPECT_NE(0, target_set(0, "request_kb", "32768"));
	EXPECT_NE(0, target_set(0, "max_in_flight", "0"));
	EXPECT_NE(0, target_set(0, "max_in_flight", "257"));
	EXPECT_NE(0, target_set(0, "max_dirty_mb", "0"));
	EXPECT_NE(0, target_set(0, "lose_writes", "-1"));
	EXPECT_EQ(0, target_set(0, "request_kb", "4"));
	EXPECT_EQ(4, read_long(CONFIGFS "0/request_kb"));
	EXPECT_EQ(0, target_set(0, "request_kb", "16384"));
	EXPECT_EQ(0, target_set(0, "max_in_flight", "256"));
	EXPECT_EQ(256, read_long(CONFIGFS "0/max_in_flight"));
	target_defaults(0);
	EXPECT_EQ(1024, read_long(CONFIGFS "0/request_kb"));
	EXPECT_EQ(32, read_long(CONFIGFS "0/max_dirty_mb"));
	target_done(0);
}

TEST_HARNESS_MAIN
