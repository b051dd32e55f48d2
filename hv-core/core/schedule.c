/*
 * The scheduling core: runstates, the schedule softirq, wake/block/yield.
 *
 * The flow follows Xen's common/sched/core.c. An event (wake-up, timer,
 * block) asks a pCPU to reschedule with sched_tickle(), which marks the
 * pCPU's softirq pending and, for a remote pCPU, sends an IPI. The port
 * runs hv_do_softirq() on every exit to a guest; hv_schedule() then asks
 * the pool's scheduler for a decision, arms the scheduler timer, updates
 * runstates, traces the switch and calls the port to switch context.
 */
#include <hv/machine.h>
#include <hv/port.h>
#include <hv/sched.h>
#include <hv/trace.h>

#include "private.h"

static inline uint32_t dom_of(const struct vcpu *v)
{
	return v->domain->domid;
}

void vcpu_runstate_change(struct machine *m, struct vcpu *v,
			  enum runstate new_state, hv_time_t now)
{
	enum runstate old = v->runstate;
	uint32_t dv;

	if (old == new_state)
		return;
	/* The trace ID encodes both states, as Xen's RUNSTATE_CHANGE does;
	 * the states sit below the class bits, so the filter is tested on
	 * a constant ID. */
	if (hv_trace_wanted(m, TRC_RUNSTATE_ID(0, 0))) {
		dv = trace_dv(dom_of(v), v->vcpu_id);
		hv_trace_emit(m, TRC_RUNSTATE_ID(old, new_state), 1, &dv);
	}
	v->time_in_state[old] += now - v->state_entry_time;
	v->state_entry_time = now;
	v->runstate = new_state;
}

unsigned int sched_this_cpu(struct machine *m)
{
	return arch_cpu_id(m);
}

hv_time_t sched_now(struct machine *m)
{
	return arch_clock_now(m);
}

void sched_tickle(struct machine *m, unsigned int cpu)
{
	struct pcpu *p = pcpu_of(m, cpu);

	if (p->softirq_pending)
		return;
	p->softirq_pending = true;
	/* The local pCPU runs its softirqs on the way back to the guest. */
	if (cpu != arch_cpu_id(m))
		arch_ipi_send(m, cpu);
}

/*
 * A scheduler returned something it must not: a vCPU that is not
 * runnable, outside its hard affinity, or already running elsewhere.
 * Run idle instead and count it; the conformance suite asserts the count
 * stays zero.
 */
static bool decision_is_valid(const struct vcpu *next, const struct vcpu *prev,
			      unsigned int cpu)
{
	if (next->is_idle)
		return next->processor == cpu;
	return vcpu_runnable(next) && cpumask_test(&next->hard_affinity, cpu) &&
	       (!next->is_running || next == prev);
}

static enum runstate runstate_when_descheduled(const struct vcpu *v)
{
	if (v->offline)
		return RUNSTATE_OFFLINE;
	return v->blocked ? RUNSTATE_BLOCKED : RUNSTATE_RUNNABLE;
}

void hv_schedule(struct machine *m, unsigned int cpu)
{
	struct pcpu *p = pcpu_of(m, cpu);
	struct scheduler *s = p->pool ? p->pool->sched : NULL;
	hv_time_t now = arch_clock_now(m);
	struct vcpu *prev = p->curr, *next;
	struct sched_decision d = {.next = NULL, .slice = -1};
	/* curr has been RUNNING since it was switched in: its runstate
	 * entry time is its switch-in time. */
	hv_time_t ran = now - prev->state_entry_time;
	hv_time_t waited;

	p->softirq_pending = false;
	timer_stop(m, &p->s_timer);
	m->sched_invocations++;
	if (s)
		d = s->ops->do_schedule(s, cpu, now, prev);
	next = d.next ? d.next : &p->idle;
	if (!decision_is_valid(next, prev, cpu)) {
		m->sched_errors++;
		next = &p->idle;
		d.slice = -1;
	}
	if (d.slice >= 0)
		timer_set(m, &p->s_timer, now + d.slice);

	if (next == prev) {
		HV_TRACE(m, SWITCH_INFCONT, dom_of(prev), prev->vcpu_id,
			 (uint32_t)ran, (uint32_t)d.slice);
		HV_TRACE(m, CONTINUE_RUNNING,
			 trace_dv(dom_of(prev), prev->vcpu_id));
		return;
	}

	HV_TRACE(m, SWITCH_INFPREV, dom_of(prev), prev->vcpu_id, (uint32_t)ran);
	waited = next->runstate == RUNSTATE_RUNNABLE
		     ? now - next->state_entry_time
		     : 0;
	vcpu_runstate_change(m, prev,
			     prev->is_idle ? RUNSTATE_RUNNABLE
					   : runstate_when_descheduled(prev),
			     now);
	vcpu_runstate_change(m, next, RUNSTATE_RUNNING, now);
	HV_TRACE(m, SWITCH_INFNEXT, dom_of(next), next->vcpu_id,
		 (uint32_t)waited, (uint32_t)d.slice);
	HV_TRACE(m, SWITCH, dom_of(prev), prev->vcpu_id, dom_of(next),
		 next->vcpu_id);

	prev->is_running = false;
	next->is_running = true;
	next->processor = cpu;
	p->curr = next;
	m->context_switches++;
	arch_context_switch(m, cpu, prev, next);
	if (!prev->is_idle)
		sched_context_saved(vcpu_scheduler(prev), prev);
	if (next->is_idle)
		arch_cpu_idle(m, cpu);
}

void hv_do_softirq(struct machine *m, unsigned int cpu)
{
	/*
	 * A decision can tickle its own pCPU again (a scheduler that wants a
	 * second look); bound the loop so a buggy one cannot hang the pCPU.
	 */
	for (int i = 0; i < 4 && pcpu_of(m, cpu)->softirq_pending; i++)
		hv_schedule(m, cpu);
}

void hv_vcpu_block(struct machine *m, struct vcpu *v)
{
	if (v->blocked || v->is_idle)
		return;
	v->blocked = true;
	HV_TRACE(m, BLOCK, dom_of(v), v->vcpu_id);
	/* Like Xen's vcpu_block: no sleep hook, do_schedule sees !runnable. */
	if (v->is_running)
		sched_tickle(m, v->processor);
	else
		vcpu_runstate_change(m, v, RUNSTATE_BLOCKED, arch_clock_now(m));
}

void hv_vcpu_wake(struct machine *m, struct vcpu *v)
{
	if (!v->blocked || v->is_idle)
		return;
	v->blocked = false;
	HV_TRACE(m, WAKE, dom_of(v), v->vcpu_id);
	if (v->offline)
		return;
	if (!v->is_running)
		vcpu_runstate_change(m, v, RUNSTATE_RUNNABLE,
				     arch_clock_now(m));
	m->wakeups++;
	sched_wake(vcpu_scheduler(v), v);
}

void hv_vcpu_sleep(struct machine *m, struct vcpu *v)
{
	if (v->offline || v->is_idle)
		return;
	v->offline = true;
	HV_TRACE(m, SLEEP, dom_of(v), v->vcpu_id);
	/* Xen's vcpu_sleep_nosync: the scheduler dequeues it, or pokes its
	 * pCPU so do_schedule replaces it there. */
	sched_sleep(vcpu_scheduler(v), v);
	if (v->is_running)
		sched_tickle(m, v->processor);
	else
		vcpu_runstate_change(m, v, RUNSTATE_OFFLINE, arch_clock_now(m));
}

void hv_vcpu_yield(struct machine *m, struct vcpu *v)
{
	if (v->is_idle || !v->is_running)
		return;
	HV_TRACE(m, YIELD, dom_of(v), v->vcpu_id);
	sched_yield(vcpu_scheduler(v), v);
	sched_tickle(m, v->processor);
}

void vcpu_bring_up(struct machine *m, struct vcpu *v)
{
	if (!v->offline)
		return;
	v->offline = false;
	vcpu_runstate_change(m, v,
			     v->blocked ? RUNSTATE_BLOCKED : RUNSTATE_RUNNABLE,
			     arch_clock_now(m));
	if (!v->blocked)
		sched_wake(vcpu_scheduler(v), v);
}
