/*
 * Event decoder table.
 *
 * Every entry comes from the TRACE_EVENTS X-macro, so an event added to
 * trace_events.h is decoded without touching this file. RUNSTATE_CHANGE is
 * a family of 16 IDs computed by TRC_RUNSTATE_ID; they get their own
 * generated rows so lookups return old/new states too.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

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

/* Fields */

static bool name_is(const char *p, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(p, s, len);
}

static bool name_ends(const char *p, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len > n && !memcmp(p + len - n, suffix, n);
}

static enum trace_field_kind kind_of(const char *p, size_t len)
{
	if (name_is(p, len, "dv"))
		return TRACE_FIELD_DV;
	if (name_is(p, len, "vd"))
		return TRACE_FIELD_VD;
	if (name_is(p, len, "dt"))
		return TRACE_FIELD_DT;
	if (name_is(p, len, "di"))
		return TRACE_FIELD_DI;
	if (name_is(p, len, "dom") || name_is(p, len, "prev_dom") ||
	    name_is(p, len, "next_dom"))
		return TRACE_FIELD_DOM;
	return TRACE_FIELD_U32;
}

unsigned int trace_event_layout(const struct trace_event_desc *d,
				struct trace_field *out)
{
	const char *p = d->fields;
	unsigned int nr = 0, word = 0;

	while (*p && word < d->nr_words && nr < TRACE_FIELDS_MAX - 2) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *next = comma ? comma + 1 : p + len;
		struct trace_field *f = &out[nr++];

		*f = (struct trace_field){
		    p, (unsigned int)len, kind_of(p, len), word, 1, -1};
		/* "x_lo,x_hi" is one u64 "x", if both words exist. */
		if (name_ends(p, len, "_lo") && word + 2 <= d->nr_words &&
		    !strncmp(next, p, len - 3) &&
		    !strncmp(next + len - 3, "_hi", 3) &&
		    (next[len] == ',' || next[len] == '\0')) {
			f->kind = TRACE_FIELD_U64;
			f->name_len -= 3;
			f->nr_words = 2;
			next += len + (next[len] == ',');
		} else if (name_is(p, len, "name") && !comma) {
			f->kind = TRACE_FIELD_NAME;
			f->nr_words = d->nr_words - word;
		}
		word += f->nr_words;
		p = next;
	}
	if (d->runstate_old >= 0) {
		out[nr++] = (struct trace_field){"old", 3, TRACE_FIELD_RUNSTATE,
						 0,	0, d->runstate_old};
		out[nr++] = (struct trace_field){"new", 3, TRACE_FIELD_RUNSTATE,
						 0,	0, d->runstate_new};
	}
	return nr;
}

static const char *const word_names[TRACE_FIELDS_MAX] = {
    "w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8",
};

unsigned int trace_rec_fields(const struct trace_event_desc *d,
			      const struct trace_field *layout,
			      unsigned int nr_layout, unsigned int n,
			      struct trace_field *out)
{
	unsigned int nr = 0, covered = 0, i;

	if (n > TRC_EXTRA_MAX)
		n = TRC_EXTRA_MAX;
	/* Fields are in word order: the first one cut short ends the list. */
	for (i = 0; d && i < nr_layout; i++) {
		const struct trace_field *f = &layout[i];

		if (f->kind == TRACE_FIELD_RUNSTATE)
			continue;
		if (f->word + f->nr_words > n)
			break;
		out[nr++] = *f;
		covered = f->word + f->nr_words;
	}
	for (unsigned int w = covered; w < n; w++)
		out[nr++] = (struct trace_field){
		    word_names[w], 2, TRACE_FIELD_HEX, w, 1, -1};
	for (i = 0; d && i < nr_layout; i++)
		if (layout[i].kind == TRACE_FIELD_RUNSTATE)
			out[nr++] = layout[i];
	return nr;
}

uint64_t trace_field_value(const struct trace_field *f, const uint32_t *data)
{
	switch (f->kind) {
	case TRACE_FIELD_U64:
		return (uint64_t)data[f->word + 1] << 32 | data[f->word];
	case TRACE_FIELD_RUNSTATE: return (uint64_t)f->runstate;
	case TRACE_FIELD_NAME: return 0;
	default: return data[f->word];
	}
}

/* Decimal digits of @v at @p; no NUL. Return: the number of digits. */
static size_t put_u64(char *p, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return n;
}

/* "d3v1": packed dom << 16 | id, with @letter for the id. */
static size_t put_packed(char *p, uint32_t v, char letter)
{
	size_t n = 0;

	p[n++] = 'd';
	n += put_u64(p + n, v >> 16);
	p[n++] = letter;
	n += put_u64(p + n, v & 0xffff);
	return n;
}

/* Bytes of the words from @word on, up to a NUL; unprintable as '?'. */
static size_t put_text(char *p, const uint32_t *data, unsigned int word,
		       unsigned int nr_words)
{
	const unsigned char *b = (const unsigned char *)(data + word);
	size_t n = 0, max = (size_t)nr_words * 4;

	if (max > TRACE_FIELD_TEXT_MAX)
		max = TRACE_FIELD_TEXT_MAX;
	while (n < max && b[n]) {
		p[n] = b[n] >= 0x20 && b[n] <= 0x7e ? (char)b[n] : '?';
		n++;
	}
	return n;
}

size_t trace_field_format(const struct trace_field *f, const uint32_t *data,
			  char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[64];
	const char *state;
	size_t n = 0;
	uint32_t w;

	switch (f->kind) {
	case TRACE_FIELD_DV: n = put_packed(tmp, data[f->word], 'v'); break;
	case TRACE_FIELD_VD:
		w = data[f->word];
		n = put_packed(tmp, w << 16 | w >> 16, 'v');
		break;
	case TRACE_FIELD_DT: n = put_packed(tmp, data[f->word], 't'); break;
	case TRACE_FIELD_DI: n = put_packed(tmp, data[f->word], 'i'); break;
	case TRACE_FIELD_NAME:
		n = put_text(tmp, data, f->word, f->nr_words);
		break;
	case TRACE_FIELD_HEX:
		w = data[f->word];
		tmp[n++] = '0';
		tmp[n++] = 'x';
		for (int shift = 28; shift >= 0; shift -= 4)
			tmp[n++] = hex[(w >> shift) & 0xf];
		break;
	case TRACE_FIELD_RUNSTATE:
		state = trace_runstate_name((unsigned int)f->runstate);
		n = strlen(state ? state : "?");
		memcpy(tmp, state ? state : "?", n);
		break;
	default: n = put_u64(tmp, trace_field_value(f, data)); break;
	}
	if (len) {
		size_t copy = n < len - 1 ? n : len - 1;

		memcpy(buf, tmp, copy);
		buf[copy] = '\0';
	}
	return n;
}

/* Clock */

uint64_t trace_clock_ns(const struct trace_clock *c, uint64_t tsc)
{
	unsigned __int128 ns;

	if (tsc <= c->origin || !c->hz)
		return 0;
	if (c->hz == 1000000000u) /* hvlab's own traces: ticks are ns */
		return tsc - c->origin;
	ns = (unsigned __int128)(tsc - c->origin) * 1000000000u / c->hz;
	return ns > UINT64_MAX ? UINT64_MAX : (uint64_t)ns;
}

const char *trace_clock_source_name(enum trace_clock_source source)
{
	switch (source) {
	case TRACE_CLOCK_HEADER: return "HVLAB_HEADER";
	case TRACE_CLOCK_OPTION: return "--cpu-hz";
	default: return "default";
	}
}

/* Names */

enum name_kind { NAME_DOMAIN, NAME_TASK, NAME_IRQ };

struct name_entry {
	uint64_t key; /* kind << 32 | id */
	uint64_t seq; /* order noted: the later one wins */
	char name[TRACE_FIELD_TEXT_MAX + 1];
};

struct trace_names {
	struct name_entry *v;
	size_t nr, cap;
	bool finished;
};

struct trace_names *trace_names_create(void)
{
	return calloc(1, sizeof(struct trace_names));
}

void trace_names_destroy(struct trace_names *t)
{
	if (!t)
		return;
	free(t->v);
	free(t);
}

int trace_names_note(struct trace_names *t, uint32_t event, unsigned int n,
		     const uint32_t *data)
{
	struct name_entry *e;
	enum name_kind kind;
	size_t len;

	switch (event & TRC_EVENT_MASK) {
	case TRC_HVLAB_NAME_DOMAIN: kind = NAME_DOMAIN; break;
	case TRC_HVLAB_NAME_TASK: kind = NAME_TASK; break;
	case TRC_HVLAB_NAME_IRQ: kind = NAME_IRQ; break;
	default: return 0;
	}
	if (n < TRC_HVLAB_NAME_DOMAIN_WORDS ||
	    (kind == NAME_DOMAIN && data[0] > 0xffff))
		return 0;
	if (t->nr == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct name_entry *grown =
		    cap <= SIZE_MAX / sizeof(*grown)
			? realloc(t->v, cap * sizeof(*grown))
			: NULL;

		if (!grown)
			return -ENOMEM;
		t->v = grown;
		t->cap = cap;
	}
	e = &t->v[t->nr];
	e->key = (uint64_t)kind << 32 | data[0];
	e->seq = t->nr++;
	len = put_text(e->name, data, 1, TRC_HVLAB_NAME_DOMAIN_WORDS - 1);
	e->name[len] = '\0';
	t->finished = false;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct name_entry *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

int trace_names_finish(struct trace_names *t)
{
	size_t out = 0;

	if (t->nr)
		qsort(t->v, t->nr, sizeof(*t->v), cmp_entry);
	/* Keep the last entry of each run of equal keys. */
	for (size_t i = 0; i < t->nr; i++) {
		if (i + 1 < t->nr && t->v[i + 1].key == t->v[i].key)
			continue;
		t->v[out++] = t->v[i];
	}
	t->nr = out;
	t->finished = true;
	return 0;
}

static int cmp_key(const void *key, const void *elem)
{
	uint64_t k = *(const uint64_t *)key;
	const struct name_entry *e = elem;

	return (k > e->key) - (k < e->key);
}

static const char *names_find(const struct trace_names *t, enum name_kind kind,
			      uint32_t id)
{
	uint64_t key = (uint64_t)kind << 32 | id;
	const struct name_entry *e;

	if (!t || !t->finished || !t->nr)
		return NULL;
	e = bsearch(&key, t->v, t->nr, sizeof(*t->v), cmp_key);
	return e ? e->name : NULL;
}

const char *trace_names_domain(const struct trace_names *t, unsigned int dom)
{
	return dom > 0xffff ? NULL : names_find(t, NAME_DOMAIN, dom);
}

const char *trace_names_irq(const struct trace_names *t, uint32_t di)
{
	return names_find(t, NAME_IRQ, di);
}
