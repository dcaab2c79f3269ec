// SPDX-License-Identifier: GPL-2.0
/*
 * Compiled (not run) by make check: every type, struct tag, field, enum and
 * constant of the seed's API appendix, used as a 2014 program would, with
 * its include path and compiler dialect (gnu99). A name that daos.h lacks
 * or spells differently fails the build.
 */
#include <daos/daos_api.h>

#include <stdlib.h>

#define SAME(a, b) _Static_assert((a) == (b), #a " == " #b)

SAME(DAOS_EPOCH_HIGHEST, (uint64_t)-1);
SAME(DAOS_EQ_WAIT, -1);
SAME(DAOS_EQ_NOWAIT, 0);
SAME(DAOS_EVQ_ALL, DAOS_EVQ_COMPLETED | DAOS_EVQ_INFLIGHT);
SAME(DAOS_TARGET_ST_UNKNOWN, -2);
SAME(DAOS_TARGET_ST_DISABLED, -1);
SAME(DAOS_LOC_UNKNOWN, -1);
SAME(DAOS_LOC_TYP_UNKNOWN, 0);
SAME(DAOS_LOC_TYP_TARGET, 4);
SAME(DAOS_TARGET_MAX_FAILOVER, 4);
SAME(DAOS_COO_RO, 1);
SAME(DAOS_COO_RW, 2);
SAME(DAOS_COO_CREATE, 4);
SAME(DAOS_COO_OWN_RECOV, 8);
SAME(DAOS_LIST_END, 0xffffffffffffffffULL);
SAME(DAOS_OBJ_RO, 2);
SAME(DAOS_OBJ_RW, 4);
SAME(DAOS_OBJ_IO_BUFFERED, 8);
SAME(DAOS_OBJ_IO_RAND, 16);
SAME(DAOS_OBJ_IO_SEQ, 32);
SAME(DAOS_OBJ_EXCL, DAOS_OBJ_IO_BUFFERED | DAOS_OBJ_RW);
SAME(DAOS_EV_EP_ABORT, 29);
SAME(DAOS_SHARD_LS_DISABLED, 2);
SAME(DAOS_CONTAINER_ST_CORRUPT, 3);
SAME(DAOS_TARGET_TYPE_SSD, 1);

int use_every_name(void);

int use_every_name(void)
{
	daos_off_t off = 0;
	daos_size_t size = 0;
	daos_handle_t h = { .cookie = 0 };
	daos_epoch_t e = { .seq = DAOS_EPOCH_HIGHEST };
	daos_event_t ev = { .ev_type = DAOS_EV_OBJ_WRITE, .ev_error = 0 };
	struct daos_event *evp = &ev;
	daos_ev_type_t types[] = {
		DAOS_EV_NONE, DAOS_EV_COMPOUND, DAOS_EV_EQ_DESTROY, DAOS_EV_SYS_OPEN,
		DAOS_EV_SYS_CLOSE, DAOS_EV_SYS_QUERY, DAOS_EV_SYS_QUERY_TGT, DAOS_EV_CO_OPEN,
		DAOS_EV_CO_CLOSE, DAOS_EV_CO_UNLINK, DAOS_EV_CO_SNAPSHOT, DAOS_EV_CO_FLUSH,
		DAOS_EV_CO_QUERY, DAOS_EV_CO_LS_SHARD, DAOS_EV_G2L, DAOS_EV_SHARD_ADD,
		DAOS_EV_SHARD_DISABLE, DAOS_EV_SHARD_QUERY, DAOS_EV_SHARD_FLUSH,
		DAOS_EV_SHARD_LS_OBJ, DAOS_EV_OBJ_OPEN, DAOS_EV_OBJ_CLOSE, DAOS_EV_OBJ_READ,
		DAOS_EV_OBJ_WRITE, DAOS_EV_OBJ_PUNCH, DAOS_EV_EP_SLIP, DAOS_EV_EP_WAIT,
		DAOS_EV_EP_QUERY, DAOS_EV_EP_COMMIT, DAOS_EV_EP_ABORT,
	};
	daos_ev_query_t q = DAOS_EVQ_ALL;
	daos_container_status_t st = DAOS_CONTAINER_ST_STUCK;
	daos_target_type_t tt = DAOS_TARGET_TYPE_HDD;
	struct daos_target_event tev = { .te_target = 1, .te_status = DAOS_TARGET_ST_DISABLED };
	struct daos_shard_event sev = { .se_shard = 1, .se_target = 2, .se_status = 100, .se_epoch = e };
	daos_loc_type_t lt = DAOS_LOC_TYP_CAGE + DAOS_LOC_TYP_RACK + DAOS_LOC_TYP_NODE;
	struct daos_loc_key lk = { .lk_type = DAOS_LOC_TYP_TARGET, .lk_id = 3 };
	struct daos_location loc = { .lc_cage = DAOS_LOC_UNKNOWN, .lc_rack = 0, .lc_node = 0 };
	struct daos_target_perf perf = {
		.tp_rdbw = 1, .tp_rdbw_bs = 2, .tp_wrbw = 3, .tp_wrbw_bs = 4, .tp_iops = 5, .tp_iops_bs = 6,
	};
	struct daos_target_aff aff = { .ta_cpu_aff = 0, .ta_net_dist = 1, .ta_latency = 10 };
	struct daos_target_space space = { .ts_size = 1, .ts_free = 1, .ts_nshard = 0 };
	struct daos_target_loc tloc = { .tl_current = 0, .tl_nlocs = 1, .tl_failovers = { loc } };
	struct daos_target_info ti = {
		.ti_status = DAOS_TARGET_ST_UNKNOWN, .ti_type = tt, .ti_loc = tloc,
		.ti_perf = perf, .ti_space = space, .ti_affinity = aff,
	};
	struct daos_container_info ci = {
		.ci_uid = 0, .ci_gid = 0, .ci_nshard = 1, .ci_nshard_stuck = 0, .ci_nshard_disabled = 0,
	};
	daos_shard_list_t sl = DAOS_SHARD_LS_ALL + DAOS_SHARD_LS_STUCK;
	struct daos_shard_space ss = { .sai_nobjs = 1, .sai_used = 2 };
	struct daos_shard_info si = {
		.sai_target = 1, .sai_type = tt, .sai_status = 100, .sai_location = tloc, .sai_space = ss,
	};
	daos_obj_id_t oid = { .o_id_hi = 1, .o_id_lo = 2 };
	unsigned int omode = DAOS_OBJ_RO | DAOS_OBJ_RW | DAOS_OBJ_IO_SEQ | DAOS_OBJ_IO_RAND | DAOS_OBJ_EXCL;
	unsigned int omode_text = DAOS_OMODE_RO | DAOS_OMODE_WR | DAOS_OMODE_RW;
	unsigned int cmode = DAOS_COO_RO | DAOS_COO_RW | DAOS_COO_CREATE | DAOS_COO_OWN_RECOV | DAOS_CMODE_RD;
	char buf[64];
	/* A descriptor laid out as the structure followed by its fragments. */
	struct {
		struct daos_mmd mmd;
		struct daos_mm_frag frag[2];
	} m = { .mmd = { .mmd_nfrag = 2 }, .frag = { { buf, 32 }, { buf + 32, 32 } } };
	struct daos_mmd *mmd = malloc(sizeof(*mmd) + sizeof(struct daos_mm_frag));
	struct daos_iod *iod = malloc(sizeof(*iod) + sizeof(struct daos_io_frag));
	struct daos_epoch_info epi = {
		.epi_hce = e, .epi_hce_oldest = e, .epi_hce_slipped = e, .epi_hse = e, .epi_layout_changed = e,
	};
	bool sync = true;

	if (!mmd || !iod)
		return 1;
	mmd->mmd_nfrag = 1;
	mmd->mmd_frag[0].mf_addr = buf;
	mmd->mmd_frag[0].mf_nob = sizeof(buf);
	iod->iod_nfrag = 1;
	iod->iod_frag[0].if_offset = off;
	iod->iod_frag[0].if_nob = size + m.mmd.mmd_frag[1].mf_nob;
	free(mmd);
	free(iod);
	return (int)(h.cookie + evp->ev_private.space[0] + types[0] + q + st + tev.te_target + sev.se_shard + lt +
		     lk.lk_id + ti.ti_status + ci.ci_nshard + sl + si.sai_target + oid.o_id_lo + omode + omode_text +
		     cmode + epi.epi_hce.seq + sync);
}

/*
 * Every call of the appendix, called as its prototype there reads (only
 * compiled): a call whose parameters differ from the seed's fails here.
 */
int seed_calls(daos_handle_t h, struct daos_event *ev, struct daos_mmd *mmd, struct daos_iod *iod)
{
	daos_epoch_t e = { 1 }, e2 = e;
	daos_handle_t out;
	daos_container_status_t st;
	struct daos_location loc = { DAOS_LOC_UNKNOWN, DAOS_LOC_UNKNOWN, DAOS_LOC_UNKNOWN };
	struct daos_loc_key lks[4];
	struct daos_target_info ti;
	struct daos_target_event tevs[2];
	struct daos_shard_event sevs[2];
	struct daos_container_info ci;
	struct daos_shard_info si;
	struct daos_epoch_info epi;
	daos_obj_id_t oid = { 1, 2 }, oids[2];
	daos_off_t anchor = 0;
	unsigned int n = 2, ids[2], targets[2] = { 0, 1 }, failed, size = 0;
	int shards[2] = { 0, 1 };
	struct daos_event *evs[2];
	char global[256];
	int rc = 0;

	rc |= daos_eq_create(&out);
	rc |= daos_eq_destroy(h);
	rc |= daos_eq_poll(h, 1, DAOS_EQ_WAIT, 2, evs);
	rc |= daos_eq_query(h, DAOS_EVQ_ALL, 2, evs);
	rc |= daos_event_init(ev, h, NULL);
	rc |= daos_event_fini(ev);
	rc |= daos_event_next(ev, NULL) != NULL;
	rc |= daos_event_abort(ev);
	rc |= daos_sys_open("/mnt", &out, ev);
	rc |= daos_sys_close(h, ev);
	rc |= daos_sys_listen(h, &n, tevs, ev);
	rc |= daos_sys_query(h, &loc, 0, &n, lks, ev);
	rc |= daos_sys_query_target(h, 0, &ti, ev);
	rc |= daos_container_open("/mnt/c", DAOS_COO_RW | DAOS_COO_CREATE, 2, &st, &out, ev);
	rc |= daos_container_close(h, ev);
	rc |= daos_container_unlink("/mnt/c", ev);
	rc |= daos_container_snapshot(h, e, "/mnt/s", ev);
	rc |= daos_container_query(h, &e2, &ci, ev);
	rc |= daos_container_list_shard(h, e, DAOS_SHARD_LS_ALL, &anchor, 2, ids, ev);
	rc |= daos_container_listen(h, &n, sevs, ev);
	rc |= daos_container_flush(h, e, ev);
	rc |= daos_local2global(h, global, &size);
	rc |= daos_global2local(global, size, &out, ev);
	rc |= daos_shard_add(h, e, 2, targets, shards, ev);
	rc |= daos_shard_disable(h, e, 2, shards, ev);
	rc |= daos_shard_query(h, &e2, 0, &si, ev);
	rc |= daos_shard_flush(h, e, 0, ev);
	rc |= daos_shard_list_obj(h, e, 0, &anchor, 2, oids, ev);
	rc |= daos_object_open(h, oid, DAOS_OMODE_RW, &out, ev);
	rc |= daos_object_close(h, ev);
	rc |= daos_object_read(h, e, mmd, iod, ev);
	rc |= daos_object_write(h, e, mmd, iod, ev);
	rc |= daos_object_punch(h, e, oid, 0, -1, ev);
	rc |= daos_epoch_slip(h, e, ev);
	rc |= daos_epoch_wait(h, &e2, &e2, ev);
	rc |= daos_epoch_query(h, &epi, ev);
	rc |= daos_epoch_commit(h, e, true, &failed, ev);
	rc |= daos_epoch_abort(h, e, &failed, ev);
	return rc;
}
