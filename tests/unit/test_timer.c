/* Per-pCPU software timers: order, ties, re-arming, stopping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <hv/port.h>
#include <hv/timer.h>

#include "tests/support/world.h"

static const char idle_machine[] =
	"name: timers\n"
	"duration: 1s\n"
	"machine: { pcpus: 2 }\n"
	"cpupools:\n"
	"  - { name: p, sched: null, cpus: \"0-1\" }\n"
	"domains:\n"
	"  - { name: quiet, pool: p }\n";

struct fired {
	hv_time_t at[16];
	int id[16];
	unsigned int cpu[16];
	int n;
};

struct tagged {
	struct hv_timer t;
	int id;
	struct fired *log;
};

static void record(struct machine *m, struct hv_timer *t)
{
	struct tagged *tg = (struct tagged *)t; /* t is the first member */
	struct fired *f = tg->log;

	assert_true(f->n < 16);
	f->at[f->n] = arch_clock_now(m);
	f->cpu[f->n] = arch_cpu_id(m);
	f->id[f->n++] = tg->id;
}

static void tag(struct tagged *tg, unsigned int cpu, int id, struct fired *f)
{
	timer_init(&tg->t, cpu, record, NULL);
	tg->id = id;
	tg->log = f;
}

static void test_fire_in_expiry_then_arming_order(void **state)
{
	struct world *w = world_create(idle_machine, false, NULL);
	struct fired f = { 0 };
	struct tagged t[4];

	(void)state;
	tag(&t[0], 0, 0, &f);
	tag(&t[1], 0, 1, &f);
	tag(&t[2], 0, 2, &f);
	tag(&t[3], 1, 3, &f);
	assert_int_equal(timer_set(w->m, &t[0].t, HV_US(300)), 0);
	assert_int_equal(timer_set(w->m, &t[1].t, HV_US(100)), 0);
	assert_int_equal(timer_set(w->m, &t[2].t, HV_US(300)), 0); /* tie */
	assert_int_equal(timer_set(w->m, &t[3].t, HV_US(200)), 0);
	assert_int_equal(sim_run_until(w->sim, HV_MS(1)), 0);

	assert_int_equal(f.n, 4);
	assert_int_equal(f.id[0], 1);
	assert_int_equal(f.at[0], HV_US(100));
	assert_int_equal(f.id[1], 3);
	assert_int_equal(f.at[1], HV_US(200));
	assert_int_equal(f.cpu[1], 1); /* runs on its own pCPU */
	assert_int_equal(f.id[2], 0);  /* armed before t[2]: fires first */
	assert_int_equal(f.id[3], 2);
	assert_int_equal(f.at[3], HV_US(300));
	world_destroy(w);
}

static void test_rearm_and_stop(void **state)
{
	struct world *w = world_create(idle_machine, false, NULL);
	struct fired f = { 0 };
	struct tagged a, b;

	(void)state;
	tag(&a, 0, 0, &f);
	tag(&b, 0, 1, &f);
	assert_int_equal(timer_set(w->m, &a.t, HV_US(100)), 0);
	assert_int_equal(timer_set(w->m, &b.t, HV_US(200)), 0);
	assert_int_equal(timer_set(w->m, &a.t, HV_US(500)), 0); /* moved */
	timer_stop(w->m, &b.t);
	assert_false(timer_is_armed(&b.t));
	timer_stop(w->m, &b.t); /* harmless twice */
	assert_int_equal(sim_run_until(w->sim, HV_MS(1)), 0);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.id[0], 0);
	assert_int_equal(f.at[0], HV_US(500));
	assert_false(timer_is_armed(&a.t));
	world_destroy(w);
}

static void test_many_timers_grow_the_heap(void **state)
{
	struct world *w = world_create(idle_machine, false, NULL);
	struct fired f = { 0 };
	struct tagged t[16];

	(void)state;
	/* Armed in reverse: they must still fire earliest first. */
	for (int i = 15; i >= 0; i--) {
		tag(&t[i], 0, i, &f);
		assert_int_equal(timer_set(w->m, &t[i].t, HV_US(10 * (i + 1))),
				 0);
	}
	assert_int_equal(sim_run_until(w->sim, HV_MS(1)), 0);
	assert_int_equal(f.n, 16);
	for (int i = 0; i < 16; i++) {
		assert_int_equal(f.id[i], i);
		assert_int_equal(f.at[i], HV_US(10 * (i + 1)));
	}
	world_destroy(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fire_in_expiry_then_arming_order),
		cmocka_unit_test(test_rearm_and_stop),
		cmocka_unit_test(test_many_timers_grow_the_heap),
	};

	return cmocka_run_group_tests_name("timer", tests, NULL, NULL);
}
