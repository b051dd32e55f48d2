/*
 * The port interface: everything the core needs from the machine it runs
 * on. Each port (arch/sim, arch/arm64) implements every function below;
 * the core never includes a port header. Nothing here assumes a
 * simulation: on arm64 the clock is CNTPCT scaled to ns, the timer is
 * CNTHP, IPIs are GIC SGIs and injection uses the GIC list registers.
 *
 * All functions are called from the core with interrupts masked on the
 * calling pCPU. None may call back into the scheduler synchronously; a
 * port delivers timer and IPI interrupts later, through hv_timer_interrupt()
 * and hv_do_softirq().
 */
#ifndef HV_PORT_H
#define HV_PORT_H

#include <hv/types.h>

struct machine;
struct vcpu;

/* Current time in ns since the machine started; never goes backwards. */
hv_time_t arch_clock_now(struct machine *m);

/* The pCPU executing the caller (MPIDR on arm64, the event's pCPU on sim). */
unsigned int arch_cpu_id(struct machine *m);

/*
 * Program @cpu's one-shot hypervisor timer to fire at absolute @deadline,
 * replacing any earlier programming; HV_TIME_NEVER disarms it. A deadline
 * in the past fires as soon as possible. Only called for the caller's own
 * pCPU or during set-up.
 */
void arch_timer_program(struct machine *m, unsigned int cpu,
			hv_time_t deadline);

/* Interrupt @cpu so that it runs hv_do_softirq() (a schedule request). */
void arch_ipi_send(struct machine *m, unsigned int cpu);

/*
 * Switch @cpu from @prev to @next (either may be an idle vCPU): save
 * @prev's guest state, restore @next's. Called after the core has updated
 * curr and the runstates.
 */
void arch_context_switch(struct machine *m, unsigned int cpu, struct vcpu *prev,
			 struct vcpu *next);

/*
 * Make virtual interrupt @virq pending for @v (list register, or the
 * pending set if @v is not running). The core wakes @v itself.
 */
void arch_virq_inject(struct machine *m, struct vcpu *v, unsigned int virq);

/* Nothing to run on @cpu: wait for an interrupt (WFI on arm64). */
void arch_cpu_idle(struct machine *m, unsigned int cpu);

#endif /* HV_PORT_H */
