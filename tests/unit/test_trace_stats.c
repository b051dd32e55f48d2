/*
 * Unit tests: trace statistics (`hvlab trace stats`), on a trace built
 * with the real producer and on Xen-style images built by hand.
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

#include "tests/support/trace_fixture.h"
#include "tracing/trace_events.h"
#include "tracing/trace_reader.h"
#include "tracing/trace_stats.h"
#include "tests/support/trace_image.h"


/* Three pCPUs: the trace below leaves pCPU 1 empty. */
static int setup(void **state)
{
	return tfx_setup_cpus(state, 3);
}

/* pCPUs 0 and 2 (1 has nothing); domains 1 "ctrl", 2, idle; 3 ms. */
static void build_hvlab_trace(struct tfx *fx)
{
	const uint32_t hdr[7] = {
	    HVLAB_TRACE_VERSION, 1000000000u, 0, 3, 0, 1, 2};
	const uint32_t sw[4] = {HV_DOMID_IDLE, 0, 1, 0};
	const uint32_t cont[4] = {1, 0, 1, 0};
	const uint32_t lost_a[4] = {7, 0, 0, 0}, lost_b[4] = {3, 0, 0, 0};
	const uint32_t end[2] = {3000000, 0};
	const uint32_t dv2 = trace_dv(2, 1), unknown = 42;

	tfx_rec(fx, 0, 0, TRC_HVLAB_HEADER, 7, hdr);
	tfx_name(fx, TRC_HVLAB_NAME_DOMAIN, 1, "ctrl");
	tfx_rec(fx, 0, 1000, TRC_SWITCH, 4, sw); /* d32767 and d1 */
	tfx_rec(fx, 0, 2000, TRC_SWITCH, 4, cont); /* d1, counted once */
	tfx_rec(fx, 2, 1500, TRC_RUNSTATE_ID(1, 0), 1, &dv2);
	tfx_rec(fx, 2, 1600, TRC_RUNSTATE_ID(0, 2), 1, &dv2);
	tfx_rec(fx, 2, 1700, 0x00033333u, 1, &unknown);
	tfx_rec(fx, 2, 1800, 0x00011111u, 1, &unknown);
	tfx_rec(fx, 2, 2500, TRC_LOST_RECORDS, 4, lost_a);
	tfx_rec(fx, 0, 2600, TRC_LOST_RECORDS, 4, lost_b);
	tfx_rec(fx, 0, 3000000, TRC_HVLAB_RUN_END, 2, end);
}

static void test_hvlab_numbers(void **state)
{
	static const struct {
		uint32_t id;
		uint64_t count;
	} want_events[] = {
	    {0x00011111u, 1},
	    {TRC_LOST_RECORDS, 2},
	    {TRC_RUNSTATE_ID(0, 2), 1},
	    {TRC_RUNSTATE_ID(1, 0), 1},
	    {TRC_SWITCH, 2},
	    {0x00033333u, 1},
	    {TRC_HVLAB_HEADER, 1},
	    {TRC_HVLAB_NAME_DOMAIN, 1},
	    {TRC_HVLAB_RUN_END, 1},
	};
	struct tfx *fx = *state;
	struct trace_stats *s;
	char err[256];

	build_hvlab_trace(fx);
	tfx_done_open(fx);
	assert_int_equal(trace_stats_collect(fx->r, 0, &s, err, sizeof(err)),
			 0);
	assert_int_equal(s->records, 11);
	assert_int_equal(s->no_tsc, 0);
	assert_int_equal(s->lost, 10);
	assert_int_equal(s->lost_notes, 2);
	assert_int_equal(s->file.fillers, 0);
	assert_int_equal(s->clock.source, TRACE_CLOCK_HEADER);
	assert_int_equal(s->clock.hz, 1000000000u);
	assert_int_equal(s->span_ns, 3000000);
	assert_true(s->has_run_end);
	assert_int_equal(s->run_end_ns, 3000000);

	assert_int_equal(s->nr_events,
			 sizeof(want_events) / sizeof(want_events[0]));
	for (size_t i = 0; i < s->nr_events; i++) {
		assert_int_equal(s->events[i].id, want_events[i].id);
		assert_int_equal(s->events[i].count, want_events[i].count);
	}
	assert_null(s->events[0].desc); /* unknown */
	assert_string_equal(s->events[4].desc->name, "SWITCH");

	/* pCPU 1 has no records and is not listed. */
	assert_int_equal(s->nr_cpus, 2);
	assert_int_equal(s->cpus[0].cpu, 0);
	assert_int_equal(s->cpus[0].records, 6);
	assert_int_equal(s->cpus[0].last_ns, 3000000);
	assert_int_equal(s->cpus[1].cpu, 2);
	assert_int_equal(s->cpus[1].records, 5);
	assert_int_equal(s->cpus[1].first_ns, 1500);
	assert_int_equal(s->cpus[1].last_ns, 2500);

	/* Records naming a domain: the dv of LOST_RECORDS names d0. */
	assert_int_equal(s->nr_domains, 4);
	assert_int_equal(s->domains[0].dom, 0);
	assert_int_equal(s->domains[0].records, 2);
	assert_int_equal(s->domains[1].dom, 1);
	assert_string_equal(s->domains[1].name, "ctrl");
	assert_int_equal(s->domains[1].records, 3); /* name + 2 switches */
	assert_int_equal(s->domains[2].dom, 2);
	assert_null(s->domains[2].name);
	assert_int_equal(s->domains[2].records, 2);
	assert_int_equal(s->domains[3].dom, HV_DOMID_IDLE);
	assert_int_equal(s->domains[3].records, 1);
	trace_stats_free(s);
}

static void test_hvlab_text(void **state)
{
	/* The file's size and windows are the producer's business. */
	static const char want[] =
	    "clock: 1000000000 Hz (HVLAB_HEADER)\n"
	    "span: 0.003000000 s (timestamps 0 to 3000000), run end "
	    "0.003000000 s\n"
	    "records: 11 (0 without a timestamp)\n"
	    "lost records: 10 (2 LOST_RECORDS notes)\n"
	    "wrap fillers: 0\n"
	    "\n"
	    "events:\n"
	    "       count  id          name\n"
	    "           1  0x00011111  unknown\n"
	    "           2  0x0001f001  LOST_RECORDS\n"
	    "           1  0x00021021  RUNSTATE_CHANGE running->blocked\n"
	    "           1  0x00021101  RUNSTATE_CHANGE runnable->running\n"
	    "           2  0x0002800a  SWITCH\n"
	    "           1  0x00033333  unknown\n"
	    "           1  0x01001001  HVLAB_HEADER\n"
	    "           1  0x01001002  HVLAB_NAME_DOMAIN\n"
	    "           1  0x01001007  HVLAB_RUN_END\n"
	    "\n"
	    "pCPUs:\n"
	    "       count  cpu    first (s)      last (s)\n"
	    "           6  0      0.000000000    0.003000000\n"
	    "           5  2      0.000001500    0.000002500\n"
	    "\n"
	    "domains:\n"
	    "       count  dom    name\n"
	    "           2  0      d0\n"
	    "           3  1      ctrl\n"
	    "           2  2      d2\n"
	    "           1  32767  idle\n";
	struct tfx *fx = *state;
	struct trace_stats *s;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	build_hvlab_trace(fx);
	tfx_done_open(fx);
	assert_int_equal(trace_stats_collect(fx->r, 0, &s, NULL, 0), 0);
	out = open_memstream(&text, &len);
	assert_non_null(out);
	trace_stats_print_text(s, "run.trace", out);
	assert_int_equal(fclose(out), 0);
	assert_memory_equal(text, "file: run.trace, ", 17);
	assert_non_null(strchr(text, '\n'));
	assert_string_equal(strchr(text, '\n') + 1, want);
	free(text);
	trace_stats_free(s);
}

static struct trace_stats *stats_of(const struct trace_image *im, uint64_t hz)
{
	struct trace_reader *r;
	struct trace_stats *s;
	char err[256];

	assert_int_equal(trace_reader_open_buffer(im->w, im->n * 4, "img", &r,
						  err, sizeof(err)),
			 0);
	assert_int_equal(trace_stats_collect(r, hz, &s, err, sizeof(err)), 0);
	trace_reader_close(r);
	return s;
}

/* Xen's way: TSC timestamps, records without one, fillers, no header. */
static void test_xen_trace(void **state)
{
	const uint32_t sw[4] = {HV_DOMID_IDLE, 1, 3, 1}, dv = trace_dv(3, 1);
	const uint32_t junk[2] = {0, 0};
	struct trace_image im = {NULL, 0, 0};
	struct trace_stats *s;
	size_t w;

	(void)state;
	w = timg_window_start(&im, 1);
	timg_rec(&im, true, TRC_SWITCH, 24000000000ull, 4, sw);
	timg_rec(&im, false, TRC_RUNSTATE_ID(1, 0), 0, 1, &dv);
	timg_rec(&im, true, TRC_WRAP_BUFFER, 0, 2, junk);
	timg_rec(&im, false, TRC_WRAP_BUFFER, 0, 0, NULL);
	timg_window_end(&im, w);
	w = timg_window_start(&im, 1);
	timg_rec(&im, true, TRC_SWITCH, 24000024000ull, 4, sw);
	timg_window_end(&im, w);
	timg_window_start(&im, 0); /* empty */

	s = stats_of(&im, 0);
	assert_int_equal(s->records, 3);
	assert_int_equal(s->no_tsc, 1);
	assert_int_equal(s->file.fillers, 2);
	assert_int_equal(s->file.windows, 3);
	assert_int_equal(s->clock.source, TRACE_CLOCK_DEFAULT);
	assert_int_equal(s->span_ns, 10000); /* 24000 ticks at 2.4 GHz */
	assert_false(s->has_run_end);
	assert_int_equal(s->nr_cpus, 1);
	trace_stats_free(s);

	s = stats_of(&im, 1200000000u);
	assert_int_equal(s->clock.source, TRACE_CLOCK_OPTION);
	assert_int_equal(s->span_ns, 20000);
	trace_stats_free(s);
	free(im.w);
}

/* More distinct unknown IDs than one pending batch holds. */
static void test_many_unknown_ids(void **state)
{
	struct trace_image im = {NULL, 0, 0};
	struct trace_stats *s;
	size_t w;

	(void)state;
	w = timg_window_start(&im, 0);
	/* IDs 0x100000 + k for k in 0..9999, descending, 3 times k = 0. */
	for (uint32_t k = 10000; k-- > 0;)
		timg_rec(&im, true, 0x00100000u + k, 0, 0, NULL);
	timg_rec(&im, true, 0x00100000u, 0, 0, NULL);
	timg_rec(&im, true, 0x00100000u, 0, 0, NULL);
	timg_window_end(&im, w);
	s = stats_of(&im, 0);
	assert_int_equal(s->nr_events, 10000);
	for (size_t i = 0; i < s->nr_events; i++) {
		assert_int_equal(s->events[i].id, 0x00100000u + i);
		assert_int_equal(s->events[i].count, i ? 1 : 3);
	}
	trace_stats_free(s);
	free(im.w);
}

static void test_empty_trace(void **state)
{
	struct trace_image im = {NULL, 0, 0};
	struct trace_stats *s;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	(void)state;
	timg_window_start(&im, 5);
	s = stats_of(&im, 0);
	assert_int_equal(s->records, 0);
	assert_int_equal(s->nr_events + s->nr_cpus + s->nr_domains, 0);
	out = open_memstream(&text, &len);
	trace_stats_print_text(s, "e", out);
	fclose(out);
	assert_non_null(strstr(text, "records: 0 (0 without a timestamp)\n"));
	free(text);
	trace_stats_free(s);
	free(im.w);
	trace_stats_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_hvlab_numbers, setup,
					    tfx_teardown),
	    cmocka_unit_test_setup_teardown(test_hvlab_text, setup,
					    tfx_teardown),
	    cmocka_unit_test(test_xen_trace),
	    cmocka_unit_test(test_many_unknown_ids),
	    cmocka_unit_test(test_empty_trace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
