/*
 * The sim port: the port interface on top of a discrete-event queue, the
 * hypervisor cost model, and the main loop.
 *
 * Hypervisor time on a pCPU is modelled as a busy interval. Every entry
 * into the hypervisor (timer, IPI, physical IRQ, guest trap) pauses the
 * guest running there, charges trap entry, whatever work the entry does
 * (scheduler run, context switch, vIRQ injection) and trap exit, and the
 * guest resumes when the interval ends. The core's own state changes at
 * the instant of the event; only guest progress is delayed. So a
 * scheduler that switches more often, or an interrupt path that costs
 * more, shows up directly as lost guest time and longer latencies.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hv/irq.h>
#include <hv/machine.h>
#include <hv/port.h>
#include <hv/sched.h>
#include <hv/timer.h>
#include <hv/trace.h>

#include "private.h"
#include "tracing/trace_file.h"
#include "tracing/trace_ring.h"

/* ---- the port interface ---- */

hv_time_t arch_clock_now(struct machine *m)
{
	return sim_of(m)->now;
}

unsigned int arch_cpu_id(struct machine *m)
{
	return sim_of(m)->cur_cpu;
}

void arch_timer_program(struct machine *m, unsigned int cpu, hv_time_t deadline)
{
	struct sim *sim = sim_of(m);
	struct sim_event *e = &sim->pcpus[cpu].timer_ev;

	if (deadline == HV_TIME_NEVER) {
		event_queue_cancel(&sim->q, e);
		return;
	}
	sim_arm(sim, e, deadline < sim->now ? sim->now : deadline);
}

void arch_ipi_send(struct machine *m, unsigned int cpu)
{
	struct sim *sim = sim_of(m);
	struct sim_event *e = &sim->pcpus[cpu].ipi_ev;

	/* One SGI in flight per pCPU is enough: the softirq flag coalesces. */
	if (!sim_event_queued(e))
		sim_arm(sim, e, sim->now + sim->costs.ipi);
}

void arch_context_switch(struct machine *m, unsigned int cpu, struct vcpu *prev,
			 struct vcpu *next)
{
	struct sim *sim = sim_of(m);

	sim_hv_charge(sim, cpu, sim->costs.ctx_switch);
	if (!prev->is_idle)
		guest_deschedule(sim, sim_vcpu_of(prev));
	/* next resumes when the hypervisor leaves this pCPU (sim_hv_exit) */
	(void)next;
}

void arch_virq_inject(struct machine *m, struct vcpu *v, unsigned int virq)
{
	struct sim *sim = sim_of(m);

	sim_hv_charge(sim, sim->cur_cpu, sim->costs.virq_inject);
	guest_virq_pending(sim, sim_vcpu_of(v), virq);
}

void arch_cpu_idle(struct machine *m, unsigned int cpu)
{
	/* Idle time is simply the absence of events on this pCPU. */
	(void)m;
	(void)cpu;
}

/* ---- the hypervisor on a pCPU ---- */

void sim_arm(struct sim *sim, struct sim_event *e, hv_time_t when)
{
	/* Only fails on ENOMEM while growing the queue, which is sized for
	 * every event that can be armed at once; treat it as fatal. */
	if (event_queue_arm(&sim->q, e, when))
		abort();
}

void sim_hv_charge(struct sim *sim, unsigned int cpu, hv_time_t cost)
{
	struct sim_pcpu *sp = &sim->pcpus[cpu];

	sp->busy_until += cost;
	sp->hv_time += cost;
}

void sim_hv_enter(struct sim *sim, unsigned int cpu)
{
	struct sim_pcpu *sp = &sim->pcpus[cpu];
	struct vcpu *curr = sim->m->pcpus[cpu].curr;

	sim->cur_cpu = cpu;
	if (!curr->is_idle)
		guest_pause(sim, sim_vcpu_of(curr));
	if (sp->busy_until < sim->now)
		sp->busy_until = sim->now;
	sim_hv_charge(sim, cpu, sim->costs.trap_entry);
}

void sim_hv_exit(struct sim *sim, unsigned int cpu)
{
	struct machine *m = sim->m;
	uint64_t before = m->sched_invocations;
	struct vcpu *curr;

	sim->cur_cpu = cpu;
	hv_do_softirq(m, cpu);
	sim_hv_charge(sim, cpu,
		      (hv_time_t)(m->sched_invocations - before) *
			  sim->costs.sched_invoke);
	sim_hv_charge(sim, cpu, sim->costs.trap_exit);
	curr = m->pcpus[cpu].curr;
	if (!curr->is_idle)
		guest_resume(sim, sim_vcpu_of(curr),
			     sim->pcpus[cpu].busy_until);
}

/* ---- events ---- */

static void handle_event(struct sim *sim, struct sim_event *e)
{
	unsigned int cpu;

	switch (e->kind) {
	case EV_TIMER:
		cpu = e->arg;
		sim_hv_enter(sim, cpu);
		hv_timer_interrupt(sim->m, cpu);
		sim_hv_exit(sim, cpu);
		break;
	case EV_IPI:
		cpu = e->arg;
		sim_hv_enter(sim, cpu);
		sim_hv_exit(sim, cpu);
		break;
	case EV_STEP: guest_step(sim, &sim->vcpus[e->arg]); break;
	case EV_RELEASE: guest_task_release(sim, &sim->tasks[e->arg]); break;
	case EV_IRQ: guest_irq_fire(sim, &sim->irqs[e->arg]); break;
	}
}

/* ---- the trace consumer: the sim's xentrace ---- */

/* One window as xentrace writes it: one CPU-change header, both pieces. */
static void sim_trace_sink(void *ctx, unsigned int cpu, const void *a,
			   size_t alen, const void *b, size_t blen)
{
	struct sim *sim = ctx;

	if (blen) {
		memcpy(sim->trace_scratch, a, alen);
		memcpy(sim->trace_scratch + alen, b, blen);
		a = sim->trace_scratch;
		alen += blen;
	}
	trace_file_write_window(sim->trace_file, cpu, a, alen);
}

void sim_trace_drain(struct sim *sim)
{
	for (unsigned int cpu = 0; cpu < sim->m->nr_pcpus; cpu++)
		if (trace_ring_drain(sim->trace, cpu, sim_trace_sink, sim) < 0)
			hv_trace_disable(sim->m); /* corrupt: see finish */
}

/*
 * VIRQ_TBUF: on hardware xentrace wakes up later; here the consumer runs
 * on the host, so it drains at once, the producer's record complete.
 */
void sim_trace_notify(void *ctx, unsigned int cpu)
{
	struct sim *sim = ctx;

	(void)cpu; /* xentrace drains every pCPU when woken */
	if (sim->trace_drain_on_notify)
		sim_trace_drain(sim);
}

/* xentrace -s: the poll timer fired at or before @now. */
static void sim_trace_poll(struct sim *sim, hv_time_t now)
{
	sim_trace_drain(sim);
	while (sim->trace_next_poll <= now)
		sim->trace_next_poll += sim->opt.trace_poll_ns;
}

int sim_run_until(struct sim *sim, hv_time_t until)
{
	uint64_t next_progress = sim->stats.events + (1u << 16);

	if (until > sim->end)
		until = sim->end;
	while (event_queue_peek_time(&sim->q) <= until) {
		struct sim_event *e = event_queue_pop(&sim->q);

		if (e->time >= sim->trace_next_poll)
			sim_trace_poll(sim, e->time);
		sim->now = e->time;
		handle_event(sim, e);
		sim->stats.events++;
		if (sim->opt.after_event)
			sim->opt.after_event(sim->opt.after_event_ctx, sim);
		if (sim->stats.events >= next_progress) {
			next_progress += 1u << 16;
			if (sim->opt.progress)
				sim->opt.progress(sim->opt.progress_ctx,
						  sim->now, sim->end);
		}
	}
	if (sim->now < until)
		sim->now = until;
	return 0;
}

/* ---- life cycle ---- */

int sim_create(const struct scenario *scn, const struct sim_options *opt,
	       FILE *err, struct sim **out)
{
	struct sim *sim;
	int rc;

	*out = NULL;
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return -ENOMEM;
	sim->scn = scn;
	sim->err = err;
	sim->trace_next_poll = HV_TIME_NEVER;
	if (opt)
		sim->opt = *opt;
	sim->costs = scn->machine.costs;
	sim->end = scn->duration;
	rng_seed(&sim->rng, scn->seed);
	rc = event_queue_init(&sim->q, 64);
	if (!rc)
		rc = sim_build(sim, err);
	if (rc) {
		sim_destroy(sim);
		return rc;
	}
	*out = sim;
	return 0;
}

/*
 * xentrace's exit: a final pass over every ring. Counters go to the
 * stats; a corrupt ring is reported on the run's error stream.
 */
static int sim_close_trace(struct sim *sim, bool report)
{
	const struct trace_ring_error *terr;
	struct trace_ring_stats ts;
	int rc = 0;

	if (sim->trace) {
		sim_trace_drain(sim);
		trace_ring_get_stats(sim->trace, -1u, &ts);
		sim->stats.trace_records = ts.stored;
		sim->stats.trace_lost = ts.lost;
		terr = trace_ring_error(sim->trace);
		sim->stats.trace_errors = terr != NULL;
		if (terr && report && sim->err)
			fprintf(sim->err,
				"%s: tracing stopped: pCPU %u's ring header is "
				"corrupt (%s: prod %#x, cons %#x); the trace "
				"ends there\n",
				sim->opt.trace_path, terr->cpu, terr->what,
				terr->prod, terr->cons);
		if (sim->m)
			hv_trace_attach(sim->m, NULL);
		trace_ring_destroy(sim->trace);
		sim->trace = NULL;
	}
	free(sim->trace_scratch);
	sim->trace_scratch = NULL;
	if (sim->trace_file) {
		rc = trace_file_close(sim->trace_file);
		sim->trace_file = NULL;
	}
	return rc;
}

/*
 * The end of the run, before RUN_END: drain, so RUN_END and the notes
 * find room even in a full ring, then announce what each pCPU lost since
 * its last record (Xen would only do so with its next record).
 */
static void sim_trace_last_notes(struct sim *sim)
{
	if (!sim->trace)
		return;
	sim_trace_drain(sim);
	for (unsigned int cpu = 0; cpu < sim->m->nr_pcpus; cpu++)
		if (trace_ring_write_lost_note(sim->trace, cpu,
					       (uint64_t)sim->now) == -EIO)
			hv_trace_disable(sim->m);
}

int sim_finish(struct sim *sim, struct sim_stats *stats)
{
	struct machine *m = sim->m;
	int rc;

	/* The span is [0, end): an event due exactly at the end is not run. */
	rc = sim_run_until(sim, sim->end - 1);
	if (rc)
		return rc;
	sim->now = sim->end;
	sim->cur_cpu = 0;
	sim_trace_last_notes(sim);
	HV_TRACE(m, HVLAB_RUN_END, (uint32_t)sim->end,
		 (uint32_t)((uint64_t)sim->end >> 32));
	sim->stats.sched_invocations = m->sched_invocations;
	sim->stats.context_switches = m->context_switches;
	sim->stats.wakeups = m->wakeups;
	sim->stats.sched_errors = m->sched_errors;
	sim->stats.end = sim->end;
	rc = sim_close_trace(sim, true);
	sim->finished = true;
	if (stats)
		*stats = sim->stats;
	return rc;
}

void sim_destroy(struct sim *sim)
{
	if (!sim)
		return;
	sim_close_trace(sim, false);
	guest_free(sim);
	machine_destroy(sim->m);
	event_queue_fini(&sim->q);
	free(sim->pcpus);
	free(sim);
}

struct machine *sim_machine(struct sim *sim)
{
	return sim->m;
}

hv_time_t sim_now(const struct sim *sim)
{
	return sim->now;
}

int sim_run_scenario(const struct scenario *scn, const struct sim_options *opt,
		     struct sim_stats *stats, FILE *err)
{
	struct sim *sim;
	int rc = sim_create(scn, opt, err, &sim);

	if (rc)
		return rc;
	rc = sim_finish(sim, stats);
	sim_destroy(sim);
	return rc;
}
