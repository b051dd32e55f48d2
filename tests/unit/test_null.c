/*
 * null: one vCPU per pCPU, no sharing, surplus vCPUs wait in FIFO order
 * and never run, and the wait is visible in the trace.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <hv/port.h>
#include <hv/sched.h>

#include "tests/support/world.h"
#include "tracing/trace_events.h"
#include "tracing/trace_reader.h"

static const char five_on_four[] =
	"name: null-surplus\n"
	"duration: 200ms\n"
	"machine: { pcpus: 4 }\n"
	"cpupools:\n"
	"  - { name: p, sched: null, cpus: \"0-3\" }\n"
	"domains:\n"
	"  - { name: d0, pool: p, workload: { hogs: [ { vcpu: 0 } ] } }\n"
	"  - { name: d1, pool: p, workload: { hogs: [ { vcpu: 0 } ] } }\n"
	"  - { name: d2, pool: p, workload: { hogs: [ { vcpu: 0 } ] } }\n"
	"  - { name: d3, pool: p, workload: { hogs: [ { vcpu: 0 } ] } }\n"
	"  - { name: late, pool: p, workload: { hogs: [ { vcpu: 0 } ] } }\n";

struct owner_check {
	struct machine *m;
	struct vcpu *owner[4];
	struct vcpu *late;
};

/* Each pCPU only ever runs one vCPU, and the waiting one never runs. */
static void check_owners(void *ctx, struct sim *sim)
{
	struct owner_check *c = ctx;

	(void)sim;
	for (unsigned int cpu = 0; cpu < 4; cpu++) {
		struct vcpu *curr = c->m->pcpus[cpu].curr;

		assert_ptr_not_equal(curr, c->late);
		if (curr->is_idle)
			continue;
		if (!c->owner[cpu])
			c->owner[cpu] = curr;
		assert_ptr_equal(curr, c->owner[cpu]);
	}
}

static void test_no_sharing_and_waiting_never_runs(void **state)
{
	struct owner_check c = { 0 };
	struct sim_options opt = { .after_event = check_owners,
				   .after_event_ctx = &c };
	struct world *w;

	(void)state;
	w = world_create(five_on_four, true, &opt);
	c.m = w->m;
	c.late = world_vcpu(w, "late", 0);
	world_finish(w, NULL);

	for (unsigned int cpu = 0; cpu < 4; cpu++)
		assert_non_null(c.owner[cpu]);
	for (unsigned int i = 0; i < 4; i++)
		for (unsigned int j = i + 1; j < 4; j++)
			assert_ptr_not_equal(c.owner[i], c.owner[j]);
	assert_int_equal(c.late->time_in_state[RUNSTATE_RUNNING], 0);
	assert_int_equal(c.late->runstate, RUNSTATE_RUNNABLE);

	/* The trace names the vCPU left waiting: domid 5, vcpu 0. */
	struct trace_reader *r;
	struct trace_rec rec;
	char err[256];
	int waiting = 0, rc;

	assert_int_equal(trace_reader_open(w->trace_path, &r, err,
					   sizeof(err)), 0);
	while ((rc = trace_reader_next(r, &rec)) == 1)
		if (rec.event == TRC_HVLAB_NULL_WAITING) {
			assert_int_equal(rec.data[0], trace_dv(5, 0));
			waiting++;
		}
	assert_int_equal(rc, 0);
	assert_int_equal(waiting, 1);
	trace_reader_close(r);
	world_destroy(w);
}

static const char three_on_one[] =
	"name: null-fifo\n"
	"duration: 10ms\n"
	"machine: { pcpus: 1 }\n"
	"cpupools:\n"
	"  - { name: p, sched: null, cpus: \"0\" }\n"
	"domains:\n"
	"  - { name: first, pool: p, workload: { hogs: [ { vcpu: 0 } ] } }\n"
	"  - { name: second, pool: p, workload: { hogs: [ { vcpu: 0 } ] } }\n"
	"  - { name: third, pool: p, workload: { hogs: [ { vcpu: 0 } ] } }\n";

static void test_released_pcpu_goes_to_first_waiter(void **state)
{
	struct world *w = world_create(three_on_one, false, NULL);
	struct scheduler *s = w->m->pools[0].sched;
	struct vcpu *first = world_vcpu(w, "first", 0);
	struct vcpu *second = world_vcpu(w, "second", 0);
	struct vcpu *third = world_vcpu(w, "third", 0);

	(void)state;
	assert_int_equal(sim_run_until(w->sim, HV_MS(1)), 0);
	assert_ptr_equal(w->m->pcpus[0].curr, first);
	/* Take "first" away (Xen: vCPU offlined); FIFO: "second" is next. */
	hv_vcpu_sleep(w->m, first);
	s->ops->remove_unit(s, first);
	/* The control operation would run on another pCPU and IPI cpu 0. */
	arch_ipi_send(w->m, 0);
	assert_int_equal(sim_run_until(w->sim, HV_MS(2)), 0);
	assert_ptr_equal(w->m->pcpus[0].curr, second);
	assert_int_equal(first->runstate, RUNSTATE_OFFLINE);
	assert_int_equal(third->time_in_state[RUNSTATE_RUNNING], 0);
	world_finish(w, NULL);
	world_destroy(w);
}

static void test_do_schedule_never_asks_for_a_timer(void **state)
{
	struct world *w = world_create(three_on_one, false, NULL);
	struct scheduler *s = w->m->pools[0].sched;
	struct sched_decision d;

	(void)state;
	assert_int_equal(sim_run_until(w->sim, HV_MS(1)), 0);
	d = s->ops->do_schedule(s, 0, sim_now(w->sim), w->m->pcpus[0].curr);
	assert_true(d.slice < 0);
	assert_false(timer_is_armed(&w->m->pcpus[0].s_timer));
	world_finish(w, NULL);
	world_destroy(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_sharing_and_waiting_never_runs),
		cmocka_unit_test(test_released_pcpu_goes_to_first_waiter),
		cmocka_unit_test(test_do_schedule_never_asks_for_a_timer),
	};

	return cmocka_run_group_tests_name("null", tests, NULL, NULL);
}
