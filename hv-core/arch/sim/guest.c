/*
 * What runs inside a domain, on the sim port.
 *
 * Each vCPU runs a small fixed-priority preemptive RTOS: interrupt
 * handlers first (in arrival order, one at a time), then the most urgent
 * task with a released job, then a CPU hog if there is one. With nothing
 * to do the guest executes WFI, which traps (Xen's vwfi=trap default) and
 * blocks the vCPU until the next interrupt or timer.
 *
 * Guest code only progresses while its vCPU is on a pCPU and the
 * hypervisor is not busy there. A vCPU's one step event fires when the
 * current item would finish; any hypervisor entry on its pCPU pauses it
 * (progress is accounted up to that instant) and re-arms it on exit.
 *
 * Every measurement the guest makes (raise-to-handler-start, response
 * times, deadline misses) leaves as a trace record: the trace is the
 * only output.
 */
#include <math.h>
#include <stdlib.h>

#include <hv/irq.h>
#include <hv/machine.h>
#include <hv/port.h>
#include <hv/sched.h>
#include <hv/trace.h>

#include "private.h"

/* A runaway task keeps at most this many unfinished jobs. */
#define JOB_BACKLOG_MAX 65536u

hv_time_t guest_draw(struct sim *sim, const struct scn_dist *d)
{
	double x;

	switch (d->kind) {
	case SCN_DIST_UNIFORM: return rng_range(&sim->rng, d->min, d->max);
	case SCN_DIST_NORMAL:
		x = (double)d->mean + (double)d->stddev * rng_normal(&sim->rng);
		x = nearbyint(x);
		if (x < (double)d->min)
			return d->min;
		if (x > (double)d->max)
			return d->max;
		return (hv_time_t)x;
	case SCN_DIST_CONST:
	default: return d->min;
	}
}

static struct sim_job *task_head(struct sim_task *t)
{
	return &t->jobs[t->head];
}

static void guest_account(struct sim *sim, struct sim_vcpu *sv)
{
	hv_time_t ran = sim->now - sv->progress_from;

	if (!sv->on_cpu || ran <= 0)
		return;
	if (sv->cur == ITEM_IRQ)
		sv->irq_remaining -= ran;
	else if (sv->cur == ITEM_TASK)
		task_head(sv->cur_task)->remaining -= ran;
	sv->progress_from = sim->now;
}

/*
 * The hypervisor takes the pCPU for a while. The step event stays queued:
 * the hypervisor's exit either resumes this guest (guest_resume re-arms
 * the event in place, one heap sift instead of two) or switches it out
 * (guest_deschedule cancels it). Nothing can fire in between, because
 * entry and exit happen while one event is being handled.
 */
void guest_pause(struct sim *sim, struct sim_vcpu *sv)
{
	if (!sv->on_cpu)
		return;
	guest_account(sim, sv);
	sv->on_cpu = false;
}

void guest_deschedule(struct sim *sim, struct sim_vcpu *sv)
{
	guest_pause(sim, sv);
	event_queue_cancel(&sim->q, &sv->step_ev);
}

void guest_resume(struct sim *sim, struct sim_vcpu *sv, hv_time_t at)
{
	sv->on_cpu = true;
	sv->progress_from = at;
	sim_arm(sim, &sv->step_ev, at);
}

static uint32_t sv_dv(const struct sim_vcpu *sv)
{
	return trace_dv(sv->v->domain->domid, sv->v->vcpu_id);
}

/* Retire whatever finished exactly now, with its measurement. */
static void guest_retire(struct sim *sim, struct sim_vcpu *sv)
{
	struct machine *m = sim->m;
	unsigned int dom = sv->v->domain->domid;

	if (sv->cur == ITEM_IRQ && sv->irq_started && sv->irq_remaining <= 0) {
		struct sim_pending_irq *pi = &sv->irqs[sv->irq_head];
		uint64_t resp = (uint64_t)(sim->now - pi->raised);

		HV_TRACE(m, HVLAB_GUEST_IRQ_EXIT, trace_dv(dom, pi->irq),
			 sv_dv(sv), (uint32_t)resp, (uint32_t)(resp >> 32));
		sv->irq_head = (sv->irq_head + 1) % sv->irq_cap;
		sv->irq_count--;
		sv->irq_started = false;
	} else if (sv->cur == ITEM_TASK &&
		   task_head(sv->cur_task)->remaining <= 0) {
		struct sim_task *t = sv->cur_task;
		struct sim_job *j = task_head(t);
		uint64_t resp = (uint64_t)(sim->now - j->release);

		HV_TRACE(m, HVLAB_TASK_COMPLETE, trace_dv(dom, t->index),
			 j->seq, (uint32_t)resp, (uint32_t)(resp >> 32),
			 (uint32_t)((hv_time_t)resp > t->cfg->deadline));
		t->head = (t->head + 1) % t->cap;
		t->count--;
	}
	sv->cur = ITEM_NONE;
	sv->cur_task = NULL;
}

/*
 * The task to run: the most urgent with a released job. Fixed priority
 * takes the first in priority order; EDF the earliest absolute deadline
 * of a head job (release + relative deadline), ties to the higher
 * priority, so the choice is deterministic.
 */
static struct sim_task *guest_top_task(struct sim_vcpu *sv)
{
	struct sim_task *best = NULL;
	hv_time_t best_dl = HV_TIME_NEVER;

	for (unsigned int i = 0; i < sv->nr_tasks; i++) {
		struct sim_task *t = sv->tasks[i];
		hv_time_t dl;

		if (!t->count)
			continue;
		if (!sv->edf)
			return t;
		dl = task_head(t)->release + t->cfg->deadline;
		if (dl < best_dl) {
			best = t;
			best_dl = dl;
		}
	}
	return best;
}

void guest_step(struct sim *sim, struct sim_vcpu *sv)
{
	struct machine *m = sim->m;
	unsigned int cpu = sv->v->processor;
	struct sim_task *t;

	sim->cur_cpu = cpu;
	guest_account(sim, sv);
	guest_retire(sim, sv);

	if (sv->irq_count) {
		struct sim_pending_irq *pi = &sv->irqs[sv->irq_head];

		if (!sv->irq_started) {
			uint64_t lat = (uint64_t)(sim->now - pi->raised);

			sv->irq_remaining = guest_draw(
			    sim, &sv->dom_irqs[pi->irq].cfg->handler);
			sv->irq_started = true;
			HV_TRACE(m, HVLAB_GUEST_IRQ_ENTRY,
				 trace_dv(sv->v->domain->domid, pi->irq),
				 sv_dv(sv), (uint32_t)lat,
				 (uint32_t)(lat >> 32));
		}
		sv->cur = ITEM_IRQ;
		sim_arm(sim, &sv->step_ev, sim->now + sv->irq_remaining);
		return;
	}
	t = guest_top_task(sv);
	if (t) {
		sv->cur = ITEM_TASK;
		sv->cur_task = t;
		sim_arm(sim, &sv->step_ev, sim->now + task_head(t)->remaining);
		return;
	}
	if (sv->has_hog) {
		sv->cur = ITEM_HOG; /* runs until something interrupts it */
		return;
	}
	/* Nothing to do: WFI traps and blocks the vCPU. */
	sim_hv_enter(sim, cpu);
	hv_vcpu_block(m, sv->v);
	sim_hv_exit(sim, cpu);
}

/*
 * Like a GIC, an interrupt that is already pending (injected, handler not
 * started) is not queued a second time: the new edge merges into it. This
 * also bounds the queue at two entries per source (one active, one
 * pending), whatever the scenario's rates.
 */
static bool guest_virq_already_pending(const struct sim_vcpu *sv,
				       unsigned int virq)
{
	for (unsigned int i = 0; i < sv->irq_count; i++) {
		const struct sim_pending_irq *pi =
		    &sv->irqs[(sv->irq_head + i) % sv->irq_cap];

		if (pi->irq == virq && !(i == 0 && sv->irq_started))
			return true;
	}
	return false;
}

void guest_virq_pending(struct sim *sim, struct sim_vcpu *sv, unsigned int virq)
{
	if (guest_virq_already_pending(sv, virq)) {
		sim->stats.irqs_merged++;
		return;
	}
	if (sv->irq_count == sv->irq_cap) {
		unsigned int cap = sv->irq_cap ? 2 * sv->irq_cap : 8;
		struct sim_pending_irq *n = malloc(cap * sizeof(*n));

		if (!n)
			abort();
		for (unsigned int i = 0; i < sv->irq_count; i++)
			n[i] = sv->irqs[(sv->irq_head + i) % sv->irq_cap];
		free(sv->irqs);
		sv->irqs = n;
		sv->irq_head = 0;
		sv->irq_cap = cap;
	}
	sv->irqs[(sv->irq_head + sv->irq_count) % sv->irq_cap] =
	    (struct sim_pending_irq){.irq = virq, .raised = sim->irq_raised_at};
	sv->irq_count++;
	/* Running on another pCPU: that pCPU must take a maintenance kick
	 * to see the new list register. */
	if (sv->on_cpu && sv->v->processor != sim->cur_cpu)
		arch_ipi_send(sim->m, sv->v->processor);
}

static int task_push_job(struct sim *sim, struct sim_task *t)
{
	if (t->count == t->cap) {
		unsigned int cap = t->cap ? 2 * t->cap : 4;
		struct sim_job *n;

		if (t->cap >= JOB_BACKLOG_MAX)
			return -1;
		n = malloc(cap * sizeof(*n));
		if (!n)
			abort();
		for (unsigned int i = 0; i < t->count; i++)
			n[i] = t->jobs[(t->head + i) % t->cap];
		free(t->jobs);
		t->jobs = n;
		t->head = 0;
		t->cap = cap;
	}
	t->jobs[(t->head + t->count) % t->cap] = (struct sim_job){
	    .release = sim->now,
	    .remaining = guest_draw(sim, &t->cfg->exec),
	    .seq = t->next_seq++,
	};
	t->count++;
	return 0;
}

void guest_task_release(struct sim *sim, struct sim_task *t)
{
	struct machine *m = sim->m;
	struct vcpu *v = t->sv->v;
	unsigned int cpu = v->processor;
	const struct scn_task *c = t->cfg;

	sim->cur_cpu = cpu;
	if (task_push_job(sim, t)) {
		sim->stats.backlog_overflows++;
	} else {
		HV_TRACE(m, HVLAB_TASK_RELEASE,
			 trace_dv(v->domain->domid, t->index), t->next_seq - 1);
		/* The guest's timer interrupt: a virtual timer injection. */
		sim_hv_enter(sim, cpu);
		sim_hv_charge(sim, cpu, sim->costs.virq_inject);
		hv_vcpu_wake(m, v);
		sim_hv_exit(sim, cpu);
	}
	if (c->sporadic) {
		sim_arm(sim, &t->release_ev,
			sim->now + rng_range(&sim->rng, c->period,
					     c->max_interarrival));
	} else {
		t->next_nominal += c->period; /* no drift: offset + k*period */
		sim_arm(sim, &t->release_ev, t->next_nominal);
	}
}

void guest_irq_fire(struct sim *sim, struct sim_irq *irq)
{
	const struct scn_irq *c = irq->cfg;
	unsigned int cpu = irq_target_cpu(sim->m, irq->pirq);

	sim->irq_raised_at = sim->now;
	sim_hv_enter(sim, cpu);
	hv_irq_raise(sim->m, irq->pirq);
	sim_hv_exit(sim, cpu);

	if (c->sporadic) {
		sim_arm(sim, &irq->raise_ev,
			sim->now + c->period +
			    rng_range(&sim->rng, 0, c->jitter));
	} else {
		irq->next_nominal += c->period;
		sim_arm(sim, &irq->raise_ev,
			irq->next_nominal + rng_range(&sim->rng, 0, c->jitter));
	}
}

void guest_free(struct sim *sim)
{
	for (unsigned int i = 0; i < sim->nr_vcpus; i++) {
		free(sim->vcpus[i].irqs);
		free(sim->vcpus[i].tasks);
	}
	for (unsigned int i = 0; i < sim->nr_tasks; i++)
		free(sim->tasks[i].jobs);
	free(sim->vcpus);
	free(sim->tasks);
	free(sim->irqs);
	sim->vcpus = NULL;
	sim->tasks = NULL;
	sim->irqs = NULL;
}
