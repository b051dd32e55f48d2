/*
 * From a scenario to response-time bounds; see wcrt_scenario.h.
 *
 * Costs. The bounds must hold for what the sim (and later the arm64 port)
 * really does, so every hypervisor path of the cost model that can take
 * time from a vCPU's pCPU is charged somewhere:
 *
 *   job_overhead   each job or interrupt of the vCPU itself: the injection
 *                  path (trap in, vIRQ inject, trap out), a wake-up switch
 *                  (schedule, context switch) and the WFI block path after
 *                  it (trap in, schedule, switch, trap out). Added to C.
 *   foreign_cost   each release or interrupt of ANOTHER vCPU delivered to
 *                  the same pCPU: injection path, a schedule run, and an
 *                  IPI that may land here (trap in, schedule, trap out).
 *                  Modelled as a highest-priority interfering task.
 *   switch_cost    each time the vCPU is switched in (trap in, schedule,
 *                  switch, trap out): taken off the start of every
 *                  ARINC653 window and off each RTDS budget per possible
 *                  switch-in in a period.
 *   blocking       one switch_cost at the start of the run (boot).
 *
 * This over-approximates on purpose: a bound must never be below an
 * observation (tests/e2e/wcrt_soundness.sh checks every example scenario
 * and seeded random ones).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/wcrt_fp.h"
#include "analysis/wcrt_rtds.h"
#include "analysis/wcrt_scenario.h"
#include "analysis/wcrt_scenario_private.h"
#include "scenario/scenario.h"

#define PRIO_HYPERVISOR INT_MAX /* foreign events and IRQ handlers */
/* Interference only: its own verdict is never asked for, so give it a
 * deadline that cannot constrain a design (but stays far from overflow). */
#define FOREIGN_DEADLINE ((hv_time_t)1 << 50)

/* Per-vCPU placement worked out the way each scheduler places vCPUs. */
struct placement {
	int pcpu; /* -1: floats over the pool (rtds) */
	bool waiting; /* null: no free pCPU */
};

struct builder {
	const struct scenario *scn;
	struct wcrt_report *r;
	struct placement **place; /* [domain][vcpu] */
	struct wcrt_task *tasks; /* scratch for one vCPU's analysis */
	size_t cap;
};

static hv_time_t div_ceil(hv_time_t a, hv_time_t b)
{
	return (a + b - 1) / b;
}

static void set_costs(struct wcrt_report *r, const struct scn_costs *c)
{
	hv_time_t inject = c->trap_entry + c->virq_inject + c->trap_exit;

	r->switch_cost =
	    c->trap_entry + c->sched_invoke + c->ctx_switch + c->trap_exit;
	r->job_overhead =
	    inject + c->sched_invoke + c->ctx_switch + r->switch_cost;
	r->foreign_cost = inject + c->sched_invoke + c->trap_entry +
			  c->sched_invoke + c->trap_exit;
}

static bool is_sched(const struct scn_pool *p, const char *name)
{
	return !strcmp(p->sched, name);
}

/* null's insert order: first free pCPU in hard affinity, else wait,
 * parked on the pool's first pCPU if allowed (null_pick_resource). */
static void place_null(struct builder *b, unsigned int pool)
{
	const struct scenario *scn = b->scn;
	struct cpumask free = scn->pools[pool].cpus, cand;
	unsigned int first = cpumask_first(&scn->pools[pool].cpus);

	for (unsigned int d = 0; d < scn->nr_domains; d++) {
		if (scn->domains[d].pool != pool)
			continue;
		for (unsigned int v = 0; v < scn->domains[d].nr_vcpus; v++) {
			const struct cpumask *aff =
			    &scn->domains[d].hard_affinity[v];
			struct placement *p = &b->place[d][v];

			if (cpumask_and(&cand, &free, aff)) {
				p->pcpu = (int)cpumask_first(&cand);
				cpumask_unset(&free, (unsigned int)p->pcpu);
			} else {
				p->waiting = true;
				p->pcpu = cpumask_test(aff, first)
					      ? (int)first
					      : (int)cpumask_first(aff);
			}
		}
	}
}

static void place_all(struct builder *b)
{
	const struct scenario *scn = b->scn;

	for (unsigned int i = 0; i < scn->nr_pools; i++)
		if (is_sched(&scn->pools[i], "null"))
			place_null(b, i);
	for (unsigned int d = 0; d < scn->nr_domains; d++) {
		const struct scn_pool *pool = &scn->pools[scn->domains[d].pool];
		unsigned int first = cpumask_first(&pool->cpus);

		for (unsigned int v = 0; v < scn->domains[d].nr_vcpus; v++) {
			const struct cpumask *aff =
			    &scn->domains[d].hard_affinity[v];
			struct placement *p = &b->place[d][v];

			if (is_sched(pool, "null"))
				continue;
			/* arinc653 keeps a vCPU on one pCPU; credit2 and
			 * rtds float unless pinned to exactly one. */
			if (is_sched(pool, "arinc653"))
				p->pcpu = cpumask_test(aff, first)
					      ? (int)first
					      : (int)cpumask_first(aff);
			else
				p->pcpu = cpumask_weight(aff) == 1
					      ? (int)cpumask_first(aff)
					      : -1;
		}
	}
}

static int push_task(struct builder *b, size_t *n, struct wcrt_task t)
{
	if (*n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 64;
		struct wcrt_task *p = realloc(b->tasks, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		b->tasks = p;
		b->cap = cap;
	}
	b->tasks[(*n)++] = t;
	return 0;
}

static struct wcrt_task irq_task(const struct scn_irq *q, hv_time_t c)
{
	/* A periodic source fires in [k*T, k*T + J]: period T, jitter J. A
	 * sporadic one waits at least T between raises: no jitter. */
	return (struct wcrt_task){
	    .wcet = c,
	    .period = q->period,
	    .deadline = q->period,
	    .jitter = q->sporadic ? 0 : q->jitter,
	    .priority = PRIO_HYPERVISOR,
	};
}

/* Can events of vCPU (d2, v2) land on the pCPU of (d, v)? */
static bool shares_pcpu(const struct builder *b, unsigned int d, unsigned int v,
			unsigned int d2, unsigned int v2)
{
	const struct scenario *scn = b->scn;
	const struct placement *a = &b->place[d][v], *o = &b->place[d2][v2];

	if (scn->domains[d].pool != scn->domains[d2].pool)
		return false;
	if (a->pcpu < 0 || o->pcpu < 0)
		return true; /* floating: anywhere in the pool */
	return a->pcpu == o->pcpu;
}

/* Highest-priority interference: other vCPUs' events on this pCPU. */
static int push_foreign(struct builder *b, size_t *n, unsigned int d,
			unsigned int v)
{
	const struct scenario *scn = b->scn;
	hv_time_t c = b->r->foreign_cost;
	int rc = 0;

	for (unsigned int d2 = 0; d2 < scn->nr_domains && !rc; d2++) {
		const struct scn_domain *o = &scn->domains[d2];

		for (unsigned int v2 = 0; v2 < o->nr_vcpus && !rc; v2++) {
			if ((d2 == d && v2 == v) ||
			    !shares_pcpu(b, d, v, d2, v2))
				continue;
			for (unsigned int i = 0; i < o->nr_tasks && !rc; i++)
				if (o->tasks[i].vcpu == v2)
					rc = push_task(
					    b, n,
					    (struct wcrt_task){
						.wcet = c,
						.period = o->tasks[i].period,
						.deadline = FOREIGN_DEADLINE,
						.priority = PRIO_HYPERVISOR,
					    });
			for (unsigned int i = 0; i < o->nr_irqs && !rc; i++) {
				struct wcrt_task ft = irq_task(&o->irqs[i], c);

				ft.deadline = FOREIGN_DEADLINE;
				if (o->irqs[i].vcpu == v2)
					rc = push_task(b, n, ft);
			}
		}
	}
	return rc;
}

/* RTDS replenishment timer: one hypervisor entry per period of every
 * vCPU of the pool, on the pool's first pCPU (rtds_queue.c). */
static int push_rtds_timer(struct builder *b, size_t *n, unsigned int pool)
{
	const struct scenario *scn = b->scn;
	const struct scn_costs *c = &scn->machine.costs;
	hv_time_t cost = c->trap_entry + c->sched_invoke + c->trap_exit;
	int rc = 0;

	for (unsigned int d = 0; d < scn->nr_domains && !rc; d++) {
		if (scn->domains[d].pool != pool)
			continue;
		for (unsigned int v = 0; v < scn->domains[d].nr_vcpus && !rc;
		     v++)
			rc = push_task(
			    b, n,
			    (struct wcrt_task){
				.wcet = cost,
				.period = scn->domains[d].rtds[v].period,
				.deadline = FOREIGN_DEADLINE,
				.priority = PRIO_HYPERVISOR,
			    });
	}
	return rc;
}

/* The vCPU's own tasks and handlers: items in the report, tasks here. */
static int push_own(struct builder *b, size_t *n, struct wcrt_vcpu *wv)
{
	const struct scn_domain *sd = &b->scn->domains[wv->domain];
	struct wcrt_report *r = b->r;
	int rc = 0;

	wv->first_item = r->nr_items;
	for (unsigned int i = 0; i < sd->nr_irqs && !rc; i++) {
		const struct scn_irq *q = &sd->irqs[i];
		struct wcrt_item *it;

		if (q->vcpu != wv->vcpu)
			continue;
		it = &r->items[r->nr_items++];
		*it = (struct wcrt_item){
		    .domain = wv->domain,
		    .vcpu = wv->vcpu,
		    .index = i,
		    .kind = WCRT_ITEM_IRQ,
		    .name = q->name,
		    .wcet = q->handler.max,
		    .inflated = q->handler.max + r->job_overhead,
		    .period = q->period,
		    .deadline = q->period,
		    .jitter = q->sporadic ? 0 : q->jitter,
		};
		rc = push_task(b, n, irq_task(q, it->inflated));
	}
	for (unsigned int i = 0; i < sd->nr_tasks && !rc; i++) {
		const struct scn_task *t = &sd->tasks[i];
		struct wcrt_item *it;

		if (t->vcpu != wv->vcpu)
			continue;
		it = &r->items[r->nr_items++];
		*it = (struct wcrt_item){
		    .domain = wv->domain,
		    .vcpu = wv->vcpu,
		    .index = i,
		    .kind = WCRT_ITEM_TASK,
		    .name = t->name,
		    .wcet = t->exec.max,
		    .inflated = t->exec.max + r->job_overhead,
		    .period = t->period,
		    .deadline = t->deadline,
		};
		/* Tasks stay below every handler and foreign event. */
		rc =
		    push_task(b, n,
			      (struct wcrt_task){
				  .wcet = it->inflated,
				  .period = t->period,
				  .deadline = t->deadline,
				  .priority = t->priority >= PRIO_HYPERVISOR - 1
						  ? PRIO_HYPERVISOR - 1
						  : t->priority,
			      });
	}
	wv->nr_items = r->nr_items - wv->first_item;
	return rc;
}

/* The ARINC653 windows of (d, v): each loses switch_cost at its start. */
static void a653_supply(struct builder *b, struct wcrt_vcpu *wv)
{
	const struct scn_pool *pool =
	    &b->scn->pools[b->scn->domains[wv->domain].pool];
	struct supply_window w[SUPPLY_MAX_WINDOWS];
	size_t n = 0;
	hv_time_t off = 0, total = 0;

	for (unsigned int i = 0; i < pool->nr_a653; i++) {
		const struct scn_a653_entry *e = &pool->a653[i];

		if (e->domain == wv->domain && e->vcpu == wv->vcpu &&
		    e->runtime > b->r->switch_cost && n < SUPPLY_MAX_WINDOWS) {
			w[n].offset = off + b->r->switch_cost;
			w[n++].len = e->runtime - b->r->switch_cost;
			total += e->runtime - b->r->switch_cost;
		}
		off += e->runtime;
	}
	if (!n || supply_init_windows(&wv->supply, pool->major_frame, w, n)) {
		supply_init_none(&wv->supply, "arinc653: no window for this "
					      "vCPU longer than a switch");
		return;
	}
	wv->has_approx =
	    !supply_init_prm(&wv->approx, pool->major_frame, total);
	wv->design_what = "arinc653 window";
	wv->design_period = pool->major_frame;
}

/* Switch-ins of RTDS vCPU (d, v) in one of its periods: its own, plus
 * one per possible preemption by each other vCPU of the pool. */
static hv_time_t rtds_switch_ins(const struct builder *b, unsigned int d,
				 unsigned int v)
{
	const struct scenario *scn = b->scn;
	hv_time_t p = scn->domains[d].rtds[v].period, k = 1;

	for (unsigned int d2 = 0; d2 < scn->nr_domains; d2++) {
		if (scn->domains[d2].pool != scn->domains[d].pool)
			continue;
		for (unsigned int v2 = 0; v2 < scn->domains[d2].nr_vcpus; v2++)
			if (d2 != d || v2 != v)
				k += div_ceil(
					 p, scn->domains[d2].rtds[v2].period) +
				     1;
	}
	return k;
}

static int rtds_supply(struct builder *b, struct wcrt_vcpu *wv)
{
	const struct scenario *scn = b->scn;
	unsigned int pool = scn->domains[wv->domain].pool;
	struct wcrt_rtds_vcpu *all;
	struct wcrt_rtds_admission adm;
	size_t n = 0;
	hv_time_t p = scn->domains[wv->domain].rtds[wv->vcpu].period;
	hv_time_t budget = scn->domains[wv->domain].rtds[wv->vcpu].budget;
	hv_time_t eff = budget - rtds_switch_ins(b, wv->domain, wv->vcpu) *
				     b->r->switch_cost;
	int rc;

	for (unsigned int d = 0; d < scn->nr_domains; d++)
		if (scn->domains[d].pool == pool)
			n += scn->domains[d].nr_vcpus;
	all = calloc(n, sizeof(*all));
	if (!all)
		return -ENOMEM;
	n = 0;
	for (unsigned int d = 0; d < scn->nr_domains; d++) {
		if (scn->domains[d].pool != pool)
			continue;
		for (unsigned int v = 0; v < scn->domains[d].nr_vcpus; v++) {
			all[n].period = scn->domains[d].rtds[v].period;
			all[n++].budget = scn->domains[d].rtds[v].budget;
		}
	}
	rc = wcrt_rtds_admission(all, n, cpumask_weight(&scn->pools[pool].cpus),
				 WCRT_RTDS_MODEL_DEFERRABLE, &adm);
	free(all);
	if (rc)
		return rc;
	if (eff <= 0) {
		supply_init_none(&wv->supply,
				 "rtds: the budget does not cover the "
				 "hypervisor's switch costs in a period");
	} else {
		char note[SUPPLY_REASON_LEN];

		snprintf(note, sizeof(note), "%s %s",
			 wcrt_rtds_test_name(adm.test),
			 adm.admitted ? "admits the pool" : "refuses the pool");
		supply_init_deferrable(&wv->supply, p, eff, adm.admitted, note);
	}
	wv->design_what = "rtds budget";
	wv->design_period = p;
	return 0;
}

static int build_supply(struct builder *b, struct wcrt_vcpu *wv)
{
	const struct placement *pl = &b->place[wv->domain][wv->vcpu];

	if (!strcmp(wv->sched, "null")) {
		if (pl->waiting)
			return supply_init_none(
			    &wv->supply, "null: no free pCPU, the vCPU "
					 "waits in the FIFO and never runs");
		return supply_init_dedicated(&wv->supply, 0, 0);
	}
	if (!strcmp(wv->sched, "arinc653")) {
		a653_supply(b, wv);
		return 0;
	}
	if (!strcmp(wv->sched, "rtds"))
		return rtds_supply(b, wv);
	return supply_init_none(&wv->supply,
				"credit2 guarantees no supply: proportional "
				"share without reservation, so no bound");
}

/* Store @res (own items first, in item order) as bounds or as the
 * labelled approximation. */
static void record(struct wcrt_report *r, struct wcrt_vcpu *wv,
		   const struct wcrt_fp_result *res, bool approx)
{
	for (size_t i = 0; i < wv->nr_items; i++) {
		struct wcrt_item *it = &r->items[wv->first_item + i];
		hv_time_t bound =
		    res[i].status == WCRT_OK ? res[i].response : 0;

		if (approx) {
			it->has_approx = true;
			it->approx_status = res[i].status;
			it->approx_bound = bound;
		} else {
			it->status = res[i].status;
			it->bound = bound;
			it->met = res[i].deadline_met;
		}
	}
}

static int design(struct builder *b, struct wcrt_vcpu *wv, size_t n)
{
	int rc;

	if (!wv->design_what)
		return 0;
	if (!strcmp(wv->sched, "rtds")) {
		hv_time_t extra = rtds_switch_ins(b, wv->domain, wv->vcpu) *
				  b->r->switch_cost;

		rc = wcrt_design_rtds_budget(b->tasks, n, WCRT_POLICY_FP,
					     wv->design_period / 1000,
					     &wv->design);
		if (!rc && wv->design.found)
			wv->design.value_us += div_ceil(extra, 1000);
		return rc;
	}
	rc = wcrt_design_arinc_window(b->tasks, n, WCRT_POLICY_FP,
				      wv->design_period, 0, &wv->design);
	if (!rc && wv->design.found)
		wv->design.value_us += div_ceil(b->r->switch_cost, 1000);
	return rc;
}

static int analyze_vcpu(struct builder *b, struct wcrt_vcpu *wv)
{
	const struct scenario *scn = b->scn;
	const struct scn_domain *sd = &scn->domains[wv->domain];
	struct wcrt_fp_result *res;
	size_t n = 0;
	int rc;

	rc = push_own(b, &n, wv);
	if (!rc)
		rc = push_foreign(b, &n, wv->domain, wv->vcpu);
	if (!rc && !strcmp(wv->sched, "rtds"))
		rc = push_rtds_timer(b, &n, sd->pool);
	if (!rc)
		rc = build_supply(b, wv);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)
		b->tasks[i].blocking = b->r->switch_cost; /* boot switch */
	supply_describe(&wv->supply, wv->supply_desc, sizeof(wv->supply_desc));
	if (!supply_guaranteed(&wv->supply))
		snprintf(wv->reason, sizeof(wv->reason), "%s",
			 supply_reason(&wv->supply));
	if (!wv->nr_items)
		return 0;
	res = calloc(n, sizeof(*res));
	if (!res)
		return -ENOMEM;
	if (scn_domain_edf(sd)) {
		/* The PRM approximation and the design search are FP only. */
		wv->has_approx = false;
		wv->design_what = NULL;
	}
	/* FP bounds; for an EDF guest they stay for its interrupt handlers
	 * and wcrt_edf_vcpu() replaces the tasks' verdicts. */
	rc = wcrt_fp_analyze(b->tasks, n, &wv->supply, NULL, res);
	if (!rc)
		record(b->r, wv, res, false);
	if (!rc && wv->has_approx) {
		rc = wcrt_fp_analyze(b->tasks, n, &wv->approx, NULL, res);
		if (!rc)
			record(b->r, wv, res, true);
	}
	if (!rc && scn_domain_edf(sd) && supply_guaranteed(&wv->supply))
		rc = wcrt_edf_vcpu(b->r, wv, b->tasks, n);
	wv->schedulable = true;
	for (size_t i = 0; i < wv->nr_items; i++)
		wv->schedulable &= b->r->items[wv->first_item + i].met;
	if (!rc && supply_guaranteed(&wv->supply))
		rc = design(b, wv, n);
	free(res);
	return rc;
}

static int alloc_report(struct builder *b)
{
	const struct scenario *scn = b->scn;
	struct wcrt_report *r = b->r;
	size_t nv = 0, ni = 0;

	for (unsigned int d = 0; d < scn->nr_domains; d++) {
		nv += scn->domains[d].nr_vcpus;
		ni += scn->domains[d].nr_tasks + scn->domains[d].nr_irqs;
	}
	r->vcpus = calloc(nv ? nv : 1, sizeof(*r->vcpus));
	r->items = calloc(ni ? ni : 1, sizeof(*r->items));
	b->place = calloc(scn->nr_domains, sizeof(*b->place));
	if (!r->vcpus || !r->items || !b->place)
		return -ENOMEM;
	for (unsigned int d = 0; d < scn->nr_domains; d++) {
		b->place[d] =
		    calloc(scn->domains[d].nr_vcpus, sizeof(**b->place));
		if (!b->place[d])
			return -ENOMEM;
	}
	return 0;
}

int wcrt_scenario_analyze(const struct scenario *scn, FILE *err,
			  struct wcrt_report **out)
{
	struct builder b = {.scn = scn};
	int rc;

	*out = NULL;
	b.r = calloc(1, sizeof(*b.r));
	if (!b.r)
		return -ENOMEM;
	b.r->scn = scn;
	set_costs(b.r, &scn->machine.costs);
	rc = alloc_report(&b);
	if (!rc)
		place_all(&b);
	for (unsigned int d = 0; !rc && d < scn->nr_domains; d++) {
		for (unsigned int v = 0; !rc && v < scn->domains[d].nr_vcpus;
		     v++) {
			struct wcrt_vcpu *wv = &b.r->vcpus[b.r->nr_vcpus++];

			wv->domain = d;
			wv->vcpu = v;
			wv->pcpu =
			    b.place[d][v].waiting ? -1 : b.place[d][v].pcpu;
			wv->sched = scn->pools[scn->domains[d].pool].sched;
			rc = analyze_vcpu(&b, wv);
			if (rc == -EINVAL && err)
				fprintf(
				    err,
				    "%s:%d: domain '%s' vcpu %u: the task set "
				    "cannot be analysed\n",
				    scn->path, scn->domains[d].line,
				    scn->domains[d].name, v);
		}
	}
	for (unsigned int d = 0; b.place && d < scn->nr_domains; d++)
		free(b.place[d]);
	free(b.place);
	free(b.tasks);
	if (rc) {
		wcrt_report_free(b.r);
		return rc;
	}
	*out = b.r;
	return 0;
}

void wcrt_report_free(struct wcrt_report *r)
{
	if (!r)
		return;
	free(r->vcpus);
	free(r->items);
	free(r);
}

const struct wcrt_item *wcrt_report_task(const struct wcrt_report *r,
					 unsigned int domain, unsigned int task)
{
	for (size_t i = 0; i < r->nr_items; i++)
		if (r->items[i].kind == WCRT_ITEM_TASK &&
		    r->items[i].domain == domain && r->items[i].index == task)
			return &r->items[i];
	return NULL;
}
