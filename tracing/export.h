/*
 * Trace export: `hvlab trace dump` and `hvlab trace export`.
 *
 * One driver loop (trace_export_run(), export.c) reads the merged record
 * stream, applies the filters, decodes each record once and hands it to
 * an output format; one small file per format (export_text.c, _csv.c,
 * _json.c, _perfetto.c) only formats, as uftrace's dump formats do.
 *
 * Before the loop, the driver reads the file once to learn what a format
 * may need before the first record: the clock (HVLAB_HEADER), the names
 * (HVLAB_NAME_*), the pCPUs and the end of the trace.
 */
#ifndef HV_TRACE_EXPORT_H
#define HV_TRACE_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tracing/trace_decode.h"
#include "tracing/trace_reader.h"

/* One --event filter: an event name from the table, or an exact ID. */
struct trace_event_match {
	const char *name; /* the table's name; NULL: match @id */
	uint32_t id;
};

#define TRACE_EXPORT_MAX_EVENTS 16

struct trace_export_opts {
	uint64_t cpu_hz; /* clock when the file has no header; 0: default */
	int cpu; /* only this pCPU; -1: all */
	unsigned int nr_events; /* 0: every event, else any of @events */
	struct trace_event_match events[TRACE_EXPORT_MAX_EVENTS];
	uint64_t limit; /* stop after this many records; 0: no limit */
};

/* One record as formats see it: decoded, with its time. */
struct trace_export_rec {
	const struct trace_rec *rec;
	const struct trace_event_desc *desc; /* NULL: unknown event */
	uint64_t time_ns; /* since the clock's origin */
	unsigned int nr_fields;
	struct trace_field fields[TRACE_FIELDS_MAX];
};

/* The whole trace as formats see it. */
struct trace_export {
	FILE *out;
	const struct trace_names *names; /* finished */
	struct trace_clock clock;
	uint64_t end_ns; /* HVLAB_RUN_END, else the last timestamp */
	unsigned int nr_cpus; /* pCPUs are 0..nr_cpus-1 */
	const bool *cpu_has_records; /* nr_cpus entries */
	uint64_t nr_done; /* records handed to the format before this one */
	void *priv; /* the format's own state, from its begin hook */
};

/*
 * One output format. Hooks return 0 or a negative errno, which stops the
 * driver; release (optional) is called last in every case and frees what
 * begin allocated. Output errors need not be checked by hooks: the driver
 * checks the stream at the end.
 */
struct trace_export_ops {
	const char *name; /* as given to --format */
	int (*begin)(struct trace_export *x);
	int (*record)(struct trace_export *x, const struct trace_export_rec *r);
	int (*end)(struct trace_export *x);
	void (*release)(struct trace_export *x);
};

extern const struct trace_export_ops trace_export_text;
extern const struct trace_export_ops trace_export_csv;
extern const struct trace_export_ops trace_export_json;
extern const struct trace_export_ops trace_export_perfetto;

/*
 * trace_export_find() - the format called @name ("text", "csv", "json",
 * "perfetto"). Return: the format, or NULL.
 */
const struct trace_export_ops *trace_export_find(const char *name);

/* trace_export_format_names() - "text|csv|json|perfetto", for usage text. */
const char *trace_export_format_names(void);

/*
 * trace_event_match_parse() - parse a --event argument: an event name
 * from the table (any case; RUNSTATE_CHANGE matches all 16 IDs) or an ID
 * as 0x hex. Return: 0, or -EINVAL.
 */
int trace_event_match_parse(const char *arg, struct trace_event_match *m);

/*
 * trace_export_run() - write the records of @r, from its start, in format
 * @ops to @out. @clock_used (may be NULL) receives the clock chosen. On
 * failure @err receives "name: what went wrong".
 *
 * Return: 0; the negative errno of the reader; -ENOMEM; -EIO when writing
 * @out failed.
 */
int trace_export_run(struct trace_reader *r, const struct trace_export_ops *ops,
		     const struct trace_export_opts *opts, FILE *out,
		     struct trace_clock *clock_used, char *err, size_t errlen);

/* Helpers for formats. */

/* trace_export_json_string() - @s as a JSON string, quotes included. */
void trace_export_json_string(FILE *out, const char *s);

/*
 * trace_export_json_u64() - @v as a JSON number, or as a string of its
 * decimal digits above 2^53 - 1, which not every JSON reader holds exactly.
 */
void trace_export_json_u64(FILE *out, uint64_t v);

/* trace_export_json_fields() - @r's fields as one JSON object. */
void trace_export_json_fields(FILE *out, const struct trace_export_rec *r);

/*
 * trace_export_quote() - @text (a NAME field's value) in double quotes,
 * quotes and backslashes escaped by a backslash; when @always is false,
 * only if it is empty or holds a space, a quote or a backslash. Always
 * NUL-terminates @buf. Return: @buf.
 */
const char *trace_export_quote(const char *text, bool always, char *buf,
			       size_t len);

/*
 * trace_export_vcpu_name() - "ctrl v0" when the file names domain 3,
 * else "d3v0", for packed @dv. Return: @buf.
 */
const char *trace_export_vcpu_name(const struct trace_export *x, uint32_t dv,
				   char *buf, size_t len);

#endif /* HV_TRACE_EXPORT_H */
