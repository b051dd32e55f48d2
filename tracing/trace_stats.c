/*
 * Trace statistics.
 *
 * Design: one pass over the merged stream. Known events are counted in an
 * array indexed by their decoder table entry; domains (16-bit ids) in a
 * flat array grown to the highest id seen; pCPUs in arrays sized by the
 * reader. Unknown event IDs (a
 * real Xen trace has many: HVM, PV, memory...) can be any 28-bit value, so
 * they are appended to a pending list that is sorted and merged into the
 * sorted counts whenever it is as long as the counts: O(log n) per record
 * amortised, whatever IDs a hostile file uses, and no hash to attack.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hv/types.h>

#include "tracing/trace_events.h"
#include "tracing/trace_stats.h"

#define NR_DOMIDS 65536
#define PENDING_MIN 4096

struct unknown_ids {
	struct trace_stats_event *v; /* sorted by id, distinct */
	size_t nr;
	uint32_t *pending;
	size_t nr_pending, cap_pending;
};

struct stats_builder {
	struct trace_stats s;
	struct trace_names *names;
	uint64_t *known; /* trace_event_count() entries */
	struct unknown_ids unknown;
	uint64_t *dom_records; /* nr_dom_slots entries, grown on demand */
	size_t nr_dom_slots;
	uint16_t *doms_seen; /* ids with records, in first-seen order */
	size_t nr_doms_seen;
	struct trace_stats_cpu *cpus; /* file.nr_cpus entries */
	uint64_t *cpu_first, *cpu_last; /* raw timestamps */
	struct trace_field (*layouts)[TRACE_FIELDS_MAX];
	unsigned int *nr_layout; /* UINT_MAX: not parsed yet */
	bool has_tsc;
};

/* What trace_stats_free() frees: the result and what it points into. */
struct stats_result {
	struct trace_stats s;
	struct trace_names *names;
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Merges the sorted pending IDs into the sorted counts. */
static int unknown_flush(struct unknown_ids *u)
{
	struct trace_stats_event *merged;
	size_t i = 0, k = 0, nr = 0;

	if (!u->nr_pending)
		return 0;
	qsort(u->pending, u->nr_pending, sizeof(*u->pending), cmp_u32);
	merged = calloc(u->nr + u->nr_pending, sizeof(*merged));
	if (!merged)
		return -ENOMEM;
	while (i < u->nr || k < u->nr_pending) {
		uint32_t id = k == u->nr_pending ? u->v[i].id
			      : i == u->nr || u->pending[k] < u->v[i].id
				  ? u->pending[k]
				  : u->v[i].id;
		struct trace_stats_event *e = &merged[nr++];

		e->id = id;
		if (i < u->nr && u->v[i].id == id)
			e->count = u->v[i++].count;
		while (k < u->nr_pending && u->pending[k] == id) {
			e->count++;
			k++;
		}
	}
	free(u->v);
	u->v = merged;
	u->nr = nr;
	u->nr_pending = 0;
	return 0;
}

static int unknown_add(struct unknown_ids *u, uint32_t id)
{
	if (u->nr_pending == u->cap_pending) {
		size_t want = u->nr > PENDING_MIN ? u->nr : PENDING_MIN;
		uint32_t *grown;

		if (u->nr_pending >= want) {
			int ret = unknown_flush(u);

			if (ret)
				return ret;
		}
		if (want > u->cap_pending) {
			grown = realloc(u->pending, want * sizeof(*grown));
			if (!grown)
				return -ENOMEM;
			u->pending = grown;
			u->cap_pending = want;
		}
	}
	u->pending[u->nr_pending++] = id;
	return 0;
}

static const struct trace_field *stats_layout(struct stats_builder *b,
					      const struct trace_event_desc *d,
					      unsigned int *nr)
{
	size_t i = (size_t)(d - trace_event_at(0));

	if (b->nr_layout[i] == UINT32_MAX)
		b->nr_layout[i] = trace_event_layout(d, b->layouts[i]);
	*nr = b->nr_layout[i];
	return b->layouts[i];
}

/* Makes room for domain @dom (< NR_DOMIDS). Return: 0 or -ENOMEM. */
static int dom_slot(struct stats_builder *b, unsigned int dom)
{
	size_t want = b->nr_dom_slots ? b->nr_dom_slots : 64;
	uint64_t *grown;

	if (dom < b->nr_dom_slots)
		return 0;
	while (want <= dom)
		want *= 2;
	grown = realloc(b->dom_records, want * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	b->dom_records = grown;
	memset(grown + b->nr_dom_slots, 0,
	       (want - b->nr_dom_slots) * sizeof(*grown));
	b->nr_dom_slots = want;
	return 0;
}

/* Counts @rec once for each domain it names. Return: 0 or -ENOMEM. */
static int stats_domains(struct stats_builder *b, const struct trace_rec *rec,
			 const struct trace_event_desc *d)
{
	struct trace_field fields[TRACE_FIELDS_MAX];
	unsigned int doms[TRACE_FIELDS_MAX], nr_doms = 0, nr_layout, nr;
	const struct trace_field *layout = stats_layout(b, d, &nr_layout);

	nr = trace_rec_fields(d, layout, nr_layout, rec->n, fields);
	for (unsigned int i = 0; i < nr; i++) {
		uint64_t v = trace_field_value(&fields[i], rec->data);
		unsigned int dom, k;

		switch (fields[i].kind) {
		case TRACE_FIELD_DV:
		case TRACE_FIELD_DT:
		case TRACE_FIELD_DI: dom = (unsigned int)(v >> 16); break;
		case TRACE_FIELD_VD: dom = (unsigned int)(v & 0xffff); break;
		case TRACE_FIELD_DOM:
			if (v >= NR_DOMIDS)
				continue;
			dom = (unsigned int)v;
			break;
		default: continue;
		}
		for (k = 0; k < nr_doms && doms[k] != dom; k++)
			;
		if (k == nr_doms) {
			if (dom_slot(b, dom))
				return -ENOMEM;
			doms[nr_doms++] = dom;
			if (!b->dom_records[dom]++)
				b->doms_seen[b->nr_doms_seen++] = (uint16_t)dom;
		}
	}
	return 0;
}

static int stats_add(struct stats_builder *b, const struct trace_rec *rec)
{
	const struct trace_event_desc *d = trace_event_find(rec->event);
	struct trace_stats *s = &b->s;
	struct trace_stats_cpu *c = &b->cpus[rec->cpu];

	s->records++;
	if (!c->records++)
		b->cpu_first[rec->cpu] = rec->tsc;
	b->cpu_last[rec->cpu] = rec->tsc;
	if (rec->has_tsc) {
		if (!b->has_tsc || rec->tsc < s->first_tsc)
			s->first_tsc = rec->tsc;
		if (!b->has_tsc || rec->tsc > s->last_tsc)
			s->last_tsc = rec->tsc;
		b->has_tsc = true;
	} else {
		s->no_tsc++;
	}
	if (!d)
		return unknown_add(&b->unknown, rec->event);
	b->known[d - trace_event_at(0)]++;
	if (stats_domains(b, rec, d))
		return -ENOMEM;
	switch (d->id) {
	case TRC_LOST_RECORDS:
		s->lost_notes++;
		if (rec->n >= 1)
			s->lost += rec->data[0];
		break;
	case TRC_HVLAB_HEADER:
		if (rec->n >= TRC_HVLAB_HEADER_WORDS &&
		    (rec->data[1] | rec->data[2]) &&
		    s->clock.source != TRACE_CLOCK_HEADER) {
			s->clock.hz =
			    (uint64_t)rec->data[2] << 32 | rec->data[1];
			s->clock.source = TRACE_CLOCK_HEADER;
		}
		break;
	case TRC_HVLAB_RUN_END:
		if (rec->n >= TRC_HVLAB_RUN_END_WORDS) {
			s->has_run_end = true;
			s->run_end_ns =
			    (uint64_t)rec->data[1] << 32 | rec->data[0];
		}
		break;
	default: break;
	}
	return trace_names_note(b->names, rec->event, rec->n, rec->data);
}

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static int cmp_event(const void *a, const void *b)
{
	const struct trace_stats_event *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* Turns the counters into the sorted result arrays. */
static int stats_finish(struct stats_builder *b)
{
	struct trace_stats *s = &b->s;
	struct trace_stats_event *events;
	struct trace_stats_cpu *cpus;
	struct trace_stats_domain *doms;
	size_t nr_known = 0;

	if (unknown_flush(&b->unknown) || trace_names_finish(b->names))
		return -ENOMEM;
	for (unsigned int i = 0; i < trace_event_count(); i++)
		nr_known += b->known[i] != 0;
	events = calloc(nr_known + b->unknown.nr + 1, sizeof(*events));
	cpus = calloc(s->file.nr_cpus + 1, sizeof(*cpus));
	doms = calloc(b->nr_doms_seen + 1, sizeof(*doms));
	s->events = events;
	s->cpus = cpus;
	s->domains = doms;
	if (!events || !cpus || !doms)
		return -ENOMEM;

	for (unsigned int i = 0; i < trace_event_count(); i++)
		if (b->known[i])
			events[s->nr_events++] = (struct trace_stats_event){
			    trace_event_at(i)->id, trace_event_at(i),
			    b->known[i]};
	if (b->unknown.nr)
		memcpy(events + s->nr_events, b->unknown.v,
		       b->unknown.nr * sizeof(*events));
	s->nr_events += b->unknown.nr;
	qsort(events, s->nr_events, sizeof(*events), cmp_event);

	s->clock.origin = b->has_tsc ? s->first_tsc : 0;
	s->span_ns = trace_clock_ns(&s->clock, s->last_tsc);
	if (s->has_run_end)
		s->run_end_ns = trace_clock_ns(&s->clock, s->run_end_ns);
	for (unsigned int cpu = 0; cpu < s->file.nr_cpus; cpu++) {
		struct trace_stats_cpu *c = &b->cpus[cpu];

		if (!c->records)
			continue;
		c->cpu = cpu;
		c->first_ns = trace_clock_ns(&s->clock, b->cpu_first[cpu]);
		c->last_ns = trace_clock_ns(&s->clock, b->cpu_last[cpu]);
		cpus[s->nr_cpus++] = *c;
	}
	qsort(b->doms_seen, b->nr_doms_seen, sizeof(*b->doms_seen), cmp_u16);
	for (size_t i = 0; i < b->nr_doms_seen; i++) {
		unsigned int dom = b->doms_seen[i];

		doms[s->nr_domains++] = (struct trace_stats_domain){
		    dom, trace_names_domain(b->names, dom),
		    b->dom_records[dom]};
	}
	return 0;
}

static void builder_free(struct stats_builder *b)
{
	free(b->known);
	free(b->unknown.v);
	free(b->unknown.pending);
	free(b->dom_records);
	free(b->doms_seen);
	free(b->cpus);
	free(b->cpu_first);
	free(b->cpu_last);
	free(b->layouts);
	free(b->nr_layout);
}

int trace_stats_collect(struct trace_reader *r, uint64_t cpu_hz,
			struct trace_stats **out, char *err, size_t errlen)
{
	struct stats_builder b = {.s = {.records = 0}};
	struct stats_result *res = NULL;
	unsigned int nr_ev = trace_event_count();
	struct trace_rec rec;
	size_t nr_cpus;
	int ret;

	trace_reader_get_info(r, &b.s.file);
	trace_reader_rewind(r);
	b.s.clock.hz = cpu_hz ? cpu_hz : TRACE_DEFAULT_HZ;
	b.s.clock.source = cpu_hz ? TRACE_CLOCK_OPTION : TRACE_CLOCK_DEFAULT;
	nr_cpus = (size_t)b.s.file.nr_cpus + 1;
	b.names = trace_names_create();
	b.known = calloc(nr_ev, sizeof(*b.known));
	b.doms_seen = malloc(NR_DOMIDS * sizeof(*b.doms_seen));
	b.cpus = calloc(nr_cpus, sizeof(*b.cpus));
	b.cpu_first = calloc(nr_cpus, sizeof(*b.cpu_first));
	b.cpu_last = calloc(nr_cpus, sizeof(*b.cpu_last));
	b.layouts = calloc(nr_ev, sizeof(*b.layouts));
	b.nr_layout = malloc(nr_ev * sizeof(*b.nr_layout));
	ret = -ENOMEM;
	if (!b.names || !b.known || !b.doms_seen || !b.cpus || !b.cpu_first ||
	    !b.cpu_last || !b.layouts || !b.nr_layout)
		goto out;
	memset(b.nr_layout, 0xff, nr_ev * sizeof(*b.nr_layout));
	/* The reader only returns cpus below file.nr_cpus. */
	while ((ret = trace_reader_next(r, &rec)) == 1)
		if (stats_add(&b, &rec)) {
			ret = -ENOMEM;
			break;
		}
	if (ret)
		goto out;
	res = calloc(1, sizeof(*res));
	ret = res ? stats_finish(&b) : -ENOMEM;
	if (res) {
		res->s = b.s;
		res->names = b.names;
		b.names = NULL;
	}
out:
	if (ret && err && errlen)
		snprintf(err, errlen, "%s",
			 ret == -ENOMEM ? "out of memory"
					: trace_reader_error(r));
	if (ret) {
		trace_stats_free(res ? &res->s : NULL);
		res = NULL;
	}
	trace_names_destroy(b.names);
	builder_free(&b);
	if (res)
		*out = &res->s;
	return ret;
}

void trace_stats_free(struct trace_stats *s)
{
	struct stats_result *res = (struct stats_result *)(void *)s;

	if (!s)
		return;
	free((void *)s->events);
	free((void *)s->cpus);
	free((void *)s->domains);
	trace_names_destroy(res->names);
	free(res);
}

/* Text */

static void print_s(FILE *out, uint64_t ns)
{
	fprintf(out, "%llu.%09llu", (unsigned long long)(ns / 1000000000u),
		(unsigned long long)(ns % 1000000000u));
}

void trace_stats_print_text(const struct trace_stats *s, const char *file_name,
			    FILE *out)
{
	fprintf(out, "file: %s, %llu bytes, %llu windows\n", file_name,
		(unsigned long long)s->file.bytes,
		(unsigned long long)s->file.windows);
	fprintf(out, "clock: %llu Hz (%s)\n", (unsigned long long)s->clock.hz,
		trace_clock_source_name(s->clock.source));
	fputs("span: ", out);
	print_s(out, s->span_ns);
	fprintf(out, " s (timestamps %llu to %llu)",
		(unsigned long long)s->first_tsc,
		(unsigned long long)s->last_tsc);
	if (s->has_run_end) {
		fputs(", run end ", out);
		print_s(out, s->run_end_ns);
		fputs(" s", out);
	}
	fprintf(out, "\nrecords: %llu (%llu without a timestamp)\n",
		(unsigned long long)s->records, (unsigned long long)s->no_tsc);
	fprintf(out, "lost records: %llu (%llu LOST_RECORDS notes)\n",
		(unsigned long long)s->lost, (unsigned long long)s->lost_notes);
	fprintf(out, "wrap fillers: %llu\n",
		(unsigned long long)s->file.fillers);

	fprintf(out, "\nevents:\n%12s  %-10s  %s\n", "count", "id", "name");
	for (size_t i = 0; i < s->nr_events; i++) {
		const struct trace_stats_event *e = &s->events[i];

		fprintf(out, "%12llu  0x%08x  %s", (unsigned long long)e->count,
			(unsigned int)e->id,
			e->desc ? e->desc->name : "unknown");
		if (e->desc && e->desc->runstate_old >= 0)
			fprintf(out, " %s->%s",
				trace_runstate_name(
				    (unsigned int)e->desc->runstate_old),
				trace_runstate_name(
				    (unsigned int)e->desc->runstate_new));
		fputc('\n', out);
	}
	fprintf(out, "\npCPUs:\n%12s  %-5s  %-13s  %s\n", "count", "cpu",
		"first (s)", "last (s)");
	for (size_t i = 0; i < s->nr_cpus; i++) {
		const struct trace_stats_cpu *c = &s->cpus[i];

		fprintf(out, "%12llu  %-5u  ", (unsigned long long)c->records,
			c->cpu);
		print_s(out, c->first_ns);
		fputs("    ", out);
		print_s(out, c->last_ns);
		fputc('\n', out);
	}
	fprintf(out, "\ndomains:\n%12s  %-5s  %s\n", "count", "dom", "name");
	for (size_t i = 0; i < s->nr_domains; i++) {
		const struct trace_stats_domain *d = &s->domains[i];

		fprintf(out, "%12llu  %-5u  ", (unsigned long long)d->records,
			d->dom);
		if (d->name)
			fprintf(out, "%s\n", d->name);
		else if (d->dom == HV_DOMID_IDLE)
			fputs("idle\n", out);
		else
			fprintf(out, "d%u\n", d->dom);
	}
}
