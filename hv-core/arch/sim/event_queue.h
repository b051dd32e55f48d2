/*
 * The discrete-event queue of the sim port.
 *
 * Events are intrusive (embedded in the object they belong to: a pCPU's
 * timer, a vCPU's guest step, a task's next release), so arming and
 * cancelling never allocate. The queue is a binary min-heap ordered by
 * (time, seq); seq is a counter taken when an event is armed, so events at
 * the same time fire in the order they were armed. That order depends only
 * on the scenario and the seed: runs are reproducible.
 */
#ifndef HV_SIM_EVENT_QUEUE_H
#define HV_SIM_EVENT_QUEUE_H

#include <hv/types.h>

struct sim_event {
	hv_time_t time;
	uint64_t seq;
	int heap_idx; /* -1 when not queued */
	uint16_t kind; /* what to do, see sim.c */
	uint32_t arg; /* kind-specific index */
};

/* A heap slot keeps a copy of its event's key, so sifting compares
 * neighbouring slots without touching the events themselves. */
struct event_slot {
	hv_time_t time;
	uint64_t seq;
	struct sim_event *ev;
};

struct event_queue {
	struct event_slot *heap;
	unsigned int nr, cap;
	uint64_t next_seq;
};

/* Returns 0 or -ENOMEM. @cap is a hint; the queue grows as needed. */
int event_queue_init(struct event_queue *q, unsigned int cap);
void event_queue_fini(struct event_queue *q);

static inline void sim_event_init(struct sim_event *e, uint16_t kind,
				  uint32_t arg)
{
	e->time = HV_TIME_NEVER;
	e->seq = 0;
	e->heap_idx = -1;
	e->kind = kind;
	e->arg = arg;
}

static inline bool sim_event_queued(const struct sim_event *e)
{
	return e->heap_idx >= 0;
}

/* (Re)arm @e at @time. Returns 0 or -ENOMEM. */
int event_queue_arm(struct event_queue *q, struct sim_event *e, hv_time_t time);

/* Remove @e if it is queued. */
void event_queue_cancel(struct event_queue *q, struct sim_event *e);

/* Remove and return the earliest event, or NULL when empty. */
struct sim_event *event_queue_pop(struct event_queue *q);

static inline hv_time_t event_queue_peek_time(const struct event_queue *q)
{
	return q->nr ? q->heap[0].time : HV_TIME_NEVER;
}

#endif /* HV_SIM_EVENT_QUEUE_H */
