/*
 * RTDS internals shared by rtds.c (the hooks) and rtds_queue.c (order,
 * heaps, budget accounting, tickling, replenishment). Only schedulers/
 * rtds*.c include this; tests use rtds.h. The design is in rtds.c.
 */
#ifndef HV_SCHED_RTDS_PRIVATE_H
#define HV_SCHED_RTDS_PRIVATE_H

#include <hv/prioq.h>
#include <hv/sched.h>
#include <hv/timer.h>
#include <hv/trace.h>

struct rtds_unit;

/* One node of a run heap; a unit has one per heap it can be queued in. */
struct rtds_qnode {
	struct prioq_node node;
	struct rtds_unit *unit;
	int cpu; /* whose pcpu runq; -1: the shared runq */
};

struct rtds_unit {
	struct vcpu *vcpu;
	hv_time_t period, budget; /* server parameters */
	bool extratime;

	hv_time_t cur_budget; /* left in this period (at this level) */
	hv_time_t cur_deadline; /* end of the current period */
	hv_time_t last_repl; /* when the budget was last refilled */
	hv_time_t last_start; /* last time it was charged while running */
	unsigned int level; /* priority_level: 0, or extratime rounds */

	bool awake; /* in replq: queued, running or depleted */
	bool depleted; /* no budget, no extratime: waits for replq */
	bool requeue; /* switched out while runnable: context_saved queues */

	struct cpumask aff; /* hard affinity within the pool */
	unsigned int nr_qn; /* 1 (shared) or |aff| (pinned) */
	struct rtds_qnode *qn;
	struct prioq_node repl;
	struct rtds_unit *batch_next; /* replenished in this timer run */
};

struct rtds_pcpu {
	struct prioq runq; /* units pinned to a strict subset holding this */
	unsigned int nr_pinned; /* for prioq_reserve */
};

struct rtds_private {
	struct prioq runq; /* units allowed on every pCPU of the pool */
	struct prioq replq;
	struct hv_timer repl_timer;
	struct cpumask tickled; /* tickled, not yet through do_schedule */
	unsigned int nr_units, nr_shared;
};

static inline struct rtds_private *rtds_priv(const struct scheduler *s)
{
	return s->sched_data;
}

static inline struct rtds_pcpu *rtds_pcpu(const struct scheduler *s,
					  unsigned int cpu)
{
	return s->m->pcpus[cpu].sched_priv;
}

static inline struct rtds_unit *rtds_unit(const struct vcpu *v)
{
	return v->sched_priv;
}

static inline uint32_t rtds_dv(const struct rtds_unit *u)
{
	return trace_dv(u->vcpu->domain->domid, u->vcpu->vcpu_id);
}

/* ---- rtds_queue.c; the caller holds the pool lock ---- */

/* "@a runs before @b": (priority_level, deadline, domid, vcpu_id). */
bool rtds_before(const struct rtds_unit *a, const struct rtds_unit *b);

/* prioq orders: run heaps by rtds_before, replq by deadline first. */
bool rtds_run_before(const struct prioq_node *a, const struct prioq_node *b);
bool rtds_repl_before(const struct prioq_node *a, const struct prioq_node *b);
struct rtds_unit *rtds_qnode_unit(const struct prioq_node *n);

/* In a run heap (waiting to run)? O(1). */
bool rtds_queued(const struct rtds_unit *u);

/* Into / out of every run heap @u belongs to: O(nr_qn * log n), never
 * allocates (room reserved by alloc_udata). */
void rtds_runq_insert(struct scheduler *s, struct rtds_unit *u);
void rtds_runq_remove(struct scheduler *s, struct rtds_unit *u);

/* The best waiting unit allowed on @cpu, or NULL: O(1). */
struct rtds_unit *rtds_runq_best(const struct scheduler *s, unsigned int cpu);

/* Full budget at level 0 from @now for the period ending cur_deadline. */
void rtds_refill(struct scheduler *s, struct rtds_unit *u, hv_time_t now);
void rtds_next_period(struct scheduler *s, struct rtds_unit *u, hv_time_t now);

/* Charge the running @u up to @now; on exhaustion refill it one level
 * down (extratime) or mark it depleted. O(1). */
void rtds_burn(struct scheduler *s, struct rtds_unit *u, hv_time_t now);

/* Find the waiting @u a pCPU (not @skip, -1 for none) and tickle it.
 * O(pCPUs in its affinity). */
void rtds_tickle(struct scheduler *s, const struct rtds_unit *u, int skip);

/* @u becomes awake: replq, a run heap unless depleted, tickle. */
void rtds_activate(struct scheduler *s, struct rtds_unit *u);

/* @u leaves every heap; deactivate also re-arms the timer, unlink does
 * not (machine teardown). O(nr_qn * log n). */
void rtds_unlink(struct scheduler *s, struct rtds_unit *u);
void rtds_deactivate(struct scheduler *s, struct rtds_unit *u);

/* The replenishment timer's handler (t->data is the scheduler). */
void rtds_repl_timer_fn(struct machine *m, struct hv_timer *t);

#endif /* HV_SCHED_RTDS_PRIVATE_H */
