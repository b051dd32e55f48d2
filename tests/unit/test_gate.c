/*
 * Unit tests for hvlab gate: budget files in YAML
 * (scenario/scenario_budgets.c; the one-a-line expressions are tested in
 * test_gate_expr.c), wcrt.bound against a real run
 * (analysis/gate_wcrt.c),
 * the samples read from a real sim trace (analysis/gate_trace.c), checked
 * against an independent reading of the same trace, the verdicts, the
 * table and the JUnit XML (analysis/gate.c).
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

#include "analysis/gate.h"
#include "analysis/stats.h"
#include "analysis/wcrt_scenario.h"
#include "scenario/scenario.h"
#include "tests/support/budget_expect.h"
#include "tests/support/scenario_expect.h"
#include "tests/support/world.h"
#include "tracing/trace_events.h"
#include "tracing/trace_reader.h"

/* ---- Budget files ---------------------------------------------------- */

static void test_budget_file(void **state)
{
	struct scenario *s = load_ok(bx_run_yaml);
	struct scn_budget_set *set = NULL;
	char *msgs = NULL;

	(void)state;
	assert_int_equal(
	    bx_load_budgets(
		s,
		"# CI limits\n"
		"budgets:\n"
		"  - {metric: irq_latency, stat: p99, domain: rt, "
		"max: 50us}\n"
		"  - metric: task_response\n"
		"    stat: max\n"
		"    domain: rt\n"
		"    task: loop\n"
		"    max: 2ms\n"
		"  - {metric: sched_latency, stat: p99.9, max: 1ms}\n",
		&set, &msgs),
	    0);
	assert_string_equal(msgs, "");
	assert_string_equal(set->path, "b.yaml");
	assert_int_equal(set->nr_budgets, 3);
	assert_int_equal(set->budgets[0].domain, 0);
	assert_int_equal(set->budgets[0].max, HV_US(50));
	assert_int_equal(set->budgets[0].line, 3);
	assert_string_equal(set->budgets[1].task, "loop");
	assert_int_equal(set->budgets[1].line, 4);
	assert_int_equal(set->budgets[2].domain, -1);
	assert_string_equal(set->budgets[2].stat, "p99.9");
	budgets_free(set);
	free(msgs);
	scenario_free(s);
}

static void test_budget_file_errors(void **state)
{
	struct scenario *s = load_ok(bx_run_yaml);

	(void)state;
	bx_expect_error(s, "---\n", 2, "empty budget file; expected a mapping");
	bx_expect_error(s, "---\n- {metric: irq_latency}\n", 2,
			"budget file: expected a mapping, got a list");
	bx_expect_error(s, "---\nlimits: []\n", 2,
			"unknown key 'limits' in budget file; expected "
			"one of: budgets");
	bx_expect_error(s, "budgets: []\n", 1,
			"budgets: expected at least 1 entry, got 0");
	bx_expect_error(s, "budgets: {metric: irq_latency}\n", 1,
			"budgets: expected a list, got a mapping");
	bx_expect_error(s,
			"budgets:\n"
			"  - {metric: irq_latency, stat: p99, max: 1ms}\n"
			"  - {metric: irq_latncy, stat: p99, max: 1ms}\n",
			3,
			"metric: unknown value 'irq_latncy'; expected one "
			"of: irq_latency, irq_response, task_response, "
			"sched_latency");
	bx_expect_error(s,
			"budgets:\n"
			"  - {metric: irq_latency, stat: p95, max: 1ms}\n",
			2, "stat: unknown value 'p95'");
	bx_expect_error(s,
			"budgets:\n"
			"  - {metric: irq_latency, stat: p99, domain: rtt,"
			" max: 1ms}\n",
			2,
			"domain: unknown domain 'rtt'; expected one of: "
			"rt, hog, quiet");
	bx_expect_error(s,
			"budgets:\n"
			"  - {metric: irq_latency, stat: p99, max: 10}\n",
			2, "max: time needs a unit");
	bx_expect_error(s, "budgets:\n  - {metric: irq_latency, max: 1ms}\n", 2,
			"budget is missing required key 'stat'");
	bx_expect_error(s,
			"budgets:\n"
			"  - {metric: task_response, stat: max, task: loop,"
			" max: 1ms}\n",
			2, "task: needs a domain: key");
	bx_expect_error(s,
			"budgets:\n"
			"  - {metric: irq_latency, stat: max, domain: rt,"
			" task: loop, max: 1ms}\n",
			2, "task: only valid with metric: task_response");
	bx_expect_error(s,
			"budgets:\n"
			"  - {metric: task_response, stat: max, domain: hog,"
			" task: loop, max: 1ms}\n",
			2, "budget: domain 'hog' has no task 'loop'");
	bx_expect_error(s, "budgets:\n  - {metric: [\n", 3,
			"YAML syntax error");
	scenario_free(s);
}

static void test_budget_file_unreadable(void **state)
{
	struct scenario *s = load_ok(bx_run_yaml);
	struct scn_budget_set *set = (struct scn_budget_set *)&set;
	char *msgs = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msgs, &len);

	(void)state;
	assert_int_equal(budgets_load("/nonexistent/b.yaml", s, err, &set),
			 -ENOENT);
	fclose(err);
	assert_null(set);
	assert_non_null(strstr(msgs, "/nonexistent/b.yaml: cannot read: "));
	free(msgs);
	scenario_free(s);
}

/* ---- Samples and verdicts on a real run ------------------------------ */

struct run {
	struct world *w;
	struct gate_trace *t;
};

static int run_setup(void **state)
{
	struct run *r = calloc(1, sizeof(*r));

	if (!r)
		return -1;
	r->w = world_create(bx_run_yaml, true, NULL);
	world_finish(r->w, NULL);
	if (gate_trace_read(r->w->trace_path, r->w->scn, &r->t, stderr))
		return -1;
	*state = r;
	return 0;
}

static int run_teardown(void **state)
{
	struct run *r = *state;

	gate_trace_free(r->t);
	world_destroy(r->w);
	free(r);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The oracle: samples of one event, read straight from the trace. */
struct oracle {
	uint64_t v[4096];
	size_t n;
};

static void oracle_read(const char *path, uint32_t event, struct oracle *o)
{
	struct trace_reader *rd;
	struct trace_rec rec;
	char msg[128];

	o->n = 0;
	assert_int_equal(trace_reader_open(path, &rd, msg, sizeof(msg)), 0);
	while (trace_reader_next(rd, &rec) == 1) {
		if (rec.event != event)
			continue;
		if (event == TRC_SWITCH_INFNEXT) {
			if (rec.data[0] != 1) /* domain rt only */
				continue;
			o->v[o->n++] = rec.data[2];
		} else {
			o->v[o->n++] =
			    (uint64_t)rec.data[3] << 32 | rec.data[2];
		}
		assert_true(o->n < 4096);
	}
	trace_reader_close(rd);
	qsort(o->v, o->n, sizeof(o->v[0]), cmp_u64);
}

/* Nearest rank, in integers: sorted[ceil(p/1000 * n) - 1]. */
static uint64_t rank(const struct oracle *o, unsigned int permille)
{
	return o->v[(o->n * permille + 999) / 1000 - 1];
}

static void test_samples_match_trace(void **state)
{
	struct run *r = *state;
	struct stats_result res;
	struct oracle o;

	oracle_read(r->w->trace_path, TRC_HVLAB_GUEST_IRQ_ENTRY, &o);
	assert_true(o.n >= 190); /* 1 kHz for 200 ms */
	assert_int_equal(gate_trace_stats(r->t, GATE_IRQ_LATENCY, 0, -1, &res),
			 0);
	assert_int_equal(res.n, o.n);
	assert_int_equal(res.min, o.v[0]);
	assert_int_equal(res.max, o.v[o.n - 1]);
	assert_int_equal(res.p50, rank(&o, 500));
	assert_int_equal(res.p99, rank(&o, 990));
	/* All domains: rt is the only one with interrupts. */
	assert_int_equal(gate_trace_stats(r->t, GATE_IRQ_LATENCY, -1, -1, &res),
			 0);
	assert_int_equal(res.n, o.n);
	assert_int_equal(res.p90, rank(&o, 900));

	oracle_read(r->w->trace_path, TRC_HVLAB_TASK_COMPLETE, &o);
	assert_int_equal(gate_trace_stats(r->t, GATE_TASK_RESPONSE, 0, 0, &res),
			 0);
	assert_int_equal(res.n, o.n);
	assert_int_equal(res.max, o.v[o.n - 1]);

	oracle_read(r->w->trace_path, TRC_SWITCH_INFNEXT, &o);
	assert_int_equal(
	    gate_trace_stats(r->t, GATE_SCHED_LATENCY, 0, -1, &res), 0);
	assert_int_equal(res.n, o.n);
	assert_int_equal(res.max, o.v[o.n - 1]);
	assert_true(res.max > 0); /* the hog makes rt wait */

	/* Nothing happens in quiet; bad indices are refused. */
	assert_int_equal(gate_trace_stats(r->t, GATE_IRQ_LATENCY, 2, -1, &res),
			 -ENODATA);
	assert_int_equal(gate_trace_stats(r->t, GATE_IRQ_LATENCY, 3, -1, &res),
			 -EINVAL);
	assert_int_equal(gate_trace_stats(r->t, GATE_IRQ_LATENCY, 0, 0, &res),
			 -EINVAL);
	assert_int_equal(gate_trace_info(r->t)->ignored, 0);
	assert_true(gate_trace_info(r->t)->has_header);
	assert_int_equal(gate_trace_info(r->t)->scenario_hash, r->w->scn->hash);
	assert_int_equal(gate_trace_info(r->t)->end_ns, HV_MS(200));
}

static const char *const generous =
    "budgets:\n"
    "  - {metric: irq_latency, stat: p99, domain: rt, max: 10ms}\n"
    "  - {metric: irq_response, stat: max, max: 10ms}\n"
    "  - {metric: task_response, stat: mean, domain: rt, task: loop, max: "
    "10ms}\n"
    "  - {metric: task_response, stat: p90, domain: rt, max: 10ms}\n"
    "  - {metric: sched_latency, stat: p99.99, max: 1s}\n";

static const char *const tight =
    "budgets:\n"
    "  - {metric: irq_latency, stat: min, domain: rt, max: 1ns}\n"
    "  - {metric: irq_latency, stat: max, domain: rt, max: 1s}\n"
    "  - {metric: irq_latency, stat: p50, domain: quiet, max: 1s}\n"
    "  - {metric: task_response, stat: max, domain: hog, max: 1s}\n";

/* Load @yaml's budgets and check them; returns how many failed. */
static int evaluate(struct run *r, const char *yaml,
		    struct scn_budget_set **set, struct gate_verdict *v)
{
	struct gate_checks c;
	char *msgs = NULL;
	int failed;

	assert_int_equal(bx_load_budgets(r->w->scn, yaml, set, &msgs), 0);
	free(msgs);
	assert_int_equal(gate_checks_run(r->w->scn, r->t, (*set)->budgets,
					 (*set)->nr_budgets, NULL, NULL, &c),
			 0);
	assert_int_equal(c.nr, (*set)->nr_budgets);
	memcpy(v, c.v, c.nr * sizeof(*v));
	failed = (int)c.failed;
	gate_checks_free(&c);
	return failed;
}

static void test_verdicts(void **state)
{
	struct run *r = *state;
	struct scn_budget_set *set;
	struct gate_verdict v[8];
	struct stats_result res;

	assert_int_equal(evaluate(r, generous, &set, v), 0);
	for (unsigned int i = 0; i < set->nr_budgets; i++)
		assert_int_equal(v[i].status, GATE_PASS);
	assert_string_equal(v[0].name, "irq_latency.p99");
	assert_string_equal(v[0].classname, "rt");
	assert_string_equal(v[1].classname, "all");
	assert_string_equal(v[2].name, "task_response.mean.loop");
	assert_int_equal(gate_trace_stats(r->t, GATE_TASK_RESPONSE, 0, 0, &res),
			 0);
	assert_int_equal(v[2].observed, (uint64_t)(res.mean + 0.5));
	budgets_free(set);

	assert_int_equal(evaluate(r, tight, &set, v), 3);
	assert_int_equal(v[0].status, GATE_FAIL);
	assert_true(v[0].observed >= HV_NS(3200)); /* the injection path */
	assert_int_equal(v[1].status, GATE_PASS);
	assert_int_equal(v[2].status, GATE_NO_SAMPLES);
	assert_int_equal(v[2].n, 0);
	assert_int_equal(v[3].status, GATE_NO_SAMPLES);
	budgets_free(set);
}

static char *capture_junit(const struct gate_verdict *v, unsigned int nr)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_int_equal(gate_write_junit(v, nr, "b.yaml", f), 0);
	fclose(f);
	return text;
}

static void test_junit(void **state)
{
	struct run *r = *state;
	struct scn_budget_set *set;
	struct gate_verdict v[8];
	char *xml, want[256], obs[32];

	assert_int_equal(evaluate(r, tight, &set, v), 3);
	xml = capture_junit(v, set->nr_budgets);
	assert_non_null(strstr(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
				    "\n<testsuite name=\"hvlab gate\" "
				    "tests=\"4\" failures=\"3\" errors=\"0\""));
	gate_format_us(v[0].observed, obs, sizeof(obs));
	snprintf(want, sizeof(want),
		 "<testcase classname=\"rt\" name=\"irq_latency.min\" "
		 "time=\"0\">\n    <failure message=\"observed %s &gt; "
		 "limit 0.001 us\" type=\"budget exceeded\">",
		 obs);
	assert_non_null(strstr(xml, want));
	assert_non_null(strstr(xml, "budget at b.yaml:2</failure>"));
	assert_non_null(strstr(xml, "<testcase classname=\"rt\" "
				    "name=\"irq_latency.max\" time=\"0\"/>"));
	assert_non_null(strstr(xml, "<testcase classname=\"quiet\" name=\""
				    "irq_latency.p50\" time=\"0\">\n    "
				    "<failure message=\"no samples of "
				    "irq_latency in the trace\""));
	assert_non_null(strstr(xml, "</testsuite>\n"));
	assert_null(strstr(xml, "<testsuites"));
	free(xml);

	/* Everything user-written is escaped. */
	snprintf(v[1].classname, sizeof(v[1].classname), "a<b>&\"c'");
	v[1].status = GATE_FAIL;
	xml = capture_junit(&v[1], 1);
	assert_non_null(
	    strstr(xml, "classname=\"a&lt;b&gt;&amp;&quot;c&apos;\""));
	assert_null(strstr(xml, "a<b"));
	free(xml);
	budgets_free(set);
}

static void test_table(void **state)
{
	struct run *r = *state;
	struct scn_budget_set *set;
	struct gate_verdict v[8];
	char *text = NULL, obs[32];
	size_t len = 0;
	FILE *f;

	assert_int_equal(evaluate(r, tight, &set, v), 3);
	f = open_memstream(&text, &len);
	gate_print_table(v, set->nr_budgets, f);
	fclose(f);
	gate_format_us(v[0].observed, obs, sizeof(obs));
	assert_non_null(strstr(text, "budget "));
	assert_non_null(strstr(text, obs));
	assert_non_null(strstr(text, "0.001 us  FAIL\n"));
	assert_non_null(strstr(text, "1000000.000 us  PASS\n"));
	assert_non_null(strstr(text, "no samples"));
	assert_non_null(strstr(text, "4 budgets, 1 passed, 3 failed\n"));
	free(text);
	budgets_free(set);
}

/* ---- wcrt.bound >= observed ------------------------------------------ */

/* rt has a dedicated pCPU (bounds); be shares credit2 (no bound). */
static const char wcrt_yaml[] =
    "name: w\n"
    "duration: 200ms\n"
    "seed: 5\n"
    "machine: {pcpus: 2}\n"
    "cpupools:\n"
    "  - {name: part, sched: null, cpus: 0}\n"
    "  - {name: shared, sched: credit2, cpus: 1}\n"
    "domains:\n"
    "  - name: rt\n"
    "    pool: part\n"
    "    workload:\n"
    "      irqs: [{name: tick, period: 1ms, jitter: 100us, handler: "
    "10us}]\n"
    "      tasks: [{name: loop, period: 2ms, priority: 1, exec: 300us}]\n"
    "  - name: be\n"
    "    pool: shared\n"
    "    workload: {tasks: [{name: job, period: 5ms, priority: 1, exec: "
    "1ms}]}\n";

static char *capture_table(const struct gate_checks *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	gate_print_table(c->v, c->nr, f);
	fclose(f);
	return text;
}

static void test_wcrt_bound(void **state)
{
	struct world *w = world_create(wcrt_yaml, true, NULL);
	struct scn_budget_set *set;
	struct wcrt_report *rep;
	struct gate_trace *t;
	struct gate_checks c;
	struct gate_jobs jobs;
	struct gate_irqs irqs;
	const struct wcrt_item *loop;
	char *msgs = NULL, *text, want[160], obs[32], lim[32];

	(void)state;
	world_finish(w, NULL);
	assert_int_equal(gate_trace_read(w->trace_path, w->scn, &t, NULL), 0);
	assert_int_equal(bx_load_budgets(w->scn,
					 "rt.irq_latency.max <= 1s\n"
					 "wcrt.bound >= observed\n",
					 &set, &msgs),
			 0);
	free(msgs);
	assert_int_equal(wcrt_scenario_analyze(w->scn, NULL, &rep), 0);
	loop = wcrt_report_task(rep, 0, 0);
	assert_non_null(loop);
	assert_int_equal(loop->status, WCRT_OK);
	gate_trace_jobs(t, 0, 0, &jobs);
	gate_trace_irqs(t, 0, 0, &irqs);
	assert_true(jobs.completed >= 90 && irqs.handled >= 190);

	/* The analysis holds: a limit first, then rt's task, rt's irq and
	 * be's task, which credit2 gives no bound. */
	assert_int_equal(gate_checks_run(w->scn, t, set->budgets,
					 set->nr_budgets, NULL, NULL, &c),
			 0);
	assert_int_equal(c.nr, 4);
	assert_int_equal(c.failed, 0);
	assert_int_equal(c.skipped, 1);
	assert_string_equal(c.v[0].name, "irq_latency.max");
	assert_string_equal(c.v[1].name, "wcrt.bound.rt.loop");
	assert_string_equal(c.v[1].classname, "rt");
	assert_int_equal(c.v[1].status, GATE_PASS);
	assert_int_equal(c.v[1].limit, loop->bound);
	assert_int_equal(c.v[1].observed, jobs.max_response);
	assert_int_equal(c.v[1].n, jobs.completed);
	assert_true(c.v[1].observed > HV_US(300));
	assert_string_equal(c.v[2].name, "wcrt.bound.rt.tick");
	assert_int_equal(c.v[2].status, GATE_PASS);
	assert_int_equal(c.v[2].observed, irqs.max_response);
	assert_string_equal(c.v[3].name, "wcrt.bound.be.job");
	assert_int_equal(c.v[3].status, GATE_SKIPPED);
	assert_non_null(strstr(c.v[3].note, "skipped: no WCRT bound: credit2"));
	text = capture_junit(c.v, c.nr);
	assert_non_null(strstr(text, "tests=\"4\" failures=\"0\" errors=\"0\" "
				     "skipped=\"1\""));
	assert_non_null(strstr(text,
			       "<testcase classname=\"rt\" "
			       "name=\"wcrt.bound.rt.loop\" time=\"0\"/>"));
	assert_non_null(strstr(text, "<testcase classname=\"be\" "
				     "name=\"wcrt.bound.be.job\" time=\"0\">\n"
				     "    <skipped message=\"skipped: no WCRT "
				     "bound: credit2"));
	free(text);
	gate_checks_free(&c);

	/* A bound below what the run shows must fail: the hook is the
	 * report, plain data, passed in instead of analysed. */
	rep->items[loop - rep->items].bound = (hv_time_t)jobs.max_response - 1;
	assert_int_equal(gate_checks_run(w->scn, t, set->budgets,
					 set->nr_budgets, rep, NULL, &c),
			 0);
	assert_int_equal(c.failed, 1);
	assert_int_equal(c.v[1].status, GATE_FAIL);
	assert_int_equal(c.v[1].limit, jobs.max_response - 1);
	assert_int_equal(c.v[2].status, GATE_PASS);
	gate_format_us(jobs.max_response, obs, sizeof(obs));
	gate_format_us(jobs.max_response - 1, lim, sizeof(lim));
	text = capture_junit(c.v, c.nr);
	snprintf(want, sizeof(want),
		 "<failure message=\"observed %s &gt; bound %s\" "
		 "type=\"bound exceeded\">task loop of rt: ",
		 obs, lim);
	assert_non_null(strstr(text, want));
	assert_non_null(strstr(text, "budget at b.yaml:2</failure>"));
	free(text);
	text = capture_table(&c);
	assert_non_null(strstr(text, "wcrt.bound.rt.loop "));
	assert_non_null(strstr(text, "no bound  SKIP\n  skipped: no WCRT"));
	assert_non_null(strstr(text, "4 budgets, 2 passed, 1 failed, 1 "
				     "skipped\n"));
	free(text);
	gate_checks_free(&c);
	wcrt_report_free(rep);
	budgets_free(set);
	gate_trace_free(t);
	world_destroy(w);
}

/* Only credit2: not one bound, so the budget checks nothing and fails. */
static void test_wcrt_nothing_to_check(void **state)
{
	struct run *r = *state;
	struct scn_budget b = {
	    .kind = SCN_BUDGET_WCRT, .domain = -1, .line = 4};
	struct gate_checks c;
	char *text;

	assert_int_equal(
	    gate_checks_run(r->w->scn, r->t, &b, 1, NULL, NULL, &c), 0);
	assert_int_equal(c.nr, 3);
	assert_int_equal(c.skipped, 2);
	assert_int_equal(c.failed, 1);
	assert_int_equal(c.v[2].status, GATE_NOTHING);
	assert_string_equal(c.v[2].name, "wcrt.bound");
	assert_string_equal(c.v[2].classname, "all");
	text = capture_junit(c.v, c.nr);
	assert_non_null(strstr(text,
			       "<failure message=\"nothing to check: "
			       "none of the 2 tasks and interrupt "
			       "handlers has a WCRT bound\" type=\"nothing "
			       "to check\">"));
	free(text);
	text = capture_table(&c);
	assert_non_null(strstr(text, "3 budgets, 0 passed, 1 failed, 2 "
				     "skipped\n"));
	free(text);
	gate_checks_free(&c);
}

/* null with two vCPUs on one pCPU: the second never runs. */
static void test_jobs_overdue(void **state)
{
	static const char yaml[] =
	    "name: o\nduration: 50ms\nmachine: {pcpus: 1}\n"
	    "cpupools: [{name: p, sched: null, cpus: 0}]\n"
	    "domains:\n"
	    "  - {name: a, pool: p, workload: {tasks: [{name: t, period: "
	    "10ms, priority: 1, exec: 1ms}]}}\n"
	    "  - {name: b, pool: p, workload: {tasks: [{name: t, period: "
	    "10ms, deadline: 45ms, priority: 1, exec: 1ms}]}}\n";
	struct world *w = world_create(yaml, true, NULL);
	struct gate_trace *t;
	struct gate_jobs a, b;

	(void)state;
	world_finish(w, NULL);
	assert_int_equal(gate_trace_read(w->trace_path, w->scn, &t, NULL), 0);
	gate_trace_jobs(t, 0, 0, &a);
	gate_trace_jobs(t, 1, 0, &b);
	assert_int_equal(a.completed, 5);
	assert_int_equal(a.misses + a.overdue, 0);
	assert_int_equal(b.completed, 0);
	assert_int_equal(b.released, 5);
	/* Released at 0, 10, 20, 30, 40 ms with a 45 ms deadline: only the
	 * first is due before the end (50 ms). */
	assert_int_equal(b.overdue, 1);
	gate_trace_free(t);
	world_destroy(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_budget_file),
	    cmocka_unit_test(test_budget_file_errors),
	    cmocka_unit_test(test_budget_file_unreadable),
	    cmocka_unit_test_setup_teardown(test_samples_match_trace, run_setup,
					    run_teardown),
	    cmocka_unit_test_setup_teardown(test_verdicts, run_setup,
					    run_teardown),
	    cmocka_unit_test_setup_teardown(test_junit, run_setup,
					    run_teardown),
	    cmocka_unit_test_setup_teardown(test_table, run_setup,
					    run_teardown),
	    cmocka_unit_test(test_jobs_overdue),
	    cmocka_unit_test(test_wcrt_bound),
	    cmocka_unit_test_setup_teardown(test_wcrt_nothing_to_check,
					    run_setup, run_teardown),
	};

	return cmocka_run_group_tests_name("gate", tests, NULL, NULL);
}
