/*
 * Trace points in the core. The event table is tracing/trace_events.h;
 * the per-pCPU rings records go to are tracing/trace_ring.h.
 *
 * A disabled trace point costs one predictable branch on m->trace_on.
 * Building with -DHV_NO_TRACE compiles every trace point out: the helpers
 * become empty static inlines, so call sites never carry #ifdefs.
 *
 * HV_TRACE(m, EVENT, words...) checks at compile time that the number of
 * words matches the table.
 *
 * Control (Xen's XEN_SYSCTL_tbuf_op): the port attaches rings it created
 * with hv_trace_attach(); enable, disable and the two masks can change at
 * run time, from the pCPU whose records they concern or while no pCPU
 * traces (the sim is single-threaded). A corrupt ring header stops
 * tracing by itself (trace_on goes false); trace_ring_error() says why.
 */
#ifndef HV_TRACE_H
#define HV_TRACE_H

#include <errno.h>

#include <hv/machine.h>
#include "tracing/trace_events.h"

struct trace_ring;

#ifndef HV_NO_TRACE
/* Stamp and store one record on the calling pCPU. Out of line: cold. */
void hv_trace_emit(struct machine *m, uint32_t event, unsigned int n,
		   const uint32_t *data);

static inline void hv_trace(struct machine *m, uint32_t event, unsigned int n,
			    const uint32_t *data)
{
	/* Xen's filter: the class bits and the sub-class bits of the
	 * event must both be in the mask; event is a constant, so this
	 * folds to one test of the mask. */
	if (__builtin_expect(m->trace_on, 0) &&
	    (event & m->trace_mask & 0x0fff0000u) &&
	    (event & m->trace_mask & 0x0000f000u))
		hv_trace_emit(m, event, n, data);
}

/*
 * hv_trace_attach() - make @tr @m's trace rings (NULL detaches) and
 * enable tracing. Installs the callback that names the running vCPU in
 * LOST_RECORDS notes. The rings must have m->nr_pcpus rings and outlive
 * the attachment. Return: 0, -EINVAL (wrong number of rings) or -EIO (a
 * ring was corrupt).
 */
int hv_trace_attach(struct machine *m, struct trace_ring *tr);

/*
 * hv_trace_enable() / hv_trace_disable() - start and stop tracing.
 * Disabling forgets pending lost-record counts (no phantom note later).
 * Return (enable): 0, -ENODEV (no rings attached) or -EIO (corrupt ring).
 */
int hv_trace_enable(struct machine *m);
void hv_trace_disable(struct machine *m);

/*
 * Xen's event mask: a record is kept if its class bits and its sub-class
 * bits both intersect @mask's (TRACE_RING_MASK_ALL keeps all).
 */
void hv_trace_set_event_mask(struct machine *m, uint32_t mask);

/* Xen's pCPU mask: only pCPUs in @cpus record anything. */
void hv_trace_set_cpu_mask(struct machine *m, const struct cpumask *cpus);
#else
static inline void hv_trace(struct machine *m, uint32_t event, unsigned int n,
			    const uint32_t *data)
{
	(void)m, (void)event, (void)n, (void)data;
}

static inline int hv_trace_attach(struct machine *m, struct trace_ring *tr)
{
	(void)m, (void)tr;
	return -ENOSYS;
}

static inline int hv_trace_enable(struct machine *m)
{
	(void)m;
	return -ENOSYS;
}

static inline void hv_trace_disable(struct machine *m)
{
	(void)m;
}

static inline void hv_trace_set_event_mask(struct machine *m, uint32_t mask)
{
	(void)m, (void)mask;
}

static inline void hv_trace_set_cpu_mask(struct machine *m,
					 const struct cpumask *cpus)
{
	(void)m, (void)cpus;
}
#endif

#define HV_TRACE(m, ev, ...)                                                   \
	do {                                                                   \
		const uint32_t hv_trace_d_[] = {__VA_ARGS__};                  \
		_Static_assert(sizeof(hv_trace_d_) / sizeof(uint32_t) ==       \
				   TRC_##ev##_WORDS,                           \
			       "wrong word count for " #ev);                   \
		hv_trace((m), TRC_##ev,                                        \
			 sizeof(hv_trace_d_) / sizeof(uint32_t), hv_trace_d_); \
	} while (0)

#define HV_TRACE0(m, ev) hv_trace((m), TRC_##ev, 0, NULL)

#endif /* HV_TRACE_H */
