/*
 * Binary min-heap of intrusive events, keyed by (time, seq).
 *
 *            [0]            each slot holds a pointer to an event that
 *          /     \          records its own slot index, so an armed event
 *        [1]     [2]        can be moved or removed in O(log n) without a
 *       /   \   /   \       search
 *     [3]  [4] [5]  [6]
 */
#include <errno.h>
#include <stdlib.h>

#include "event_queue.h"

static inline bool ev_before(const struct sim_event *a,
			     const struct sim_event *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static inline void ev_place(struct event_queue *q, unsigned int i,
			    struct sim_event *e)
{
	q->heap[i] = e;
	e->heap_idx = (int)i;
}

static void ev_sift_up(struct event_queue *q, unsigned int i)
{
	struct sim_event *e = q->heap[i];

	while (i > 0) {
		unsigned int parent = (i - 1) / 2;

		if (!ev_before(e, q->heap[parent]))
			break;
		ev_place(q, i, q->heap[parent]);
		i = parent;
	}
	ev_place(q, i, e);
}

static void ev_sift_down(struct event_queue *q, unsigned int i)
{
	struct sim_event *e = q->heap[i];
	unsigned int nr = q->nr;

	for (;;) {
		unsigned int child = 2 * i + 1;

		if (child >= nr)
			break;
		if (child + 1 < nr &&
		    ev_before(q->heap[child + 1], q->heap[child]))
			child++;
		if (!ev_before(q->heap[child], e))
			break;
		ev_place(q, i, q->heap[child]);
		i = child;
	}
	ev_place(q, i, e);
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
	struct sim_event *last = q->heap[--q->nr];

	e->heap_idx = -1;
	if (last == e)
		return;
	ev_place(q, i, last);
	if (i > 0 && ev_before(last, q->heap[(i - 1) / 2]))
		ev_sift_up(q, i);
	else
		ev_sift_down(q, i);
}

int event_queue_arm(struct event_queue *q, struct sim_event *e, hv_time_t time)
{
	e->seq = q->next_seq++;
	if (sim_event_queued(e)) {
		hv_time_t old = e->time;

		/* Re-arming in place keeps the heap size and avoids two sifts.
		 */
		e->time = time;
		if (time < old)
			ev_sift_up(q, (unsigned int)e->heap_idx);
		else
			ev_sift_down(q, (unsigned int)e->heap_idx);
		return 0;
	}
	if (q->nr == q->cap) {
		unsigned int cap = 2 * q->cap;
		struct sim_event **heap = realloc(q->heap, cap * sizeof(*heap));

		if (!heap)
			return -ENOMEM;
		q->heap = heap;
		q->cap = cap;
	}
	e->time = time;
	ev_place(q, q->nr++, e);
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
	e = q->heap[0];
	ev_remove(q, e);
	return e;
}
