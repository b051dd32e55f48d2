/*
 * Unit tests: the run summary, from traces built with the real producer
 * (trace_buf + trace_file) in a temporary directory.
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

#include "analysis/summary.h"
#include "tests/support/trace_fixture.h"
#include "tracing/trace_buf.h"
#include "tracing/trace_events.h"

#define MS 1000000ull

/* A two-domain hvlab run of 2 s; see the expected text below. */
static void build_hvlab_trace(struct tfx *fx)
{
	const uint32_t hdr[7] = {
	    HVLAB_TRACE_VERSION, 1000000000u, 0,	  2,
	    HVLAB_BACKEND_SIM,	 0x5678ef90u, 0x1234abcdu};
	const uint32_t info[6] = {1u << 16, 0, 1000000, 1000000, 0, 5};
	const uint32_t lost[4] = {7, 0, 0, 0};
	const uint32_t end[2] = {(uint32_t)(2000 * MS),
				 (uint32_t)(2000 * MS >> 32)};
	const uint32_t short_release = 2u << 16 | 1;
	const uint64_t d1_lat[4] = {3200, 9800, 3500, 4000};

	tfx_rec(fx, 0, 0, TRC_HVLAB_HEADER, 7, hdr);
	tfx_name(fx, TRC_HVLAB_NAME_DOMAIN, 1, "ctrl");
	tfx_name(fx, TRC_HVLAB_NAME_DOMAIN, 2, "io\x1b[2J");
	tfx_name(fx, TRC_HVLAB_NAME_TASK, 1u << 16, "loop");
	tfx_name(fx, TRC_HVLAB_NAME_IRQ, 1u << 16, "timer");
	tfx_name(fx, TRC_HVLAB_NAME_IRQ, 2u << 16, "uart");
	tfx_rec(fx, 0, 0, TRC_HVLAB_TASK_INFO, 6, info);

	/* d1v0: runnable 1.2 ms, running 448.2 ms, blocked to the end. */
	tfx_runstate(fx, 0, 0, 1, 0, 3, 1);
	tfx_runstate(fx, 0, 12 * MS / 10, 1, 0, 1, 0);
	tfx_runstate(fx, 0, 4494 * MS / 10, 1, 0, 0, 2);
	/* d1v1: no record before 500 ms, so running since 0. */
	tfx_runstate(fx, 1, 500 * MS, 1, 1, 0, 2);
	/* The idle domain is not reported. */
	tfx_runstate(fx, 1, 500 * MS, HV_DOMID_IDLE, 1, 1, 0);

	for (unsigned int i = 0; i < 4; i++)
		tfx_rec64(fx, i % 2, (10 + i) * MS, TRC_HVLAB_GUEST_IRQ_ENTRY,
			  1u << 16, trace_dv(1, 0), d1_lat[i], 0);
	tfx_rec64(fx, 0, 20 * MS, TRC_HVLAB_GUEST_IRQ_EXIT, 1u << 16, 0, 23200,
		  0);
	tfx_rec64(fx, 1, 21 * MS, TRC_HVLAB_GUEST_IRQ_EXIT, 1u << 16, 0, 23500,
		  0);
	/* d2: irq 0 "uart" 10..2000 ns, irq 1 unnamed, one 50 us sample. */
	for (unsigned int i = 1; i <= 200; i++)
		tfx_rec64(fx, 1, (100 + i) * MS, TRC_HVLAB_GUEST_IRQ_ENTRY,
			  2u << 16, 0, 10 * i, 0);
	tfx_rec64(fx, 0, 400 * MS, TRC_HVLAB_GUEST_IRQ_ENTRY, 2u << 16 | 1, 0,
		  50000, 0);

	/* d1t0 "loop": 4 jobs, 3 complete, one of them late. */
	for (unsigned int job = 0; job < 4; job++)
		tfx_rec2(fx, 0, (600 + job) * MS, TRC_HVLAB_TASK_RELEASE,
			 1u << 16, job);
	tfx_rec64(fx, 0, 601 * MS, TRC_HVLAB_TASK_COMPLETE, 1u << 16, 0, 412000,
		  0);
	tfx_rec64(fx, 1, 603 * MS, TRC_HVLAB_TASK_COMPLETE, 1u << 16, 1,
		  1500000, 1);
	tfx_rec64(fx, 0, 604 * MS, TRC_HVLAB_TASK_COMPLETE, 1u << 16, 2, 300000,
		  0);
	/* d2t1: one job, never completed; one record too short. */
	tfx_rec2(fx, 1, 700 * MS, TRC_HVLAB_TASK_RELEASE, 2u << 16 | 1, 0);
	tfx_rec(fx, 1, 701 * MS, TRC_HVLAB_TASK_RELEASE, 1, &short_release);

	tfx_rec(fx, 1, 800 * MS, TRC_LOST_RECORDS, 4, lost);
	tfx_rec(fx, 0, 2000 * MS, TRC_HVLAB_RUN_END, 2, end);
}

static void test_hvlab_numbers(void **state)
{
	struct tfx *fx = *state;
	const struct summary_domain *d;
	const struct summary_task *t;
	const struct summary_irq *irq;
	const struct summary_vcpu *v;
	const struct metrics_run *run;
	struct summary *s;
	uint64_t nr_recs;

	build_hvlab_trace(fx);
	nr_recs = trace_buf_records(fx->tb);
	tfx_done(fx);
	assert_int_equal(summary_from_trace(fx->path, &s, stderr), 0);

	run = summary_run_info(s);
	assert_true(run->has_header);
	assert_int_equal(run->hz, 1000000000u);
	assert_int_equal(run->pcpus, 2);
	assert_int_equal(run->scenario_hash, 0x1234abcd5678ef90ull);
	assert_true(run->has_run_end);
	assert_int_equal(run->span_ns, 2000 * MS);
	assert_int_equal(run->records, nr_recs);
	assert_int_equal(run->lost, 7);
	assert_int_equal(run->malformed, 1);

	assert_int_equal(summary_nr_domains(s), 2);
	assert_null(summary_domain(s, HV_DOMID_IDLE));
	d = summary_domain(s, 1);
	assert_non_null(d);
	assert_ptr_equal(d, summary_domain_at(s, 0));
	assert_string_equal(d->name, "ctrl");
	assert_int_equal(d->irq_latency.n, 4);
	assert_int_equal(d->irq_latency.min, 3200);
	assert_int_equal(d->irq_latency.mean, 5125);
	assert_int_equal(d->irq_latency.p99, 9800);
	assert_int_equal(d->irq_latency.max, 9800);
	assert_int_equal(d->irq_response.n, 2);
	assert_int_equal(d->irq_response.mean, 23350);

	t = summary_task(d, 0);
	assert_non_null(t);
	assert_string_equal(t->name, "loop");
	assert_true(t->has_info);
	assert_int_equal(t->period_ns, 1000000);
	assert_int_equal(t->priority, 5);
	assert_int_equal(t->released, 4);
	assert_int_equal(t->completed, 3);
	assert_int_equal(t->misses, 1);
	assert_int_equal(t->unfinished, 1);
	assert_int_equal(t->response.max, 1500000);

	v = summary_vcpu(d, 0);
	assert_non_null(v);
	assert_int_equal(v->runstate_ns[0], 4482 * MS / 10);
	assert_int_equal(v->runstate_ns[1], 12 * MS / 10);
	assert_int_equal(v->runstate_ns[2], 15506 * MS / 10);
	assert_int_equal(v->runstate_ns[3], 0);
	assert_int_equal(v->share_bp, 2241);
	v = summary_vcpu(d, 1);
	assert_non_null(v);
	assert_int_equal(v->runstate_ns[0], 500 * MS);
	assert_int_equal(v->share_bp, 2500);
	assert_null(summary_vcpu(d, 2));

	d = summary_domain(s, 2);
	assert_non_null(d);
	assert_string_equal(d->name, "io?[2J"); /* escape filtered */
	irq = summary_irq(d, 0);
	assert_non_null(irq);
	assert_string_equal(irq->name, "uart");
	/* Nearest rank: ceil(0.99 * 200) = 198th of 10, 20, ... 2000. */
	assert_int_equal(irq->latency.n, 200);
	assert_int_equal(irq->latency.min, 10);
	assert_int_equal(irq->latency.mean, 1005);
	assert_int_equal(irq->latency.p99, 1980);
	assert_int_equal(irq->latency.max, 2000);
	irq = summary_irq(d, 1);
	assert_string_equal(irq->name, "d2i1");
	assert_int_equal(irq->latency.n, 1);
	/* 201 samples: rank ceil(198.99) = 199, i.e. 1990 ns. */
	assert_int_equal(d->irq_latency.n, 201);
	assert_int_equal(d->irq_latency.p99, 1990);
	assert_int_equal(d->irq_latency.max, 50000);
	assert_int_equal(d->irq_latency.mean, (201000 + 50000 + 100) / 201);
	t = summary_task(d, 1);
	assert_string_equal(t->name, "d2t1");
	assert_int_equal(t->completed, 0);
	assert_int_equal(t->unfinished, 1);
	assert_null(summary_task(d, 0));
	summary_free(s);
}

static char *print_text(const struct summary *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	summary_print_text(s, out);
	assert_int_equal(fclose(out), 0);
	return text;
}

static void test_hvlab_text(void **state)
{
	static const char want[] =
	    "run: backend sim, 2 pCPUs, 1000000000 Hz, scenario "
	    "0x1234abcd5678ef90, span 2.000000 s, 230 records, 7 lost, "
	    "1 malformed\n"
	    "domain ctrl (d1)\n"
	    "  irq latency  (us)  n=4  min 3.200  mean 5.125  p99 9.800"
	    "  max 9.800\n"
	    "  irq response (us)  n=2  min 23.200  mean 23.350  p99 23.500"
	    "  max 23.500\n"
	    "  task loop     jobs 3  resp max 1.500 ms  misses 1"
	    "  unfinished 1\n"
	    "  vcpu 0        cpu share 22.41%  running 448.2 ms"
	    "  runnable 1.2 ms  blocked 1550.6 ms  offline 0.0 ms\n"
	    "  vcpu 1        cpu share 25.00%  running 500.0 ms"
	    "  runnable 0.0 ms  blocked 1500.0 ms  offline 0.0 ms\n"
	    "domain io?[2J (d2)\n"
	    "  irq latency  (us)  n=201  min 0.010  mean 1.249  p99 1.990"
	    "  max 50.000\n"
	    "  irq response (us)  n=0\n"
	    "  irq uart     latency  (us)  n=200  min 0.010  mean 1.005"
	    "  p99 1.980  max 2.000\n"
	    "  irq uart     response (us)  n=0\n"
	    "  irq d2i1     latency  (us)  n=1  min 50.000  mean 50.000"
	    "  p99 50.000  max 50.000\n"
	    "  irq d2i1     response (us)  n=0\n"
	    "  task d2t1     jobs 0  resp max 0.000 ms  misses 0"
	    "  unfinished 1\n";
	struct tfx *fx = *state;
	struct summary *s;
	char *text;

	build_hvlab_trace(fx);
	tfx_done(fx);
	assert_int_equal(summary_from_trace(fx->path, &s, stderr), 0);
	text = print_text(s);
	assert_string_equal(text, want);
	free(text);
	summary_free(s);
}

/* A trace as a real Xen would give: no hvlab records, no names. */
static void test_foreign_trace_fallbacks(void **state)
{
	static const char want[] =
	    "run: backend unknown, 2 pCPUs, 1000000000 Hz (assumed), "
	    "scenario unknown, span 0.000001 s, 4 records, 0 lost\n"
	    "domain d0 (d0)\n"
	    "  vcpu 3        cpu share 75.00%  running 0.0 ms"
	    "  runnable 0.0 ms  blocked 0.0 ms  offline 0.0 ms\n";
	const uint32_t sw[4] = {0, 3, HV_DOMID_IDLE, 1};
	struct tfx *fx = *state;
	const struct summary_vcpu *v;
	struct summary *s;
	char *text;

	tfx_runstate(fx, 1, 1000, 0, 3, 1, 0);
	tfx_runstate(fx, 1, 1250, 0, 3, 0, 2);
	tfx_runstate(fx, 0, 1500, 0, 3, 2, 0);
	tfx_rec(fx, 0, 2000, TRC_SWITCH, 4, sw);
	tfx_done(fx);
	assert_int_equal(summary_from_trace(fx->path, &s, stderr), 0);
	assert_false(summary_run_info(s)->has_header);
	assert_int_equal(summary_run_info(s)->start, 1000);
	v = summary_vcpu(summary_domain(s, 0), 3);
	assert_non_null(v);
	assert_int_equal(v->runstate_ns[0], 750);
	assert_int_equal(v->runstate_ns[2], 250);
	text = print_text(s);
	assert_string_equal(text, want);
	free(text);
	summary_free(s);
}

/*
 * A vCPU leaves pCPU 1 and starts on pCPU 0 in the same nanosecond. The
 * reader returns pCPU 0's record (runnable->running) first, out of causal
 * order; the summary must still see the vCPU running afterwards.
 */
static void test_same_instant_migration(void **state)
{
	struct tfx *fx = *state;
	const struct summary_vcpu *v;
	struct summary *s;

	tfx_runstate(fx, 1, 0, 1, 0, 3, 1); /* offline -> runnable */
	tfx_runstate(fx, 1, 100, 1, 0, 1, 0); /* runs on pCPU 1 */
	tfx_runstate(fx, 1, 400, 1, 0, 0, 1); /* preempted on pCPU 1 ... */
	tfx_runstate(fx, 0, 400, 1, 0, 1, 0); /* ... and runs on pCPU 0 */
	tfx_runstate(fx, 0, 1000, 1, 0, 0, 2); /* blocks */
	tfx_done(fx);
	assert_int_equal(summary_from_trace(fx->path, &s, stderr), 0);
	v = summary_vcpu(summary_domain(s, 1), 0);
	assert_non_null(v);
	assert_int_equal(v->runstate_ns[0], 900); /* 100..1000 */
	assert_int_equal(v->runstate_ns[1], 100); /* 0..100 */
	summary_free(s);
}

static void test_errors(void **state)
{
	struct tfx *fx = *state;
	struct summary *s = NULL;
	char *msg = NULL;
	size_t len = 0;
	FILE *err;
	char want[256];

	/* An empty trace file. */
	tfx_done(fx);
	err = open_memstream(&msg, &len);
	assert_non_null(err);
	assert_int_equal(summary_from_trace(fx->path, &s, err), -EINVAL);
	assert_int_equal(summary_from_trace("/nonexistent/x.trace", &s, err),
			 -ENOENT);
	assert_int_equal(fclose(err), 0);
	assert_null(s);
	snprintf(want, sizeof(want),
		 "%s: offset 0: empty file, expected a CPU-change record\n"
		 "/nonexistent/x.trace: No such file or directory\n",
		 fx->path);
	assert_string_equal(msg, want);
	free(msg);
	/* No stream: still fails cleanly. */
	assert_int_equal(summary_from_trace(fx->path, &s, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_hvlab_numbers, tfx_setup,
					    tfx_teardown),
	    cmocka_unit_test_setup_teardown(test_hvlab_text, tfx_setup,
					    tfx_teardown),
	    cmocka_unit_test_setup_teardown(test_foreign_trace_fallbacks,
					    tfx_setup, tfx_teardown),
	    cmocka_unit_test_setup_teardown(test_same_instant_migration,
					    tfx_setup, tfx_teardown),
	    cmocka_unit_test_setup_teardown(test_errors, tfx_setup,
					    tfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
