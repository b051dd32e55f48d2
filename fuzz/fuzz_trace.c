/*
 * libFuzzer target: the trace tools on an arbitrary byte string, as
 * `hvlab trace` would see a hostile file.
 *
 * Runs the reader (trace_reader_open_buffer), then on a file that opens:
 * the statistics and their text, and every export format with and
 * without filters, with a clock taken from the input. Checks, beyond "no
 * crash, no sanitizer report": a refused input has a message naming a
 * byte offset, and the JSON and Perfetto outputs parse (jansson).
 *
 * Build and run: `make fuzz` (see fuzz/README.md).
 */
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracing/export.h"
#include "tracing/trace_reader.h"
#include "tracing/trace_stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs one format into memory; aborts if JSON formats do not parse. */
static void export_check(struct trace_reader *r,
			 const struct trace_export_ops *ops,
			 const struct trace_export_opts *opts)
{
	char *text = NULL, err[256];
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	int ret;

	if (!out)
		return;
	ret = trace_export_run(r, ops, opts, out, NULL, err, sizeof(err));
	fclose(out);
	if (ret && ret != -ENOMEM) {
		fprintf(stderr, "export %s failed on an open file: %s\n",
			ops->name, err);
		abort();
	}
	if (!ret &&
	    (ops == &trace_export_json || ops == &trace_export_perfetto)) {
		json_error_t jerr;
		json_t *root = json_loadb(text, len, 0, &jerr);

		if (!root) {
			fprintf(stderr, "%s output is not JSON: %d:%d: %s\n",
				ops->name, jerr.line, jerr.column, jerr.text);
			abort();
		}
		json_decref(root);
	}
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct trace_export_ops *const formats[] = {
	    &trace_export_text,
	    &trace_export_csv,
	    &trace_export_json,
	    &trace_export_perfetto,
	};
	struct trace_export_opts all = {.cpu = -1};
	struct trace_export_opts some = {.cpu = 0, .nr_events = 2, .limit = 8};
	struct trace_reader *r;
	struct trace_stats *st;
	char err[256];
	FILE *sink;
	int ret;

	ret =
	    trace_reader_open_buffer(data, size, "fuzz", &r, err, sizeof(err));
	if (ret) {
		if (ret == -EINVAL && !strstr(err, "fuzz: offset ")) {
			fprintf(stderr, "refused without an offset: %s\n", err);
			abort();
		}
		return 0;
	}
	/* Any clock a user could give, from the input itself. */
	all.cpu_hz = size ? 1 + (uint64_t)data[0] * 1000003u : 0;
	some.cpu_hz = all.cpu_hz;
	trace_event_match_parse("RUNSTATE_CHANGE", &some.events[0]);
	trace_event_match_parse("0x0001f001", &some.events[1]);

	if (!trace_stats_collect(r, all.cpu_hz, &st, err, sizeof(err))) {
		sink = fopen("/dev/null", "w");
		if (sink) {
			trace_stats_print_text(st, "fuzz", sink);
			fclose(sink);
		}
		trace_stats_free(st);
	}
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		export_check(r, formats[i], &all);
		export_check(r, formats[i], &some);
	}
	trace_reader_close(r);
	return 0;
}
