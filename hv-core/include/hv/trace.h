/*
 * Trace points in the core. The event table is tracing/trace_events.h;
 * the per-pCPU rings records go to are tracing/trace_ring.h.
 *
 * A disabled or masked-out trace point costs one predictable test of
 * m->trace_pairs.
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

/*
 * Xen's filter passes a record when its class bits (27..16) meet the event
 * mask's and its sub-class bits (15..12) do too. As a bitmap of the 12 x 4
 * (class, sub-class) pairs, bit 4c + s, both sides become one AND: each
 * class bit c of @x is spread to nibble c, and the product with the
 * sub-class bits puts them in every such nibble (nibbles never carry into
 * each other). For a constant event this folds to a constant.
 */
#define HV_TRACE_NIBBLE(x, c) \
	((uint64_t)(((x) >> (16 + (c))) & 1u) << (4 * (c)))

static inline uint64_t hv_trace_pairs(uint32_t x)
{
	/* written out, not a loop, so that it folds for a constant */
	uint64_t spread = HV_TRACE_NIBBLE(x, 0) | HV_TRACE_NIBBLE(x, 1) |
			  HV_TRACE_NIBBLE(x, 2) | HV_TRACE_NIBBLE(x, 3) |
			  HV_TRACE_NIBBLE(x, 4) | HV_TRACE_NIBBLE(x, 5) |
			  HV_TRACE_NIBBLE(x, 6) | HV_TRACE_NIBBLE(x, 7) |
			  HV_TRACE_NIBBLE(x, 8) | HV_TRACE_NIBBLE(x, 9) |
			  HV_TRACE_NIBBLE(x, 10) | HV_TRACE_NIBBLE(x, 11);

	return spread * ((x >> 12) & 0xfu);
}

#ifndef HV_NO_TRACE
/* Stamp and store one record on the calling pCPU. Out of line: cold. */
void hv_trace_emit(struct machine *m, uint32_t event, unsigned int n,
		   const uint32_t *data);

/* Off, or masked out by Xen's filter: one test (trace_pairs). */
static inline bool hv_trace_wanted(const struct machine *m, uint32_t event)
{
	return __builtin_expect((m->trace_pairs & hv_trace_pairs(event)) != 0,
				0);
}

static inline void hv_trace(struct machine *m, uint32_t event, unsigned int n,
			    const uint32_t *data)
{
	if (hv_trace_wanted(m, event))
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

/* An HVLAB_NAME_* record (@event): @id's name, NUL-padded to 24 bytes. */
void hv_trace_name(struct machine *m, uint32_t event, uint32_t id,
		   const char *name);

/* Xen's pCPU mask: only pCPUs in @cpus record anything. */
void hv_trace_set_cpu_mask(struct machine *m, const struct cpumask *cpus);
#else
static inline bool hv_trace_wanted(const struct machine *m, uint32_t event)
{
	(void)m, (void)event;
	return false;
}

static inline void hv_trace_emit(struct machine *m, uint32_t event,
				 unsigned int n, const uint32_t *data)
{
	(void)m, (void)event, (void)n, (void)data;
}

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

static inline void hv_trace_name(struct machine *m, uint32_t event, uint32_t id,
				 const char *name)
{
	(void)m, (void)event, (void)id, (void)name;
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

/*
 * The words are only computed when the record is wanted, so a trace
 * point that is off costs its one test and nothing else. They must not
 * have side effects.
 */
#define HV_TRACE(m, ev, ...)                                                  \
	do {                                                                  \
		if (hv_trace_wanted((m), TRC_##ev)) {                         \
			const uint32_t hv_trace_d_[] = {__VA_ARGS__};         \
			_Static_assert(sizeof(hv_trace_d_) /                  \
					       sizeof(uint32_t) ==            \
					   TRC_##ev##_WORDS,                  \
				       "wrong word count for " #ev);          \
			hv_trace_emit((m), TRC_##ev,                          \
				      sizeof(hv_trace_d_) / sizeof(uint32_t), \
				      hv_trace_d_);                           \
		}                                                             \
	} while (0)

#endif /* HV_TRACE_H */
