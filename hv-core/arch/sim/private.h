/*
 * Sim port internals shared by sim.c (event loop, port functions, costs),
 * guest.c (what runs inside a domain) and build.c (scenario -> machine).
 */
#ifndef HV_SIM_PRIVATE_H
#define HV_SIM_PRIVATE_H

#include <hv/machine.h>

#include "event_queue.h"
#include "rng.h"
#include "scenario/scenario.h"
#include "sim.h"

struct trace_ring;
struct trace_file;

enum sim_event_kind {
	EV_TIMER, /* a pCPU's hypervisor timer fires; arg = cpu */
	EV_IPI, /* a schedule IPI reaches a pCPU; arg = cpu */
	EV_STEP, /* a running guest's next step; arg = sim vCPU index */
	EV_RELEASE, /* a task releases a job; arg = task index */
	EV_IRQ, /* an interrupt source fires; arg = irq index */
};

struct sim_pcpu {
	struct sim_event timer_ev;
	struct sim_event ipi_ev;
	hv_time_t busy_until; /* the hypervisor works on this pCPU until */
	hv_time_t hv_time; /* total time charged to the hypervisor */
};

/* One released, unfinished job: FIFO per task. */
struct sim_job {
	hv_time_t release;
	hv_time_t remaining;
	uint32_t seq;
};

struct sim_task {
	const struct scn_task *cfg;
	struct sim_vcpu *sv;
	unsigned int index; /* within its domain */
	struct sim_event release_ev;
	hv_time_t next_nominal; /* periodic: offset + k * period */
	uint32_t next_seq;
	struct sim_job *jobs; /* ring */
	unsigned int head, count, cap;
};

struct sim_pending_irq {
	unsigned int irq; /* index within the domain */
	hv_time_t raised;
};

struct sim_irq {
	const struct scn_irq *cfg;
	struct sim_vcpu *sv;
	unsigned int index; /* within its domain */
	unsigned int pirq; /* the machine's physical IRQ number */
	struct sim_event raise_ev;
	hv_time_t next_nominal;
};

enum guest_item { ITEM_NONE, ITEM_IRQ, ITEM_TASK, ITEM_HOG };

/* The guest side of one vCPU: a fixed-priority preemptive RTOS. */
struct sim_vcpu {
	struct vcpu *v;
	struct sim_event step_ev;
	struct sim_irq *dom_irqs; /* the domain's interrupt sources */
	struct sim_task **tasks; /* by priority, most urgent first */
	bool edf; /* tasks by earliest absolute deadline, not priority */
	unsigned int nr_tasks;
	bool has_hog;
	/* injected vIRQs whose handlers have not finished: FIFO */
	struct sim_pending_irq *irqs;
	unsigned int irq_head, irq_count, irq_cap;
	hv_time_t irq_remaining; /* of the head handler, once started */
	bool irq_started;
	/* execution */
	bool on_cpu;
	hv_time_t progress_from; /* guest code runs from here on */
	enum guest_item cur;
	struct sim_task *cur_task;
};

struct sim {
	struct machine *m;
	const struct scenario *scn;
	struct sim_options opt;
	struct scn_costs costs;
	struct event_queue q;
	struct rng rng;
	hv_time_t now;
	hv_time_t end;
	unsigned int cur_cpu;
	hv_time_t irq_raised_at; /* raise time of the IRQ being delivered */

	struct sim_pcpu *pcpus;
	struct sim_vcpu *vcpus;
	unsigned int nr_vcpus;
	struct sim_task *tasks;
	unsigned int nr_tasks;
	struct sim_irq *irqs;
	unsigned int nr_irqs;

	/* The trace: the rings, and the sim's xentrace draining them. */
	struct trace_ring *trace;
	struct trace_file *trace_file;
	unsigned char *trace_scratch; /* joins a wrapped window */
	bool trace_drain_on_notify; /* high water: drain now */
	hv_time_t trace_next_poll; /* periodic drain, or HV_TIME_NEVER */
	FILE *err; /* where the run's messages go */

	struct sim_stats stats;
	bool finished;
};

static inline struct sim *sim_of(struct machine *m)
{
	return m->port;
}

static inline struct sim_vcpu *sim_vcpu_of(const struct vcpu *v)
{
	return v->port_priv;
}

/* sim.c: entering and leaving the hypervisor on a pCPU, and charging
 * the cost model. */
void sim_hv_enter(struct sim *sim, unsigned int cpu);
void sim_hv_charge(struct sim *sim, unsigned int cpu, hv_time_t cost);
void sim_hv_exit(struct sim *sim, unsigned int cpu);
void sim_arm(struct sim *sim, struct sim_event *e, hv_time_t when);

/* guest.c */
void guest_step(struct sim *sim, struct sim_vcpu *sv);
void guest_pause(struct sim *sim, struct sim_vcpu *sv);
void guest_deschedule(struct sim *sim, struct sim_vcpu *sv);
void guest_resume(struct sim *sim, struct sim_vcpu *sv, hv_time_t at);
void guest_task_release(struct sim *sim, struct sim_task *t);
void guest_irq_fire(struct sim *sim, struct sim_irq *irq);
void guest_virq_pending(struct sim *sim, struct sim_vcpu *sv,
			unsigned int virq);
hv_time_t guest_draw(struct sim *sim, const struct scn_dist *d);
void guest_free(struct sim *sim);

/* build.c */
int sim_build(struct sim *sim, FILE *err);
void sim_emit_metadata(struct sim *sim);

/* sim.c: xentrace's pass, one window per pCPU with data, cpu 0 first. */
void sim_trace_drain(struct sim *sim);
void sim_trace_notify(void *sim, unsigned int cpu);

#endif /* HV_SIM_PRIVATE_H */
