/*
 * Per-pCPU software timers on one hardware timer per pCPU.
 *
 * Each pCPU's armed timers sit in a binary min-heap keyed by (expires,
 * seq); seq is taken when a timer is armed, so two timers with the same
 * expiry fire in the order they were armed on every run and every port.
 * The hardware timer always holds the head's expiry.
 */
#include <errno.h>
#include <stdlib.h>

#include <hv/machine.h>
#include <hv/port.h>
#include <hv/timer.h>

static bool timer_before(const struct hv_timer *a, const struct hv_timer *b)
{
	return a->expires < b->expires ||
	       (a->expires == b->expires && a->seq < b->seq);
}

static void heap_place(struct timer_heap *h, unsigned int i, struct hv_timer *t)
{
	h->slots[i] = t;
	t->heap_idx = (int)i;
}

static void heap_sift_up(struct timer_heap *h, unsigned int i)
{
	struct hv_timer *t = h->slots[i];

	while (i > 0) {
		unsigned int parent = (i - 1) / 2;

		if (!timer_before(t, h->slots[parent]))
			break;
		heap_place(h, i, h->slots[parent]);
		i = parent;
	}
	heap_place(h, i, t);
}

static void heap_sift_down(struct timer_heap *h, unsigned int i)
{
	struct hv_timer *t = h->slots[i];

	for (;;) {
		unsigned int child = 2 * i + 1;

		if (child >= h->nr)
			break;
		if (child + 1 < h->nr &&
		    timer_before(h->slots[child + 1], h->slots[child]))
			child++;
		if (!timer_before(h->slots[child], t))
			break;
		heap_place(h, i, h->slots[child]);
		i = child;
	}
	heap_place(h, i, t);
}

static void heap_remove(struct timer_heap *h, struct hv_timer *t)
{
	unsigned int i = (unsigned int)t->heap_idx;
	struct hv_timer *last = h->slots[--h->nr];

	t->heap_idx = -1;
	if (last == t)
		return;
	heap_place(h, i, last);
	heap_sift_up(h, i);
	heap_sift_down(h, (unsigned int)last->heap_idx);
}

static void reprogram(struct machine *m, unsigned int cpu)
{
	struct timer_heap *h = &m->pcpus[cpu].timers;

	arch_timer_program(m, cpu,
			   h->nr ? h->slots[0]->expires : HV_TIME_NEVER);
}

void timer_init(struct hv_timer *t, unsigned int cpu, hv_timer_fn fn,
		void *data)
{
	t->expires = HV_TIME_NEVER;
	t->seq = 0;
	t->heap_idx = -1;
	t->cpu = cpu;
	t->fn = fn;
	t->data = data;
}

int timer_set(struct machine *m, struct hv_timer *t, hv_time_t expires)
{
	struct timer_heap *h = &m->pcpus[t->cpu].timers;
	const struct hv_timer *old_head = h->nr ? h->slots[0] : NULL;

	if (timer_is_armed(t))
		heap_remove(h, t);
	if (h->nr == h->cap) {
		unsigned int cap = h->cap ? 2 * h->cap : 8;
		struct hv_timer **slots =
		    realloc(h->slots, cap * sizeof(*slots));

		if (!slots) {
			reprogram(m, t->cpu);
			return -ENOMEM;
		}
		h->slots = slots;
		h->cap = cap;
	}
	t->expires = expires;
	t->seq = h->next_seq++;
	heap_place(h, h->nr++, t);
	heap_sift_up(h, (unsigned int)t->heap_idx);
	/* Only touch the hardware when the earliest deadline changed. */
	if (h->slots[0] != old_head || h->slots[0] == t)
		reprogram(m, t->cpu);
	return 0;
}

void timer_stop(struct machine *m, struct hv_timer *t)
{
	struct timer_heap *h;
	bool was_head;

	if (!timer_is_armed(t))
		return;
	h = &m->pcpus[t->cpu].timers;
	was_head = h->slots[0] == t;
	heap_remove(h, t);
	if (was_head)
		reprogram(m, t->cpu);
}

void timer_heap_free(struct timer_heap *h)
{
	free(h->slots);
	h->slots = NULL;
	h->nr = h->cap = 0;
}

void hv_timer_interrupt(struct machine *m, unsigned int cpu)
{
	struct timer_heap *h = &m->pcpus[cpu].timers;
	hv_time_t now = arch_clock_now(m);

	while (h->nr && h->slots[0]->expires <= now) {
		struct hv_timer *t = h->slots[0];

		heap_remove(h, t);
		t->fn(m, t);
	}
	reprogram(m, cpu);
}
