/*
 * Unit tests: the sim port's xentrace-style consumer of the trace rings
 * (hv-core/arch/sim/sim.c) and the core's run-time controls
 * (<hv/trace.h>), end to end on the demo scenario.
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

#include <hv/machine.h>
#include <hv/trace.h>

#include "analysis/summary.h"
#include "hv-core/arch/sim/sim.h"
#include "scenario/scenario.h"
#include "tracing/trace_events.h"
#include "tracing/trace_ring.h"

struct sim_run {
	char dir[32], path[64];
	struct sim_stats st;
	const struct metrics_run *run;
	struct summary *sum;
};

static void run_demo(struct sim_run *r, struct sim_options *opt, FILE *err)
{
	struct scenario *scn;

	strcpy(r->dir, "/tmp/hvlab-ring-XXXXXX");
	assert_non_null(mkdtemp(r->dir));
	snprintf(r->path, sizeof(r->path), "%s/trace.xt", r->dir);
	opt->trace_path = r->path;
	assert_int_equal(scenario_load("bench/scenarios/demo.yaml", NULL, &scn),
			 0);
	assert_int_equal(sim_run_scenario(scn, opt, &r->st, err), 0);
	scenario_free(scn);
	assert_int_equal(summary_from_trace(r->path, &r->sum, stderr), 0);
	r->run = summary_run_info(r->sum);
}

static void run_done(struct sim_run *r)
{
	unsigned char head[16];
	uint32_t w[4];
	FILE *f = fopen(r->path, "rb");

	/* cpu 0's window first, the header its first record. */
	assert_non_null(f);
	assert_int_equal(fread(head, 1, sizeof(head), f), sizeof(head));
	fclose(f);
	memcpy(w, head, sizeof(w));
	assert_int_equal(w[0], 2u << TRC_EXTRA_SHIFT | TRC_CPU_CHANGE);
	assert_int_equal(w[1], 0);
	assert_int_equal(w[3] & TRC_EVENT_MASK, TRC_HVLAB_HEADER);
	summary_free(r->sum);
	unlink(r->path);
	rmdir(r->dir);
}

static void test_sim_default_loses_nothing(void **state)
{
	struct sim_options opt = {0};
	struct sim_run r;

	(void)state;
	run_demo(&r, &opt, stderr);
	assert_int_equal(r.st.trace_lost, 0);
	assert_int_equal(r.st.trace_errors, 0);
	assert_int_equal(r.run->lost, 0);
	assert_int_equal(r.run->records, r.st.trace_records);
	assert_true(r.run->has_run_end);
	run_done(&r);
}

static void test_sim_small_polled_ring_reports_losses(void **state)
{
	struct sim_options opt = {.trace_ring_bytes = 4096,
				  .trace_poll_ns = HV_MS(100)};
	struct sim_run r;

	(void)state;
	run_demo(&r, &opt, stderr);
	assert_true(r.st.trace_lost > 1000);
	/* The notes in the file account for every lost record. */
	assert_int_equal(r.run->lost, r.st.trace_lost);
	assert_true(r.run->has_run_end);
	run_done(&r);
}

static void test_sim_corrupt_ring_stops_tracing(void **state)
{
	struct sim_options opt = {0};
	char dir[] = "/tmp/hvlab-ring-XXXXXX", path[64], *msg = NULL;
	size_t msg_len = 0;
	FILE *err = open_memstream(&msg, &msg_len);
	struct scenario *scn;
	struct sim_stats st;
	struct machine *m;
	struct sim *sim;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/trace.xt", dir);
	opt.trace_path = path;
	assert_int_equal(scenario_load("bench/scenarios/demo.yaml", NULL, &scn),
			 0);
	assert_int_equal(sim_create(scn, &opt, err, &sim), 0);
	m = sim_machine(sim);
	assert_true(m->trace_on);
	atomic_store(&trace_ring_buf(m->trace, 2)->cons, 0x12345);
	assert_int_equal(sim_finish(sim, &st), 0);
	assert_false(m->trace_on);
	sim_destroy(sim);
	scenario_free(scn);
	fclose(err);
	assert_int_equal(st.trace_errors, 1);
	assert_non_null(strstr(msg, "pCPU 2's ring header is corrupt"));
	assert_non_null(strstr(msg, "cons not 4-byte aligned"));
	free(msg);
	unlink(path);
	rmdir(dir);
}

/* Run-time control through the core: off, on again, then masked. */
static void test_sim_run_time_control(void **state)
{
	struct sim_options opt = {0};
	struct sim_run r = {0};
	struct scenario *scn;
	struct cpumask cpus;
	struct sim_stats st;
	struct machine *m;
	struct sim *sim;
	unsigned char *buf;
	size_t len, off = 0, seen[3] = {0};
	FILE *f;

	(void)state;
	strcpy(r.dir, "/tmp/hvlab-ring-XXXXXX");
	assert_non_null(mkdtemp(r.dir));
	snprintf(r.path, sizeof(r.path), "%s/trace.xt", r.dir);
	opt.trace_path = r.path;
	assert_int_equal(scenario_load("bench/scenarios/demo.yaml", NULL, &scn),
			 0);
	assert_int_equal(sim_create(scn, &opt, stderr, &sim), 0);
	m = sim_machine(sim);
	sim_run_until(sim, HV_MS(500) - 1);
	hv_trace_disable(m);
	assert_false(m->trace_on);
	sim_run_until(sim, HV_MS(1000) - 1);
	assert_int_equal(hv_trace_enable(m), 0);
	assert_true(m->trace_on);
	hv_trace_set_event_mask(m, TRC_CLS_SCHED);
	cpumask_clear(&cpus);
	cpumask_set(&cpus, 1);
	hv_trace_set_cpu_mask(m, &cpus);
	assert_int_equal(sim_finish(sim, &st), 0);
	sim_destroy(sim);
	scenario_free(scn);

	f = fopen(r.path, "rb");
	assert_non_null(f);
	buf = malloc(8 << 20);
	len = fread(buf, 1, 8 << 20, f);
	fclose(f);
	while (off < len) {
		uint32_t w[3], cpu, end;

		memcpy(w, buf + off, 12);
		cpu = w[1];
		end = (uint32_t)off + 12 + w[2];
		for (off += 12; off < end;) {
			uint32_t h;
			uint64_t tsc;

			memcpy(&h, buf + off, 4);
			memcpy(&tsc, buf + off + 4, 8);
			off += 4 + 8 * (h >> 31) +
			       4 * ((h >> TRC_EXTRA_SHIFT) & 7);
			if ((h & TRC_EVENT_MASK) == TRC_WRAP_BUFFER)
				continue;
			assert_true(tsc < HV_MS(500) || tsc >= HV_MS(1000));
			seen[tsc < HV_MS(500) ? 0 : cpu == 1 ? 1 : 2]++;
			if (tsc >= HV_MS(1000))
				assert_int_equal(h & 0x0fff0000u, 0x00020000u);
		}
	}
	free(buf);
	assert_true(seen[0] > 1000);
	assert_true(seen[1] > 100);
	assert_int_equal(seen[2], 0);
	unlink(r.path);
	rmdir(r.dir);
}

/*
 * The one-test filter of hv/trace.h (hv_trace_pairs) must pass exactly
 * the records Xen's filter passes: class bits and sub-class bits both
 * meet the mask. Every class/sub-class combination of event and mask
 * that matters is a pattern of 16 bits, so take them all for the events
 * and a spread of masks (every single class bit with every sub-class
 * set, and pseudo-random masks).
 */
static void test_trace_pairs_is_xens_filter(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;

	(void)state;
	for (unsigned int m = 0; m < 12 * 16 + 4096; m++) {
		uint32_t mask;

		if (m < 12 * 16) {
			mask = 1u << (16 + m / 16) | (m % 16) << 12;
		} else {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			mask = (uint32_t)x & 0x0ffff000u;
		}
		for (uint32_t e = 0; e < 0x10000; e += 7) {
			uint32_t ev = e << 12 | 0x123u; /* low bits: any */
			bool xen = (ev & mask & 0x0fff0000u) &&
				   (ev & mask & 0x0000f000u);
			bool ours =
			    (hv_trace_pairs(mask) & hv_trace_pairs(ev)) != 0;

			if (xen != ours)
				fail_msg("event %#x mask %#x: Xen %d, ours %d",
					 ev, mask, xen, ours);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sim_default_loses_nothing),
	    cmocka_unit_test(test_sim_small_polled_ring_reports_losses),
	    cmocka_unit_test(test_sim_corrupt_ring_stops_tracing),
	    cmocka_unit_test(test_sim_run_time_control),
	    cmocka_unit_test(test_trace_pairs_is_xens_filter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
