/*
 * RTDS queues: the priority order, the run and replenishment heaps, budget
 * accounting, tickling and the replenishment timer. rtds.c drives them
 * from the hooks; its opening comment gives the whole design.
 *
 * Design: a unit owns one run-heap node per heap it may wait in and one
 * replenishment node:
 *
 *   unit allowed everywhere    qn[0] ──> priv->runq (shared)
 *   unit pinned to {1,3}       qn[0] ──> pcpu[1].runq
 *                              qn[1] ──> pcpu[3].runq
 *   every awake unit           repl  ──> priv->replq ──> repl_timer
 *
 * so each heap holds only units allowed on its pCPU(s), and the heads
 * answer "who next on pCPU c" without a scan.
 *
 * Locking: the pool lock, which the core holds around every hook and the
 * timer handler; nothing here takes a lock.
 */
#include <assert.h>
#include <limits.h>

#include "rtds_private.h"

/* The seL4-style invariants of a server; compiled out with NDEBUG. */
static void rtds_check(const struct rtds_unit *u)
{
	assert(u->cur_budget >= 0);
	assert(u->cur_budget <= u->budget);
	assert(u->budget <= u->period);
	assert(u->cur_deadline > u->last_repl);
	assert(u->cur_deadline - u->period <= u->last_repl);
	(void)u;
}

/* ---- ordering ---- */

/* "a runs before b": (priority_level, deadline, domid, vcpu_id). */
bool rtds_before(const struct rtds_unit *a, const struct rtds_unit *b)
{
	if (a->level != b->level)
		return a->level < b->level;
	if (a->cur_deadline != b->cur_deadline)
		return a->cur_deadline < b->cur_deadline;
	if (a->vcpu->domain->domid != b->vcpu->domain->domid)
		return a->vcpu->domain->domid < b->vcpu->domain->domid;
	return a->vcpu->vcpu_id < b->vcpu->vcpu_id;
}

struct rtds_unit *rtds_qnode_unit(const struct prioq_node *n)
{
	return prioq_entry(n, struct rtds_qnode, node)->unit;
}

bool rtds_run_before(const struct prioq_node *a, const struct prioq_node *b)
{
	return rtds_before(rtds_qnode_unit(a), rtds_qnode_unit(b));
}

static struct rtds_unit *rtds_repl_unit(const struct prioq_node *n)
{
	return prioq_entry(n, struct rtds_unit, repl);
}

bool rtds_repl_before(const struct prioq_node *a, const struct prioq_node *b)
{
	const struct rtds_unit *ua = rtds_repl_unit(a), *ub = rtds_repl_unit(b);

	if (ua->cur_deadline != ub->cur_deadline)
		return ua->cur_deadline < ub->cur_deadline;
	return rtds_before(ua, ub);
}

/* ---- run heaps: every operation is O(nr_qn * log n) ---- */

static struct prioq *rtds_heap(const struct scheduler *s,
			       const struct rtds_qnode *qn)
{
	return qn->cpu < 0 ? &rtds_priv(s)->runq
			   : &rtds_pcpu(s, (unsigned int)qn->cpu)->runq;
}

bool rtds_queued(const struct rtds_unit *u)
{
	return prioq_queued(&u->qn[0].node);
}

void rtds_runq_insert(struct scheduler *s, struct rtds_unit *u)
{
	assert(!rtds_queued(u) && !u->depleted && u->cur_budget > 0);
	for (unsigned int i = 0; i < u->nr_qn; i++) {
		int rc = prioq_insert(rtds_heap(s, &u->qn[i]), &u->qn[i].node);

		assert(rc == 0); /* room reserved in alloc_udata */
		(void)rc;
	}
}

void rtds_runq_remove(struct scheduler *s, struct rtds_unit *u)
{
	for (unsigned int i = 0; i < u->nr_qn; i++)
		prioq_remove(rtds_heap(s, &u->qn[i]), &u->qn[i].node);
}

static void rtds_runq_update(struct scheduler *s, struct rtds_unit *u)
{
	for (unsigned int i = 0; i < u->nr_qn; i++)
		prioq_update(rtds_heap(s, &u->qn[i]), &u->qn[i].node);
}

/* The best waiting unit allowed on @cpu, or NULL. O(1). */
struct rtds_unit *rtds_runq_best(const struct scheduler *s, unsigned int cpu)
{
	const struct prioq_node *a = prioq_first(&rtds_priv(s)->runq);
	const struct prioq_node *b = prioq_first(&rtds_pcpu(s, cpu)->runq);

	if (!a || !b)
		return a ? rtds_qnode_unit(a) : b ? rtds_qnode_unit(b) : NULL;
	return rtds_run_before(a, b) ? rtds_qnode_unit(a) : rtds_qnode_unit(b);
}

/* ---- replenishment ---- */

/* Arm the timer at replq's head, or stop it. O(log timers). */
static void rtds_arm_timer(struct scheduler *s)
{
	struct rtds_private *p = rtds_priv(s);
	const struct prioq_node *head = prioq_first(&p->replq);
	hv_time_t when;

	if (!head) {
		timer_stop(s->m, &p->repl_timer);
		return;
	}
	when = rtds_repl_unit(head)->cur_deadline;
	if (timer_is_armed(&p->repl_timer) && p->repl_timer.expires == when)
		return;
	/* Fails only if the pCPU's timer heap had to grow and could not (it
	 * holds that pCPU's s_timer too, so it has room from the first
	 * decision on); replenishment would then wait for the next re-arm. */
	if (timer_set(s->m, &p->repl_timer, when))
		assert(!"replenishment timer could not be armed");
}

/* Full budget at level 0 from @now, for the period ending cur_deadline. */
void rtds_refill(struct scheduler *s, struct rtds_unit *u, hv_time_t now)
{
	uint64_t dl = (uint64_t)u->cur_deadline, b = (uint64_t)u->budget;

	u->cur_budget = u->budget;
	u->level = 0;
	u->depleted = false;
	u->last_repl = now;
	u->last_start = now;
	rtds_check(u);
	HV_TRACE(s->m, RTDS_BUDGET_REPLENISH, rtds_dv(u), u->level,
		 (uint32_t)dl, (uint32_t)(dl >> 32), (uint32_t)b,
		 (uint32_t)(b >> 32));
}

/* The period of the unit's grid that contains @now, with a full budget
 * (timer replenishment and late wake-ups alike). */
void rtds_next_period(struct scheduler *s, struct rtds_unit *u, hv_time_t now)
{
	hv_time_t behind = now - u->cur_deadline;

	assert(behind >= 0);
	/* One division, not a loop, however many periods were missed. */
	u->cur_deadline += (behind / u->period + 1) * u->period;
	rtds_refill(s, u, now);
}

/* Charge the running @u for the time since last_start. O(1). */
void rtds_burn(struct scheduler *s, struct rtds_unit *u, hv_time_t now)
{
	hv_time_t delta = now - u->last_start;

	if (delta <= 0)
		return;
	u->last_start = now;
	u->cur_budget -= delta;
	if (u->cur_budget <= 0) {
		u->cur_budget = 0;
		if (u->extratime) {
			u->cur_budget = u->budget;
			if (u->level < UINT_MAX) /* saturate, never wrap */
				u->level++;
		} else {
			u->depleted = true;
		}
	}
	rtds_check(u);
	HV_TRACE(s->m, RTDS_BUDGET_BURN, rtds_dv(u), (uint32_t)u->cur_budget,
		 (uint32_t)((uint64_t)u->cur_budget >> 32), (uint32_t)delta,
		 u->level, u->extratime);
}

/* ---- tickling: O(pCPUs of the unit's affinity) ---- */

static void rtds_tickle_cpu(struct scheduler *s, unsigned int cpu)
{
	cpumask_set(&rtds_priv(s)->tickled, cpu);
	HV_TRACE(s->m, RTDS_TICKLE, cpu & 0xffffu);
	sched_tickle(s->m, cpu);
}

/*
 * @u waits in a run heap: find it a pCPU that is not already tickled, in
 * Xen's order: its own pCPU if idle, another idle one, else the one running
 * the lowest-priority unit if @u beats that. @skip (or -1) is a pCPU whose
 * curr is about to change and must not be judged by it.
 */
void rtds_tickle(struct scheduler *s, const struct rtds_unit *u, int skip)
{
	const struct rtds_private *p = rtds_priv(s);
	const struct rtds_unit *lowest = NULL;
	unsigned int own = u->vcpu->processor, cpu, lowest_cpu = 0;

	if ((int)own != skip && cpumask_test(&u->aff, own) &&
	    !cpumask_test(&p->tickled, own) && s->m->pcpus[own].curr->is_idle) {
		rtds_tickle_cpu(s, own);
		return;
	}
	for_each_cpu (cpu, &u->aff) {
		const struct vcpu *curr = s->m->pcpus[cpu].curr;

		if ((int)cpu == skip || cpumask_test(&p->tickled, cpu))
			continue;
		if (curr->is_idle) {
			rtds_tickle_cpu(s, cpu);
			return;
		}
		if (!lowest || rtds_before(lowest, rtds_unit(curr))) {
			lowest = rtds_unit(curr);
			lowest_cpu = cpu;
		}
	}
	if (lowest && rtds_before(u, lowest))
		rtds_tickle_cpu(s, lowest_cpu);
}

/* ---- activation ---- */

/* @u becomes awake: into replq, and into a run heap unless depleted. */
void rtds_activate(struct scheduler *s, struct rtds_unit *u)
{
	int rc = prioq_insert(&rtds_priv(s)->replq, &u->repl);

	assert(rc == 0); /* reserved */
	(void)rc;
	u->awake = true;
	rtds_arm_timer(s);
	if (!u->depleted) {
		rtds_runq_insert(s, u);
		rtds_tickle(s, u, -1);
	}
}

/* @u is no longer runnable: out of every heap; it keeps its budget. */
void rtds_unlink(struct scheduler *s, struct rtds_unit *u)
{
	rtds_runq_remove(s, u);
	prioq_remove(&rtds_priv(s)->replq, &u->repl);
	u->awake = false;
	u->requeue = false;
}

void rtds_deactivate(struct scheduler *s, struct rtds_unit *u)
{
	rtds_unlink(s, u);
	rtds_arm_timer(s);
}

/*
 * The replenishment timer: every unit whose period ended gets its next
 * one; then pCPUs are tickled where a refilled unit now wins. O(k (log n
 * + pCPUs)) for k units due.
 */
void rtds_repl_timer_fn(struct machine *m, struct hv_timer *t)
{
	struct scheduler *s = t->data;
	struct rtds_private *p = rtds_priv(s);
	struct rtds_unit *first = NULL, **tail = &first, *u;
	const struct prioq_node *n;
	hv_time_t now = sched_now(m);

	while ((n = prioq_first(&p->replq)) &&
	       rtds_repl_unit(n)->cur_deadline <= now) {
		u = rtds_repl_unit(n);
		if (u->vcpu->is_running)
			rtds_burn(s, u, now); /* the old period's share */
		rtds_next_period(s, u, now);
		prioq_update(&p->replq, &u->repl);
		if (rtds_queued(u))
			rtds_runq_update(s, u);
		u->batch_next = NULL;
		*tail = u;
		tail = &u->batch_next;
	}
	/* Earliest deadline first gets the first pick of idle pCPUs. */
	for (u = first; u; u = u->batch_next) {
		if (u->vcpu->is_running) {
			unsigned int cpu = u->vcpu->processor;
			struct rtds_unit *best = rtds_runq_best(s, cpu);

			/* Later deadline: a waiting unit may beat it now. */
			if (best && rtds_before(best, u) &&
			    !cpumask_test(&p->tickled, cpu))
				rtds_tickle_cpu(s, cpu);
		} else if (rtds_queued(u)) {
			/* Back at level 0 it may beat a running unit. */
			rtds_tickle(s, u, -1);
		} else if (!u->requeue) {
			/* It was depleted. */
			if (!vcpu_runnable(u->vcpu)) {
				rtds_deactivate(s, u);
				continue;
			}
			rtds_runq_insert(s, u);
			rtds_tickle(s, u, -1);
		}
	}
	rtds_arm_timer(s);
}
