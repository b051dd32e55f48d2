/*
 * credit2 internals shared by schedulers/credit2*.c. Nothing outside the
 * credit2 files includes this; tests use the read-only helpers of
 * "credit2.h".
 *
 *   c2_private ── rqs[] ── c2_runq ─┬─ all      every queued unit
 *                                   ├─ shared   queued units allowed on
 *                                   │           every pCPU of the runqueue
 *                                   └─ weights  every assigned unit
 *   pCPU ── c2_pcpu ── pinned        queued units allowed on a strict
 *                                   subset of the runqueue, this pCPU in it
 *   domain ── c2_dom                weight, cap budget, parked units
 *   vCPU ── c2_unit                 credit, load, budget, heap nodes
 *
 * Credit bookkeeping: a unit's credit is stored relative to its
 * runqueue's credit_offset, and read through c2_credit() as
 * min(CREDIT_INIT + CARRYOVER_MAX, stored + offset). A reset adds
 * CREDIT_INIT to the offset instead of to every unit (see
 * c2_reset_credit()).
 */
#ifndef HV_SCHED_CREDIT2_PRIVATE_H
#define HV_SCHED_CREDIT2_PRIVATE_H

#include <assert.h>

#include <hv/machine.h>
#include <hv/prioq.h>
#include <hv/sched.h>
#include <hv/timer.h>
#include <hv/trace.h>

/* ---- Xen's constants (xen/common/sched/credit2.c) ---- */

#define C2_DEFAULT_WEIGHT 256
#define C2_MAX_WEIGHT 65535
#define C2_MIN_TIMER HV_US(500)
#define C2_CREDIT_INIT HV_MS(10)
#define C2_CREDIT_MIN (-C2_CREDIT_INIT)
#define C2_IDLE_CREDIT (C2_CREDIT_MIN - 1)
#define C2_CARRYOVER_MAX C2_MIN_TIMER
#define C2_CREDIT_MAX (C2_CREDIT_INIT + C2_CARRYOVER_MAX)
#define C2_MIGRATE_RESIST HV_US(500) /* sched_credit2_migrate_resist */
#define C2_MIGRATE_COMPENSATION HV_US(50)
#define C2_RATELIMIT_TICKLE_TOLERANCE HV_US(50)
#define C2_CREDIT_RESET 0
#define C2_MAX_TIMER C2_CREDIT_INIT
#define C2_CAP_PERIOD HV_MS(10) /* credit2_cap_period_ms */
#define C2_DEFAULT_RATELIMIT HV_US(1000) /* sched_ratelimit_us */
#define C2_DEFAULT_MAX_CPUS_RUNQ 16

/* Load tracking: 2^30 ns window sampled at 2^10 ns, 18 fraction bits. */
#define C2_LOADAVG_GRANULARITY_SHIFT 10
#define C2_LOAD_WINDOW_SHIFT 30
#define C2_LOAD_PRECISION_SHIFT 18
#define C2_BALANCE_UNDER 0 /* credit2_balance_under */
#define C2_BALANCE_OVER (-3) /* credit2_balance_over */

/* ---- our bounds (see the Design: comment in credit2.c) ---- */

/* Queue heads runq_candidate may set aside for migration resistance. */
#define C2_SCAN_RESIST_MAX 4
/* Units per runqueue balance_load considers (Xen: all of them). */
#define C2_BALANCE_CANDIDATES 8

struct c2_unit;

/* A heap node that knows its unit (units sit in several heaps). */
struct c2_node {
	struct prioq_node pq;
	struct c2_unit *u;
};

struct c2_runq {
	int id;
	unsigned int nr_cpus; /* pCPUs in active */
	unsigned int refcnt; /* pCPUs that reference it */
	struct cpumask active; /* its pCPUs */
	struct cpumask idle; /* running their idle vCPU */
	struct cpumask tickled; /* asked to schedule, not done yet */
	struct cpumask smt_idle; /* whole cores idle and untickled */
	unsigned int pick_bias; /* last pCPU picked: cycle from it */

	int64_t credit_offset; /* see c2_credit() */
	struct prioq all; /* queued units, highest credit first */
	struct prioq shared; /* queued, allowed on every pCPU here */
	struct prioq weights; /* assigned units, heaviest first */
	unsigned int max_weight;
	unsigned int nr_possible; /* units that may be assigned: reserve */

	int load; /* runnable units (queued or running) */
	hv_time_t load_last_update; /* >> C2_LOADAVG_GRANULARITY_SHIFT */
	hv_time_t avgload, b_avgload; /* fixed point, load_precision_shift */
};

struct c2_pcpu {
	struct c2_runq *rq;
	unsigned int idx; /* rank among the pool's pCPUs: cpu_nodes[idx] */
	struct cpumask sibling_mask; /* SMT siblings in the same runqueue */
	struct prioq pinned; /* queued units pinned to a strict subset */
	unsigned int nr_possible;
};

struct c2_dom {
	struct scheduler *s;
	unsigned int weight, cap;
	hv_time_t tot_budget; /* cap% of C2_CAP_PERIOD */
	hv_time_t budget; /* left in this period, never negative */
	hv_time_t debt; /* overrun not yet paid from a refill */
	hv_time_t next_repl;
	struct hv_timer repl_timer;
	struct c2_unit *parked; /* doubly linked through parked_next/prev */
};

struct c2_unit {
	struct vcpu *v;
	struct c2_dom *sdom;
	struct c2_runq *rq; /* NULL while not assigned */
	int64_t credit; /* rq-relative when assigned, absolute otherwise */
	unsigned int weight;
	uint64_t residual; /* remainder of the last burn's division */
	hv_time_t start_time; /* credit charged up to here */

	bool capped;
	hv_time_t budget; /* grabbed from the domain, never negative */
	hv_time_t budget_quota;

	hv_time_t avgload, load_last_update;
	int tickled_cpu; /* the pCPU tickled for it, -1 none */
	struct c2_runq *migrate_rq; /* target of a migrate request */

	bool queued; /* in the heaps */
	bool in_shared; /* its affinity covers the whole runqueue */
	bool scheduled; /* chosen by do_schedule, not yet saved */
	bool delayed_runq_add; /* re-queue in context_saved */
	bool migrate_request; /* move to migrate_rq in context_saved */
	bool yield;
	bool parked; /* out of budget: not runnable for us */
	bool pinned; /* hard affinity is exactly one pCPU */
	bool reserved; /* counted in the heaps' reservations */

	struct c2_unit *parked_next, *parked_prev;
	struct c2_node all_node, shared_node, weight_node;
	struct c2_node *cpu_nodes; /* [pool pCPUs], for pinned subsets */
};

struct c2_private {
	hv_time_t ratelimit; /* ns; 0 = off */
	enum credit2_runqueue arrangement;
	unsigned int max_cpus_runq; /* sched_credit2_max_cpus_runqueue */
	unsigned int load_precision_shift;
	unsigned int load_window_shift; /* after granularity */
	unsigned int nr_pool_cpus;
	unsigned int nr_rqs;
	struct c2_runq *rqs[HV_MAX_PCPUS];
};

/* ---- accessors ---- */

static inline struct c2_private *c2_priv(const struct scheduler *s)
{
	return s->sched_data;
}

static inline struct c2_pcpu *c2_pcpu(const struct scheduler *s,
				      unsigned int cpu)
{
	return s->m->pcpus[cpu].sched_priv;
}

static inline struct c2_unit *c2_unit(const struct vcpu *v)
{
	return v->sched_priv;
}

/* The credit2 unit running on @cpu, or NULL (idle, or not ours). */
static inline struct c2_unit *c2_curr(const struct scheduler *s,
				      unsigned int cpu)
{
	struct vcpu *v = s->m->pcpus[cpu].curr;

	return v->is_idle ? NULL : c2_unit(v);
}

static inline struct c2_unit *c2_node_unit(const struct prioq_node *n)
{
	return ((const struct c2_node *)((const char *)n -
					 offsetof(struct c2_node, pq)))
	    ->u;
}

static inline uint32_t c2_dv(const struct c2_unit *u)
{
	return trace_dv(u->v->domain->domid, u->v->vcpu_id);
}

/*
 * The unit's credit. Resets only ever add to the offset, so clipping at
 * read time gives what clipping at every reset would have (the minimum of
 * CREDIT_MAX and a sum of non-negative additions commutes with them), and
 * the heaps, ordered by the stored value, keep Xen's order: a reset does
 * not re-sort.
 */
static inline int64_t c2_credit(const struct c2_unit *u)
{
	int64_t c = u->credit + u->rq->credit_offset;

	return c > C2_CREDIT_MAX ? C2_CREDIT_MAX : c;
}

static inline void c2_credit_set(struct c2_unit *u, int64_t credit)
{
	assert(credit >= C2_CREDIT_MIN && credit <= C2_CREDIT_MAX);
	u->credit = credit - u->rq->credit_offset;
}

/* Runnable as far as credit2 is concerned (Xen: unit_runnable_state). */
static inline bool c2_unit_runnable(const struct c2_unit *u)
{
	return vcpu_runnable(u->v) && !u->parked && !u->migrate_request;
}

/* ---- cpumask helpers the core does not offer ---- */

static inline void c2_mask_andnot(struct cpumask *dst, const struct cpumask *a,
				  const struct cpumask *b)
{
	for (unsigned int i = 0; i < HV_MAX_PCPUS / 64; i++)
		dst->bits[i] = a->bits[i] & ~b->bits[i];
}

static inline void c2_mask_or(struct cpumask *dst, const struct cpumask *a,
			      const struct cpumask *b)
{
	for (unsigned int i = 0; i < HV_MAX_PCPUS / 64; i++)
		dst->bits[i] = a->bits[i] | b->bits[i];
}

static inline bool c2_mask_intersects(const struct cpumask *a,
				      const struct cpumask *b)
{
	struct cpumask t;

	return cpumask_and(&t, a, b);
}

/* @cpu if it is in @m, else the next one after it, wrapping; or
 * HV_MAX_PCPUS if @m is empty (Xen's cpumask_test_or_cycle). */
static inline unsigned int c2_test_or_cycle(unsigned int cpu,
					    const struct cpumask *m)
{
	unsigned int n;

	if (cpumask_test(m, cpu))
		return cpu;
	n = cpumask_next(m, cpu + 1);
	return n < HV_MAX_PCPUS ? n : cpumask_first(m);
}

/* The next CPU of @m after @cpu, wrapping (Xen's cpumask_cycle). */
static inline unsigned int c2_cycle(unsigned int cpu, const struct cpumask *m)
{
	unsigned int n = cpumask_next(m, cpu + 1);

	return n < HV_MAX_PCPUS ? n : cpumask_first(m);
}

/* ---- credit2_runq.c: queues, credit, tickling, the choice ---- */

void c2_runq_heaps_init(struct c2_runq *rq);
void c2_pinned_heap_init(struct c2_pcpu *pc);
void c2_runq_insert(struct scheduler *s, struct c2_unit *u);
void c2_runq_remove(struct scheduler *s, struct c2_unit *u);
void c2_burn_credits(struct scheduler *s, struct c2_unit *u, hv_time_t now);
void c2_reset_credit(struct scheduler *s, struct c2_runq *rq,
		     struct c2_unit *snext, hv_time_t now);
void c2_tickle_cpu(struct scheduler *s, struct c2_runq *rq, unsigned int cpu);
void c2_runq_tickle(struct scheduler *s, struct c2_unit *u, hv_time_t now);
void c2_smt_idle_mask_set(struct scheduler *s, struct c2_runq *rq,
			  unsigned int cpu);
void c2_smt_idle_mask_clear(struct scheduler *s, struct c2_runq *rq,
			    unsigned int cpu);
struct c2_unit *c2_runq_candidate(struct scheduler *s, struct c2_runq *rq,
				  struct c2_unit *scurr, unsigned int cpu,
				  hv_time_t now);
hv_time_t c2_runtime(struct scheduler *s, struct c2_runq *rq,
		     const struct c2_unit *snext, const struct c2_unit *scurr,
		     hv_time_t now);

/* ---- credit2_balance.c: runqueues, load, placement, balancing ---- */

struct c2_runq *c2_cpu_add_to_runqueue(struct scheduler *s, unsigned int cpu);
void c2_init_cpu_runqueue(struct scheduler *s, unsigned int cpu);
void c2_runq_assign(struct scheduler *s, struct c2_unit *u, struct c2_runq *rq);
void c2_runq_deassign(struct scheduler *s, struct c2_unit *u);
void c2_update_load(struct scheduler *s, struct c2_runq *rq, struct c2_unit *u,
		    int change, hv_time_t now);
unsigned int c2_pick_resource(struct scheduler *s, struct c2_unit *u);
void c2_migrate(struct scheduler *s, struct c2_unit *u, struct c2_runq *trq,
		hv_time_t now);
void c2_finish_migrate_request(struct scheduler *s, struct c2_unit *u,
			       hv_time_t now);
void c2_balance_load(struct scheduler *s, unsigned int cpu, hv_time_t now);

/* ---- credit2_cap.c: per-domain budget ---- */

int c2_dom_create(struct scheduler *s, struct domain *d);
int c2_dom_start(struct scheduler *s, struct c2_dom *sdom, hv_time_t now);
void c2_dom_destroy(struct scheduler *s, struct domain *d);
bool c2_grab_budget(struct scheduler *s, struct c2_unit *u);
bool c2_return_budget(struct scheduler *s, struct c2_unit *u);
void c2_unpark_units(struct scheduler *s, struct c2_dom *sdom);
void c2_parked_unlink(struct c2_unit *u);

#endif /* HV_SCHED_CREDIT2_PRIVATE_H */
