// SPDX-License-Identifier: GPL-2.0
/*
 * Model-based test of containers and epochs: seeded random sequences of
 * write / punch / commit / abort / slip / close / snapshot / read over several
 * containers, shards and objects, each read checked byte for byte against
 * a reference model kept here. The seed is printed; DAOS_MODEL_SEED=N
 * replays one.
 *
 * The model: an object is its list of changes in epoch order (stable within
 * an epoch); a read at e replays every change at or below e over zeros. A
 * read-write handle reads its uncommitted epochs, a read-only one the HCE
 * at most. Commit moves the HCE; abort drops e and later (-EPERM at or
 * below the HCE); the oldest readable epoch is the lowest slipped epoch of
 * the open handles; closing the last writer drops what is above the HCE.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/daos.h>
#include <daos.h>

#include "kselftest_harness.h"
#include "daos_selftest.h"
#include "daos_co.h"


#define NCO 2
#define NSHARD 4
#define NOBJ 12		/* per container, over the shards */
#define WINDOW 4096	/* bytes of each object the test uses */
#define NOPS 10000

struct change {
	uint64_t epoch;
	uint32_t off, len;
	unsigned char *data;	/* NULL: a punch */
};

struct object {
	struct change *c;
	size_t n, cap;
};

struct co {
	char path[64];
	daos_handle_t rw, ro;	/* container handles */
	daos_handle_t oh_rw[NOBJ], oh_ro[NOBJ];
	uint64_t hce, oldest, slipped[2];
	struct object obj[NOBJ];
};

static uint64_t rng;

/* A random number below @n (0 for 0). */
static uint64_t rnd(uint64_t n)
{
	uint64_t r = xorshift(&rng);

	return n ? r % n : 0;
}

static daos_obj_id_t oid(int o)
{
	return (daos_obj_id_t){ .o_id_hi = o % NSHARD, .o_id_lo = o / NSHARD + 1 };
}

/* Inserts after every change at or below its epoch. */
static void model_add(struct object *ob, struct change ch)
{
	size_t at = ob->n;

	if (ob->n == ob->cap) {
		ob->cap = ob->cap ? 2 * ob->cap : 16;
		ob->c = realloc(ob->c, ob->cap * sizeof(*ob->c));
		if (!ob->c)
			abort();
	}
	while (at > 0 && ob->c[at - 1].epoch > ch.epoch)
		at--;
	memmove(&ob->c[at + 1], &ob->c[at], (ob->n - at) * sizeof(*ob->c));
	ob->c[at] = ch;
	ob->n++;
}

/* Drops every change at or above @epoch. */
static void model_drop(struct co *c, uint64_t epoch)
{
	for (int o = 0; o < NOBJ; o++) {
		struct object *ob = &c->obj[o];

		while (ob->n > 0 && ob->c[ob->n - 1].epoch >= epoch)
			free(ob->c[--ob->n].data);
	}
}

static void model_read(struct object *ob, uint64_t epoch, unsigned char *out)
{
	memset(out, 0, WINDOW);
	for (size_t i = 0; i < ob->n && ob->c[i].epoch <= epoch; i++) {
		struct change *ch = &ob->c[i];

		if (ch->data)
			memcpy(out + ch->off, ch->data, ch->len);
		else
			memset(out + ch->off, 0, ch->len);
	}
}

static void model_slip(struct co *c, int h, uint64_t to)
{
	c->slipped[h] = to;
	if (c->slipped[0] < c->slipped[1]) {
		if (c->slipped[0] > c->oldest)
			c->oldest = c->slipped[0];
	} else if (c->slipped[1] > c->oldest) {
		c->oldest = c->slipped[1];
	}
}

static int dev_write(daos_handle_t oh, uint64_t epoch, uint64_t off, void *buf, uint64_t len)
{
	struct { struct daos_mmd m; struct daos_mm_frag f; } mmd = { { 1 }, { buf, len } };
	struct { struct daos_iod i; struct daos_io_frag f; } iod = { { 1 }, { off, len } };

	return daos_object_write(oh, EP(epoch), &mmd.m, &iod.i, NULL);
}

/* Reads the window in three fragments of different shapes. */
static int dev_read(daos_handle_t oh, uint64_t epoch, unsigned char *buf)
{
	struct { struct daos_mmd m; struct daos_mm_frag f[2]; } mmd = {
		{ 2 }, { { buf, 1000 }, { buf + 1000, WINDOW - 1000 } } };
	struct { struct daos_iod i; struct daos_io_frag f[3]; } iod = {
		{ 3 }, { { 0, 17 }, { 17, 2000 }, { 2017, WINDOW - 2017 } } };

	return daos_object_read(oh, EP(epoch), &mmd.m, &iod.i, NULL);
}

static int open_handles(struct co *c, int rw)
{
	daos_handle_t coh;
	int rc = daos_container_open(c->path, rw ? DAOS_COO_RW : DAOS_COO_RO, 1, NULL, &coh, NULL);

	if (rc)
		return rc;
	for (int o = 0; o < NOBJ; o++) {
		daos_handle_t *oh = rw ? &c->oh_rw[o] : &c->oh_ro[o];

		rc = daos_object_open(coh, oid(o), rw ? DAOS_OBJ_RW : DAOS_OBJ_RO, oh, NULL);
		if (rc)
			return rc;
	}
	if (rw)
		c->rw = coh;
	else
		c->ro = coh;
	return 0;
}

FIXTURE(model) {
	struct co co[NCO];
	uint64_t seed;
};

FIXTURE_SETUP(model)
{
	const char *env = getenv("DAOS_MODEL_SEED");

	self->seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL) * 2654435761u + getpid();
	rng = self->seed | 1;
	TH_LOG("seed %llu (DAOS_MODEL_SEED=%llu replays it)", (unsigned long long)self->seed,
	       (unsigned long long)self->seed);
	memset(self->co, 0, sizeof(self->co));
	for (int i = 0; i < NCO; i++) {
		struct co *c = &self->co[i];
		unsigned int targets[NSHARD];
		int shards[NSHARD];
		daos_handle_t coh;

		snprintf(c->path, sizeof(c->path), "/tmp/model.%d.%d", getpid(), i);
		ASSERT_EQ(0, daos_container_open(c->path, DAOS_COO_RW | DAOS_COO_CREATE, 1, NULL, &coh, NULL));
		for (int s = 0; s < NSHARD; s++) {
			targets[s] = s;
			shards[s] = s;
		}
		ASSERT_EQ(0, daos_shard_add(coh, EP(1), NSHARD, targets, shards, NULL));
		ASSERT_EQ(0, daos_epoch_commit(coh, EP(1), false, NULL, NULL));
		ASSERT_EQ(0, daos_container_close(coh, NULL));
		c->hce = 1;
		ASSERT_EQ(0, open_handles(c, 1));
		ASSERT_EQ(0, open_handles(c, 0));
	}
}

FIXTURE_TEARDOWN(model)
{
	for (int i = 0; i < NCO; i++) {
		struct co *c = &self->co[i];

		daos_container_close(c->rw, NULL);
		daos_container_close(c->ro, NULL);
		daos_container_unlink(c->path, NULL);
		model_drop(c, 0);
		for (int o = 0; o < NOBJ; o++)
			free(c->obj[o].c);
	}
}

TEST_F_TIMEOUT(model, random_epoch_histories_match_the_model, 600)
{
	uint64_t t0 = now_us();
	unsigned char got[WINDOW], want[WINDOW];
	int counts[8] = { 0 };

	for (int step = 0; step < NOPS; step++) {
		struct co *c = &self->co[rnd(NCO)];
		int o = rnd(NOBJ), op = rnd(100), rc, expect;
		uint64_t e;

		if (op < 30) {			/* write */
			struct change ch;

			e = c->hce + 1 + rnd(3);
			ch.epoch = e;
			ch.off = rnd(WINDOW - 1);
			ch.len = 1 + rnd(WINDOW - ch.off < 300 ? WINDOW - ch.off : 300);
			ch.data = malloc(ch.len);
			ASSERT_NE(NULL, ch.data);
			for (uint32_t i = 0; i < ch.len; i++)
				ch.data[i] = rnd(255) + 1;
			rc = dev_write(c->oh_rw[o], e, ch.off, ch.data, ch.len);
			ASSERT_EQ(0, rc) TH_LOG("step %d: write e%llu", step, (unsigned long long)e);
			model_add(&c->obj[o], ch);
			counts[0]++;
		} else if (op < 40) {		/* punch */
			struct change ch = { .epoch = c->hce + 1 + rnd(3) };
			uint64_t begin, end;

			if (rnd(8) == 0) {
				begin = 0;
				end = UINT64_MAX;
				ch.off = 0;
				ch.len = WINDOW;
			} else {
				ch.off = rnd(WINDOW - 1);
				ch.len = 1 + rnd(WINDOW - ch.off);
				begin = ch.off;
				end = ch.off + ch.len - 1;
			}
			rc = daos_object_punch(c->rw, EP(ch.epoch), oid(o), begin, end, NULL);
			ASSERT_EQ(0, rc) TH_LOG("step %d: punch", step);
			model_add(&c->obj[o], ch);
			counts[1]++;
		} else if (op < 50) {		/* commit, sometimes of a committed epoch */
			e = rnd(6) == 0 ? c->hce - rnd(c->hce) : c->hce + 1 + rnd(3);
			rc = daos_epoch_commit(c->rw, EP(e), false, NULL, NULL);
			ASSERT_EQ(0, rc) TH_LOG("step %d: commit e%llu", step, (unsigned long long)e);
			if (e > c->hce)
				c->hce = e;
			counts[2]++;
		} else if (op < 57) {		/* abort, sometimes of a committed epoch */
			e = rnd(5) == 0 ? 1 + rnd(c->hce) : c->hce + 1 + rnd(3);
			expect = e <= c->hce ? -EPERM : 0;
			rc = daos_epoch_abort(c->rw, EP(e), NULL, NULL);
			ASSERT_EQ(expect, rc) TH_LOG("step %d: abort e%llu hce %llu", step,
						     (unsigned long long)e, (unsigned long long)c->hce);
			if (expect == 0)
				model_drop(c, e);
			counts[3]++;
		} else if (op < 62) {		/* slip one of the handles */
			int h = rnd(2);
			uint64_t to;

			e = rnd(4) == 0 ? DAOS_EPOCH_HIGHEST : c->oldest + rnd(c->hce - c->oldest + 3);
			if (c->oldest > 0 && rnd(8) == 0)
				e = c->oldest - 1;
			to = e < c->hce ? e : c->hce;
			expect = to < c->oldest ? -EINVAL : 0;
			rc = daos_epoch_slip(h ? c->ro : c->rw, EP(e), NULL);
			ASSERT_EQ(expect, rc) TH_LOG("step %d: slip", step);
			if (expect == 0)
				model_slip(c, h, to);
			counts[4]++;
		} else if (op < 64) {		/* the writer closes and reopens */
			ASSERT_EQ(0, daos_container_close(c->rw, NULL));
			model_drop(c, c->hce + 1);
			ASSERT_EQ(0, open_handles(c, 1));
			/* A new handle starts at the oldest readable epoch. */
			c->slipped[0] = c->oldest;
			counts[5]++;
		} else if (op < 65) {		/* a snapshot, checked against the model, then gone */
			char snap[80];
			daos_handle_t sh, soh;
			struct daos_epoch_info ei;

			e = c->oldest + rnd(c->hce - c->oldest + 1);
			snprintf(snap, sizeof(snap), "%s.snap", c->path);
			rc = daos_container_snapshot(c->rw, EP(e), snap, NULL);
			ASSERT_EQ(0, rc) TH_LOG("step %d: snapshot at e%llu", step, (unsigned long long)e);
			ASSERT_EQ(0, daos_container_open(snap, DAOS_COO_RO, 1, NULL, &sh, NULL));
			ASSERT_EQ(0, daos_epoch_query(sh, &ei, NULL));
			ASSERT_EQ(e, ei.epi_hce.seq);
			ASSERT_EQ(0, daos_object_open(sh, oid(o), DAOS_OBJ_RO, &soh, NULL));
			ASSERT_EQ(0, dev_read(soh, DAOS_EPOCH_HIGHEST, got));
			model_read(&c->obj[o], e, want);
			ASSERT_EQ(0, memcmp(want, got, WINDOW)) TH_LOG("seed %llu step %d: snapshot at e%llu of object %d",
								(unsigned long long)self->seed, step,
								(unsigned long long)e, o);
			ASSERT_EQ(0, daos_container_close(sh, NULL));
			ASSERT_EQ(0, daos_container_unlink(snap, NULL));
			counts[7]++;
		} else if (op < 67) {		/* a write to a committed epoch */
			char b = 1;

			e = rnd(c->hce + 1);
			rc = dev_write(c->oh_rw[o], e, 0, &b, 1);
			ASSERT_EQ(-EINVAL, rc) TH_LOG("step %d: write to committed e%llu", step,
						      (unsigned long long)e);
		} else {			/* read through either handle */
			int writer = rnd(2);
			uint64_t visible;

			e = c->oldest + rnd(c->hce - c->oldest + 4);
			if (c->oldest > 0 && rnd(10) == 0)
				e = rnd(c->oldest);
			rc = dev_read(writer ? c->oh_rw[o] : c->oh_ro[o], e, got);
			if (e < c->oldest) {
				ASSERT_EQ(-EINVAL, rc) TH_LOG("step %d: read below oldest", step);
				continue;
			}
			ASSERT_EQ(0, rc) TH_LOG("step %d: read", step);
			visible = writer ? e : (e < c->hce ? e : c->hce);
			model_read(&c->obj[o], visible, want);
			int i = 0;

			while (i < WINDOW && want[i] == got[i])
				i++;
			ASSERT_EQ(WINDOW, i) TH_LOG("seed %llu step %d: %s read of object %d at e%llu "
						    "(hce %llu oldest %llu): byte %d is %d, the model says %d",
						    (unsigned long long)self->seed, step,
						    writer ? "writer" : "reader", o, (unsigned long long)e,
						    (unsigned long long)c->hce, (unsigned long long)c->oldest, i,
						    i < WINDOW ? got[i] : 0, i < WINDOW ? want[i] : 0);
			counts[6]++;
		}
	}
	TH_LOG("%d operations in %llu ms: %d writes, %d punches, %d commits, %d aborts, %d slips, "
	       "%d reopens, %d snapshots, %d reads checked", NOPS, (unsigned long long)(now_us() - t0) / 1000,
	       counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[7], counts[6]);
	EXPECT_LT(1000, counts[6]);
}

TEST_HARNESS_MAIN
