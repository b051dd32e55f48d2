/*
 * Physical interrupts and their routing to virtual interrupts.
 *
 * Each physical IRQ the machine knows is routed to one vCPU as one vIRQ
 * (like a dom0less passthrough SPI). The port delivers a physical IRQ to
 * the pCPU that irq_target_cpu() names and calls hv_irq_raise() there.
 */
#ifndef HV_IRQ_H
#define HV_IRQ_H

#include <hv/types.h>

struct machine;
struct vcpu;

struct irq_route {
	struct vcpu *target;
	unsigned int virq; /* the domain's interrupt number */
};

/* Allocate @nr unrouted IRQs. Returns 0, -EINVAL or -ENOMEM. */
int irq_table_create(struct machine *m, unsigned int nr);

/* Route physical @irq to @v as @virq. Returns 0 or -EINVAL. */
int irq_route_set(struct machine *m, unsigned int irq, struct vcpu *v,
		  unsigned int virq);

/* The pCPU a physical @irq is delivered to: its target's pCPU. */
unsigned int irq_target_cpu(struct machine *m, unsigned int irq);

/*
 * Physical @irq arrived on the calling pCPU: trace it, inject the vIRQ and
 * wake the target. Returns 0, or -EINVAL for an unrouted IRQ (counted,
 * never fatal: a spurious interrupt must not stop the hypervisor).
 */
int hv_irq_raise(struct machine *m, unsigned int irq);

#endif /* HV_IRQ_H */
