/*
 * Unit tests: the per-pCPU trace rings (tracing/trace_ring.c): ring
 * arithmetic, fillers, lost records, filters, control, corrupt headers,
 * high-water notification. The sim's consumer: test_sim_trace.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tracing/trace_events.h"
#include "tracing/trace_ring.h"

#define SMALL 128 /* data bytes of the rings most tests use */
#define MAX_RECS 512

/* A record as the consumer sees it. */
struct rec {
	uint32_t event;
	unsigned int n;
	bool stamped;
	uint64_t tsc;
	uint32_t d[7];
};

/* What the sink saw: windows, and the records in them. */
struct capture {
	unsigned int windows, wrapped;
	size_t alen, blen; /* of the last window */
	unsigned int cpu;
	unsigned int nr;
	struct rec recs[MAX_RECS];
	uint64_t stored, notes_count, fillers, notes;
};

static void parse(struct capture *cap, const unsigned char *p, size_t len)
{
	size_t off = 0;

	while (off < len) {
		struct rec r = {0};
		uint32_t h;

		assert_true(len - off >= 4);
		memcpy(&h, p + off, 4);
		r.event = h & TRC_EVENT_MASK;
		r.n = (h >> TRC_EXTRA_SHIFT) & 7;
		r.stamped = h >> 31;
		off += 4;
		assert_true(off + 8 * r.stamped + 4 * r.n <= len);
		if (r.stamped) {
			memcpy(&r.tsc, p + off, 8);
			off += 8;
		}
		memcpy(r.d, p + off, 4 * r.n);
		off += 4 * r.n;
		if (r.event == TRC_WRAP_BUFFER) {
			cap->fillers++;
		} else if (r.event == TRC_LOST_RECORDS) {
			cap->notes++;
			cap->notes_count += r.d[0];
		} else {
			cap->stored++;
		}
		if (cap->nr < MAX_RECS)
			cap->recs[cap->nr++] = r;
	}
}

static void sink(void *ctx, unsigned int cpu, const void *a, size_t alen,
		 const void *b, size_t blen)
{
	struct capture *cap = ctx;

	cap->windows++;
	cap->wrapped += blen != 0;
	cap->alen = alen;
	cap->blen = blen;
	cap->cpu = cpu;
	assert_true(alen > 0);
	/* Each piece holds whole records: parse them apart. */
	parse(cap, a, alen);
	parse(cap, b, blen);
}

static uint32_t prod_of(struct trace_ring *tr, unsigned int cpu)
{
	return atomic_load(&trace_ring_buf(tr, cpu)->prod);
}

static uint32_t cons_of(struct trace_ring *tr, unsigned int cpu)
{
	return atomic_load(&trace_ring_buf(tr, cpu)->cons);
}

static struct trace_ring *ring_new(unsigned int nr_cpus, uint32_t data)
{
	struct trace_ring *tr = trace_ring_create(nr_cpus, 8 + data);

	assert_non_null(tr);
	assert_int_equal(trace_ring_data_size(tr), data);
	assert_int_equal(trace_ring_enable(tr), 0);
	return tr;
}

/* One record of @n words (12 + 4n bytes), data[i] = tsc + i. */
static int put(struct trace_ring *tr, unsigned int cpu, uint64_t tsc,
	       unsigned int n)
{
	uint32_t d[7];

	for (unsigned int i = 0; i < 7; i++)
		d[i] = (uint32_t)tsc + i;
	return trace_ring_write(tr, cpu, tsc, TRC_SWITCH, n, d);
}

static void test_create_and_layout(void **state)
{
	const uint32_t data[7] = {1, 2, 3, 4, 5, 6, 7};
	struct capture cap = {0};
	struct trace_ring *tr;

	(void)state;
	assert_null(trace_ring_create(0, 4096));
	assert_null(trace_ring_create(1, 8 + TRACE_RING_MIN_DATA - 4));
	assert_null(trace_ring_create(1, (size_t)TRACE_RING_MAX_DATA + 16));
	/* Xen: data_size = pages * PAGE_SIZE - sizeof(struct t_buf). */
	tr = trace_ring_create(2, TRACE_RING_DEFAULT_BYTES);
	assert_int_equal(trace_ring_data_size(tr), 131072 - 8);
	assert_false(trace_ring_enabled(tr));
	assert_int_equal(trace_ring_event_mask(tr), TRACE_RING_MASK_ALL);
	/* Disabled: dropped, not lost. */
	assert_int_equal(put(tr, 0, 1, 1), 0);
	assert_int_equal(prod_of(tr, 0), 0);
	assert_int_equal(trace_ring_enable(tr), 0);

	assert_int_equal(trace_ring_write(tr, 1, 0x1122334455667788ull,
					  0xf0000000u | TRC_WAKE, 2, data),
			 0);
	assert_int_equal(trace_ring_write(tr, 1, 9, TRC_NULL_TASKLET, 0, NULL),
			 0);
	assert_int_equal(trace_ring_write(tr, 2, 9, TRC_WAKE, 2, data),
			 -EINVAL);
	assert_int_equal(trace_ring_write(tr, 1, 9, TRC_HVLAB_HEADER, 8, data),
			 -EINVAL);
	assert_int_equal(prod_of(tr, 1), 20 + 12);
	assert_int_equal(trace_ring_drain(tr, 1, sink, &cap), 32);
	assert_int_equal(cons_of(tr, 1), 32);
	assert_int_equal(trace_ring_drain(tr, 1, sink, &cap), 0);
	assert_int_equal(cap.windows, 1);
	assert_int_equal(cap.cpu, 1);
	assert_int_equal(cap.nr, 2);
	assert_int_equal(cap.recs[0].event, TRC_WAKE);
	assert_true(cap.recs[0].stamped);
	assert_int_equal(cap.recs[0].tsc, 0x1122334455667788ull);
	assert_int_equal(cap.recs[0].n, 2);
	assert_int_equal(cap.recs[0].d[1], 2);
	assert_int_equal(cap.recs[1].event, TRC_NULL_TASKLET);
	trace_ring_destroy(tr);
	trace_ring_destroy(NULL);
}

/* Every data size 0..7 goes through the producer's word copy intact. */
static void test_every_word_count(void **state)
{
	struct trace_ring *tr = ring_new(1, 1024);
	struct capture cap = {0};

	(void)state;
	for (unsigned int n = 0; n <= 7; n++)
		assert_int_equal(put(tr, 0, 100 * n, n), 0);
	trace_ring_drain(tr, 0, sink, &cap);
	assert_int_equal(cap.nr, 8);
	for (unsigned int n = 0; n <= 7; n++) {
		assert_int_equal(cap.recs[n].n, n);
		assert_int_equal(cap.recs[n].tsc, 100 * n);
		for (unsigned int i = 0; i < n; i++)
			assert_int_equal(cap.recs[n].d[i], 100 * n + i);
	}
	trace_ring_destroy(tr);
}

/* prod and cons run modulo 2 * size and come back to 0. */
static void test_offsets_wrap_at_twice_the_size(void **state)
{
	struct trace_ring *tr = ring_new(1, SMALL);
	static const uint32_t want[] = {64, 128, 192, 0, 64};
	struct capture cap = {0};

	(void)state;
	for (unsigned int round = 0; round < 5; round++) {
		for (unsigned int i = 0; i < 4; i++)
			assert_int_equal(put(tr, 0, round * 4 + i, 1), 0);
		assert_int_equal(prod_of(tr, 0), want[round]);
		assert_int_equal(trace_ring_drain(tr, 0, sink, &cap), 64);
		assert_int_equal(cons_of(tr, 0), want[round]);
	}
	assert_int_equal(cap.windows, 5);
	assert_int_equal(cap.wrapped, 0);
	assert_int_equal(cap.fillers, 0);
	for (unsigned int i = 0; i < 20; i++)
		assert_int_equal(cap.recs[i].tsc, i);
	trace_ring_destroy(tr);
}

/* A record ending exactly at the end needs no filler; a full ring loses. */
static void test_exact_fit_then_full(void **state)
{
	struct trace_ring *tr = ring_new(1, SMALL);
	struct trace_ring_stats st;
	struct capture cap = {0};

	(void)state;
	for (unsigned int i = 0; i < 8; i++)
		assert_int_equal(put(tr, 0, i, 1), 0);
	assert_int_equal(prod_of(tr, 0), SMALL); /* full: prod - cons = size */
	assert_int_equal(put(tr, 0, 8, 0), -ENOSPC);
	assert_int_equal(put(tr, 0, 9, 1), -ENOSPC);
	trace_ring_get_stats(tr, 0, &st);
	assert_int_equal(st.stored, 8);
	assert_int_equal(st.lost, 2);
	assert_int_equal(st.pending, 2);
	assert_int_equal(st.fillers, 0);
	/* A full ring drains as one piece. */
	assert_int_equal(trace_ring_drain(tr, 0, sink, &cap), SMALL);
	assert_int_equal(cap.wrapped, 0);
	assert_int_equal(cap.nr, 8);
	trace_ring_destroy(tr);
}

/* A record that would straddle the end: filler, then the record at 0. */
static void test_filler_and_two_piece_window(void **state)
{
	struct trace_ring *tr = ring_new(1, SMALL);
	struct capture cap = {0};

	(void)state;
	for (unsigned int i = 0; i < 7; i++)
		assert_int_equal(put(tr, 0, i, 1), 0);
	trace_ring_drain(tr, 0, sink, &cap); /* cons = 112: 16 bytes left */
	memset(&cap, 0, sizeof(cap));
	assert_int_equal(put(tr, 0, 50, 2), 0); /* 20 bytes */
	assert_int_equal(prod_of(tr, 0), SMALL + 20);
	assert_int_equal(trace_ring_drain(tr, 0, sink, &cap), 16 + 20);
	assert_int_equal(cap.windows, 1);
	assert_int_equal(cap.wrapped, 1);
	assert_int_equal(cap.alen, 16);
	assert_int_equal(cap.blen, 20);
	assert_int_equal(cap.nr, 2);
	/* 16 bytes of filler: header and 3 words, no timestamp. */
	assert_int_equal(cap.recs[0].event, TRC_WRAP_BUFFER);
	assert_false(cap.recs[0].stamped);
	assert_int_equal(cap.recs[0].n, 3);
	assert_int_equal(cap.recs[1].tsc, 50);

	/* 36 bytes left and a 40-byte record: the filler needs a tsc. */
	for (unsigned int i = 0; i < 6; i++)
		put(tr, 0, 60 + i, 0);
	trace_ring_drain(tr, 0, sink, &cap); /* prod = cons = 128 + 92 */
	memset(&cap, 0, sizeof(cap));
	assert_int_equal(put(tr, 0, 70, 7), 0);
	assert_int_equal(prod_of(tr, 0), 40); /* lap 2 ended: back to 0 */
	trace_ring_drain(tr, 0, sink, &cap);
	assert_int_equal(cap.alen, 36);
	assert_int_equal(cap.recs[0].event, TRC_WRAP_BUFFER);
	assert_true(cap.recs[0].stamped);
	assert_int_equal(cap.recs[0].n, 6);
	assert_int_equal(cap.recs[1].n, 7);
	trace_ring_destroy(tr);
}

static void current_dv(void *ctx, unsigned int cpu, uint16_t *dom,
		       uint16_t *vcpu)
{
	(void)ctx;
	*dom = 7;
	*vcpu = (uint16_t)(cpu + 2);
}

/* The note comes first, with the count, who ran and the first loss. */
static void test_lost_note(void **state)
{
	struct trace_ring *tr = ring_new(2, SMALL);
	struct trace_ring_stats st;
	struct capture cap = {0};
	uint16_t dv[2];

	(void)state;
	trace_ring_set_current(tr, current_dv, NULL);
	for (unsigned int i = 0; i < 8; i++)
		put(tr, 1, i, 1);
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(put(tr, 1, 1000 + i, 1), -ENOSPC);
	/* The consumer frees 16 bytes: too few for note + record. */
	atomic_store(&trace_ring_buf(tr, 1)->cons, 16);
	assert_int_equal(put(tr, 1, 2000, 0), -ENOSPC);
	atomic_store(&trace_ring_buf(tr, 1)->cons, 0);
	trace_ring_drain(tr, 1, sink, &cap);
	memset(&cap, 0, sizeof(cap));

	assert_int_equal(put(tr, 1, 5000, 1), 0);
	trace_ring_drain(tr, 1, sink, &cap);
	assert_int_equal(cap.nr, 2);
	assert_int_equal(cap.recs[0].event, TRC_LOST_RECORDS);
	assert_int_equal(cap.recs[0].n, 4);
	assert_int_equal(cap.recs[0].tsc, 5000);
	assert_int_equal(cap.recs[0].d[0], 4);
	memcpy(dv, &cap.recs[0].d[1], 4); /* Xen: u16 domid, u16 vcpuid */
	assert_int_equal(dv[0], 7);
	assert_int_equal(dv[1], 3);
	assert_int_equal(cap.recs[0].d[2], 1000); /* first lost tsc */
	assert_int_equal(cap.recs[0].d[3], 0);
	assert_int_equal(cap.recs[1].tsc, 5000);
	trace_ring_get_stats(tr, 1, &st);
	assert_int_equal(st.lost, 4);
	assert_int_equal(st.pending, 0);
	assert_int_equal(st.notes, 1);
	assert_int_equal(st.stored, 9);

	/* No record comes: the note alone, at the end of a run. */
	for (unsigned int i = 0; i < 9; i++)
		put(tr, 0, i, 1);
	assert_int_equal(trace_ring_write_lost_note(tr, 0, 77), -ENOSPC);
	trace_ring_drain(tr, 0, sink, &cap);
	memset(&cap, 0, sizeof(cap));
	assert_int_equal(trace_ring_write_lost_note(tr, 0, 77), 0);
	assert_int_equal(trace_ring_write_lost_note(tr, 0, 78), 0);
	trace_ring_drain(tr, 0, sink, &cap);
	assert_int_equal(cap.nr, 1);
	assert_int_equal(cap.recs[0].d[0], 1);
	assert_int_equal(cap.recs[0].tsc, 77);
	trace_ring_destroy(tr);
}

/* Random sizes and drains: lost == produced - stored, both ways. */
static void test_lost_equals_produced_minus_stored(void **state)
{
	struct trace_ring *tr = ring_new(1, 256);
	struct trace_ring_stats st;
	struct capture cap = {0};
	uint64_t produced = 0, rejected = 0;
	uint32_t rng = 12345;

	(void)state;
	for (unsigned int i = 0; i < 20000; i++) {
		int rc;

		rng = rng * 1103515245u + 12345u;
		rc = put(tr, 0, i, (rng >> 16) % 8);
		assert_true(rc == 0 || rc == -ENOSPC);
		produced++;
		rejected += rc == -ENOSPC;
		if ((rng >> 8) % 29 == 0) {
			cap.nr = 0; /* keep the counts, not the records */
			trace_ring_drain(tr, 0, sink, &cap);
		}
	}
	trace_ring_drain(tr, 0, sink, &cap);
	assert_int_equal(trace_ring_write_lost_note(tr, 0, 20000), 0);
	trace_ring_drain(tr, 0, sink, &cap);
	trace_ring_get_stats(tr, 0, &st);
	assert_true(st.lost > 100);
	assert_int_equal(st.lost, rejected);
	assert_int_equal(st.lost, produced - cap.stored);
	assert_int_equal(cap.notes_count, st.lost);
	assert_int_equal(st.stored, cap.stored);
	assert_int_equal(st.notes, cap.notes);
	assert_int_equal(st.fillers, cap.fillers);
	assert_true(st.fillers > 0);
	trace_ring_destroy(tr);
}

/* Xen's filter: class and sub-class must both intersect; pCPU mask. */
static void test_masks(void **state)
{
	struct trace_ring *tr = ring_new(2, 1024);
	struct trace_ring_stats st;
	struct capture cap = {0};
	uint32_t w[2] = {1, 2};

	(void)state;
	/* Even with TRC_ALL, an ID without class or sub-class is dropped. */
	assert_int_equal(trace_ring_write(tr, 0, 1, 0x00001001u, 0, NULL), 0);
	assert_int_equal(trace_ring_write(tr, 0, 1, 0x00020001u, 0, NULL), 0);
	trace_ring_set_event_mask(tr, TRC_CLS_SCHED);
	assert_int_equal(trace_ring_event_mask(tr), TRC_CLS_SCHED);
	trace_ring_write(tr, 0, 2, TRC_WAKE, 2, w);
	trace_ring_write(tr, 0, 3, TRC_HVLAB_RUN_END, 2, w); /* class */
	trace_ring_write(tr, 0, 4, TRC_CONTINUE_RUNNING, 1, w);
	trace_ring_write(tr, 0, 5, TRC_WAKE, 2, w);
	/* Sub-class 8 only (Xen's TRC_SCHED_VERBOSE). */
	trace_ring_set_event_mask(tr, 0x00028000u);
	trace_ring_write(tr, 0, 6, TRC_CONTINUE_RUNNING, 1, w); /* sub 1 */
	trace_ring_write(tr, 0, 7, TRC_SWITCH, 2, w); /* sub 8 */
	trace_ring_write(tr, 0, 8, TRC_LOST_RECORDS, 0, NULL); /* class */
	trace_ring_set_event_mask(tr, TRACE_RING_MASK_ALL);
	/* pCPU mask: cpu 1 deselected, then selected again. */
	trace_ring_set_cpu(tr, 1, false);
	assert_int_equal(trace_ring_write(tr, 1, 9, TRC_WAKE, 2, w), 0);
	trace_ring_write(tr, 0, 10, TRC_WAKE, 2, w);
	assert_int_equal(prod_of(tr, 1), 0);
	trace_ring_set_cpu(tr, 1, true);
	trace_ring_write(tr, 1, 11, TRC_WAKE, 2, w);

	trace_ring_drain(tr, 0, sink, &cap);
	assert_int_equal(cap.nr, 5);
	assert_int_equal(cap.recs[0].tsc, 2);
	assert_int_equal(cap.recs[1].tsc, 4);
	assert_int_equal(cap.recs[2].tsc, 5);
	assert_int_equal(cap.recs[3].tsc, 7);
	assert_int_equal(cap.recs[4].tsc, 10);
	memset(&cap, 0, sizeof(cap));
	trace_ring_drain(tr, 1, sink, &cap);
	assert_int_equal(cap.nr, 1);
	assert_int_equal(cap.recs[0].tsc, 11);
	trace_ring_get_stats(tr, -1u, &st);
	assert_int_equal(st.lost, 0); /* filtered is not lost */
	assert_int_equal(st.stored, 6);
	trace_ring_destroy(tr);
}

/* Disabling forgets pending losses: no phantom note after enabling. */
static void test_disable_clears_lost(void **state)
{
	struct trace_ring *tr = ring_new(1, SMALL);
	struct trace_ring_stats st;
	struct capture cap = {0};

	(void)state;
	for (unsigned int i = 0; i < 10; i++)
		put(tr, 0, i, 1);
	trace_ring_get_stats(tr, 0, &st);
	assert_int_equal(st.pending, 2);
	trace_ring_disable(tr);
	assert_false(trace_ring_enabled(tr));
	trace_ring_get_stats(tr, 0, &st);
	assert_int_equal(st.pending, 0);
	assert_int_equal(st.lost, 2); /* still counted as lost */
	assert_int_equal(put(tr, 0, 20, 1), 0); /* dropped, not lost */
	trace_ring_drain(tr, 0, sink, &cap); /* what was written stays */
	assert_int_equal(cap.nr, 8);
	memset(&cap, 0, sizeof(cap));
	assert_int_equal(trace_ring_enable(tr), 0);
	assert_int_equal(put(tr, 0, 30, 1), 0);
	trace_ring_drain(tr, 0, sink, &cap);
	assert_int_equal(cap.nr, 1);
	assert_int_equal(cap.recs[0].event, TRC_SWITCH);
	assert_int_equal(cap.notes, 0);
	trace_ring_destroy(tr);
}

/* Bogus headers: detected, tracing stops, nothing crashes. */
static void test_corrupt_header(void **state)
{
	static const struct {
		uint32_t prod, cons; /* 0xffffffff: leave as is */
		const char *what;
	} bad[] = {
	    {0xffffffff, 2, "cons not 4-byte aligned"},
	    {6, 0xffffffff, "prod not 4-byte aligned"},
	    {0xffffffff, 2 * SMALL, "cons not below 2 * data_size"},
	    {2 * SMALL + 4, 0xffffffff, "prod not below 2 * data_size"},
	    /* prod is 32: 132 bytes unconsumed in a 128-byte ring */
	    {0xffffffff, 32 + 2 * SMALL - (SMALL + 4), "more unconsumed"},
	    {48, 0xffffffff, "prod changed"},
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (int by_producer = 0; by_producer <= 1; by_producer++) {
			struct trace_ring *tr = ring_new(2, SMALL);
			struct trace_ring_buf *buf = trace_ring_buf(tr, 1);
			const struct trace_ring_error *err;
			struct capture cap = {0};
			int rc = 0;

			put(tr, 1, 1, 1);
			put(tr, 1, 2, 1); /* prod = 32 */
			if (bad[i].prod != 0xffffffff)
				atomic_store(&buf->prod, bad[i].prod);
			if (bad[i].cons != 0xffffffff)
				atomic_store(&buf->cons, bad[i].cons);
			if (!by_producer &&
			    strncmp(bad[i].what, "prod ch", 7)) {
				rc = (int)trace_ring_drain(tr, 1, sink, &cap);
				assert_int_equal(cap.windows, 0);
			} else {
				/*
				 * cons: caught when the producer next looks,
				 * at the latest when its limit runs out. prod:
				 * only looked at then, and a fast record
				 * would overwrite it: make it look now.
				 */
				if (bad[i].prod != 0xffffffff)
					trace_ring_set_cpu(tr, 1, true);
				for (unsigned int k = 0; k < SMALL / 12 && !rc;
				     k++)
					rc = put(tr, 1, 10 + k, 0);
			}
			assert_int_equal(rc, -EIO);
			err = trace_ring_error(tr);
			assert_non_null(err);
			assert_int_equal(err->cpu, 1);
			assert_non_null(strstr(err->what, bad[i].what));
			assert_false(trace_ring_enabled(tr));
			assert_int_equal(trace_ring_enable(tr), -EIO);
			assert_int_equal(put(tr, 0, 3, 7), 0); /* dropped */
			assert_int_equal(put(tr, 1, 3, 7), 0);
			assert_int_equal(prod_of(tr, 0), 0);
			trace_ring_destroy(tr);
		}
	}
}

struct hw_watch {
	struct trace_ring *tr;
	unsigned int calls;
	uint32_t prod_seen;
	bool drain;
	struct capture cap;
	size_t max_window;
};

static void on_high_water(void *ctx, unsigned int cpu)
{
	struct hw_watch *hw = ctx;

	hw->calls++;
	hw->prod_seen = prod_of(hw->tr, cpu);
	if (hw->drain) {
		trace_ring_drain(hw->tr, cpu, sink, &hw->cap);
		if (hw->cap.alen + hw->cap.blen > hw->max_window)
			hw->max_window = hw->cap.alen + hw->cap.blen;
	}
}

/* Notified once per crossing of half the ring, the record complete. */
static void test_high_water(void **state)
{
	struct hw_watch hw = {.tr = ring_new(1, 256)};
	struct trace_ring_stats st;

	(void)state;
	trace_ring_set_notify(hw.tr, on_high_water, &hw);
	for (unsigned int i = 0; i < 7; i++)
		put(hw.tr, 0, i, 1); /* 112 bytes: below 128 */
	assert_int_equal(hw.calls, 0);
	put(hw.tr, 0, 7, 1);
	assert_int_equal(hw.calls, 1);
	assert_int_equal(hw.prod_seen, 128); /* the 8th record included */
	for (unsigned int i = 8; i < 16; i++)
		put(hw.tr, 0, i, 1); /* still above: no second call */
	assert_int_equal(hw.calls, 1);
	trace_ring_drain(hw.tr, 0, sink, &hw.cap);
	for (unsigned int i = 16; i < 24; i++)
		put(hw.tr, 0, i, 1);
	assert_int_equal(hw.calls, 2);

	/* A consumer answering at once never loses anything. */
	trace_ring_drain(hw.tr, 0, sink, &hw.cap);
	hw.drain = true;
	for (unsigned int i = 24; i < 5000; i++)
		assert_int_equal(put(hw.tr, 0, i, i % 8), 0);
	trace_ring_drain(hw.tr, 0, sink, &hw.cap);
	trace_ring_get_stats(hw.tr, 0, &st);
	assert_int_equal(st.lost, 0);
	assert_int_equal(st.stored, 5000);
	assert_int_equal(hw.cap.stored, 5000);
	/* Drained at half full: at most a record and a filler over it. */
	assert_true(hw.max_window >= 128);
	assert_true(hw.max_window < 128 + 40 + 36);
	assert_int_equal(st.max_window, 256); /* the full drain above */
	trace_ring_destroy(hw.tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_and_layout),
	    cmocka_unit_test(test_every_word_count),
	    cmocka_unit_test(test_offsets_wrap_at_twice_the_size),
	    cmocka_unit_test(test_exact_fit_then_full),
	    cmocka_unit_test(test_filler_and_two_piece_window),
	    cmocka_unit_test(test_lost_note),
	    cmocka_unit_test(test_lost_equals_produced_minus_stored),
	    cmocka_unit_test(test_masks),
	    cmocka_unit_test(test_disable_clears_lost),
	    cmocka_unit_test(test_corrupt_header),
	    cmocka_unit_test(test_high_water),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
