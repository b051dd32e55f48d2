/*
 * Unit tests for the scheduler-specific part of the scenario format
 * (scenario/scenario_sched.c): credit2 and rtds keys, defaults and
 * rejections, booleans and machine topology.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/private.h"
#include "scenario/scenario.h"
#include "tests/support/scenario_expect.h"

/* ---- credit2, RTDS and the machine's topology --------------------------- */

/* clang-format off */
static const char c2_yaml[] =
	"name: c2\n"                                                /*  1 */
	"duration: 1s\n"                                            /*  2 */
	"machine:\n"                                                /*  3 */
	"  pcpus: 8\n"                                              /*  4 */
	"  threads_per_core: 2\n"                                   /*  5 */
	"  cores_per_socket: 2\n"                                   /*  6 */
	"cpupools:\n"                                               /*  7 */
	"  - name: c\n"                                             /*  8 */
	"    sched: credit2\n"                                      /*  9 */
	"    cpus: 0-3\n"                                           /* 10 */
	"    ratelimit: 500us\n"                                    /* 11 */
	"    runqueue: core\n"                                      /* 12 */
	"    max_cpus_runqueue: 4\n"                                /* 13 */
	"  - {name: off, sched: credit2, cpus: 4-5, ratelimit: 0us}\n" /* 14 */
	"  - {name: n, sched: null, cpus: 6-7}\n"                   /* 15 */
	"domains:\n"                                                /* 16 */
	"  - {name: a, pool: c, vcpus: 2, weight: 512, cap: 200}\n" /* 17 */
	"  - {name: b, pool: c, weight: 1, cap: 0}\n"               /* 18 */
	"  - {name: e, pool: off, weight: 65535, cap: 100}\n"       /* 19 */
	"  - {name: f, pool: off}\n"                                /* 20 */
	"  - {name: g, pool: n}\n";                                 /* 21 */
/* clang-format on */

static void test_credit2_keys(void **state)
{
	struct scenario *s = load_ok(c2_yaml);
	const struct scn_pool *p = s->pools;
	const struct scn_domain *d = s->domains;

	(void)state;
	assert_int_equal(s->machine.threads_per_core, 2);
	assert_int_equal(s->machine.cores_per_socket, 2);
	assert_string_equal(p[0].sched, "credit2");
	assert_int_equal(p[0].ratelimit, HV_US(500));
	assert_int_equal(p[0].runqueue, SCN_C2RQ_CORE);
	assert_int_equal(p[0].max_cpus_runqueue, 4);
	/* 0us turns the rate limit off; the other keys keep Xen's defaults. */
	assert_int_equal(p[1].ratelimit, 0);
	assert_int_equal(p[1].runqueue, SCN_C2RQ_SOCKET);
	assert_int_equal(p[1].max_cpus_runqueue, 16);
	/* A null pool has no credit2 parameters. */
	assert_int_equal(p[2].ratelimit, 0);
	assert_int_equal(p[2].max_cpus_runqueue, 0);
	assert_int_equal(d[0].weight, 512);
	assert_int_equal(d[0].cap, 200); /* 100 per vCPU, 2 vCPUs */
	assert_int_equal(d[1].weight, 1);
	assert_int_equal(d[1].cap, 0);
	assert_int_equal(d[2].weight, 65535);
	assert_int_equal(d[2].cap, 100);
	assert_int_equal(d[3].weight, 256); /* CSCHED2_DEFAULT_WEIGHT */
	assert_int_equal(d[3].cap, 0);
	assert_int_equal(d[4].weight, 0); /* not a credit2 domain */
	for (unsigned int i = 0; i < s->nr_domains; i++)
		assert_null(d[i].rtds);
	scenario_free(s);
}

/* A credit2 pool on cpus 0-3 (lines 6-8); its keys follow on line 9. */
#define C2_POOL                     \
	HEAD "  - name: p\n"        \
	     "    sched: credit2\n" \
	     "    cpus: 0-3\n"
#define C2_DOMAIN "domains: [{name: d, pool: p}]\n"

/* The ratelimit of a one-pool credit2 scenario. */
static hv_time_t c2_ratelimit(const char *value)
{
	char yaml[256];
	struct scenario *s;
	hv_time_t t;

	snprintf(yaml, sizeof(yaml), C2_POOL "    ratelimit: %s\n" C2_DOMAIN,
		 value);
	s = load_ok(yaml);
	t = s->pools[0].ratelimit;
	scenario_free(s);
	return t;
}

static void test_credit2_defaults(void **state)
{
	struct scenario *s = load_ok(C2_POOL C2_DOMAIN);

	(void)state;
	assert_int_equal(s->pools[0].ratelimit, HV_MS(1));
	assert_int_equal(s->pools[0].runqueue, SCN_C2RQ_SOCKET);
	assert_int_equal(s->pools[0].max_cpus_runqueue, 16);
	assert_int_equal(s->domains[0].weight, 256);
	assert_int_equal(s->domains[0].cap, 0);
	assert_null(s->domains[0].rtds);
	scenario_free(s);
	/* The limits of XEN_SYSCTL_SCHED_RATELIMIT_MIN/MAX are allowed. */
	assert_int_equal(c2_ratelimit("100us"), HV_US(100));
	assert_int_equal(c2_ratelimit("500ms"), HV_MS(500));
	assert_int_equal(c2_ratelimit("0ms"), 0);
	assert_int_equal(c2_ratelimit("1.5ms"), HV_US(1500));
}

/* clang-format off */
static const char rtds_yaml[] =
	"name: rt\n"                                                /*  1 */
	"duration: 1s\n"                                            /*  2 */
	"machine: {pcpus: 4}\n"                                     /*  3 */
	"cpupools:\n"                                               /*  4 */
	"  - {name: r, sched: rtds, cpus: 0-2}\n"                   /*  5 */
	"  - {name: n, sched: null, cpus: 3}\n"                     /*  6 */
	"domains:\n"                                                /*  7 */
	"  - name: a\n"                                             /*  8 */
	"    pool: r\n"                                             /*  9 */
	"    vcpus: 3\n"                                            /* 10 */
	"    period: 20ms\n"                                        /* 11 */
	"    budget: 5ms\n"                                         /* 12 */
	"    extratime: false\n"                                    /* 13 */
	"    vcpu_sched:\n"                                         /* 14 */
	"      - {vcpu: 2, period: 1ms, budget: 250us}\n"           /* 15 */
	"      - vcpu: 0\n"                                         /* 16 */
	"        extratime: true\n"                                 /* 17 */
	"  - {name: b, pool: r, vcpus: 2}\n"                        /* 18 */
	"  - {name: c, pool: r, budget: 10ms, extratime: TRUE,\n"   /* 19 */
	"     vcpu_sched: [{vcpu: 0, budget: 10us}]}\n"             /* 20 */
	"  - {name: e, pool: r, period: 10us, budget: 10us}\n"      /* 21 */
	"  - {name: z, pool: n}\n";                                 /* 22 */
/* clang-format on */

static void assert_server(const struct scn_rtds_vcpu *rt, hv_time_t period,
			  hv_time_t budget, bool extratime)
{
	assert_int_equal(rt->period, period);
	assert_int_equal(rt->budget, budget);
	assert_int_equal(rt->extratime, extratime);
}

static void test_rtds_keys(void **state)
{
	struct scenario *s = load_ok(rtds_yaml);
	const struct scn_domain *d = s->domains;

	(void)state;
	assert_string_equal(s->pools[0].sched, "rtds");
	/* Domain-wide values, with the overrides each entry names. */
	assert_server(&d[0].rtds[0], HV_MS(20), HV_MS(5), true);
	assert_server(&d[0].rtds[1], HV_MS(20), HV_MS(5), false);
	assert_server(&d[0].rtds[2], HV_MS(1), HV_US(250), false);
	/* Xen's defaults: 10ms / 4ms, extratime on for every new unit. */
	assert_server(&d[1].rtds[0], HV_MS(10), HV_MS(4), true);
	assert_server(&d[1].rtds[1], HV_MS(10), HV_MS(4), true);
	/* budget == period is allowed; 10us is the minimum of both. */
	assert_server(&d[2].rtds[0], HV_MS(10), HV_US(10), true);
	assert_server(&d[3].rtds[0], HV_US(10), HV_US(10), true);
	/* Not an rtds domain, and no credit2 parameters in an rtds one. */
	assert_null(d[4].rtds);
	assert_int_equal(d[0].weight, 0);
	scenario_free(s);
}

static void test_parse_bool(void **state)
{
	static const char *const good[] = {"true",  "True",  "TRUE",
					   "false", "False", "FALSE"};
	static const char *const bad[] = {"yes", "no", "on",   "off", "1",
					  "0",	 "y",  "tRUE", "",    "true "};
	char msg[SCN_MSG_MAX];
	bool b;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		b = i >= 3;
		assert_true(scn_parse_bool(good[i], &b, msg, sizeof(msg)));
		assert_int_equal(b, i < 3);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(scn_parse_bool(bad[i], &b, msg, sizeof(msg)));
	assert_false(scn_parse_bool("yes", &b, msg, sizeof(msg)));
	assert_string_equal(msg, "'yes' is not a boolean; expected true or "
				 "false (yes/no, on/off and 1/0 are not "
				 "accepted)");
}

static void test_topology(void **state)
{
	struct scenario *s = load_ok("name: t\nduration: 1s\nmachine:\n"
				     "  pcpus: 8\n  threads_per_core: 4\n"
				     "cpupools: [{name: p, sched: null, "
				     "cpus: 0}]\n"
				     "domains: [{name: d, pool: p}]\n");

	(void)state;
	assert_int_equal(s->machine.threads_per_core, 4);
	assert_int_equal(s->machine.cores_per_socket, 2); /* all cores */
	scenario_free(s);
}

static void test_reject_topology(void **state)
{
	(void)state;
	expect_reject("name: t\nduration: 1s\nmachine:\n"
		      "  pcpus: 4\n"
		      "  threads_per_core: 3\n" POOLS_TAIL,
		      5,
		      "threads_per_core: 4 pCPUs do not make whole cores of 3 "
		      "threads; pcpus must be a multiple of threads_per_core");
	expect_reject("name: t\nduration: 1s\nmachine:\n"
		      "  pcpus: 4\n"
		      "  threads_per_core: 9\n" POOLS_TAIL,
		      5, "threads_per_core: 9 is out of range, expected 1..8");
	expect_reject("name: t\nduration: 1s\nmachine:\n"
		      "  pcpus: 4\n"
		      "  cores_per_socket: 0\n" POOLS_TAIL,
		      5,
		      "cores_per_socket: 0 is out of range, expected 1..128");
}

static void test_reject_credit2_pool(void **state)
{
	(void)state;
	expect_reject(
	    C2_POOL "    ratelimit: 50us\n" C2_DOMAIN, 9,
	    "ratelimit: 50us is out of range, expected 0us (off) or "
	    "100us..500ms (Xen's XEN_SYSCTL_SCHED_RATELIMIT_MIN..MAX)");
	expect_reject(C2_POOL "    ratelimit: 501ms\n" C2_DOMAIN, 9,
		      "ratelimit: 501ms is out of range");
	expect_reject(C2_POOL "    ratelimit: 100500ns\n" C2_DOMAIN, 9,
		      "ratelimit: 100500ns is not a whole number of "
		      "microseconds");
	expect_reject(C2_POOL "    ratelimit: 1000\n" C2_DOMAIN, 9,
		      "ratelimit: time needs a unit");
	expect_reject(C2_POOL "    runqueue: bogus\n" C2_DOMAIN, 9,
		      "runqueue: unknown value 'bogus'; expected one of: cpu, "
		      "core, socket, node, all");
	expect_reject(C2_POOL "    max_cpus_runqueue: 0\n" C2_DOMAIN, 9,
		      "max_cpus_runqueue: 0 is out of range, expected 1..128");
}

static void test_reject_credit2_domain(void **state)
{
	(void)state;
	expect_reject(C2_POOL "domains:\n  - {name: d, pool: p, weight: 0}\n",
		      10, "weight: 0 is out of range, expected 1..65535");
	expect_reject(C2_POOL "domains:\n"
			      "  - name: d\n"
			      "    pool: p\n"
			      "    weight: 70000\n",
		      12, "weight: 70000 is out of range, expected 1..65535");
	expect_reject(C2_POOL "domains:\n"
			      "  - name: d\n"
			      "    pool: p\n"
			      "    vcpus: 2\n"
			      "    cap: 201\n",
		      13,
		      "cap: 201 is out of range, expected 0..200 (percent of "
		      "one pCPU, at most 100 per vCPU; 0 = no cap)");
	expect_reject(C2_POOL "domains:\n  - {name: d, pool: p, cap: 101}\n",
		      10, "cap: 101 is out of range, expected 0..100");
	expect_reject(C2_POOL "domains:\n  - {name: d, pool: p, cap: -1}\n", 10,
		      "cap: -1 is out of range, expected 0..100");
}

/* An rtds pool on cpus 0-3 (line 6); the first domain is on line 8. */
#define RT_POOL HEAD "  - {name: r, sched: rtds, cpus: 0-3}\ndomains:\n"

static void test_reject_rtds_values(void **state)
{
	(void)state;
	expect_reject(RT_POOL "  - {name: d, pool: r, period: 5us}\n", 8,
		      "period: 5us is shorter than 10us, Xen's RTDS minimum "
		      "(RTDS_MIN_PERIOD)");
	expect_reject(RT_POOL "  - {name: d, pool: r, budget: 9us}\n", 8,
		      "budget: 9us is shorter than 10us, Xen's RTDS minimum "
		      "(RTDS_MIN_BUDGET)");
	expect_reject(RT_POOL "  - {name: d, pool: r, period: 10500ns}\n", 8,
		      "period: 10500ns is not a whole number of microseconds");
	expect_reject(RT_POOL "  - {name: d, pool: r, period: 4295s}\n", 8,
		      "period: 4295s is longer than 4294967295us");
	expect_reject(RT_POOL "  - name: d\n"
			      "    pool: r\n"
			      "    extratime: yes\n",
		      10,
		      "extratime: 'yes' is not a boolean; expected true or "
		      "false");
	expect_reject(RT_POOL "  - name: d\n"
			      "    pool: r\n"
			      "    vcpu_sched:\n"
			      "      - {vcpu: 0, extratime: 1}\n",
		      11, "extratime: '1' is not a boolean");
}

static void test_reject_rtds_budget(void **state)
{
	(void)state;
	/* Domain-wide, as given or against a default. */
	expect_reject(RT_POOL "  - name: d\n"
			      "    pool: r\n"
			      "    period: 10ms\n"
			      "    budget: 12ms\n",
		      11, "budget: 12ms is longer than period 10ms");
	expect_reject(RT_POOL "  - {name: d, pool: r, budget: 12ms}\n", 8,
		      "budget: 12ms is longer than period 10ms (the default)");
	expect_reject(RT_POOL "  - name: d\n"
			      "    pool: r\n"
			      "    period: 2ms\n",
		      10,
		      "period: 2ms is shorter than budget 4ms (the default); "
		      "give a budget too");
	/* Per vCPU, after the overrides. */
	expect_reject(RT_POOL "  - name: d\n"
			      "    pool: r\n"
			      "    vcpus: 2\n"
			      "    vcpu_sched:\n"
			      "      - {vcpu: 0, budget: 1ms}\n"
			      "      - {vcpu: 1, budget: 12ms}\n",
		      13,
		      "vcpu_sched: vcpu 1: budget 12ms is longer than its "
		      "period 10ms");
	expect_reject(RT_POOL "  - name: d\n"
			      "    pool: r\n"
			      "    budget: 3ms\n"
			      "    vcpu_sched:\n"
			      "      - vcpu: 0\n"
			      "        period: 2ms\n",
		      13,
		      "vcpu_sched: vcpu 0: budget 3ms is longer than its "
		      "period 2ms");
}

static void test_reject_rtds_vcpu_sched(void **state)
{
	(void)state;
	expect_reject(RT_POOL "  - name: d\n"
			      "    pool: r\n"
			      "    vcpus: 2\n"
			      "    vcpu_sched:\n"
			      "      - {vcpu: 2, budget: 1ms}\n",
		      12,
		      "vcpu_sched: vcpu 2 does not exist; domain 'd' has 2 "
		      "vCPUs");
	expect_reject(RT_POOL "  - name: d\n"
			      "    pool: r\n"
			      "    vcpu_sched: [{vcpu: 128}]\n",
		      10, "vcpu: 128 is out of range, expected 0..127");
	expect_reject(RT_POOL "  - name: d\n"
			      "    pool: r\n"
			      "    vcpus: 2\n"
			      "    vcpu_sched:\n"
			      "      - {vcpu: 1, budget: 1ms}\n"
			      "      - {vcpu: 0}\n"
			      "      - {vcpu: 1, period: 5ms}\n",
		      14,
		      "vcpu_sched: vcpu 1 is already set at line 12; give each "
		      "vCPU at most once");
	expect_reject(RT_POOL "  - name: d\n"
			      "    pool: r\n"
			      "    vcpu_sched:\n"
			      "      - {budget: 1ms}\n",
		      11, "vcpu_sched entry is missing required key 'vcpu'");
	expect_reject(RT_POOL "  - name: d\n"
			      "    pool: r\n"
			      "    vcpu_sched:\n"
			      "      - {vcpu: 0, weight: 3}\n",
		      11,
		      "unknown key 'weight' in vcpu_sched entry; expected one "
		      "of: vcpu, period, budget, extratime");
	expect_reject(RT_POOL "  - {name: d, pool: r, vcpu_sched: {vcpu: 0}}\n",
		      8, "vcpu_sched: expected a list, got a mapping");
}

static void test_reject_other_schedulers_keys(void **state)
{
	(void)state;
	/* A credit2 key in an rtds domain, and the other way round. */
	expect_reject(RT_POOL "  - {name: x, pool: r, weight: 256}\n", 8,
		      "unknown key 'weight' in domain 'x' (pool 'r' runs "
		      "rtds); expected one of: name, pool, vcpus, cpus, "
		      "workload, period, budget, extratime, vcpu_sched");
	expect_reject(C2_POOL "domains:\n"
			      "  - name: x\n"
			      "    pool: p\n"
			      "    vcpu_sched: []\n",
		      12,
		      "unknown key 'vcpu_sched' in domain 'x' (pool 'p' runs "
		      "credit2); expected one of: name, pool, vcpus, cpus, "
		      "workload, weight, cap");
	expect_reject(NULL_POOL "  - {pool: p, period: 1ms, name: x}\n", 8,
		      "unknown key 'period' in domain 'x' (pool 'p' runs "
		      "null); expected one of: name, pool, vcpus, cpus, "
		      "workload");
	expect_reject(A653_POOL "      - {dom: x, runtime: 5ms}\n"
				"domains:\n"
				"  - {name: x, pool: a, cap: 50}\n",
		      13,
		      "unknown key 'cap' in domain 'x' (pool 'a' runs "
		      "arinc653); expected one of: name, pool, vcpus, cpus, "
		      "workload");
	/* Pool keys. */
	expect_reject(HEAD
		      "  - {name: r, sched: rtds, cpus: 0, ratelimit: 1ms}\n"
		      "domains: [{name: d, pool: r}]\n",
		      6,
		      "unknown key 'ratelimit' in cpupool 'r' (runs rtds); "
		      "expected one of: name, sched, cpus");
	expect_reject(C2_POOL "    major_frame: 10ms\n" C2_DOMAIN, 9,
		      "unknown key 'major_frame' in cpupool 'p' (runs "
		      "credit2); expected one of: name, sched, cpus, "
		      "ratelimit, runqueue, max_cpus_runqueue");
	/* A key no scheduler knows keeps the plain message. */
	expect_reject(RT_POOL "  - {name: x, pool: r, perod: 1ms}\n", 8,
		      "unknown key 'perod' in domain; expected one of: name, "
		      "pool, vcpus, cpus, workload, period, budget, extratime, "
		      "vcpu_sched");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_credit2_keys),
	    cmocka_unit_test(test_credit2_defaults),
	    cmocka_unit_test(test_rtds_keys),
	    cmocka_unit_test(test_parse_bool),
	    cmocka_unit_test(test_topology),
	    cmocka_unit_test(test_reject_topology),
	    cmocka_unit_test(test_reject_credit2_pool),
	    cmocka_unit_test(test_reject_credit2_domain),
	    cmocka_unit_test(test_reject_rtds_values),
	    cmocka_unit_test(test_reject_rtds_budget),
	    cmocka_unit_test(test_reject_rtds_vcpu_sched),
	    cmocka_unit_test(test_reject_other_schedulers_keys),
	};

	return cmocka_run_group_tests_name("scenario_sched", tests, NULL, NULL);
}
