/*
 * Unit tests: run metrics (analysis/metrics.h) from traces built with the
 * real producer (trace_buf + trace_file) in a temporary directory, with
 * every expected number worked out by hand below.
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

#include <hv/types.h>

#include "analysis/metrics.h"
#include "analysis/summary.h"
#include "tests/support/trace_fixture.h"
#include "tracing/trace_decode.h"
#include "tracing/trace_events.h"

#define IDLE HV_DOMID_IDLE
#define RUNNING TRACE_RUNSTATE_RUNNING
#define RUNNABLE TRACE_RUNSTATE_RUNNABLE
#define BLOCKED TRACE_RUNSTATE_BLOCKED
#define OFFLINE TRACE_RUNSTATE_OFFLINE

/* HVLAB_HEADER (1 GHz, 2 pCPUs) at 0 and HVLAB_RUN_END at @end. */
static void header(struct tfx *fx)
{
	const uint32_t hdr[7] = {HVLAB_TRACE_VERSION, 1000000000u, 0, 2,
				 HVLAB_BACKEND_SIM,   1,	   0};

	tfx_rec(fx, 0, 0, TRC_HVLAB_HEADER, 7, hdr);
}

static void run_end(struct tfx *fx, uint64_t end)
{
	const uint32_t w[2] = {(uint32_t)end, (uint32_t)(end >> 32)};

	tfx_rec(fx, 0, end, TRC_HVLAB_RUN_END, 2, w);
}

/* SWITCH_INFNEXT (when next is not idle) then SWITCH, as Xen orders them. */
static void sw(struct tfx *fx, unsigned int cpu, uint64_t t, unsigned int pd,
	       unsigned int pv, unsigned int nd, unsigned int nv,
	       uint32_t waited)
{
	const uint32_t next[4] = {nd, nv, waited, 1000};
	const uint32_t s[4] = {pd, pv, nd, nv};

	tfx_rec(fx, cpu, t, TRC_SWITCH_INFNEXT, 4, next);
	tfx_rec(fx, cpu, t, TRC_SWITCH, 4, s);
}

static void yield(struct tfx *fx, unsigned int cpu, uint64_t t,
		  unsigned int dom, unsigned int vcpu)
{
	const uint32_t d[2] = {dom, vcpu};

	tfx_rec(fx, cpu, t, TRC_YIELD, 2, d);
}

static void irq_entry(struct tfx *fx, uint64_t t, unsigned int dom,
		      uint64_t lat)
{
	const uint32_t d[4] = {dom << 16, trace_dv(dom, 0), (uint32_t)lat,
			       (uint32_t)(lat >> 32)};

	tfx_rec(fx, 0, t, TRC_HVLAB_GUEST_IRQ_ENTRY, 4, d);
}

/*
 * Two pCPUs over [0, 1000] ns:
 *
 *   cpu0  idle | d1v0 100..400 | d2v0 400..1000
 *   cpu1  idle                 | d1v0 400..600 | idle | d1v0 700..900 | idle
 *
 * d1v0: runnable 0..100 (waits 100), preempted on cpu0 at 400 and
 * switched in on cpu1 at once (a migration, waited 0), yields at 600
 * (runnable, not a preemption), back at 700 (waited 100, same pCPU: no
 * migration), blocks at 900. d2v0: runnable since 150, in at 400 (waited
 * 250), runs to the end. d7v0 appears only in scheduler records:
 * switched in on cpu1 at 950, without any RUNSTATE_CHANGE.
 */
static void build_sched_trace(struct tfx *fx)
{
	header(fx);
	tfx_runstate(fx, 0, 0, 1, 0, OFFLINE, RUNNABLE);
	tfx_runstate(fx, 0, 100, IDLE, 0, RUNNING, RUNNABLE);
	tfx_runstate(fx, 0, 100, 1, 0, RUNNABLE, RUNNING);
	sw(fx, 0, 100, IDLE, 0, 1, 0, 100);
	tfx_runstate(fx, 0, 150, 2, 0, BLOCKED, RUNNABLE);
	/* 400: d1v0 leaves cpu0 for cpu1 in the same ns */
	tfx_runstate(fx, 0, 400, 1, 0, RUNNING, RUNNABLE);
	tfx_runstate(fx, 0, 400, 2, 0, RUNNABLE, RUNNING);
	sw(fx, 0, 400, 1, 0, 2, 0, 250);
	tfx_runstate(fx, 1, 400, IDLE, 1, RUNNING, RUNNABLE);
	tfx_runstate(fx, 1, 400, 1, 0, RUNNABLE, RUNNING);
	sw(fx, 1, 400, IDLE, 1, 1, 0, 0);
	/* 600: yield */
	yield(fx, 1, 600, 1, 0);
	tfx_runstate(fx, 1, 600, 1, 0, RUNNING, RUNNABLE);
	sw(fx, 1, 600, 1, 0, IDLE, 1, 0);
	tfx_runstate(fx, 1, 700, 1, 0, RUNNABLE, RUNNING);
	sw(fx, 1, 700, IDLE, 1, 1, 0, 100);
	tfx_runstate(fx, 1, 900, 1, 0, RUNNING, BLOCKED);
	sw(fx, 1, 900, 1, 0, IDLE, 1, 0);
	/* d7v0, named by scheduler records only */
	sw(fx, 1, 950, IDLE, 1, 7, 0, 0);
	run_end(fx, 1000);
}

static void test_preemptions_migrations(void **state)
{
	struct tfx *fx = *state;
	const struct metrics_domain *d1, *d2, *d7;
	const struct metrics_vcpu *v;
	struct metrics *m;

	build_sched_trace(fx);
	tfx_done(fx);
	assert_int_equal(metrics_from_trace(fx->path, NULL, &m, stderr), 0);
	assert_int_equal(metrics_run_info(m)->span_ns, 1000);
	assert_null(metrics_domain(m, IDLE));

	d1 = metrics_domain(m, 1);
	assert_non_null(d1);
	v = metrics_vcpu(d1, 0);
	assert_non_null(v);
	assert_int_equal(v->preemptions, 1); /* the yield does not count */
	assert_int_equal(v->migrations, 1);
	assert_int_equal(v->dispatches, 3);
	assert_int_equal(v->runstate_ns[RUNNING], 700);
	assert_int_equal(v->runstate_ns[RUNNABLE], 200);
	assert_int_equal(v->runstate_ns[BLOCKED], 100);
	assert_int_equal(v->share_bp, 7000);
	assert_int_equal(d1->preemptions, 1);
	assert_int_equal(d1->migrations, 1);
	assert_int_equal(d1->running_ns, 700);
	assert_int_equal(d1->share_bp, 7000);

	d2 = metrics_domain(m, 2);
	assert_non_null(d2);
	v = metrics_vcpu(d2, 0);
	assert_int_equal(v->preemptions, 0);
	assert_int_equal(v->migrations, 0);
	assert_int_equal(v->dispatches, 1);
	assert_int_equal(v->runstate_ns[RUNNING], 600);
	assert_int_equal(d2->share_bp, 6000);

	/* Named by a SWITCH only: there, but marked so. */
	d7 = metrics_domain(m, 7);
	assert_non_null(d7);
	assert_true(d7->sched_only);
	assert_true(metrics_vcpu(d7, 0)->sched_only);
	assert_int_equal(metrics_vcpu(d7, 0)->dispatches, 1);
	assert_false(d1->sched_only);
	metrics_free(m);
}

static void test_sched_latency(void **state)
{
	struct tfx *fx = *state;
	const struct metrics_domain *d;
	const struct metrics_series *s;
	struct metrics *m;

	build_sched_trace(fx);
	tfx_done(fx);
	assert_int_equal(metrics_from_trace(fx->path, NULL, &m, stderr), 0);
	/* d1v0 waited 100, 0, 100; idle's INFNEXT records are not samples */
	d = metrics_domain(m, 1);
	s = &metrics_vcpu(d, 0)->sched_latency;
	assert_int_equal(s->r.n, 3);
	assert_int_equal(s->r.min, 0);
	assert_int_equal(s->r.max, 100);
	assert_int_equal(s->r.p50, 100); /* rank ceil(1.5) = 2 of 0,100,100 */
	assert_int_equal(s->mean_ns, 67); /* 200 / 3 rounded */
	assert_true(s->r.exact);
	assert_int_equal(d->sched_latency.r.n, 3);
	assert_int_equal(d->sched_latency.r.max, 100);
	s = &metrics_domain(m, 2)->sched_latency;
	assert_int_equal(s->r.n, 1);
	assert_int_equal(s->r.min, 250);
	metrics_free(m);
}

static void test_timeline(void **state)
{
	struct tfx *fx = *state;
	const struct metrics_segment *seg;
	struct metrics_config cfg = {
	    .timeline = true, .window_start_ns = 450, .window_end_ns = 800};
	struct metrics *m;
	bool truncated;
	size_t nr;

	build_sched_trace(fx);
	tfx_done(fx);
	assert_int_equal(metrics_from_trace(fx->path, &cfg, &m, stderr), 0);
	seg = metrics_timeline(m, &nr, &truncated);
	assert_false(truncated);
	/* clipped to [450, 800], by pCPU then start */
	assert_int_equal(nr, 3);
	assert_int_equal(seg[0].pcpu, 0);
	assert_int_equal(seg[0].dom, 2);
	assert_int_equal(seg[0].start_ns, 450);
	assert_int_equal(seg[0].end_ns, 800);
	assert_int_equal(seg[1].pcpu, 1);
	assert_int_equal(seg[1].dom, 1);
	assert_int_equal(seg[1].start_ns, 450);
	assert_int_equal(seg[1].end_ns, 600);
	assert_int_equal(seg[2].start_ns, 700);
	assert_int_equal(seg[2].end_ns, 800);
	metrics_free(m);

	/* The whole run: cpu0 d1 100..400, d2 400..1000 (closed at the
	 * end); cpu1 d1 400..600, 700..900, d7 950..1000. */
	cfg.window_start_ns = 0;
	cfg.window_end_ns = 1000000;
	assert_int_equal(metrics_from_trace(fx->path, &cfg, &m, stderr), 0);
	seg = metrics_timeline(m, &nr, NULL);
	assert_int_equal(nr, 5);
	assert_int_equal(seg[0].start_ns, 100);
	assert_int_equal(seg[0].end_ns, 400);
	assert_int_equal(seg[1].start_ns, 400);
	assert_int_equal(seg[1].end_ns, 1000);
	assert_int_equal(seg[3].start_ns, 700);
	assert_int_equal(seg[3].end_ns, 900);
	assert_int_equal(seg[4].dom, 7);
	assert_int_equal(seg[4].start_ns, 950);
	assert_int_equal(seg[4].end_ns, 1000);
	metrics_free(m);

	/* No timeline unless asked for. */
	assert_int_equal(metrics_from_trace(fx->path, NULL, &m, stderr), 0);
	assert_null(metrics_timeline(m, &nr, NULL));
	assert_int_equal(nr, 0);
	metrics_free(m);
}

/* 1000 IRQ latencies 1..1000 ns in a scrambled order. */
static void build_irq_trace(struct tfx *fx)
{
	header(fx);
	for (uint64_t i = 0; i < 1000; i++)
		irq_entry(fx, 10 + i, 3, (i * 7919) % 1000 + 1);
	run_end(fx, 2000);
}

static void test_irq_percentiles(void **state)
{
	struct tfx *fx = *state;
	struct metrics_config cfg = {.keep_raw = true};
	const struct metrics_domain *d;
	const struct stats_result *r;
	struct metrics *m;

	build_irq_trace(fx);
	tfx_done(fx);
	assert_int_equal(metrics_from_trace(fx->path, &cfg, &m, stderr), 0);
	d = metrics_domain(m, 3);
	assert_non_null(d);
	r = &d->irq_latency.r;
	assert_int_equal(r->n, 1000);
	assert_true(r->exact);
	assert_int_equal(r->min, 1);
	assert_int_equal(r->p50, 500);
	assert_int_equal(r->p90, 900);
	assert_int_equal(r->p99, 990);
	assert_int_equal(r->p999, 999);
	assert_int_equal(r->p9999, 1000);
	assert_int_equal(r->max, 1000);
	assert_int_equal(d->irq_latency.mean_ns, 501); /* 500.5 rounds up */
	assert_true(r->mean > 500.49 && r->mean < 500.51);
	assert_int_equal(metrics_irq(d, 0)->latency.r.n, 1000);
	/* raw samples kept in trace order, for pWCET */
	assert_int_equal(d->nr_irq_latency_raw, 1000);
	assert_false(d->raw_truncated);
	for (uint64_t i = 0; i < 1000; i++)
		assert_int_equal(d->irq_latency_raw[i], (i * 7919) % 1000 + 1);
	metrics_free(m);

	/* A cap on the raw copy is reported, the statistics stay whole. */
	cfg.raw_cap = 10;
	assert_int_equal(metrics_from_trace(fx->path, &cfg, &m, stderr), 0);
	d = metrics_domain(m, 3);
	assert_int_equal(d->nr_irq_latency_raw, 10);
	assert_true(d->raw_truncated);
	assert_int_equal(d->irq_latency.r.n, 1000);
	metrics_free(m);

	/* Streaming: the same percentiles within the stated bound. */
	cfg = (struct metrics_config){.stats = {.mode = STATS_STREAM}};
	assert_int_equal(metrics_from_trace(fx->path, &cfg, &m, stderr), 0);
	r = &metrics_domain(m, 3)->irq_latency.r;
	assert_false(r->exact);
	assert_true(r->p99 >= 990 && r->p99 <= 990 * (1 + r->rel_error));
	assert_int_equal(r->max, 1000);
	assert_int_equal(metrics_domain(m, 3)->irq_latency.mean_ns, 501);
	metrics_free(m);
}

/* The summary is a view of the metrics: same numbers, fewer entities. */
static void test_summary_view(void **state)
{
	struct tfx *fx = *state;
	const struct summary_domain *sd;
	struct summary *s;
	struct metrics *m;

	build_sched_trace(fx);
	tfx_done(fx);
	assert_int_equal(metrics_from_trace(fx->path, NULL, &m, stderr), 0);
	assert_int_equal(summary_from_trace(fx->path, &s, stderr), 0);
	assert_int_equal(metrics_nr_domains(m), 3);
	assert_int_equal(summary_nr_domains(s), 2); /* d7 left out */
	sd = summary_domain(s, 1);
	assert_non_null(sd);
	assert_int_equal(summary_vcpu(sd, 0)->share_bp,
			 metrics_vcpu(metrics_domain(m, 1), 0)->share_bp);
	assert_int_equal(summary_vcpu(sd, 0)->runstate_ns[RUNNING], 700);
	assert_null(summary_domain(s, 7));
	summary_free(s);
	metrics_free(m);
}

static void test_errors(void **state)
{
	struct tfx *fx = *state;
	struct metrics_config bad = {
	    .timeline = true, .window_start_ns = 5, .window_end_ns = 5};
	struct metrics *m = NULL;
	char *msg = NULL;
	size_t len = 0;
	FILE *err;

	header(fx);
	tfx_done(fx);
	err = open_memstream(&msg, &len);
	assert_non_null(err);
	assert_int_equal(metrics_from_trace(fx->path, &bad, &m, err), -EINVAL);
	bad = (struct metrics_config){.stats = {.sub_bits = 99}};
	assert_int_equal(metrics_from_trace(fx->path, &bad, &m, err), -EINVAL);
	assert_int_equal(metrics_from_trace("/nonexistent/t.xt", NULL, &m, err),
			 -ENOENT);
	assert_int_equal(fclose(err), 0);
	assert_null(m);
	assert_non_null(strstr(msg, "bad metrics configuration"));
	assert_non_null(strstr(msg, "/nonexistent/t.xt: No such file"));
	free(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_preemptions_migrations,
					    tfx_setup, tfx_teardown),
	    cmocka_unit_test_setup_teardown(test_sched_latency, tfx_setup,
					    tfx_teardown),
	    cmocka_unit_test_setup_teardown(test_timeline, tfx_setup,
					    tfx_teardown),
	    cmocka_unit_test_setup_teardown(test_irq_percentiles, tfx_setup,
					    tfx_teardown),
	    cmocka_unit_test_setup_teardown(test_summary_view, tfx_setup,
					    tfx_teardown),
	    cmocka_unit_test_setup_teardown(test_errors, tfx_setup,
					    tfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
