/*
 * RTDS: property tests, each checked from the run's output (the trace, the
 * summary computed from it, or the state seen after every simulated
 * event): guaranteed budgets are delivered exactly, EDF order holds,
 * extratime is work-conserving and only then, a late wake-up moves to
 * its grid's current period with a full budget, and bad servers are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>

#include <hv/sched.h>

#include "analysis/summary.h"
#include "schedulers/rtds.h"
#include "tests/support/world.h"
#include "tracing/trace_events.h"
#include "tracing/trace_reader.h"

/* ---- helpers ---- */

/* (level, deadline, domid, vcpu_id): the scheduler's total order. */
struct prio {
	unsigned int level;
	hv_time_t deadline, budget;
	unsigned int dom, vcpu;
};

static struct prio prio_of(const struct vcpu *v)
{
	struct prio p = {.dom = v->domain->domid, .vcpu = v->vcpu_id};

	assert_int_equal(rtds_vcpu_state(v, &p.deadline, &p.budget, &p.level),
			 0);
	return p;
}

static bool prio_before(const struct prio *a, const struct prio *b)
{
	if (a->level != b->level)
		return a->level < b->level;
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline;
	if (a->dom != b->dom)
		return a->dom < b->dom;
	return a->vcpu < b->vcpu;
}

#define for_each_vcpu(m, v)                                     \
	for (unsigned int d_ = 0; d_ < (m)->nr_domains; d_++)   \
		for (unsigned int i_ = 0;                       \
		     i_ < (m)->domains[d_].nr_vcpus &&          \
		     ((v) = &(m)->domains[d_].vcpus[i_], true); \
		     i_++)

/* ---- 1. pinned, schedulable: every period delivers exactly its budget */

static const char pinned_fit[] =
    "name: rtds-pinned\n"
    "duration: 2s\n"
    "machine: { pcpus: 2 }\n"
    "cpupools:\n"
    "  - { name: p, sched: rtds, cpus: \"0-1\" }\n"
    "domains:\n"
    "  - { name: a, pool: p, cpus: \"0\", period: 10ms, budget: 3ms, "
    "extratime: false, workload: { hogs: [ { vcpu: 0 } ] } }\n"
    "  - { name: b, pool: p, cpus: \"0\", period: 5ms, budget: 1ms, "
    "extratime: false, workload: { hogs: [ { vcpu: 0 } ] } }\n"
    "  - { name: c, pool: p, cpus: \"0\", period: 20ms, budget: 5ms, "
    "extratime: false, workload: { hogs: [ { vcpu: 0 } ] } }\n"
    "  - { name: d, pool: p, cpus: \"1\", period: 7ms, budget: 2ms, "
    "extratime: false, workload: { hogs: [ { vcpu: 0 } ] } }\n"
    "  - { name: e, pool: p, cpus: \"1\", period: 12ms, budget: 5ms, "
    "extratime: false, workload: { hogs: [ { vcpu: 0 } ] } }\n"
    "  - name: f\n"
    "    pool: p\n"
    "    vcpus: 2\n"
    "    cpus: [\"0\", \"1\"]\n"
    "    period: 10ms\n"
    "    budget: 1ms\n"
    "    extratime: false\n"
    "    vcpu_sched: [ { vcpu: 1, period: 4ms, budget: 500us } ]\n"
    "    workload: { hogs: [ { vcpu: 0 }, { vcpu: 1 } ] }\n";

#define MAX_TRACKED 8

struct supply {
	uint32_t dv;
	hv_time_t period, budget;
	hv_time_t running_since; /* -1: not running */
	unsigned int nr_windows;
	hv_time_t *got; /* [nr_windows] running time per period */
};

static void supply_add(struct supply *s, hv_time_t from, hv_time_t to)
{
	while (from < to) {
		unsigned int k = (unsigned int)(from / s->period);
		hv_time_t end = (hv_time_t)(k + 1) * s->period;
		hv_time_t upto = to < end ? to : end;

		if (k < s->nr_windows)
			s->got[k] += upto - from;
		from = upto;
	}
}

static void test_pinned_budgets_exact(void **state)
{
	static const char *const names[] = {"a", "b", "c", "d", "e"};
	struct world *w = world_create(pinned_fit, true, NULL);
	struct supply sup[MAX_TRACKED] = {0};
	unsigned int n = 0;
	struct trace_reader *r;
	struct trace_rec rec;
	hv_time_t end = 0;
	char err[256];

	(void)state;
	for (unsigned int i = 0; i < 7; i++) {
		struct vcpu *v = i < 5 ? world_vcpu(w, names[i], 0)
				       : world_vcpu(w, "f", i - 5);

		sup[n].dv = trace_dv(v->domain->domid, v->vcpu_id);
		sup[n].period = v->rt_period;
		sup[n].budget = v->rt_budget;
		sup[n].running_since = -1;
		n++;
	}
	/* The per-vCPU override reached the scheduler. */
	assert_int_equal(sup[6].period, HV_MS(4));
	assert_int_equal(sup[6].budget, HV_US(500));
	assert_int_equal(sup[5].period, HV_MS(10));
	world_finish(w, NULL);
	assert_int_equal(w->m->sched_errors, 0);

	assert_int_equal(trace_reader_open(w->trace_path, &r, err, sizeof(err)),
			 0);
	for (unsigned int i = 0; i < n; i++) {
		sup[i].nr_windows = (unsigned int)(HV_S(2) / sup[i].period);
		sup[i].got = calloc(sup[i].nr_windows, sizeof(hv_time_t));
		assert_non_null(sup[i].got);
	}
	while (trace_reader_next(r, &rec) == 1) {
		unsigned int from = (rec.event >> 8) & 0xf,
			     to = (rec.event >> 4) & 0xf;

		if (rec.event == TRC_HVLAB_RUN_END)
			end = (hv_time_t)rec.data[0] | (hv_time_t)rec.data[1]
							   << 32;
		if ((rec.event & 0xfffff00fu) != TRC_RUNSTATE_BASE)
			continue;
		for (unsigned int i = 0; i < n; i++) {
			if (rec.data[0] != sup[i].dv)
				continue;
			if (from == RUNSTATE_RUNNING) {
				assert_true(sup[i].running_since >= 0);
				supply_add(&sup[i], sup[i].running_since,
					   (hv_time_t)rec.tsc);
				sup[i].running_since = -1;
			}
			if (to == RUNSTATE_RUNNING)
				sup[i].running_since = (hv_time_t)rec.tsc;
		}
	}
	trace_reader_close(r);
	assert_int_equal(end, HV_S(2));
	/*
	 * The core switches at the exact instants the scheduler asks for
	 * (its costs delay only guest progress), so with extratime off a hog
	 * gets its budget to the nanosecond in every period, and all of it
	 * before the deadline: no tolerance at all.
	 */
	for (unsigned int i = 0; i < n; i++) {
		if (sup[i].running_since >= 0)
			supply_add(&sup[i], sup[i].running_since, end);
		for (unsigned int k = 0; k < sup[i].nr_windows; k++)
			if (sup[i].got[k] != sup[i].budget)
				fail_msg(
				    "dv %#x period %u: ran %lld ns, budget "
				    "%lld ns",
				    sup[i].dv, k, (long long)sup[i].got[k],
				    (long long)sup[i].budget);
		free(sup[i].got);
	}
	world_destroy(w);
}

/* ---- 2. overload on one pCPU: the earliest deadline always runs ---- */

static const char overload[] =
    "name: rtds-edf\n"
    "duration: 5s\n"
    "machine: { pcpus: 1 }\n"
    "cpupools:\n"
    "  - { name: p, sched: rtds, cpus: \"0\" }\n"
    "domains:\n"
    "  - { name: a, pool: p, period: 10ms, budget: 4ms, extratime: false, "
    "workload: { hogs: [ { vcpu: 0 } ] } }\n"
    "  - { name: b, pool: p, period: 15ms, budget: 6ms, extratime: false, "
    "workload: { hogs: [ { vcpu: 0 } ] } }\n"
    "  - { name: c, pool: p, period: 7ms, budget: 3ms, extratime: false, "
    "workload: { hogs: [ { vcpu: 0 } ] } }\n"
    "  - { name: d, pool: p, period: 20ms, budget: 5ms, extratime: false, "
    "workload: { hogs: [ { vcpu: 0 } ] } }\n";

struct edf_check {
	struct machine *m;
	unsigned long checks, contested, switches;
	struct vcpu *last;
};

static void check_edf(void *ctx, struct sim *sim)
{
	struct edf_check *c = ctx;
	struct vcpu *curr = c->m->pcpus[0].curr, *v;
	struct prio pc = {0};

	(void)sim;
	if (curr != c->last)
		c->switches++;
	c->last = curr;
	if (!curr->is_idle) {
		pc = prio_of(curr);
		assert_int_equal(pc.level, 0);
	}
	for_each_vcpu(c->m, v)
	{
		struct prio pv = prio_of(v);

		assert_int_equal(pv.level, 0); /* extratime is off */
		if (v == curr || !vcpu_runnable(v) || pv.budget == 0)
			continue;
		/* Work-conserving at level 0: never idle with work left. */
		assert_false(curr->is_idle);
		c->contested++;
		if (pv.deadline < pc.deadline)
			fail_msg("d%u runs with deadline %lld while d%u waits "
				 "with deadline %lld",
				 curr->domain->domid, (long long)pc.deadline,
				 v->domain->domid, (long long)pv.deadline);
	}
	c->checks++;
}

static void test_overload_earliest_deadline_first(void **state)
{
	struct edf_check c = {0};
	struct sim_options opt = {.after_event = check_edf,
				  .after_event_ctx = &c};
	struct world *w = world_create(overload, false, &opt);

	(void)state;
	c.m = w->m;
	world_finish(w, NULL);
	assert_int_equal(w->m->sched_errors, 0);
	/* Not vacuous: the pCPU was fought over and changed hands often. */
	assert_true(c.checks > 3000);
	assert_true(c.contested > 8000);
	assert_true(c.switches > 1000);
	world_destroy(w);
}

/* ---- 3. extratime: work-conserving with it, exactly budget without --- */

static const char lone[] =
    "name: rtds-extratime\n"
    "duration: 1s\n"
    "machine: { pcpus: 3 }\n"
    "cpupools:\n"
    "  - { name: on, sched: rtds, cpus: \"0\" }\n"
    "  - { name: off, sched: rtds, cpus: \"1\" }\n"
    "  - { name: other, sched: null, cpus: \"2\" }\n"
    "domains:\n"
    "  - { name: x, pool: on, period: 10ms, budget: 2ms, extratime: true, "
    "workload: { hogs: [ { vcpu: 0 } ] } }\n"
    "  - { name: y, pool: off, period: 10ms, budget: 2ms, extratime: "
    "false, workload: { hogs: [ { vcpu: 0 } ] } }\n"
    "  - { name: z, pool: other }\n";

struct level_watch {
	struct vcpu *x;
	unsigned int max_level;
};

static void watch_level(void *ctx, struct sim *sim)
{
	struct level_watch *l = ctx;
	struct prio p = prio_of(l->x);

	(void)sim;
	if (p.level > l->max_level)
		l->max_level = p.level;
}

static void test_extratime_share(void **state)
{
	struct level_watch l = {0};
	struct sim_options opt = {.after_event = watch_level,
				  .after_event_ctx = &l};
	struct world *w = world_create(lone, true, &opt);
	const struct summary_domain *dx, *dy;
	struct summary *s;

	(void)state;
	l.x = world_vcpu(w, "x", 0);
	/* Not an RTDS vCPU: the inspection refuses it. */
	assert_int_equal(
	    rtds_vcpu_state(world_vcpu(w, "z", 0), NULL, NULL, NULL), -EINVAL);
	world_finish(w, NULL);
	assert_int_equal(summary_from_trace(w->trace_path, &s, stderr), 0);
	dx = summary_domain(s, l.x->domain->domid);
	dy = summary_domain(s, world_vcpu(w, "y", 0)->domain->domid);
	assert_non_null(dx);
	assert_non_null(dy);
	/* x never leaves the pCPU: budget runs out at 2 ms, it is refilled
	 * at level 1, 2, ... and continues; replenishment resets it to 0. */
	assert_int_equal(dx->vcpus[0].share_bp, 10000);
	assert_int_equal(l.max_level, 4);
	/* y gets its 2 ms of every 10 ms and not a nanosecond more. */
	assert_int_equal(dy->vcpus[0].share_bp, 2000);
	assert_int_equal(dy->vcpus[0].runstate_ns[0], 100 * HV_MS(2));
	summary_free(s);
	world_destroy(w);
}

/* ---- 4. a wake-up after the deadline moves to its grid's current period ----
 */

static const char sleepers[] =
    "name: rtds-wake\n"
    "duration: 1s\n"
    "machine: { pcpus: 2 }\n"
    "cpupools:\n"
    "  - { name: p, sched: rtds, cpus: \"0-1\" }\n"
    "domains:\n"
    "  - name: late\n"
    "    pool: p\n"
    "    cpus: \"0\"\n"
    "    period: 10ms\n"
    "    budget: 4ms\n"
    "    workload:\n"
    "      tasks:\n"
    "        - { name: t, period: 37ms, exec: 1ms, priority: 1 }\n"
    "  - name: early\n"
    "    pool: p\n"
    "    cpus: \"1\"\n"
    "    period: 20ms\n"
    "    budget: 4ms\n"
    "    workload:\n"
    "      tasks:\n"
    "        - { name: t, period: 5ms, exec: 500us, priority: 1 }\n";

struct wake_watch {
	struct vcpu *v[2];
	bool was_blocked[2];
	struct prio at_block[2];
	unsigned int fresh[2], kept[2];
};

static void watch_wakes(void *ctx, struct sim *sim)
{
	struct wake_watch *ww = ctx;
	hv_time_t now = sim_now(sim);

	for (unsigned int i = 0; i < 2; i++) {
		struct vcpu *v = ww->v[i];
		struct prio p = prio_of(v);

		if (v->blocked && !v->is_running && !ww->was_blocked[i]) {
			ww->was_blocked[i] = true;
			ww->at_block[i] = p;
		} else if (!v->blocked && ww->was_blocked[i]) {
			const struct prio *b = &ww->at_block[i];

			ww->was_blocked[i] = false;
			assert_int_equal(p.level, 0);
			if (now >= b->deadline) {
				/* Xen: the period of the old grid that
				 * contains now, full budget. */
				hv_time_t k =
				    (now - b->deadline) / v->rt_period + 1;

				assert_int_equal(
				    p.deadline, b->deadline + k * v->rt_period);
				assert_true(p.deadline > now);
				assert_int_equal(p.budget, v->rt_budget);
				ww->fresh[i]++;
			} else {
				/* Deferrable server: budget kept while
				 * blocked, same period. */
				assert_int_equal(p.deadline, b->deadline);
				assert_int_equal(p.budget, b->budget);
				ww->kept[i]++;
			}
		}
	}
}

static void test_wake_after_deadline_moves_on_the_grid(void **state)
{
	struct wake_watch ww = {0};
	struct sim_options opt = {.after_event = watch_wakes,
				  .after_event_ctx = &ww};
	struct world *w = world_create(sleepers, false, &opt);

	(void)state;
	ww.v[0] = world_vcpu(w, "late", 0);
	ww.v[1] = world_vcpu(w, "early", 0);
	world_finish(w, NULL);
	/* 37 ms releases: every wake-up is past the 10 ms deadline. */
	assert_true(ww.fresh[0] >= 26);
	assert_int_equal(ww.kept[0], 0);
	/* 5 ms releases in 20 ms periods: the first of each period is
	 * past its deadline (from the second period on), the rest are not. */
	assert_true(ww.kept[1] >= 100);
	assert_true(ww.fresh[1] >= 40);
	world_destroy(w);
}

/* ---- 5. servers Xen would refuse are refused ---- */

static void test_alloc_udata_rejects_bad_servers(void **state)
{
	static const struct {
		hv_time_t period, budget;
		int rc;
	} cases[] = {
	    {HV_US(5), HV_US(5), -EINVAL}, /* period below 10 us */
	    {HV_MS(10), HV_MS(11), -EINVAL}, /* budget > period */
	    {HV_MS(10), HV_US(5), -EINVAL}, /* budget below 10 us */
	    {HV_US(5), 0, -EINVAL}, /* default budget > period */
	    {-HV_MS(1), HV_US(10), -EINVAL},
	    {HV_US(10), HV_US(10), 0}, /* the minimum */
	    {0, 0, 0}, /* defaults: 10 ms / 4 ms */
	};
	struct world *w = world_create(lone, false, NULL);
	struct scheduler *s = w->m->pools[0].sched;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vcpu fake = *world_vcpu(w, "x", 0);

		fake.sched_priv = NULL;
		fake.rt_period = cases[i].period;
		fake.rt_budget = cases[i].budget;
		assert_int_equal(s->ops->alloc_udata(s, &fake), cases[i].rc);
		if (cases[i].rc) {
			assert_null(fake.sched_priv);
			continue;
		}
		assert_non_null(fake.sched_priv);
		s->ops->free_udata(s, &fake);
		assert_null(fake.sched_priv);
	}
	world_destroy(w);
}

/* ---- 6. mixed affinity: global EDF holds whenever the pool is settled */

static const char mixed[] =
    "name: rtds-mixed\n"
    "duration: 1s\n"
    "seed: 7\n"
    "machine: { pcpus: 3 }\n"
    "cpupools:\n"
    "  - { name: p, sched: rtds, cpus: \"0-2\" }\n"
    "domains:\n"
    "  - { name: g1, pool: p, period: 10ms, budget: 4ms, "
    "workload: { hogs: [ { vcpu: 0 } ] } }\n"
    "  - { name: g2, pool: p, period: 6ms, budget: 2ms, extratime: false, "
    "workload: { hogs: [ { vcpu: 0 } ] } }\n"
    "  - { name: p01, pool: p, cpus: \"0-1\", period: 8ms, budget: 3ms, "
    "workload: { hogs: [ { vcpu: 0 } ] } }\n"
    "  - { name: p12, pool: p, cpus: \"1-2\", period: 9ms, budget: 2ms, "
    "extratime: false, workload: { hogs: [ { vcpu: 0 } ] } }\n"
    "  - { name: p2, pool: p, cpus: \"2\", period: 5ms, budget: 1ms, "
    "workload: { hogs: [ { vcpu: 0 } ] } }\n"
    "  - name: rt\n"
    "    pool: p\n"
    "    vcpus: 2\n"
    "    cpus: [\"0\", \"0-2\"]\n"
    "    period: 4ms\n"
    "    budget: 1ms\n"
    "    workload:\n"
    "      tasks:\n"
    "        - { name: a, vcpu: 0, period: 3ms, exec: 400us, priority: 2 }\n"
    "        - { name: b, vcpu: 1, sporadic: { min_interarrival: 1ms, "
    "max_interarrival: 4ms }, exec: { dist: uniform, min: 50us, max: "
    "900us }, priority: 1 }\n";

struct settled_check {
	struct machine *m;
	unsigned long settled, waiting;
};

/*
 * With no reschedule pending anywhere, a unit that waits (runnable, not
 * running, with budget) must not be allowed on any pCPU that is idle or
 * runs a unit it beats.
 */
static void check_settled(void *ctx, struct sim *sim)
{
	struct settled_check *c = ctx;
	struct machine *m = c->m;
	struct vcpu *v;

	(void)sim;
	for (unsigned int cpu = 0; cpu < m->nr_pcpus; cpu++)
		if (m->pcpus[cpu].softirq_pending)
			return;
	c->settled++;
	for_each_vcpu(m, v)
	{
		struct prio pv = prio_of(v);
		unsigned int cpu;

		if (!vcpu_runnable(v) || v->is_running || pv.budget == 0)
			continue;
		c->waiting++;
		for_each_cpu (cpu, &v->hard_affinity) {
			const struct vcpu *curr = m->pcpus[cpu].curr;
			struct prio pc;

			if (curr->is_idle)
				fail_msg("d%uv%u waits while pCPU %u idles",
					 pv.dom, pv.vcpu, cpu);
			pc = prio_of(curr);
			if (prio_before(&pv, &pc))
				fail_msg("d%uv%u (level %u, deadline %lld) "
					 "waits while pCPU %u runs d%uv%u "
					 "(level %u, deadline %lld)",
					 pv.dom, pv.vcpu, pv.level,
					 (long long)pv.deadline, cpu, pc.dom,
					 pc.vcpu, pc.level,
					 (long long)pc.deadline);
		}
	}
}

static void test_mixed_affinity_global_edf(void **state)
{
	struct settled_check c = {0};
	struct sim_options opt = {.after_event = check_settled,
				  .after_event_ctx = &c};
	struct world *w = world_create(mixed, false, &opt);

	(void)state;
	c.m = w->m;
	world_finish(w, NULL);
	assert_int_equal(w->m->sched_errors, 0);
	assert_true(c.settled > 5000);
	assert_true(c.waiting > 5000);
	world_destroy(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pinned_budgets_exact),
	    cmocka_unit_test(test_overload_earliest_deadline_first),
	    cmocka_unit_test(test_extratime_share),
	    cmocka_unit_test(test_wake_after_deadline_moves_on_the_grid),
	    cmocka_unit_test(test_alloc_udata_rejects_bad_servers),
	    cmocka_unit_test(test_mixed_affinity_global_edf),
	};

	return cmocka_run_group_tests_name("rtds", tests, NULL, NULL);
}
