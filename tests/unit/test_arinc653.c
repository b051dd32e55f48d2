/*
 * ARINC653: windows are obeyed to the nanosecond over 10,000 major frames,
 * a blocked window idles instead of lending its time, and bad tables are
 * refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>

#include <hv/sched.h>

#include "tests/support/world.h"

#define FRAMES 10000

struct switch_log {
	struct machine *m;
	struct vcpu *last;
	unsigned int n, cap;
	hv_time_t *when;
	struct vcpu **who;
};

/* Record every change of pCPU 0's current vCPU, with its time. */
static void log_switches(void *ctx, struct sim *sim)
{
	struct switch_log *l = ctx;
	struct vcpu *curr = l->m->pcpus[0].curr;

	if (curr == l->last)
		return;
	l->last = curr;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->when = realloc(l->when, l->cap * sizeof(*l->when));
		l->who = realloc(l->who, l->cap * sizeof(*l->who));
		assert_non_null(l->when);
		assert_non_null(l->who);
	}
	l->when[l->n] = sim_now(sim);
	l->who[l->n++] = curr;
}

/* Build @yaml's world, run it to the end, logging pCPU 0's switches. */
static struct world *run_logged(const char *yaml, struct switch_log *log)
{
	struct sim_options opt = { .after_event = log_switches,
				   .after_event_ctx = log };
	struct world *w = world_create(yaml, false, &opt);

	log->m = w->m;
	log->last = w->m->pcpus[0].curr;
	world_finish(w, NULL);
	return w;
}

static const char two_hogs[] =
	"name: a653-exact\n"
	"duration: 100s\n"
	"machine: { pcpus: 1 }\n"
	"cpupools:\n"
	"  - name: p0\n"
	"    sched: arinc653\n"
	"    cpus: \"0\"\n"
	"    major_frame: 10ms\n"
	"    schedule:\n"
	"      - { dom: a, runtime: 3ms }\n"
	"      - { dom: b, runtime: 5ms }\n"
	"domains:\n"
	"  - { name: a, pool: p0, workload: { hogs: [ { vcpu: 0 } ] } }\n"
	"  - { name: b, pool: p0, workload: { hogs: [ { vcpu: 0 } ] } }\n";

static void test_windows_exact_over_10000_frames(void **state)
{
	struct switch_log log = { 0 };
	struct world *w = run_logged(two_hogs, &log);
	struct vcpu *a = world_vcpu(w, "a", 0), *b = world_vcpu(w, "b", 0);

	(void)state;

	/* Three switches a frame: to a at 0, to b at 3 ms, to idle at 8 ms. */
	assert_int_equal(log.n, 3 * FRAMES);
	for (unsigned int k = 0; k < FRAMES; k++) {
		hv_time_t base = (hv_time_t)k * HV_MS(10);

		assert_int_equal(log.when[3 * k], base);
		assert_ptr_equal(log.who[3 * k], a);
		assert_int_equal(log.when[3 * k + 1], base + HV_MS(3));
		assert_ptr_equal(log.who[3 * k + 1], b);
		assert_int_equal(log.when[3 * k + 2], base + HV_MS(8));
		assert_true(log.who[3 * k + 2]->is_idle);
	}
	/* Runstate accounting agrees: exactly 3 ms and 5 ms per frame. */
	assert_int_equal(a->time_in_state[RUNSTATE_RUNNING],
			 (hv_time_t)FRAMES * HV_MS(3));
	assert_int_equal(b->time_in_state[RUNSTATE_RUNNING],
			 (hv_time_t)FRAMES * HV_MS(5));
	free(log.when);
	free(log.who);
	world_destroy(w);
}

static const char blocking_partition[] =
	"name: a653-block\n"
	"duration: 1s\n"
	"machine: { pcpus: 1 }\n"
	"cpupools:\n"
	"  - name: p0\n"
	"    sched: arinc653\n"
	"    cpus: \"0\"\n"
	"    major_frame: 10ms\n"
	"    schedule:\n"
	"      - { dom: a, runtime: 4ms }\n"
	"      - { dom: b, runtime: 6ms }\n"
	"domains:\n"
	"  - name: a\n"
	"    pool: p0\n"
	"    workload:\n"
	"      tasks:\n"
	"        - { name: t, period: 10ms, exec: 1ms, priority: 1 }\n"
	"  - { name: b, pool: p0, workload: { hogs: [ { vcpu: 0 } ] } }\n";

static void test_blocked_window_idles(void **state)
{
	struct switch_log log = { 0 };
	struct world *w = run_logged(blocking_partition, &log);
	struct vcpu *a = world_vcpu(w, "a", 0), *b = world_vcpu(w, "b", 0);
	unsigned int idle_in_a_window = 0;
	hv_time_t rs[RUNSTATE_COUNT];

	(void)state;

	for (unsigned int i = 0; i < log.n; i++) {
		hv_time_t off = log.when[i] % HV_MS(10);

		/* b, the hog, never starts outside [4 ms, 10 ms). */
		if (log.who[i] == b)
			assert_int_equal(off, HV_MS(4));
		/* a only ever starts at its window's beginning. */
		if (log.who[i] == a)
			assert_int_equal(off, 0);
		/* a blocks after its 1 ms job: the rest of its window idles. */
		if (log.who[i]->is_idle && off > 0 && off < HV_MS(4))
			idle_in_a_window++;
	}
	assert_int_equal(idle_in_a_window, 100);
	/* b gets its 6 ms a frame and not a nanosecond of a's slack. */
	vcpu_runstate_get(b, HV_S(1), rs);
	assert_int_equal(rs[RUNSTATE_RUNNING], 100 * HV_MS(6));
	vcpu_runstate_get(a, HV_S(1), rs);
	assert_true(rs[RUNSTATE_RUNNING] < 100 * HV_MS(4));
	free(log.when);
	free(log.who);
	world_destroy(w);
}

static void test_adjust_global_rejects_bad_tables(void **state)
{
	struct world *w = world_create(two_hogs, false, NULL);
	struct scheduler *s = w->m->pools[0].sched;
	struct sched_global_params gp = { .sched_id = XEN_SCHEDULER_ARINC653 };

	(void)state;
	gp.u.a653.major_frame = HV_MS(10);
	gp.u.a653.nr_windows = 2;
	gp.u.a653.windows[0] = (struct a653_window){ 1, 0, HV_MS(6) };
	gp.u.a653.windows[1] = (struct a653_window){ 2, 0, HV_MS(6) };
	assert_int_equal(s->ops->adjust_global(s, &gp), -EINVAL); /* 12 > 10 */
	gp.u.a653.windows[1].runtime = 0;
	assert_int_equal(s->ops->adjust_global(s, &gp), -EINVAL);
	gp.u.a653.nr_windows = 0;
	assert_int_equal(s->ops->adjust_global(s, &gp), -EINVAL);
	gp.u.a653.nr_windows = A653_MAX_WINDOWS + 1;
	assert_int_equal(s->ops->adjust_global(s, &gp), -EINVAL);
	gp.u.a653.nr_windows = 2;
	gp.u.a653.windows[1].runtime = HV_MS(4);
	assert_int_equal(s->ops->adjust_global(s, &gp), 0); /* exactly full */
	world_destroy(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows_exact_over_10000_frames),
		cmocka_unit_test(test_blocked_window_idles),
		cmocka_unit_test(test_adjust_global_rejects_bad_tables),
	};

	return cmocka_run_group_tests_name("arinc653", tests, NULL, NULL);
}
