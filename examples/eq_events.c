// SPDX-License-Identifier: MIT
/*
 * eq_events: asynchronous operations with an event queue. Starts three
 * no-op operations that finish after different delays, a parent event with
 * two children, then polls the queue until everything completed, and walks
 * the parent's children to see each one's result.
 *
 *   cc eq_events.c $(pkg-config --cflags --libs libdaos) -o eq_events
 */
#include <stdio.h>
#include <string.h>

#include <daos.h>

#define CHECK(call)                                                             \
	do {                                                                    \
		int rc_ = (call);                                               \
		if (rc_ < 0) {                                                  \
			fprintf(stderr, "%s: %s\n", #call, strerror(-rc_));    \
			return 1;                                               \
		}                                                               \
	} while (0)

int main(void)
{
	static const unsigned int delay_ms[3] = { 300, 100, 200 };
	daos_event_t ev[3], parent, child[2];
	daos_event_t *done[4];
	daos_handle_t eqh;
	int i, n, left = 4;

	CHECK(daos_eq_create(&eqh));
	for (i = 0; i < 3; i++) {
		CHECK(daos_event_init(&ev[i], eqh, NULL));
		CHECK(daos_noop(delay_ms[i] * 1000ULL, 0, &ev[i]));
		printf("started no-op %d (%u ms)\n", i, delay_ms[i]);
	}
	/* Children join a parent before any of them starts. */
	CHECK(daos_event_init(&parent, eqh, NULL));
	for (i = 0; i < 2; i++)
		CHECK(daos_event_init(&child[i], eqh, &parent));
	for (i = 0; i < 2; i++)
		CHECK(daos_noop(50000, i ? -5 : 0, &child[i]));
	printf("started a parent with two children (one fails with -EIO)\n");
	printf("in flight: %d\n", daos_eq_query(eqh, DAOS_EVQ_INFLIGHT, 0, NULL));

	while (left > 0) {
		CHECK(n = daos_eq_poll(eqh, 1, DAOS_EQ_WAIT, 4, done));
		for (i = 0; i < n; i++) {
			if (done[i] == &parent) {
				daos_event_t *c = NULL;

				printf("parent (%s) completed: %s\n",
				       parent.ev_type == DAOS_EV_COMPOUND ? "compound" : "?",
				       strerror(-parent.ev_error));
				while ((c = daos_event_next(&parent, c)))
					printf("  child %ld: %s\n", (long)(c - child), strerror(-c->ev_error));
			} else {
				printf("no-op %ld completed: %d\n", (long)(done[i] - ev), done[i]->ev_error);
			}
		}
		left -= n;
	}
	CHECK(daos_event_fini(&parent));
	for (i = 0; i < 3; i++)
		CHECK(daos_event_fini(&ev[i]));
	CHECK(daos_eq_destroy(eqh));
	printf("done\n");
	return 0;
}
