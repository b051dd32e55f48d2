/*
 * hvlab wcrt, end to end: the bounds are SOUND. For every example scenario
 * and for seeded random task sets on null, ARINC653 and RTDS, each
 * response time observed in a sim run (read back from its trace, as every
 * other metric) must be at most the analytical bound of its task or
 * interrupt handler. A violation fails the test and names the task.
 * credit2 vCPUs must come out with no bound at all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/summary.h"
#include "analysis/wcrt_scenario.h"
#include "hv-core/arch/sim/rng.h"
#include "hv-core/arch/sim/sim.h"
#include "scenario/scenario.h"

struct check {
	unsigned int compared, bounded, unbounded;
	double tightest; /* largest observed / bound: how close we came */
};

static void compare(const struct scenario *scn, const struct wcrt_report *r,
		    const struct summary *s, struct check *c)
{
	for (size_t i = 0; i < r->nr_items; i++) {
		const struct wcrt_item *it = &r->items[i];
		const struct scn_domain *d = &scn->domains[it->domain];
		const struct summary_domain *sd = summary_domain(s, d->domid);
		uint64_t observed = 0, n = 0;

		if (!sd)
			continue;
		if (it->kind == WCRT_ITEM_TASK) {
			const struct summary_task *st =
			    summary_task(sd, it->index);

			if (st) {
				observed = st->response.max;
				n = st->response.n;
			}
		} else {
			const struct summary_irq *si =
			    summary_irq(sd, it->index);

			if (si) {
				observed = si->response.max;
				n = si->response.n;
			}
		}
		if (it->status != WCRT_OK) {
			c->unbounded++;
			continue;
		}
		c->bounded++;
		if (!n)
			continue;
		c->compared++;
		if ((double)observed / (double)it->bound > c->tightest)
			c->tightest = (double)observed / (double)it->bound;
		if ((hv_time_t)observed > it->bound)
			fail_msg(
			    "%s: %s %s/%s: observed %llu ns > bound %lld ns",
			    scn->name,
			    it->kind == WCRT_ITEM_IRQ ? "irq" : "task", d->name,
			    it->name, (unsigned long long)observed,
			    (long long)it->bound);
	}
}

/* Run @scn in the sim, summarise its trace, analyse, compare. */
static void check_scenario(struct scenario *scn, struct check *c)
{
	char dir[] = "/tmp/hvlab-wcrt-XXXXXX", path[64];
	struct sim_options opt = {0};
	struct wcrt_report *r;
	struct summary *s;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/trace.xt", dir);
	opt.trace_path = path;
	assert_int_equal(sim_run_scenario(scn, &opt, NULL, stderr), 0);
	assert_int_equal(summary_from_trace(path, &s, stderr), 0);
	assert_int_equal(wcrt_scenario_analyze(scn, stderr, &r), 0);
	compare(scn, r, s, c);
	for (size_t i = 0; i < r->nr_vcpus; i++)
		if (!strcmp(r->vcpus[i].sched, "credit2"))
			assert_false(supply_guaranteed(&r->vcpus[i].supply));
	wcrt_report_free(r);
	summary_free(s);
	unlink(path);
	rmdir(dir);
}

static void test_example_scenarios_are_sound(void **state)
{
	static const char *const files[] = {
	    "bench/scenarios/demo.yaml",
	    "bench/scenarios/arinc653-avionics.yaml",
	    "bench/scenarios/null-dedicated.yaml",
	    "bench/scenarios/irq-latency.yaml",
	};
	struct check c = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct scenario *scn;

		assert_int_equal(scenario_load(files[i], stderr, &scn), 0);
		check_scenario(scn, &c);
		scenario_free(scn);
	}
	print_message("examples: %u bounded items, %u compared, %u unbounded, "
		      "max observed/bound %.3f\n",
		      c.bounded, c.compared, c.unbounded, c.tightest);
	assert_true(c.compared >= 15);
}

/* A random scenario: one pool of @sched on 2 pCPUs, 2-4 domains. */
static char *random_yaml(struct rng *g, const char *sched, unsigned int seed,
			 bool edf)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	unsigned int nd = (unsigned int)rng_range(g, 2, 4);
	bool a653 = !strcmp(sched, "arinc653");
	bool null = !strcmp(sched, "null");

	fprintf(f, "name: rand-%s-%u\nduration: 400ms\nseed: %u\n", sched, seed,
		seed);
	fprintf(f, "machine: { pcpus: %u }\ncpupools:\n", null ? nd : 1u);
	if (a653) {
		fprintf(f, "  - name: p\n    sched: arinc653\n    cpus: \"0\"\n"
			   "    major_frame: 20ms\n    schedule:\n");
		for (unsigned int d = 0; d < nd; d++)
			fprintf(f, "      - { dom: d%u, runtime: %ums }\n", d,
				20 / nd);
	} else {
		fprintf(f, "  - { name: p, sched: %s, cpus: \"0-%u\" }\n",
			sched, null ? nd - 1 : 0);
	}
	fprintf(f, "domains:\n");
	for (unsigned int d = 0; d < nd; d++) {
		unsigned int nt = (unsigned int)rng_range(g, 1, 3);
		/* each domain's tasks use about half of what its scheduler
		 * guarantees it, in per mille of a pCPU */
		long share_pm = null ? 600 : (a653 ? 400 : 350) / (long)nd;

		fprintf(f, "  - name: d%u\n    pool: p\n", d);
		if (edf)
			fprintf(f, "    guest_scheduler: edf\n");
		if (!strcmp(sched, "rtds")) /* servers: 70% of the pCPU */
			fprintf(f,
				"    period: 5ms\n    budget: %ldus\n"
				"    extratime: %s\n",
				5000L * 700 / 1000 / (long)nd,
				rng_range(g, 0, 1) ? "true" : "false");
		fprintf(f, "    workload:\n      tasks:\n");
		for (unsigned int t = 0; t < nt; t++) {
			long period_us = 1000 * rng_range(g, 2, 40);
			long exec_us = period_us * share_pm / 1000 / nt / 2 + 1;

			fprintf(f,
				"        - { name: t%u, period: %ldus, exec: { "
				"dist: uniform, min: %ldus, max: %ldus }, "
				"offset: %ldus, priority: %u }\n",
				t, period_us, exec_us / 2 + 1, exec_us,
				(long)rng_range(g, 0, 5000), 10 - t);
		}
		if (rng_range(g, 0, 1))
			fprintf(
			    f,
			    "      irqs:\n        - { name: i, period: %ldus, "
			    "jitter: %ldus, handler: %ldus }\n",
			    (long)rng_range(g, 300, 3000),
			    (long)rng_range(g, 0, 200),
			    (long)rng_range(g, 2, 30));
	}
	fclose(f);
	return buf;
}

static void random_sets(const char *sched, unsigned int count, bool edf)
{
	struct check c = {0};
	struct rng g;

	rng_seed(&g, 2026);
	for (unsigned int i = 0; i < count; i++) {
		char *yaml = random_yaml(&g, sched, i + 1, edf);
		struct scenario *scn;

		if (scenario_load_buffer("random.yaml", yaml, strlen(yaml),
					 stderr, &scn))
			fail_msg("generated scenario rejected:\n%s", yaml);
		check_scenario(scn, &c);
		scenario_free(scn);
		free(yaml);
	}
	print_message("%s: %u random sets, %u bounded items, %u compared, "
		      "max observed/bound %.3f\n",
		      sched, count, c.bounded, c.compared, c.tightest);
	assert_true(c.compared > count);
}

static void test_random_null_sets_are_sound(void **state)
{
	(void)state;
	random_sets("null", 20, false);
}

static void test_random_arinc653_sets_are_sound(void **state)
{
	(void)state;
	random_sets("arinc653", 20, false);
}

static void test_random_rtds_sets_are_sound(void **state)
{
	(void)state;
	random_sets("rtds", 20, false);
}

static void test_random_edf_guests_are_sound(void **state)
{
	(void)state;
	random_sets("null", 15, true);
	random_sets("arinc653", 15, true);
	random_sets("rtds", 15, true);
}

/*
 * (C, T) = (2ms, 5ms), (4ms, 7ms): U = 0.971. Under EDF every deadline is
 * met (Liu & Layland 1973: U <= 1); under rate-monotonic priorities the
 * second task's response is 8 ms > 7 ms. The analysis must say so for
 * both guest schedulers, and the sim must agree.
 */
static void test_edf_guest_beats_fixed_priority(void **state)
{
	static const char fmt[] =
	    "name: ll\nduration: 2s\nmachine: { pcpus: 1 }\n"
	    "cpupools: [ { name: p, sched: null, cpus: \"0\" } ]\n"
	    "domains:\n"
	    "  - name: d\n    pool: p\n    guest_scheduler: %s\n"
	    "    workload:\n      tasks:\n"
	    "        - { name: a, period: 5ms, exec: 1900us, priority: 2 }\n"
	    "        - { name: b, period: 7ms, exec: 3900us, priority: 1 }\n";
	char yaml[512];
	struct scenario *scn;
	struct wcrt_report *r;
	struct check c = {0};

	(void)state;
	snprintf(yaml, sizeof(yaml), fmt, "edf");
	assert_int_equal(
	    scenario_load_buffer("ll.yaml", yaml, strlen(yaml), stderr, &scn),
	    0);
	assert_int_equal(wcrt_scenario_analyze(scn, stderr, &r), 0);
	assert_int_equal(r->nr_items, 2);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(r->items[i].status, WCRT_OK);
		assert_true(r->items[i].edf && r->items[i].met);
	}
	wcrt_report_free(r);
	check_scenario(scn, &c); /* observed <= deadline */
	scenario_free(scn);
	assert_int_equal(c.compared, 2);

	snprintf(yaml, sizeof(yaml), fmt, "fp");
	assert_int_equal(
	    scenario_load_buffer("ll.yaml", yaml, strlen(yaml), stderr, &scn),
	    0);
	assert_int_equal(wcrt_scenario_analyze(scn, stderr, &r), 0);
	assert_true(r->items[0].met);
	assert_false(r->items[1].met); /* b: R > 7 ms under FP */
	wcrt_report_free(r);
	scenario_free(scn);
}

static void test_credit2_gives_no_bound(void **state)
{
	static const char yaml[] =
	    "name: c2\nduration: 100ms\nmachine: { pcpus: 1 }\n"
	    "cpupools: [ { name: p, sched: credit2, cpus: \"0\" } ]\n"
	    "domains:\n"
	    "  - { name: a, pool: p, workload: { tasks: [ { name: t, "
	    "period: 10ms, exec: 1ms, priority: 1 } ] } }\n";
	struct scenario *scn;
	struct wcrt_report *r;

	(void)state;
	assert_int_equal(
	    scenario_load_buffer("c2.yaml", yaml, strlen(yaml), stderr, &scn),
	    0);
	assert_int_equal(wcrt_scenario_analyze(scn, stderr, &r), 0);
	assert_int_equal(r->nr_items, 1);
	assert_int_equal(r->items[0].status, WCRT_NO_SUPPLY);
	assert_non_null(strstr(r->vcpus[0].reason, "credit2"));
	wcrt_report_free(r);
	scenario_free(scn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_example_scenarios_are_sound),
	    cmocka_unit_test(test_random_null_sets_are_sound),
	    cmocka_unit_test(test_random_arinc653_sets_are_sound),
	    cmocka_unit_test(test_random_rtds_sets_are_sound),
	    cmocka_unit_test(test_random_edf_guests_are_sound),
	    cmocka_unit_test(test_edf_guest_beats_fixed_priority),
	    cmocka_unit_test(test_credit2_gives_no_bound),
	};

	return cmocka_run_group_tests_name("wcrt_scenario", tests, NULL, NULL);
}
