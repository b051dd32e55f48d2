/*
 * Trace decode throughput: records per second of host time for reading
 * and decoding a trace, and for each `hvlab trace` tool on it.
 *
 *   read      trace_reader_open + trace_reader_next over every record
 *   decode    the export driver: filters, event lookup, field layout, and
 *             every field formatted to text (no output)
 *   text ...  `hvlab trace dump` / `export --format F` to /dev/null
 *   stats     `hvlab trace stats`
 *
 * Each figure is the best of 3 runs (host time is noisy); every run opens
 * the file again, so the read figures include the read from the page cache.
 *
 * usage: trace_decode [TRACE]   (default: a fresh run of the demo scenario)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hv-core/arch/sim/sim.h"
#include "scenario/scenario.h"
#include "tracing/export.h"
#include "tracing/trace_reader.h"
#include "tracing/trace_stats.h"

#define DEMO "bench/scenarios/demo.yaml"

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Formats every field: the work of a format minus its output. */
static int decode_record(struct trace_export *x,
			 const struct trace_export_rec *r)
{
	char buf[64];

	(void)x;
	for (unsigned int i = 0; i < r->nr_fields; i++)
		trace_field_format(&r->fields[i], r->rec->data, buf,
				   sizeof(buf));
	return 0;
}

static const struct trace_export_ops decode_only = {
    .name = "decode",
    .record = decode_record,
};

enum job { JOB_READ, JOB_DECODE, JOB_FORMAT, JOB_STATS };

/* One timed run. Return: records seen, or -1. */
static long long run_once(const char *path, enum job job,
			  const struct trace_export_ops *ops, FILE *sink)
{
	const struct trace_export_opts opts = {.cpu = -1};
	struct trace_reader *r;
	struct trace_stats *st;
	struct trace_rec rec;
	char err[256];
	long long n = 0;
	int ret = 0;

	if (trace_reader_open(path, &r, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (job == JOB_READ) {
		while (trace_reader_next(r, &rec) == 1)
			n++;
	} else if (job == JOB_STATS) {
		ret = trace_stats_collect(r, 0, &st, err, sizeof(err));
		if (!ret) {
			n = (long long)st->records;
			trace_stats_print_text(st, path, sink);
			trace_stats_free(st);
		}
	} else {
		struct trace_reader_info info;

		ret = trace_export_run(r, ops, &opts, sink, NULL, err,
				       sizeof(err));
		trace_reader_get_info(r, &info);
		n = (long long)(info.records - info.fillers);
	}
	trace_reader_close(r);
	if (ret) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return n;
}

static int bench(const char *path, const char *what, enum job job,
		 const struct trace_export_ops *ops, FILE *sink)
{
	double best = 1e30;
	long long n = 0;

	for (int rep = 0; rep < 3; rep++) {
		double t0 = now_s();

		n = run_once(path, job, ops, sink);
		if (n < 0)
			return 1;
		if (now_s() - t0 < best)
			best = now_s() - t0;
	}
	printf("%-9s %9lld records  %8.4f s  %7.2f M records/s\n", what, n,
	       best, (double)n / best / 1e6);
	return 0;
}

/* Runs the demo scenario into @path. */
static int make_demo_trace(const char *path)
{
	struct sim_options opt = {.trace_path = path};
	struct scenario *scn;
	struct sim_stats st;
	int rc;

	if (scenario_load(DEMO, stderr, &scn))
		return 1;
	rc = sim_run_scenario(scn, &opt, &st, stderr);
	scenario_free(scn);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/hvlab-bench-XXXXXX", path[64];
	const char *trace = argc > 1 ? argv[1] : NULL;
	FILE *sink = fopen("/dev/null", "w");
	int rc = 0;

	if (!sink)
		return 1;
	if (!trace) {
		if (!mkdtemp(dir))
			return 1;
		snprintf(path, sizeof(path), "%s/trace.xt", dir);
		if (make_demo_trace(path))
			return 1;
		trace = path;
	}
	printf("trace decode throughput (host time, best of 3): %s\n",
	       argc > 1 ? trace : DEMO);
	rc |= bench(trace, "read", JOB_READ, NULL, sink);
	rc |= bench(trace, "decode", JOB_DECODE, &decode_only, sink);
	rc |= bench(trace, "text", JOB_FORMAT, &trace_export_text, sink);
	rc |= bench(trace, "csv", JOB_FORMAT, &trace_export_csv, sink);
	rc |= bench(trace, "json", JOB_FORMAT, &trace_export_json, sink);
	rc |=
	    bench(trace, "perfetto", JOB_FORMAT, &trace_export_perfetto, sink);
	rc |= bench(trace, "stats", JOB_STATS, NULL, sink);
	fclose(sink);
	if (argc < 2) {
		unlink(path);
		rmdir(dir);
	}
	return rc;
}
