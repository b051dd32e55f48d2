/*
 * Event decoder table.
 *
 * Every entry comes from the TRACE_EVENTS X-macro, so an event added to
 * trace_events.h is decoded without touching this file. RUNSTATE_CHANGE is
 * a family of 16 IDs computed by TRC_RUNSTATE_ID; they get their own
 * generated rows so lookups return old/new states too.
 */
#include <stddef.h>

#include "tracing/trace_decode.h"
#include "tracing/trace_events.h"

#define RUNSTATE_DESC(o, n)                                             \
	{                                                               \
		TRC_RUNSTATE_ID(o, n), "RUNSTATE_CHANGE", 1, "dv", o, n \
	}
#define RUNSTATE_ROW(o)                                                \
	RUNSTATE_DESC(o, 0), RUNSTATE_DESC(o, 1), RUNSTATE_DESC(o, 2), \
	    RUNSTATE_DESC(o, 3)

static const struct trace_event_desc trace_event_table[] = {
#define X(name, id, n, fields) {id, #name, n, fields, -1, -1},
    TRACE_EVENTS(X)
#undef X
	RUNSTATE_ROW(0),
    RUNSTATE_ROW(1),
    RUNSTATE_ROW(2),
    RUNSTATE_ROW(3),
};

#define NR_TABLE (sizeof(trace_event_table) / sizeof(trace_event_table[0]))
#define NR_RUNSTATE_DESCS (TRACE_NR_RUNSTATES * TRACE_NR_RUNSTATES)

static const char *const runstate_names[TRACE_NR_RUNSTATES] = {
    "running",
    "runnable",
    "blocked",
    "offline",
};

const struct trace_event_desc *trace_event_find(uint32_t id)
{
	unsigned int old_state = (id >> 8) & 0xf, new_state = (id >> 4) & 0xf;

	id &= TRC_EVENT_MASK;
	/* RUNSTATE_CHANGE: Xen's base ID with old in bits 11..8, new 7..4. */
	if ((id & ~0xff0u) == TRC_RUNSTATE_BASE &&
	    old_state < TRACE_NR_RUNSTATES && new_state < TRACE_NR_RUNSTATES)
		return &trace_event_table[NR_TABLE - NR_RUNSTATE_DESCS +
					  old_state * TRACE_NR_RUNSTATES +
					  new_state];
	/* ~40 entries: a linear scan beats keeping a sorted copy in sync. */
	for (size_t i = 0; i < NR_TABLE - NR_RUNSTATE_DESCS; i++)
		if (trace_event_table[i].id == id)
			return &trace_event_table[i];
	return NULL;
}

const char *trace_runstate_name(unsigned int state)
{
	return state < TRACE_NR_RUNSTATES ? runstate_names[state] : NULL;
}

unsigned int trace_event_count(void)
{
	return NR_TABLE;
}

const struct trace_event_desc *trace_event_at(unsigned int i)
{
	return i < NR_TABLE ? &trace_event_table[i] : NULL;
}

void trace_events_print_markdown(FILE *out)
{
	fprintf(out, "| ID | Name | Words | Fields |\n");
	fprintf(out, "| --- | --- | --- | --- |\n");
	for (size_t i = 0; i < NR_TABLE - NR_RUNSTATE_DESCS; i++) {
		const struct trace_event_desc *d = &trace_event_table[i];

		fprintf(out, "| `0x%08x` | %s | %u | %s |\n",
			(unsigned int)d->id, d->name, d->nr_words,
			d->fields[0] ? d->fields : "-");
	}
	fprintf(out,
		"| `0x%08x` + old<<8 + new<<4 | RUNSTATE_CHANGE | 1 | "
		"dv (states 0 running, 1 runnable, 2 blocked, "
		"3 offline) |\n",
		(unsigned int)TRC_RUNSTATE_BASE);
}
