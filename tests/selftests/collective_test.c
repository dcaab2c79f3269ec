// SPDX-License-Identifier: GPL-2.0
/*
 * Collective open (daos_local2global / daos_global2local), snapshots, the
 * container's layout listen, progress, and a process killed in the middle
 * of asynchronous writes and commits.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/daos.h>
#include <daos.h>

#include "kselftest_harness.h"
#include "daos_selftest.h"
#include "daos_co.h"


FIXTURE(co) {
	char path[64];
	daos_handle_t coh;
	daos_handle_t eq;
};

FIXTURE_SETUP(co)
{
	unsigned int targets[4] = { 0, 1, 2, 3 };
	int shards[4] = { 0, 1, 2, 3 };

	snprintf(self->path, sizeof(self->path), "/tmp/collective.%d", getpid());
	ASSERT_EQ(0, daos_container_open(self->path, DAOS_COO_RW | DAOS_COO_CREATE, 3, NULL, &self->coh, NULL));
	ASSERT_EQ(0, daos_shard_add(self->coh, EP(1), 4, targets, shards, NULL));
	ASSERT_EQ(0, daos_eq_create(&self->eq));
}

FIXTURE_TEARDOWN(co)
{
	daos_container_close(self->coh, NULL);
	daos_eq_destroy(self->eq);
	daos_container_unlink(self->path, NULL);
	unlink(self->path);
}

/* A global handle buffer of @coh, malloc'ed; its size in @size. */
static void *global_of(daos_handle_t coh, unsigned int *size)
{
	void *buf;

	*size = 0;
	if (daos_local2global(coh, NULL, size) || *size < sizeof(struct daos_global_handle))
		return NULL;
	buf = malloc(*size);
	if (buf && daos_local2global(coh, buf, size)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * A sibling: takes the global handle from @in, writes @byte at shard
 * @shard in epoch 2, says so on @out, then waits for @in to close and
 * reports what its handle does after the opener closed.
 */
static int sibling(int in, int out, int shard, char byte)
{
	char buf[256], data[64];
	daos_handle_t coh = { 0 }, oh;
	ssize_t n = read(in, buf, sizeof(buf));
	struct daos_epoch_info ei;
	int rc;

	if (n <= 0)
		return 1;
	if (daos_global2local(buf, n, &coh, NULL))
		return 2;
	/* Only the opener commits. */
	if (daos_epoch_commit(coh, EP(2), false, NULL, NULL) != -EPERM)
		return 3;
	if (daos_local2global(coh, NULL, &(unsigned int){ 0 }) != -EPERM)
		return 4;
	if (daos_object_open(coh, (daos_obj_id_t){ shard, 1 }, DAOS_OBJ_RW, &oh, NULL))
		return 5;
	memset(data, byte, sizeof(data));
	if (put(oh, 2, 0, data, sizeof(data)))
		return 6;
	/* Refreshing gives the same handle back. */
	if (daos_global2local(buf, n, &coh, NULL))
		return 7;
	if (write(out, "w", 1) != 1)
		return 8;
	/* The opener closes: EOF here. */
	while (read(in, buf, 1) > 0)
		;
	rc = daos_epoch_query(coh, &ei, NULL);
	return rc == -EBADF ? 0 : 9;
}

TEST_F(co, siblings_write_shards_in_one_epoch_the_opener_commits)
{
	int to[2][2], from[2][2], status;
	pid_t kids[2];
	unsigned int size;
	void *g = global_of(self->coh, &size);
	char c, back[64];

	ASSERT_NE(NULL, g);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, pipe(to[i]));
		ASSERT_EQ(0, pipe(from[i]));
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (kids[i] == 0) {
			close(to[i][1]);
			close(from[i][0]);
			_exit(sibling(to[i][0], from[i][1], i + 1, 'A' + i));
		}
		close(to[i][0]);
		close(from[i][1]);
		ASSERT_EQ((ssize_t)size, write(to[i][1], g, size));
	}
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(1, read(from[i][0], &c, 1));
	ASSERT_EQ(0, daos_epoch_commit(self->coh, EP(2), false, NULL, NULL));
	/* A fourth process reads the result at the HCE. */
	pid_t reader = fork();

	ASSERT_LE(0, reader);
	if (reader == 0) {
		daos_handle_t coh, oh;
		int bad = 0;

		if (daos_container_open(self->path, DAOS_COO_RO, 1, NULL, &coh, NULL))
			_exit(20);
		for (int s = 1; s <= 2; s++) {
			if (daos_object_open(coh, (daos_obj_id_t){ s, 1 }, DAOS_OBJ_RO, &oh, NULL) ||
			    get(oh, DAOS_EPOCH_HIGHEST, 0, back, sizeof(back)))
				_exit(21);
			for (size_t k = 0; k < sizeof(back); k++)
				bad |= back[k] != 'A' + s - 1;
		}
		_exit(bad ? 22 : 0);
	}
	ASSERT_EQ(reader, waitpid(reader, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The opener closes: the siblings' handles die. */
	ASSERT_EQ(0, daos_container_close(self->coh, NULL));
	/* All at once: each child holds the pipes of those before it. */
	for (int i = 0; i < 2; i++)
		close(to[i][1]);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(kids[i], waitpid(kids[i], &status, 0));
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("sibling %d", i);
	}
	/* And the buffer is stale. */
	daos_handle_t h = { 0 };

	EXPECT_EQ(-ESTALE, daos_global2local(g, size, &h, NULL));
	free(g);
	ASSERT_EQ(0, daos_container_open(self->path, DAOS_COO_RW, 1, NULL, &self->coh, NULL));
}

TEST_F(co, a_forged_or_altered_global_handle_gives_no_access)
{
	unsigned int size;
	struct daos_global_handle *g = global_of(self->coh, &size);
	daos_handle_t h = { 0 };

	ASSERT_NE(NULL, g);
	EXPECT_EQ(DAOS_GLOBAL_MAGIC, g->magic);
	EXPECT_EQ(sizeof(*g) + 4 * sizeof(struct daos_ioc_loc_key), size);
	/* Too small a buffer says how big. */
	unsigned int small = 8;

	EXPECT_EQ(-E2BIG, daos_local2global(self->coh, g, &small));
	EXPECT_EQ(size, small);
	/* Each bit of the secret matters. */
	for (int bit = 0; bit < 128; bit += 9) {
		g->secret[bit / 8] ^= 1 << (bit % 8);
		EXPECT_EQ(-ESTALE, daos_global2local(g, size, &h, NULL)) TH_LOG("bit %d", bit);
		g->secret[bit / 8] ^= 1 << (bit % 8);
	}
	g->open ^= 1;
	EXPECT_EQ(-ESTALE, daos_global2local(g, size, &h, NULL));
	g->open ^= 1;
	g->ino ^= 1;
	EXPECT_EQ(-ESTALE, daos_global2local(g, size, &h, NULL));
	g->ino ^= 1;
	g->magic ^= 1;
	EXPECT_EQ(-EINVAL, daos_global2local(g, size, &h, NULL));
	g->magic ^= 1;
	g->version = 2;
	EXPECT_EQ(-EINVAL, daos_global2local(g, size, &h, NULL));
	g->version = DAOS_GLOBAL_VERSION;
	EXPECT_EQ(-EINVAL, daos_global2local(g, size - 1, &h, NULL));
	EXPECT_EQ(-EINVAL, daos_global2local(g, 8, &h, NULL));
	/* The genuine one works, in this process too, asynchronously too. */
	struct daos_event ev;

	ASSERT_EQ(0, daos_event_init(&ev, self->eq, NULL));
	ASSERT_EQ(0, daos_global2local(g, size, &h, &ev));
	EXPECT_EQ(DAOS_EV_G2L, ev.ev_type);
	ASSERT_EQ(0, wait_ev(self->eq, &ev));
	EXPECT_EQ(0, daos_event_fini(&ev));
	EXPECT_NE(0, h.cookie);
	EXPECT_EQ(0, daos_container_close(h, NULL));
	free(g);
}

TEST_F(co, a_snapshot_keeps_its_epoch_and_reports_progress)
{
	char snap[80], back[64];
	size_t len = 8 << 20;
	char *big = malloc(len);
	daos_handle_t oh, sh, soh;
	struct daos_event ev;
	struct daos_epoch_info ei;
	uint64_t done = 0, total = 0, seen_total = 0;
	struct daos_event *got;
	int n;

	ASSERT_NE(NULL, big);
	memset(big, 's', len);
	snprintf(snap, sizeof(snap), "%s.snap", self->path);
	ASSERT_EQ(0, daos_object_open(self->coh, (daos_obj_id_t){ 1, 1 }, DAOS_OBJ_RW, &oh, NULL));
	ASSERT_EQ(0, put(oh, 1, 0, big, len));
	ASSERT_EQ(0, daos_epoch_commit(self->coh, EP(1), false, NULL, NULL));
	ASSERT_EQ(0, put(oh, 2, 0, "later", 6));
	/* Only committed epochs. */
	EXPECT_EQ(-EINVAL, daos_container_snapshot(self->coh, EP(2), snap, NULL));
	EXPECT_EQ(-1, access(snap, F_OK));
	ASSERT_EQ(0, daos_event_init(&ev, self->eq, NULL));
	ASSERT_EQ(0, daos_container_snapshot(self->coh, EP(1), snap, &ev));
	EXPECT_EQ(DAOS_EV_CO_SNAPSHOT, ev.ev_type);
	/* Watch its progress while it runs (it may be over at once). */
	while ((n = daos_eq_poll(self->eq, 0, DAOS_EQ_NOWAIT, 1, &got)) == 0) {
		if (daos_event_progress(&ev, &done, &total) == 0) {
			EXPECT_LE(done, total);
			seen_total = total;
		}
	}
	ASSERT_EQ(1, n);
	ASSERT_EQ(0, ev.ev_error);
	if (seen_total)
		EXPECT_EQ(len, seen_total);
	EXPECT_EQ(-EINVAL, daos_event_progress(&ev, &done, &total));
	/* Independent afterwards: the source moves on, the snapshot stays. */
	ASSERT_EQ(0, daos_epoch_commit(self->coh, EP(2), false, NULL, NULL));
	ASSERT_EQ(0, daos_container_open(snap, DAOS_COO_RW, 1, NULL, &sh, NULL));
	ASSERT_EQ(0, daos_epoch_query(sh, &ei, NULL));
	EXPECT_EQ(1, ei.epi_hce.seq);
	ASSERT_EQ(0, daos_object_open(sh, (daos_obj_id_t){ 1, 1 }, DAOS_OBJ_RW, &soh, NULL));
	ASSERT_EQ(0, get(soh, 1, 0, back, 6));
	EXPECT_EQ(0, memcmp(back, "ssssss", 6));
	ASSERT_EQ(0, put(soh, 2, 0, "snapw", 6));
	ASSERT_EQ(0, get(oh, 2, 0, back, 6));
	EXPECT_STREQ("later", back);
	ASSERT_EQ(0, daos_container_close(sh, NULL));
	ASSERT_EQ(0, daos_container_unlink(snap, NULL));
	/* A snapshot over an existing container is refused. */
	EXPECT_EQ(0, daos_event_fini(&ev));
	free(big);
}

TEST_F(co, listen_reports_shards_added_and_disabled)
{
	struct daos_shard_event sevs[4];
	unsigned int sevn = 4, t[1] = { 2 };
	int s[1] = { 40 };
	struct daos_event ev;

	/* The first listen reports what came since the open: the 4 shards. */
	ASSERT_EQ(0, daos_container_listen(self->coh, &sevn, sevs, NULL));
	ASSERT_EQ(4, sevn);
	EXPECT_EQ(3, sevs[3].se_shard);
	EXPECT_EQ(1, sevs[3].se_epoch.seq);
	/* Then it waits for the next change. */
	sevn = 4;
	ASSERT_EQ(0, daos_event_init(&ev, self->eq, NULL));
	ASSERT_EQ(0, daos_container_listen(self->coh, &sevn, sevs, &ev));
	ASSERT_EQ(0, daos_shard_add(self->coh, EP(3), 1, t, s, NULL));
	ASSERT_EQ(0, wait_ev(self->eq, &ev));
	ASSERT_EQ(1, sevn);
	EXPECT_EQ(40, sevs[0].se_shard);
	EXPECT_EQ(2, sevs[0].se_target);
	EXPECT_EQ(3, sevs[0].se_epoch.seq);
	ASSERT_EQ(0, daos_shard_disable(self->coh, EP(3), 1, s, NULL));
	sevn = 4;
	ASSERT_EQ(0, daos_container_listen(self->coh, &sevn, sevs, NULL));
	ASSERT_EQ(1, sevn);
	EXPECT_EQ(DAOS_TARGET_ST_DISABLED, sevs[0].se_status);
	EXPECT_EQ(0, daos_event_fini(&ev));
}

TEST_F(co, a_process_killed_mid_io_leaks_nothing)
{
	int ready[2], status;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		daos_handle_t eq, coh, oh;
		static struct daos_event evs[64];
		static char data[65536];
		struct { struct daos_mmd m; struct daos_mm_frag f; } mmd = { { 1 }, { data, sizeof(data) } };
		struct { struct daos_iod i; struct daos_io_frag f; } iod = { { 1 }, { 0, sizeof(data) } };
		daos_epoch_t e = EP(DAOS_EPOCH_HIGHEST);

		if (daos_eq_create(&eq) || daos_container_open(self->path, DAOS_COO_RW, 1, NULL, &coh, NULL) ||
		    daos_object_open(coh, (daos_obj_id_t){ 0, 9 }, DAOS_OBJ_RW, &oh, NULL))
			_exit(1);
		for (int i = 0; i < 64; i++)
			daos_event_init(&evs[i], eq, NULL);
		/* A wait that only the kill ends. */
		daos_epoch_wait(coh, &e, NULL, &evs[0]);
		for (uint64_t round = 0;; round++) {
			for (int i = 1; i < 64; i += 2) {
				iod.f.if_offset = i * sizeof(data);
				daos_object_write(oh, EP(2 + round), &mmd.m, &iod.i, &evs[i]);
				daos_epoch_commit(coh, EP(1 + round), false, NULL, &evs[i + 1]);
			}
			if (round == 0 && write(ready[1], "r", 1) != 1)
				_exit(2);
			struct daos_event *got[64];

			daos_eq_poll(eq, 0, DAOS_EQ_WAIT, 63, got);
		}
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	usleep(20 * 1000);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));
	/*
	 * Everything it had running ends with it: its exit aborted the
	 * requests, which finish in the work queue shortly after.
	 */
	for (int i = 0; i < 500 && daos_operations() != 0; i++)
		usleep(10 * 1000);
	EXPECT_EQ(0, daos_operations());
}

TEST_HARNESS_MAIN
