// SPDX-License-Identifier: GPL-2.0
/*
 * Containers, shards, objects and epochs through libdaos: each call's
 * success and error paths, synchronous (NULL event) and asynchronous.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/daos.h>
#include <daos.h>

#include "kselftest_harness.h"
#include "daos_selftest.h"
#include "daos_co.h"

static int co_counter;

/* A fresh container file path under /tmp. */
static void co_path(char *buf, size_t n)
{
	snprintf(buf, n, "/tmp/co_test.%d.%d", getpid(), co_counter++);
}

static int all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

FIXTURE(co) {
	char path[64];
	daos_handle_t coh;	/* read-write, with 4 shards 0..3 on targets 0..3 */
	daos_handle_t eq;
};

FIXTURE_SETUP(co)
{
	unsigned int targets[4] = { 0, 1, 2, 3 };
	int shards[4] = { 0, 1, 2, 3 };
	daos_container_status_t st = -1;

	co_path(self->path, sizeof(self->path));
	ASSERT_EQ(0, daos_container_open(self->path, DAOS_COO_RW | DAOS_COO_CREATE, 1, &st, &self->coh, NULL));
	ASSERT_EQ(DAOS_CONTAINER_ST_OK, st);
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

TEST_F(co, write_commit_read_back_at_hce)
{
	char data[100], back[100];
	daos_handle_t oh, ro, roh;
	struct daos_epoch_info info;

	memset(data, 'a', sizeof(data));
	ASSERT_EQ(0, daos_object_open(self->coh, (daos_obj_id_t){ 2, 7 }, DAOS_OBJ_RW, &oh, NULL));
	ASSERT_EQ(0, put(oh, 1, 10, data, sizeof(data)));
	/* The writer sees its uncommitted epoch... */
	ASSERT_EQ(0, get(oh, 1, 10, back, sizeof(back)));
	EXPECT_EQ(0, memcmp(data, back, sizeof(data)));
	/* ...another handle does not, until the commit. */
	ASSERT_EQ(0, daos_container_open(self->path, DAOS_COO_RO, 1, NULL, &ro, NULL));
	ASSERT_EQ(0, daos_object_open(ro, (daos_obj_id_t){ 2, 7 }, DAOS_OBJ_RO, &roh, NULL));
	memset(back, 'x', sizeof(back));
	ASSERT_EQ(0, get(roh, 1, 10, back, sizeof(back)));
	EXPECT_TRUE(all_bytes((unsigned char *)back, sizeof(back), 0));
	ASSERT_EQ(0, daos_epoch_commit(self->coh, EP(1), false, NULL, NULL));
	ASSERT_EQ(0, daos_epoch_query(ro, &info, NULL));
	EXPECT_EQ(1, info.epi_hce.seq);
	EXPECT_EQ(1, info.epi_hse.seq);
	ASSERT_EQ(0, get(roh, 1, 10, back, sizeof(back)));
	EXPECT_EQ(0, memcmp(data, back, sizeof(data)));
	/* Zeros around what was written. */
	ASSERT_EQ(0, get(roh, 5, 0, back, 20));
	EXPECT_TRUE(all_bytes((unsigned char *)back, 10, 0));
	EXPECT_TRUE(all_bytes((unsigned char *)back + 10, 10, 'a'));
	EXPECT_EQ(0, daos_object_close(roh, NULL));
	EXPECT_EQ(0, daos_container_close(ro, NULL));
	EXPECT_EQ(0, daos_object_close(oh, NULL));
}

TEST_F(co, every_call_completes_its_event)
{
	struct daos_event ev;
	daos_handle_t oh, coh2;
	char data[4096], back[4096];
	struct { struct daos_mmd m; struct daos_mm_frag f[2]; } mmd = { { 2 }, { { data, 1000 }, { data + 1000, 3096 } } };
	struct { struct daos_iod i; struct daos_io_frag f[3]; } iod = { { 3 }, { { 0, 10 }, { 5000, 4000 }, { 100000, 86 } } };
	struct { struct daos_mmd m; struct daos_mm_frag f; } rmmd = { { 1 }, { back, 4096 } };
	struct daos_container_info ci;
	struct daos_shard_info si;
	struct daos_epoch_info ei;
	daos_epoch_t e = EP(3), layout;
	daos_off_t anchor = 0;
	unsigned int ids[8];
	daos_obj_id_t oids[4];
	unsigned int targets[1] = { 1 };
	int shards[1] = { 9 };
	daos_container_status_t st;
	char path2[64];

	for (int i = 0; i < 4096; i++)
		data[i] = i * 7;
	ASSERT_EQ(0, daos_event_init(&ev, self->eq, NULL));
#define ASYNC(call, type) do {						\
		ASSERT_EQ(0, call);					\
		EXPECT_EQ(type, ev.ev_type);				\
		ASSERT_EQ(0, wait_ev(self->eq, &ev));			\
	} while (0)
	ASYNC(daos_object_open(self->coh, (daos_obj_id_t){ 1, 1 }, DAOS_OBJ_RW | DAOS_OBJ_IO_RAND, &oh, &ev), DAOS_EV_OBJ_OPEN);
	ASYNC(daos_object_write(oh, EP(2), &mmd.m, &iod.i, &ev), DAOS_EV_OBJ_WRITE);
	ASYNC(daos_object_read(oh, EP(2), &rmmd.m, &iod.i, &ev), DAOS_EV_OBJ_READ);
	EXPECT_EQ(0, memcmp(data, back, sizeof(back)));
	ASYNC(daos_object_punch(self->coh, EP(3), (daos_obj_id_t){ 1, 1 }, 0, 9, &ev), DAOS_EV_OBJ_PUNCH);
	ASYNC(daos_object_read(oh, EP(3), &rmmd.m, &iod.i, &ev), DAOS_EV_OBJ_READ);
	EXPECT_TRUE(all_bytes((unsigned char *)back, 10, 0));
	EXPECT_EQ(0, memcmp(data + 10, back + 10, sizeof(back) - 10));
	ASYNC(daos_container_flush(self->coh, EP(3), &ev), DAOS_EV_CO_FLUSH);
	ASYNC(daos_shard_flush(self->coh, EP(3), 1, &ev), DAOS_EV_SHARD_FLUSH);
	ASYNC(daos_epoch_commit(self->coh, EP(3), true, NULL, &ev), DAOS_EV_EP_COMMIT);
	ASYNC(daos_epoch_wait(self->coh, &e, &layout, &ev), DAOS_EV_EP_WAIT);
	ASYNC(daos_epoch_query(self->coh, &ei, &ev), DAOS_EV_EP_QUERY);
	EXPECT_EQ(3, ei.epi_hce.seq);
	ASYNC(daos_epoch_abort(self->coh, EP(4), NULL, &ev), DAOS_EV_EP_ABORT);
	ASYNC(daos_epoch_slip(self->coh, EP(3), &ev), DAOS_EV_EP_SLIP);
	ASYNC(daos_container_query(self->coh, &e, &ci, &ev), DAOS_EV_CO_QUERY);
	EXPECT_EQ(4, ci.ci_nshard);
	ASYNC(daos_container_list_shard(self->coh, EP(3), DAOS_SHARD_LS_ALL, &anchor, 8, ids, &ev), DAOS_EV_CO_LS_SHARD);
	EXPECT_EQ(3, ids[3]);
	EXPECT_EQ(-1, (int)ids[4]);
	ASYNC(daos_shard_add(self->coh, EP(4), 1, targets, shards, &ev), DAOS_EV_SHARD_ADD);
	ASYNC(daos_shard_disable(self->coh, EP(4), 1, shards, &ev), DAOS_EV_SHARD_DISABLE);
	ASYNC(daos_shard_query(self->coh, NULL, 1, &si, &ev), DAOS_EV_SHARD_QUERY);
	EXPECT_EQ(1, si.sai_target);
	EXPECT_EQ(1, si.sai_space.sai_nobjs);
	anchor = 0;
	ASYNC(daos_shard_list_obj(self->coh, EP(3), 1, &anchor, 4, oids, &ev), DAOS_EV_SHARD_LS_OBJ);
	EXPECT_EQ(1, oids[0].o_id_lo);
	EXPECT_EQ(DAOS_LIST_END, anchor);
	ASYNC(daos_object_close(oh, &ev), DAOS_EV_OBJ_CLOSE);
	co_path(path2, sizeof(path2));
	ASYNC(daos_container_open(path2, DAOS_COO_RW | DAOS_COO_CREATE, 1, &st, &coh2, &ev), DAOS_EV_CO_OPEN);
	ASYNC(daos_container_close(coh2, &ev), DAOS_EV_CO_CLOSE);
	ASYNC(daos_container_unlink(path2, &ev), DAOS_EV_CO_UNLINK);
	EXPECT_EQ(-1, access(path2, F_OK));
	EXPECT_EQ(0, daos_event_fini(&ev));
#undef ASYNC
}

TEST_F(co, bad_arguments_and_handles_are_refused)
{
	daos_handle_t oh, bad = { 12345 };
	char buf[16] = { 0 };
	struct { struct daos_mmd m; struct daos_mm_frag f; } mmd = { { 1 }, { buf, 16 } };
	struct { struct daos_iod i; struct daos_io_frag f; } iod = { { 1 }, { 0, 15 } };
	struct daos_epoch_info ei;
	char missing[64];

	co_path(missing, sizeof(missing));
	EXPECT_EQ(-ENOENT, daos_container_open(missing, DAOS_COO_RW, 1, NULL, &oh, NULL));
	ASSERT_EQ(0, close(open(missing, O_CREAT | O_RDWR, 0644)));
	/* A plain file is not a container until DAOS_COO_CREATE makes it one. */
	EXPECT_EQ(-ENOENT, daos_container_open(missing, DAOS_COO_RO, 1, NULL, &oh, NULL));
	EXPECT_EQ(-ENOENT, daos_container_unlink(missing, NULL));
	unlink(missing);
	EXPECT_EQ(-EINVAL, daos_container_open(self->path, DAOS_COO_RO | DAOS_COO_RW, 1, NULL, &oh, NULL));
	EXPECT_EQ(-EINVAL, daos_container_open(NULL, DAOS_COO_RO, 1, NULL, &oh, NULL));
	EXPECT_EQ(-EBADF, daos_container_close(bad, NULL));
	EXPECT_EQ(-EBADF, daos_epoch_query(bad, &ei, NULL));
	EXPECT_EQ(-EBADF, daos_object_open(bad, (daos_obj_id_t){ 0, 0 }, DAOS_OBJ_RO, &oh, NULL));
	EXPECT_EQ(-ENOENT, daos_object_open(self->coh, (daos_obj_id_t){ 77, 0 }, DAOS_OBJ_RO, &oh, NULL));
	EXPECT_EQ(-EINVAL, daos_object_open(self->coh, (daos_obj_id_t){ 1u << 20, 0 }, DAOS_OBJ_RO, &oh, NULL));
	EXPECT_EQ(-EINVAL, daos_object_open(self->coh, (daos_obj_id_t){ 0, 0 }, 0, &oh, NULL));
	ASSERT_EQ(0, daos_object_open(self->coh, (daos_obj_id_t){ 0, 1 }, DAOS_OBJ_RW, &oh, NULL));
	/* Totals differ. */
	EXPECT_EQ(-EINVAL, daos_object_write(oh, EP(1), &mmd.m, &iod.i, NULL));
	iod.f.if_nob = 16;
	/* Too many fragments. */
	mmd.m.mmd_nfrag = DAOS_IO_FRAG_MAX + 1;
	EXPECT_EQ(-EINVAL, daos_object_write(oh, EP(1), &mmd.m, &iod.i, NULL));
	mmd.m.mmd_nfrag = 1;
	/* Past the end of the object's address space. */
	iod.f.if_offset = UINT64_MAX - 3;
	EXPECT_EQ(-EINVAL, daos_object_write(oh, EP(1), &mmd.m, &iod.i, NULL));
	iod.f.if_offset = 0;
	/* A buffer that is not memory. */
	mmd.f.mf_addr = (void *)16;
	EXPECT_EQ(-EFAULT, daos_object_write(oh, EP(1), &mmd.m, &iod.i, NULL));
	EXPECT_EQ(-EFAULT, daos_object_read(oh, EP(1), &mmd.m, &iod.i, NULL));
	mmd.f.mf_addr = buf;
	ASSERT_EQ(0, daos_object_write(oh, EP(1), &mmd.m, &iod.i, NULL));
	ASSERT_EQ(0, daos_epoch_commit(self->coh, EP(1), false, NULL, NULL));
	/* Committed epochs are read-only, and cannot be aborted. */
	EXPECT_EQ(-EINVAL, daos_object_write(oh, EP(1), &mmd.m, &iod.i, NULL));
	EXPECT_EQ(-EINVAL, daos_object_punch(self->coh, EP(1), (daos_obj_id_t){ 0, 1 }, 0, 1, NULL));
	EXPECT_EQ(-EPERM, daos_epoch_abort(self->coh, EP(1), NULL, NULL));
	EXPECT_EQ(-EINVAL, daos_object_punch(self->coh, EP(2), (daos_obj_id_t){ 0, 1 }, 5, 1, NULL));
	/* Committing again is done already. */
	EXPECT_EQ(0, daos_epoch_commit(self->coh, EP(1), false, NULL, NULL));
	EXPECT_EQ(0, daos_object_close(oh, NULL));
	EXPECT_EQ(-EBADF, daos_object_close(oh, NULL));
}

TEST_F(co, read_only_handles_cannot_change_anything)
{
	daos_handle_t ro, oh;
	char buf[8] = "abcdefg";
	unsigned int t[1] = { 0 };
	int s[1] = { 20 };

	ASSERT_EQ(0, daos_container_open(self->path, DAOS_COO_RO, 1, NULL, &ro, NULL));
	EXPECT_EQ(-EPERM, daos_object_open(ro, (daos_obj_id_t){ 0, 1 }, DAOS_OBJ_RW, &oh, NULL));
	ASSERT_EQ(0, daos_object_open(ro, (daos_obj_id_t){ 0, 1 }, DAOS_OBJ_RO, &oh, NULL));
	EXPECT_EQ(-EPERM, put(oh, 5, 0, buf, 8));
	EXPECT_EQ(-EPERM, daos_object_punch(ro, EP(5), (daos_obj_id_t){ 0, 1 }, 0, 1, NULL));
	EXPECT_EQ(-EPERM, daos_epoch_commit(ro, EP(5), false, NULL, NULL));
	EXPECT_EQ(-EPERM, daos_epoch_abort(ro, EP(5), NULL, NULL));
	EXPECT_EQ(-EPERM, daos_shard_add(ro, EP(5), 1, t, s, NULL));
	EXPECT_EQ(0, daos_container_close(ro, NULL));
	/* Its objects' handles closed with it. */
	EXPECT_EQ(-EBADF, daos_object_close(oh, NULL));
}

TEST_F(co, shard_add_reports_each_failure)
{
	unsigned int targets[3] = { 0, 99, 2 };
	int shards[3] = { 10, 11, 3 };
	int dis[2] = { 10, 50 };
	daos_handle_t oh;
	struct daos_container_info ci;
	unsigned int ids[4];
	daos_off_t anchor = 0;

	/* 11: no such target; 3: exists already. */
	EXPECT_EQ(-ENODEV, daos_shard_add(self->coh, EP(2), 3, targets, shards, NULL));
	EXPECT_EQ(10, shards[0]);
	EXPECT_EQ(-1, shards[1]);
	EXPECT_EQ(-1, shards[2]);
	EXPECT_EQ(-ENOENT, daos_shard_disable(self->coh, EP(2), 2, dis, NULL));
	EXPECT_EQ(10, dis[0]);
	EXPECT_EQ(-1, dis[1]);
	EXPECT_EQ(-ENODEV, daos_object_open(self->coh, (daos_obj_id_t){ 10, 0 }, DAOS_OBJ_RO, &oh, NULL));
	dis[1] = 10;
	EXPECT_EQ(-EALREADY, daos_shard_disable(self->coh, EP(2), 1, dis + 1, NULL));
	ASSERT_EQ(0, daos_container_query(self->coh, NULL, &ci, NULL));
	EXPECT_EQ(5, ci.ci_nshard);
	EXPECT_EQ(1, ci.ci_nshard_disabled);
	ASSERT_EQ(0, daos_container_list_shard(self->coh, EP(2), DAOS_SHARD_LS_DISABLED, &anchor, 4, ids, NULL));
	EXPECT_EQ(10, ids[0]);
	EXPECT_EQ(-1, (int)ids[1]);
	/* Paging: two at a time. */
	anchor = 0;
	ASSERT_EQ(0, daos_container_list_shard(self->coh, EP(2), DAOS_SHARD_LS_ALL, &anchor, 2, ids, NULL));
	EXPECT_EQ(1, ids[1]);
	EXPECT_EQ(2, anchor);
	ASSERT_EQ(0, daos_container_list_shard(self->coh, EP(2), DAOS_SHARD_LS_ALL, &anchor, 2, ids, NULL));
	EXPECT_EQ(3, ids[1]);
	ASSERT_EQ(0, daos_container_list_shard(self->coh, EP(2), DAOS_SHARD_LS_ALL, &anchor, 2, ids, NULL));
	EXPECT_EQ(10, ids[0]);
	EXPECT_EQ(DAOS_LIST_END, anchor);
}

TEST_F(co, abort_drops_the_epoch_and_later)
{
	daos_handle_t oh;
	char a[8] = "AAAAAAA", b[8] = "BBBBBBB", back[8];

	ASSERT_EQ(0, daos_object_open(self->coh, (daos_obj_id_t){ 0, 3 }, DAOS_OBJ_RW, &oh, NULL));
	ASSERT_EQ(0, put(oh, 2, 0, a, 8));
	ASSERT_EQ(0, put(oh, 3, 0, b, 8));
	ASSERT_EQ(0, put(oh, 4, 4, b, 4));
	ASSERT_EQ(0, daos_epoch_abort(self->coh, EP(3), NULL, NULL));
	ASSERT_EQ(0, get(oh, 9, 0, back, 8));
	EXPECT_EQ(0, memcmp(a, back, 8));
	/* The aborted epoch can be written again. */
	ASSERT_EQ(0, put(oh, 3, 0, b, 8));
	ASSERT_EQ(0, daos_epoch_commit(self->coh, EP(3), false, NULL, NULL));
	ASSERT_EQ(0, get(oh, 3, 0, back, 8));
	EXPECT_EQ(0, memcmp(b, back, 8));
	ASSERT_EQ(0, get(oh, 2, 0, back, 8));
	EXPECT_EQ(0, memcmp(a, back, 8));
}

TEST_F(co, last_writer_close_discards_uncommitted_epochs)
{
	daos_handle_t oh, coh;
	char a[4] = "aaa", back[4];

	ASSERT_EQ(0, daos_object_open(self->coh, (daos_obj_id_t){ 0, 4 }, DAOS_OBJ_RW, &oh, NULL));
	ASSERT_EQ(0, put(oh, 1, 0, a, 4));
	ASSERT_EQ(0, daos_epoch_commit(self->coh, EP(1), false, NULL, NULL));
	ASSERT_EQ(0, put(oh, 2, 0, "bbb", 4));
	ASSERT_EQ(0, daos_container_close(self->coh, NULL));
	ASSERT_EQ(0, daos_container_open(self->path, DAOS_COO_RW, 1, NULL, &self->coh, NULL));
	ASSERT_EQ(0, daos_object_open(self->coh, (daos_obj_id_t){ 0, 4 }, DAOS_OBJ_RW, &oh, NULL));
	ASSERT_EQ(0, get(oh, 2, 0, back, 4));
	EXPECT_EQ(0, memcmp(a, back, 4));
	/* With another writer open, a close keeps the epoch. */
	ASSERT_EQ(0, put(oh, 2, 0, "ccc", 4));
	ASSERT_EQ(0, daos_container_open(self->path, DAOS_COO_RW, 1, NULL, &coh, NULL));
	ASSERT_EQ(0, daos_container_close(coh, NULL));
	ASSERT_EQ(0, get(oh, 2, 0, back, 4));
	EXPECT_EQ(0, memcmp("ccc", back, 4));
}

struct committer {
	daos_handle_t coh;
	uint64_t epoch;
};

static void *commit_later(void *p)
{
	struct committer *c = p;

	usleep(100 * 1000);
	return (void *)(intptr_t)daos_epoch_commit(c->coh, EP(c->epoch), false, NULL, NULL);
}

TEST_F(co, epoch_wait_blocks_until_the_commit)
{
	struct committer c = { self->coh, 5 };
	daos_epoch_t e = EP(5), layout = EP(77);
	pthread_t t;
	void *rc;

	ASSERT_EQ(0, pthread_create(&t, NULL, commit_later, &c));
	/* Synchronous and untimed: only the commit ends it. */
	ASSERT_EQ(0, daos_epoch_wait(self->coh, &e, &layout, NULL));
	EXPECT_EQ(5, e.seq);
	/* The shards were added at epoch 1, which the commit covers. */
	EXPECT_EQ(1, layout.seq);
	ASSERT_EQ(0, pthread_join(t, &rc));
	EXPECT_EQ(0, (intptr_t)rc);
}

TEST_F(co, aborting_a_pending_wait_ends_it_with_eintr)
{
	struct daos_event ev;
	daos_epoch_t e = EP(DAOS_EPOCH_HIGHEST);

	ASSERT_EQ(0, daos_event_init(&ev, self->eq, NULL));
	ASSERT_EQ(0, daos_epoch_wait(self->coh, &e, NULL, &ev));
	ASSERT_EQ(0, daos_event_abort(&ev));
	EXPECT_EQ(-EINTR, wait_ev(self->eq, &ev));
	EXPECT_EQ(0, daos_event_fini(&ev));
}

TEST_F(co, closing_the_handle_ends_its_waits_with_ebadf)
{
	struct daos_event ev;
	daos_epoch_t e = EP(100);
	daos_handle_t coh;

	ASSERT_EQ(0, daos_container_open(self->path, DAOS_COO_RO, 1, NULL, &coh, NULL));
	ASSERT_EQ(0, daos_event_init(&ev, self->eq, NULL));
	ASSERT_EQ(0, daos_epoch_wait(coh, &e, NULL, &ev));
	ASSERT_EQ(0, daos_container_close(coh, NULL));
	EXPECT_EQ(-EBADF, wait_ev(self->eq, &ev));
	EXPECT_EQ(0, daos_event_fini(&ev));
}

TEST_F(co, rename_keeps_the_container_and_unlink_removes_its_data)
{
	char moved[80], buf[8] = "payload", back[8];
	daos_handle_t oh;
	struct daos_shard_info si;

	ASSERT_EQ(0, daos_object_open(self->coh, (daos_obj_id_t){ 3, 1 }, DAOS_OBJ_RW, &oh, NULL));
	ASSERT_EQ(0, put(oh, 1, 0, buf, 8));
	ASSERT_EQ(0, daos_epoch_commit(self->coh, EP(1), false, NULL, NULL));
	ASSERT_EQ(0, daos_container_close(self->coh, NULL));
	snprintf(moved, sizeof(moved), "%s.moved", self->path);
	ASSERT_EQ(0, rename(self->path, moved));
	ASSERT_EQ(0, daos_container_open(moved, DAOS_COO_RW, 1, NULL, &self->coh, NULL));
	ASSERT_EQ(0, daos_object_open(self->coh, (daos_obj_id_t){ 3, 1 }, DAOS_OBJ_RO, &oh, NULL));
	ASSERT_EQ(0, get(oh, 1, 0, back, 8));
	EXPECT_EQ(0, memcmp(buf, back, 8));
	ASSERT_EQ(0, daos_shard_query(self->coh, NULL, 3, &si, NULL));
	EXPECT_EQ(1, si.sai_space.sai_nobjs);
	EXPECT_LT(8, si.sai_space.sai_used);
	/* Open: cannot be destroyed. */
	EXPECT_EQ(-EBUSY, daos_container_unlink(moved, NULL));
	ASSERT_EQ(0, daos_container_close(self->coh, NULL));
	ASSERT_EQ(0, daos_container_unlink(moved, NULL));
	EXPECT_EQ(-1, access(moved, F_OK));
	/* A new container at the same path starts empty. */
	ASSERT_EQ(0, daos_container_open(moved, DAOS_COO_RW | DAOS_COO_CREATE, 1, NULL, &self->coh, NULL));
	EXPECT_EQ(-ENOENT, daos_shard_query(self->coh, NULL, 3, &si, NULL));
	ASSERT_EQ(0, daos_container_close(self->coh, NULL));
	ASSERT_EQ(0, daos_container_unlink(moved, NULL));
	/* For the teardown. */
	ASSERT_EQ(0, daos_container_open(self->path, DAOS_COO_RW | DAOS_COO_CREATE, 1, NULL, &self->coh, NULL));
}

TEST_F(co, file_permissions_decide_read_write_opens)
{
	pid_t pid;
	int status;

	ASSERT_EQ(0, chmod(self->path, 0644));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		daos_handle_t coh;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		if (daos_container_open(self->path, DAOS_COO_RW, 1, NULL, &coh, NULL) != -EACCES)
			_exit(11);
		if (daos_container_open(self->path, DAOS_COO_RO, 1, NULL, &coh, NULL) != 0)
			_exit(12);
		if (daos_container_unlink(self->path, NULL) != -EACCES)
			_exit(13);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_F(co, another_process_cannot_use_the_handles)
{
	pid_t pid;
	int status;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct daos_epoch_info ei;

		_exit(daos_epoch_query(self->coh, &ei, NULL) == -EBADF ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_F(co, slip_reclaims_what_no_reader_needs)
{
	daos_handle_t oh;
	char buf[4096], back[16];
	struct daos_shard_info before, after;
	struct daos_epoch_info ei;

	ASSERT_EQ(0, daos_object_open(self->coh, (daos_obj_id_t){ 1, 9 }, DAOS_OBJ_RW, &oh, NULL));
	for (int e = 1; e <= 4; e++) {
		memset(buf, 'a' + e, sizeof(buf));
		ASSERT_EQ(0, put(oh, e, 0, buf, sizeof(buf)));
		ASSERT_EQ(0, daos_epoch_commit(self->coh, EP(e), false, NULL, NULL));
	}
	ASSERT_EQ(0, daos_shard_query(self->coh, NULL, 1, &before, NULL));
	ASSERT_EQ(0, daos_epoch_slip(self->coh, EP(DAOS_EPOCH_HIGHEST), NULL));
	ASSERT_EQ(0, daos_epoch_query(self->coh, &ei, NULL));
	EXPECT_EQ(4, ei.epi_hce_slipped.seq);
	EXPECT_EQ(4, ei.epi_hce_oldest.seq);
	ASSERT_EQ(0, daos_shard_query(self->coh, NULL, 1, &after, NULL));
	EXPECT_EQ(before.sai_space.sai_used - 3 * (4096 + 64), after.sai_space.sai_used);
	ASSERT_EQ(0, get(oh, 4, 0, back, 16));
	EXPECT_TRUE(all_bytes((unsigned char *)back, 16, 'a' + 4));
	/* Reclaimed epochs cannot be read. */
	EXPECT_EQ(-EINVAL, get(oh, 3, 0, back, 16));
	EXPECT_EQ(-EINVAL, daos_epoch_slip(self->coh, EP(2), NULL));
}

TEST_F(co, a_read_into_memory_freed_before_completion_is_safe)
{
	daos_handle_t oh;
	struct daos_event ev;
	size_t len = 1 << 20;
	char *buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct { struct daos_mmd m; struct daos_mm_frag f; } mmd = { { 1 }, { buf, len } };
	struct { struct daos_iod i; struct daos_io_frag f; } iod = { { 1 }, { 0, len } };

	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, daos_object_open(self->coh, (daos_obj_id_t){ 0, 5 }, DAOS_OBJ_RW, &oh, NULL));
	ASSERT_EQ(0, daos_event_init(&ev, self->eq, NULL));
	ASSERT_EQ(0, daos_object_read(oh, EP(1), &mmd.m, &iod.i, &ev));
	/* The pages stay pinned by the read, not mapped. */
	ASSERT_EQ(0, munmap(buf, len));
	EXPECT_EQ(0, wait_ev(self->eq, &ev));
	EXPECT_EQ(0, daos_event_fini(&ev));
}

TEST_F(co, a_full_target_says_enospc)
{
	daos_handle_t oh;
	size_t len = 1 << 20;
	char *buf = malloc(len);
	int rc = 0, e;

	ASSERT_NE(NULL, buf);
	memset(buf, 1, len);
	ASSERT_EQ(0, write_str(DAOS_PARAM "target_capacity_mb", "8"));
	ASSERT_EQ(0, daos_object_open(self->coh, (daos_obj_id_t){ 2, 1 }, DAOS_OBJ_RW, &oh, NULL));
	for (e = 1; e <= 9 && rc == 0; e++)
		rc = put(oh, e, 0, buf, len);
	EXPECT_EQ(-ENOSPC, rc);
	/* The eighth MiB did not fit with the bookkeeping. */
	EXPECT_EQ(9, e);
	/* Aborting gives the space back. */
	ASSERT_EQ(0, daos_epoch_abort(self->coh, EP(1), NULL, NULL));
	EXPECT_EQ(0, put(oh, 1, 0, buf, len));
	ASSERT_EQ(0, write_str(DAOS_PARAM "target_capacity_mb", "256"));
	free(buf);
}

TEST_HARNESS_MAIN
