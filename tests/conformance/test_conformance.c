/*
 * The scheduler conformance suite: every registered scheduler must pass.
 *
 * For each scheduler the suite runs two scenarios written for it (a busy
 * mixed one, and one where each vCPU always has a pCPU it may use) with
 * several seeds, and checks after every single simulated event that:
 *   - no vCPU runs on two pCPUs at once;
 *   - a running vCPU is inside its hard affinity and its pool;
 *   - a running vCPU that is no longer runnable has a reschedule pending;
 *   - runstates agree with what is running, and time in all runstates
 *     adds up to the elapsed time;
 *   - (second scenario) a runnable vCPU whose allowed pCPU is idle is
 *     picked up within PICKUP_BOUND;
 * and at the end that the core never had to overrule a decision.
 *
 * A scheduler added to the registry without scenarios here fails the
 * suite: add its two scenarios to the table below.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <hv/sched.h>

#include "tests/support/world.h"

/* IPI (1 us) + trap + scheduler + switch costs, with margin. */
#define PICKUP_BOUND HV_US(20)

struct sched_scenarios {
	const char *opt_name;
	const char *mixed;
	const char *eligible; /* every vCPU pinned where it may always run */
};

/*
 * Workload fragments shared by the scenarios below: each scheduler sees
 * the same mix of periodic and sporadic tasks, interrupts and hogs.
 */
#define TWO_VCPU_WORKLOAD                                                      \
	"    workload:\n"                                                      \
	"      tasks:\n"                                                       \
	"        - { name: a, vcpu: 0, period: 2ms, exec: 300us, priority: 2 }\n" \
	"        - { name: b, vcpu: 1, period: 3ms, exec: 1ms, priority: 1 }\n" \
	"      irqs:\n"                                                        \
	"        - { name: i, vcpu: 1, period: 500us, jitter: 100us, handler: 20us }\n"

#define SPORADIC_DOMAIN(pool)                                                  \
	"  - name: spor\n"                                                     \
	"    pool: " pool "\n"                                                 \
	"    workload:\n"                                                      \
	"      tasks:\n"                                                       \
	"        - { name: s, sporadic: { min_interarrival: 1ms, max_interarrival: 5ms }, exec: { dist: uniform, min: 50us, max: 500us }, priority: 1 }\n"

#define HOG "workload: { hogs: [ { vcpu: 0 } ] }"

/* Two domains, each with its own pCPU of pools @pa / @pb. */
#define ELIGIBLE_DOMAINS(pa, cpua, pb, cpub)                                   \
	"domains:\n"                                                           \
	"  - name: a\n"                                                        \
	"    pool: " pa "\n" cpua                                              \
	"    workload:\n"                                                      \
	"      tasks:\n"                                                       \
	"        - { name: t, period: 700us, exec: 200us, priority: 1 }\n"     \
	"      irqs:\n"                                                        \
	"        - { name: i, sporadic: { min_interarrival: 100us, jitter: 900us }, handler: 15us }\n" \
	"  - name: b\n"                                                        \
	"    pool: " pb "\n" cpub                                              \
	"    workload:\n"                                                      \
	"      tasks:\n"                                                       \
	"        - { name: t, period: 1ms, exec: { dist: normal, mean: 300us, stddev: 100us, min: 10us, max: 900us }, priority: 1 }\n"

/* One pool on pCPUs 0-1 described by @pool, a vCPU pinned to each. */
#define ELIGIBLE_ONE_POOL(name, pool)                                          \
	"name: conf-" name "-eligible\n"                                       \
	"duration: 300ms\n"                                                    \
	"machine: { pcpus: 2 }\n"                                              \
	"cpupools:\n" pool                                                     \
	ELIGIBLE_DOMAINS("p", "    cpus: \"0\"\n", "p", "    cpus: \"1\"\n")

#define MIXED_HEAD(name, pcpus)                                                \
	"name: conf-" name "-mixed\n"                                          \
	"duration: 300ms\n"                                                    \
	"machine: { pcpus: " pcpus " }\n"

/* clang-format off */
static const struct sched_scenarios scenarios[] = {
	{
		"null",
		MIXED_HEAD("null", "4")
		"cpupools:\n"
		"  - { name: p, sched: null, cpus: \"0-3\" }\n"
		"domains:\n"
		"  - name: two\n"
		"    pool: p\n"
		"    vcpus: 2\n"
		"    cpus: [\"0-1\", \"1-2\"]\n"
		TWO_VCPU_WORKLOAD
		"  - { name: hog, pool: p, " HOG " }\n"
		SPORADIC_DOMAIN("p")
		"  - { name: surplus, pool: p, " HOG " }\n",

		ELIGIBLE_ONE_POOL("null",
			"  - { name: p, sched: null, cpus: \"0-1\" }\n"),
	},
	{
		"arinc653",
		MIXED_HEAD("a653", "3")
		"cpupools:\n"
		"  - name: multi\n"
		"    sched: arinc653\n"
		"    cpus: \"0-1\"\n"
		"    major_frame: 10ms\n"
		"    schedule:\n"
		"      - { dom: two, vcpu: 0, runtime: 2ms }\n"
		"      - { dom: two, vcpu: 1, runtime: 2ms }\n"
		"      - { dom: hog, runtime: 3ms }\n"
		"      - { dom: two, vcpu: 0, runtime: 1ms }\n"
		"  - name: single\n"
		"    sched: arinc653\n"
		"    cpus: \"2\"\n"
		"    major_frame: 5ms\n"
		"    schedule:\n"
		"      - { dom: spor, runtime: 2500us }\n"
		"      - { dom: hog2, runtime: 2ms }\n"
		"domains:\n"
		"  - name: two\n"
		"    pool: multi\n"
		"    vcpus: 2\n"
		"    cpus: [\"0\", \"1\"]\n"
		TWO_VCPU_WORKLOAD
		"  - { name: hog, pool: multi, " HOG " }\n"
		SPORADIC_DOMAIN("single")
		"  - { name: hog2, pool: single, " HOG " }\n",

		"name: conf-a653-eligible\n"
		"duration: 300ms\n"
		"machine: { pcpus: 2 }\n"
		"cpupools:\n"
		"  - name: p0\n"
		"    sched: arinc653\n"
		"    cpus: \"0\"\n"
		"    major_frame: 10ms\n"
		"    schedule: [ { dom: a, runtime: 10ms } ]\n"
		"  - name: p1\n"
		"    sched: arinc653\n"
		"    cpus: \"1\"\n"
		"    major_frame: 7ms\n"
		"    schedule: [ { dom: b, runtime: 7ms } ]\n"
		ELIGIBLE_DOMAINS("p0", "", "p1", ""),
	},
	{
		"credit2",
		MIXED_HEAD("credit2", "4, threads_per_core: 1, cores_per_socket: 2")
		"cpupools:\n"
		"  - { name: p, sched: credit2, cpus: \"0-3\", runqueue: socket }\n"
		"domains:\n"
		"  - name: two\n"
		"    pool: p\n"
		"    vcpus: 2\n"
		"    weight: 512\n"
		"    cpus: [\"0-1\", \"1-3\"]\n"
		TWO_VCPU_WORKLOAD
		"  - { name: hog, pool: p, weight: 128, " HOG " }\n"
		"  - { name: capped, pool: p, cap: 30, " HOG " }\n"
		SPORADIC_DOMAIN("p")
		"  - { name: hog2, pool: p, cpus: \"3\", " HOG " }\n",

		ELIGIBLE_ONE_POOL("credit2",
			"  - { name: p, sched: credit2, cpus: \"0-1\", ratelimit: 0us }\n"),
	},
	{
		"rtds",
		MIXED_HEAD("rtds", "3")
		"cpupools:\n"
		"  - { name: p, sched: rtds, cpus: \"0-2\" }\n"
		"domains:\n"
		"  - name: two\n"
		"    pool: p\n"
		"    vcpus: 2\n"
		"    cpus: [\"0-1\", \"1-2\"]\n"
		"    period: 5ms\n"
		"    budget: 2ms\n"
		"    vcpu_sched: [ { vcpu: 1, budget: 3ms, extratime: false } ]\n"
		TWO_VCPU_WORKLOAD
		"  - { name: hog, pool: p, budget: 1ms, period: 4ms, extratime: false, " HOG " }\n"
		"  - { name: hogx, pool: p, budget: 1ms, period: 3ms, " HOG " }\n"
		SPORADIC_DOMAIN("p")
		"  - { name: pinned, pool: p, cpus: \"2\", " HOG " }\n",

		ELIGIBLE_ONE_POOL("rtds",
			"  - { name: p, sched: rtds, cpus: \"0-1\" }\n"),
	},
};
/* clang-format on */

struct checker {
	struct machine *m;
	bool check_pickup;
	hv_time_t *waiting_since; /* per vCPU, flat */
	unsigned int nr_vcpus;
	uint64_t events;
};

static void check_vcpu_time(const struct vcpu *v, hv_time_t now)
{
	hv_time_t sum = now - v->state_entry_time;

	for (int s = 0; s < RUNSTATE_COUNT; s++)
		sum += v->time_in_state[s];
	if (sum != now)
		fail_msg("d%u v%u: runstate times add to %lld, elapsed %lld",
			 v->domain->domid, v->vcpu_id, (long long)sum,
			 (long long)now);
}

static bool idle_allowed_pcpu(struct machine *m, const struct vcpu *v)
{
	unsigned int cpu;

	for_each_cpu(cpu, &v->hard_affinity)
		if (m->pcpus[cpu].curr->is_idle)
			return true;
	return false;
}

static void check_invariants(void *ctx, struct sim *sim)
{
	struct checker *c = ctx;
	struct machine *m = c->m;
	hv_time_t now = sim_now(sim);
	unsigned int k = 0;

	c->events++;
	for (unsigned int cpu = 0; cpu < m->nr_pcpus; cpu++) {
		struct pcpu *p = &m->pcpus[cpu];
		struct vcpu *v = p->curr;

		if (v->is_idle)
			continue;
		if (!v->is_running || v->processor != cpu)
			fail_msg("cpu %u: curr d%u v%u not marked running here",
				 cpu, v->domain->domid, v->vcpu_id);
		if (!cpumask_test(&v->hard_affinity, cpu) ||
		    !cpumask_test(&v->domain->pool->cpus, cpu))
			fail_msg("cpu %u runs d%u v%u outside its affinity",
				 cpu, v->domain->domid, v->vcpu_id);
		if (!vcpu_runnable(v) && !p->softirq_pending)
			fail_msg("cpu %u runs blocked d%u v%u, no resched",
				 cpu, v->domain->domid, v->vcpu_id);
		for (unsigned int o = cpu + 1; o < m->nr_pcpus; o++)
			if (m->pcpus[o].curr == v)
				fail_msg("d%u v%u runs on cpus %u and %u",
					 v->domain->domid, v->vcpu_id, cpu, o);
	}
	for (unsigned int d = 0; d < m->nr_domains; d++) {
		for (unsigned int i = 0; i < m->domains[d].nr_vcpus; i++, k++) {
			struct vcpu *v = &m->domains[d].vcpus[i];

			if (v->is_running != (v->runstate == RUNSTATE_RUNNING))
				fail_msg("d%u v%u: is_running %d, runstate %d",
					 v->domain->domid, i, v->is_running,
					 v->runstate);
			check_vcpu_time(v, now);
			if (!c->check_pickup)
				continue;
			if (vcpu_runnable(v) && !v->is_running &&
			    idle_allowed_pcpu(m, v)) {
				if (c->waiting_since[k] < 0)
					c->waiting_since[k] = now;
				else if (now - c->waiting_since[k] > PICKUP_BOUND)
					fail_msg("d%u v%u runnable, pCPU idle, "
						 "not picked up for %lld ns",
						 v->domain->domid, i,
						 (long long)(now -
							     c->waiting_since[k]));
			} else {
				c->waiting_since[k] = -1;
			}
		}
	}
}

static void run_one(const char *yaml, bool pickup, uint64_t seed)
{
	struct checker c = { .check_pickup = pickup };
	struct sim_options opt = { .after_event = check_invariants,
				   .after_event_ctx = &c };
	struct sim_stats st;
	struct world *w;

	w = world_create(yaml, false, &opt);
	w->scn->seed = seed;
	/* The seed is read at sim creation; rebuild with the new one. */
	sim_destroy(w->sim);
	assert_int_equal(sim_create(w->scn, &opt, stderr, &w->sim), 0);
	w->m = sim_machine(w->sim);
	c.m = w->m;
	for (unsigned int d = 0; d < w->m->nr_domains; d++)
		c.nr_vcpus += w->m->domains[d].nr_vcpus;
	c.waiting_since = malloc(c.nr_vcpus * sizeof(*c.waiting_since));
	assert_non_null(c.waiting_since);
	for (unsigned int i = 0; i < c.nr_vcpus; i++)
		c.waiting_since[i] = -1;

	world_finish(w, &st);
	assert_int_equal(st.sched_errors, 0);
	assert_true(c.events > 1000); /* the scenario really exercised it */
	assert_true(st.context_switches > 100);
	free(c.waiting_since);
	world_destroy(w);
}

static void test_scheduler(void **state)
{
	const struct sched_scenarios *sc = *state;

	for (uint64_t seed = 1; seed <= 3; seed++) {
		run_one(sc->mixed, false, seed);
		run_one(sc->eligible, true, seed);
	}
}

static void test_every_registered_scheduler_has_scenarios(void **state)
{
	const struct sched_ops *const *reg = sched_registry();

	(void)state;
	for (unsigned int i = 0; reg[i]; i++) {
		bool found = false;

		for (size_t j = 0; j < sizeof(scenarios) / sizeof(scenarios[0]);
		     j++)
			found |= !strcmp(scenarios[j].opt_name, reg[i]->opt_name);
		if (!found)
			fail_msg("scheduler '%s' has no conformance scenarios",
				 reg[i]->opt_name);
	}
}

int main(void)
{
	struct CMUnitTest tests[16];
	size_t n = 0;

	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		test_every_registered_scheduler_has_scenarios);
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		tests[n] = (struct CMUnitTest)cmocka_unit_test(test_scheduler);
		tests[n].name = scenarios[i].opt_name;
		tests[n].initial_state = (void *)&scenarios[i];
		n++;
	}
	return _cmocka_run_group_tests("conformance", tests, n, NULL, NULL);
}
