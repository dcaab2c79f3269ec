// SPDX-License-Identifier: MIT
/*
 * The life of a DAOS container, told step by step: an event queue, a
 * container in the file system, shards on every target, asynchronous
 * buffered writes in an epoch (into the writeback cache), flush, commit, a read back at the HCE, a snapshot,
 * and a failed target noticed through daos_sys_listen.
 *
 * Build: cc -o container_lifecycle container_lifecycle.c $(pkg-config --cflags --libs libdaos)
 * Run as root (it fails a target through configfs to show the listen).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <daos.h>

#define PATH "/tmp/demo.container"
#define SNAP "/tmp/demo.snapshot"
#define NOBJ 4
#define OBJ_SIZE (256 * 1024)

static int failures;

/* Prints a step and its result. */
static int step(const char *what, int rc)
{
	if (rc < 0) {
		printf("  %-58s FAILED: %s\n", what, strerror(-rc));
		failures++;
	} else {
		printf("  %-58s ok\n", what);
	}
	return rc;
}

/* Waits for @n events of @eq; returns the first error. */
static int wait_all(daos_handle_t eq, int n)
{
	struct daos_event *done[NOBJ];
	int first = 0;

	while (n > 0) {
		int got = daos_eq_poll(eq, 0, DAOS_EQ_WAIT, NOBJ, done);

		if (got < 0)
			return got;
		for (int i = 0; i < got; i++)
			if (done[i]->ev_error && !first)
				first = done[i]->ev_error;
		n -= got;
	}
	return first;
}

static int write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);
	int rc = fd < 0 ? -errno : (write(fd, value, strlen(value)) < 0 ? -errno : 0);

	if (fd >= 0)
		close(fd);
	return rc;
}

int main(void)
{
	daos_handle_t eq, coh, ro, sys, oh[NOBJ], roh;
	struct daos_event ev[NOBJ], listen_ev;
	unsigned int targets[NOBJ], tevn = 1, nkeys = 16;
	int shards[NOBJ];
	struct daos_loc_key keys[16];
	struct daos_target_event tev;
	struct daos_epoch_info ei;
	struct daos_container_info ci;
	char *data[NOBJ], *back = malloc(OBJ_SIZE);
	int ntargets = 0;

	printf("DAOS container lifecycle\n");
	if (step("event queue created", daos_eq_create(&eq)) < 0)
		return 1;
	unlink(PATH);
	unlink(SNAP);

	/* The storage tree: which targets there are. */
	step("system container opened", daos_sys_open("/", &sys, NULL));
	step("storage tree walked", daos_sys_query(sys, NULL, 0, &nkeys, keys, NULL));
	for (unsigned int i = 0; i < nkeys && ntargets < NOBJ; i++)
		if (keys[i].lk_type == DAOS_LOC_TYP_TARGET)
			targets[ntargets++] = keys[i].lk_id;
	printf("    %d targets found\n", ntargets);

	step("container " PATH " created", daos_container_open(PATH, DAOS_COO_RW | DAOS_COO_CREATE, 1, NULL, &coh, NULL));
	for (int i = 0; i < ntargets; i++)
		shards[i] = i;
	step("one shard added on each target at epoch 1",
	     daos_shard_add(coh, (daos_epoch_t){ 1 }, ntargets, targets, shards, NULL));

	/* Asynchronous buffered writes in epoch 1, one object per shard: each
	 * completes once its data is in the writeback cache. */
	for (int i = 0; i < ntargets; i++) {
		struct { struct daos_mmd m; struct daos_mm_frag f; } mmd;
		struct { struct daos_iod d; struct daos_io_frag f; } iod;

		data[i] = malloc(OBJ_SIZE);
		memset(data[i], 'a' + i, OBJ_SIZE);
		mmd.m.mmd_nfrag = 1;
		mmd.f = (struct daos_mm_frag){ data[i], OBJ_SIZE };
		iod.d.iod_nfrag = 1;
		iod.f = (struct daos_io_frag){ 0, OBJ_SIZE };
		daos_event_init(&ev[i], eq, NULL);
		daos_object_open(coh, (daos_obj_id_t){ .o_id_hi = i, .o_id_lo = 1 },
				 DAOS_OBJ_RW | DAOS_OBJ_IO_BUFFERED, &oh[i], NULL);
		daos_object_write(oh[i], (daos_epoch_t){ 1 }, &mmd.m, &iod.d, &ev[i]);
	}
	step("4 x 256 KiB written asynchronously into the cache, epoch 1", wait_all(eq, ntargets));
	daos_container_flush(coh, (daos_epoch_t){ 1 }, &ev[0]);
	step("flushed up to epoch 1: the targets have it", wait_all(eq, 1));
	daos_epoch_commit(coh, (daos_epoch_t){ 1 }, false, NULL, &ev[0]);
	step("epoch 1 committed", wait_all(eq, 1));
	daos_epoch_query(coh, &ei, NULL);
	printf("    HCE %llu, HSE %llu\n", (unsigned long long)ei.epi_hce.seq, (unsigned long long)ei.epi_hse.seq);

	/* Another handle reads back at the HCE. */
	step("container opened read-only", daos_container_open(PATH, DAOS_COO_RO, 1, NULL, &ro, NULL));
	int same = 1;

	for (int i = 0; i < ntargets; i++) {
		struct { struct daos_mmd m; struct daos_mm_frag f; } mmd = { { 1 }, { back, OBJ_SIZE } };
		struct { struct daos_iod d; struct daos_io_frag f; } iod = { { 1 }, { 0, OBJ_SIZE } };

		daos_object_open(ro, (daos_obj_id_t){ .o_id_hi = i, .o_id_lo = 1 }, DAOS_OBJ_RO, &roh, NULL);
		if (daos_object_read(roh, ei.epi_hce, &mmd.m, &iod.d, NULL) || memcmp(back, data[i], OBJ_SIZE))
			same = 0;
		daos_object_close(roh, NULL);
	}
	step("read back at the HCE: every byte as written", same ? 0 : -EIO);

	daos_container_snapshot(coh, ei.epi_hce, SNAP, &ev[0]);
	step("snapshot of epoch 1 made at " SNAP, wait_all(eq, 1));
	daos_handle_t snap;

	if (daos_container_open(SNAP, DAOS_COO_RO, 1, NULL, &snap, NULL) == 0) {
		daos_container_query(snap, NULL, &ci, NULL);
		printf("    the snapshot has %u shards\n", ci.ci_nshard);
		daos_container_close(snap, NULL);
	}

	/* A target fails: a pending listen hears it, its shard's I/O fails. */
	daos_event_init(&listen_ev, eq, NULL);
	step("listening for target status changes", daos_sys_listen(sys, &tevn, &tev, &listen_ev));
	mkdir("/sys/kernel/config/daos/1", 0755);
	step("target 1 failed (configfs: daos/1/status = failed)",
	     write_file("/sys/kernel/config/daos/1/status", "failed"));
	step("the listen completed", wait_all(eq, 1));
	printf("    target %u is now %s\n", tev.te_target, tev.te_status < 0 ? "failed" : "up");
	{
		struct { struct daos_mmd m; struct daos_mm_frag f; } mmd = { { 1 }, { back, 16 } };
		struct { struct daos_iod d; struct daos_io_frag f; } iod = { { 1 }, { 0, 16 } };
		int rc = daos_object_read(oh[1], ei.epi_hce, &mmd.m, &iod.d, NULL);

		printf("    a read from its shard says: %s\n", strerror(-rc));
		step("I/O to the failed target's shard fails cleanly", rc == -EIO ? 0 : -EPROTO);
	}
	write_file("/sys/kernel/config/daos/1/status", "100");
	rmdir("/sys/kernel/config/daos/1");
	step("target 1 restored", 0);

	for (int i = 0; i < ntargets; i++) {
		daos_object_close(oh[i], NULL);
		daos_event_fini(&ev[i]);
		free(data[i]);
	}
	daos_event_fini(&listen_ev);
	daos_container_close(ro, NULL);
	daos_container_close(coh, NULL);
	daos_sys_close(sys, NULL);
	step("snapshot destroyed", daos_container_unlink(SNAP, NULL));
	step("container destroyed", daos_container_unlink(PATH, NULL));
	daos_eq_destroy(eq);
	free(back);
	printf("%s\n", failures ? "FAILED" : "done");
	return failures ? 1 : 0;
}
