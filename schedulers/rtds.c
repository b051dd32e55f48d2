/*
 * RTDS: global preemptive EDF over deferrable servers, per cpupool.
 *
 * Design: the model is Xen's common/sched/rt.c. Each vCPU is a server
 * (period, budget, extratime): its budget is refilled at each period start
 * and unused budget is lost at the period end, which is its deadline;
 * budget is consumed only while it runs and kept while it is blocked.
 * Priority is (priority_level, deadline), lower first, ties broken by
 * (domid, vcpu_id) so runs are reproducible. A unit that exhausts its
 * budget either waits for its next period (depleted), or, with extratime,
 * is refilled at priority_level + 1 (saturating): it then only runs in
 * background, after every level-0 unit. Time at level > 0 is never part
 * of the guarantee: only budget/period at level 0 is (a schedulability
 * analysis must ignore extratime).
 *
 * Xen keeps sorted lists (O(n) insert and pick). Here every queue is an
 * intrusive binary heap (<hv/prioq.h>), so no hook costs more than
 * O(log n) in the number n of vCPUs of the pool (plus O(pCPUs) for
 * tickling, as in Xen):
 *
 *   replq        every awake unit (queued, running or depleted), by
 *                deadline = next replenishment; one timer, on the pool's
 *                first pCPU, armed at its head
 *   runq         runnable, not running, not depleted units whose hard
 *                affinity covers the whole pool, by priority
 *   pcpu[c].runq units pinned to a strict subset S of the pool with c in
 *                S: such a unit has one node in each of the |S| per-pCPU
 *                heaps (so enqueue/dequeue cost O(|S| log n), never a scan)
 *
 * A unit is in a run heap only while it waits, so every head is runnable
 * and allowed where it is looked at: picking on pCPU c compares the heads
 * of runq and pcpu[c].runq, O(1), with no skipping. Storage for every heap
 * is reserved in alloc_udata; the scheduling path never allocates. Hard
 * affinity is read when the unit is allocated (the core has no later
 * affinity change). The heaps, accounting, tickling and the timer are in
 * rtds_queue.c; the hooks are here.
 *
 * Where we differ from Xen, on purpose:
 *  (A wake-up after the deadline passed follows Xen: the deadline moves to
 *  the next boundary of the unit's own period grid and the budget is
 *  refilled in full, so a late wake-up may get a whole budget in a window
 *  shorter than a period. That is the deferrable server's known
 *  back-to-back effect; the WCRT analysis must account for it, and we keep
 *  it so our supply matches Xen's.)
 *  - a unit running when its period ends is charged up to that instant
 *    before the refill (Xen drops that sliver of time).
 *  - when a tickled pCPU picks some other unit than the one it was
 *    tickled for, it passes the tickle on for the best units left (Xen
 *    leaves them queued until the next event).
 *  - no tasklet work exists in this core, so SCHED_TASKLET is never
 *    emitted (the ID is defined for decoders).
 *
 * Locking: one lock per pool (Xen: RTDS's single global lock) guards every
 * heap, the tickled mask and the timer; the core holds it around every
 * hook, and the replenishment timer runs under it too.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>

#include "registry.h"
#include "rtds.h"
#include "rtds_private.h"

/* Xen's RTDS_DEFAULT_PERIOD / _BUDGET and RTDS_MIN_PERIOD / _BUDGET. */
#define RTDS_DEFAULT_PERIOD HV_MS(10)
#define RTDS_DEFAULT_BUDGET HV_MS(4)
#define RTDS_MIN_PERIOD HV_US(10)
#define RTDS_MIN_BUDGET HV_US(10)

/* ---- instance and pCPUs: O(1) each; they may allocate ---- */

static int rtds_init(struct scheduler *s)
{
	struct rtds_private *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	prioq_init(&p->runq, rtds_run_before);
	prioq_init(&p->replq, rtds_repl_before);
	/* Xen homes it on the pool's first pCPU too (move_timers). */
	timer_init(&p->repl_timer, cpumask_first(&s->pool->cpus),
		   rtds_repl_timer_fn, s);
	s->sched_data = p;
	return 0;
}

static void rtds_deinit(struct scheduler *s)
{
	struct rtds_private *p = rtds_priv(s);

	/* Called at machine teardown only: the port may already be gone, so
	 * the timer is not stopped (that would reprogram the pCPU's hardware
	 * timer); the pCPU timer heaps are freed next and never fire again,
	 * as for the core's own s_timer. */
	prioq_fini(&p->runq);
	prioq_fini(&p->replq);
	free(p);
	s->sched_data = NULL;
}

static int rtds_switch_sched(struct scheduler *s, unsigned int cpu)
{
	struct rtds_pcpu *pc = calloc(1, sizeof(*pc));

	if (!pc)
		return -ENOMEM;
	prioq_init(&pc->runq, rtds_run_before);
	s->m->pcpus[cpu].sched_priv = pc;
	return 0;
}

static void rtds_free_pdata(struct scheduler *s, unsigned int cpu)
{
	struct rtds_pcpu *pc = rtds_pcpu(s, cpu);

	if (pc)
		prioq_fini(&pc->runq);
	free(pc);
	s->m->pcpus[cpu].sched_priv = NULL;
}

/* ---- units ---- */

/* Room in every heap @u can join, so the scheduling path never grows one. */
static int rtds_reserve(struct scheduler *s, const struct rtds_unit *u)
{
	struct rtds_private *p = rtds_priv(s);
	int rc = prioq_reserve(&p->replq, p->nr_units + 1);

	for (unsigned int i = 0; !rc && i < u->nr_qn; i++) {
		int cpu = u->qn[i].cpu;

		rc = cpu < 0 ? prioq_reserve(&p->runq, p->nr_shared + 1)
			     : prioq_reserve(
				   &rtds_pcpu(s, (unsigned)cpu)->runq,
				   rtds_pcpu(s, (unsigned)cpu)->nr_pinned + 1);
	}
	return rc;
}

/* Count @u in (@d = 1) or out of (@d = -1) the heap sizes. */
static void rtds_count(struct scheduler *s, const struct rtds_unit *u, int d)
{
	struct rtds_private *p = rtds_priv(s);

	p->nr_units += (unsigned int)d;
	for (unsigned int i = 0; i < u->nr_qn; i++) {
		if (u->qn[i].cpu < 0)
			p->nr_shared += (unsigned int)d;
		else
			rtds_pcpu(s, (unsigned int)u->qn[i].cpu)->nr_pinned +=
			    (unsigned int)d;
	}
}

/*
 * Validate @v's server (Xen's limits: both >= 10 us, budget <= period;
 * 0 = default 10 ms / 4 ms, extratime on unless set to 0), lay out its
 * heap nodes and reserve room. O(pCPUs). Returns 0, -EINVAL or -ENOMEM.
 */
static int rtds_alloc_udata(struct scheduler *s, struct vcpu *v)
{
	hv_time_t period = v->rt_period ? v->rt_period : RTDS_DEFAULT_PERIOD;
	hv_time_t budget = v->rt_budget ? v->rt_budget : RTDS_DEFAULT_BUDGET;
	struct rtds_unit *u;
	unsigned int cpu, i = 0;
	bool shared;

	if (period < RTDS_MIN_PERIOD || budget < RTDS_MIN_BUDGET ||
	    budget > period)
		return -EINVAL;
	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	if (!cpumask_and(&u->aff, &v->hard_affinity, &s->pool->cpus)) {
		free(u);
		return -EINVAL;
	}
	u->vcpu = v;
	u->period = period;
	u->budget = budget;
	u->extratime = v->rt_extratime != 0;
	prioq_node_init(&u->repl);
	/* Whole pool: one node in the shared heap; else one per pCPU. */
	shared = cpumask_subset(&s->pool->cpus, &u->aff);
	u->nr_qn = shared ? 1 : cpumask_weight(&u->aff);
	u->qn = calloc(u->nr_qn, sizeof(*u->qn));
	if (!u->qn) {
		free(u);
		return -ENOMEM;
	}
	if (shared)
		u->qn[0].cpu = -1;
	else
		for_each_cpu (cpu, &u->aff)
			u->qn[i++].cpu = (int)cpu;
	for (i = 0; i < u->nr_qn; i++) {
		prioq_node_init(&u->qn[i].node);
		u->qn[i].unit = u;
	}
	if (rtds_reserve(s, u)) {
		free(u->qn);
		free(u);
		return -ENOMEM;
	}
	rtds_count(s, u, 1);
	v->sched_priv = u;
	return 0;
}

/* O(nr_qn * log n). */
static void rtds_free_udata(struct scheduler *s, struct vcpu *v)
{
	struct rtds_unit *u = rtds_unit(v);

	/* Every unit leaves the heaps before it is freed, so the heaps only
	 * ever hold live nodes. The timer is left alone: this runs at machine
	 * teardown, when the port may be gone (a stale expiry is harmless:
	 * the handler re-arms at the real head). */
	if (u->awake)
		rtds_unlink(s, u);
	rtds_count(s, u, -1);
	free(u->qn);
	free(u);
	v->sched_priv = NULL;
}

/* O(1): its current pCPU if allowed, else the first allowed one. */
static unsigned int rtds_pick_resource(struct scheduler *s, struct vcpu *v)
{
	const struct rtds_unit *u = rtds_unit(v);

	(void)s;
	if (cpumask_test(&u->aff, v->processor))
		return v->processor;
	return cpumask_first(&u->aff);
}

/*
 * wake: O(nr_qn * log n) + O(pCPUs) for the tickle. A unit whose deadline
 * passed while it slept moves to the period of its grid that contains now,
 * with a full budget, as Xen's rt_unit_wake does.
 */
static void rtds_wake(struct scheduler *s, struct vcpu *v)
{
	struct rtds_unit *u = rtds_unit(v);
	hv_time_t now;

	/* Still current (blocked and woken before its pCPU rescheduled), or
	 * already queued/depleted/being requeued: nothing to do. */
	if (v->is_running || u->awake)
		return;
	now = sched_now(s->m);
	if (now >= u->cur_deadline)
		rtds_next_period(s, u, now);
	rtds_activate(s, u);
}

/* insert_unit: an online, runnable vCPU is activated as by a wake-up. */
static int rtds_insert_unit(struct scheduler *s, struct vcpu *v)
{
	if (vcpu_runnable(v))
		rtds_wake(s, v);
	return 0;
}

/* remove_unit / sleep: O(nr_qn * log n). */
static void rtds_remove_unit(struct scheduler *s, struct vcpu *v)
{
	struct rtds_unit *u = rtds_unit(v);

	if (u->awake)
		rtds_deactivate(s, u);
	if (v->is_running)
		sched_tickle(s->m, v->processor);
}

static void rtds_sleep(struct scheduler *s, struct vcpu *v)
{
	/* A running unit is dropped by do_schedule, which sees !runnable. */
	if (v->is_running)
		sched_tickle(s->m, v->processor);
	else if (rtds_unit(v)->awake)
		rtds_deactivate(s, rtds_unit(v));
}

/*
 * The best waiting unit for @cpu, dropping heads that stopped being
 * runnable without a sleep (a vCPU blocked while queued): each such drop
 * is paid for by its insertion, so this is O(log n) amortised.
 */
static struct rtds_unit *rtds_pick(struct scheduler *s, unsigned int cpu)
{
	struct rtds_unit *u;

	while ((u = rtds_runq_best(s, cpu)) && !vcpu_runnable(u->vcpu))
		rtds_deactivate(s, u);
	return u;
}

/*
 * do_schedule: charge @prev, then run the best of (prev, the two heads
 * allowed here). O(1) to decide, O(nr_qn * log n) to dequeue the winner,
 * plus O(pCPUs) when this pCPU had been tickled and units are left waiting.
 */
static struct sched_decision rtds_do_schedule(struct scheduler *s,
					      unsigned int cpu, hv_time_t now,
					      struct vcpu *prev)
{
	struct rtds_private *p = rtds_priv(s);
	struct rtds_unit *cur = prev->is_idle ? NULL : rtds_unit(prev);
	struct rtds_unit *best, *next;
	struct sched_decision d = {.next = NULL, .slice = -1};
	bool tickled = cpumask_test(&p->tickled, cpu);

	/* Xen's payload: u16 cpu, u8 tasklet, u4 tickled, u4 idle. */
	HV_TRACE(s->m, RTDS_SCHEDULE,
		 (cpu & 0xffffu) | (uint32_t)tickled << 24 |
		     (uint32_t)prev->is_idle << 28);
	cpumask_unset(&p->tickled, cpu);

	if (cur) {
		rtds_burn(s, cur, now);
		if (!vcpu_runnable(prev) && cur->awake)
			rtds_deactivate(s, cur);
	}
	best = rtds_pick(s, cpu);
	if (cur && cur->awake && !cur->depleted &&
	    (!best || rtds_before(cur, best))) {
		next = cur;
	} else {
		next = best;
		if (next)
			rtds_runq_remove(s, next);
		/* Back into a heap once its context is saved (Xen's
		 * delayed_runq_add): never picked while still current. */
		if (cur && cur->awake && !cur->depleted)
			cur->requeue = true;
	}
	if (next) {
		uint64_t dl = (uint64_t)next->cur_deadline;
		uint64_t b = (uint64_t)next->cur_budget;

		assert(next->cur_budget > 0 && cpumask_test(&next->aff, cpu));
		if (next != cur)
			HV_TRACE(s->m, RTDS_RUNQ_PICK, rtds_dv(next),
				 (uint32_t)dl, (uint32_t)(dl >> 32),
				 (uint32_t)b, (uint32_t)(b >> 32));
		next->last_start = now;
		d.next = next->vcpu;
		d.slice = next->cur_budget;
	}
	/*
	 * Tickled for some unit but chose another (or none)? The best units
	 * left for this pCPU may still beat something elsewhere: pass the
	 * tickle on. This pCPU is skipped: its curr is about to change.
	 */
	if (tickled) {
		const struct prioq_node *h = prioq_first(&p->runq);
		const struct prioq_node *hc =
		    prioq_first(&rtds_pcpu(s, cpu)->runq);

		if (h)
			rtds_tickle(s, rtds_qnode_unit(h), (int)cpu);
		if (hc && rtds_qnode_unit(hc)->nr_qn > 1)
			rtds_tickle(s, rtds_qnode_unit(hc), (int)cpu);
	}
	return d;
}

/* context_saved: O(nr_qn * log n) + O(pCPUs) for the tickle. */
static void rtds_context_saved(struct scheduler *s, struct vcpu *v)
{
	struct rtds_unit *u = rtds_unit(v);

	if (!u->requeue)
		return;
	u->requeue = false;
	if (!vcpu_runnable(v)) {
		rtds_deactivate(s, u);
		return;
	}
	if (u->awake && !u->depleted) {
		rtds_runq_insert(s, u);
		rtds_tickle(s, u, -1);
	}
}

int rtds_vcpu_state(const struct vcpu *v, hv_time_t *deadline,
		    hv_time_t *budget, unsigned int *level)
{
	const struct rtds_unit *u;

	if (v->is_idle || !v->domain->pool || !v->domain->pool->sched ||
	    v->domain->pool->sched->ops != &sched_rtds_ops || !v->sched_priv)
		return -EINVAL;
	u = v->sched_priv;
	if (deadline)
		*deadline = u->cur_deadline;
	if (budget)
		*budget = u->cur_budget;
	if (level)
		*level = u->level;
	return 0;
}

const struct sched_ops sched_rtds_ops = {
    .name = "SMP RTDS Scheduler",
    .opt_name = "rtds",
    .sched_id = XEN_SCHEDULER_RTDS,
    .init = rtds_init,
    .deinit = rtds_deinit,
    .switch_sched = rtds_switch_sched,
    .free_pdata = rtds_free_pdata,
    .alloc_udata = rtds_alloc_udata,
    .free_udata = rtds_free_udata,
    .insert_unit = rtds_insert_unit,
    .remove_unit = rtds_remove_unit,
    .pick_resource = rtds_pick_resource,
    .wake = rtds_wake,
    .sleep = rtds_sleep,
    .do_schedule = rtds_do_schedule,
    .context_saved = rtds_context_saved,
};
