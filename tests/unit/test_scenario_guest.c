/*
 * Unit tests for the qemu backend's scenario keys (scenario/
 * scenario_guest.c): a domain's "guest" mapping and "machine.qemu",
 * their defaults, the round trip through scenario_write(), and every
 * rejection with its line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/private.h"
#include "scenario/scenario.h"
#include "tests/support/scenario_expect.h"

#define MIB (UINT64_C(1) << 20)
#define GIB (UINT64_C(1) << 30)

/* A null pool on cpu 0 (line 6), credit2 on 1-3 (line 7), domains: line 8. */
#define POOLS                                             \
	HEAD "  - {name: n, sched: null, cpus: 0}\n"      \
	     "  - {name: c, sched: credit2, cpus: 1-3}\n" \
	     "domains:\n"

/* The example of docs/scenario.md, one YAML line per C line. */
/* clang-format off */
static const char example_yaml[] =
	"name: g\n"                                   /*  1 */
	"duration: 2s\n"                              /*  2 */
	"machine:\n"                                  /*  3 */
	"  pcpus: 2\n"                                /*  4 */
	"  qemu:\n"                                   /*  5 */
	"    cpu: cortex-a53\n"                       /*  6 */
	"    memory: 2G\n"                            /*  7 */
	"    timeout: 120s\n"                         /*  8 */
	"    trace_ring: 8M\n"                        /*  9 */
	"cpupools:\n"                                 /* 10 */
	"  - {name: part, sched: null, cpus: 0-1}\n"  /* 11 */
	"domains:\n"                                  /* 12 */
	"  - name: rt\n"                              /* 13 */
	"    pool: part\n"                            /* 14 */
	"    cpus: \"0\"\n"                           /* 15 */
	"    guest:\n"                                /* 16 */
	"      image: irqlat\n"                       /* 17 */
	"      samples: 1000\n"                       /* 18 */
	"      delta: 20us-100us\n"                   /* 19 */
	"      memory: 32M\n"                         /* 20 */
	"      wfi: native\n"                         /* 21 */
	"      direct_irq: true\n"                    /* 22 */
	"  - name: noise\n"                           /* 23 */
	"    pool: part\n"                            /* 24 */
	"    cpus: \"1\"\n"                           /* 25 */
	"    guest: {image: hog, fault_after: 1ms}\n" /* 26 */
	"  - name: sim_only\n"                        /* 27 */
	"    pool: part\n"                            /* 28 */
	"    cpus: \"1\"\n";                          /* 29 */
/* clang-format on */

static void test_guest_example(void **state)
{
	struct scenario *s = load_ok(example_yaml);
	const struct scn_guest *g = &s->domains[0].guest;

	(void)state;
	assert_string_equal(s->machine.qemu.cpu, "cortex-a53");
	assert_true(s->machine.qemu.memory == 2 * GIB);
	assert_int_equal(s->machine.qemu.timeout, HV_S(120));
	assert_true(s->machine.qemu.trace_ring == 8 * MIB);
	assert_int_equal(g->image, SCN_GUEST_IRQLAT);
	assert_int_equal(g->samples, 1000);
	assert_int_equal(g->delta_min, HV_US(20));
	assert_int_equal(g->delta_max, HV_US(100));
	assert_true(g->memory == 32 * MIB);
	assert_true(g->wfi_native);
	assert_true(g->direct_irq);
	assert_int_equal(g->fault_after, 0);
	assert_int_equal(g->line, 16);
	g = &s->domains[1].guest;
	assert_int_equal(g->image, SCN_GUEST_HOG);
	assert_int_equal(g->samples, 0);
	assert_int_equal(g->fault_after, HV_MS(1));
	assert_true(g->memory == 16 * MIB); /* the default */
	assert_false(g->wfi_native);
	assert_false(g->direct_irq);
	assert_int_equal(g->line, 26);
	assert_int_equal(s->domains[2].guest.image, SCN_GUEST_NONE);
	assert_int_equal(s->domains[2].guest.line, 0);
	scenario_free(s);
}

static void test_guest_defaults(void **state)
{
	struct scenario *s =
	    load_ok(POOLS "  - {name: d, pool: n, guest: {image: irqlat}}\n");
	const struct scn_guest *g = &s->domains[0].guest;
	const struct scn_qemu *q = &s->machine.qemu;

	(void)state;
	assert_int_equal(g->samples, 1000);
	assert_int_equal(g->delta_min, HV_US(20));
	assert_int_equal(g->delta_max, HV_US(100));
	assert_true(g->memory == 16 * MIB);
	assert_false(g->wfi_native);
	assert_false(g->direct_irq);
	/* No "qemu:": every default, the timeout from pcpus and duration. */
	assert_string_equal(q->cpu, "max");
	assert_true(q->memory == GIB);
	assert_int_equal(q->timeout, HV_S(60) + 10 * 4 * HV_S(1));
	assert_true(q->trace_ring == 16 * MIB);
	scenario_free(s);
	/* Eight pCPUs share the 96MiB the hypervisor keeps for traces. */
	s = load_ok("name: t\nduration: 1s\nmachine: {pcpus: 8}\n" POOLS_TAIL);
	assert_true(s->machine.qemu.trace_ring == 12 * MIB);
	scenario_free(s);
	/* A machine.qemu with some keys keeps the defaults of the others. */
	s = load_ok("name: t\nduration: 2s\n"
		    "machine: {pcpus: 1, qemu: {trace_ring: 0B}}\n" POOLS_TAIL);
	assert_true(s->machine.qemu.trace_ring == 0);
	assert_int_equal(s->machine.qemu.timeout, HV_S(80));
	assert_string_equal(s->machine.qemu.cpu, "max");
	scenario_free(s);
}

static void test_guest_delta_forms(void **state)
{
	struct scenario *s = load_ok(
	    POOLS "  - {name: d, pool: n, guest: {image: irqlat, delta: 50us,"
		  " samples: 3}}\n"
		  "  - {name: e, pool: c, guest: {image: irqlat,"
		  " delta: 1.5us-2ms, samples: 500}}\n");

	(void)state;
	assert_int_equal(s->domains[0].guest.delta_min, HV_US(50));
	assert_int_equal(s->domains[0].guest.delta_max, HV_US(50));
	assert_int_equal(s->domains[0].guest.samples, 3);
	assert_int_equal(s->domains[1].guest.delta_min, 1500);
	assert_int_equal(s->domains[1].guest.delta_max, HV_MS(2));
	scenario_free(s);
}

/* A tasks guest on pool n; @extra goes into the guest mapping. */
#define TASKS_GUEST(extra)                                                   \
	POOLS "  - name: d\n"                                                \
	      "    pool: n\n"                                                \
	      "    guest: {image: tasks" extra "}\n"                         \
	      "    workload:\n"                                              \
	      "      tasks:\n"                                               \
	      "        - {name: hi, period: 10ms, priority: 2, exec: 1ms}\n" \
	      "        - {name: lo, period: 100ms, offset: 5ms,"             \
	      " deadline: 50ms, priority: 1, exec: 3ms}\n"

static void test_tasks_guest_samples(void **state)
{
	struct scenario *s = load_ok(TASKS_GUEST(""));

	(void)state;
	/* Jobs of "lo" with their deadline (5ms + k*100ms + 50ms) <= 1s. */
	assert_int_equal(s->domains[0].guest.samples, 10);
	scenario_free(s);
	s = load_ok(TASKS_GUEST(", samples: 4"));
	assert_int_equal(s->domains[0].guest.samples, 4);
	scenario_free(s);
	expect_reject(TASKS_GUEST(", samples: 11"), 11,
		      "samples: 11 jobs of task 'lo' (the lowest priority, "
		      "period 100ms) do not fit in duration 1s; at most 10");
}

static void test_sizes(void **state)
{
	char msg[SCN_MSG_MAX], buf[32];
	uint64_t u;

	(void)state;
	assert_true(scn_parse_size("2GiB", &u, msg, sizeof(msg)));
	assert_true(u == 2 * GIB);
	assert_true(scn_parse_size("1G", &u, msg, sizeof(msg)));
	assert_true(u == GIB);
	assert_true(scn_parse_size("16M", &u, msg, sizeof(msg)));
	assert_true(u == 16 * MIB);
	assert_true(scn_parse_size("4K", &u, msg, sizeof(msg)));
	assert_true(u == 4096);
	assert_false(scn_parse_size("16MB", &u, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "expected B, KiB, MiB or GiB"));
	assert_false(scn_parse_size("1g", &u, msg, sizeof(msg)));
	scn_format_size(GIB, buf, sizeof(buf));
	assert_string_equal(buf, "1GiB");
	scn_format_size(GIB + MIB, buf, sizeof(buf));
	assert_string_equal(buf, "1025MiB");
}

/* write(load(write(s))) == write(s), guests and machine.qemu included. */
static void test_guest_round_trip(void **state)
{
	struct scenario *s = load_ok(example_yaml), *back = NULL;
	char *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	FILE *fa = open_memstream(&a, &la), *fb = open_memstream(&b, &lb);

	(void)state;
	assert_int_equal(scenario_write(s, fa), 0);
	fclose(fa);
	assert_non_null(strstr(a,
			       "  qemu: { cpu: cortex-a53, memory: 2GiB, "
			       "timeout: 120s, trace_ring: 8MiB, trace: all, "
			       "build: debug }\n"));
	assert_non_null(strstr(a, "      delta: 20us-100us\n"));
	assert_non_null(strstr(a, "      fault_after: 1ms\n"));
	assert_int_equal(scenario_load_buffer("w", a, la, NULL, &back), 0);
	assert_int_equal(scenario_write(back, fb), 0);
	fclose(fb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	for (unsigned int i = 0; i < s->nr_domains; i++) {
		const struct scn_guest *g = &s->domains[i].guest;
		const struct scn_guest *h = &back->domains[i].guest;

		assert_int_equal(h->image, g->image);
		assert_int_equal(h->samples, g->samples);
		assert_int_equal(h->delta_min, g->delta_min);
		assert_int_equal(h->delta_max, g->delta_max);
		assert_true(h->memory == g->memory);
		assert_int_equal(h->wfi_native, g->wfi_native);
		assert_int_equal(h->direct_irq, g->direct_irq);
		assert_int_equal(h->fault_after, g->fault_after);
	}
	assert_memory_equal(&back->machine.qemu, &s->machine.qemu,
			    sizeof(s->machine.qemu));
	scenario_free(back);
	scenario_free(s);
	free(a);
	free(b);
	/* The tasks guest's computed samples and an EDF guest survive. */
	s = load_ok(TASKS_GUEST(""));
	fa = open_memstream(&a, &la);
	scenario_write(s, fa);
	fclose(fa);
	assert_non_null(strstr(a, "      samples: 10\n"));
	assert_non_null(strstr(a, "    guest_scheduler: fp\n"));
	scenario_free(s);
	free(a);
}

/* Every rejection names its line. */
static void test_reject_guest_keys(void **state)
{
	(void)state;
	expect_reject(POOLS "  - name: d\n    pool: n\n    guest:\n"
			    "      image: linux\n",
		      12,
		      "image: unknown value 'linux'; expected one of: "
		      "irqlat, hog, tasks");
	expect_reject(POOLS "  - {name: d, pool: n, guest: {samples: 3}}\n", 9,
		      "guest is missing required key 'image'");
	expect_reject(POOLS "  - name: d\n    pool: n\n    guest:\n"
			    "      image: hog\n      colour: red\n",
		      13,
		      "unknown key 'colour' in guest; expected one of: "
		      "image, samples, delta, memory, wfi, direct_irq, "
		      "fault_after");
	expect_reject(POOLS "  - name: d\n    pool: n\n    guest:\n"
			    "      image: irqlat\n      fault_after: 1ms\n",
		      13,
		      "fault_after: only applies to image: hog; this "
		      "guest is image: irqlat");
	expect_reject(POOLS "  - name: d\n    pool: n\n    guest:\n"
			    "      image: hog\n      samples: 5\n",
		      13, "samples: only applies to image: irqlat or tasks");
	expect_reject(TASKS_GUEST(",\n      delta: 1us"), 12,
		      "delta: only applies to image: irqlat");
	expect_reject(POOLS "  - name: d\n    pool: n\n    guest:\n"
			    "      image: hog\n      memory: 3MiB\n",
		      13, "memory: 3MiB is not a whole number of 2MiB blocks");
	expect_reject(POOLS "  - name: d\n    pool: n\n    guest:\n"
			    "      image: irqlat\n      delta: 100us-20us\n",
		      13, "delta: min 100us is larger than max 20us");
	expect_reject(POOLS "  - name: d\n    pool: n\n    guest:\n"
			    "      image: irqlat\n      delta: 1us-2us-3us\n",
		      13, "is not a time range; expected MIN-MAX");
	expect_reject(POOLS "  - name: d\n    pool: n\n    guest:\n"
			    "      image: irqlat\n      delta: 20-100us\n",
		      13, "delta: time needs a unit");
	expect_reject(POOLS "  - name: d\n    pool: n\n    guest:\n"
			    "      image: irqlat\n      delta: 0us-1us\n",
		      13, "delta: expected a delay > 0");
	expect_reject(POOLS "  - name: d\n    pool: n\n    guest:\n"
			    "      image: irqlat\n      wfi: sleep\n",
		      13,
		      "wfi: unknown value 'sleep'; expected one of: trap, "
		      "native");
	expect_reject(POOLS "  - name: d\n    pool: n\n    guest:\n"
			    "      image: irqlat\n      samples: 0\n",
		      13, "samples: 0 is out of range, expected 1..1000000000");
}

static void test_reject_guest_checks(void **state)
{
	(void)state;
	/* Lines: guest key 11, its image 12, then the key under test. */
	expect_reject(POOLS "  - name: d\n    pool: c\n    guest:\n"
			    "      image: irqlat\n      direct_irq: true\n",
		      13,
		      "direct_irq: needs a null cpupool, and domain 'd' is "
		      "in 'c', which runs credit2");
	expect_reject(HEAD "  - {name: n, sched: null, cpus: 0-1}\n"
			   "domains:\n"
			   "  - name: d\n    pool: n\n    guest:\n"
			   "      image: irqlat\n      direct_irq: true\n",
		      12,
		      "direct_irq: domain 'd' must be pinned to one pCPU "
		      "(e.g. cpus: 0); its vCPU may run on cpus 0-1");
	expect_reject(HEAD "  - {name: n, sched: null, cpus: 0-1}\n"
			   "domains:\n"
			   "  - name: d\n    pool: n\n    cpus: 0\n"
			   "    guest:\n"
			   "      image: irqlat\n      direct_irq: true\n"
			   "  - {name: e, pool: n}\n",
		      13,
		      "direct_irq: pCPU 0 is not domain 'd''s alone: vcpu "
		      "0 of domain 'e' (line 14) may run there too");
	expect_reject(POOLS "  - name: d\n    pool: n\n    vcpus: 2\n"
			    "    guest: {image: hog}\n",
		      12,
		      "guest: a guest image runs on one vCPU, and domain "
		      "'d' has 2; set vcpus: 1");
	expect_reject(POOLS "  - name: d\n    pool: n\n"
			    "    guest: {image: tasks}\n",
		      11,
		      "guest: image tasks runs the domain's "
		      "workload.tasks, and domain 'd' has none");
	expect_reject(POOLS "  - name: d\n    pool: n\n"
			    "    guest: {image: tasks}\n"
			    "    workload:\n      tasks:\n"
			    "        - {name: s, priority: 1, exec: 1ms,"
			    " sporadic: {min_interarrival: 5ms}}\n",
		      14, "task 's': the tasks guest runs periodic tasks only");
	expect_reject(POOLS "  - name: d\n    pool: n\n"
			    "    guest: {image: tasks}\n"
			    "    workload:\n      tasks:\n"
			    "        - {name: s, priority: -1, exec: 1ms,"
			    " period: 5ms}\n",
		      14,
		      "task 's': priority -1; the tasks guest takes "
		      "priorities from 0 up");
	expect_reject(POOLS "  - name: d\n    pool: n\n"
			    "    guest_scheduler: edf\n"
			    "    guest: {image: tasks}\n"
			    "    workload:\n      tasks:\n"
			    "        - {name: s, priority: 1, exec: 1ms,"
			    " period: 5ms}\n",
		      12, "guest: the tasks guest schedules by fixed priority");
	expect_reject(POOLS "  - name: d\n    pool: n\n"
			    "    guest: {image: tasks}\n"
			    "    workload:\n      tasks:\n"
			    "        - {name: s, priority: 1, exec: 1ms,"
			    " period: 2s}\n",
		      11,
		      "guest: the first job of task 's' (the lowest "
		      "priority) has its deadline at 2s, after duration 1s");
	expect_reject(POOLS "  - name: d\n    pool: n\n    guest:\n"
			    "      image: irqlat\n      samples: 20000\n",
		      13,
		      "samples: 20000 samples of up to 100us each take up "
		      "to 2s, longer than duration 1s");
}

static void test_reject_nine_tasks(void **state)
{
	char yaml[2048];
	int n = snprintf(yaml, sizeof(yaml), "%s",
			 POOLS "  - name: d\n    pool: n\n"
			       "    guest: {image: tasks}\n"
			       "    workload:\n      tasks:\n");

	(void)state;
	for (int i = 0; i < 9; i++)
		n += snprintf(yaml + n, sizeof(yaml) - (size_t)n,
			      "        - {name: t%d, priority: %d, exec: 1us,"
			      " period: 1ms}\n",
			      i, i);
	expect_reject(yaml, 11,
		      "guest: the tasks guest runs at most 8 tasks; domain "
		      "'d' has 9");
}

static void test_reject_qemu(void **state)
{
	(void)state;
	expect_reject("name: t\nduration: 1s\nmachine:\n  pcpus: 1\n"
		      "  qemu:\n    cpu: cortex-a72\n" POOLS_TAIL,
		      6,
		      "cpu: unknown value 'cortex-a72'; expected one of: "
		      "max, cortex-a53");
	expect_reject("name: t\nduration: 1s\nmachine:\n  pcpus: 1\n"
		      "  qemu:\n    memory: 512M\n" POOLS_TAIL,
		      6,
		      "memory: 512MiB is out of range; expected a whole "
		      "number of MiB from 1GiB to 255GiB");
	expect_reject("name: t\nduration: 1s\nmachine:\n  pcpus: 1\n"
		      "  qemu:\n    memory: 1048577K\n" POOLS_TAIL,
		      6, "memory: 1048577KiB is out of range");
	expect_reject("name: t\nduration: 1s\nmachine:\n  pcpus: 8\n"
		      "  qemu:\n    trace_ring: 16M\n" POOLS_TAIL,
		      6,
		      "trace_ring: 8 pCPUs x 16MiB is more than the 96MiB "
		      "the hypervisor keeps for trace rings; expected at "
		      "most 12288KiB per pCPU");
	expect_reject("name: t\nduration: 1s\nmachine:\n  pcpus: 1\n"
		      "  qemu:\n    trace_ring: 5000B\n" POOLS_TAIL,
		      6, "trace_ring: 5000B is not a whole number of 4KiB");
	expect_reject("name: t\nduration: 1s\nmachine:\n  pcpus: 1\n"
		      "  qemu:\n    timeout: 0s\n" POOLS_TAIL,
		      6, "timeout: expected a time > 0");
	expect_reject("name: t\nduration: 1s\nmachine:\n  pcpus: 1\n"
		      "  qemu: {cpu: max, smp: 2}\n" POOLS_TAIL,
		      5,
		      "unknown key 'smp' in qemu; expected one of: cpu, "
		      "memory, timeout, trace_ring");
}

/*
 * hvlab compare switches every pool to one scheduler: a guest stays, but
 * direct_irq only where the pool still runs null.
 */
static void test_guest_variants(void **state)
{
	struct scenario *s = load_ok(example_yaml), *v = NULL;

	(void)state;
	assert_int_equal(scenario_for_scheduler(s, "credit2", NULL, &v), 0);
	assert_int_equal(v->domains[0].guest.image, SCN_GUEST_IRQLAT);
	assert_true(v->domains[0].guest.wfi_native);
	assert_false(v->domains[0].guest.direct_irq);
	assert_int_equal(v->domains[1].guest.fault_after, HV_MS(1));
	scenario_free(v);
	assert_int_equal(scenario_for_scheduler(s, "null", NULL, &v), 0);
	assert_true(v->domains[0].guest.direct_irq);
	scenario_free(v);
	scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_guest_example),
	    cmocka_unit_test(test_guest_defaults),
	    cmocka_unit_test(test_guest_delta_forms),
	    cmocka_unit_test(test_tasks_guest_samples),
	    cmocka_unit_test(test_sizes),
	    cmocka_unit_test(test_guest_round_trip),
	    cmocka_unit_test(test_reject_guest_keys),
	    cmocka_unit_test(test_reject_guest_checks),
	    cmocka_unit_test(test_reject_nine_tasks),
	    cmocka_unit_test(test_reject_qemu),
	    cmocka_unit_test(test_guest_variants),
	};

	return cmocka_run_group_tests_name("scenario_guest", tests, NULL, NULL);
}
