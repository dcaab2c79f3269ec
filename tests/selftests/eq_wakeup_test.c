// SPDX-License-Identifier: GPL-2.0
/*
 * No poller sleeps forever: every sleeping poller is woken when there is
 * something for it, or, with wait-in-flight, when nothing is left in flight.
 *
 * Every poll here waits without a timeout, so a lost wake-up hangs the test
 * and the harness's watchdog (TEST_TIMEOUT) fails it; no test loops over
 * short timeouts, which would hide exactly that.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include <daos.h>

#include "kselftest_harness.h"

#define POLLERS 4

struct pollers {
	daos_handle_t eqh;
	int wait_inflight;
	atomic_int asleep;	/* threads about to enter the poll */
	int got[POLLERS];	/* each poller's result */
	daos_event_t *ev[POLLERS];
};

struct poller {
	struct pollers *p;
	int i;
};

static void *poll_forever(void *arg)
{
	struct poller *me = arg;
	struct pollers *p = me->p;

	atomic_fetch_add(&p->asleep, 1);
	p->got[me->i] = daos_eq_poll(p->eqh, p->wait_inflight, DAOS_EQ_WAIT, 1, &p->ev[me->i]);
	return NULL;
}

/* Starts POLLERS threads polling without a timeout, and lets them fall asleep. */
static void start_pollers(struct pollers *p, pthread_t *th, struct poller *args)
{
	for (int i = 0; i < POLLERS; i++) {
		args[i] = (struct poller){ .p = p, .i = i };
		p->got[i] = -1000;
		pthread_create(&th[i], NULL, poll_forever, &args[i]);
	}
	while (atomic_load(&p->asleep) < POLLERS)
		usleep(1000);
	/* The threads are in, or about to enter, the poll; either way must work. */
	usleep(100000);
}

static int count(const int *got, int value)
{
	int n = 0;

	for (int i = 0; i < POLLERS; i++)
		n += got[i] == value;
	return n;
}

FIXTURE(eq) {
	struct pollers p;
	pthread_t th[POLLERS];
	struct poller args[POLLERS];
};

FIXTURE_SETUP(eq)
{
	ASSERT_EQ(0, daos_eq_create(&self->p.eqh));
}

FIXTURE_TEARDOWN(eq)
{
	daos_eq_destroy(self->p.eqh);
}

/*
 * The reported hang: several pollers with wait-in-flight, one event in flight.
 * One poller takes it; the poll that took it leaves nothing in flight, so the
 * others must wake and return 0.
 */
TEST_F_TIMEOUT(eq, wait_inflight_pollers_return_when_the_last_event_is_taken, 20)
{
	daos_event_t ev;

	self->p.wait_inflight = 1;
	ASSERT_EQ(0, daos_event_init(&ev, self->p.eqh, NULL));
	ASSERT_EQ(0, daos_noop(300000, 0, &ev));
	start_pollers(&self->p, self->th, self->args);
	for (int i = 0; i < POLLERS; i++)
		pthread_join(self->th[i], NULL);
	EXPECT_EQ(1, count(self->p.got, 1));
	EXPECT_EQ(POLLERS - 1, count(self->p.got, 0));
	EXPECT_EQ(0, daos_event_fini(&ev));
}

/* Two events for four pollers: two take one each, two return empty. */
TEST_F_TIMEOUT(eq, wait_inflight_pollers_share_the_events_then_return, 20)
{
	daos_event_t ev[2];

	self->p.wait_inflight = 1;
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, daos_event_init(&ev[i], self->p.eqh, NULL));
		ASSERT_EQ(0, daos_noop(300000 + i * 100000, 0, &ev[i]));
	}
	start_pollers(&self->p, self->th, self->args);
	for (int i = 0; i < POLLERS; i++)
		pthread_join(self->th[i], NULL);
	EXPECT_EQ(2, count(self->p.got, 1));
	EXPECT_EQ(POLLERS - 2, count(self->p.got, 0));
	for (int i = 0; i < 2; i++)
		EXPECT_EQ(0, daos_event_fini(&ev[i]));
}

/* An abort leaves the event completed: one poller gets it, the rest return. */
TEST_F_TIMEOUT(eq, wait_inflight_pollers_return_after_an_abort, 20)
{
	daos_event_t ev;

	self->p.wait_inflight = 1;
	ASSERT_EQ(0, daos_event_init(&ev, self->p.eqh, NULL));
	ASSERT_EQ(0, daos_noop(3600000000ULL, 0, &ev));
	start_pollers(&self->p, self->th, self->args);
	ASSERT_EQ(0, daos_event_abort(&ev));
	for (int i = 0; i < POLLERS; i++)
		pthread_join(self->th[i], NULL);
	EXPECT_EQ(1, count(self->p.got, 1));
	EXPECT_EQ(POLLERS - 1, count(self->p.got, 0));
	for (int i = 0; i < POLLERS; i++)
		if (self->p.got[i] == 1)
			EXPECT_EQ(-EINTR, self->p.ev[i]->ev_error);
	EXPECT_EQ(0, daos_event_fini(&ev));
}

/*
 * The last child of a parent is finalised instead of run: the parent
 * completes through that fini, and the pollers must see it.
 */
TEST_F_TIMEOUT(eq, wait_inflight_pollers_return_after_a_fini_completes_a_parent, 20)
{
	daos_event_t parent, child[2];

	self->p.wait_inflight = 1;
	ASSERT_EQ(0, daos_event_init(&parent, self->p.eqh, NULL));
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(0, daos_event_init(&child[i], self->p.eqh, &parent));
	ASSERT_EQ(0, daos_noop(0, 0, &child[0]));
	start_pollers(&self->p, self->th, self->args);
	ASSERT_EQ(0, daos_event_fini(&child[1]));
	for (int i = 0; i < POLLERS; i++)
		pthread_join(self->th[i], NULL);
	EXPECT_EQ(1, count(self->p.got, 1));
	EXPECT_EQ(POLLERS - 1, count(self->p.got, 0));
	EXPECT_EQ(0, daos_event_fini(&parent));
}

/* Without wait-in-flight every poller waits for an event of its own. */
TEST_F_TIMEOUT(eq, each_waiting_poller_gets_one_event, 20)
{
	daos_event_t ev[POLLERS];

	self->p.wait_inflight = 0;
	start_pollers(&self->p, self->th, self->args);
	for (int i = 0; i < POLLERS; i++) {
		ASSERT_EQ(0, daos_event_init(&ev[i], self->p.eqh, NULL));
		ASSERT_EQ(0, daos_noop(i % 2 ? 0 : 50000, 0, &ev[i]));
	}
	for (int i = 0; i < POLLERS; i++)
		pthread_join(self->th[i], NULL);
	EXPECT_EQ(POLLERS, count(self->p.got, 1));
	for (int i = 0; i < POLLERS; i++)
		EXPECT_EQ(0, daos_event_fini(&ev[i]));
}

/*
 * A completion storm with pollers that only ever wait without a timeout:
 * every event is delivered exactly once and no poller is left asleep. Each
 * poller stops at the first "stop" event; there is one per poller, sent
 * after all the others, so a single lost wake-up hangs the test.
 */
#define STORM 3000

struct storm {
	daos_handle_t eqh;
	daos_event_t ev[STORM];
	daos_event_t stop[POLLERS];
	atomic_int seen[STORM];
	atomic_int stopped;
	atomic_int bad;
};

static void *storm_poller(void *arg)
{
	struct storm *s = arg;
	daos_event_t *out[8];

	for (;;) {
		int n = daos_eq_poll(s->eqh, 0, DAOS_EQ_WAIT, 1 + rand() % 8, out);
		int stop = 0;

		if (n <= 0) {
			atomic_fetch_add(&s->bad, 1);
			return NULL;
		}
		for (int i = 0; i < n; i++) {
			long k = out[i] - s->ev;

			if (out[i] >= s->stop && out[i] < s->stop + POLLERS)
				stop++;
			else if (k >= 0 && k < STORM)
				atomic_fetch_add(&s->seen[k], 1);
			else
				atomic_fetch_add(&s->bad, 1);
		}
		if (!stop)
			continue;
		/* One stop is ours; more go back for the other pollers. */
		for (int i = 0, mine = 0; i < n; i++) {
			if (out[i] < s->stop || out[i] >= s->stop + POLLERS)
				continue;
			if (mine++ && daos_noop(0, 0, out[i]))
				atomic_fetch_add(&s->bad, 1);
		}
		atomic_fetch_add(&s->stopped, 1);
		return NULL;
	}
}

TEST_F_TIMEOUT(eq, completion_storm_with_blocking_pollers_loses_nothing, 120)
{
	struct storm *s = calloc(1, sizeof(*s));
	pthread_t th[POLLERS];
	int i;

	ASSERT_NE(NULL, s);
	s->eqh = self->p.eqh;
	for (i = 0; i < STORM; i++)
		ASSERT_EQ(0, daos_event_init(&s->ev[i], s->eqh, NULL));
	for (i = 0; i < POLLERS; i++) {
		ASSERT_EQ(0, daos_event_init(&s->stop[i], s->eqh, NULL));
		ASSERT_EQ(0, pthread_create(&th[i], NULL, storm_poller, s));
	}
	for (i = 0; i < STORM; i++)
		ASSERT_EQ(0, daos_noop(i % 5 ? 0 : 200 + i % 700, 0, &s->ev[i]));
	/* Every storm event is delivered before any stop event is sent. */
	for (;;) {
		int done = 0;

		for (i = 0; i < STORM; i++)
			done += atomic_load(&s->seen[i]) > 0;
		if (done == STORM)
			break;
		usleep(10000);
	}
	for (i = 0; i < POLLERS; i++)
		ASSERT_EQ(0, daos_noop(0, 0, &s->stop[i]));
	for (i = 0; i < POLLERS; i++)
		pthread_join(th[i], NULL);
	EXPECT_EQ(0, atomic_load(&s->bad));
	EXPECT_EQ(POLLERS, atomic_load(&s->stopped));
	for (i = 0; i < STORM; i++)
		ASSERT_EQ(1, atomic_load(&s->seen[i])) TH_LOG("event %d", i);
	for (i = 0; i < STORM; i++)
		ASSERT_EQ(0, daos_event_fini(&s->ev[i]));
	for (i = 0; i < POLLERS; i++)
		ASSERT_EQ(0, daos_event_fini(&s->stop[i]));
	free(s);
}

TEST_HARNESS_MAIN
