/*
 * Per-pCPU software timers, multiplexed onto the port's one hardware timer
 * per pCPU (as Xen's common/timer.c does).
 *
 * Each pCPU keeps a priority queue of armed timers ordered by (expiry,
 * arming sequence); the port's timer is always programmed to the heap's
 * head. Callbacks run from hv_timer_interrupt() on the timer's pCPU.
 */
#ifndef HV_TIMER_H
#define HV_TIMER_H

#include <hv/prioq.h>
#include <hv/types.h>

struct machine;
struct hv_timer;

typedef void (*hv_timer_fn)(struct machine *m, struct hv_timer *t);

struct hv_timer {
	hv_time_t expires;
	uint64_t seq; /* tie-break: earlier armed fires first */
	struct prioq_node node; /* in its pCPU's heap while armed */
	unsigned int cpu;
	hv_timer_fn fn;
	void *data;
};

struct timer_heap {
	struct prioq q;
	uint64_t next_seq;
};

/* Prepare @t to run @fn on @cpu; it starts disarmed. */
void timer_init(struct hv_timer *t, unsigned int cpu, hv_timer_fn fn,
		void *data);

/*
 * Arm (or re-arm) @t to fire at absolute time @expires. Returns 0 or
 * -ENOMEM when the pCPU's heap could not grow (the timer stays disarmed).
 */
int timer_set(struct machine *m, struct hv_timer *t, hv_time_t expires);

/* Disarm @t; harmless when it is not armed. */
void timer_stop(struct machine *m, struct hv_timer *t);

static inline bool timer_is_armed(const struct hv_timer *t)
{
	return prioq_queued(&t->node);
}

/* An empty heap (machine_create() makes each pCPU's); never allocates. */
void timer_heap_init(struct timer_heap *h);

/* Release a pCPU heap's storage (machine teardown). */
void timer_heap_free(struct timer_heap *h);

/*
 * The port calls this when @cpu's hardware timer fires: runs every timer
 * due at or before now, in (expiry, seq) order, then reprograms the
 * hardware timer.
 */
void hv_timer_interrupt(struct machine *m, unsigned int cpu);

#endif /* HV_TIMER_H */
