// SPDX-License-Identifier: GPL-2.0
/*
 * The system container and target administration: the storage tree, each
 * target's information, status changes made through configfs and noticed
 * by daos_sys_listen, and what a failed target does to its shards.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/daos.h>
#include <daos.h>

#include "kselftest_harness.h"
#include "daos_selftest.h"
#include "daos_co.h"

#define CONFIGFS "/sys/kernel/config/daos/"

/* Target @id's configfs directory, made (or shown) for the test. */
static int target_dir(unsigned int id, char *dir, size_t n)
{
	snprintf(dir, n, CONFIGFS "%u", id);
	return mkdir(dir, 0755) && errno != EEXIST ? -1 : 0;
}

static int target_set(unsigned int id, const char *attr, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), CONFIGFS "%u/%s", id, attr);
	return write_str(path, value);
}

FIXTURE(sys) {
	daos_handle_t sys;
	daos_handle_t eq;
};

FIXTURE_SETUP(sys)
{
	ASSERT_EQ(0, daos_sys_open("/", &self->sys, NULL));
	ASSERT_EQ(0, daos_eq_create(&self->eq));
}

FIXTURE_TEARDOWN(sys)
{
	daos_sys_close(self->sys, NULL);
	daos_eq_destroy(self->eq);
}

TEST_F(sys, the_default_tree_is_two_nodes_of_two_targets)
{
	struct daos_location all = { DAOS_LOC_UNKNOWN, DAOS_LOC_UNKNOWN, DAOS_LOC_UNKNOWN };
	struct daos_location node1 = { 0, 0, 1 };
	struct daos_loc_key keys[16];
	unsigned int n = 0;

	/* A NULL array asks for the size. */
	ASSERT_EQ(0, daos_sys_query(self->sys, &all, 0, &n, NULL, NULL));
	EXPECT_EQ(8, n);	/* cage 0, rack 0, node 0, t0, t1, node 1, t2, t3 */
	n = 16;
	ASSERT_EQ(0, daos_sys_query(self->sys, &all, 0, &n, keys, NULL));
	ASSERT_EQ(8, n);
	EXPECT_EQ(DAOS_LOC_TYP_CAGE, keys[0].lk_type);
	EXPECT_EQ(DAOS_LOC_TYP_NODE, keys[2].lk_type);
	EXPECT_EQ(DAOS_LOC_TYP_TARGET, keys[4].lk_type);
	EXPECT_EQ(1, keys[4].lk_id);
	EXPECT_EQ(DAOS_LOC_TYP_NODE, keys[5].lk_type);
	EXPECT_EQ(1, keys[5].lk_id);
	/* Depth 3: cages, racks and nodes. */
	n = 16;
	ASSERT_EQ(0, daos_sys_query(self->sys, &all, 3, &n, keys, NULL));
	EXPECT_EQ(4, n);
	/* A node: its targets, whatever the depth. */
	n = 16;
	ASSERT_EQ(0, daos_sys_query(self->sys, &node1, 1, &n, keys, NULL));
	ASSERT_EQ(2, n);
	EXPECT_EQ(2, keys[0].lk_id);
	EXPECT_EQ(3, keys[1].lk_id);
	/* Short room: what fits. */
	n = 3;
	ASSERT_EQ(0, daos_sys_query(self->sys, &all, 0, &n, keys, NULL));
	EXPECT_EQ(3, n);
}

TEST_F(sys, query_target_reports_space_place_and_health)
{
	struct daos_target_info info;
	struct daos_event ev;

	ASSERT_EQ(0, daos_event_init(&ev, self->eq, NULL));
	ASSERT_EQ(0, daos_sys_query_target(self->sys, 3, &info, &ev));
	EXPECT_EQ(DAOS_EV_SYS_QUERY_TGT, ev.ev_type);
	ASSERT_EQ(0, wait_ev(self->eq, &ev));
	EXPECT_EQ(100, info.ti_status);
	EXPECT_EQ(1, info.ti_loc.tl_failovers[0].lc_node);
	EXPECT_EQ(256ULL << 20, info.ti_space.ts_size);
	EXPECT_GE(info.ti_space.ts_size, info.ti_space.ts_free);
	EXPECT_EQ(0, info.ti_affinity.ta_net_dist);
	EXPECT_EQ(-ENODEV, daos_sys_query_target(self->sys, 4000, &info, NULL));
	/* Open, query and close asynchronously too. */
	{
		daos_handle_t sys;
		unsigned int n = 0;

		ASSERT_EQ(0, daos_sys_open(NULL, &sys, &ev));
		EXPECT_EQ(DAOS_EV_SYS_OPEN, ev.ev_type);
		ASSERT_EQ(0, wait_ev(self->eq, &ev));
		ASSERT_EQ(0, daos_sys_query(sys, NULL, 1, &n, NULL, &ev));
		EXPECT_EQ(DAOS_EV_SYS_QUERY, ev.ev_type);
		ASSERT_EQ(0, wait_ev(self->eq, &ev));
		EXPECT_EQ(1, n);	/* one cage */
		ASSERT_EQ(0, daos_sys_close(sys, &ev));
		EXPECT_EQ(DAOS_EV_SYS_CLOSE, ev.ev_type);
		ASSERT_EQ(0, wait_ev(self->eq, &ev));
		EXPECT_EQ(-EBADF, daos_sys_close(sys, NULL));
	}
	EXPECT_EQ(-EBADF, daos_sys_query_target((daos_handle_t){ 1 }, 0, &info, NULL));
	EXPECT_EQ(0, daos_event_fini(&ev));
}

TEST_F(sys, configfs_moves_and_retypes_a_target)
{
	char dir[64];
	struct daos_target_info info;

	ASSERT_EQ(0, target_dir(2, dir, sizeof(dir)));
	ASSERT_EQ(0, target_set(2, "cage", "3"));
	ASSERT_EQ(0, target_set(2, "type", "ssd"));
	EXPECT_NE(0, target_set(2, "cage", "-4"));
	EXPECT_NE(0, target_set(2, "type", "tape"));
	EXPECT_NE(0, target_set(2, "status", "101"));
	ASSERT_EQ(0, daos_sys_query_target(self->sys, 2, &info, NULL));
	EXPECT_EQ(3, info.ti_loc.tl_failovers[0].lc_cage);
	EXPECT_EQ(DAOS_TARGET_TYPE_SSD, info.ti_type);
	ASSERT_EQ(0, target_set(2, "cage", "0"));
	ASSERT_EQ(0, target_set(2, "type", "hdd"));
	/* rmdir only hides a target the module made at load... */
	ASSERT_EQ(0, rmdir(dir));
	ASSERT_EQ(0, daos_sys_query_target(self->sys, 2, &info, NULL));
	/* ...and takes out one that mkdir made. */
	ASSERT_EQ(-ENODEV, daos_sys_query_target(self->sys, 9, &info, NULL));
	ASSERT_EQ(0, target_dir(9, dir, sizeof(dir)));
	ASSERT_EQ(0, daos_sys_query_target(self->sys, 9, &info, NULL));
	EXPECT_EQ(100, info.ti_status);
	EXPECT_EQ(0, info.ti_space.ts_nshard);
	/* Its own capacity, in MiB; 0 goes back to the module parameter's. */
	ASSERT_EQ(0, target_set(9, "capacity", "3"));
	ASSERT_EQ(0, daos_sys_query_target(self->sys, 9, &info, NULL));
	EXPECT_EQ(3ULL << 20, info.ti_space.ts_size);
	ASSERT_EQ(0, target_set(9, "capacity", "0"));
	ASSERT_EQ(0, daos_sys_query_target(self->sys, 9, &info, NULL));
	EXPECT_EQ(256ULL << 20, info.ti_space.ts_size);
	ASSERT_EQ(0, rmdir(dir));
	EXPECT_EQ(-ENODEV, daos_sys_query_target(self->sys, 9, &info, NULL));
	EXPECT_NE(0, mkdir(CONFIGFS "not-a-number", 0755));
}

TEST_F(sys, a_failed_target_completes_a_pending_listen_and_fails_its_shards)
{
	char path[64], dir[64], buf[16] = "data";
	daos_handle_t coh, oh;
	unsigned int targets[2] = { 0, 1 }, failed = 77, tevn = 4, ids[4];
	int shards[2] = { 0, 1 };
	struct daos_target_event tevs[4];
	struct daos_shard_event sevs[4];
	unsigned int sevn = 4;
	struct daos_event ev;
	struct { struct daos_mmd m; struct daos_mm_frag f; } mmd = { { 1 }, { buf, 16 } };
	struct { struct daos_iod i; struct daos_io_frag f; } iod = { { 1 }, { 0, 16 } };
	daos_off_t anchor = 0;

	snprintf(path, sizeof(path), "/tmp/sys_test.%d", getpid());
	ASSERT_EQ(0, daos_container_open(path, DAOS_COO_RW | DAOS_COO_CREATE, 1, NULL, &coh, NULL));
	ASSERT_EQ(0, daos_shard_add(coh, EP(1), 2, targets, shards, NULL));
	ASSERT_EQ(0, daos_object_open(coh, (daos_obj_id_t){ 1, 1 }, DAOS_OBJ_RW, &oh, NULL));
	/* The container's listen: first the two shards added. */
	ASSERT_EQ(0, daos_container_listen(coh, &sevn, sevs, NULL));
	ASSERT_EQ(2, sevn);
	ASSERT_EQ(0, daos_event_init(&ev, self->eq, NULL));
	ASSERT_EQ(0, daos_sys_listen(self->sys, &tevn, tevs, &ev));
	ASSERT_EQ(0, target_dir(1, dir, sizeof(dir)));
	ASSERT_EQ(0, target_set(1, "status", "failed"));
	/* Untimed: only the status change ends it. */
	ASSERT_EQ(0, wait_ev(self->eq, &ev));
	ASSERT_EQ(1, tevn);
	EXPECT_EQ(1, tevs[0].te_target);
	EXPECT_EQ(DAOS_TARGET_ST_DISABLED, tevs[0].te_status);
	/* The container hears of its shard on it. */
	sevn = 4;
	ASSERT_EQ(0, daos_container_listen(coh, &sevn, sevs, NULL));
	ASSERT_EQ(1, sevn);
	EXPECT_EQ(1, sevs[0].se_shard);
	EXPECT_EQ(1, sevs[0].se_target);
	EXPECT_EQ(DAOS_TARGET_ST_DISABLED, sevs[0].se_status);
	/* Its shard fails cleanly; the other works. */
	EXPECT_EQ(-EIO, daos_object_write(oh, EP(1), &mmd.m, &iod.i, NULL));
	EXPECT_EQ(-EIO, daos_object_read(oh, EP(1), &mmd.m, &iod.i, NULL));
	EXPECT_EQ(-EIO, daos_epoch_commit(coh, EP(1), false, &failed, NULL));
	EXPECT_EQ(1, failed);
	ASSERT_EQ(0, daos_container_list_shard(coh, EP(1), DAOS_SHARD_LS_STUCK, &anchor, 4, ids, NULL));
	EXPECT_EQ(1, ids[0]);
	EXPECT_EQ(-1, (int)ids[1]);
	/* Disabling the shard lets the epoch commit. */
	ASSERT_EQ(0, daos_shard_disable(coh, EP(1), 1, shards + 1, NULL));
	EXPECT_EQ(0, daos_epoch_commit(coh, EP(1), false, &failed, NULL));
	/* Back up: the next listen hears it. */
	ASSERT_EQ(0, target_set(1, "status", "100"));
	tevn = 4;
	ASSERT_EQ(0, daos_sys_listen(self->sys, &tevn, tevs, NULL));
	EXPECT_EQ(1, tevn);
	EXPECT_EQ(100, tevs[0].te_status);
	EXPECT_EQ(0, daos_event_fini(&ev));
	EXPECT_EQ(0, daos_container_close(coh, NULL));
	EXPECT_EQ(0, daos_container_unlink(path, NULL));
	EXPECT_EQ(0, rmdir(dir));
}

TEST_F(sys, closing_the_handle_ends_a_pending_listen)
{
	unsigned int tevn = 2;
	struct daos_target_event tevs[2];
	struct daos_event ev;
	daos_handle_t sys;

	ASSERT_EQ(0, daos_sys_open(NULL, &sys, NULL));
	ASSERT_EQ(0, daos_event_init(&ev, self->eq, NULL));
	ASSERT_EQ(0, daos_sys_listen(sys, &tevn, tevs, &ev));
	ASSERT_EQ(0, daos_sys_close(sys, NULL));
	EXPECT_EQ(-EBADF, wait_ev(self->eq, &ev));
	ASSERT_EQ(0, daos_sys_listen(self->sys, &tevn, tevs, &ev));
	ASSERT_EQ(0, daos_event_abort(&ev));
	EXPECT_EQ(-EINTR, wait_ev(self->eq, &ev));
	EXPECT_EQ(0, daos_event_fini(&ev));
	EXPECT_EQ(-ENOENT, daos_sys_open("/no/such/mount", &sys, NULL));
}

TEST_F(sys, an_injected_service_time_slows_each_request)
{
	char dir[64], path[64];
	static char buf[100000];
	daos_handle_t coh, oh;
	unsigned int targets[1] = { 0 };
	int shards[1] = { 0 };
	uint64_t t0;

	snprintf(path, sizeof(path), "/tmp/sys_latency.%d", getpid());
	ASSERT_EQ(0, daos_container_open(path, DAOS_COO_RW | DAOS_COO_CREATE, 1, NULL, &coh, NULL));
	ASSERT_EQ(0, daos_shard_add(coh, EP(1), 1, targets, shards, NULL));
	ASSERT_EQ(0, daos_object_open(coh, (daos_obj_id_t){ 0, 1 }, DAOS_OBJ_RW, &oh, NULL));
	ASSERT_EQ(0, target_dir(0, dir, sizeof(dir)));
	/* Lower bounds only: a sleep never takes less than asked. */
	ASSERT_EQ(0, target_set(0, "latency_us", "50000"));
	t0 = now_us();
	ASSERT_EQ(0, put(oh, 1, 0, buf, 4096));
	EXPECT_LE(50000, now_us() - t0);
	ASSERT_EQ(0, target_set(0, "latency_us", "0"));
	/* 1 MB/s: 100 kB take 100 ms. */
	ASSERT_EQ(0, target_set(0, "bandwidth_mbps", "1"));
	t0 = now_us();
	ASSERT_EQ(0, get(oh, 1, 0, buf, sizeof(buf)));
	EXPECT_LE(100000, now_us() - t0);
	ASSERT_EQ(0, target_set(0, "bandwidth_mbps", "0"));
	EXPECT_NE(0, target_set(0, "latency_us", "10000001"));
	EXPECT_NE(0, target_set(0, "bandwidth_mbps", "fast"));
	EXPECT_EQ(0, rmdir(dir));
	EXPECT_EQ(0, daos_container_close(coh, NULL));
	EXPECT_EQ(0, daos_container_unlink(path, NULL));
}

TEST_HARNESS_MAIN
