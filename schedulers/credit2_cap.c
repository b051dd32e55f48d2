/*
 * credit2: per-domain data and caps (Xen's unit_grab_budget,
 * unit_return_budget, park_unit, unpark_parked_units and
 * replenish_domain_budget).
 *
 * A domain with cap C% may run C% of one pCPU: tot_budget = C% of
 * C2_CAP_PERIOD, refilled every period by a per-domain timer (not aligned
 * across domains). A unit grabs a quota max(tot_budget / vCPUs,
 * MIN_TIMER) from the domain's pool before it runs and gives back what it
 * did not use when it is switched out. A unit that finds the pool empty
 * is parked: out of the heaps and not runnable for us, until a refill or
 * a sibling's return puts budget back.
 *
 * Differs from Xen in bookkeeping only: Xen lets a unit's and the
 * domain's budget go negative after an overrun; here both stay >= 0 and
 * the overrun is kept as debt, paid from the next budget that comes in,
 * which is the same arithmetic.
 */
#include <errno.h>
#include <stdlib.h>

#include "credit2_private.h"

static void c2_pay_debt(struct c2_dom *sdom)
{
	hv_time_t pay = sdom->debt < sdom->budget ? sdom->debt : sdom->budget;

	sdom->budget -= pay;
	sdom->debt -= pay;
}

static void c2_park(struct scheduler *s, struct c2_unit *u)
{
	struct c2_dom *sdom = u->sdom;

	u->parked = true;
	if (u->queued) {
		c2_runq_remove(s, u);
		c2_update_load(s, u->rq, u, -1, sched_now(s->m));
	}
	u->parked_prev = NULL;
	u->parked_next = sdom->parked;
	if (sdom->parked)
		sdom->parked->parked_prev = u;
	sdom->parked = u;
}

void c2_parked_unlink(struct c2_unit *u)
{
	if (u->parked_prev)
		u->parked_prev->parked_next = u->parked_next;
	else
		u->sdom->parked = u->parked_next;
	if (u->parked_next)
		u->parked_next->parked_prev = u->parked_prev;
	u->parked_next = u->parked_prev = NULL;
	u->parked = false;
}

/* Make sure capped @u has budget to run; park it if the domain has
 * none. Returns whether it may run. O(1). */
bool c2_grab_budget(struct scheduler *s, struct c2_unit *u)
{
	struct c2_dom *sdom = u->sdom;

	if (u->budget > 0)
		return true;
	c2_pay_debt(sdom);
	if (sdom->budget > 0) {
		hv_time_t b = sdom->budget < u->budget_quota ? sdom->budget
							     : u->budget_quota;

		u->budget = b;
		sdom->budget -= b;
	} else {
		u->budget = 0;
		c2_park(s, u);
	}
	assert(sdom->budget >= 0 && u->budget >= 0);
	return u->budget > 0;
}

/* @u stops running: return its unused budget. Returns true when parked
 * siblings should now be unparked (c2_unpark_units). */
bool c2_return_budget(struct scheduler *s, struct c2_unit *u)
{
	struct c2_dom *sdom = u->sdom;

	(void)s;
	sdom->budget += u->budget;
	u->budget = 0;
	c2_pay_debt(sdom);
	assert(sdom->budget >= 0);
	return sdom->budget > 0 && sdom->parked;
}

/* Give every parked unit of @sdom another chance at the budget:
 * O(parked units * log n). */
void c2_unpark_units(struct scheduler *s, struct c2_dom *sdom)
{
	hv_time_t now = sched_now(s->m);

	while (sdom->parked) {
		struct c2_unit *u = sdom->parked;

		c2_parked_unlink(u);
		if (!u->rq)
			continue;
		if (u->scheduled) {
			/* Parked between do_schedule and context_saved:
			 * context_saved re-queues it. */
			u->delayed_runq_add = true;
		} else if (vcpu_runnable(u->v) && !u->queued) {
			c2_update_load(s, u->rq, u, 1, now);
			c2_runq_insert(s, u);
			c2_runq_tickle(s, u, now);
		}
	}
}

/* The per-domain refill; catches up missed periods but never holds more
 * than one period's budget. */
static void c2_replenish(struct machine *m, struct hv_timer *t)
{
	struct c2_dom *sdom = t->data;
	hv_time_t now = sched_now(m);

	do {
		sdom->next_repl += C2_CAP_PERIOD;
		sdom->budget += sdom->tot_budget;
	} while (sdom->next_repl <= now);
	c2_pay_debt(sdom);
	if (sdom->budget > 0) {
		if (sdom->budget > sdom->tot_budget)
			sdom->budget = sdom->tot_budget;
		c2_unpark_units(sdom->s, sdom);
	}
	timer_set(m, t, sdom->next_repl);
}

/*
 * alloc_domdata: weight (0 = C2_DEFAULT_WEIGHT, at most 65535) and cap
 * (percent of one pCPU, 0 = none, at most 100 per vCPU) come from the
 * domain's creation parameters, as xl.cfg's cpu_weight= and cap= do.
 * A cap starts with a full budget; c2_dom_start arms its refill timer.
 * Returns 0, -EINVAL or -ENOMEM.
 */
int c2_dom_create(struct scheduler *s, struct domain *d)
{
	unsigned int weight = d->weight ? d->weight : C2_DEFAULT_WEIGHT;
	struct c2_dom *sdom;

	if (weight > C2_MAX_WEIGHT || d->cap > 100 * d->nr_vcpus)
		return -EINVAL;
	sdom = calloc(1, sizeof(*sdom));
	if (!sdom)
		return -ENOMEM;
	sdom->s = s;
	sdom->weight = weight;
	sdom->cap = d->cap;
	timer_init(&sdom->repl_timer, cpumask_first(&s->pool->cpus),
		   c2_replenish, sdom);
	if (sdom->cap) {
		sdom->tot_budget = C2_CAP_PERIOD * sdom->cap / 100;
		sdom->budget = sdom->tot_budget;
	}
	d->sched_priv = sdom;
	return 0;
}

/* The domain's first unit joins at @now: the cap's periods start then,
 * the refill timer on the pool's first pCPU. Returns 0 or -ENOMEM. */
int c2_dom_start(struct scheduler *s, struct c2_dom *sdom, hv_time_t now)
{
	if (!sdom->cap || timer_is_armed(&sdom->repl_timer))
		return 0;
	sdom->next_repl = now + C2_CAP_PERIOD;
	return timer_set(s->m, &sdom->repl_timer, sdom->next_repl);
}

void c2_dom_destroy(struct scheduler *s, struct domain *d)
{
	struct c2_dom *sdom = d->sched_priv;

	(void)s;
	if (!sdom)
		return;
	/* free_domdata only runs at machine teardown, when the port may be
	 * gone: the refill timer is not stopped (that would reprogram the
	 * pCPU's hardware timer); the pCPU timer heaps are freed next and
	 * never fire again, as for the core's own s_timer. */
	free(sdom);
	d->sched_priv = NULL;
}
