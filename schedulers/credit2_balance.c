/*
 * credit2: runqueue arrangement, load tracking, placement and load
 * balancing between runqueues (Xen's cpu_add_to_runqueue,
 * update_runq_load, csched2_res_pick, migrate and balance_load).
 */
#include <stdlib.h>

#include "credit2_private.h"

/* ---- runqueue arrangement ---- */

static bool c2_same_socket(const struct machine *m, unsigned int a,
			   unsigned int b)
{
	return m->pcpus[a].socket == m->pcpus[b].socket;
}

static bool c2_same_core(const struct machine *m, unsigned int a,
			 unsigned int b)
{
	return c2_same_socket(m, a, b) && m->pcpus[a].core == m->pcpus[b].core;
}

/* @cpu's SMT siblings on the whole machine, itself included. */
static void c2_siblings(const struct machine *m, unsigned int cpu,
			struct cpumask *out)
{
	cpumask_clear(out);
	for (unsigned int i = 0; i < m->nr_pcpus; i++)
		if (c2_same_core(m, i, cpu))
			cpumask_set(out, i);
}

/* Does @cpu belong in @rq by topology? (NODE: no NUMA model, a node is
 * a socket.) */
static bool c2_runqueue_match(const struct scheduler *s,
			      const struct c2_runq *rq, unsigned int cpu)
{
	unsigned int peer = cpumask_first(&rq->active);

	switch (c2_priv(s)->arrangement) {
	case CREDIT2_RQ_CPU: return false;
	case CREDIT2_RQ_CORE: return c2_same_core(s->m, peer, cpu);
	case CREDIT2_RQ_SOCKET:
	case CREDIT2_RQ_NODE: return c2_same_socket(s->m, peer, cpu);
	case CREDIT2_RQ_ALL: return true;
	}
	return false;
}

/* Would @cpu and all its siblings fit in @rq next to the cores already
 * there (counted whole)? Xen's cpu_runqueue_siblings_match. */
static bool c2_siblings_fit(const struct scheduler *s, const struct c2_runq *rq,
			    unsigned int cpu, unsigned int max)
{
	struct cpumask seen, sib;
	unsigned int rcpu, total = 0;

	cpumask_clear(&seen);
	for_each_cpu (rcpu, &rq->active) {
		c2_siblings(s->m, rcpu, &sib);
		if (c2_mask_intersects(&sib, &seen))
			continue;
		c2_mask_or(&seen, &seen, &sib);
		total += cpumask_weight(&sib);
	}
	c2_siblings(s->m, cpu, &sib);
	return total + cpumask_weight(&sib) <= max;
}

/*
 * The runqueue @cpu joins (Xen's cpu_add_to_runqueue): one matching the
 * arrangement that already holds a sibling of @cpu; else the emptiest
 * matching one with room; else a new one. CPUs are spread evenly: with n
 * pCPUs, min_rqs = ceil(n / max_cpus_runqueue) and each runqueue takes at
 * most n / min_rqs. Xen counts the host's online CPUs; we count the
 * pool's, which is what this instance schedules. NULL: out of memory.
 */
struct c2_runq *c2_cpu_add_to_runqueue(struct scheduler *s, unsigned int cpu)
{
	struct c2_private *prv = c2_priv(s);
	unsigned int n = prv->nr_pool_cpus;
	unsigned int min_rqs = (n - 1) / prv->max_cpus_runq + 1;
	unsigned int max = n / min_rqs;
	struct c2_runq *valid = NULL;
	struct cpumask sib;

	c2_siblings(s->m, cpu, &sib);
	for (unsigned int i = 0; i < prv->nr_rqs; i++) {
		struct c2_runq *rq = prv->rqs[i];

		if (!c2_runqueue_match(s, rq, cpu))
			continue;
		/* Siblings stay together, even beyond the limit. */
		if (c2_mask_intersects(&rq->active, &sib)) {
			valid = rq;
			break;
		}
		if (rq->refcnt < max && c2_siblings_fit(s, rq, cpu, max) &&
		    (!valid || rq->refcnt < valid->refcnt))
			valid = rq;
	}
	if (!valid) {
		valid = calloc(1, sizeof(*valid));
		if (!valid)
			return NULL;
		valid->id = (int)prv->nr_rqs;
		valid->pick_bias = cpu;
		valid->max_weight = 1;
		c2_runq_heaps_init(valid);
		prv->rqs[prv->nr_rqs++] = valid;
	}
	valid->refcnt++;
	return valid;
}

/* Make @cpu an active, idle member of its runqueue (init_cpu_runqueue). */
void c2_init_cpu_runqueue(struct scheduler *s, unsigned int cpu)
{
	struct c2_pcpu *pc = c2_pcpu(s, cpu);
	struct c2_runq *rq = pc->rq;
	struct cpumask sib;
	unsigned int rcpu;

	cpumask_set(&pc->sibling_mask, cpu);
	c2_siblings(s->m, cpu, &sib);
	for_each_cpu (rcpu, &sib) {
		if (!cpumask_test(&rq->active, rcpu))
			continue;
		cpumask_set(&c2_pcpu(s, rcpu)->sibling_mask, cpu);
		cpumask_set(&pc->sibling_mask, rcpu);
	}
	cpumask_set(&rq->idle, cpu);
	cpumask_set(&rq->active, cpu);
	cpumask_set(&rq->smt_idle, cpu);
	if (++rq->nr_cpus == 1)
		rq->pick_bias = cpu;
}

/* ---- assignment of units to runqueues ---- */

/* max_weight from the weights heap: O(1) (Xen rescans the runqueue when
 * the heaviest unit leaves). */
static void c2_update_max_weight(struct scheduler *s, struct c2_runq *rq)
{
	const struct prioq_node *head = prioq_first(&rq->weights);

	rq->max_weight = head ? c2_node_unit(head)->weight : 1;
	HV_TRACE(s->m, CREDIT2_RUNQ_MAX_WEIGHT,
		 (uint32_t)rq->id | (uint32_t)rq->max_weight << 16);
}

void c2_runq_assign(struct scheduler *s, struct c2_unit *u, struct c2_runq *rq)
{
	int64_t credit = u->credit; /* absolute while unassigned */
	int rc;

	u->rq = rq;
	c2_credit_set(u, credit);
	u->in_shared = cpumask_subset(&rq->active, &u->v->hard_affinity);
	rc = prioq_insert(&rq->weights, &u->weight_node.pq);
	assert(rc == 0); /* reserved in alloc_udata */
	(void)rc;
	c2_update_max_weight(s, rq);
	rq->b_avgload += u->avgload;
	HV_TRACE(s->m, CREDIT2_RUNQ_ASSIGN, c2_dv(u), (uint32_t)rq->id);
}

void c2_runq_deassign(struct scheduler *s, struct c2_unit *u)
{
	struct c2_runq *rq = u->rq;
	int64_t credit = c2_credit(u);

	assert(!u->queued);
	prioq_remove(&rq->weights, &u->weight_node.pq);
	c2_update_max_weight(s, rq);
	rq->b_avgload =
	    rq->b_avgload > u->avgload ? rq->b_avgload - u->avgload : 0;
	u->rq = NULL;
	u->credit = credit;
}

/* ---- load tracking ---- */

/*
 * Xen's EWMA over a window W = 2^load_window_shift time samples (ns >>
 * 10): avg += delta * load / W - delta * avg / W for delta <= W, else the
 * instantaneous load; in fixed point with load_precision_shift fraction
 * bits. b_avgload follows the same law but also moves when units are
 * assigned or removed, so balancing sees its own decisions at once.
 */
static void c2_update_runq_load(struct scheduler *s, struct c2_runq *rq,
				int change, hv_time_t now)
{
	const struct c2_private *prv = c2_priv(s);
	unsigned int w = prv->load_window_shift, p = prv->load_precision_shift;
	hv_time_t load = rq->load;

	now >>= C2_LOADAVG_GRANULARITY_SHIFT;
	if (rq->load_last_update + ((hv_time_t)1 << w) < now) {
		rq->avgload = load << p;
		rq->b_avgload = load << p;
	} else {
		hv_time_t delta = now - rq->load_last_update;

		if (delta < 0)
			delta = 0;
		rq->avgload +=
		    ((delta * (load << p)) >> w) - ((delta * rq->avgload) >> w);
		rq->b_avgload += ((delta * (load << p)) >> w) -
				 ((delta * rq->b_avgload) >> w);
	}
	rq->load += change;
	rq->load_last_update = now;
	assert(rq->avgload >= 0 && rq->b_avgload >= 0 && rq->load >= 0);
	HV_TRACE(s->m, CREDIT2_UPDATE_RUNQ_LOAD, (uint32_t)rq->avgload,
		 (uint32_t)((uint64_t)rq->avgload >> 32),
		 (uint32_t)rq->b_avgload,
		 (uint32_t)((uint64_t)rq->b_avgload >> 32),
		 ((uint32_t)rq->load & 0xffff) |
		     ((uint32_t)rq->id & 0xff) << 16 | p << 24,
		 0);
}

/* The same average for one unit: 1 while runnable, 0 otherwise. @change
 * says what is about to happen (+1 wakes, -1 stops). */
static void c2_update_svc_load(struct scheduler *s, struct c2_unit *u,
			       int change, hv_time_t now)
{
	const struct c2_private *prv = c2_priv(s);
	unsigned int w = prv->load_window_shift, p = prv->load_precision_shift;
	hv_time_t unit_load;

	if (change == -1)
		unit_load = 1;
	else if (change == 1)
		unit_load = 0;
	else
		unit_load = vcpu_runnable(u->v) && !u->parked;
	now >>= C2_LOADAVG_GRANULARITY_SHIFT;
	if (u->load_last_update + ((hv_time_t)1 << w) < now) {
		u->avgload = unit_load << p;
	} else {
		hv_time_t delta = now - u->load_last_update;

		if (delta < 0)
			delta = 0;
		u->avgload += ((delta * (unit_load << p)) >> w) -
			      ((delta * u->avgload) >> w);
	}
	u->load_last_update = now;
	assert(u->avgload >= 0);
	HV_TRACE(s->m, CREDIT2_UPDATE_UNIT_LOAD, (uint32_t)u->avgload,
		 (uint32_t)((uint64_t)u->avgload >> 32), c2_dv(u), p);
}

void c2_update_load(struct scheduler *s, struct c2_runq *rq, struct c2_unit *u,
		    int change, hv_time_t now)
{
	c2_update_runq_load(s, rq, change, now);
	if (u)
		c2_update_svc_load(s, u, change, now);
}

/* ---- placement ---- */

/*
 * The pCPU @u should live on (Xen's csched2_res_pick without soft
 * affinity): the runqueue with the lowest b_avgload among those its hard
 * affinity reaches, discounting its own load from its current one, then
 * the next allowed pCPU there after the runqueue's pick_bias.
 * O(runqueues).
 */
unsigned int c2_pick_resource(struct scheduler *s, struct c2_unit *u)
{
	struct c2_private *prv = c2_priv(s);
	struct c2_runq *min_rq = NULL;
	hv_time_t min_load = INT64_MAX;
	struct cpumask hard, mask;
	unsigned int cpu;

	cpumask_and(&hard, &u->v->hard_affinity, &s->pool->cpus);
	for (unsigned int i = 0; i < prv->nr_rqs; i++) {
		struct c2_runq *rq = prv->rqs[i];
		hv_time_t load = rq->b_avgload;

		if (!c2_mask_intersects(&hard, &rq->active))
			continue;
		if (rq == u->rq)
			load = load > u->avgload ? load - u->avgload : 0;
		if (load < min_load) {
			min_load = load;
			min_rq = rq;
		}
	}
	assert(min_rq); /* the affinity meets the pool: some runqueue */
	cpumask_and(&mask, &hard, &min_rq->active);
	cpu = c2_cycle(min_rq->pick_bias, &mask);
	min_rq->pick_bias = cpu;
	HV_TRACE(s->m, CREDIT2_PICKED_CPU, (uint32_t)min_load,
		 (uint32_t)((uint64_t)min_load >> 32), c2_dv(u),
		 (uint32_t)min_rq->id | cpu << 16);
	return cpu;
}

/* Re-home @u, neither queued nor running, in @trq. */
static void c2_move(struct scheduler *s, struct c2_unit *u, struct c2_runq *trq)
{
	struct cpumask mask;
	unsigned int cpu;

	c2_runq_deassign(s, u);
	cpumask_and(&mask, &u->v->hard_affinity, &trq->active);
	cpu = c2_cycle(trq->pick_bias, &mask);
	u->v->processor = cpu;
	trq->pick_bias = cpu;
	c2_runq_assign(s, u, trq);
}

/*
 * Move @u to @trq (Xen's migrate). A queued unit moves now and is tickled
 * there; a running one is asked to leave: its pCPU reschedules, does not
 * keep it, and context_saved finishes the move.
 */
void c2_migrate(struct scheduler *s, struct c2_unit *u, struct c2_runq *trq,
		hv_time_t now)
{
	bool on_runq = u->queued;

	HV_TRACE(s->m, CREDIT2_MIGRATE, c2_dv(u),
		 (uint32_t)u->rq->id | (uint32_t)trq->id << 16);
	if (u->scheduled || u->v->is_running) {
		u->migrate_rq = trq;
		u->migrate_request = true;
		c2_tickle_cpu(s, u->rq, u->v->processor);
		return;
	}
	if (on_runq) {
		c2_runq_remove(s, u);
		c2_update_load(s, u->rq, NULL, -1, now);
	}
	c2_move(s, u, trq);
	if (on_runq) {
		c2_update_load(s, trq, NULL, 1, now);
		c2_runq_insert(s, u);
		c2_runq_tickle(s, u, now);
	}
}

/* @u has been switched out with a migrate request pending: what Xen's
 * core does through pick_resource, migrate and wake. */
void c2_finish_migrate_request(struct scheduler *s, struct c2_unit *u,
			       hv_time_t now)
{
	struct c2_runq *trq = u->migrate_rq;

	u->migrate_request = false;
	u->migrate_rq = NULL;
	u->delayed_runq_add = false;
	c2_update_load(s, u->rq, u, -1, now);
	c2_move(s, u, trq);
	if (c2_unit_runnable(u)) {
		c2_update_load(s, u->rq, u, 1, now);
		c2_runq_insert(s, u);
		c2_runq_tickle(s, u, now);
	}
}

/* ---- balancing ---- */

struct c2_balance {
	hv_time_t load_delta; /* best difference found so far */
	struct c2_unit *push, *pull;
	struct c2_runq *lrq, *orq;
};

static bool c2_migrateable(const struct scheduler *s, const struct c2_unit *u,
			   const struct c2_runq *rq)
{
	struct cpumask hard;

	cpumask_and(&hard, &u->v->hard_affinity, &s->pool->cpus);
	return !u->migrate_request && c2_mask_intersects(&hard, &rq->active);
}

/* Would pushing @push and/or pulling @pull shrink the difference? */
static void c2_consider(struct c2_balance *st, struct c2_unit *push,
			struct c2_unit *pull)
{
	hv_time_t l = st->lrq->b_avgload, o = st->orq->b_avgload, delta;

	if (push) {
		l -= push->avgload;
		o += push->avgload;
	}
	if (pull) {
		l += pull->avgload;
		o -= pull->avgload;
	}
	delta = l > o ? l - o : o - l;
	if (delta < st->load_delta) {
		st->load_delta = delta;
		st->push = push;
		st->pull = pull;
	}
}

/*
 * The units of @rq balance_load looks at: the waiting ones at the top of
 * its heap (the first slots in heap order, i.e. high credit), then those
 * running on its pCPUs, at most C2_BALANCE_CANDIDATES in all, their load
 * brought up to date.
 */
static unsigned int c2_balance_candidates(struct scheduler *s,
					  struct c2_runq *rq, hv_time_t now,
					  struct c2_unit **out)
{
	unsigned int n = 0, cpu;

	for (unsigned int i = 0; i < rq->all.nr && n < C2_BALANCE_CANDIDATES;
	     i++)
		out[n++] = c2_node_unit(prioq_at(&rq->all, i));
	for_each_cpu (cpu, &rq->active) {
		struct c2_unit *cu = c2_curr(s, cpu);

		if (n == C2_BALANCE_CANDIDATES)
			break;
		if (cu && cu->rq == rq && !cu->migrate_request)
			out[n++] = cu;
	}
	for (unsigned int i = 0; i < n; i++)
		c2_update_svc_load(s, out[i], 0, now);
	return n;
}

/*
 * Called at each credit reset on @cpu (Xen's balance_load): find the
 * runqueue whose b_avgload differs most from ours; if the difference is
 * worth it (1.0 when both are below 100% of their pCPUs, 12.5% when
 * overloaded), apply the push, pull or swap that leaves the smallest
 * difference.
 *
 * Differs from Xen, which tries every pair of units of the two
 * runqueues (O(n^2), a FIXME there): we try pairs among at most
 * C2_BALANCE_CANDIDATES units per side (see c2_balance_candidates), so
 * the cost is O(runqueues) plus a constant. Blocked units are never
 * moved; they would only move their past load. Xen also compares the
 * thresholds against the last runqueue its loop looked at rather than
 * the one chosen; we use the chosen one.
 */
void c2_balance_load(struct scheduler *s, unsigned int cpu, hv_time_t now)
{
	struct c2_private *prv = c2_priv(s);
	unsigned int p = prv->load_precision_shift;
	struct c2_balance st = {.lrq = c2_pcpu(s, cpu)->rq};
	struct c2_unit *lc[C2_BALANCE_CANDIDATES], *oc[C2_BALANCE_CANDIDATES];
	unsigned int nl, no, cpus_max;
	hv_time_t load_max, delta;

	c2_update_runq_load(s, st.lrq, 0, now);
	for (unsigned int i = 0; i < prv->nr_rqs; i++) {
		struct c2_runq *rq = prv->rqs[i];

		if (rq == st.lrq)
			continue;
		c2_update_runq_load(s, rq, 0, now);
		delta = st.lrq->b_avgload - rq->b_avgload;
		if (delta < 0)
			delta = -delta;
		if (delta > st.load_delta) {
			st.load_delta = delta;
			st.orq = rq;
		}
	}
	if (!st.orq)
		return;

	load_max = st.lrq->b_avgload > st.orq->b_avgload ? st.lrq->b_avgload
							 : st.orq->b_avgload;
	cpus_max = st.lrq->nr_cpus > st.orq->nr_cpus ? st.lrq->nr_cpus
						     : st.orq->nr_cpus;
	HV_TRACE(s->m, CREDIT2_LOAD_CHECK,
		 (uint32_t)st.lrq->id | (uint32_t)st.orq->id << 16,
		 (uint32_t)st.load_delta);
	if (load_max < ((hv_time_t)cpus_max << p)) {
		if (st.load_delta < ((hv_time_t)1 << (p + C2_BALANCE_UNDER)))
			return;
	} else if (st.load_delta < ((hv_time_t)1 << (p + C2_BALANCE_OVER))) {
		return;
	}
	HV_TRACE(s->m, CREDIT2_LOAD_BALANCE, (uint32_t)st.lrq->b_avgload,
		 (uint32_t)((uint64_t)st.lrq->b_avgload >> 32),
		 (uint32_t)st.orq->b_avgload,
		 (uint32_t)((uint64_t)st.orq->b_avgload >> 32),
		 (uint32_t)st.lrq->id | (uint32_t)st.orq->id << 16, 0);

	nl = c2_balance_candidates(s, st.lrq, now, lc);
	no = c2_balance_candidates(s, st.orq, now, oc);
	for (unsigned int i = 0; i < nl; i++) {
		if (!c2_migrateable(s, lc[i], st.orq))
			continue;
		for (unsigned int j = 0; j < no; j++)
			if (c2_migrateable(s, oc[j], st.lrq))
				c2_consider(&st, lc[i], oc[j]);
		c2_consider(&st, lc[i], NULL);
	}
	for (unsigned int j = 0; j < no; j++)
		if (c2_migrateable(s, oc[j], st.lrq))
			c2_consider(&st, NULL, oc[j]);

	if (st.push)
		c2_migrate(s, st.push, st.orq, now);
	if (st.pull)
		c2_migrate(s, st.pull, st.lrq, now);
}
