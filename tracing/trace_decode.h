/*
 * Trace event decoder table, generated from the TRACE_EVENTS X-macro in
 * tracing/trace_events.h, plus Xen's 16 RUNSTATE_CHANGE IDs.
 */
#ifndef HV_TRACE_DECODE_H
#define HV_TRACE_DECODE_H

#include <stdint.h>
#include <stdio.h>

/* Xen's vCPU runstates, as encoded in RUNSTATE_CHANGE IDs. */
enum trace_runstate {
	TRACE_RUNSTATE_RUNNING = 0,
	TRACE_RUNSTATE_RUNNABLE = 1,
	TRACE_RUNSTATE_BLOCKED = 2,
	TRACE_RUNSTATE_OFFLINE = 3,
	TRACE_NR_RUNSTATES = 4,
};

struct trace_event_desc {
	uint32_t id; /* without header bits */
	const char *name; /* "SWITCH", "RUNSTATE_CHANGE", ... */
	unsigned int nr_words; /* data words the producer writes */
	const char *fields; /* comma-separated names, "" when none */
	int runstate_old; /* RUNSTATE_CHANGE only, else -1 */
	int runstate_new; /* RUNSTATE_CHANGE only, else -1 */
};

/*
 * trace_event_find() - describe event @id (header bits are ignored).
 * Return: the description, or NULL for an ID hvlab does not know.
 */
const struct trace_event_desc *trace_event_find(uint32_t id);

/*
 * trace_runstate_name() - "running", "runnable", "blocked" or "offline".
 * Return: the name, or NULL when @state is not a runstate.
 */
const char *trace_runstate_name(unsigned int state);

/* trace_event_count() - number of entries trace_event_at() accepts. */
unsigned int trace_event_count(void);

/*
 * trace_event_at() - entry @i of the table, in trace_events.h order, the
 * 16 RUNSTATE_CHANGE IDs last (old-major). Return: NULL when out of range.
 */
const struct trace_event_desc *trace_event_at(unsigned int i);

/*
 * trace_events_print_markdown() - print the table as Markdown rows, the
 * source of the event table in docs/trace-format.md.
 */
void trace_events_print_markdown(FILE *out);

/*
 * Decoded fields. A record's payload is shown field by field, as the
 * table names them: consecutive "x_lo", "x_hi" words are one u64 "x";
 * "dv", "dt", "di" are packed dom << 16 | vcpu (task, irq) ids shown as
 * "d3v1" ("d3t1", "d3i1"); "dom", "prev_dom", "next_dom" are domain ids;
 * a last field "name" is the NUL-padded text of the remaining words.
 * Words the table does not name (unknown events, longer records) are
 * "w0".."w6" in hex; RUNSTATE_CHANGE gets "old" and "new" from its ID.
 */
enum trace_field_kind {
	TRACE_FIELD_U32, /* one word, decimal */
	TRACE_FIELD_U64, /* two words, low first, decimal */
	TRACE_FIELD_DOM, /* one word, a domain id, decimal */
	TRACE_FIELD_DV, /* "d3v1" */
	TRACE_FIELD_VD, /* "d3v1" from vcpu << 16 | dom (LOST_RECORDS) */
	TRACE_FIELD_DT, /* "d3t1" */
	TRACE_FIELD_DI, /* "d3i1" */
	TRACE_FIELD_NAME, /* text, non-printable bytes shown as '?' */
	TRACE_FIELD_HEX, /* a word without a name: "0x0000002a" */
	TRACE_FIELD_RUNSTATE, /* a state from the ID: "running" */
};

/* At most: 7 one-word fields, plus "old" and "new". */
#define TRACE_FIELDS_MAX 9

/* The longest name a NAME field can hold: 6 words. */
#define TRACE_FIELD_TEXT_MAX 24

struct trace_field {
	const char *name; /* name_len bytes, not NUL-terminated */
	unsigned int name_len;
	enum trace_field_kind kind;
	unsigned int word; /* first data word (RUNSTATE: unused) */
	unsigned int nr_words; /* data words it takes (RUNSTATE: 0) */
	int runstate; /* RUNSTATE only: the state, else -1 */
};

/*
 * trace_event_layout() - the fields of @d for a record of @d->nr_words
 * words, parsed from @d->fields into @out (TRACE_FIELDS_MAX entries).
 * Callers decoding many records parse each event once and keep the result.
 * Return: the number of fields.
 */
unsigned int trace_event_layout(const struct trace_event_desc *d,
				struct trace_field *out);

/*
 * trace_rec_fields() - the fields of one record with @n data words: those
 * of @layout (@nr_layout entries, from trace_event_layout() of @d) whose
 * words the record has, then each word past them as "w<i>" hex. @d NULL
 * (an unknown event): every word as hex. Written to @out
 * (TRACE_FIELDS_MAX entries). Return: the number of fields.
 */
unsigned int trace_rec_fields(const struct trace_event_desc *d,
			      const struct trace_field *layout,
			      unsigned int nr_layout, unsigned int n,
			      struct trace_field *out);

/*
 * trace_field_value() - the numeric value of @f in payload @data: the
 * word(s), or the state for RUNSTATE. NAME fields give 0.
 */
uint64_t trace_field_value(const struct trace_field *f, const uint32_t *data);

/* trace_field_is_number() - true for fields shown as plain integers. */
static inline int trace_field_is_number(const struct trace_field *f)
{
	return f->kind == TRACE_FIELD_U32 || f->kind == TRACE_FIELD_U64 ||
	       f->kind == TRACE_FIELD_DOM;
}

/*
 * trace_field_format() - @f's value in @data as text, unquoted: "42",
 * "0x0000002a", "d3v1", "running", or a name (printable ASCII only).
 * Always NUL-terminates @buf when @len > 0.
 * Return: the length of the text (truncated if @len is too small).
 */
size_t trace_field_format(const struct trace_field *f, const uint32_t *data,
			  char *buf, size_t len);

/*
 * The trace clock. Timestamps count ticks at @hz; times are shown
 * relative to @origin (the first timestamp, as xenalyze does; hvlab
 * traces start at 0). A file's HVLAB_HEADER gives hz; a Xen trace has no
 * header, so hz comes from the user (--cpu-hz) or xenalyze's default.
 */
#define TRACE_DEFAULT_HZ 2400000000ull

enum trace_clock_source {
	TRACE_CLOCK_DEFAULT, /* TRACE_DEFAULT_HZ */
	TRACE_CLOCK_OPTION, /* given by the user */
	TRACE_CLOCK_HEADER, /* the file's HVLAB_HEADER */
};

struct trace_clock {
	uint64_t hz; /* never 0 */
	enum trace_clock_source source;
	uint64_t origin; /* ticks */
};

/*
 * trace_clock_ns() - nanoseconds from @c->origin to @tsc, rounded down;
 * 0 for a @tsc before the origin, UINT64_MAX when it does not fit.
 */
uint64_t trace_clock_ns(const struct trace_clock *c, uint64_t tsc);

/* trace_clock_source_name() - "HVLAB_HEADER", "--cpu-hz" or "default". */
const char *trace_clock_source_name(enum trace_clock_source source);

/*
 * Names from HVLAB_NAME_* records: domains by id, tasks by "dt", IRQs by
 * "di". Feed every record with trace_names_note(), then call
 * trace_names_finish() once; lookups work after that. When a file names
 * the same thing twice, the later record wins. Memory grows with the name
 * records, and the work is O(n log n) whatever ids a file uses.
 */
struct trace_names;

/* trace_names_create() - an empty table. Return: NULL when out of memory. */
struct trace_names *trace_names_create(void);

/* trace_names_destroy() - free @t; NULL is accepted. */
void trace_names_destroy(struct trace_names *t);

/*
 * trace_names_note() - remember the name if @event (with @n words of
 * @data) is an HVLAB_NAME_* record. Records too short, or naming a
 * domain id over 0xffff, are ignored.
 * Return: 0, or -ENOMEM.
 */
int trace_names_note(struct trace_names *t, uint32_t event, unsigned int n,
		     const uint32_t *data);

/* trace_names_finish() - sort what was noted. Return: 0 (cannot fail). */
int trace_names_finish(struct trace_names *t);

/*
 * Lookups. Return: the name (printable ASCII), or NULL when the file did
 * not name it.
 */
const char *trace_names_domain(const struct trace_names *t, unsigned int dom);
const char *trace_names_irq(const struct trace_names *t, uint32_t di);

#endif /* HV_TRACE_DECODE_H */
