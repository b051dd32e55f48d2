/* The sim's event queue: (time, seq) order, re-arming, cancelling. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "hv-core/arch/sim/event_queue.h"
#include "hv-core/arch/sim/rng.h"

static void test_pops_in_time_then_arming_order(void **state)
{
	struct event_queue q;
	struct sim_event e[5];
	const hv_time_t when[5] = { 50, 10, 50, 30, 10 };
	const uint32_t expect[5] = { 1, 4, 3, 0, 2 };

	(void)state;
	assert_int_equal(event_queue_init(&q, 2), 0); /* forces growth */
	for (uint32_t i = 0; i < 5; i++) {
		sim_event_init(&e[i], 0, i);
		assert_int_equal(event_queue_arm(&q, &e[i], when[i]), 0);
	}
	for (int i = 0; i < 5; i++) {
		struct sim_event *p = event_queue_pop(&q);

		assert_non_null(p);
		assert_int_equal(p->arg, expect[i]);
		assert_false(sim_event_queued(p));
	}
	assert_null(event_queue_pop(&q));
	assert_int_equal(event_queue_peek_time(&q), HV_TIME_NEVER);
	event_queue_fini(&q);
}

static void test_rearm_moves_and_cancel_removes(void **state)
{
	struct event_queue q;
	struct sim_event a, b, c;

	(void)state;
	assert_int_equal(event_queue_init(&q, 0), 0);
	sim_event_init(&a, 0, 0);
	sim_event_init(&b, 0, 1);
	sim_event_init(&c, 0, 2);
	event_queue_arm(&q, &a, 100);
	event_queue_arm(&q, &b, 200);
	event_queue_arm(&q, &c, 300);
	event_queue_arm(&q, &c, 50);  /* earlier */
	event_queue_arm(&q, &a, 250); /* later */
	event_queue_cancel(&q, &b);
	event_queue_cancel(&q, &b);   /* twice is harmless */
	assert_int_equal(q.nr, 2);
	assert_int_equal(event_queue_pop(&q)->arg, 2);
	assert_int_equal(event_queue_pop(&q)->arg, 0);
	assert_null(event_queue_pop(&q));
	event_queue_fini(&q);
}

/* Random arm/cancel/re-arm against a brute-force model of the queue. */
static void test_random_operations_match_a_model(void **state)
{
	enum { N = 64 };
	struct event_queue q;
	struct sim_event e[N];
	struct rng r;

	(void)state;
	rng_seed(&r, 99);
	assert_int_equal(event_queue_init(&q, 4), 0);
	for (uint32_t i = 0; i < N; i++)
		sim_event_init(&e[i], 0, i);
	for (int step = 0; step < 20000; step++) {
		struct sim_event *x = &e[rng_range(&r, 0, N - 1)];
		int op = (int)rng_range(&r, 0, 3);

		if (op < 2) {
			event_queue_arm(&q, x, rng_range(&r, 0, 1000));
		} else if (op == 2) {
			event_queue_cancel(&q, x);
		} else {
			/* pop must return the (time, seq) minimum */
			struct sim_event *best = NULL, *p;

			for (int i = 0; i < N; i++)
				if (sim_event_queued(&e[i]) &&
				    (!best || e[i].time < best->time ||
				     (e[i].time == best->time &&
				      e[i].seq < best->seq)))
					best = &e[i];
			p = event_queue_pop(&q);
			assert_ptr_equal(p, best);
		}
	}
	event_queue_fini(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pops_in_time_then_arming_order),
		cmocka_unit_test(test_rearm_moves_and_cancel_removes),
		cmocka_unit_test(test_random_operations_match_a_model),
	};

	return cmocka_run_group_tests_name("event_queue", tests, NULL, NULL);
}
