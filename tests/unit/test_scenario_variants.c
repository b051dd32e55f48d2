/*
 * Unit tests for per-scheduler sections ("variants:",
 * scenario/scenario_variants.c), the scenario they yield
 * (scenario_for_scheduler()) and the scenario writer
 * (scenario/scenario_write.c) that both hvlab compare and the round trip
 * rely on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario.h"
#include "tests/support/scenario_expect.h"

/* clang-format off */
static const char base_yaml[] =
	"name: v\n"                                                 /*  1 */
	"duration: 100ms\n"                                         /*  2 */
	"machine: {pcpus: 3}\n"                                     /*  3 */
	"cpupools:\n"                                               /*  4 */
	"  - {name: p0, sched: null, cpus: 0}\n"                    /*  5 */
	"  - {name: p1, sched: credit2, cpus: 1-2, ratelimit: 2ms}\n" /* 6 */
	"domains:\n"                                                /*  7 */
	"  - {name: a, pool: p0}\n"                                 /*  8 */
	"  - {name: b, pool: p0}\n"                                 /*  9 */
	"  - {name: c, pool: p1, vcpus: 2, weight: 100, cap: 150}\n" /* 10 */
	"  - {name: e, pool: p1}\n"                                 /* 11 */
	"budgets:\n"                                                /* 12 */
	"  - {metric: irq_latency, stat: p99, domain: a, max: 1ms}\n" /* 13 */
	"variants:\n"                                               /* 14 */
	"  arinc653:\n"                                             /* 15 */
	"    pools:\n"                                              /* 16 */
	"      p0:\n"                                               /* 17 */
	"        major_frame: 10ms\n"                               /* 18 */
	"        schedule:\n"                                       /* 19 */
	"          - {dom: b, runtime: 3ms}\n"                      /* 20 */
	"          - {dom: a, runtime: 5ms}\n"                      /* 21 */
	"      p1:\n"                                               /* 22 */
	"        major_frame: 4ms\n"                                /* 23 */
	"        schedule:\n"                                       /* 24 */
	"          - {dom: c, vcpu: 1, runtime: 1ms}\n"             /* 25 */
	"          - {dom: c, runtime: 1ms}\n"                      /* 26 */
	"          - {dom: e, runtime: 2ms}\n"                      /* 27 */
	"  rtds:\n"                                                 /* 28 */
	"    domains:\n"                                            /* 29 */
	"      a: {period: 2ms, budget: 1ms, extratime: false}\n"   /* 30 */
	"      c:\n"                                                /* 31 */
	"        budget: 3ms\n"                                     /* 32 */
	"        vcpu_sched: [{vcpu: 1, period: 1ms, budget: 100us}]\n" /* 33 */
	"  credit2:\n"                                              /* 34 */
	"    pools: {p0: {ratelimit: 0ms, runqueue: all}}\n"        /* 35 */
	"    domains: {a: {weight: 512}, c: {cap: 20}}\n"           /* 36 */
	"  null: {}\n";                                             /* 37 */
/* clang-format on */

static void test_parse_variants(void **state)
{
	struct scenario *s = load_ok(base_yaml);
	const struct scn_variant *a653 = scenario_variant(s, "arinc653");
	const struct scn_variant *rt = scenario_variant(s, "rtds");
	const struct scn_variant *c2 = scenario_variant(s, "credit2");
	const struct scn_variant *nul = scenario_variant(s, "null");

	(void)state;
	assert_int_equal(s->nr_variants, 4);
	assert_non_null(a653);
	assert_non_null(rt);
	assert_non_null(c2);
	assert_non_null(nul);
	assert_null(scenario_variant(s, "credit"));
	/* File order, and the line of each scheduler's key. */
	assert_string_equal(s->variants[0].sched, "arinc653");
	assert_int_equal(a653->line, 15);
	assert_int_equal(nul->line, 37);

	/* ARINC653 windows resolve to domain indices of their pool. */
	assert_int_equal(a653->pools[0].line, 17);
	assert_string_equal(a653->pools[0].sched, "arinc653");
	assert_string_equal(a653->pools[0].name, "p0");
	assert_int_equal(a653->pools[0].major_frame, HV_MS(10));
	assert_int_equal(a653->pools[0].nr_a653, 2);
	assert_int_equal(a653->pools[0].a653[0].domain, 1);
	assert_int_equal(a653->pools[0].a653[1].domain, 0);
	assert_int_equal(a653->pools[0].a653[1].runtime, HV_MS(5));
	assert_int_equal(a653->pools[1].nr_a653, 3);
	assert_int_equal(a653->pools[1].a653[0].domain, 2);
	assert_int_equal(a653->pools[1].a653[0].vcpu, 1);
	assert_int_equal(a653->domains[0].line, 0); /* not named */

	/* RTDS: a complete server per vCPU, defaults for what is left out. */
	assert_int_equal(rt->pools[0].line, 0);
	assert_int_equal(rt->domains[0].line, 30);
	assert_int_equal(rt->domains[0].rtds[0].period, HV_MS(2));
	assert_int_equal(rt->domains[0].rtds[0].budget, HV_MS(1));
	assert_false(rt->domains[0].rtds[0].extratime);
	assert_int_equal(rt->domains[2].rtds[0].period, HV_MS(10));
	assert_int_equal(rt->domains[2].rtds[0].budget, HV_MS(3));
	assert_true(rt->domains[2].rtds[0].extratime);
	assert_int_equal(rt->domains[2].rtds[1].period, HV_MS(1));
	assert_int_equal(rt->domains[2].rtds[1].budget, HV_US(100));
	assert_null(rt->domains[1].rtds);

	/* credit2: pool keys with Xen's defaults for the rest. */
	assert_int_equal(c2->pools[0].ratelimit, 0);
	assert_int_equal(c2->pools[0].runqueue, SCN_C2RQ_ALL);
	assert_int_equal(c2->pools[0].max_cpus_runqueue, 16);
	assert_int_equal(c2->domains[0].weight, 512);
	assert_int_equal(c2->domains[0].cap, 0);
	assert_int_equal(c2->domains[2].weight, 256); /* not the base's 100 */
	assert_int_equal(c2->domains[2].cap, 20);
	assert_int_equal(nul->pools[0].line, 0);
	scenario_free(s);
}

/* The base scenario's variant for @sched; fails the test on error. */
static struct scenario *variant_of(const char *yaml, const char *sched)
{
	struct scenario *s = load_ok(yaml), *v = NULL;
	char *msgs = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msgs, &len);
	int rc;

	assert_non_null(err);
	rc = scenario_for_scheduler(s, sched, err, &v);
	fclose(err);
	if (rc)
		print_error("%s\n", msgs);
	assert_int_equal(rc, 0);
	assert_string_equal(msgs, "");
	free(msgs);
	scenario_free(s);
	return v;
}

static void test_for_scheduler_arinc653(void **state)
{
	struct scenario *v = variant_of(base_yaml, "arinc653");

	(void)state;
	assert_int_equal(v->nr_variants, 0);
	assert_int_equal(v->nr_pools, 2);
	for (unsigned int p = 0; p < v->nr_pools; p++)
		assert_string_equal(v->pools[p].sched, "arinc653");
	assert_int_equal(v->pools[1].major_frame, HV_MS(4));
	assert_int_equal(v->pools[1].nr_a653, 3);
	assert_int_equal(v->pools[1].a653[2].domain, 3);
	assert_mask(&v->pools[1].cpus, "1-2");
	/* Workload and budgets come along; scheduler parameters do not. */
	assert_int_equal(v->nr_budgets, 1);
	assert_int_equal(v->domains[2].nr_vcpus, 2);
	assert_int_equal(v->domains[2].weight, 0);
	assert_int_equal(v->pools[1].ratelimit, 0);
	scenario_free(v);
}

static void test_for_scheduler_rtds(void **state)
{
	struct scenario *v = variant_of(base_yaml, "rtds");

	(void)state;
	assert_string_equal(v->pools[0].sched, "rtds");
	assert_string_equal(v->pools[1].sched, "rtds");
	assert_int_equal(v->domains[0].rtds[0].period, HV_MS(2));
	assert_false(v->domains[0].rtds[0].extratime);
	/* Not named in the variant: RTDS_DEFAULT_PERIOD / _BUDGET. */
	assert_int_equal(v->domains[1].rtds[0].period, HV_MS(10));
	assert_int_equal(v->domains[1].rtds[0].budget, HV_MS(4));
	assert_int_equal(v->domains[3].rtds[0].budget, HV_MS(4));
	assert_int_equal(v->domains[2].rtds[1].budget, HV_US(100));
	assert_int_equal(v->domains[2].rtds[0].budget, HV_MS(3));
	scenario_free(v);
}

static void test_for_scheduler_credit2(void **state)
{
	struct scenario *v = variant_of(base_yaml, "credit2");

	(void)state;
	/* p0 from the variant; p1 ran credit2 and keeps its own values. */
	assert_string_equal(v->pools[0].sched, "credit2");
	assert_int_equal(v->pools[0].ratelimit, 0);
	assert_int_equal(v->pools[0].runqueue, SCN_C2RQ_ALL);
	assert_int_equal(v->pools[1].ratelimit, HV_MS(2));
	assert_int_equal(v->domains[0].weight, 512);
	assert_int_equal(v->domains[1].weight, 256); /* default */
	assert_int_equal(v->domains[2].weight, 256); /* variant: complete */
	assert_int_equal(v->domains[2].cap, 20);
	assert_int_equal(v->domains[3].weight, 256); /* kept from the base */
	assert_null(v->domains[0].rtds);
	scenario_free(v);
}

static void test_for_scheduler_null(void **state)
{
	struct scenario *v = variant_of(base_yaml, "null");

	(void)state;
	for (unsigned int p = 0; p < v->nr_pools; p++) {
		assert_string_equal(v->pools[p].sched, "null");
		assert_int_equal(v->pools[p].ratelimit, 0);
		assert_null(v->pools[p].a653);
	}
	for (unsigned int d = 0; d < v->nr_domains; d++) {
		assert_int_equal(v->domains[d].weight, 0);
		assert_null(v->domains[d].rtds);
	}
	scenario_free(v);
}

/* No variants at all: defaults, and the base's own where it applies. */
static void test_for_scheduler_defaults(void **state)
{
	static const char yaml[] =
	    "name: d\nduration: 10ms\nmachine: {pcpus: 2}\n"
	    "cpupools:\n"
	    "  - {name: x, sched: arinc653, cpus: 0, major_frame: 5ms,\n"
	    "     schedule: [{dom: a, runtime: 2ms}]}\n"
	    "  - {name: y, sched: rtds, cpus: 1}\n"
	    "domains:\n"
	    "  - {name: a, pool: x}\n"
	    "  - {name: b, pool: y, period: 1ms, budget: 500us}\n";
	struct scenario *v = variant_of(yaml, "rtds");

	(void)state;
	assert_int_equal(v->domains[0].rtds[0].budget, HV_MS(4));
	assert_int_equal(v->domains[1].rtds[0].budget, HV_US(500));
	scenario_free(v);
	v = variant_of(yaml, "credit2");
	assert_int_equal(v->pools[0].ratelimit, HV_MS(1));
	assert_int_equal(v->domains[1].weight, 256);
	scenario_free(v);
}

static void expect_variant_error(const char *yaml, const char *sched,
				 const char *what)
{
	struct scenario *s = load_ok(yaml), *v = (struct scenario *)&s;
	char *msgs = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msgs, &len);
	int rc;

	assert_non_null(err);
	rc = scenario_for_scheduler(s, sched, err, &v);
	fclose(err);
	if (rc != -EINVAL || v || !strstr(msgs, what))
		fail_msg("rc %d; expected '%s' in: %s", rc, what, msgs);
	free(msgs);
	scenario_free(s);
}

static void test_for_scheduler_errors(void **state)
{
	static const char no_table[] =
	    "name: d\nduration: 10ms\nmachine: {pcpus: 2}\n" /* 1-3 */
	    "cpupools:\n" /* 4 */
	    "  - {name: x, sched: null, cpus: 0}\n" /* 5 */
	    "  - {name: y, sched: null, cpus: 1}\n" /* 6 */
	    "domains: [{name: a, pool: x}, {name: b, pool: y}]\n"
	    "variants:\n" /* 8 */
	    "  arinc653:\n"
	    "    pools: {x: {major_frame: 1ms, schedule: [{dom: a, "
	    "runtime: 1ms}]}}\n";

	(void)state;
	/* The variant names x only: y has no table. */
	expect_variant_error(no_table, "arinc653",
			     "t.yaml:9: variants.arinc653 needs a schedule for "
			     "pool 'y'");
	/* No variant at all: the pool's own line. */
	expect_variant_error(NULL_POOL "  - {name: a, pool: p}\n", "arinc653",
			     "t.yaml:6: variants.arinc653 needs a schedule for "
			     "pool 'p'");
	expect_variant_error(no_table, "credit", "unknown scheduler 'credit'");
}

static void test_reject_variants(void **state)
{
#define V                                                          \
	HEAD "  - {name: p, sched: null, cpus: 0}\n"               \
	     "  - {name: q, sched: null, cpus: 1}\n"               \
	     "domains: [{name: d, pool: p}, {name: e, pool: q}]\n" \
	     "variants:\n"
	/* Lines: 6-7 pools, 8 domains, 9 "variants:", 10 the first key. */
	(void)state;
	expect_reject(V "  cfs: {}\n", 10,
		      "variants: unknown scheduler 'cfs'; expected one of: "
		      "null, arinc653, credit2, rtds");
	expect_reject(V "  null: {}\n  null: {}\n", 11,
		      "duplicate key 'null' in variants (first at line 10)");
	expect_reject(HEAD "  - {name: p, sched: null, cpus: 0}\n"
			   "domains: [{name: d, pool: p}]\nvariants: [rtds]\n",
		      8, "variants: expected a mapping from scheduler names");
	expect_reject(V "  rtds: {pools: {z: {}}}\n", 10,
		      "variants.rtds.pools: unknown cpupool 'z'; expected one "
		      "of: p, q");
	expect_reject(V "  rtds: {domains: {z: {}}}\n", 10,
		      "variants.rtds.domains: unknown domain 'z'; expected "
		      "one of: d, e");
	expect_reject(V "  rtds: {domain: {}}\n", 10,
		      "unknown key 'domain' in variants.rtds; expected one "
		      "of: pools, domains");
	expect_reject(V "  rtds:\n    domains:\n      d: {weight: 3}\n", 12,
		      "unknown key 'weight' in variants.rtds.domains.d; "
		      "expected one of: period, budget, extratime, vcpu_sched");
	expect_reject(V "  credit2:\n    domains:\n      d: {pool: q}\n", 12,
		      "unknown key 'pool' in variants.credit2.domains.d; "
		      "expected one of: weight, cap");
	expect_reject(V "  null:\n    pools:\n      p: {cpus: 1}\n", 12,
		      "unknown key 'cpus' in variants.null.pools.p; it takes "
		      "no keys");
	expect_reject(V "  credit2: {domains: {d: {cap: 101}}}\n", 10,
		      "cap: 101 is out of range, expected 0..100");
	expect_reject(V "  rtds:\n    domains:\n      d: {period: 1ms}\n", 12,
		      "period: 1ms is shorter than budget 4ms (the default)");
	expect_reject(V "  arinc653:\n    pools:\n      p: {major_frame: "
			"1ms}\n",
		      12,
		      "variants.arinc653.pools.p is missing required key "
		      "'schedule'");
	expect_reject(V "  arinc653:\n    pools:\n      p:\n"
			"        major_frame: 1ms\n"
			"        schedule: [{dom: e, runtime: 1ms}]\n",
		      14, "schedule: domain 'e' is in cpupool 'q', not in 'p'");
	expect_reject(V "  arinc653:\n    pools:\n      p:\n"
			"        major_frame: 1ms\n"
			"        schedule: [{dom: d, runtime: 2ms}]\n",
		      14, "schedule is 2ms long but major_frame is 1ms");
	expect_reject(V "  credit2:\n    pools: {p: {}}\n    pools: {}\n", 12,
		      "duplicate key 'pools' in variants.credit2");
	expect_reject(V "  credit2:\n    domains: {d: {}, d: {}}\n", 11,
		      "duplicate key 'd' in variants.credit2.domains");
#undef V
}

/* write(load(write(s))) == write(s), and the text loads back cleanly. */
static void assert_round_trip(const struct scenario *s)
{
	struct scenario *back = NULL;
	char *a = NULL, *b = NULL, *msgs = NULL;
	size_t la = 0, lb = 0, lm = 0;
	FILE *fa = open_memstream(&a, &la), *fb = open_memstream(&b, &lb);
	FILE *err = open_memstream(&msgs, &lm);

	assert_int_equal(scenario_write(s, fa), 0);
	fclose(fa);
	if (scenario_load_buffer("written", a, la, err, &back))
		fail_msg("%s does not load back: %s\n%s", s->path, msgs, a);
	fclose(err);
	assert_int_equal(scenario_write(back, fb), 0);
	fclose(fb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	assert_int_equal(back->nr_pools, s->nr_pools);
	assert_int_equal(back->nr_domains, s->nr_domains);
	assert_int_equal(back->nr_budgets, s->nr_budgets);
	assert_int_equal(back->seed, s->seed);
	assert_int_equal(back->duration, s->duration);
	for (unsigned int d = 0; d < s->nr_domains; d++) {
		assert_int_equal(back->domains[d].nr_tasks,
				 s->domains[d].nr_tasks);
		assert_int_equal(back->domains[d].nr_irqs,
				 s->domains[d].nr_irqs);
		assert_int_equal(back->domains[d].weight, s->domains[d].weight);
	}
	scenario_free(back);
	free(a);
	free(b);
	free(msgs);
}

static void test_write_round_trip(void **state)
{
	glob_t g;
	struct scenario *s = load_ok(base_yaml);

	(void)state;
	assert_round_trip(s);
	scenario_free(s);
	assert_int_equal(glob("bench/scenarios/*.yaml", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 5);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		assert_int_equal(scenario_load(g.gl_pathv[i], NULL, &s), 0);
		assert_round_trip(s);
		scenario_free(s);
	}
	globfree(&g);
}

/* Every value survives: distributions, sporadic models, pinning. */
static void test_write_values(void **state)
{
	static const char yaml[] =
	    "name: w\nduration: 1500us\nseed: 18446744073709551615\n"
	    "machine:\n  pcpus: 4\n  threads_per_core: 2\n"
	    "  l2: {size: 512KiB, ways: 8, line: 32}\n"
	    "  costs: {ipi: 1500ns, trap_entry: 0ns}\n"
	    "cpupools: [{name: p, sched: rtds, cpus: 0-3}]\n"
	    "domains:\n"
	    "  - name: d\n    pool: p\n    vcpus: 2\n"
	    "    cpus: [\"0-1\", \"3\"]\n"
	    "    vcpu_sched: [{vcpu: 1, period: 2ms, budget: 1ms}]\n"
	    "    workload:\n"
	    "      tasks:\n"
	    "        - {name: t, vcpu: 1, sporadic: {min_interarrival: 1ms,"
	    " max_interarrival: 3ms}, offset: 7us, deadline: 900us,"
	    " priority: -4, exec: {dist: normal, mean: 5us, stddev: 0ns,"
	    " min: 1us, max: 9us}}\n"
	    "      irqs:\n"
	    "        - {name: i, sporadic: {min_interarrival: 50us, jitter:"
	    " 3ns}, handler: {dist: uniform, min: 1us, max: 1us}}\n"
	    "      hogs: [{vcpu: 1}]\n"
	    "budgets:\n"
	    "  - {metric: task_response, stat: p99.99, domain: d, task: t,"
	    " max: 1s}\n"
	    "  - {metric: sched_latency, stat: mean, max: 1ns}\n";
	struct scenario *s = load_ok(yaml), *back;
	char *text = NULL, *msgs = NULL;
	size_t len = 0, lm = 0;
	FILE *f = open_memstream(&text, &len), *err;
	const struct scn_task *t;

	(void)state;
	assert_round_trip(s);
	scenario_write(s, f);
	fclose(f);
	err = open_memstream(&msgs, &lm);
	assert_int_equal(scenario_load_buffer("w", text, len, err, &back), 0);
	fclose(err);
	assert_int_equal(back->seed, UINT64_MAX);
	assert_int_equal(back->machine.cores_per_socket, 2);
	assert_int_equal(back->machine.l2_size, 512 * 1024);
	assert_int_equal(back->machine.costs.ipi, 1500);
	assert_int_equal(back->machine.costs.trap_entry, 0);
	assert_mask(&back->domains[0].hard_affinity[1], "3");
	assert_int_equal(back->domains[0].rtds[1].period, HV_MS(2));
	assert_int_equal(back->domains[0].rtds[0].period, HV_MS(10));
	t = &back->domains[0].tasks[0];
	assert_true(t->sporadic);
	assert_int_equal(t->max_interarrival, HV_MS(3));
	assert_int_equal(t->offset, HV_US(7));
	assert_int_equal(t->priority, -4);
	assert_int_equal(t->exec.kind, SCN_DIST_NORMAL);
	assert_int_equal(back->domains[0].irqs[0].jitter, 3);
	assert_int_equal(back->domains[0].irqs[0].handler.kind,
			 SCN_DIST_UNIFORM);
	assert_string_equal(back->budgets[0].stat, "p99.99");
	assert_int_equal(back->budgets[1].domain, -1);
	scenario_free(back);
	scenario_free(s);
	free(text);
	free(msgs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_variants),
	    cmocka_unit_test(test_for_scheduler_arinc653),
	    cmocka_unit_test(test_for_scheduler_rtds),
	    cmocka_unit_test(test_for_scheduler_credit2),
	    cmocka_unit_test(test_for_scheduler_null),
	    cmocka_unit_test(test_for_scheduler_defaults),
	    cmocka_unit_test(test_for_scheduler_errors),
	    cmocka_unit_test(test_reject_variants),
	    cmocka_unit_test(test_write_round_trip),
	    cmocka_unit_test(test_write_values),
	};

	return cmocka_run_group_tests_name("scenario_variants", tests, NULL,
					   NULL);
}
