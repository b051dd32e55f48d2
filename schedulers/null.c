/*
 * The null scheduler: each vCPU owns one pCPU, forever.
 *
 * Design: static 1:1 assignment, as Xen's common/sched/null.c. A vCPU is
 * given a pCPU when it is inserted: its current pCPU if that is free and
 * allowed, else the first free pCPU in its hard affinity. When none is
 * free it joins a FIFO waitqueue and is traced (HVLAB_NULL_WAITING) so the
 * run's report names it: it never runs until a pCPU is released. There is
 * no runqueue, no time accounting and no scheduler timer: do_schedule
 * returns the assigned vCPU when it is runnable, idle otherwise, and never
 * asks to be called back (slice -1).
 *
 * Locking: one lock per pool guards the free mask, the waitqueue and the
 * per-pCPU assignment; the core holds it around every hook.
 */
#include <errno.h>
#include <stdlib.h>

#include <hv/sched.h>
#include <hv/trace.h>

#include "registry.h"

struct null_unit {
	struct vcpu *vcpu;
	int assigned_cpu; /* -1 while waiting */
	struct null_unit *wq_next; /* FIFO link while waiting */
	bool waiting;
};

struct null_pcpu {
	struct null_unit *unit; /* the one vCPU this pCPU runs, or NULL */
};

struct null_private {
	struct cpumask cpus_free;
	struct null_unit *wq_head, *wq_tail;
	unsigned int nr_waiting;
};

static struct null_private *null_priv(const struct scheduler *s)
{
	return s->sched_data;
}

static struct null_pcpu *null_pcpu(const struct scheduler *s, unsigned int cpu)
{
	return s->m->pcpus[cpu].sched_priv;
}

static uint32_t null_dv(const struct vcpu *v)
{
	return trace_dv(v->domain->domid, v->vcpu_id);
}

static int null_init(struct scheduler *s)
{
	s->sched_data = calloc(1, sizeof(struct null_private));
	return s->sched_data ? 0 : -ENOMEM;
}

static void null_deinit(struct scheduler *s)
{
	free(s->sched_data);
	s->sched_data = NULL;
}

static int null_switch_sched(struct scheduler *s, unsigned int cpu)
{
	struct null_pcpu *np = calloc(1, sizeof(*np));

	if (!np)
		return -ENOMEM;
	s->m->pcpus[cpu].sched_priv = np;
	cpumask_set(&null_priv(s)->cpus_free, cpu);
	return 0;
}

static void null_free_pdata(struct scheduler *s, unsigned int cpu)
{
	free(s->m->pcpus[cpu].sched_priv);
	s->m->pcpus[cpu].sched_priv = NULL;
}

static int null_alloc_udata(struct scheduler *s, struct vcpu *v)
{
	struct null_unit *nu = calloc(1, sizeof(*nu));

	(void)s;
	if (!nu)
		return -ENOMEM;
	nu->vcpu = v;
	nu->assigned_cpu = -1;
	v->sched_priv = nu;
	return 0;
}

static void null_free_udata(struct scheduler *s, struct vcpu *v)
{
	(void)s;
	free(v->sched_priv);
	v->sched_priv = NULL;
}

/* A free pCPU @v may use: its current one first (no move), else the
 * lowest-numbered free pCPU in its hard affinity; -1 when none. */
static int null_free_cpu_for(struct scheduler *s, const struct vcpu *v)
{
	struct cpumask cand;

	if (cpumask_test(&null_priv(s)->cpus_free, v->processor) &&
	    cpumask_test(&v->hard_affinity, v->processor))
		return (int)v->processor;
	if (!cpumask_and(&cand, &null_priv(s)->cpus_free, &v->hard_affinity))
		return -1;
	return (int)cpumask_first(&cand);
}

static unsigned int null_pick_resource(struct scheduler *s, struct vcpu *v)
{
	struct null_unit *nu = v->sched_priv;
	int cpu;

	if (nu->assigned_cpu >= 0)
		return (unsigned int)nu->assigned_cpu;
	cpu = null_free_cpu_for(s, v);
	if (cpu < 0) /* waits; park it on an allowed pCPU meanwhile */
		return cpumask_test(&v->hard_affinity, v->processor)
			   ? v->processor
			   : cpumask_first(&v->hard_affinity);
	HV_TRACE(s->m, NULL_PICKED_CPU, null_dv(v), (uint32_t)cpu);
	return (unsigned int)cpu;
}

static void null_assign(struct scheduler *s, struct null_unit *nu,
			unsigned int cpu)
{
	nu->assigned_cpu = (int)cpu;
	nu->vcpu->processor = cpu;
	null_pcpu(s, cpu)->unit = nu;
	cpumask_unset(&null_priv(s)->cpus_free, cpu);
	HV_TRACE(s->m, NULL_UNIT_ASSIGN, null_dv(nu->vcpu), cpu);
}

static void null_wq_append(struct scheduler *s, struct null_unit *nu)
{
	struct null_private *np = null_priv(s);

	nu->waiting = true;
	nu->wq_next = NULL;
	if (np->wq_tail)
		np->wq_tail->wq_next = nu;
	else
		np->wq_head = nu;
	np->wq_tail = nu;
	np->nr_waiting++;
	HV_TRACE(s->m, HVLAB_NULL_WAITING, null_dv(nu->vcpu));
}

/* Hand @cpu to the first waiting vCPU allowed there, FIFO order. */
static void null_wq_serve(struct scheduler *s, unsigned int cpu)
{
	struct null_private *np = null_priv(s);
	struct null_unit **link = &np->wq_head, *prev = NULL;

	for (struct null_unit *nu = np->wq_head; nu;
	     prev = nu, link = &nu->wq_next, nu = nu->wq_next) {
		if (!cpumask_test(&nu->vcpu->hard_affinity, cpu))
			continue;
		*link = nu->wq_next;
		if (np->wq_tail == nu)
			np->wq_tail = prev;
		nu->waiting = false;
		np->nr_waiting--;
		null_assign(s, nu, cpu);
		return;
	}
}

static int null_insert_unit(struct scheduler *s, struct vcpu *v)
{
	struct null_unit *nu = v->sched_priv;
	int cpu = null_free_cpu_for(s, v);

	if (cpu < 0)
		null_wq_append(s, nu);
	else
		null_assign(s, nu, (unsigned int)cpu);
	return 0;
}

static void null_remove_unit(struct scheduler *s, struct vcpu *v)
{
	struct null_unit *nu = v->sched_priv;
	struct null_private *np = null_priv(s);

	if (nu->waiting) {
		struct null_unit **link = &np->wq_head, *prev = NULL;

		while (*link != nu) {
			prev = *link;
			link = &(*link)->wq_next;
		}
		*link = nu->wq_next;
		if (np->wq_tail == nu)
			np->wq_tail = prev;
		nu->waiting = false;
		np->nr_waiting--;
		return;
	}
	if (nu->assigned_cpu >= 0) {
		unsigned int cpu = (unsigned int)nu->assigned_cpu;

		HV_TRACE(s->m, NULL_UNIT_DEASSIGN, null_dv(v), cpu);
		null_pcpu(s, cpu)->unit = NULL;
		nu->assigned_cpu = -1;
		cpumask_set(&np->cpus_free, cpu);
		null_wq_serve(s, cpu);
		sched_tickle(s->m, cpu);
	}
}

static void null_wake(struct scheduler *s, struct vcpu *v)
{
	struct null_unit *nu = v->sched_priv;

	/* A waiting vCPU has nowhere to run; its owner pCPU is idle or not. */
	if (nu->assigned_cpu >= 0 && !v->is_running)
		sched_tickle(s->m, (unsigned int)nu->assigned_cpu);
}

static void null_sleep(struct scheduler *s, struct vcpu *v)
{
	if (v->is_running)
		sched_tickle(s->m, v->processor);
}

static struct sched_decision null_do_schedule(struct scheduler *s,
					      unsigned int cpu, hv_time_t now,
					      struct vcpu *prev)
{
	struct null_pcpu *np = null_pcpu(s, cpu);
	struct sched_decision d = {.next = NULL, .slice = -1};
	uint32_t unit_dom = 0xffffffffu; /* i16 unit, i16 dom: -1, -1 */

	(void)now;
	(void)prev;
	if (!np->unit && null_priv(s)->nr_waiting)
		null_wq_serve(s, cpu);
	if (np->unit) {
		struct vcpu *v = np->unit->vcpu;

		unit_dom = trace_dv(v->domain->domid, v->vcpu_id);
		if (vcpu_runnable(v))
			d.next = v;
	}
	/* Xen's payload: u16 tasklet, u16 cpu, i16 unit, i16 dom. */
	HV_TRACE(s->m, NULL_SCHEDULE, cpu << 16, unit_dom);
	return d;
}

const struct sched_ops sched_null_ops = {
    .name = "null Scheduler",
    .opt_name = "null",
    .sched_id = XEN_SCHEDULER_NULL,
    .init = null_init,
    .deinit = null_deinit,
    .switch_sched = null_switch_sched,
    .free_pdata = null_free_pdata,
    .alloc_udata = null_alloc_udata,
    .free_udata = null_free_udata,
    .insert_unit = null_insert_unit,
    .remove_unit = null_remove_unit,
    .pick_resource = null_pick_resource,
    .wake = null_wake,
    .sleep = null_sleep,
    .do_schedule = null_do_schedule,
};
