/*
 * 4-ary min-heap of intrusive events, keyed by (time, seq).
 *
 *                 [0]                 each slot holds an event's key and a
 *        /     /       \     \        pointer to it; the event records its
 *      [1]   [2]       [3]   [4]      slot index, so an armed event can be
 *    / | | \                          moved or removed in O(log n) without
 *  [5][6][7][8] ...                   a search. Four children per node
 *                                     halve the depth of a binary heap, and
 * sifting reads only the slot array, so a pop touches few cache lines.
 */
#include <errno.h>
#include <stdlib.h>

#include "event_queue.h"

static inline bool slot_before(const struct event_slot *a,
			       const struct event_slot *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static inline void slot_place(struct event_queue *q, unsigned int i,
			      const struct event_slot *s)
{
	q->heap[i] = *s;
	s->ev->heap_idx = (int)i;
}

static void ev_sift_up(struct event_queue *q, unsigned int i)
{
	struct event_slot s = q->heap[i];

	while (i > 0) {
		unsigned int parent = (i - 1) / 4;

		if (!slot_before(&s, &q->heap[parent]))
			break;
		slot_place(q, i, &q->heap[parent]);
		i = parent;
	}
	slot_place(q, i, &s);
}

static void ev_sift_down(struct event_queue *q, unsigned int i)
{
	struct event_slot s = q->heap[i];
	unsigned int nr = q->nr;

	for (;;) {
		unsigned int first = 4 * i + 1, best, end;

		if (first >= nr)
			break;
		best = first;
		end = first + 4 < nr ? first + 4 : nr;
		for (unsigned int c = first + 1; c < end; c++)
			if (slot_before(&q->heap[c], &q->heap[best]))
				best = c;
		if (!slot_before(&q->heap[best], &s))
			break;
		slot_place(q, i, &q->heap[best]);
		i = best;
	}
	slot_place(q, i, &s);
}

int event_queue_init(struct event_queue *q, unsigned int cap)
{
	q->nr = 0;
	q->next_seq = 0;
	q->cap = cap ? cap : 16;
	q->heap = malloc(q->cap * sizeof(*q->heap));
	return q->heap ? 0 : -ENOMEM;
}

void event_queue_fini(struct event_queue *q)
{
	free(q->heap);
	q->heap = NULL;
	q->nr = q->cap = 0;
}

static void ev_remove(struct event_queue *q, struct sim_event *e)
{
	unsigned int i = (unsigned int)e->heap_idx;
	struct event_slot last = q->heap[--q->nr];

	e->heap_idx = -1;
	if (last.ev == e)
		return;
	slot_place(q, i, &last);
	if (i > 0 && slot_before(&last, &q->heap[(i - 1) / 4]))
		ev_sift_up(q, i);
	else
		ev_sift_down(q, i);
}

int event_queue_arm(struct event_queue *q, struct sim_event *e, hv_time_t time)
{
	e->seq = q->next_seq++;
	e->time = time;
	if (sim_event_queued(e)) {
		struct event_slot *s = &q->heap[e->heap_idx];
		bool earlier = time < s->time;

		/* Re-arming in place keeps the heap size: one sift, not two. */
		s->time = time;
		s->seq = e->seq;
		if (earlier)
			ev_sift_up(q, (unsigned int)e->heap_idx);
		else
			ev_sift_down(q, (unsigned int)e->heap_idx);
		return 0;
	}
	if (q->nr == q->cap) {
		unsigned int cap = 2 * q->cap;
		struct event_slot *heap = realloc(q->heap, cap * sizeof(*heap));

		if (!heap)
			return -ENOMEM;
		q->heap = heap;
		q->cap = cap;
	}
	q->heap[q->nr] = (struct event_slot){time, e->seq, e};
	e->heap_idx = (int)q->nr++;
	ev_sift_up(q, (unsigned int)e->heap_idx);
	return 0;
}

void event_queue_cancel(struct event_queue *q, struct sim_event *e)
{
	if (sim_event_queued(e))
		ev_remove(q, e);
}

struct sim_event *event_queue_pop(struct event_queue *q)
{
	struct sim_event *e;

	if (!q->nr)
		return NULL;
	e = q->heap[0].ev;
	ev_remove(q, e);
	return e;
}
