/*
 * Unit tests for the scenario parser (scenario/): value parsing, the full
 * format, the example scenarios, and every rejection with its exact line.
 * Run from the repository root (the examples are loaded by relative path).
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

/* ---- A full scenario, every field checked ------------------------------ */

/* One YAML line per C line, numbered, so the lines below can be checked. */
/* clang-format off */
static const char full_yaml[] =
	"# every key of the format\n"                               /*  1 */
	"name: full\n"                                              /*  2 */
	"duration: 1.5s\n"                                          /*  3 */
	"seed: 18446744073709551615\n"                              /*  4 */
	"machine:\n"                                                /*  5 */
	"  pcpus: 8\n"                                              /*  6 */
	"  l2: {size: 512KiB, ways: 8, line: 32}\n"                 /*  7 */
	"  costs: {trap_entry: 1us, ipi: 0ns}\n"                    /*  8 */
	"cpupools:\n"                                               /*  9 */
	"  - name: part\n"                                          /* 10 */
	"    sched: arinc653\n"                                     /* 11 */
	"    cpus: 0\n"                                             /* 12 */
	"    major_frame: 20ms\n"                                   /* 13 */
	"    schedule:\n"                                           /* 14 */
	"      - {dom: a, runtime: 5ms}\n"                          /* 15 */
	"      - {dom: a, vcpu: 1, runtime: 7.5ms}\n"               /* 16 */
	"  - name: rt\n"                                            /* 17 */
	"    sched: null\n"                                         /* 18 */
	"    cpus: \"2-3, 5\"\n"                                    /* 19 */
	"domains:\n"                                                /* 20 */
	"  - name: a\n"                                             /* 21 */
	"    pool: part\n"                                          /* 22 */
	"    vcpus: 2\n"                                            /* 23 */
	"  - name: b\n"                                             /* 24 */
	"    pool: rt\n"                                            /* 25 */
	"    vcpus: 3\n"                                            /* 26 */
	"    cpus: [\"2\", 3, \"2-3\"]\n"                           /* 27 */
	"    workload:\n"                                           /* 28 */
	"      tasks:\n"                                            /* 29 */
	"        - name: per\n"                                     /* 30 */
	"          vcpu: 1\n"                                       /* 31 */
	"          period: 10ms\n"                                  /* 32 */
	"          offset: 1ms\n"                                   /* 33 */
	"          priority: -3\n"                                  /* 34 */
	"          exec: {dist: uniform, min: 1ms, max: 2ms}\n"     /* 35 */
	"        - name: spo\n"                                     /* 36 */
	"          sporadic: {min_interarrival: 4ms,\n"             /* 37 */
	"                     max_interarrival: 9ms}\n"             /* 38 */
	"          deadline: 3ms\n"                                 /* 39 */
	"          priority: 7\n"                                   /* 40 */
	"          exec: {dist: normal, mean: 300us,\n"             /* 41 */
	"                 stddev: 50us, min: 100us, max: 500us}\n"  /* 42 */
	"        - name: dflt\n"                                    /* 43 */
	"          sporadic: {min_interarrival: 6ms}\n"             /* 44 */
	"          priority: 8\n"                                   /* 45 */
	"          exec: 250us\n"                                   /* 46 */
	"      irqs:\n"                                             /* 47 */
	"        - {name: tick, vcpu: 2, period: 1ms,\n"            /* 48 */
	"           jitter: 20us, offset: 3us, handler: 4us}\n"     /* 49 */
	"        - {name: rx, handler: 9us, sporadic:\n"            /* 50 */
	"           {min_interarrival: 200us, jitter: 800us}}\n"    /* 51 */
	"      hogs:\n"                                             /* 52 */
	"        - {vcpu: 2}\n"                                     /* 53 */
	"        - {}\n"                                            /* 54 */
	"budgets:\n"                                                /* 55 */
	"  - {metric: irq_latency, stat: p99.99, max: 10us}\n"      /* 56 */
	"  - {metric: task_response, stat: max, domain: b,\n"       /* 57 */
	"     task: spo, max: 3ms}\n";                              /* 58 */
/* clang-format on */

static void check_full_machine(const struct scenario *s)
{
	assert_string_equal(s->name, "full");
	assert_string_equal(s->path, "t.yaml");
	assert_int_equal(s->duration, HV_MS(1500));
	assert_true(s->seed == UINT64_MAX);
	assert_true(s->hash == fnv1a(full_yaml, strlen(full_yaml)));
	assert_int_equal(s->machine.pcpus, 8);
	assert_int_equal(s->machine.l2_size, 512 * 1024);
	assert_int_equal(s->machine.l2_ways, 8);
	assert_int_equal(s->machine.l2_line, 32);
	assert_int_equal(s->machine.costs.trap_entry, HV_US(1));
	assert_int_equal(s->machine.costs.ipi, 0);
	/* Keys not given keep their defaults. */
	assert_int_equal(s->machine.costs.trap_exit, 500);
	assert_int_equal(s->machine.costs.virq_inject, 2200);
	assert_int_equal(s->machine.costs.sched_invoke, 1000);
	assert_int_equal(s->machine.costs.ctx_switch, 2000);
}

static void check_full_pools(const struct scenario *s)
{
	const struct scn_pool *p = &s->pools[0];

	assert_int_equal(s->nr_pools, 2);
	assert_string_equal(p->name, "part");
	assert_string_equal(p->sched, "arinc653");
	assert_mask(&p->cpus, "0");
	assert_int_equal(p->major_frame, HV_MS(20));
	assert_int_equal(p->line, 10);
	assert_int_equal(p->nr_a653, 2);
	assert_int_equal(p->a653[0].domain, 0);
	assert_int_equal(p->a653[0].vcpu, 0);
	assert_int_equal(p->a653[0].runtime, HV_MS(5));
	assert_int_equal(p->a653[0].line, 15);
	assert_int_equal(p->a653[1].vcpu, 1);
	assert_int_equal(p->a653[1].runtime, HV_US(7500));
	p = &s->pools[1];
	assert_string_equal(p->name, "rt");
	assert_string_equal(p->sched, "null");
	assert_mask(&p->cpus, "2-3,5");
	assert_int_equal(p->major_frame, 0);
	assert_null(p->a653);
	assert_int_equal(p->nr_a653, 0);
}

static void check_full_domains(const struct scenario *s)
{
	const struct scn_domain *a = &s->domains[0], *b = &s->domains[1];

	assert_int_equal(s->nr_domains, 2);
	assert_string_equal(a->name, "a");
	assert_int_equal(a->domid, 1);
	assert_int_equal(a->pool, 0);
	assert_int_equal(a->nr_vcpus, 2);
	assert_int_equal(a->line, 21);
	/* No "cpus": every vCPU gets the pool's CPUs. */
	assert_mask(&a->hard_affinity[0], "0");
	assert_mask(&a->hard_affinity[1], "0");
	assert_int_equal(a->nr_tasks + a->nr_irqs + a->nr_hogs, 0);
	assert_string_equal(b->name, "b");
	assert_int_equal(b->domid, 2);
	assert_int_equal(b->pool, 1);
	assert_int_equal(b->nr_vcpus, 3);
	assert_mask(&b->hard_affinity[0], "2");
	assert_mask(&b->hard_affinity[1], "3");
	assert_mask(&b->hard_affinity[2], "2-3");
	assert_int_equal(scenario_find_domain(s, "b"), 1);
	assert_int_equal(scenario_find_domain(s, "zz"), -1);
}

static void check_full_tasks(const struct scn_domain *b)
{
	const struct scn_task *t = &b->tasks[0];

	assert_int_equal(b->nr_tasks, 3);
	assert_string_equal(t->name, "per");
	assert_int_equal(t->vcpu, 1);
	assert_false(t->sporadic);
	assert_int_equal(t->period, HV_MS(10));
	assert_int_equal(t->offset, HV_MS(1));
	assert_int_equal(t->deadline, HV_MS(10)); /* defaults to period */
	assert_int_equal(t->priority, -3);
	assert_int_equal(t->exec.kind, SCN_DIST_UNIFORM);
	assert_int_equal(t->exec.min, HV_MS(1));
	assert_int_equal(t->exec.max, HV_MS(2));
	assert_int_equal(t->line, 30);
	t = &b->tasks[1];
	assert_true(t->sporadic);
	assert_int_equal(t->vcpu, 0);
	assert_int_equal(t->period, HV_MS(4));
	assert_int_equal(t->max_interarrival, HV_MS(9));
	assert_int_equal(t->deadline, HV_MS(3));
	assert_int_equal(t->priority, 7);
	assert_int_equal(t->exec.kind, SCN_DIST_NORMAL);
	assert_int_equal(t->exec.mean, HV_US(300));
	assert_int_equal(t->exec.stddev, HV_US(50));
	assert_int_equal(t->exec.min, HV_US(100));
	assert_int_equal(t->exec.max, HV_US(500));
	t = &b->tasks[2];
	assert_int_equal(t->max_interarrival, HV_MS(6)); /* defaults to min */
	assert_int_equal(t->deadline, HV_MS(6));
	assert_int_equal(t->exec.kind, SCN_DIST_CONST);
	assert_int_equal(t->exec.min, HV_US(250));
	assert_int_equal(t->exec.max, HV_US(250));
}

static void check_full_irqs_hogs(const struct scn_domain *b)
{
	const struct scn_irq *q = &b->irqs[0];

	assert_int_equal(b->nr_irqs, 2);
	assert_string_equal(q->name, "tick");
	assert_int_equal(q->vcpu, 2);
	assert_false(q->sporadic);
	assert_int_equal(q->period, HV_MS(1));
	assert_int_equal(q->jitter, HV_US(20));
	assert_int_equal(q->offset, HV_US(3));
	assert_int_equal(q->handler.kind, SCN_DIST_CONST);
	assert_int_equal(q->handler.max, HV_US(4));
	assert_int_equal(q->line, 48);
	q = &b->irqs[1];
	assert_true(q->sporadic);
	assert_int_equal(q->vcpu, 0);
	assert_int_equal(q->period, HV_US(200));
	assert_int_equal(q->jitter, HV_US(800));
	assert_int_equal(q->offset, 0);
	assert_int_equal(b->nr_hogs, 2);
	assert_int_equal(b->hogs[0].vcpu, 2);
	assert_int_equal(b->hogs[0].line, 53);
	assert_int_equal(b->hogs[1].vcpu, 0);
}

static void check_full_budgets(const struct scenario *s)
{
	assert_int_equal(s->nr_budgets, 2);
	assert_string_equal(s->budgets[0].metric, "irq_latency");
	assert_string_equal(s->budgets[0].stat, "p99.99");
	assert_int_equal(s->budgets[0].domain, -1);
	assert_string_equal(s->budgets[0].task, "");
	assert_int_equal(s->budgets[0].max, HV_US(10));
	assert_int_equal(s->budgets[0].line, 56);
	assert_string_equal(s->budgets[1].metric, "task_response");
	assert_string_equal(s->budgets[1].stat, "max");
	assert_int_equal(s->budgets[1].domain, 1);
	assert_string_equal(s->budgets[1].task, "spo");
	assert_int_equal(s->budgets[1].max, HV_MS(3));
}

static void test_full_scenario(void **state)
{
	struct scenario *s = load_ok(full_yaml);

	(void)state;
	check_full_machine(s);
	check_full_pools(s);
	check_full_domains(s);
	check_full_tasks(&s->domains[1]);
	check_full_irqs_hogs(&s->domains[1]);
	check_full_budgets(s);
	scenario_free(s);
}

static void test_defaults(void **state)
{
	struct scenario *s = load_ok(NULL_POOL "  - {name: d, pool: p}\n");
	struct scn_costs c;

	(void)state;
	assert_int_equal(s->seed, 1);
	assert_int_equal(s->machine.l2_size, 1024 * 1024);
	assert_int_equal(s->machine.l2_ways, 16);
	assert_int_equal(s->machine.l2_line, 64);
	scenario_default_costs(&c);
	assert_memory_equal(&s->machine.costs, &c, sizeof(c));
	assert_int_equal(s->domains[0].nr_vcpus, 1);
	assert_mask(&s->domains[0].hard_affinity[0], "0-3");
	assert_int_equal(s->nr_budgets, 0);
	assert_null(s->budgets);
	/* One thread per core, every core in one socket. */
	assert_int_equal(s->machine.threads_per_core, 1);
	assert_int_equal(s->machine.cores_per_socket, 4);
	/* Other schedulers' members stay 0 outside their pools. */
	assert_int_equal(s->pools[0].ratelimit, 0);
	assert_int_equal(s->pools[0].runqueue, 0);
	assert_int_equal(s->pools[0].max_cpus_runqueue, 0);
	assert_int_equal(s->domains[0].weight, 0);
	assert_int_equal(s->domains[0].cap, 0);
	assert_null(s->domains[0].rtds);
	scenario_free(s);
}

static void test_default_costs(void **state)
{
	struct scn_costs c;

	(void)state;
	scenario_default_costs(&c);
	assert_int_equal(c.trap_entry, 500);
	assert_int_equal(c.trap_exit, 500);
	assert_int_equal(c.virq_inject, 2200);
	assert_int_equal(c.sched_invoke, 1000);
	assert_int_equal(c.ctx_switch, 2000);
	assert_int_equal(c.ipi, 1000);
	/* The solo IRQ path equals the Shedding Light Xen figure, 3.2 us. */
	assert_int_equal(c.trap_entry + c.virq_inject + c.trap_exit, 3200);
}

/* ---- The example scenarios ---------------------------------------------- */

static void example_loads(const char *path)
{
	struct scenario *s = NULL;
	size_t size = 0;
	char *msgs = NULL;
	FILE *err = open_memstream(&msgs, &size);
	int rc;

	assert_non_null(err);
	rc = scenario_load(path, err, &s);
	fclose(err);
	if (rc)
		print_message("%s", msgs);
	assert_int_equal(rc, 0);
	assert_string_equal(msgs, "");
	assert_string_equal(s->path, path);
	scenario_free(s);
	free(msgs);
}

static void test_example_demo(void **state)
{
	struct scenario *s;

	(void)state;
	example_loads("bench/scenarios/demo.yaml");
	assert_int_equal(scenario_load("bench/scenarios/demo.yaml", NULL, &s),
			 0);
	assert_int_equal(s->machine.pcpus, 4);
	assert_int_equal(s->duration, HV_S(2));
	assert_int_equal(s->seed, 42);
	assert_int_equal(s->nr_pools, 2);
	assert_int_equal(s->pools[0].major_frame, HV_MS(20));
	assert_int_equal(s->pools[0].a653[0].runtime, HV_MS(10));
	assert_int_equal(s->pools[0].a653[1].runtime, HV_MS(8));
	assert_int_equal(s->nr_domains, 5);
	assert_mask(
	    &s->domains[scenario_find_domain(s, "ctrl")].hard_affinity[0], "1");
	scenario_free(s);
}

static void test_example_avionics(void **state)
{
	(void)state;
	example_loads("bench/scenarios/arinc653-avionics.yaml");
}

static void test_example_null_dedicated(void **state)
{
	(void)state;
	example_loads("bench/scenarios/null-dedicated.yaml");
}

static void test_example_irq_latency(void **state)
{
	(void)state;
	example_loads("bench/scenarios/irq-latency.yaml");
}

/* ---- Values ------------------------------------------------------------ */

static hv_time_t time_ok(const char *text)
{
	char msg[SCN_MSG_MAX];
	hv_time_t t = -1;

	if (!scn_parse_time(text, &t, msg, sizeof(msg)))
		fail_msg("%s: %s", text, msg);
	return t;
}

static void time_bad(const char *text, const char *why)
{
	char msg[SCN_MSG_MAX];
	hv_time_t t = -1;

	assert_false(scn_parse_time(text, &t, msg, sizeof(msg)));
	assert_int_equal(t, -1);
	if (!strstr(msg, why))
		fail_msg("%s: '%s' not in '%s'", text, why, msg);
}

static void test_time_units(void **state)
{
	(void)state;
	assert_int_equal(time_ok("0ns"), 0);
	assert_int_equal(time_ok("7ns"), 7);
	assert_int_equal(time_ok("500us"), 500000);
	assert_int_equal(time_ok("20ms"), 20000000);
	assert_int_equal(time_ok("3s"), 3000000000);
	assert_int_equal(time_ok("10 us"), 10000);
	time_bad("5sec", "unknown unit");
	time_bad("5m", "unknown unit");
	time_bad("5 MS", "unknown unit");
	time_bad("-1ms", "negative");
	time_bad("ms", "not a time");
	time_bad("", "not a time");
	time_bad("1e3us", "unknown unit");
}

static void test_time_decimals(void **state)
{
	(void)state;
	assert_int_equal(time_ok("1.5ms"), 1500000);
	assert_int_equal(time_ok("0.3ms"), 300000);
	assert_int_equal(time_ok("1.1ms"), 1100000);
	assert_int_equal(time_ok("2.000ns"), 2);
	assert_int_equal(time_ok("16.666667ms"), 16666667);
	assert_int_equal(time_ok("0.000000001s"), 1);
	assert_int_equal(time_ok("1.0000000000000000000000s"), HV_S(1));
	time_bad("1.5ns", "not a whole number of nanoseconds");
	time_bad("0.0000000001s", "not a whole number of nanoseconds");
	time_bad("1.0000000000000000000001s", "not a whole number");
	time_bad("1.ms", "not a time");
	time_bad(".5ms", "not a time");
	time_bad("1.2.3ms", "unknown unit");
}

static void test_time_bare_number(void **state)
{
	(void)state;
	time_bad("500", "time needs a unit (ns, us, ms, s), e.g. 500us");
	time_bad("0", "time needs a unit");
	time_bad("1.5", "time needs a unit");
	/* Through the file: the key and the line are in front. */
	expect_reject(
	    "name: t\nduration: 2\n" TAIL, 2,
	    "duration: time needs a unit (ns, us, ms, s), e.g. 500us");
}

static void test_time_overflow(void **state)
{
	(void)state;
	assert_int_equal(time_ok("9223372036854775807ns"), INT64_MAX);
	assert_int_equal(time_ok("9223372036.854775807s"), INT64_MAX);
	time_bad("9223372036854775808ns", "too large");
	time_bad("9223372037s", "too large");
	time_bad("99999999999999999999999999ms", "too large");
	time_bad("18446744073709551616s", "too large");
	expect_reject("name: t\nduration: 9223372037s\n" TAIL, 2, "too large");
	expect_reject("name: t\nduration: 3601s\n" TAIL, 2,
		      "duration: 3601s is longer than the limit of 1 hour");
}

static void test_cpu_lists(void **state)
{
	struct cpumask m;
	char msg[SCN_MSG_MAX];

	(void)state;
	assert_mask((m = mask_of("0-3,5,7-8"), &m), "0-3,5,7-8");
	assert_mask((m = mask_of("3"), &m), "3");
	assert_mask((m = mask_of(" 1 - 2 , 4 "), &m), "1-2,4");
	assert_mask((m = mask_of("127"), &m), "127");
	assert_mask((m = mask_of("5,0"), &m), "0,5");
	assert_mask((m = mask_of("60-70"), &m), "60-70");
	assert_int_equal(cpumask_weight(&m), 11);
	assert_false(scn_parse_cpus("3-1", &m, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "descending; write it as 1-3"));
	assert_false(scn_parse_cpus("128", &m, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "out of range, expected cpus 0..127"));
	assert_false(
	    scn_parse_cpus("99999999999999999999999", &m, msg, sizeof(msg)));
	assert_false(scn_parse_cpus("1,1", &m, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "cpu 1 is listed twice"));
	assert_false(scn_parse_cpus("", &m, msg, sizeof(msg)));
	assert_false(scn_parse_cpus("1,", &m, msg, sizeof(msg)));
	assert_false(scn_parse_cpus("1;2", &m, msg, sizeof(msg)));
	assert_false(scn_parse_cpus("a-b", &m, msg, sizeof(msg)));
	assert_false(scn_parse_cpus("-1", &m, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "not a CPU list"));
}

static void test_integers_and_sizes(void **state)
{
	char msg[SCN_MSG_MAX];
	uint64_t u;
	int64_t v;

	(void)state;
	assert_true(scn_parse_int("-12", -100, 100, &v, msg, sizeof(msg)));
	assert_int_equal(v, -12);
	assert_true(scn_parse_int("-9223372036854775808", INT64_MIN, 0, &v, msg,
				  sizeof(msg)));
	assert_true(v == INT64_MIN);
	assert_false(scn_parse_int("0", 1, 128, &v, msg, sizeof(msg)));
	assert_string_equal(msg, "0 is out of range, expected 1..128");
	assert_false(scn_parse_int("99999999999999999999", 1, 128, &v, msg,
				   sizeof(msg)));
	assert_non_null(strstr(msg, "out of range, expected 1..128"));
	assert_false(scn_parse_int("1.5", 1, 128, &v, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "is not an integer"));
	assert_false(scn_parse_int("4x", 1, 128, &v, msg, sizeof(msg)));
	assert_false(scn_parse_int("0x4", 1, 128, &v, msg, sizeof(msg)));
	assert_false(scn_parse_int("", 1, 128, &v, msg, sizeof(msg)));
	assert_true(
	    scn_parse_u64("18446744073709551615", &u, msg, sizeof(msg)));
	assert_true(u == UINT64_MAX);
	assert_false(
	    scn_parse_u64("18446744073709551616", &u, msg, sizeof(msg)));
	assert_false(scn_parse_u64("-1", &u, msg, sizeof(msg)));
	assert_true(scn_parse_size("1MiB", &u, msg, sizeof(msg)));
	assert_int_equal(u, 1 << 20);
	assert_true(scn_parse_size("64 KiB", &u, msg, sizeof(msg)));
	assert_int_equal(u, 64 << 10);
	assert_true(scn_parse_size("4096B", &u, msg, sizeof(msg)));
	assert_int_equal(u, 4096);
	assert_false(scn_parse_size("1024", &u, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "size needs a unit (B, KiB, MiB, GiB)"));
	assert_false(scn_parse_size("1.5MiB", &u, msg, sizeof(msg)));
	assert_false(scn_parse_size("1GB", &u, msg, sizeof(msg)));
	assert_false(
	    scn_parse_size("99999999999999999MiB", &u, msg, sizeof(msg)));
}

static void test_names(void **state)
{
	char msg[SCN_MSG_MAX];

	(void)state;
	assert_true(scn_check_name("flight_ctl-2.a", msg, sizeof(msg)));
	assert_true(scn_check_name("abcdefghijklmnopqrstuvwxyz01234", msg,
				   sizeof(msg)));
	assert_false(scn_check_name("abcdefghijklmnopqrstuvwxyz012345", msg,
				    sizeof(msg)));
	assert_non_null(strstr(msg, "expected at most 31"));
	assert_false(scn_check_name("a b", msg, sizeof(msg)));
	assert_non_null(strstr(msg, "contains ' '"));
	assert_false(scn_check_name("", msg, sizeof(msg)));
	expect_reject("name: \"a\\nb\"\nduration: 1s\n" TAIL, 1,
		      "contains character 0x0a");
}

static void test_formatting(void **state)
{
	char buf[64];

	(void)state;
	scn_format_time(HV_MS(25), buf, sizeof(buf));
	assert_string_equal(buf, "25ms");
	scn_format_time(HV_US(25500), buf, sizeof(buf));
	assert_string_equal(buf, "25500us");
	scn_format_time(0, buf, sizeof(buf));
	assert_string_equal(buf, "0ns");
	scn_format_time(HV_S(3), buf, sizeof(buf));
	assert_string_equal(buf, "3s");
	scn_format_size(1 << 20, buf, sizeof(buf));
	assert_string_equal(buf, "1MiB");
	scn_quote("a\nb", buf, sizeof(buf));
	assert_string_equal(buf, "'a?b'");
	scn_quote("0123456789012345678901234567890123456789xyz", buf,
		  sizeof(buf));
	assert_string_equal(buf,
			    "'0123456789012345678901234567890123456789...'");
}

/* ---- Pinning (xl.cfg cpus=) ------------------------------------------- */

static void test_pinning_xl_style(void **state)
{
	struct scenario *s = load_ok(
	    NULL_POOL
	    "  - {name: all, pool: p, vcpus: 2, cpus: \"2-3\"}\n"
	    "  - {name: per, pool: p, cpus: [\"0\", 1, \"0-1,3\"], vcpus: 3}\n"
	    "  - {name: one, pool: p, cpus: 2}\n"
	    "  - {name: any, pool: p, vcpus: 2}\n");

	(void)state;
	assert_mask(&s->domains[0].hard_affinity[0], "2-3");
	assert_mask(&s->domains[0].hard_affinity[1], "2-3");
	assert_mask(&s->domains[1].hard_affinity[0], "0");
	assert_mask(&s->domains[1].hard_affinity[1], "1");
	assert_mask(&s->domains[1].hard_affinity[2], "0-1,3");
	assert_mask(&s->domains[2].hard_affinity[0], "2");
	assert_mask(&s->domains[3].hard_affinity[1], "0-3");
	scenario_free(s);
}

static void test_reject_pinning_list_length(void **state)
{
	(void)state;
	expect_reject(NULL_POOL "  - name: d\n"
				"    pool: p\n"
				"    vcpus: 3\n"
				"    cpus: [\"0\", \"1\"]\n",
		      11, "cpus: 2 CPU lists for 3 vCPUs");
}

static void test_reject_pinning_outside_pool(void **state)
{
	(void)state;
	expect_reject(HEAD "  - {name: rt, sched: null, cpus: 2-3}\n"
			   "domains:\n"
			   "  - name: d\n"
			   "    pool: rt\n"
			   "    vcpus: 2\n"
			   "    cpus: [\"2\", \"3,1\"]\n",
		      11,
		      "cpus: vcpu 1 pinned to cpu 1, which is not in pool 'rt' "
		      "(cpus 2-3)");
}

/* ---- Rejections, each with its line -------------------------------------- */

static void test_reject_unknown_key(void **state)
{
	(void)state;
	expect_reject(
	    NULL_POOL "  - name: d\n"
		      "    pool: p\n"
		      "    workload:\n"
		      "      tasks:\n"
		      "        - name: t\n"
		      "          perod: 1ms\n"
		      "          priority: 1\n"
		      "          exec: 1ms\n",
	    13,
	    "unknown key 'perod' in task; expected one of: name, vcpu, period, "
	    "sporadic, offset, deadline, priority, exec");
	expect_reject("name: t\nfoo: 1\n", 2, "unknown key 'foo' in scenario");
}

static void test_reject_wrong_type(void **state)
{
	(void)state;
	expect_reject("name: t\nduration: 1s\nmachine: {pcpus: 1}\n"
		      "cpupools:\n  a: 1\ndomains: []\n",
		      5, "cpupools: expected a list, got a mapping");
	expect_reject("name: [a]\nduration: 1s\n" TAIL, 1,
		      "name: expected a name, got a list");
	expect_reject(NULL_POOL "  - {name: d, pool: p, vcpus: {a: 1}}\n", 8,
		      "vcpus: expected an integer, got a mapping");
	expect_reject(NULL_POOL "  - name: d\n    pool: p\n    workload: 3\n",
		      10, "workload: expected a mapping, got a scalar");
	expect_reject("name: t\nduration:\n" TAIL, 2,
		      "duration: expected a time such as 500us, got nothing");
	expect_reject("? [a, b]\n: 1\nname: t\nduration: 1s\n" TAIL, 1,
		      "expected a key name in scenario, got a list");
}

static void test_reject_duplicate_key(void **state)
{
	(void)state;
	expect_reject(NULL_POOL "  - name: d\n"
				"    pool: p\n"
				"    vcpus: 1\n"
				"    vcpus: 2\n",
		      11, "duplicate key 'vcpus' in domain (first at line 10)");
}

static void test_reject_duplicate_names(void **state)
{
	(void)state;
	expect_reject(NULL_POOL "  - {name: d, pool: p}\n"
				"  - {name: d, pool: p}\n",
		      9, "duplicate domain name 'd' (first at line 8)");
	expect_reject(NULL_POOL
		      "  - name: d\n"
		      "    pool: p\n"
		      "    workload:\n"
		      "      irqs:\n"
		      "        - {name: i, period: 1ms, handler: 1us}\n"
		      "        - {name: i, period: 2ms, handler: 1us}\n",
		      13, "duplicate irq name 'i' (first at line 12)");
}

static void test_reject_out_of_range(void **state)
{
	(void)state;
	expect_reject(NULL_POOL "  - {name: d, pool: p, vcpus: 0}\n", 8,
		      "vcpus: 0 is out of range, expected 1..128");
	expect_reject(
	    "name: t\nduration: 1s\nmachine:\n  pcpus: 129\n" POOLS_TAIL, 4,
	    "pcpus: 129 is out of range, expected 1..128");
	expect_reject("name: t\nduration: 1s\nmachine:\n"
		      "  pcpus: 99999999999999999999999\n" POOLS_TAIL,
		      4, "out of range, expected 1..128");
	expect_reject(
	    "name: t\nduration: 1s\nmachine:\n  pcpus: 2.0\n" POOLS_TAIL, 4,
	    "pcpus: '2.0' is not an integer");
	expect_reject("name: t\nduration: 1s\nmachine:\n  pcpus: 2\n"
		      "  l2: {line: 48}\n" POOLS_TAIL,
		      5, "line: 48 is not a power of two");
	expect_reject("name: t\nduration: 1s\nmachine:\n  pcpus: 2\n"
		      "  l2:\n    ways: 65\n" POOLS_TAIL,
		      6, "ways: 65 is out of range, expected 1..64");
}

static void test_reject_cpu_beyond_machine(void **state)
{
	(void)state;
	expect_reject(HEAD "  - {name: p, sched: null, cpus: 2-4}\n"
			   "domains:\n  - {name: d, pool: p}\n",
		      6, "cpus: cpu 4 does not exist; the machine has 4 pCPUs");
}

static void test_reject_pcpu_in_two_pools(void **state)
{
	(void)state;
	expect_reject(HEAD "  - name: a\n"
			   "    sched: null\n"
			   "    cpus: 0-1\n"
			   "  - name: b\n"
			   "    sched: null\n"
			   "    cpus: 1-2\n"
			   "domains:\n"
			   "  - {name: d, pool: a}\n",
		      11, "cpus: pCPU 1 is already in cpupool 'a' (line 8)");
}

static void test_reject_unknown_scheduler(void **state)
{
	(void)state;
	expect_reject(HEAD "  - name: p\n"
			   "    sched: credit3\n"
			   "    cpus: 0\n"
			   "domains: [{name: d, pool: p}]\n",
		      7,
		      "sched: unknown scheduler 'credit3'; expected one of: "
		      "null, arinc653, credit2, rtds");
}

static void test_reject_sched_specific_key(void **state)
{
	(void)state;
	expect_reject(HEAD "  - name: p\n"
			   "    sched: null\n"
			   "    cpus: 0\n"
			   "    major_frame: 10ms\n"
			   "domains: [{name: d, pool: p}]\n",
		      9,
		      "unknown key 'major_frame' in cpupool 'p' (runs null); "
		      "expected one of: name, sched, cpus");
	expect_reject(HEAD "  - name: p\n"
			   "    sched: arinc653\n"
			   "    cpus: 0\n"
			   "    major_frame: 10ms\n"
			   "domains: [{name: d, pool: p}]\n",
		      6, "cpupool is missing required key 'schedule'");
}

/* An ARINC653 pool on cpu 0 (lines 6-10) and the domain list. */
static void test_reject_a653_too_long(void **state)
{
	(void)state;
	expect_reject(A653_POOL "      - {dom: x, runtime: 15ms}\n"
				"      - {dom: y, runtime: 10ms}\n"
				"domains:\n"
				"  - {name: x, pool: a}\n"
				"  - {name: y, pool: a}\n",
		      10, "schedule is 25ms long but major_frame is 20ms");
}

static void test_reject_a653_unknown_domain(void **state)
{
	(void)state;
	expect_reject(A653_POOL "      - {dom: x, runtime: 5ms}\n"
				"      - {dom: ghost, runtime: 5ms}\n"
				"domains:\n"
				"  - {name: x, pool: a}\n",
		      12, "schedule: unknown domain 'ghost'");
}

static void test_reject_a653_bad_entries(void **state)
{
	char table[4096];
	size_t used;

	(void)state;
	/* One more entry than Xen's ARINC653_MAX_DOMAINS_PER_SCHEDULE. */
	used = (size_t)snprintf(table, sizeof(table), "%s",
				HEAD "  - name: a\n"
				     "    sched: arinc653\n"
				     "    cpus: 0\n"
				     "    major_frame: 1s\n"
				     "    schedule: [");
	for (int i = 0; i < 65; i++)
		used +=
		    (size_t)snprintf(table + used, sizeof(table) - used,
				     "%s{dom: x, runtime: 1ms}", i ? ", " : "");
	snprintf(table + used, sizeof(table) - used,
		 "]\ndomains: [{name: x, pool: a}]\n");
	/* The named domain lives in another pool. */
	expect_reject(
	    HEAD "  - {name: a, sched: arinc653, cpus: 0, major_frame: 20ms,\n"
		 "     schedule: [{dom: x, runtime: 5ms}]}\n"
		 "  - {name: r, sched: null, cpus: 1}\n"
		 "domains:\n"
		 "  - {name: x, pool: r}\n",
	    7, "schedule: domain 'x' is in cpupool 'r', not in 'a'");
	/* The named vCPU does not exist. */
	expect_reject(A653_POOL "      - {dom: x, vcpu: 1, runtime: 5ms}\n"
				"domains:\n"
				"  - {name: x, pool: a}\n",
		      11, "schedule: domain 'x' has no vcpu 1 (it has 1 vCPU)");
	/* Zero runtime, and more than Xen's 64 entries. */
	expect_reject(A653_POOL "      - {dom: x, runtime: 0ms}\n"
				"domains: [{name: x, pool: a}]\n",
		      11, "runtime: expected a time > 0, got 0ms");
	expect_reject(table, 10,
		      "schedule: 65 entries are too many, expected at most 64");
}

static void test_reject_task_rules(void **state)
{
	(void)state;
	/* Both arrival models. */
	expect_reject(NULL_POOL "  - name: d\n"
				"    pool: p\n"
				"    workload:\n"
				"      tasks:\n"
				"        - name: t\n"
				"          period: 1ms\n"
				"          priority: 1\n"
				"          exec: 1ms\n"
				"          sporadic: {min_interarrival: 1ms}\n",
		      16, "task 't' has both period and sporadic");
	/* Neither. */
	expect_reject(NULL_POOL "  - name: d\n"
				"    pool: p\n"
				"    workload:\n"
				"      tasks:\n"
				"        - {name: t, priority: 1, exec: 1ms}\n",
		      12, "task 't' needs either period or sporadic");
	/* Two tasks with one priority on one vCPU. */
	expect_reject(
	    NULL_POOL
	    "  - name: d\n"
	    "    pool: p\n"
	    "    workload:\n"
	    "      tasks:\n"
	    "        - {name: a, period: 1ms, priority: 5, exec: 1us}\n"
	    "        - {name: b, period: 2ms, priority: 5, exec: 1us}\n",
	    13,
	    "task 'b': priority 5 is already used by task 'a' (line 12) on "
	    "vcpu 0");
	/* A vCPU the domain does not have. */
	expect_reject(
	    NULL_POOL "  - name: d\n"
		      "    pool: p\n"
		      "    vcpus: 2\n"
		      "    workload:\n"
		      "      tasks:\n"
		      "        - {name: a, vcpu: 2, period: 1ms, priority: 5, "
		      "exec: 1us}\n",
	    13, "task 'a': vcpu 2 does not exist; domain 'd' has 2 vCPUs");
	expect_reject(
	    NULL_POOL "  - name: d\n"
		      "    pool: p\n"
		      "    workload:\n"
		      "      tasks:\n"
		      "        - name: a\n"
		      "          sporadic: {min_interarrival: 2ms, "
		      "max_interarrival: 1ms}\n"
		      "          priority: 1\n"
		      "          exec: 1us\n",
	    13, "max_interarrival: 1ms is shorter than min_interarrival 2ms");
}

static void test_reject_irq_rules(void **state)
{
	(void)state;
	expect_reject(NULL_POOL "  - name: d\n"
				"    pool: p\n"
				"    workload:\n"
				"      irqs:\n"
				"        - name: i\n"
				"          period: 1ms\n"
				"          jitter: 1ms\n"
				"          handler: 1us\n",
		      14, "jitter: 1ms must be shorter than the period, 1ms");
	expect_reject(
	    NULL_POOL "  - name: d\n"
		      "    pool: p\n"
		      "    workload:\n"
		      "      irqs:\n"
		      "        - name: i\n"
		      "          sporadic: {min_interarrival: 1ms}\n"
		      "          jitter: 1us\n"
		      "          handler: 1us\n",
	    14, "jitter: a sporadic irq takes its jitter inside sporadic");
	expect_reject(NULL_POOL
		      "  - name: d\n"
		      "    pool: p\n"
		      "    workload:\n"
		      "      irqs:\n"
		      "        - {name: i, period: 1ms, handler: 0us}\n",
		      12, "handler: expected a time > 0, got 0us");
	expect_reject(NULL_POOL "  - name: d\n"
				"    pool: p\n"
				"    workload:\n"
				"      hogs:\n"
				"        - {vcpu: 1}\n",
		      12, "hog: vcpu 1 does not exist; domain 'd' has 1 vCPU");
}

static void test_reject_distributions(void **state)
{
	(void)state;
	expect_reject(NULL_POOL "  - name: d\n"
				"    pool: p\n"
				"    workload:\n"
				"      tasks:\n"
				"        - name: t\n"
				"          period: 1ms\n"
				"          priority: 1\n"
				"          exec:\n"
				"            dist: uniform\n"
				"            min: 3us\n"
				"            max: 2us\n",
		      17, "exec: min 3us is larger than max 2us");
	expect_reject(NULL_POOL "  - name: d\n"
				"    pool: p\n"
				"    workload:\n"
				"      tasks:\n"
				"        - name: t\n"
				"          period: 1ms\n"
				"          priority: 1\n"
				"          exec:\n"
				"            dist: normal\n"
				"            mean: 10us\n"
				"            stddev: 1us\n"
				"            max: 20us\n",
		      16, "exec: dist normal needs 'min'");
	expect_reject(NULL_POOL "  - name: d\n"
				"    pool: p\n"
				"    workload:\n"
				"      irqs:\n"
				"        - name: i\n"
				"          period: 1ms\n"
				"          handler: {dist: normal, mean: 30us, "
				"stddev: 1us, min: 1us, max: 20us}\n",
		      14,
		      "handler: mean 30us is outside [min, max] = [1us, 20us]");
	expect_reject(NULL_POOL "  - name: d\n"
				"    pool: p\n"
				"    workload:\n"
				"      irqs:\n"
				"        - name: i\n"
				"          period: 1ms\n"
				"          handler: {dist: uniform, mean: 3us, "
				"min: 1us, max: 20us}\n",
		      14, "handler: 'mean' only applies to dist: normal");
	expect_reject(
	    NULL_POOL
	    "  - name: d\n"
	    "    pool: p\n"
	    "    workload:\n"
	    "      irqs:\n"
	    "        - name: i\n"
	    "          period: 1ms\n"
	    "          handler: {dist: pareto, min: 1us, max: 20us}\n",
	    14,
	    "dist: unknown value 'pareto'; expected one of: uniform, normal");
}

static void test_reject_budgets(void **state)
{
	(void)state;
	expect_reject(NULL_POOL
		      "  - {name: d, pool: p}\n"
		      "budgets:\n"
		      "  - {metric: irq_latency, stat: p98, max: 1us}\n",
		      10,
		      "stat: unknown value 'p98'; expected one of: min, mean, "
		      "p50, p90, p99, p99.9, p99.99, max");
	expect_reject(NULL_POOL "  - {name: d, pool: p}\n"
				"budgets:\n"
				"  - metric: irq_latency\n"
				"    stat: max\n"
				"    domain: d\n"
				"    task: t\n"
				"    max: 1us\n",
		      13, "task: only valid with metric: task_response");
	expect_reject(NULL_POOL "  - {name: d, pool: p}\n"
				"budgets:\n"
				"  - {metric: task_response, stat: max, "
				"domain: d, task: t, max: 1ms}\n",
		      10, "budget: domain 'd' has no task 't'");
	expect_reject(
	    NULL_POOL
	    "  - {name: d, pool: p}\n"
	    "budgets:\n"
	    "  - {metric: irq_latency, stat: max, domain: e, max: 1ms}\n",
	    10, "domain: unknown domain 'e'; expected one of: d");
}

static void test_reject_unknown_pool(void **state)
{
	(void)state;
	expect_reject(NULL_POOL "  - {name: d, pool: q}\n", 8,
		      "pool: unknown cpupool 'q'; expected one of: p");
}

static void test_reject_missing_key(void **state)
{
	(void)state;
	expect_reject("# no duration\nname: t\nmachine: {pcpus: 1}\n"
		      "cpupools: [{name: p, sched: null, cpus: 0}]\n"
		      "domains: [{name: d, pool: p}]\n",
		      2, "scenario is missing required key 'duration'");
}

static void test_reject_yaml_syntax(void **state)
{
	(void)state;
	expect_reject("name: t\nduration: [1s\nmachine:\n", 3,
		      "YAML syntax error: did not find expected ',' or ']' "
		      "(while parsing a flow sequence)");
	expect_reject("name: t\n  bad: indent\n", 2, "YAML syntax error: ");
	expect_reject("a: 1\n---\nb: 2\n", 2,
		      "a scenario is one YAML document; found a second one");
}

static void test_reject_empty(void **state)
{
	(void)state;
	expect_reject("", 1, "empty scenario");
	expect_reject_len(NULL, 0, 1, "empty scenario");
	expect_reject("# just a comment\n\n", 1, "empty scenario");
	expect_reject("---\n...\n", 2, "empty scenario");
}

static void test_reject_scalar_file(void **state)
{
	(void)state;
	expect_reject("\n\nhello\n", 3,
		      "scenario: expected a mapping, got a scalar");
	expect_reject("- a\n- b\n", 1,
		      "scenario: expected a mapping, got a list");
}

static void test_reject_alias(void **state)
{
	(void)state;
	expect_reject("name: &n t\n"
		      "duration: 1s\n"
		      "other: *n\n",
		      3, "aliases are not supported (alias 'n')");
	/* Billion laughs stops at the first alias, long before any walk. */
	expect_reject("a: &a [x, x, x, x, x, x, x, x, x]\n"
		      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
		      2, "aliases are not supported");
}

static void test_reject_hostile(void **state)
{
	static const char nul[] = "name: t\nduration: 1s\0\n";
	char *deep = malloc(200001);

	(void)state;
	assert_non_null(deep);
	memset(deep, '[', 100000);
	memset(deep + 100000, ']', 100000);
	deep[200000] = '\0';
	expect_reject(deep, 1, "nesting is deeper than 16 levels");
	free(deep);
	expect_reject_len(
	    nul, sizeof(nul) - 1, 2,
	    "YAML syntax error: control characters are not allowed");
	expect_reject("name: \"t\\0x\"\nduration: 1s\n" TAIL, 1,
		      "name: contains a NUL character");
	expect_reject("name: t\nduration: 1s\nmachine: {pcpus: 1}\nseed: "
		      "1e99\n" POOLS_TAIL,
		      4, "seed: '1e99' is not an integer");
	expect_reject("\xff\xfe"
		      "a: 1\n",
		      1, "YAML syntax error");
}

static void test_error_limit(void **state)
{
	char yaml[4096], *msgs, *p;
	size_t used = 0;
	struct scenario *s;
	int lines = 0;

	(void)state;
	used += (size_t)snprintf(yaml, sizeof(yaml), "%s", NULL_POOL);
	for (int i = 0; i < 30; i++)
		used +=
		    (size_t)snprintf(yaml + used, sizeof(yaml) - used,
				     "  - {name: d%d, pool: p, vcpus: 0}\n", i);
	assert_int_equal(load(yaml, used, &s, &msgs), -EINVAL);
	assert_null(s);
	for (p = msgs; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines, 21);
	assert_non_null(
	    strstr(msgs, "t.yaml:28: too many errors, stopping after 20\n"));
	free(msgs);
}

static void test_io_error(void **state)
{
	struct scenario *s = (struct scenario *)&s;
	size_t size = 0;
	char *msgs = NULL;
	FILE *err = open_memstream(&msgs, &size);

	(void)state;
	assert_non_null(err);
	assert_int_equal(scenario_load("no/such/file.yaml", err, &s), -ENOENT);
	fclose(err);
	assert_null(s);
	assert_string_equal(
	    msgs,
	    "no/such/file.yaml: cannot read: No such file or directory\n");
	free(msgs);
	scenario_free(NULL);
	assert_int_equal(scenario_find_domain(NULL, "x"), -1);
}

static void test_path_and_hash(void **state)
{
	static const char yaml[] = NULL_POOL "  - {name: d, pool: p}\n";
	struct scenario *a, *b;
	char long_name[400], *msgs;
	size_t size = 0;
	FILE *err;

	(void)state;
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	err = open_memstream(&msgs, &size);
	assert_int_equal(
	    scenario_load_buffer(long_name, yaml, strlen(yaml), err, &a), 0);
	fclose(err);
	free(msgs);
	assert_int_equal(strlen(a->path), sizeof(a->path) - 1);
	b = load_ok(NULL_POOL "  - {name: d, pool: p}   \n");
	assert_true(a->hash == fnv1a(yaml, strlen(yaml)));
	assert_true(a->hash != b->hash);
	scenario_free(a);
	scenario_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full_scenario),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_default_costs),
	    cmocka_unit_test(test_example_demo),
	    cmocka_unit_test(test_example_avionics),
	    cmocka_unit_test(test_example_null_dedicated),
	    cmocka_unit_test(test_example_irq_latency),
	    cmocka_unit_test(test_time_units),
	    cmocka_unit_test(test_time_decimals),
	    cmocka_unit_test(test_time_bare_number),
	    cmocka_unit_test(test_time_overflow),
	    cmocka_unit_test(test_cpu_lists),
	    cmocka_unit_test(test_integers_and_sizes),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_formatting),
	    cmocka_unit_test(test_pinning_xl_style),
	    cmocka_unit_test(test_reject_pinning_list_length),
	    cmocka_unit_test(test_reject_pinning_outside_pool),
	    cmocka_unit_test(test_reject_unknown_key),
	    cmocka_unit_test(test_reject_wrong_type),
	    cmocka_unit_test(test_reject_duplicate_key),
	    cmocka_unit_test(test_reject_duplicate_names),
	    cmocka_unit_test(test_reject_out_of_range),
	    cmocka_unit_test(test_reject_cpu_beyond_machine),
	    cmocka_unit_test(test_reject_pcpu_in_two_pools),
	    cmocka_unit_test(test_reject_unknown_scheduler),
	    cmocka_unit_test(test_reject_sched_specific_key),
	    cmocka_unit_test(test_reject_a653_too_long),
	    cmocka_unit_test(test_reject_a653_unknown_domain),
	    cmocka_unit_test(test_reject_a653_bad_entries),
	    cmocka_unit_test(test_reject_task_rules),
	    cmocka_unit_test(test_reject_irq_rules),
	    cmocka_unit_test(test_reject_distributions),
	    cmocka_unit_test(test_reject_budgets),
	    cmocka_unit_test(test_reject_unknown_pool),
	    cmocka_unit_test(test_reject_missing_key),
	    cmocka_unit_test(test_reject_yaml_syntax),
	    cmocka_unit_test(test_reject_empty),
	    cmocka_unit_test(test_reject_scalar_file),
	    cmocka_unit_test(test_reject_alias),
	    cmocka_unit_test(test_reject_hostile),
	    cmocka_unit_test(test_error_limit),
	    cmocka_unit_test(test_io_error),
	    cmocka_unit_test(test_path_and_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
