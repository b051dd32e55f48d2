/*
 * Trace export driver: two passes over the reader, one loop for every
 * format.
 *
 * Pass 1 (export_scan) learns what a format may need before the first
 * record: the clock, the names, the pCPUs with records and the end of the
 * trace. hvlab writes its header and names first, but a tool must not
 * depend on that for a file it did not write. Pass 2 (the loop in
 * trace_export_run) filters, decodes and hands each record to the format.
 *
 * Field layouts are parsed once per event kind and cached in the driver
 * (one slot per decoder table entry), not per record.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tracing/export.h"
#include "tracing/trace_events.h"

/* Largest integer every JSON reader (JavaScript's doubles) holds exactly. */
#define JSON_MAX_EXACT ((1ull << 53) - 1)

static const struct trace_export_ops *const export_formats[] = {
    &trace_export_text,
    &trace_export_csv,
    &trace_export_json,
    &trace_export_perfetto,
};

#define NR_FORMATS (sizeof(export_formats) / sizeof(export_formats[0]))

struct layout_cache {
	bool parsed;
	unsigned int nr;
	struct trace_field fields[TRACE_FIELDS_MAX];
};

/* The driver's state; formats see only @x. */
struct export_run {
	struct trace_export x;
	struct trace_names *names;
	bool *cpu_has_records;
	struct layout_cache *layouts; /* trace_event_count() entries */
	bool has_tsc, has_end;
	uint64_t min_tsc, max_tsc, end_tsc;
};

const struct trace_export_ops *trace_export_find(const char *name)
{
	for (size_t i = 0; i < NR_FORMATS; i++)
		if (!strcmp(export_formats[i]->name, name))
			return export_formats[i];
	return NULL;
}

const char *trace_export_format_names(void)
{
	return "text|csv|json|perfetto";
}

int trace_event_match_parse(const char *arg, struct trace_event_match *m)
{
	if (!strncmp(arg, "0x", 2) || !strncmp(arg, "0X", 2)) {
		char *end;
		unsigned long long id;

		errno = 0;
		id = strtoull(arg + 2, &end, 16);
		if (errno || end == arg + 2 || *end || id > TRC_EVENT_MASK)
			return -EINVAL;
		*m = (struct trace_event_match){NULL, (uint32_t)id};
		return 0;
	}
	for (unsigned int i = 0; i < trace_event_count(); i++) {
		const struct trace_event_desc *d = trace_event_at(i);

		if (!strcasecmp(arg, d->name)) {
			*m = (struct trace_event_match){d->name, d->id};
			return 0;
		}
	}
	return -EINVAL;
}

static bool event_matches(const struct trace_export_opts *o,
			  const struct trace_rec *rec,
			  const struct trace_event_desc *d)
{
	if (!o->nr_events)
		return true;
	for (unsigned int i = 0;
	     i < o->nr_events && i < TRACE_EXPORT_MAX_EVENTS; i++) {
		const struct trace_event_match *m = &o->events[i];

		if (m->name ? d && !strcmp(d->name, m->name)
			    : rec->event == m->id)
			return true;
	}
	return false;
}

/* Pass 1. Return: 0, -ENOMEM, or the reader's error. */
static int export_scan(struct export_run *run, struct trace_reader *r,
		       const struct trace_export_opts *opts)
{
	struct trace_clock *clock = &run->x.clock;
	struct trace_rec rec;
	int ret;

	clock->hz = opts->cpu_hz ? opts->cpu_hz : TRACE_DEFAULT_HZ;
	clock->source = opts->cpu_hz ? TRACE_CLOCK_OPTION : TRACE_CLOCK_DEFAULT;
	while ((ret = trace_reader_next(r, &rec)) == 1) {
		if (trace_names_note(run->names, rec.event, rec.n, rec.data))
			return -ENOMEM;
		if (rec.cpu < run->x.nr_cpus)
			run->cpu_has_records[rec.cpu] = true;
		if (rec.has_tsc) {
			if (!run->has_tsc || rec.tsc < run->min_tsc)
				run->min_tsc = rec.tsc;
			if (!run->has_tsc || rec.tsc > run->max_tsc)
				run->max_tsc = rec.tsc;
			run->has_tsc = true;
		}
		if (rec.event == TRC_HVLAB_HEADER &&
		    rec.n >= TRC_HVLAB_HEADER_WORDS &&
		    trace_u64(&rec.data[1]) &&
		    clock->source != TRACE_CLOCK_HEADER) {
			clock->hz = trace_u64(&rec.data[1]);
			clock->source = TRACE_CLOCK_HEADER;
		}
		if (rec.event == TRC_HVLAB_RUN_END &&
		    rec.n >= TRC_HVLAB_RUN_END_WORDS) {
			run->end_tsc = trace_u64(rec.data);
			run->has_end = true;
		}
	}
	if (ret < 0)
		return ret;
	trace_names_finish(run->names);
	clock->origin = run->has_tsc ? run->min_tsc : 0;
	run->x.end_ns =
	    trace_clock_ns(clock, run->has_end ? run->end_tsc : run->max_tsc);
	trace_reader_rewind(r);
	return 0;
}

static const struct trace_field *export_layout(struct export_run *run,
					       const struct trace_event_desc *d,
					       unsigned int *nr)
{
	struct layout_cache *c = &run->layouts[d - trace_event_at(0)];

	if (!c->parsed) {
		c->nr = trace_event_layout(d, c->fields);
		c->parsed = true;
	}
	*nr = c->nr;
	return c->fields;
}

static void export_free(struct export_run *run)
{
	trace_names_destroy(run->names);
	free(run->cpu_has_records);
	free(run->layouts);
}

int trace_export_run(struct trace_reader *r, const struct trace_export_ops *ops,
		     const struct trace_export_opts *opts, FILE *out,
		     struct trace_clock *clock_used, char *err, size_t errlen)
{
	struct export_run run = {.x = {.out = out}};
	struct trace_reader_info info;
	struct trace_export_rec xr;
	struct trace_rec rec;
	uint64_t done = 0;
	int ret;

	trace_reader_get_info(r, &info);
	trace_reader_rewind(r);
	run.x.nr_cpus = info.nr_cpus;
	run.names = trace_names_create();
	run.cpu_has_records = calloc(info.nr_cpus + 1, sizeof(bool));
	run.layouts = calloc(trace_event_count(), sizeof(*run.layouts));
	if (!run.names || !run.cpu_has_records || !run.layouts) {
		ret = -ENOMEM;
		goto out;
	}
	ret = export_scan(&run, r, opts);
	if (ret)
		goto out;
	run.x.names = run.names;
	run.x.cpu_has_records = run.cpu_has_records;
	if (clock_used)
		*clock_used = run.x.clock;

	ret = ops->begin ? ops->begin(&run.x) : 0;
	while (!ret && (!opts->limit || done < opts->limit) &&
	       (ret = trace_reader_next(r, &rec)) == 1) {
		const struct trace_field *layout = NULL;
		unsigned int nr_layout = 0;

		ret = 0;
		if (opts->cpu >= 0 && rec.cpu != (unsigned int)opts->cpu)
			continue;
		xr.desc = trace_event_find(rec.event);
		if (!event_matches(opts, &rec, xr.desc))
			continue;
		if (xr.desc)
			layout = export_layout(&run, xr.desc, &nr_layout);
		xr.rec = &rec;
		xr.time_ns = trace_clock_ns(&run.x.clock, rec.tsc);
		xr.nr_fields = trace_rec_fields(xr.desc, layout, nr_layout,
						rec.n, xr.fields);
		run.x.nr_done = done++;
		ret = ops->record(&run.x, &xr);
	}
	run.x.nr_done = done;
	if (!ret && ops->end)
		ret = ops->end(&run.x);
	if (ops->release)
		ops->release(&run.x);
	if (!ret && (fflush(out) || ferror(out)))
		ret = -EIO;
out:
	if (ret && err && errlen) {
		if (ret == -ENOMEM)
			snprintf(err, errlen, "out of memory");
		else if (ret == -EIO)
			snprintf(err, errlen, "write error");
		else
			snprintf(err, errlen, "%s", trace_reader_error(r));
	}
	export_free(&run);
	return ret;
}

/* Helpers for formats */

void trace_export_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void trace_export_json_u64(FILE *out, uint64_t v)
{
	fprintf(out, v > JSON_MAX_EXACT ? "\"%llu\"" : "%llu",
		(unsigned long long)v);
}

void trace_export_json_fields(FILE *out, const struct trace_export_rec *r)
{
	char buf[64];

	fputc('{', out);
	for (unsigned int i = 0; i < r->nr_fields; i++) {
		const struct trace_field *f = &r->fields[i];

		fprintf(out, "%s\"%.*s\":", i ? "," : "", (int)f->name_len,
			f->name);
		if (trace_field_is_number(f)) {
			trace_export_json_u64(
			    out, trace_field_value(f, r->rec->data));
		} else {
			trace_field_format(f, r->rec->data, buf, sizeof(buf));
			trace_export_json_string(out, buf);
		}
	}
	fputc('}', out);
}

const char *trace_export_quote(const char *text, bool always, char *buf,
			       size_t len)
{
	size_t n = 0;

	if (!len)
		return buf;
	if (!always && *text && !strpbrk(text, " \"\\")) {
		snprintf(buf, len, "%s", text);
		return buf;
	}
	/* Room for a closing quote and the NUL at every step. */
	if (n + 3 <= len)
		buf[n++] = '"';
	for (; *text && n + 4 <= len; text++) {
		if (*text == '"' || *text == '\\')
			buf[n++] = '\\';
		buf[n++] = *text;
	}
	if (n + 2 <= len)
		buf[n++] = '"';
	buf[n] = '\0';
	return buf;
}

const char *trace_export_vcpu_name(const struct trace_export *x, uint32_t dv,
				   char *buf, size_t len)
{
	const char *dom = trace_names_domain(x->names, dv >> 16);

	if (dom)
		snprintf(buf, len, "%s v%u", dom, (unsigned int)(dv & 0xffff));
	else
		snprintf(buf, len, "d%uv%u", (unsigned int)(dv >> 16),
			 (unsigned int)(dv & 0xffff));
	return buf;
}
