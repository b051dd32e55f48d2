/*
 * Unit tests: trace export formats (text, CSV, JSON, Perfetto) and the
 * driver's clock, names and filters, on traces built with the real
 * producer (trace_buf + trace_file) and on Xen-style images built by hand.
 * JSON output is parsed back with jansson.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/types.h>

#include "tests/support/trace_fixture.h"
#include "tracing/export.h"
#include "tracing/trace_events.h"
#include "tracing/trace_reader.h"
#include "tests/support/trace_image.h"


static void sw(struct tfx *fx, unsigned int cpu, uint64_t t, unsigned int pd,
	       unsigned int pv, unsigned int nd, unsigned int nv)
{
	const uint32_t d[4] = {pd, pv, nd, nv};

	tfx_rec(fx, cpu, t, TRC_SWITCH, 4, d);
}

/*
 * A 2-pCPU hvlab run: ctrl (d1) runs on pCPU 0 from 1 to 2.5 us, takes
 * an interrupt; unnamed d2v1 runs on pCPU 1 from 3 us to the end (6 us);
 * one unknown event; one ARINC653 window.
 */
static void build_hvlab_trace(struct tfx *fx)
{
	const uint32_t hdr[7] = {
	    HVLAB_TRACE_VERSION, 1000000000u, 0,	  2,
	    HVLAB_BACKEND_SIM,	 0x5678ef90u, 0x1234abcdu};
	const uint32_t raise[2] = {1u << 16, trace_dv(1, 0)};
	const uint32_t entry[4] = {1u << 16, trace_dv(1, 0), 500, 0};
	const uint32_t unknown[2] = {1, 2};
	const uint32_t window[7] = {0, 1, trace_dv(1, 0), 20000, 0, 4000, 0};
	const uint32_t end[2] = {6000, 0};

	tfx_rec(fx, 0, 0, TRC_HVLAB_HEADER, 7, hdr);
	tfx_name(fx, TRC_HVLAB_NAME_DOMAIN, 1, "ctrl");
	tfx_name(fx, TRC_HVLAB_NAME_IRQ, 1u << 16, "adc");
	tfx_runstate(fx, 0, 1000, 1, 0, 1, 0);
	sw(fx, 0, 1000, HV_DOMID_IDLE, 0, 1, 0);
	tfx_rec(fx, 1, 1500, TRC_HVLAB_IRQ_RAISE, 2, raise);
	tfx_rec(fx, 0, 2000, TRC_HVLAB_GUEST_IRQ_ENTRY, 4, entry);
	tfx_runstate(fx, 0, 2500, 1, 0, 0, 2);
	sw(fx, 0, 2500, 1, 0, HV_DOMID_IDLE, 0);
	tfx_runstate(fx, 1, 3000, 2, 1, 1, 0);
	sw(fx, 1, 3000, HV_DOMID_IDLE, 1, 2, 1);
	tfx_rec(fx, 1, 3000, 0x00012345u, 2, unknown);
	tfx_rec(fx, 0, 4000, TRC_HVLAB_A653_WINDOW, 7, window);
	tfx_rec(fx, 0, 6000, TRC_HVLAB_RUN_END, 2, end);
}

static char *export_to_string(struct trace_reader *r,
			      const struct trace_export_ops *ops,
			      const struct trace_export_opts *opts,
			      struct trace_clock *clock)
{
	struct trace_export_opts all = {.cpu = -1};
	char *text = NULL, err[256];
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(trace_export_run(r, ops, opts ? opts : &all, out,
					  clock, err, sizeof(err)),
			 0);
	assert_int_equal(fclose(out), 0);
	return text;
}

static void test_text_dump(void **state)
{
	static const char want[] =
	    "0.000000000 cpu0 HVLAB_HEADER version=1 hz=1000000000 pcpus=2 "
	    "backend=0 hash=1311862289879068560\n"
	    "0.000000000 cpu0 HVLAB_NAME_DOMAIN dom=1 name=\"ctrl\"\n"
	    "0.000000000 cpu0 HVLAB_NAME_IRQ di=d1i0 name=\"adc\"\n"
	    "0.000001000 cpu0 RUNSTATE_CHANGE d1v0 runnable->running\n"
	    "0.000001000 cpu0 SWITCH prev_dom=32767 prev_vcpu=0 next_dom=1 "
	    "next_vcpu=0\n"
	    "0.000001500 cpu1 HVLAB_IRQ_RAISE di=d1i0 dv=d1v0\n"
	    "0.000002000 cpu0 HVLAB_GUEST_IRQ_ENTRY di=d1i0 dv=d1v0 lat=500\n"
	    "0.000002500 cpu0 RUNSTATE_CHANGE d1v0 running->blocked\n"
	    "0.000002500 cpu0 SWITCH prev_dom=1 prev_vcpu=0 next_dom=32767 "
	    "next_vcpu=0\n"
	    "0.000003000 cpu1 RUNSTATE_CHANGE d2v1 runnable->running\n"
	    "0.000003000 cpu1 SWITCH prev_dom=32767 prev_vcpu=1 next_dom=2 "
	    "next_vcpu=1\n"
	    "0.000003000 cpu1 unknown 0x00012345 w0=0x00000001 "
	    "w1=0x00000002\n"
	    "0.000004000 cpu0 HVLAB_A653_WINDOW cpu=0 index=1 dv=d1v0 "
	    "len=20000 start=4000\n"
	    "0.000006000 cpu0 HVLAB_RUN_END end=6000\n";
	struct tfx *fx = *state;
	struct trace_clock clock;
	char *text;

	build_hvlab_trace(fx);
	tfx_done_open(fx);
	text = export_to_string(fx->r, &trace_export_text, NULL, &clock);
	assert_string_equal(text, want);
	assert_int_equal(clock.source, TRACE_CLOCK_HEADER);
	assert_int_equal(clock.hz, 1000000000u);
	free(text);
	/* A second run over the same reader gives the same text. */
	text = export_to_string(fx->r, &trace_export_text, NULL, NULL);
	assert_string_equal(text, want);
	free(text);
}

static void test_csv(void **state)
{
	static const char want_head[] =
	    "time_ns,cpu,event,id,fields\n"
	    "0,0,HVLAB_HEADER,0x01001001,version=1 hz=1000000000 pcpus=2 "
	    "backend=0 hash=1311862289879068560\n"
	    "0,0,HVLAB_NAME_DOMAIN,0x01001002,dom=1 name=ctrl\n"
	    "0,0,HVLAB_NAME_IRQ,0x01001004,di=d1i0 name=adc\n"
	    "1000,0,RUNSTATE_CHANGE,0x00021101,dv=d1v0 old=runnable "
	    "new=running\n";
	struct tfx *fx = *state;
	char *text;

	build_hvlab_trace(fx);
	tfx_done_open(fx);
	text = export_to_string(fx->r, &trace_export_csv, NULL, NULL);
	assert_memory_equal(text, want_head, strlen(want_head));
	assert_non_null(strstr(text, "\n3000,1,unknown,0x00012345,"
				     "w0=0x00000001 w1=0x00000002\n"));
	assert_non_null(strstr(text, "\n2000,0,HVLAB_GUEST_IRQ_ENTRY,"
				     "0x01004001,di=d1i0 dv=d1v0 lat=500\n"));
	free(text);
}

/* Names with a space, a quote and a comma are quoted in every format. */
static void test_awkward_names(void **state)
{
	struct tfx *fx = *state;
	json_error_t jerr;
	json_t *root;
	char *text;

	tfx_name(fx, TRC_HVLAB_NAME_DOMAIN, 1, "a \"b\",c");
	tfx_done_open(fx);
	text = export_to_string(fx->r, &trace_export_csv, NULL, NULL);
	assert_string_equal(text, "time_ns,cpu,event,id,fields\n"
				  "0,0,HVLAB_NAME_DOMAIN,0x01001002,"
				  "\"dom=1 name=\"\"a \\\"\"b\\\"\",c\"\"\"\n");
	free(text);
	text = export_to_string(fx->r, &trace_export_text, NULL, NULL);
	assert_string_equal(text, "0.000000000 cpu0 HVLAB_NAME_DOMAIN dom=1 "
				  "name=\"a \\\"b\\\",c\"\n");
	free(text);
	text = export_to_string(fx->r, &trace_export_json, NULL, NULL);
	root = json_loads(text, 0, &jerr);
	assert_non_null(root);
	assert_string_equal(
	    json_string_value(json_object_get(
		json_object_get(json_array_get(root, 0), "fields"), "name")),
	    "a \"b\",c");
	json_decref(root);
	free(text);
}

static void test_json(void **state)
{
	struct tfx *fx = *state;
	json_t *root, *o, *f;
	json_error_t jerr;
	char *text;

	build_hvlab_trace(fx);
	tfx_done_open(fx);
	text = export_to_string(fx->r, &trace_export_json, NULL, NULL);
	root = json_loads(text, 0, &jerr);
	if (!root)
		fail_msg("invalid JSON at line %d: %s", jerr.line, jerr.text);
	assert_true(json_is_array(root));
	assert_int_equal(json_array_size(root), 14);

	/* The header: a hash over 2^53 is a string, other u64s numbers. */
	o = json_array_get(root, 0);
	assert_string_equal(json_string_value(json_object_get(o, "event")),
			    "HVLAB_HEADER");
	assert_string_equal(json_string_value(json_object_get(o, "id")),
			    "0x01001001");
	f = json_object_get(o, "fields");
	assert_int_equal(json_integer_value(json_object_get(f, "hz")),
			 1000000000);
	assert_string_equal(json_string_value(json_object_get(f, "hash")),
			    "1311862289879068560");

	o = json_array_get(root, 3);
	assert_int_equal(json_integer_value(json_object_get(o, "time_ns")),
			 1000);
	assert_int_equal(json_integer_value(json_object_get(o, "cpu")), 0);
	f = json_object_get(o, "fields");
	assert_string_equal(json_string_value(json_object_get(f, "dv")),
			    "d1v0");
	assert_string_equal(json_string_value(json_object_get(f, "old")),
			    "runnable");
	assert_string_equal(json_string_value(json_object_get(f, "new")),
			    "running");

	/* The unknown event: null name, raw words in hex. */
	o = json_array_get(root, 11);
	assert_true(json_is_null(json_object_get(o, "event")));
	assert_string_equal(json_string_value(json_object_get(o, "id")),
			    "0x00012345");
	f = json_object_get(o, "fields");
	assert_int_equal(json_object_size(f), 2);
	assert_string_equal(json_string_value(json_object_get(f, "w1")),
			    "0x00000002");
	json_decref(root);
	free(text);
}

/* Finds the trace event of phase @ph on track @tid with name @name. */
static json_t *find_event(json_t *events, const char *ph, int tid,
			  const char *name)
{
	size_t i;
	json_t *e;

	json_array_foreach(events, i, e)
	{
		if (!strcmp(json_string_value(json_object_get(e, "ph")), ph) &&
		    json_integer_value(json_object_get(e, "tid")) == tid &&
		    !strcmp(json_string_value(json_object_get(e, "name")),
			    name))
			return e;
	}
	return NULL;
}

static size_t count_phase(json_t *events, const char *ph)
{
	size_t i, n = 0;
	json_t *e;

	json_array_foreach(events, i, e) n +=
	    !strcmp(json_string_value(json_object_get(e, "ph")), ph);
	return n;
}

static double num(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static void test_perfetto(void **state)
{
	struct tfx *fx = *state;
	json_t *root, *events, *e, *meta;
	json_error_t jerr;
	char *text;

	build_hvlab_trace(fx);
	tfx_done_open(fx);
	text = export_to_string(fx->r, &trace_export_perfetto, NULL, NULL);
	root = json_loads(text, 0, &jerr);
	if (!root)
		fail_msg("invalid JSON at line %d: %s", jerr.line, jerr.text);
	assert_string_equal(
	    json_string_value(json_object_get(root, "displayTimeUnit")), "ns");
	events = json_object_get(root, "traceEvents");
	assert_true(json_is_array(events));

	/* One named track per pCPU. */
	meta = find_event(events, "M", 1, "thread_name");
	assert_non_null(meta);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(meta, "args"), "name")),
			    "pCPU 1");
	assert_int_equal(json_integer_value(json_object_get(meta, "pid")), 0);

	/* Exactly two slices: the idle domain gets none. */
	assert_int_equal(count_phase(events, "X"), 2);
	e = find_event(events, "X", 0, "ctrl v0");
	assert_non_null(e);
	assert_true(num(e, "ts") == 1.0 && num(e, "dur") == 1.5);
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(e, "args"), "dom")),
			 1);
	/* Unnamed domain, still open at the end: closed at RUN_END. */
	e = find_event(events, "X", 1, "d2v1");
	assert_non_null(e);
	assert_true(num(e, "ts") == 3.0 && num(e, "dur") == 3.0);

	/* Instants: interrupts and ARINC653 windows. */
	assert_int_equal(count_phase(events, "i"), 3);
	e = find_event(events, "i", 1, "irq raise adc");
	assert_non_null(e);
	assert_true(num(e, "ts") == 1.5);
	assert_string_equal(json_string_value(json_object_get(e, "s")), "t");
	e = find_event(events, "i", 0, "irq entry adc");
	assert_non_null(e);
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(e, "args"), "lat")),
			 500);
	assert_non_null(find_event(events, "i", 0, "a653 window 1 ctrl v0"));
	json_decref(root);
	free(text);
}

/*
 * A switch sequence across two pCPUs, with a migration at one instant and
 * only RUNSTATE_CHANGE records on pCPU 1 (a Xen trace filtered to sub-class
 * 1 has no SWITCH): the slices must still be exact.
 */
static void test_perfetto_switch_sequence(void **state)
{
	static const struct {
		int tid;
		const char *name;
		double ts, dur;
	} want[] = {
	    {0, "ctrl v0", 0.1, 0.3}, /* 100..400 on pCPU 0 */
	    {1, "ctrl v0", 0.4, 0.6}, /* migrated at 400, blocks at 1000 */
	    {0, "d2v0", 0.4, 0.8}, /* 400..1200: end of trace */
	};
	/* No header: the clock is the user's. */
	const struct trace_export_opts o = {.cpu = -1, .cpu_hz = 1000000000u};
	struct tfx *fx = *state;
	json_t *root, *events;
	char *text;

	tfx_name(fx, TRC_HVLAB_NAME_DOMAIN, 1, "ctrl");
	tfx_runstate(fx, 0, 100, 1, 0, 1, 0);
	sw(fx, 0, 100, HV_DOMID_IDLE, 0, 1, 0);
	sw(fx, 0, 400, 1, 0, 2, 0);
	tfx_runstate(fx, 1, 400, 1, 0, 1, 0);
	tfx_runstate(fx, 1, 1000, 1, 0, 0, 2);
	tfx_runstate(fx, 1, 1000, HV_DOMID_IDLE, 1, 1, 0);
	tfx_runstate(fx, 0, 1200, 2, 0, 0, 0); /* odd, harmless: no change */
	tfx_done_open(fx);
	text = export_to_string(fx->r, &trace_export_perfetto, &o, NULL);
	root = json_loads(text, 0, NULL);
	assert_non_null(root);
	events = json_object_get(root, "traceEvents");
	assert_int_equal(count_phase(events, "X"), 3);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		json_t *e = find_event(events, "X", want[i].tid, want[i].name);

		assert_non_null(e);
		assert_true(num(e, "ts") == want[i].ts);
		assert_true(num(e, "dur") == want[i].dur);
	}
	json_decref(root);
	free(text);
}

static void test_filters(void **state)
{
	struct tfx *fx = *state;
	struct trace_export_opts o = {.cpu = 1};
	char *text;

	build_hvlab_trace(fx);
	tfx_done_open(fx);
	text = export_to_string(fx->r, &trace_export_text, &o, NULL);
	assert_string_equal(
	    text, "0.000001500 cpu1 HVLAB_IRQ_RAISE di=d1i0 dv=d1v0\n"
		  "0.000003000 cpu1 RUNSTATE_CHANGE d2v1 runnable->running\n"
		  "0.000003000 cpu1 SWITCH prev_dom=32767 prev_vcpu=1 "
		  "next_dom=2 next_vcpu=1\n"
		  "0.000003000 cpu1 unknown 0x00012345 w0=0x00000001 "
		  "w1=0x00000002\n");
	free(text);

	/* By name, any case: all 16 RUNSTATE_CHANGE IDs; by ID; --limit. */
	o = (struct trace_export_opts){.cpu = -1, .nr_events = 2, .limit = 3};
	assert_int_equal(
	    trace_event_match_parse("runstate_change", &o.events[0]), 0);
	assert_int_equal(trace_event_match_parse("0x12345", &o.events[1]), 0);
	text = export_to_string(fx->r, &trace_export_csv, &o, NULL);
	assert_string_equal(
	    text, "time_ns,cpu,event,id,fields\n"
		  "1000,0,RUNSTATE_CHANGE,0x00021101,dv=d1v0 old=runnable "
		  "new=running\n"
		  "2500,0,RUNSTATE_CHANGE,0x00021021,dv=d1v0 old=running "
		  "new=blocked\n"
		  "3000,1,RUNSTATE_CHANGE,0x00021101,dv=d2v1 old=runnable "
		  "new=running\n");
	free(text);
	o.limit = 0;
	text = export_to_string(fx->r, &trace_export_csv, &o, NULL);
	assert_non_null(strstr(text, "3000,1,unknown,0x00012345,"));
	free(text);
}

static void test_event_match_parse(void **state)
{
	struct trace_event_match m;

	(void)state;
	assert_int_equal(trace_event_match_parse("SWITCH", &m), 0);
	assert_string_equal(m.name, "SWITCH");
	assert_int_equal(trace_event_match_parse("0x0002800A", &m), 0);
	assert_null(m.name);
	assert_int_equal(m.id, TRC_SWITCH);
	assert_int_equal(trace_event_match_parse("NOPE", &m), -EINVAL);
	assert_int_equal(trace_event_match_parse("0x", &m), -EINVAL);
	assert_int_equal(trace_event_match_parse("0x1g", &m), -EINVAL);
	assert_int_equal(trace_event_match_parse("0x10000000", &m), -EINVAL);
	assert_ptr_equal(trace_export_find("perfetto"), &trace_export_perfetto);
	assert_ptr_equal(trace_export_find("text"), &trace_export_text);
	assert_null(trace_export_find("html"));
}

/* 10 s into a 2.4 GHz host's uptime. */
#define XEN_T0 24000000000ull

/*
 * As a real Xen writes: no hvlab records, TSC timestamps, records without
 * timestamps, a wrap filler, a lost-records note.
 */
static void build_xen_image(struct trace_image *im)
{
	const uint32_t sw1[4] = {HV_DOMID_IDLE, 1, 3, 1};
	const uint32_t sw2[4] = {3, 1, HV_DOMID_IDLE, 1};
	const uint32_t dv = trace_dv(3, 1), lost[4] = {5, 0, 0, 0};
	const uint32_t junk[3] = {0xdead, 0xbeef, 0};
	size_t w;

	w = timg_window_start(im, 1);
	timg_rec(im, true, TRC_SWITCH, XEN_T0 + 2400, 4, sw1);
	timg_rec(im, false, TRC_RUNSTATE_ID(1, 0), 0, 1, &dv);
	timg_rec(im, true, TRC_WRAP_BUFFER, XEN_T0 + 2400, 3, junk);
	timg_window_end(im, w);
	w = timg_window_start(im, 0);
	timg_rec(im, true, TRC_LOST_RECORDS, XEN_T0, 4, lost);
	timg_window_end(im, w);
	w = timg_window_start(im, 1);
	timg_rec(im, true, TRC_SWITCH, XEN_T0 + 7200, 4, sw2);
	timg_window_end(im, w);
}

static void test_xen_trace_clock(void **state)
{
	static const char want_default[] =
	    "0.000000000 cpu0 LOST_RECORDS count=5 vd=d0v0 first_tsc=0\n"
	    "0.000001000 cpu1 SWITCH prev_dom=32767 prev_vcpu=1 next_dom=3 "
	    "next_vcpu=1\n"
	    "0.000001000 cpu1 RUNSTATE_CHANGE d3v1 runnable->running\n"
	    "0.000003000 cpu1 SWITCH prev_dom=3 prev_vcpu=1 next_dom=32767 "
	    "next_vcpu=1\n";
	struct trace_export_opts o = {.cpu = -1, .cpu_hz = 1200000000u};
	struct trace_clock clock;
	struct trace_reader *r;
	struct trace_image im = {NULL, 0, 0};
	json_t *root, *e;
	char err[256], *text;

	(void)state;
	build_xen_image(&im);
	assert_int_equal(trace_reader_open_buffer(im.w, im.n * 4, "xen.trace",
						  &r, err, sizeof(err)),
			 0);
	text = export_to_string(r, &trace_export_text, NULL, &clock);
	assert_string_equal(text, want_default);
	assert_int_equal(clock.source, TRACE_CLOCK_DEFAULT);
	assert_int_equal(clock.hz, TRACE_DEFAULT_HZ);
	assert_int_equal(clock.origin, XEN_T0);
	free(text);

	/* --cpu-hz 1.2G: the same ticks are twice as long. */
	text = export_to_string(r, &trace_export_text, &o, &clock);
	assert_int_equal(clock.source, TRACE_CLOCK_OPTION);
	assert_non_null(strstr(text, "\n0.000006000 cpu1 SWITCH prev_dom=3 "));
	free(text);

	/* No names in the file: slices are named d3v1. */
	text = export_to_string(r, &trace_export_perfetto, &o, NULL);
	root = json_loads(text, 0, NULL);
	assert_non_null(root);
	e = find_event(json_object_get(root, "traceEvents"), "X", 1, "d3v1");
	assert_non_null(e);
	assert_true(num(e, "ts") == 2.0 && num(e, "dur") == 4.0);
	json_decref(root);
	free(text);
	trace_reader_close(r);
	free(im.w);
}

/* Records shorter or longer than the table says. */
static void test_odd_lengths(void **state)
{
	static const char want[] =
	    "0.000000000 cpu0 SWITCH prev_dom=1 prev_vcpu=2 (short: 2 of 4 "
	    "words)\n"
	    "0.000000000 cpu0 HVLAB_RUN_END w0=0x00000007 (short: 1 of 2 "
	    "words)\n"
	    "0.000000000 cpu0 RUNSTATE_CHANGE d1v0 w1=0x00000009 "
	    "running->blocked\n";
	const uint32_t d[3] = {trace_dv(1, 0), 9, 0};
	const uint32_t half_switch[2] = {1, 2}, half_end[1] = {7};
	struct trace_image im = {NULL, 0, 0};
	struct trace_reader *r;
	char err[256], *text;
	size_t w;

	(void)state;
	w = timg_window_start(&im, 0);
	timg_rec(&im, true, TRC_SWITCH, 0, 2, half_switch);
	timg_rec(&im, true, TRC_HVLAB_RUN_END, 0, 1, half_end);
	timg_rec(&im, true, TRC_RUNSTATE_ID(0, 2), 0, 2, d);
	timg_window_end(&im, w);
	assert_int_equal(trace_reader_open_buffer(im.w, im.n * 4, NULL, &r, err,
						  sizeof(err)),
			 0);
	text = export_to_string(r, &trace_export_text, NULL, NULL);
	assert_string_equal(text, want);
	free(text);
	/* Perfetto skips what it cannot read; the JSON stays valid. */
	text = export_to_string(r, &trace_export_perfetto, NULL, NULL);
	assert_non_null(strstr(text, "\"traceEvents\":["));
	free(text);
	trace_reader_close(r);
	free(im.w);
}

/* A file of empty windows: no records, still well-formed output. */
static void test_no_records(void **state)
{
	struct trace_image im = {NULL, 0, 0};
	struct trace_reader *r;
	json_t *root;
	char *text;

	(void)state;
	timg_window_start(&im, 0);
	assert_int_equal(
	    trace_reader_open_buffer(im.w, im.n * 4, NULL, &r, NULL, 0), 0);
	text = export_to_string(r, &trace_export_json, NULL, NULL);
	assert_string_equal(text, "[\n]\n");
	free(text);
	text = export_to_string(r, &trace_export_perfetto, NULL, NULL);
	root = json_loads(text, 0, NULL);
	assert_non_null(root);
	assert_int_equal(json_array_size(json_object_get(root, "traceEvents")),
			 1);
	json_decref(root);
	free(text);
	trace_reader_close(r);
	free(im.w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_text_dump, tfx_setup,
					    tfx_teardown),
	    cmocka_unit_test_setup_teardown(test_csv, tfx_setup, tfx_teardown),
	    cmocka_unit_test_setup_teardown(test_awkward_names, tfx_setup,
					    tfx_teardown),
	    cmocka_unit_test_setup_teardown(test_json, tfx_setup, tfx_teardown),
	    cmocka_unit_test_setup_teardown(test_perfetto, tfx_setup,
					    tfx_teardown),
	    cmocka_unit_test_setup_teardown(test_perfetto_switch_sequence,
					    tfx_setup, tfx_teardown),
	    cmocka_unit_test_setup_teardown(test_filters, tfx_setup,
					    tfx_teardown),
	    cmocka_unit_test(test_event_match_parse),
	    cmocka_unit_test(test_xen_trace_clock),
	    cmocka_unit_test(test_odd_lengths),
	    cmocka_unit_test(test_no_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
