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

#endif /* HV_TRACE_DECODE_H */
