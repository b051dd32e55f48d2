/*
 * credit2: CPU shares follow weights, caps hold, the ratelimit is obeyed
 * (and preemption is immediate without it), runqueues follow the
 * topology, load balancing spreads hogs over runqueues, yield skips the
 * ratelimit, and the trace carries Xen's credit2 records. Properties are
 * checked from the run's output (trace summary, runstates) and, after
 * every simulated event, against the scheduler's own invariants.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <hv/port.h>
#include <hv/sched.h>

#include "analysis/summary.h"
#include "schedulers/credit2.h"
#include "tests/support/world.h"
#include "tracing/trace_events.h"
#include "tracing/trace_reader.h"

#define CREDIT_MIN (-HV_MS(10))
#define CREDIT_MAX (HV_MS(10) + HV_US(500))

/* ---- helpers ---- */

/*
 * After every event: a running unit is never parked, its credit is in
 * [CREDIT_MIN, CREDIT_MAX] and its budget is not negative; no pCPU runs
 * a vCPU of a domain that is not in its pool.
 */
struct c2_check {
	struct machine *m;
	uint64_t events;
	uint64_t parked_seen; /* parked units seen waiting */
};

static void check_units(void *ctx, struct sim *sim)
{
	struct c2_check *c = ctx;
	struct machine *m = c->m;

	(void)sim;
	c->events++;
	for (unsigned int cpu = 0; cpu < m->nr_pcpus; cpu++) {
		struct vcpu *v = m->pcpus[cpu].curr;
		struct credit2_unit_info info;

		if (v->is_idle)
			continue;
		assert_int_equal(
		    credit2_unit_info(v->domain->pool->sched, v, &info), 0);
		if (info.parked)
			fail_msg("cpu %u runs parked d%u v%u", cpu,
				 v->domain->domid, v->vcpu_id);
		assert_true(info.credit >= CREDIT_MIN &&
			    info.credit <= CREDIT_MAX);
		assert_true(info.budget >= 0);
	}
	for (unsigned int d = 0; d < m->nr_domains; d++)
		for (unsigned int i = 0; i < m->domains[d].nr_vcpus; i++) {
			struct vcpu *v = &m->domains[d].vcpus[i];
			struct credit2_unit_info info;

			assert_int_equal(
			    credit2_unit_info(v->domain->pool->sched, v, &info),
			    0);
			assert_true(info.budget >= 0);
			c->parked_seen += info.parked;
		}
}

/* Run @yaml to the end with the invariant checks; return its summary. */
static struct summary *run_checked(const char *yaml, struct c2_check *c,
				   struct sim_stats *st)
{
	struct sim_options opt = {.after_event = check_units,
				  .after_event_ctx = c};
	struct world *w = world_create(yaml, true, &opt);
	struct summary *s;

	c->m = w->m;
	world_finish(w, st);
	assert_int_equal(st->sched_errors, 0);
	assert_int_equal(summary_from_trace(w->trace_path, &s, stderr), 0);
	world_destroy(w);
	return s;
}

/*
 * The CPU share of @v from the machine's own runstate accounting. On
 * several pCPUs we use this rather than the trace summary: in the sim a
 * vCPU can leave one pCPU and start on another in the same nanosecond,
 * and the trace merge orders equal timestamps by pCPU number, which may
 * put the start first and confuse the summary's runstate accounting.
 */
static unsigned int machine_share_bp(const struct vcpu *v, hv_time_t end)
{
	hv_time_t rs[RUNSTATE_COUNT];

	vcpu_runstate_get(v, end, rs);
	return (unsigned int)(rs[RUNSTATE_RUNNING] * 10000 / end);
}

static unsigned int share_bp(const struct summary *s, unsigned int domid,
			     unsigned int vcpu)
{
	const struct summary_domain *d = summary_domain(s, domid);

	assert_non_null(d);
	assert_true(vcpu < d->nr_vcpus);
	return d->vcpus[vcpu].share_bp;
}

static void assert_near(unsigned int got_bp, unsigned int want_bp,
			unsigned int tol_bp, const char *what)
{
	print_message("%-28s %6.2f%% (want %6.2f%% +- %.2f)\n", what,
		      got_bp / 100.0, want_bp / 100.0, tol_bp / 100.0);
	if (got_bp + tol_bp < want_bp || got_bp > want_bp + tol_bp)
		fail_msg("%s: share %u bp, want %u +- %u", what, got_bp,
			 want_bp, tol_bp);
}

/* ---- 1. weights ---- */

static const char weights_yaml[] =
    "name: c2-weights\n"
    "duration: 10s\n"
    "machine: { pcpus: 1 }\n"
    "cpupools:\n"
    "  - { name: p, sched: credit2, cpus: \"0\" }\n"
    "domains:\n"
    "  - { name: w256, pool: p, weight: 256, workload: { hogs: [ {} ] } }\n"
    "  - { name: w512, pool: p, weight: 512, workload: { hogs: [ {} ] } }\n"
    "  - { name: w1024, pool: p, weight: 1024, workload: { hogs: [ {} ] } "
    "}\n";

static void test_weights_give_proportional_shares(void **state)
{
	struct c2_check c = {0};
	struct sim_stats st;
	struct summary *s = run_checked(weights_yaml, &c, &st);

	(void)state;
	/* 1:2:4 of one pCPU: 14.29%, 28.57%, 57.14%, within 2 points. */
	assert_near(share_bp(s, 1, 0), 1429, 200, "weight 256");
	assert_near(share_bp(s, 2, 0), 2857, 200, "weight 512");
	assert_near(share_bp(s, 3, 0), 5714, 200, "weight 1024");
	summary_free(s);
}

/* ---- 2. caps ---- */

static const char cap_alone_yaml[] =
    "name: c2-cap-alone\n"
    "duration: 3s\n"
    "machine: { pcpus: 1 }\n"
    "cpupools:\n"
    "  - { name: p, sched: credit2, cpus: \"0\" }\n"
    "domains:\n"
    "  - { name: capped, pool: p, cap: 25, workload: { hogs: [ {} ] } }\n";

static const char cap_shared_yaml[] =
    "name: c2-cap-shared\n"
    "duration: 3s\n"
    "machine: { pcpus: 1 }\n"
    "cpupools:\n"
    "  - { name: p, sched: credit2, cpus: \"0\" }\n"
    "domains:\n"
    "  - { name: capped, pool: p, cap: 25, workload: { hogs: [ {} ] } }\n"
    "  - { name: free, pool: p, workload: { hogs: [ {} ] } }\n";

/* Two vCPUs share one 60% cap on two pCPUs, next to uncapped hogs. */
static const char cap_smp_yaml[] =
    "name: c2-cap-smp\n"
    "duration: 3s\n"
    "machine: { pcpus: 2 }\n"
    "cpupools:\n"
    "  - { name: p, sched: credit2, cpus: \"0-1\" }\n"
    "domains:\n"
    "  - name: capped\n"
    "    pool: p\n"
    "    vcpus: 2\n"
    "    cap: 60\n"
    "    workload: { hogs: [ { vcpu: 0 }, { vcpu: 1 } ] }\n"
    "  - { name: a, pool: p, workload: { hogs: [ {} ] } }\n"
    "  - { name: b, pool: p, workload: { hogs: [ {} ] } }\n";

static void test_cap_holds(void **state)
{
	struct c2_check c = {0};
	struct sim_stats st;
	struct summary *s;

	(void)state;
	s = run_checked(cap_alone_yaml, &c, &st);
	assert_near(share_bp(s, 1, 0), 2500, 100, "cap 25, alone");
	assert_true(c.parked_seen > 0); /* the cap did bite */
	summary_free(s);

	c = (struct c2_check){0};
	s = run_checked(cap_shared_yaml, &c, &st);
	assert_near(share_bp(s, 1, 0), 2500, 100, "cap 25, next to a hog");
	assert_near(share_bp(s, 2, 0), 7500, 100, "its uncapped neighbour");
	summary_free(s);

	c = (struct c2_check){0};
	s = run_checked(cap_smp_yaml, &c, &st);
	assert_near(share_bp(s, 1, 0) + share_bp(s, 1, 1), 6000, 100,
		    "cap 60 over two vCPUs");
	summary_free(s);
}

/* ---- 3. ratelimit ---- */

static const char ratelimit_yaml_fmt[] =
    "name: c2-ratelimit\n"
    "duration: 2s\n"
    "machine: { pcpus: 1 }\n"
    "cpupools:\n"
    "  - { name: p, sched: credit2, cpus: \"0\", ratelimit: %s }\n"
    "domains:\n"
    "  - { name: hog, pool: p, workload: { hogs: [ {} ] } }\n"
    "  - { name: hog2, pool: p, workload: { hogs: [ {} ] } }\n"
    "  - name: rt\n"
    "    pool: p\n"
    "    workload:\n"
    "      tasks:\n"
    "        - { name: t, period: 700us, exec: 100us, priority: 1 }\n";

/* Every time a pCPU's vCPU changes while the old one is still runnable
 * (preempted, not blocked), record how long it had run. */
struct preempt_log {
	struct machine *m;
	struct vcpu *last;
	hv_time_t since;
	hv_time_t min_ran; /* shortest run ended by a preemption */
	unsigned int preemptions;
};

static void log_preemptions(void *ctx, struct sim *sim)
{
	struct preempt_log *l = ctx;
	struct pcpu *p = &l->m->pcpus[0];

	(void)sim;
	if (p->curr == l->last)
		return;
	if (l->last && !l->last->is_idle &&
	    l->last->runstate == RUNSTATE_RUNNABLE) {
		hv_time_t ran = p->curr->state_entry_time - l->since;

		l->preemptions++;
		if (ran < l->min_ran)
			l->min_ran = ran;
	}
	l->last = p->curr;
	l->since = p->curr->state_entry_time;
}

/*
 * The longest wait of domain @dom's vCPUs between runnable and running
 * (SWITCH_INFNEXT's waited_ns) after the first 20 ms, and how many times
 * they were switched in. At boot every vCPU starts with the same credit
 * and waits its turn, whatever the ratelimit.
 */
static hv_time_t max_wait(const char *trace_path, unsigned int dom,
			  unsigned int *switches)
{
	struct trace_reader *r;
	struct trace_rec rec;
	hv_time_t max = 0;
	char err[256];
	int rc;

	*switches = 0;
	assert_int_equal(trace_reader_open(trace_path, &r, err, sizeof(err)),
			 0);
	while ((rc = trace_reader_next(r, &rec)) == 1) {
		if (rec.event != TRC_SWITCH_INFNEXT || rec.data[0] != dom ||
		    rec.tsc < (uint64_t)HV_MS(20))
			continue;
		(*switches)++;
		if ((hv_time_t)rec.data[2] > max)
			max = rec.data[2];
	}
	assert_int_equal(rc, 0);
	trace_reader_close(r);
	return max;
}

static void run_ratelimit(const char *ratelimit, struct preempt_log *l,
			  hv_time_t *wait, unsigned int *switches)
{
	char yaml[1024];
	struct sim_options opt = {.after_event = log_preemptions,
				  .after_event_ctx = l};
	struct sim_stats st;
	struct world *w;

	snprintf(yaml, sizeof(yaml), ratelimit_yaml_fmt, ratelimit);
	*l = (struct preempt_log){.min_ran = HV_TIME_NEVER};
	w = world_create(yaml, true, &opt);
	l->m = w->m;
	world_finish(w, &st);
	assert_int_equal(st.sched_errors, 0);
	*wait = max_wait(w->trace_path, 3, switches);
	world_destroy(w);
}

static void test_ratelimit_holds_and_off_preempts_at_once(void **state)
{
	struct preempt_log l;
	unsigned int switches;
	hv_time_t wait;

	(void)state;
	/* 1 ms: nobody runnable is switched out before 1 ms. */
	run_ratelimit("1ms", &l, &wait, &switches);
	print_message("ratelimit 1ms: %u preemptions, shortest %lld ns, "
		      "task waited up to %lld ns\n",
		      l.preemptions, (long long)l.min_ran, (long long)wait);
	assert_true(l.preemptions > 100);
	assert_true(l.min_ran >= HV_MS(1));
	assert_true(wait > HV_US(200)); /* it did have to wait */

	/* Off: the waking task, richer in credit, runs at once. */
	run_ratelimit("0us", &l, &wait, &switches);
	print_message("ratelimit off: %u preemptions, shortest %lld ns, "
		      "task waited up to %lld ns over %u switches\n",
		      l.preemptions, (long long)l.min_ran, (long long)wait,
		      switches);
	assert_true(switches > 2000); /* 2 s / 700 us jobs */
	assert_true(wait < HV_US(20));
	assert_true(l.min_ran < HV_MS(1));
}

/* ---- yield ---- */

static const char yield_yaml[] =
    "name: c2-yield\n"
    "duration: 100ms\n"
    "machine: { pcpus: 1 }\n"
    "cpupools:\n"
    "  - { name: p, sched: credit2, cpus: \"0\", ratelimit: 5ms }\n"
    "domains:\n"
    "  - { name: a, pool: p, workload: { hogs: [ {} ] } }\n"
    "  - { name: b, pool: p, workload: { hogs: [ {} ] } }\n";

static void test_yield_skips_ratelimit(void **state)
{
	struct world *w = world_create(yield_yaml, false, NULL);
	struct pcpu *p = &w->m->pcpus[0];
	unsigned int yields = 0;

	(void)state;
	for (hv_time_t t = HV_MS(1); t < HV_MS(90); t += HV_US(700)) {
		struct vcpu *was;

		assert_int_equal(sim_run_until(w->sim, t), 0);
		was = p->curr;
		/* Only within the 5 ms ratelimit: yield must override it. */
		if (was->is_idle || t - p->curr->state_entry_time > HV_MS(4))
			continue;
		hv_vcpu_yield(w->m, was);
		arch_ipi_send(w->m, 0); /* the hypercall's exit to Xen */
		assert_int_equal(sim_run_until(w->sim, t + HV_US(20)), 0);
		assert_ptr_not_equal(p->curr, was);
		assert_false(p->curr->is_idle);
		yields++;
	}
	assert_true(yields > 5);
	world_finish(w, NULL);
	world_destroy(w);
}

/* ---- 4. runqueue arrangement ---- */

static const char topo_yaml_fmt[] =
    "name: c2-topology\n"
    "duration: 10ms\n"
    "machine: { pcpus: %u, threads_per_core: %u, cores_per_socket: %u }\n"
    "cpupools:\n"
    "  - { name: p, sched: credit2, cpus: \"0-%u\"%s }\n"
    "domains:\n"
    "  - { name: d, pool: p, workload: { hogs: [ {} ] } }\n";

/* Build the machine only; return the runqueue of each pCPU in @rq. */
static int arrangement(unsigned int pcpus, unsigned int tpc, unsigned int cps,
		       const char *extra, int *rq)
{
	char yaml[1024];
	struct world *w;
	struct scheduler *s;
	int n;

	snprintf(yaml, sizeof(yaml), topo_yaml_fmt, pcpus, tpc, cps, pcpus - 1,
		 extra);
	w = world_create(yaml, false, NULL);
	s = w->m->pools[0].sched;
	n = credit2_nr_runqueues(s);
	for (unsigned int cpu = 0; cpu < pcpus; cpu++)
		rq[cpu] = credit2_cpu_runqueue(s, cpu);
	world_destroy(w);
	return n;
}

static void test_runqueues_follow_topology(void **state)
{
	int rq[8];

	(void)state;
	/* 4 pCPUs = 2 sockets x 2 cores, one thread each. */
	assert_int_equal(arrangement(4, 1, 2, ", runqueue: socket", rq), 2);
	assert_int_equal(rq[0], rq[1]);
	assert_int_equal(rq[2], rq[3]);
	assert_int_not_equal(rq[0], rq[2]);
	assert_int_equal(arrangement(4, 1, 2, "", rq), 2); /* Xen's default */
	assert_int_equal(arrangement(4, 1, 2, ", runqueue: node", rq), 2);
	assert_int_equal(arrangement(4, 1, 2, ", runqueue: cpu", rq), 4);
	assert_int_equal(arrangement(4, 1, 2, ", runqueue: core", rq), 4);
	assert_int_equal(arrangement(4, 1, 2, ", runqueue: all", rq), 1);

	/* 8 pCPUs, 2 threads per core: "core" pairs the threads. */
	assert_int_equal(arrangement(8, 2, 4, ", runqueue: core", rq), 4);
	for (unsigned int c = 0; c < 8; c += 2)
		assert_int_equal(rq[c], rq[c + 1]);

	/* "all" capped at 4 per runqueue: 8 pCPUs split evenly in two. */
	assert_int_equal(
	    arrangement(8, 1, 8, ", runqueue: all, max_cpus_runqueue: 4", rq),
	    2);
	assert_int_equal(rq[0], rq[3]);
	assert_int_not_equal(rq[3], rq[4]);
	assert_int_equal(rq[4], rq[7]);

	/* At most 3: Xen's even split gives n / ceil(n / 3) = 2 each, and
	 * SMT siblings are never separated. */
	assert_int_equal(
	    arrangement(8, 2, 4, ", runqueue: all, max_cpus_runqueue: 3", rq),
	    4);
	for (unsigned int c = 0; c < 8; c += 2)
		assert_int_equal(rq[c], rq[c + 1]);
}

/* ---- 5. load balancing ---- */

static const char spread_yaml[] =
    "name: c2-spread\n"
    "duration: 4s\n"
    "machine: { pcpus: 4 }\n"
    "cpupools:\n"
    "  - { name: p, sched: credit2, cpus: \"0-3\", runqueue: cpu }\n"
    "domains:\n"
    "  - name: six\n"
    "    pool: p\n"
    "    vcpus: 6\n"
    "    workload:\n"
    "      hogs: [ { vcpu: 0 }, { vcpu: 1 }, { vcpu: 2 }, { vcpu: 3 }, "
    "{ vcpu: 4 }, { vcpu: 5 } ]\n";

static unsigned int count_events(const char *trace_path, uint32_t event)
{
	struct trace_reader *r;
	struct trace_rec rec;
	unsigned int n = 0;
	char err[256];
	int rc;

	assert_int_equal(trace_reader_open(trace_path, &r, err, sizeof(err)),
			 0);
	while ((rc = trace_reader_next(r, &rec)) == 1)
		n += rec.event == event;
	assert_int_equal(rc, 0);
	trace_reader_close(r);
	return n;
}

static void test_balancing_spreads_hogs(void **state)
{
	struct c2_check c = {0};
	struct sim_options opt = {.after_event = check_units,
				  .after_event_ctx = &c};
	struct world *w = world_create(spread_yaml, true, &opt);
	const unsigned int fair_bp = 10000 * 4 / 6;
	struct sim_stats st;
	unsigned int migrations;

	(void)state;
	c.m = w->m;
	assert_int_equal(credit2_nr_runqueues(w->m->pools[0].sched), 4);
	world_finish(w, &st);
	assert_int_equal(st.sched_errors, 0);
	for (unsigned int cpu = 0; cpu < 4; cpu++) {
		hv_time_t rs[RUNSTATE_COUNT];
		hv_time_t busy;

		vcpu_runstate_get(&w->m->pcpus[cpu].idle, st.end, rs);
		busy = st.end - rs[RUNSTATE_RUNNING];
		print_message("cpu %u busy %.2f%%\n", cpu,
			      100.0 * (double)busy / (double)st.end);
		assert_true(busy * 100 > st.end * 95);
	}
	for (unsigned int v = 0; v < 6; v++) {
		char what[32];

		snprintf(what, sizeof(what), "hog %u of 6 on 4 runqueues", v);
		/* No starvation: above half the fair share (66.67%). */
		assert_near(machine_share_bp(world_vcpu(w, "six", v), st.end),
			    fair_bp, fair_bp / 2, what);
	}
	migrations = count_events(w->trace_path, TRC_CREDIT2_MIGRATE);
	print_message("MIGRATE records: %u\n", migrations);
	assert_true(migrations > 0);
	world_destroy(w);
}

/*
 * All six hogs start in pCPU 0's runqueue (the test plays the core and
 * migrates them there before anything runs); balancing at each credit
 * reset must spread them to two, two, one and one.
 */
static void test_balancing_empties_a_crowded_runqueue(void **state)
{
	struct c2_check c = {0};
	struct sim_options opt = {.after_event = check_units,
				  .after_event_ctx = &c};
	struct world *w = world_create(spread_yaml, false, &opt);
	struct scheduler *s = w->m->pools[0].sched;
	const unsigned int fair_bp = 10000 * 4 / 6;
	unsigned int per_rq[4] = {0};
	struct sim_stats st;

	(void)state;
	c.m = w->m;
	for (unsigned int v = 0; v < 6; v++) {
		struct credit2_unit_info info;

		s->ops->migrate(s, world_vcpu(w, "six", v), 0);
		assert_int_equal(
		    credit2_unit_info(s, world_vcpu(w, "six", v), &info), 0);
		assert_int_equal(info.runqueue, 0);
	}
	world_finish(w, &st);
	assert_int_equal(st.sched_errors, 0);
	for (unsigned int cpu = 0; cpu < 4; cpu++) {
		hv_time_t rs[RUNSTATE_COUNT];

		vcpu_runstate_get(&w->m->pcpus[cpu].idle, st.end, rs);
		print_message("cpu %u busy %.2f%%\n", cpu,
			      100.0 * (double)(st.end - rs[RUNSTATE_RUNNING]) /
				  (double)st.end);
		assert_true((st.end - rs[RUNSTATE_RUNNING]) * 100 >
			    st.end * 95);
	}
	for (unsigned int v = 0; v < 6; v++) {
		struct credit2_unit_info info;
		char what[40];

		snprintf(what, sizeof(what), "hog %u, all started on cpu 0", v);
		assert_near(machine_share_bp(world_vcpu(w, "six", v), st.end),
			    fair_bp, fair_bp / 2, what);
		assert_int_equal(
		    credit2_unit_info(s, world_vcpu(w, "six", v), &info), 0);
		per_rq[info.runqueue]++;
	}
	for (unsigned int rq = 0; rq < 4; rq++)
		assert_true(per_rq[rq] == 1 || per_rq[rq] == 2);
	world_destroy(w);
}

/* ---- many vCPUs, mixed pinning ---- */

static const char crowd_yaml[] =
    "name: c2-crowd\n"
    "duration: 1s\n"
    "machine: { pcpus: 8 }\n"
    "cpupools:\n"
    "  - { name: p, sched: credit2, cpus: \"0-7\", runqueue: all }\n"
    "domains:\n"
    "  - name: free\n"
    "    pool: p\n"
    "    vcpus: 24\n"
    "    workload:\n"
    "      hogs: [ { vcpu: 0 }, { vcpu: 1 }, { vcpu: 2 }, { vcpu: 3 }, "
    "{ vcpu: 4 }, { vcpu: 5 }, { vcpu: 6 }, { vcpu: 7 }, { vcpu: 8 }, "
    "{ vcpu: 9 }, { vcpu: 10 }, { vcpu: 11 }, { vcpu: 12 }, { vcpu: 13 }, "
    "{ vcpu: 14 }, { vcpu: 15 }, { vcpu: 16 }, { vcpu: 17 }, "
    "{ vcpu: 18 }, { vcpu: 19 }, { vcpu: 20 }, { vcpu: 21 }, "
    "{ vcpu: 22 }, { vcpu: 23 } ]\n"
    "  - name: pinned\n"
    "    pool: p\n"
    "    vcpus: 4\n"
    "    cpus: [\"0\", \"1-2\", \"5-7\", \"3\"]\n"
    "    workload:\n"
    "      hogs: [ { vcpu: 0 }, { vcpu: 1 }, { vcpu: 2 }, { vcpu: 3 } ]\n"
    "      tasks:\n"
    "        - { name: t, vcpu: 3, period: 2ms, exec: 300us, priority: 2 "
    "}\n"
    "  - name: io\n"
    "    pool: p\n"
    "    weight: 2048\n"
    "    workload:\n"
    "      tasks:\n"
    "        - { name: t, period: 1ms, exec: { dist: uniform, min: 50us, "
    "max: 400us }, priority: 1 }\n";

static void test_many_vcpus_mixed_affinity(void **state)
{
	struct c2_check c = {0};
	struct sim_options opt = {.after_event = check_units,
				  .after_event_ctx = &c};
	struct world *w = world_create(crowd_yaml, false, &opt);
	unsigned int lo = 10000, hi = 0, total = 0;
	struct sim_stats st;

	(void)state;
	c.m = w->m;
	world_finish(w, &st);
	assert_int_equal(st.sched_errors, 0);
	/* 28 hogs and two task vCPUs on 8 pCPUs: every one runs, and the
	 * 24 unpinned hogs get about the same: 7.8 pCPUs / 28 = 27.8%. */
	for (unsigned int v = 0; v < 24; v++) {
		unsigned int bp =
		    machine_share_bp(world_vcpu(w, "free", v), st.end);

		total += bp;
		lo = bp < lo ? bp : lo;
		hi = bp > hi ? bp : hi;
	}
	print_message("24 unpinned hogs: %.2f%% .. %.2f%%, mean %.2f%%\n",
		      lo / 100.0, hi / 100.0, total / 24 / 100.0);
	assert_true(lo > 2000 && hi < 3600);
	for (unsigned int v = 0; v < 4; v++)
		assert_true(machine_share_bp(world_vcpu(w, "pinned", v),
					     st.end) > 1000);
	assert_true(machine_share_bp(world_vcpu(w, "io", 0), st.end) > 1500);
	assert_true(st.context_switches > 1000);
	world_destroy(w);
}

/* ---- trace records ---- */

static void test_trace_has_xen_records(void **state)
{
	struct world *w = world_create(spread_yaml, true, NULL);
	struct trace_reader *r;
	struct trace_rec rec;
	unsigned int assigns = 0, schedules = 0, resets = 0, burns = 0;
	char err[256];
	int rc;

	(void)state;
	assert_int_equal(sim_run_until(w->sim, HV_MS(200)), 0);
	world_finish(w, NULL);
	assert_int_equal(trace_reader_open(w->trace_path, &r, err, sizeof(err)),
			 0);
	while ((rc = trace_reader_next(r, &rec)) == 1) {
		switch (rec.event) {
		case TRC_CREDIT2_RUNQ_ASSIGN:
			assert_int_equal(rec.n, 2);
			assert_int_equal(rec.data[0] >> 16, 1);
			assert_true(rec.data[1] < 4);
			assigns++;
			break;
		case TRC_CREDIT2_SCHEDULE:
			/* u16 cpu, u16 runqueue: one runqueue per pCPU */
			assert_int_equal(rec.data[0] & 0xffff,
					 rec.data[0] >> 16);
			schedules++;
			break;
		case TRC_CREDIT2_CREDIT_RESET:
			assert_true((int32_t)rec.data[2] > 0);
			assert_true((int32_t)rec.data[2] <= CREDIT_MAX);
			resets++;
			break;
		case TRC_CREDIT2_CREDIT_BURN:
			assert_true((int32_t)rec.data[1] >= CREDIT_MIN);
			assert_int_equal(rec.data[2], (uint32_t)INT32_MIN);
			burns++;
			break;
		}
	}
	assert_int_equal(rc, 0);
	trace_reader_close(r);
	assert_true(assigns >= 6);
	assert_true(schedules > 100 && resets > 10 && burns > 100);
	world_destroy(w);
}

/* ---- parameters ---- */

static void test_bad_parameters_are_refused(void **state)
{
	struct sched_pool_params pp = {.ratelimit = HV_US(50)};
	struct cpumask cpus;
	struct machine *m;

	(void)state;
	cpumask_clear(&cpus);
	cpumask_set(&cpus, 0);

	m = machine_create(1, 1, 1);
	assert_non_null(m);
	assert_int_equal(pool_create(m, 0, "p", "credit2", &cpus, &pp),
			 -EINVAL);
	machine_destroy(m);

	m = machine_create(1, 1, 1);
	assert_non_null(m);
	assert_int_equal(pool_create(m, 0, "p", "credit2", &cpus, NULL), 0);
	assert_int_equal(domain_create(m, 0, 1, "d", 0, 1), 0);
	m->domains[0].cap = 101; /* more than one vCPU's 100% */
	assert_int_equal(machine_start(m, 0), -EINVAL);
	machine_destroy(m);

	m = machine_create(1, 1, 1);
	assert_non_null(m);
	assert_int_equal(pool_create(m, 0, "p", "credit2", &cpus, NULL), 0);
	assert_int_equal(credit2_nr_runqueues(m->pools[0].sched), 1);
	assert_int_equal(credit2_cpu_runqueue(m->pools[0].sched, 0), 0);
	assert_int_equal(domain_create(m, 0, 1, "d", 0, 1), 0);
	m->domains[0].weight = 70000;
	assert_int_equal(machine_start(m, 0), -EINVAL);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_weights_give_proportional_shares),
	    cmocka_unit_test(test_cap_holds),
	    cmocka_unit_test(test_ratelimit_holds_and_off_preempts_at_once),
	    cmocka_unit_test(test_yield_skips_ratelimit),
	    cmocka_unit_test(test_runqueues_follow_topology),
	    cmocka_unit_test(test_balancing_spreads_hogs),
	    cmocka_unit_test(test_balancing_empties_a_crowded_runqueue),
	    cmocka_unit_test(test_many_vcpus_mixed_affinity),
	    cmocka_unit_test(test_trace_has_xen_records),
	    cmocka_unit_test(test_bad_parameters_are_refused),
	};

	return cmocka_run_group_tests_name("credit2", tests, NULL, NULL);
}
