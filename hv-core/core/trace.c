/*
 * The core's trace sink and controls: stamp a record with this pCPU's
 * clock and store it in this pCPU's ring (tracing/trace_ring.c).
 *
 * m->trace_on is true exactly while rings are attached and enabled, so a
 * disabled trace point never gets here.
 */
#include <hv/machine.h>
#include <hv/port.h>
#include <hv/trace.h>

#include "tracing/trace_buf.h"
#include "tracing/trace_ring.h"

#ifndef HV_NO_TRACE
/* trace_on and the pair bitmap the trace points test, kept together. */
static void set_on(struct machine *m, bool on)
{
	m->trace_on = on;
	m->trace_pairs = on ? hv_trace_pairs(m->trace_mask) : 0;
}

void hv_trace_emit(struct machine *m, uint32_t event, unsigned int n,
		   const uint32_t *data)
{
	/* The clock is in ns; traces declare a 1 GHz counter in their header.
	 */
	int rc = trace_ring_write(m->trace, arch_cpu_id(m),
				  (uint64_t)arch_clock_now(m), event, n, data);

	/* A corrupt ring stopped tracing: back to one branch per point. */
	if (__builtin_expect(rc == -EIO, 0))
		set_on(m, false);
}

/* Who runs on @cpu, for LOST_RECORDS notes (Xen: current). */
static void hv_trace_current(void *ctx, unsigned int cpu, uint16_t *domid,
			     uint16_t *vcpuid)
{
	struct machine *m = ctx;
	const struct vcpu *v = cpu < m->nr_pcpus ? m->pcpus[cpu].curr : NULL;

	if (!v || v->is_idle) {
		*domid = HV_DOMID_IDLE;
		*vcpuid = 0;
		return;
	}
	*domid = (uint16_t)v->domain->domid;
	*vcpuid = (uint16_t)v->vcpu_id;
}

int hv_trace_attach(struct machine *m, struct trace_ring *tr)
{
	if (m->trace)
		trace_ring_set_current(m->trace, NULL, NULL);
	set_on(m, false);
	m->trace = NULL;
	if (!tr)
		return 0;
	if (trace_ring_nr_cpus(tr) != m->nr_pcpus)
		return -EINVAL;
	m->trace = tr;
	m->trace_mask = trace_ring_event_mask(tr); /* TRACE_RING_MASK_ALL */
	trace_ring_set_current(tr, hv_trace_current, m);
	return hv_trace_enable(m);
}

int hv_trace_enable(struct machine *m)
{
	int rc;

	if (!m->trace)
		return -ENODEV;
	rc = trace_ring_enable(m->trace);
	set_on(m, !rc);
	return rc;
}

void hv_trace_disable(struct machine *m)
{
	set_on(m, false);
	if (m->trace)
		trace_ring_disable(m->trace);
}

void hv_trace_set_event_mask(struct machine *m, uint32_t mask)
{
	if (!m->trace)
		return;
	/* Filtered before the record is built; the rings, left at their
	 * all-events mask, keep their fast path. */
	m->trace_mask = mask & TRACE_RING_MASK_ALL;
	set_on(m, m->trace_on);
}

void hv_trace_name(struct machine *m, uint32_t event, uint32_t id,
		   const char *name)
{
	uint32_t w[TRC_HVLAB_NAME_DOMAIN_WORDS];

	trace_put_name(w, id, name);
	hv_trace(m, event, TRC_HVLAB_NAME_DOMAIN_WORDS, w);
}

void hv_trace_set_cpu_mask(struct machine *m, const struct cpumask *cpus)
{
	if (!m->trace)
		return;
	for (unsigned int cpu = 0; cpu < m->nr_pcpus; cpu++)
		trace_ring_set_cpu(m->trace, cpu, cpumask_test(cpus, cpu));
}
#endif
