/*
 * Per-pCPU software timers on one hardware timer per pCPU.
 *
 * Each pCPU's armed timers sit in a priority queue (<hv/prioq.h>) keyed by
 * (expires, seq); seq is taken when a timer is armed, so two timers with
 * the same expiry fire in the order they were armed on every run and
 * every port. The hardware timer always holds the head's expiry.
 */
#include <errno.h>

#include <hv/machine.h>
#include <hv/port.h>
#include <hv/timer.h>

static bool timer_before(const struct prioq_node *a, const struct prioq_node *b)
{
	const struct hv_timer *x = prioq_entry(a, struct hv_timer, node);
	const struct hv_timer *y = prioq_entry(b, struct hv_timer, node);

	return x->expires < y->expires ||
	       (x->expires == y->expires && x->seq < y->seq);
}

static struct hv_timer *heap_first(struct timer_heap *h)
{
	struct prioq_node *n = prioq_first(&h->q);

	return n ? prioq_entry(n, struct hv_timer, node) : NULL;
}

static void reprogram(struct machine *m, unsigned int cpu)
{
	struct hv_timer *first = heap_first(&m->pcpus[cpu].timers);

	arch_timer_program(m, cpu, first ? first->expires : HV_TIME_NEVER);
}

void timer_init(struct hv_timer *t, unsigned int cpu, hv_timer_fn fn,
		void *data)
{
	t->expires = HV_TIME_NEVER;
	t->seq = 0;
	prioq_node_init(&t->node);
	t->cpu = cpu;
	t->fn = fn;
	t->data = data;
}

void timer_heap_init(struct timer_heap *h)
{
	prioq_init(&h->q, timer_before);
	h->next_seq = 0;
}

static struct timer_heap *heap_of(struct machine *m, unsigned int cpu)
{
	return &m->pcpus[cpu].timers;
}

int timer_set(struct machine *m, struct hv_timer *t, hv_time_t expires)
{
	struct timer_heap *h = heap_of(m, t->cpu);
	const struct hv_timer *old_first = heap_first(h);

	prioq_remove(&h->q, &t->node);
	t->expires = expires;
	t->seq = h->next_seq++;
	if (prioq_insert(&h->q, &t->node)) {
		reprogram(m, t->cpu);
		return -ENOMEM;
	}
	/* Only touch the hardware when the earliest deadline changed. */
	if (heap_first(h) != old_first || heap_first(h) == t)
		reprogram(m, t->cpu);
	return 0;
}

void timer_stop(struct machine *m, struct hv_timer *t)
{
	struct timer_heap *h;
	bool was_first;

	if (!timer_is_armed(t))
		return;
	h = heap_of(m, t->cpu);
	was_first = heap_first(h) == t;
	prioq_remove(&h->q, &t->node);
	if (was_first)
		reprogram(m, t->cpu);
}

void timer_heap_free(struct timer_heap *h)
{
	prioq_fini(&h->q);
}

void hv_timer_interrupt(struct machine *m, unsigned int cpu)
{
	struct timer_heap *h = heap_of(m, cpu);
	hv_time_t now = arch_clock_now(m);
	struct hv_timer *t;

	while ((t = heap_first(h)) && t->expires <= now) {
		prioq_remove(&h->q, &t->node);
		t->fn(m, t);
	}
	reprogram(m, cpu);
}
