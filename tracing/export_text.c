/*
 * Text format: `hvlab trace dump`. One line per record:
 *
 *   0.001200000 cpu0 SWITCH prev_dom=32767 prev_vcpu=0 next_dom=1 ...
 *   0.001200000 cpu0 RUNSTATE_CHANGE d1v0 runnable->running
 *   0.000000000 cpu0 HVLAB_NAME_DOMAIN dom=1 name="ctrl"
 *   0.000005000 cpu1 unknown 0x00012345 w0=0x00000001 w1=0x00000002
 *
 * Time is seconds since the clock's origin, to the nanosecond.
 */
#include "tracing/export.h"

static void text_field(FILE *out, const struct trace_export_rec *r,
		       const struct trace_field *f, bool with_name)
{
	char buf[64], quoted[2 * sizeof(buf) + 2];

	trace_field_format(f, r->rec->data, buf, sizeof(buf));
	if (with_name)
		fprintf(out, " %.*s=", (int)f->name_len, f->name);
	else
		fputc(' ', out);
	if (f->kind == TRACE_FIELD_NAME)
		fputs(trace_export_quote(buf, true, quoted, sizeof(quoted)),
		      out);
	else
		fputs(buf, out);
}

static int text_record(struct trace_export *x, const struct trace_export_rec *r)
{
	const struct trace_event_desc *d = r->desc;
	FILE *out = x->out;

	fprintf(out, "%llu.%09llu cpu%u ",
		(unsigned long long)(r->time_ns / 1000000000u),
		(unsigned long long)(r->time_ns % 1000000000u), r->rec->cpu);
	if (!d)
		fprintf(out, "unknown 0x%08x", (unsigned int)r->rec->event);
	else
		fputs(d->name, out);
	if (d && d->runstate_old >= 0) {
		/* RUNSTATE_CHANGE d1v0 runnable->running */
		for (unsigned int i = 0; i < r->nr_fields; i++)
			if (r->fields[i].kind != TRACE_FIELD_RUNSTATE)
				text_field(out, r, &r->fields[i],
					   r->fields[i].kind != TRACE_FIELD_DV);
		fprintf(out, " %s->%s",
			trace_runstate_name((unsigned int)d->runstate_old),
			trace_runstate_name((unsigned int)d->runstate_new));
	} else {
		for (unsigned int i = 0; i < r->nr_fields; i++)
			text_field(out, r, &r->fields[i], true);
	}
	if (d && r->rec->n < d->nr_words)
		fprintf(out, " (short: %u of %u words)", r->rec->n,
			d->nr_words);
	fputc('\n', out);
	return 0;
}

const struct trace_export_ops trace_export_text = {
    .name = "text",
    .record = text_record,
};
