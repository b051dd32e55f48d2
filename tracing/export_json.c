/*
 * JSON format: one array, one object per record, one record per line.
 *
 *   [
 *   {"time_ns":1200000,"cpu":0,"event":"RUNSTATE_CHANGE","id":"0x00021101",
 *    "fields":{"dv":"d1v0","old":"runnable","new":"running"}},
 *   {"time_ns":5000,"cpu":1,"event":null,"id":"0x00012345",
 *    "fields":{"w0":"0x00000001","w1":"0x00000002"}}
 *   ]
 *
 * Numeric fields are JSON numbers, up to 2^53 - 1; larger ones (a scenario
 * hash) are strings of decimal digits, so no reader rounds them.
 */
#include "tracing/export.h"

static int json_begin(struct trace_export *x)
{
	fputc('[', x->out);
	return 0;
}

static int json_record(struct trace_export *x, const struct trace_export_rec *r)
{
	FILE *out = x->out;

	fputs(x->nr_done ? ",\n{\"time_ns\":" : "\n{\"time_ns\":", out);
	trace_export_json_u64(out, r->time_ns);
	fprintf(out, ",\"cpu\":%u,\"event\":", r->rec->cpu);
	if (r->desc)
		trace_export_json_string(out, r->desc->name);
	else
		fputs("null", out);
	fprintf(out,
		",\"id\":\"0x%08x\",\"fields\":", (unsigned int)r->rec->event);
	trace_export_json_fields(out, r);
	fputc('}', out);
	return 0;
}

static int json_end(struct trace_export *x)
{
	fputs("\n]\n", x->out);
	return 0;
}

const struct trace_export_ops trace_export_json = {
    .name = "json",
    .begin = json_begin,
    .record = json_record,
    .end = json_end,
};
