/*
 * credit2: Xen's default scheduler (xen/common/sched/credit2.c), with
 * logarithmic queues.
 *
 * Design: each unit (vCPU) has a credit in ns. Running burns it at
 * delta * max_weight / weight, so the heaviest unit of a runqueue burns
 * one credit per ns and lighter ones faster, down to CREDIT_MIN (-10 ms).
 * The unit with the most credit runs; when the best candidate and the
 * head of the runqueue are both at or below 0 an epoch ends: everyone in
 * the runqueue gets +CREDIT_INIT (10 ms), clipped to CREDIT_INIT +
 * CARRYOVER_MAX, and load is balanced between runqueues. pCPUs are
 * grouped into runqueues per cpu, core, socket, node (= socket) or all
 * (default socket, at most max_cpus_runqueue each, SMT siblings never
 * split). A waking unit tickles an idle pCPU of its runqueue, else the
 * busy one it beats by the most credit. Ratelimit (default 1 ms) keeps a
 * unit on its pCPU that long unless it blocks or yields. Caps give a
 * domain cap% of one pCPU per 10 ms (credit2_cap.c).
 *
 * Files: credit2.c (hooks, do_schedule), credit2_runq.c (heaps, credit,
 * tickling, the choice, the slice), credit2_balance.c (runqueue
 * arrangement, load, placement, balancing), credit2_cap.c (budget).
 *
 * Data structures and cost, n = units in a runqueue, c = its pCPUs:
 *   - per runqueue, three intrusive heaps (<hv/prioq.h>): "all" (queued
 *     units by credit, highest first, ties by domid then vCPU id),
 *     "shared" (queued units allowed on every pCPU of the runqueue) and
 *     "weights" (assigned units, heaviest first: max_weight in O(1));
 *     per pCPU a "pinned" heap for queued units allowed on a strict
 *     subset of the runqueue, one node per allowed pCPU. Xen keeps one
 *     sorted list: O(n) insertion and candidate walk.
 *   - credit is stored relative to a per-runqueue offset; a reset adds to
 *     the offset and clipping happens on read, so a reset is O(c) (the
 *     running units are charged first, as in Xen) instead of O(n).
 *   - heap storage is reserved in alloc_udata: nothing allocates on the
 *     scheduling path.
 *   do_schedule O((c + 4) log n) worst case, O(log n) usually; wake,
 *   context_saved O(log n + c) (tickling looks at the runqueue's pCPUs);
 *   reset O(c); balance_load O(runqueues + 8 * 8) plus O(log n + c) per
 *   unit moved; pick_resource O(runqueues); cap refill O(parked * log n).
 *
 * Where we differ from Xen, and why (details at each place):
 *   - candidate scan bounded: at most c reserved and 4 resisted heads are
 *     set aside before giving up (credit2_runq.c);
 *   - CREDIT_RESET records only for the units charged at the reset and
 *     for the chosen one (one per unit would make the reset O(n));
 *   - MIGRATE_COMPENSATION never lifts a credit above CREDIT_INIT +
 *     CARRYOVER_MAX, so the offset's read-time clip stays exact;
 *   - balance_load weighs at most 8 units per runqueue instead of every
 *     pair (O(n^2) in Xen), and measures its thresholds against the
 *     runqueue it chose (credit2_balance.c);
 *   - runqueue sizes are computed from the pool's pCPUs, not the host's;
 *   - a capped unit's slice never exceeds its grabbed budget, not even
 *     to honour MIN_TIMER or the ratelimit; overruns are domain debt
 *     rather than negative budgets (credit2_cap.c);
 *   - no soft affinity and no tasklets (the core has neither); no
 *     sched_smt_power_savings (always spread over idle cores first);
 *   - wake is called by our core even for a parked unit; it stays parked.
 *     Xen's core does not call wake for it (the unit is paused). Like
 *     Xen, a waking unit stays in its runqueue: only pick_resource
 *     (placement by the core) and balance_load move units across.
 *   - Xen's RUNQ_POS is not emitted: a heap has no position to report.
 *
 * Locking: the core holds the pool lock around every hook, so the
 * runqueues, heaps and budgets need no locks of their own (Xen has one
 * lock per runqueue plus a budget lock per domain). The cap refill runs
 * from a timer on the pool's first pCPU, outside any hook: a port with
 * real parallelism must take the pool lock around c2_replenish.
 */
#include <errno.h>
#include <stdlib.h>

#include "credit2.h"
#include "credit2_private.h"
#include "registry.h"

/* ---- instance and pCPUs ---- */

static int credit2_init(struct scheduler *s)
{
	const struct sched_pool_params *p = &s->params;
	struct c2_private *prv;

	if (p->ratelimit > HV_MS(500) ||
	    (p->ratelimit > 0 && p->ratelimit < HV_US(100)) ||
	    (p->runqueue_set &&
	     (p->runqueue < CREDIT2_RQ_CPU || p->runqueue > CREDIT2_RQ_ALL)))
		return -EINVAL;
	prv = calloc(1, sizeof(*prv));
	if (!prv)
		return -ENOMEM;
	/* s->params: 0 = default, < 0 = off (Xen's sched_ratelimit_us=0). */
	prv->ratelimit = p->ratelimit == 0  ? C2_DEFAULT_RATELIMIT
			 : p->ratelimit < 0 ? 0
					    : p->ratelimit;
	prv->arrangement = p->runqueue_set ? p->runqueue : CREDIT2_RQ_SOCKET;
	prv->max_cpus_runq = p->max_cpus_runqueue ? p->max_cpus_runqueue
						  : C2_DEFAULT_MAX_CPUS_RUNQ;
	prv->load_precision_shift = C2_LOAD_PRECISION_SHIFT;
	prv->load_window_shift =
	    C2_LOAD_WINDOW_SHIFT - C2_LOADAVG_GRANULARITY_SHIFT;
	prv->nr_pool_cpus = cpumask_weight(&s->pool->cpus);
	s->sched_data = prv;
	return 0;
}

static void c2_runq_free(struct c2_runq *rq)
{
	prioq_fini(&rq->all);
	prioq_fini(&rq->shared);
	prioq_fini(&rq->weights);
	free(rq);
}

static void credit2_deinit(struct scheduler *s)
{
	struct c2_private *prv = c2_priv(s);

	for (unsigned int i = 0; prv && i < prv->nr_rqs; i++)
		if (prv->rqs[i])
			c2_runq_free(prv->rqs[i]);
	free(prv);
	s->sched_data = NULL;
}

static int credit2_switch_sched(struct scheduler *s, unsigned int cpu)
{
	struct c2_pcpu *pc = calloc(1, sizeof(*pc));
	unsigned int other;

	if (!pc)
		return -ENOMEM;
	for_each_cpu (other, &s->pool->cpus)
		if (other < cpu)
			pc->idx++;
	c2_pinned_heap_init(pc);
	pc->rq = c2_cpu_add_to_runqueue(s, cpu);
	if (!pc->rq) {
		free(pc);
		return -ENOMEM;
	}
	s->m->pcpus[cpu].sched_priv = pc;
	c2_init_cpu_runqueue(s, cpu);
	return 0;
}

static void credit2_free_pdata(struct scheduler *s, unsigned int cpu)
{
	struct c2_private *prv = c2_priv(s);
	struct c2_pcpu *pc = s->m->pcpus[cpu].sched_priv;

	if (!pc)
		return;
	prioq_fini(&pc->pinned);
	if (--pc->rq->refcnt == 0) {
		prv->rqs[pc->rq->id] = NULL;
		c2_runq_free(pc->rq);
	}
	free(pc);
	s->m->pcpus[cpu].sched_priv = NULL;
}

/* ---- domains and units ---- */

static int credit2_alloc_domdata(struct scheduler *s, struct domain *d)
{
	return c2_dom_create(s, d);
}

static void credit2_free_domdata(struct scheduler *s, struct domain *d)
{
	c2_dom_destroy(s, d);
}

/*
 * Count @u in every heap it may ever sit in (@dir = +1) or stop counting
 * it (-1), and grow the heaps to their counts: the runqueue heaps of
 * every runqueue its affinity reaches, the pinned heap of every pCPU
 * where its affinity covers only part of the runqueue.
 */
static int c2_reserve(struct scheduler *s, struct c2_unit *u, int dir)
{
	struct c2_private *prv = c2_priv(s);
	struct cpumask hard;
	unsigned int cpu, n;

	cpumask_and(&hard, &u->v->hard_affinity, &s->pool->cpus);
	for (unsigned int i = 0; i < prv->nr_rqs; i++) {
		struct c2_runq *rq = prv->rqs[i];

		if (!c2_mask_intersects(&hard, &rq->active))
			continue;
		n = rq->nr_possible + (unsigned int)dir;
		if (dir > 0 && (prioq_reserve(&rq->all, n) ||
				prioq_reserve(&rq->shared, n) ||
				prioq_reserve(&rq->weights, n)))
			return -ENOMEM;
		rq->nr_possible = n;
	}
	for_each_cpu (cpu, &hard) {
		struct c2_pcpu *pc = c2_pcpu(s, cpu);

		if (cpumask_subset(&pc->rq->active, &hard))
			continue;
		n = pc->nr_possible + (unsigned int)dir;
		if (dir > 0 && prioq_reserve(&pc->pinned, n))
			return -ENOMEM;
		pc->nr_possible = n;
	}
	return 0;
}

static void c2_node_init(struct c2_node *n, struct c2_unit *u)
{
	prioq_node_init(&n->pq);
	n->u = u;
}

static void credit2_free_udata(struct scheduler *s, struct vcpu *v)
{
	struct c2_unit *u = v->sched_priv;

	if (!u)
		return;
	if (u->reserved)
		c2_reserve(s, u, -1);
	free(u->cpu_nodes);
	free(u);
	v->sched_priv = NULL;
}

static int credit2_alloc_udata(struct scheduler *s, struct vcpu *v)
{
	struct c2_private *prv = c2_priv(s);
	struct c2_dom *sdom = v->domain->sched_priv;
	struct c2_unit *u = calloc(1, sizeof(*u));

	if (!u)
		return -ENOMEM;
	v->sched_priv = u;
	u->v = v;
	u->sdom = sdom;
	u->credit = C2_CREDIT_INIT;
	u->weight = sdom->weight;
	u->tickled_cpu = -1;
	u->pinned = cpumask_weight(&v->hard_affinity) == 1;
	/* Xen: a new unit starts at 50% load. */
	u->avgload = (hv_time_t)1 << (prv->load_precision_shift - 1);
	/* The core set state_entry_time to the start time: no clock needed
	 * while the machine is being built. */
	u->load_last_update =
	    v->state_entry_time >> C2_LOADAVG_GRANULARITY_SHIFT;
	u->capped = sdom->cap != 0;
	if (u->capped) {
		u->budget_quota = sdom->tot_budget / v->domain->nr_vcpus;
		if (u->budget_quota < C2_MIN_TIMER)
			u->budget_quota = C2_MIN_TIMER;
	}
	c2_node_init(&u->all_node, u);
	c2_node_init(&u->shared_node, u);
	c2_node_init(&u->weight_node, u);
	if (!cpumask_subset(&s->pool->cpus, &v->hard_affinity)) {
		u->cpu_nodes = calloc(prv->nr_pool_cpus, sizeof(*u->cpu_nodes));
		if (!u->cpu_nodes) {
			credit2_free_udata(s, v);
			return -ENOMEM;
		}
		for (unsigned int i = 0; i < prv->nr_pool_cpus; i++)
			c2_node_init(&u->cpu_nodes[i], u);
	}
	if (c2_reserve(s, u, 1)) {
		credit2_free_udata(s, v);
		return -ENOMEM;
	}
	u->reserved = true;
	return 0;
}

/* v->processor was set by pick_resource; join that pCPU's runqueue. */
static int credit2_insert_unit(struct scheduler *s, struct vcpu *v)
{
	struct c2_unit *u = c2_unit(v);
	int rc = c2_dom_start(s, u->sdom, v->state_entry_time);

	if (rc)
		return rc;
	c2_runq_assign(s, u, c2_pcpu(s, v->processor)->rq);
	return 0;
}

static void credit2_remove_unit(struct scheduler *s, struct vcpu *v)
{
	struct c2_unit *u = c2_unit(v);
	hv_time_t now = sched_now(s->m);

	if (!u->rq)
		return;
	if (u->queued) {
		c2_runq_remove(s, u);
		c2_update_load(s, u->rq, u, -1, now);
	} else if (v->is_running || u->scheduled) {
		c2_update_load(s, u->rq, u, -1, now);
		c2_tickle_cpu(s, u->rq, v->processor);
	}
	if (u->parked)
		c2_parked_unlink(u);
	if (u->capped && c2_return_budget(s, u))
		c2_unpark_units(s, u->sdom);
	u->delayed_runq_add = false;
	u->migrate_request = false;
	c2_runq_deassign(s, u);
}

static unsigned int credit2_pick_resource(struct scheduler *s, struct vcpu *v)
{
	return c2_pick_resource(s, c2_unit(v));
}

static void credit2_wake(struct scheduler *s, struct vcpu *v)
{
	struct c2_unit *u = c2_unit(v);
	hv_time_t now;

	if (!u->rq || v->is_running || u->queued || u->parked)
		return;
	if (u->scheduled) {
		u->delayed_runq_add = true;
		return;
	}
	now = sched_now(s->m);
	c2_update_load(s, u->rq, u, 1, now);
	c2_runq_insert(s, u);
	c2_runq_tickle(s, u, now);
}

static void credit2_sleep(struct scheduler *s, struct vcpu *v)
{
	struct c2_unit *u = c2_unit(v);

	if (!u->rq)
		return;
	if (v->is_running) {
		c2_tickle_cpu(s, u->rq, v->processor);
	} else if (u->queued) {
		c2_update_load(s, u->rq, u, -1, sched_now(s->m));
		c2_runq_remove(s, u);
	} else {
		u->delayed_runq_add = false;
	}
}

static void credit2_yield(struct scheduler *s, struct vcpu *v)
{
	(void)s;
	c2_unit(v)->yield = true;
}

static void credit2_migrate(struct scheduler *s, struct vcpu *v,
			    unsigned int new_cpu)
{
	struct c2_unit *u = c2_unit(v);
	struct c2_runq *trq = c2_pcpu(s, new_cpu)->rq;

	if (u->rq && trq != u->rq)
		c2_migrate(s, u, trq, sched_now(s->m));
	else
		v->processor = new_cpu;
}

/* ---- the scheduling path ---- */

/*
 * Xen's csched2_schedule: charge @prev, choose (c2_runq_candidate), end
 * the epoch if the best credit left is <= 0, and size the slice.
 */
static struct sched_decision credit2_do_schedule(struct scheduler *s,
						 unsigned int cpu,
						 hv_time_t now,
						 struct vcpu *prev)
{
	struct c2_runq *rq = c2_pcpu(s, cpu)->rq;
	struct c2_unit *scurr = prev->is_idle ? NULL : c2_unit(prev);
	bool tickled = cpumask_test(&rq->tickled, cpu);
	struct sched_decision d;
	struct c2_unit *snext;

	if (scurr && scurr->rq != rq) /* removed by remove_unit */
		scurr = NULL;
	if (tickled) {
		cpumask_unset(&rq->tickled, cpu);
		c2_smt_idle_mask_set(s, rq, cpu);
	}
	/* Xen's payload: u16 cpu, u16 rq; u8 tasklet, idle, smt_idle,
	 * tickled. */
	HV_TRACE(s->m, CREDIT2_SCHEDULE, cpu | (uint32_t)rq->id << 16,
		 (uint32_t)prev->is_idle << 8 |
		     (uint32_t)cpumask_test(&rq->smt_idle, cpu) << 16 |
		     (uint32_t)tickled << 24);

	if (scurr) {
		c2_burn_credits(s, scurr, now);
		/* Out of budget: get more or be parked. */
		if (scurr->capped && scurr->budget <= 0)
			c2_grab_budget(s, scurr);
	}
	snext = c2_runq_candidate(s, rq, scurr, cpu, now);
	if (scurr && snext != scurr && c2_unit_runnable(scurr))
		scurr->delayed_runq_add = true;

	if (snext) {
		const struct prioq_node *head = prioq_first(&rq->all);
		int64_t top = c2_credit(snext);

		snext->scheduled = true;
		if (cpumask_test(&rq->idle, cpu)) {
			cpumask_unset(&rq->idle, cpu);
			c2_smt_idle_mask_clear(s, rq, cpu);
		}
		if (head && c2_credit(c2_node_unit(head)) > top)
			top = c2_credit(c2_node_unit(head));
		if (top <= C2_CREDIT_RESET) {
			c2_reset_credit(s, rq, snext, now);
			c2_balance_load(s, cpu, now);
		}
		snext->start_time = now;
		snext->tickled_cpu = -1;
		if (snext->v->processor != cpu) {
			int64_t c = c2_credit(snext) + C2_MIGRATE_COMPENSATION;

			c2_credit_set(snext,
				      c > C2_CREDIT_MAX ? C2_CREDIT_MAX : c);
			snext->v->processor = cpu;
		}
	} else {
		if (!cpumask_test(&rq->idle, cpu)) {
			cpumask_set(&rq->idle, cpu);
			c2_smt_idle_mask_set(s, rq, cpu);
		}
		/* Keep the average moving even when nothing happens. */
		c2_update_load(s, rq, NULL, 0, now);
	}
	d.next = snext ? snext->v : NULL;
	d.slice = c2_runtime(s, rq, snext, scurr, now);
	return d;
}

static void credit2_context_saved(struct scheduler *s, struct vcpu *v)
{
	struct c2_unit *u = c2_unit(v);
	hv_time_t now = sched_now(s->m);
	bool unpark = false;

	u->scheduled = false;
	if (!u->rq) {
		u->delayed_runq_add = false;
		return;
	}
	if (u->capped && u->budget > 0)
		unpark = c2_return_budget(s, u);
	if (u->migrate_request) {
		c2_finish_migrate_request(s, u, now);
	} else if (u->delayed_runq_add && c2_unit_runnable(u)) {
		u->delayed_runq_add = false;
		c2_runq_insert(s, u);
		c2_runq_tickle(s, u, now);
	} else {
		u->delayed_runq_add = false;
		c2_update_load(s, u->rq, u, -1, now);
	}
	if (unpark)
		c2_unpark_units(s, u->sdom);
}

const struct sched_ops sched_credit2_ops = {
    .name = "SMP Credit Scheduler rev2",
    .opt_name = "credit2",
    .sched_id = XEN_SCHEDULER_CREDIT2,
    .init = credit2_init,
    .deinit = credit2_deinit,
    .switch_sched = credit2_switch_sched,
    .free_pdata = credit2_free_pdata,
    .alloc_domdata = credit2_alloc_domdata,
    .free_domdata = credit2_free_domdata,
    .alloc_udata = credit2_alloc_udata,
    .free_udata = credit2_free_udata,
    .insert_unit = credit2_insert_unit,
    .remove_unit = credit2_remove_unit,
    .pick_resource = credit2_pick_resource,
    .wake = credit2_wake,
    .sleep = credit2_sleep,
    .yield = credit2_yield,
    .do_schedule = credit2_do_schedule,
    .context_saved = credit2_context_saved,
    .migrate = credit2_migrate,
};

/* ---- read-only views (credit2.h) ---- */

static bool c2_is_instance(const struct scheduler *s)
{
	return s && s->ops == &sched_credit2_ops && s->sched_data;
}

int credit2_nr_runqueues(const struct scheduler *s)
{
	return c2_is_instance(s) ? (int)c2_priv(s)->nr_rqs : -EINVAL;
}

int credit2_cpu_runqueue(const struct scheduler *s, unsigned int cpu)
{
	if (!c2_is_instance(s) || cpu >= s->m->nr_pcpus ||
	    !cpumask_test(&s->pool->cpus, cpu) || !c2_pcpu(s, cpu))
		return -EINVAL;
	return c2_pcpu(s, cpu)->rq->id;
}

int credit2_unit_info(const struct scheduler *s, const struct vcpu *v,
		      struct credit2_unit_info *out)
{
	const struct c2_unit *u;

	if (!c2_is_instance(s) || v->is_idle || v->domain->pool != s->pool ||
	    !v->sched_priv)
		return -EINVAL;
	u = v->sched_priv;
	out->runqueue = u->rq ? u->rq->id : -1;
	out->credit = u->rq ? c2_credit(u) : u->credit;
	out->budget = u->budget;
	out->capped = u->capped;
	out->parked = u->parked;
	out->queued = u->queued;
	return 0;
}
