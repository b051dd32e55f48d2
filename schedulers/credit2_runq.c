/*
 * credit2: the per-runqueue heaps, credit accounting (burn and reset),
 * tickling, and the choice of the next unit with its slice.
 *
 * Where Xen walks one sorted list per runqueue, a unit waiting here sits
 * in the runqueue's "all" heap and, depending on its hard affinity, in
 * the "shared" heap (allowed on every pCPU of the runqueue) or in the
 * "pinned" heap of each pCPU it may use. The candidate for pCPU c is the
 * better of the heads of "shared" and c's "pinned": the same unit Xen's
 * walk would reach first after skipping the units not allowed on c.
 */
#include <limits.h>

#include "credit2_private.h"

/* ---- heaps ---- */

/* Deterministic ties: lower domid, then lower vCPU id, first. */
static bool c2_key_before(const struct c2_unit *a, const struct c2_unit *b)
{
	if (a->v->domain->domid != b->v->domain->domid)
		return a->v->domain->domid < b->v->domain->domid;
	return a->v->vcpu_id < b->v->vcpu_id;
}

/* Highest credit first. Both units are in the same runqueue, so their
 * stored credits share one offset and compare directly. */
static bool c2_before_credit(const struct prioq_node *a,
			     const struct prioq_node *b)
{
	const struct c2_unit *ua = c2_node_unit(a), *ub = c2_node_unit(b);

	if (ua->credit != ub->credit)
		return ua->credit > ub->credit;
	return c2_key_before(ua, ub);
}

static bool c2_before_weight(const struct prioq_node *a,
			     const struct prioq_node *b)
{
	const struct c2_unit *ua = c2_node_unit(a), *ub = c2_node_unit(b);

	if (ua->weight != ub->weight)
		return ua->weight > ub->weight;
	return c2_key_before(ua, ub);
}

void c2_runq_heaps_init(struct c2_runq *rq)
{
	prioq_init(&rq->all, c2_before_credit);
	prioq_init(&rq->shared, c2_before_credit);
	prioq_init(&rq->weights, c2_before_weight);
}

void c2_pinned_heap_init(struct c2_pcpu *pc)
{
	prioq_init(&pc->pinned, c2_before_credit);
}

/* Room for every unit that may land in @q was reserved in alloc_udata,
 * so this never allocates on the scheduling path. */
static void c2_heap_insert(struct prioq *q, struct prioq_node *n)
{
	int rc = prioq_insert(q, n);

	assert(rc == 0);
	(void)rc;
}

/* Xen's runq_insert; O(k log n) for a unit allowed on k pCPUs of a
 * strict subset of the runqueue, O(log n) otherwise. */
void c2_runq_insert(struct scheduler *s, struct c2_unit *u)
{
	struct c2_runq *rq = u->rq;
	struct cpumask allowed;
	unsigned int cpu;

	assert(!u->queued && !u->parked && !u->v->is_running);
	c2_heap_insert(&rq->all, &u->all_node.pq);
	if (u->in_shared) {
		c2_heap_insert(&rq->shared, &u->shared_node.pq);
	} else {
		cpumask_and(&allowed, &u->v->hard_affinity, &rq->active);
		for_each_cpu (cpu, &allowed) {
			struct c2_pcpu *pc = c2_pcpu(s, cpu);

			c2_heap_insert(&pc->pinned, &u->cpu_nodes[pc->idx].pq);
		}
	}
	u->queued = true;
}

/* Also right after runq_candidate popped one of the unit's nodes:
 * prioq_remove ignores a node that is not queued. */
void c2_runq_remove(struct scheduler *s, struct c2_unit *u)
{
	struct c2_runq *rq = u->rq;
	struct cpumask allowed;
	unsigned int cpu;

	assert(u->queued);
	prioq_remove(&rq->all, &u->all_node.pq);
	if (u->in_shared) {
		prioq_remove(&rq->shared, &u->shared_node.pq);
	} else {
		cpumask_and(&allowed, &u->v->hard_affinity, &rq->active);
		for_each_cpu (cpu, &allowed) {
			struct c2_pcpu *pc = c2_pcpu(s, cpu);

			prioq_remove(&pc->pinned, &u->cpu_nodes[pc->idx].pq);
		}
	}
	u->queued = false;
}

/* ---- credit ---- */

static uint32_t c2_i32(int64_t v)
{
	if (v > INT32_MAX)
		v = INT32_MAX;
	else if (v < INT32_MIN)
		v = INT32_MIN;
	return (uint32_t)(int32_t)v;
}

/*
 * Charge @u, running, for the time since start_time: credit falls by
 * delta * max_weight / weight (the heaviest unit of the runqueue burns
 * one credit per ns), keeping the division's remainder for next time, and
 * never below CREDIT_MIN; a capped unit also spends budget. An overrun
 * (run past the grabbed budget, which our slices never ask for) becomes
 * domain debt instead of a negative budget.
 */
void c2_burn_credits(struct scheduler *s, struct c2_unit *u, hv_time_t now)
{
	struct c2_runq *rq = u->rq;
	hv_time_t delta = now - u->start_time;

	if (delta > 0) {
		uint64_t val = (uint64_t)delta * rq->max_weight + u->residual;
		int64_t credit;

		u->residual = val % u->weight;
		val /= u->weight;
		if (val > (uint64_t)(C2_CREDIT_MAX - C2_CREDIT_MIN))
			credit = C2_CREDIT_MIN;
		else
			credit = c2_credit(u) - (int64_t)val;
		c2_credit_set(u,
			      credit < C2_CREDIT_MIN ? C2_CREDIT_MIN : credit);
		if (u->capped) {
			if (delta > u->budget) {
				u->sdom->debt += delta - u->budget;
				u->budget = 0;
			} else {
				u->budget -= delta;
			}
		}
		u->start_time = now;
	}
	assert(c2_credit(u) >= C2_CREDIT_MIN && u->budget >= 0);
	HV_TRACE(s->m, CREDIT2_CREDIT_BURN, c2_dv(u), c2_i32(c2_credit(u)),
		 u->capped ? c2_i32(u->budget) : (uint32_t)INT32_MIN,
		 c2_i32(delta));
}

/*
 * End of an epoch (Xen's reset_credit): every unit of the runqueue gets
 * CREDIT_INIT more (twice that if @snext sat at the floor), clipped to
 * CREDIT_INIT + CARRYOVER_MAX.
 *
 * Xen walks every unit of the runqueue: O(n). We charge the units
 * running on the runqueue's pCPUs first, as Xen does, then add to the
 * runqueue's credit offset: O(pCPUs in the runqueue), whatever the number
 * of vCPUs. The clip happens when a credit is read (c2_credit()).
 * CREDIT_RESET records go out for the units we charged and for @snext
 * only; queued and blocked units get theirs silently (one record each
 * would bring the O(n) walk back).
 */
void c2_reset_credit(struct scheduler *s, struct c2_runq *rq,
		     struct c2_unit *snext, hv_time_t now)
{
	int64_t add = C2_CREDIT_INIT;
	unsigned int cpu;

	assert(c2_credit(snext) >= C2_CREDIT_MIN);
	if (c2_credit(snext) == C2_CREDIT_MIN)
		add += C2_CREDIT_INIT;
	for_each_cpu (cpu, &rq->active) {
		struct c2_unit *cu = c2_curr(s, cpu);
		int64_t before;

		if (!cu || cu->rq != rq)
			continue;
		c2_burn_credits(s, cu, now);
		/* Out of budget: its pCPU must park it and pick another. */
		if (cu->capped && cu->budget <= 0)
			c2_tickle_cpu(s, rq, cpu);
		before = c2_credit(cu);
		HV_TRACE(s->m, CREDIT2_CREDIT_RESET, c2_dv(cu), c2_i32(before),
			 c2_i32(before + add > C2_CREDIT_MAX ? C2_CREDIT_MAX
							     : before + add));
	}
	if (!snext->v->is_running) {
		int64_t before = c2_credit(snext);

		HV_TRACE(s->m, CREDIT2_CREDIT_RESET, c2_dv(snext),
			 c2_i32(before),
			 c2_i32(before + add > C2_CREDIT_MAX ? C2_CREDIT_MAX
							     : before + add));
	}
	rq->credit_offset += add;
	assert(c2_credit(snext) > 0);
}

/* ---- tickling ---- */

/* Set @cpu's core in smt_idle if all its siblings are idle and
 * untickled. */
void c2_smt_idle_mask_set(struct scheduler *s, struct c2_runq *rq,
			  unsigned int cpu)
{
	const struct cpumask *sib = &c2_pcpu(s, cpu)->sibling_mask;
	struct cpumask idlers;

	c2_mask_andnot(&idlers, &rq->idle, &rq->tickled);
	if (cpumask_subset(sib, &idlers))
		c2_mask_or(&rq->smt_idle, &rq->smt_idle, sib);
}

void c2_smt_idle_mask_clear(struct scheduler *s, struct c2_runq *rq,
			    unsigned int cpu)
{
	const struct cpumask *sib = &c2_pcpu(s, cpu)->sibling_mask;

	if (cpumask_subset(sib, &rq->smt_idle))
		c2_mask_andnot(&rq->smt_idle, &rq->smt_idle, sib);
}

void c2_tickle_cpu(struct scheduler *s, struct c2_runq *rq, unsigned int cpu)
{
	cpumask_set(&rq->tickled, cpu);
	c2_smt_idle_mask_clear(s, rq, cpu);
	sched_tickle(s->m, cpu);
}

/* Has @u, running, used up the ratelimit (with Xen's 50 us slack)? */
static bool c2_is_preemptable(const struct c2_unit *u, hv_time_t now,
			      hv_time_t ratelimit)
{
	if (ratelimit <= C2_RATELIMIT_TICKLE_TOLERANCE)
		return true;
	return now - u->v->state_entry_time >
	       ratelimit - C2_RATELIMIT_TICKLE_TOLERANCE;
}

/* How much @new deserves busy @cpu; <= 0: not at all (tickle_score). */
static int64_t c2_tickle_score(struct scheduler *s, hv_time_t now,
			       struct c2_unit *new, unsigned int cpu)
{
	struct c2_unit *cur = c2_curr(s, cpu);
	int64_t score;

	if (!cur || cur->rq != new->rq ||
	    !c2_is_preemptable(cur, now, c2_priv(s)->ratelimit))
		return -1;
	c2_burn_credits(s, cur, now);
	score = c2_credit(new) - c2_credit(cur);
	if (new->v->processor != cpu)
		score -= C2_MIGRATE_RESIST;
	/*
	 * There is no soft affinity here, so every pCPU is in both units'
	 * (Xen's default, all pCPUs): one CREDIT_INIT bonus, as Xen gives.
	 */
	if (score > 0)
		score += C2_CREDIT_INIT;
	HV_TRACE(s->m, CREDIT2_TICKLE_CHECK, c2_dv(cur), c2_i32(c2_credit(cur)),
		 c2_i32(score));
	return score;
}

/*
 * @new was just queued: find the pCPU that should pick it up (Xen's
 * runq_tickle). In order: its own pCPU if it is pinned there and idle; a
 * fully idle core; any idle, untickled pCPU (its own first); else the
 * busy pCPU with the best positive tickle_score, its own pCPU winning
 * outright. O(pCPUs in the runqueue).
 */
void c2_runq_tickle(struct scheduler *s, struct c2_unit *new, hv_time_t now)
{
	struct c2_runq *rq = new->rq;
	unsigned int cpu = new->v->processor, i, ipid = HV_MAX_PCPUS;
	struct cpumask hard, mask;
	int64_t max = 0, score;

	HV_TRACE(s->m, CREDIT2_TICKLE_NEW, c2_dv(new), cpu,
		 c2_i32(c2_credit(new)));
	cpumask_and(&hard, &new->v->hard_affinity, &rq->active);
	if (new->pinned && cpumask_test(&rq->idle, cpu) &&
	    !cpumask_test(&rq->tickled, cpu)) {
		ipid = cpu;
		goto tickle;
	}
	cpumask_and(&mask, &rq->smt_idle, &hard);
	i = c2_test_or_cycle(cpu, &mask);
	if (i < HV_MAX_PCPUS) {
		ipid = i;
		goto tickle;
	}
	c2_mask_andnot(&mask, &rq->idle, &rq->tickled);
	cpumask_and(&mask, &mask, &hard);
	i = c2_test_or_cycle(cpu, &mask);
	if (i < HV_MAX_PCPUS) {
		ipid = i;
		goto tickle;
	}

	c2_mask_andnot(&mask, &rq->active, &rq->idle);
	c2_mask_andnot(&mask, &mask, &rq->tickled);
	cpumask_and(&mask, &mask, &hard);
	if (cpumask_test(&mask, cpu)) {
		cpumask_unset(&mask, cpu);
		score = c2_tickle_score(s, now, new, cpu);
		if (score > max) {
			ipid = cpu; /* in new's soft affinity: take it */
			goto tickle;
		}
	}
	for_each_cpu (i, &mask) {
		score = c2_tickle_score(s, now, new, i);
		if (score > max) {
			max = score;
			ipid = i;
		}
	}
	if (ipid == HV_MAX_PCPUS)
		return;
tickle:
	HV_TRACE(s->m, CREDIT2_TICKLE, ipid);
	c2_tickle_cpu(s, rq, ipid);
	new->tickled_cpu = (int)ipid;
}

/* ---- the choice ---- */

struct c2_set_aside {
	struct prioq *q;
	struct prioq_node *n;
};

#define C2_SET_ASIDE_MAX (HV_MAX_PCPUS + C2_SCAN_RESIST_MAX + 2)

/* The better head of @a and @b, and the heap it is in; NULL if both are
 * empty. */
static struct prioq_node *c2_best_head(struct prioq *a, struct prioq *b,
				       struct prioq **from)
{
	struct prioq_node *na = prioq_first(a), *nb = prioq_first(b);

	if (!nb || (na && a->before(na, nb))) {
		*from = a;
		return na;
	}
	*from = b;
	return nb;
}

/*
 * What @cpu runs next (Xen's runq_candidate); NULL means idle. The chosen
 * unit leaves the heaps.
 *
 * Keep @scurr if it ran less than the ratelimit and did not yield. Else
 * look at the waiting units allowed on @cpu from the highest credit down,
 * skipping those reserved for another tickled pCPU that has not scheduled
 * yet, and those last run elsewhere that do not beat the current choice
 * by migrate_resist; the first one left wins if it has more credit than
 * @scurr (or @scurr yielded) and, when capped, can grab budget.
 *
 * Skipped heads are popped and put back: O((r + k) log n) for r reserved
 * units and k resisted ones. Xen walks on without limit; we stop after
 * as many reserved units as the runqueue has pCPUs, or after
 * C2_SCAN_RESIST_MAX resisted ones, as if the queue ended there.
 */
struct c2_unit *c2_runq_candidate(struct scheduler *s, struct c2_runq *rq,
				  struct c2_unit *scurr, unsigned int cpu,
				  hv_time_t now)
{
	struct c2_private *prv = c2_priv(s);
	struct c2_pcpu *pc = c2_pcpu(s, cpu);
	struct c2_set_aside aside[C2_SET_ASIDE_MAX];
	unsigned int nr_aside = 0, reserved = 0, resisted = 0;
	struct c2_unit *snext = NULL;
	bool yield = false;

	if (scurr) {
		yield = scurr->yield;
		scurr->yield = false;
		if (!yield && prv->ratelimit && c2_unit_runnable(scurr) &&
		    now - scurr->v->state_entry_time < prv->ratelimit) {
			HV_TRACE(s->m, CREDIT2_RATELIMIT, c2_dv(scurr),
				 (uint32_t)(now - scurr->v->state_entry_time));
			return scurr;
		}
		if (c2_unit_runnable(scurr))
			snext = scurr;
	}

	while (reserved <= rq->nr_cpus && resisted <= C2_SCAN_RESIST_MAX &&
	       nr_aside < C2_SET_ASIDE_MAX) {
		int64_t best = snext ? c2_credit(snext) : C2_IDLE_CREDIT;
		struct prioq *q;
		struct prioq_node *n =
		    c2_best_head(&rq->shared, &pc->pinned, &q);
		struct c2_unit *u;

		if (!n)
			break;
		u = c2_node_unit(n);
		prioq_remove(q, n);
		aside[nr_aside++] = (struct c2_set_aside){q, n};
		HV_TRACE(s->m, CREDIT2_RUNQ_CAND_CHECK, c2_dv(u));
		if (!c2_unit_runnable(u)) { /* cannot happen: not queued */
			resisted++;
			continue;
		}
		if (u->tickled_cpu >= 0 && u->tickled_cpu != (int)cpu &&
		    cpumask_test(&rq->tickled, (unsigned int)u->tickled_cpu)) {
			reserved++;
			continue;
		}
		if (u->v->processor != cpu &&
		    best + C2_MIGRATE_RESIST > c2_credit(u)) {
			resisted++;
			continue;
		}
		if ((yield || c2_credit(u) > best) &&
		    (!u->capped || c2_grab_budget(s, u)))
			snext = u;
		break;
	}

	if (snext && snext != scurr)
		c2_runq_remove(s, snext);
	/* Put back what was set aside, unless it left the queue (chosen,
	 * or parked by c2_grab_budget). */
	while (nr_aside--)
		if (c2_node_unit(aside[nr_aside].n)->queued)
			c2_heap_insert(aside[nr_aside].q, aside[nr_aside].n);

	HV_TRACE(s->m, CREDIT2_RUNQ_CANDIDATE,
		 snext ? c2_dv(snext) : trace_dv(HV_DOMID_IDLE, cpu),
		 snext ? (uint32_t)snext->tickled_cpu : UINT32_MAX,
		 c2_i32(snext ? c2_credit(snext) : C2_IDLE_CREDIT));
	assert(!snext || (!snext->parked && snext->budget >= 0));
	assert(!snext || !snext->capped || snext->budget > 0);
	return snext;
}

/*
 * How long @snext may run (Xen's csched2_runtime): until its credit falls
 * to the best waiter's (the queue head, or @scurr when it is being
 * preempted: Xen 4.21, ae648e9f80) or to 0 when nobody with positive
 * credit waits, converted to time at its burn rate; clamped to
 * [max(MIN_TIMER, what is left of the ratelimit), MAX_TIMER]. -1: idle.
 *
 * Differs from Xen: a capped unit's slice never exceeds the budget it
 * grabbed, even below MIN_TIMER or the ratelimit (Xen clamps after
 * applying the budget, so a unit may overrun its cap by up to 1 ms).
 */
hv_time_t c2_runtime(struct scheduler *s, struct c2_runq *rq,
		     const struct c2_unit *snext, const struct c2_unit *scurr,
		     hv_time_t now)
{
	hv_time_t ratelimit = c2_priv(s)->ratelimit;
	hv_time_t min_time = C2_MIN_TIMER, time;
	const struct prioq_node *head = prioq_first(&rq->all);
	int64_t rt_credit, waiter = INT64_MIN;

	if (!snext)
		return -1;
	if (ratelimit) {
		hv_time_t rl = ratelimit;

		if (snext->v->is_running)
			rl = snext->v->state_entry_time + ratelimit - now;
		if (rl > min_time)
			min_time = rl;
	}
	rt_credit = c2_credit(snext);
	if (head)
		waiter = c2_credit(c2_node_unit(head));
	if (scurr && scurr != snext && scurr->delayed_runq_add &&
	    c2_credit(scurr) > waiter)
		waiter = c2_credit(scurr);
	if (waiter > 0)
		rt_credit -= waiter;
	time = rt_credit > 0
		   ? rt_credit * (int64_t)snext->weight / rq->max_weight
		   : 0;
	if (time < min_time)
		time = min_time;
	else if (time > C2_MAX_TIMER)
		time = C2_MAX_TIMER;
	if (snext->capped && time > snext->budget)
		time = snext->budget;
	return time;
}
