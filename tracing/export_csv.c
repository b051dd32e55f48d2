/*
 * CSV format (RFC 4180): a header line, then one row per record.
 *
 *   time_ns,cpu,event,id,fields
 *   1200000,0,RUNSTATE_CHANGE,0x00021101,dv=d1v0 old=runnable new=running
 *   0,0,HVLAB_NAME_DOMAIN,0x01001002,dom=1 name=ctrl
 *   5000,1,unknown,0x00012345,w0=0x00000001 w1=0x00000002
 *
 * Events have different fields, so fixed columns would be mostly empty:
 * the fields are one column of space-separated name=value pairs. A name
 * from the file holding a space, a quote or a backslash is put in double
 * quotes, with quotes and backslashes escaped by a backslash; then the
 * cell, if it holds a comma or a quote, is quoted as RFC 4180 says.
 */
#include <string.h>

#include "tracing/export.h"

/* Worst case: 9 fields of a 24-char name, "=" and a 50-char value. */
#define CSV_FIELDS_MAX 1024

static int csv_begin(struct trace_export *x)
{
	fputs("time_ns,cpu,event,id,fields\n", x->out);
	return 0;
}

static void csv_cell(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static int csv_record(struct trace_export *x, const struct trace_export_rec *r)
{
	char cell[CSV_FIELDS_MAX], value[64], quoted[2 * sizeof(value) + 2];
	size_t len = 0;

	for (unsigned int i = 0; i < r->nr_fields; i++) {
		const struct trace_field *f = &r->fields[i];
		int n = snprintf(cell + len, sizeof(cell) - len,
				 "%s%.*s=", i ? " " : "", (int)f->name_len,
				 f->name);

		if (n < 0 || (size_t)n >= sizeof(cell) - len)
			break;
		len += (size_t)n;
		trace_field_format(f, r->rec->data, value, sizeof(value));
		if (f->kind == TRACE_FIELD_NAME)
			trace_export_quote(value, false, quoted,
					   sizeof(quoted));
		n = snprintf(cell + len, sizeof(cell) - len, "%s",
			     f->kind == TRACE_FIELD_NAME ? quoted : value);
		if (n < 0 || (size_t)n >= sizeof(cell) - len)
			break;
		len += (size_t)n;
	}
	cell[len] = '\0';
	fprintf(x->out, "%llu,%u,%s,0x%08x,", (unsigned long long)r->time_ns,
		r->rec->cpu, r->desc ? r->desc->name : "unknown",
		(unsigned int)r->rec->event);
	csv_cell(x->out, cell);
	fputc('\n', x->out);
	return 0;
}

const struct trace_export_ops trace_export_csv = {
    .name = "csv",
    .begin = csv_begin,
    .record = csv_record,
};
