/*
 * Per-pCPU trace rings in Xen's layout, producer and consumer.
 *
 * Design: each pCPU owns one ring, a header and data_size bytes:
 *
 *   struct trace_ring_buf            data[0 .. size)
 *   +------+------+------------------------------------------------+
 *   | cons | prod | free | rec | rec | ... | rec | WRAP |  free    |
 *   +------+------+------------------------------------------------+
 *                        ^cons % size              ^prod % size
 *                        |<------ unconsumed ----->|
 *
 *   prod, cons: byte offsets in [0, 2 * size), 4-byte aligned
 *   unconsumed  = (prod - cons) mod 2 * size, in [0, size]
 *   prod == cons: empty; unconsumed == size: full
 *
 * A record never crosses the end of data[]: when the bytes left before
 * the end (the tail) are fewer than the record, a WRAP_BUFFER filler
 * takes the tail and the record starts at data[0]. A pCPU that lost
 * records writes a LOST_RECORDS note before its next record; note,
 * fillers and record must all fit, or the record is lost too.
 *
 * Fast path: the producer keeps its own copy of prod and a limit,
 * computed from cons when it last looked at the header (slow path):
 *
 *   limit = prod + min(free bytes, tail, bytes left below the high water)
 *
 *   prod        next = prod + record     limit
 *   |-----------|.........................|
 *
 * A record ending below limit needs no filler and no note, cannot
 * overflow and cannot cross the high-water mark, so it is copied and
 * published without looking at cons: the consumer only ever frees space,
 * so an old cons is a safe one. Anything else takes the slow path (limit
 * is 0 while records are pending a note, tracing is off, the pCPU is not
 * selected, or the event mask is not TRC_ALL), which reads and checks the
 * header, applies the mask, writes notes and fillers, counts losses,
 * sends the high-water notification and computes a new limit.
 *
 * The producer counts notes and fillers; the consumer counts the records
 * it drains; the difference is what the callers stored, so the fast path
 * keeps no counter.
 *
 * Memory ordering (the arm64 port will run consumer and producer on
 * different CPUs): see the comment at each atomic access. Plain accesses
 * only touch bytes the protocol gives to one side at a time.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tracing/trace_events.h"
#include "tracing/trace_ring.h"

#define tr_unlikely(x) __builtin_expect(!!(x), 0)

#define HDR_BYTES ((uint32_t)sizeof(struct trace_ring_buf))
#define CLASS_BITS 0x0fff0000u
#define SUBCLASS_BITS 0x0000f000u
#define NOTE_BYTES (12 + 4 * TRC_LOST_RECORDS_WORDS)
#define CACHE_LINE 64

/* One pCPU's ring. The first 24 bytes are all the fast path touches. */
struct trace_ring_cpu {
	_Alignas(CACHE_LINE) uint32_t prod; /* the producer's copy of prod */
	uint32_t limit; /* the fast path keeps prod below; 0: no fast path */
	uintptr_t base; /* data, or data - size in prod's second lap */
	struct trace_ring_buf *buf;

	uint32_t mask_limit; /* limit for any event mask */
	uint32_t lost; /* pending: not yet announced, saturating */
	uint64_t first_lost_tsc;
	uint64_t lost_total, notes, fillers, drained, drained_records;
	uint32_t max_window;
	uint32_t notified_cons; /* cons when the high water was last sent */
	bool hw_armed; /* the next crossing is to be notified */
	bool selected; /* in the pCPU mask */
};

struct trace_ring {
	uint32_t evt_mask; /* class and sub-class bits only */
	unsigned int nr_cpus;
	struct trace_ring_cpu *cpus;
	uint32_t size; /* data_size */
	uint32_t high_water;
	bool enabled;
	trace_ring_notify_fn notify;
	void *notify_ctx;
	trace_ring_current_fn current;
	void *current_ctx;
	struct trace_ring_error err;
	unsigned char *mem;
};

/* What the producer saw when it last looked at the header. */
struct ring_view {
	uint32_t cons;
	uint32_t used; /* unconsumed bytes */
};

static void *zalloc_lines(size_t bytes)
{
	void *p;

	bytes = (bytes + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;
	p = aligned_alloc(CACHE_LINE, bytes);
	if (p)
		memset(p, 0, bytes);
	return p;
}

struct trace_ring *trace_ring_create(unsigned int nr_cpus, size_t ring_bytes)
{
	struct trace_ring *tr;
	size_t data, stride;

	if (!nr_cpus || ring_bytes < HDR_BYTES + TRACE_RING_MIN_DATA)
		return NULL;
	data = (ring_bytes - HDR_BYTES) & ~(size_t)3;
	if (data > TRACE_RING_MAX_DATA)
		return NULL;
	/* Rings on their own cache lines, as Xen's are on their own pages. */
	stride = (HDR_BYTES + data + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;
	if (stride > SIZE_MAX / nr_cpus)
		return NULL;

	tr = calloc(1, sizeof(*tr));
	if (!tr)
		return NULL;
	tr->cpus = zalloc_lines(nr_cpus * sizeof(*tr->cpus));
	tr->mem = zalloc_lines(nr_cpus * stride);
	if (!tr->cpus || !tr->mem) {
		trace_ring_destroy(tr);
		return NULL;
	}
	tr->nr_cpus = nr_cpus;
	tr->size = (uint32_t)data;
	tr->high_water = tr->size / 2;
	tr->evt_mask = TRACE_RING_MASK_ALL;
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		struct trace_ring_cpu *c = &tr->cpus[cpu];

		c->buf = (struct trace_ring_buf *)(tr->mem + cpu * stride);
		atomic_init(&c->buf->cons, 0);
		atomic_init(&c->buf->prod, 0);
		c->base = (uintptr_t)c->buf->data;
		c->selected = true;
		c->hw_armed = true;
	}
	return tr;
}

void trace_ring_destroy(struct trace_ring *tr)
{
	if (!tr)
		return;
	free(tr->mem);
	free(tr->cpus);
	free(tr);
}

void trace_ring_set_notify(struct trace_ring *tr, trace_ring_notify_fn fn,
			   void *ctx)
{
	tr->notify = fn;
	tr->notify_ctx = ctx;
}

void trace_ring_set_current(struct trace_ring *tr, trace_ring_current_fn fn,
			    void *ctx)
{
	tr->current = fn;
	tr->current_ctx = ctx;
}

/* Xen's filter in trace(): class bits and sub-class bits must intersect. */
static bool ring_filter(uint32_t mask, uint32_t event)
{
	uint32_t hit = mask & event;

	return (hit & CLASS_BITS) && (hit & SUBCLASS_BITS);
}

/* Send @c to the slow path for its next record. */
static void ring_block(struct trace_ring_cpu *c)
{
	c->limit = 0;
	c->mask_limit = 0;
}

/* NULL if @prod and @cons describe a possible ring, else what is wrong. */
static const char *ring_check(uint32_t prod, uint32_t cons, uint32_t size)
{
	if (prod & 3)
		return "prod not 4-byte aligned";
	if (cons & 3)
		return "cons not 4-byte aligned";
	if (prod >= 2 * size)
		return "prod not below 2 * data_size";
	if (cons >= 2 * size)
		return "cons not below 2 * data_size";
	if ((prod >= cons ? prod - cons : prod + 2 * size - cons) > size)
		return "more unconsumed data than the ring holds";
	return NULL;
}

/* Xen's reaction to a bogus prod/cons: stop tracing everywhere. */
static void ring_corrupt(struct trace_ring *tr, unsigned int cpu, uint32_t prod,
			 uint32_t cons, const char *what)
{
	if (!tr->err.set)
		tr->err = (struct trace_ring_error){
		    .set = true,
		    .cpu = cpu,
		    .prod = prod,
		    .cons = cons,
		    .what = what,
		};
	trace_ring_disable(tr);
}

static uint32_t ring_pos(const struct trace_ring *tr,
			 const struct trace_ring_cpu *c)
{
	return c->prod >= tr->size ? c->prod - tr->size : c->prod;
}

/*
 * Bytes needed to store records of @first then @second bytes (0: none)
 * from a position @tail bytes before the end, fillers included.
 */
static uint32_t ring_plan(uint32_t size, uint32_t tail, uint32_t first,
			  uint32_t second)
{
	const uint32_t recs[2] = {first, second};
	uint32_t need = 0;

	for (unsigned int i = 0; i < 2; i++) {
		if (!recs[i])
			continue;
		if (recs[i] > tail) {
			need += tail; /* filler */
			tail = size;
		}
		need += recs[i];
		tail -= recs[i];
		if (!tail)
			tail = size;
	}
	return need;
}

/* Look at the header: check it, and see what the consumer freed. */
static int ring_look(struct trace_ring *tr, unsigned int cpu,
		     struct ring_view *v)
{
	struct trace_ring_cpu *c = &tr->cpus[cpu];
	/* Relaxed: only this producer stores prod; we read back our own. */
	uint32_t prod =
	    atomic_load_explicit(&c->buf->prod, memory_order_relaxed);
	/*
	 * Acquire: pairs with the consumer's release store of cons, so its
	 * reads of every byte below cons are done before we overwrite them.
	 */
	uint32_t cons =
	    atomic_load_explicit(&c->buf->cons, memory_order_acquire);
	const char *what = ring_check(prod, cons, tr->size);

	if (!what && prod != c->prod)
		what = "prod changed behind the producer's back";
	if (what) {
		ring_corrupt(tr, cpu, prod, cons, what);
		return -EIO;
	}
	v->cons = cons;
	v->used = prod >= cons ? prod - cons : prod + 2 * tr->size - cons;
	/* The consumer took data since the last notification: re-arm. */
	if (cons != c->notified_cons)
		c->hw_armed = true;
	return 0;
}

/* The fast path's limit after the slow path, @used bytes unconsumed. */
static void ring_set_limit(struct trace_ring *tr, struct trace_ring_cpu *c,
			   uint32_t used)
{
	uint32_t room = tr->size - used;
	uint32_t tail = tr->size - ring_pos(tr, c);

	if (tail < room)
		room = tail;
	if (c->hw_armed) {
		/* Stop short of the mark, or notify on the next record. */
		if (used >= tr->high_water)
			room = 0;
		else if (tr->high_water - used < room)
			room = tr->high_water - used;
	}
	if (c->lost || !room) {
		ring_block(c);
		return;
	}
	c->mask_limit = c->prod + room;
	c->limit = tr->evt_mask == TRACE_RING_MASK_ALL ? c->mask_limit : 0;
}

/* Write one record at prod; the caller checked that it fits. */
static void ring_put(struct trace_ring *tr, struct trace_ring_cpu *c,
		     uint32_t event, bool stamped, uint64_t tsc, unsigned int n,
		     const uint32_t *data)
{
	uint32_t *w = (uint32_t *)(c->base + c->prod);

	*w++ = (stamped ? TRC_CYCLE_FLAG : 0) | (uint32_t)n << TRC_EXTRA_SHIFT |
	       (event & TRC_EVENT_MASK);
	if (stamped) {
		*w++ = (uint32_t)tsc;
		*w++ = (uint32_t)(tsc >> 32);
	}
	if (data)
		memcpy(w, data, 4 * n);
	else /* Xen leaves garbage; we want repeatable files */
		memset(w, 0, 4 * n);
	c->prod += 4 + 8 * stamped + 4 * n;
	/* Records end exactly at data_size: no straddling, see ring_plan. */
	if (c->prod == tr->size) {
		c->base -= tr->size; /* second lap, back at data[0] */
	} else if (c->prod == 2 * tr->size) {
		c->prod = 0;
		c->base = (uintptr_t)c->buf->data;
	}
}

/* Put a timestamped record, with a WRAP_BUFFER filler first if needed. */
static void ring_put_wrapped(struct trace_ring *tr, struct trace_ring_cpu *c,
			     uint32_t event, uint64_t tsc, unsigned int n,
			     const uint32_t *data)
{
	uint32_t tail = tr->size - ring_pos(tr, c);

	if (12 + 4 * n > tail) {
		/* Xen: a timestamp pads the filler if 7 words are not enough.
		 */
		bool stamped = (tail - 4) / 4 > TRC_EXTRA_MAX;

		ring_put(tr, c, TRC_WRAP_BUFFER, stamped, tsc,
			 (tail - 4 - 8 * stamped) / 4, NULL);
		c->fillers++;
	}
	ring_put(tr, c, event, true, tsc, n, data);
}

static void ring_put_note(struct trace_ring *tr, unsigned int cpu, uint64_t tsc)
{
	struct trace_ring_cpu *c = &tr->cpus[cpu];
	/* Xen's payload: u32 count; u16 domid, vcpuid; u64 first lost tsc. */
	struct {
		uint32_t count;
		uint16_t domid, vcpuid;
		uint32_t first_lo, first_hi;
	} note = {
	    .count = c->lost,
	    .domid = TRACE_RING_IDLE_DOMID,
	    .first_lo = (uint32_t)c->first_lost_tsc,
	    .first_hi = (uint32_t)(c->first_lost_tsc >> 32),
	};
	uint32_t words[TRC_LOST_RECORDS_WORDS];

	_Static_assert(sizeof(note) == sizeof(words), "note layout");
	if (tr->current)
		tr->current(tr->current_ctx, cpu, &note.domid, &note.vcpuid);
	memcpy(words, &note, sizeof(words));
	ring_put_wrapped(tr, c, TRC_LOST_RECORDS, tsc, TRC_LOST_RECORDS_WORDS,
			 words);
	c->notes++;
	c->lost = 0;
}

/*
 * Store a pending note, then the record (@rec_bytes 0: none), or count
 * the record as lost.
 */
static int ring_store(struct trace_ring *tr, unsigned int cpu, uint64_t tsc,
		      uint32_t event, unsigned int n, const uint32_t *data,
		      uint32_t rec_bytes)
{
	struct trace_ring_cpu *c = &tr->cpus[cpu];
	struct ring_view v;
	uint32_t need;
	bool notify = false;

	if (!tr->enabled || !c->selected)
		return 0;
	if (ring_look(tr, cpu, &v))
		return -EIO;
	need = ring_plan(tr->size, tr->size - ring_pos(tr, c),
			 c->lost ? NOTE_BYTES : 0, rec_bytes);
	if (need > tr->size - v.used) {
		if (!rec_bytes)
			return -ENOSPC; /* the note waits for space */
		if (!c->lost)
			c->first_lost_tsc = tsc;
		if (c->lost < UINT32_MAX) /* the note's count is a u32 */
			c->lost++;
		c->lost_total++;
		ring_block(c);
		return -ENOSPC;
	}
	if (c->lost)
		ring_put_note(tr, cpu, tsc);
	if (rec_bytes)
		ring_put_wrapped(tr, c, event, tsc, n, data);
	/* Release: the bytes written above are visible before prod is. */
	atomic_store_explicit(&c->buf->prod, c->prod, memory_order_release);

	v.used += need;
	if (c->hw_armed && v.used >= tr->high_water) {
		c->hw_armed = false;
		c->notified_cons = v.cons;
		notify = tr->notify != NULL;
	}
	ring_set_limit(tr, c, v.used);
	if (notify) {
		tr->notify(tr->notify_ctx, cpu);
		/* The consumer may have drained, or disabled tracing. */
		if (!tr->enabled || !c->selected)
			ring_block(c);
		else if (ring_look(tr, cpu, &v))
			return -EIO;
		else
			ring_set_limit(tr, c, v.used);
	}
	return 0;
}

/*
 * Copy @n <= 7 words with at most two wide moves and no loop: 4..7 words
 * as two 16-byte moves overlapping in the middle, 2..3 as two 8-byte
 * ones. Every byte read is one of the @n words.
 */
static inline void copy_words(uint32_t *dst, const uint32_t *src, size_t n)
{
	unsigned char *d = (unsigned char *)dst;
	const unsigned char *s = (const unsigned char *)src;
	size_t end = n * 4;

	if (n >= 4) {
		memcpy(d, s, 16);
		memcpy(d + end - 16, s + end - 16, 16);
	} else if (n >= 2) {
		memcpy(d, s, 8);
		memcpy(d + end - 8, s + end - 8, 8);
	} else if (n) {
		memcpy(d, s, 4);
	}
}

/* Store a record that ends at @next, below the limit, and publish it. */
static inline void ring_put_fast(struct trace_ring_cpu *c, uint32_t next,
				 uint64_t tsc, uint32_t event, size_t n,
				 const uint32_t *data)
{
	uint32_t *w = (uint32_t *)(c->base + c->prod);

	w[0] = (uint32_t)(n + 8) << TRC_EXTRA_SHIFT | (event & TRC_EVENT_MASK);
	w[1] = (uint32_t)tsc;
	w[2] = (uint32_t)(tsc >> 32);
	copy_words(w + 3, data, n);
	c->prod = next;
	/*
	 * Release: pairs with the consumer's acquire load of prod, so the
	 * record's bytes are visible before prod says they are there.
	 */
	atomic_store_explicit(&c->buf->prod, next, memory_order_release);
}

/* Out of line, with trace_ring_write()'s arguments: a plain tail call. */
static __attribute__((noinline)) int
ring_write_slow(struct trace_ring *tr, unsigned int cpu, uint64_t tsc,
		uint32_t event, size_t n, const uint32_t *data)
{
	struct trace_ring_cpu *c = &tr->cpus[cpu];
	uint32_t next = c->prod + 12 + 4 * (uint32_t)n;

	if (!ring_filter(tr->evt_mask, event))
		return 0;
	/* A mask other than TRC_ALL only costs the call and the filter. */
	if (next < c->mask_limit) {
		ring_put_fast(c, next, tsc, event, n, data);
		return 0;
	}
	return ring_store(tr, cpu, tsc, event, (unsigned int)n, data,
			  12 + 4 * (uint32_t)n);
}

int trace_ring_write(struct trace_ring *tr, unsigned int cpu, uint64_t tsc,
		     uint32_t event, size_t n, const uint32_t *data)
{
	struct trace_ring_cpu *c;
	uint32_t next;

	if (tr_unlikely(cpu >= tr->nr_cpus || n > TRC_EXTRA_MAX))
		return -EINVAL;
	/*
	 * Xen's filter for the mask TRC_ALL (any other mask makes limit 0
	 * and the slow path filters): the event needs class and sub-class.
	 */
	if (tr_unlikely(!(event & CLASS_BITS) || !(event & SUBCLASS_BITS)))
		return 0;
	c = &tr->cpus[cpu];
	next = c->prod + 12 + 4 * (uint32_t)n;
	if (tr_unlikely(next >= c->limit))
		return ring_write_slow(tr, cpu, tsc, event, n, data);
	ring_put_fast(c, next, tsc, event, n, data);
	return 0;
}

int trace_ring_write_lost_note(struct trace_ring *tr, unsigned int cpu,
			       uint64_t tsc)
{
	if (cpu >= tr->nr_cpus)
		return -EINVAL;
	if (!tr->cpus[cpu].lost)
		return 0;
	return ring_store(tr, cpu, tsc, 0, 0, NULL, 0);
}

/* Records in @len bytes of whole records at @p. */
static uint64_t count_records(const unsigned char *p, uint32_t len)
{
	uint64_t nr = 0;
	uint32_t off = 0, hdr;

	while (len - off >= 4) {
		memcpy(&hdr, p + off, 4);
		off += 4 + 8 * (hdr >> 31) + 4 * ((hdr >> TRC_EXTRA_SHIFT) & 7);
		nr++;
		if (off > len)
			break;
	}
	return nr;
}

/* The unconsumed window of @c: up to two pieces. */
struct ring_window {
	const unsigned char *a, *b;
	uint32_t alen, blen;
};

static void ring_window(const struct trace_ring *tr,
			const struct trace_ring_cpu *c, uint32_t prod,
			uint32_t cons, struct ring_window *win)
{
	uint32_t used = prod >= cons ? prod - cons : prod + 2 * tr->size - cons;
	uint32_t start = cons >= tr->size ? cons - tr->size : cons;

	win->a = c->buf->data + start;
	win->alen = tr->size - start < used ? tr->size - start : used;
	win->b = c->buf->data;
	win->blen = used - win->alen;
}

long trace_ring_drain(struct trace_ring *tr, unsigned int cpu,
		      trace_ring_sink_fn sink, void *ctx)
{
	struct trace_ring_cpu *c;
	struct ring_window win;
	uint32_t prod, cons, used;
	const char *what;

	if (cpu >= tr->nr_cpus)
		return -EINVAL;
	c = &tr->cpus[cpu];
	/*
	 * Acquire: pairs with the producer's release store of prod, so every
	 * record byte below prod is visible before we copy it.
	 */
	prod = atomic_load_explicit(&c->buf->prod, memory_order_acquire);
	/* Relaxed: only this consumer stores cons. */
	cons = atomic_load_explicit(&c->buf->cons, memory_order_relaxed);
	what = ring_check(prod, cons, tr->size);
	if (what) {
		ring_corrupt(tr, cpu, prod, cons, what);
		return -EIO;
	}
	if (prod == cons)
		return 0;
	ring_window(tr, c, prod, cons, &win);
	sink(ctx, cpu, win.a, win.alen, win.b, win.blen);
	/* Records never straddle the end: each piece holds whole ones. */
	c->drained_records +=
	    count_records(win.a, win.alen) + count_records(win.b, win.blen);
	/*
	 * Release: pairs with the producer's acquire load of cons, so our
	 * copy of the window is complete before the producer reuses it
	 * (xentrace's full barrier before it writes cons).
	 */
	atomic_store_explicit(&c->buf->cons, prod, memory_order_release);
	used = win.alen + win.blen;
	c->drained += used;
	if (used > c->max_window)
		c->max_window = used;
	return (long)used;
}

int trace_ring_enable(struct trace_ring *tr)
{
	if (tr->err.set)
		return -EIO;
	tr->enabled = true;
	for (unsigned int cpu = 0; cpu < tr->nr_cpus; cpu++) {
		ring_block(&tr->cpus[cpu]); /* the slow path looks first */
		tr->cpus[cpu].hw_armed = true;
	}
	return 0;
}

void trace_ring_disable(struct trace_ring *tr)
{
	tr->enabled = false;
	for (unsigned int cpu = 0; cpu < tr->nr_cpus; cpu++) {
		struct trace_ring_cpu *c = &tr->cpus[cpu];

		ring_block(c);
		c->lost = 0; /* no phantom note after a re-enable */
		c->first_lost_tsc = 0;
	}
}

bool trace_ring_enabled(const struct trace_ring *tr)
{
	return tr->enabled;
}

void trace_ring_set_event_mask(struct trace_ring *tr, uint32_t mask)
{
	tr->evt_mask = mask & TRACE_RING_MASK_ALL;
	for (unsigned int cpu = 0; cpu < tr->nr_cpus; cpu++)
		ring_block(&tr->cpus[cpu]);
}

uint32_t trace_ring_event_mask(const struct trace_ring *tr)
{
	return tr->evt_mask;
}

void trace_ring_set_cpu(struct trace_ring *tr, unsigned int cpu, bool on)
{
	if (cpu >= tr->nr_cpus)
		return;
	tr->cpus[cpu].selected = on;
	ring_block(&tr->cpus[cpu]);
}

unsigned int trace_ring_nr_cpus(const struct trace_ring *tr)
{
	return tr->nr_cpus;
}

uint32_t trace_ring_data_size(const struct trace_ring *tr)
{
	return tr->size;
}

struct trace_ring_buf *trace_ring_buf(struct trace_ring *tr, unsigned int cpu)
{
	return cpu < tr->nr_cpus ? tr->cpus[cpu].buf : NULL;
}

/* Records written and not drained yet (0 if the header is bogus). */
static uint64_t ring_undrained_records(const struct trace_ring *tr,
				       const struct trace_ring_cpu *c)
{
	uint32_t cons =
	    atomic_load_explicit(&c->buf->cons, memory_order_acquire);
	struct ring_window win;

	if (ring_check(c->prod, cons, tr->size))
		return 0;
	ring_window(tr, c, c->prod, cons, &win);
	return count_records(win.a, win.alen) + count_records(win.b, win.blen);
}

void trace_ring_get_stats(const struct trace_ring *tr, unsigned int cpu,
			  struct trace_ring_stats *st)
{
	memset(st, 0, sizeof(*st));
	for (unsigned int i = 0; i < tr->nr_cpus; i++) {
		const struct trace_ring_cpu *c = &tr->cpus[i];

		if (cpu != -1u && cpu != i)
			continue;
		st->stored += c->drained_records +
			      ring_undrained_records(tr, c) - c->notes -
			      c->fillers;
		st->lost += c->lost_total;
		st->notes += c->notes;
		st->fillers += c->fillers;
		st->drained += c->drained;
		st->pending += c->lost;
		if (c->max_window > st->max_window)
			st->max_window = c->max_window;
	}
}

const struct trace_ring_error *trace_ring_error(const struct trace_ring *tr)
{
	return tr->err.set ? &tr->err : NULL;
}
