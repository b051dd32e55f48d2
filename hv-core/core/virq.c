/*
 * Routing physical interrupts to the vCPUs that own them.
 *
 * The injection itself is the port's (list registers on arm64, the guest
 * model on sim); the core decides who gets the interrupt, traces it, and
 * wakes the target so its scheduler can run it.
 */
#include <errno.h>
#include <stdlib.h>

#include <hv/irq.h>
#include <hv/machine.h>
#include <hv/port.h>
#include <hv/sched.h>
#include <hv/trace.h>

int irq_table_create(struct machine *m, unsigned int nr)
{
	if (m->irqs || nr == 0)
		return -EINVAL;
	m->irqs = calloc(nr, sizeof(*m->irqs));
	if (!m->irqs)
		return -ENOMEM;
	m->nr_irqs = nr;
	return 0;
}

int irq_route_set(struct machine *m, unsigned int irq, struct vcpu *v,
		  unsigned int virq)
{
	if (irq >= m->nr_irqs || !v || v->is_idle || virq > 0xffff)
		return -EINVAL;
	m->irqs[irq].target = v;
	m->irqs[irq].virq = virq;
	return 0;
}

unsigned int irq_target_cpu(struct machine *m, unsigned int irq)
{
	if (irq >= m->nr_irqs || !m->irqs[irq].target)
		return 0;
	return m->irqs[irq].target->processor;
}

int hv_irq_raise(struct machine *m, unsigned int irq)
{
	struct vcpu *v;
	uint32_t di, dv;

	if (irq >= m->nr_irqs || !m->irqs[irq].target) {
		m->spurious_irqs++;
		return -EINVAL;
	}
	v = m->irqs[irq].target;
	di = trace_dv(v->domain->domid, m->irqs[irq].virq);
	dv = trace_dv(v->domain->domid, v->vcpu_id);
	HV_TRACE(m, HVLAB_IRQ_RAISE, di, dv);
	arch_virq_inject(m, v, m->irqs[irq].virq);
	HV_TRACE(m, HVLAB_VIRQ_INJECT, di, dv);
	hv_vcpu_wake(m, v);
	return 0;
}
