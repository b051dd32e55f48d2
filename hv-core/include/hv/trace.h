/*
 * Trace points in the core. The event table is tracing/trace_events.h.
 *
 * A disabled trace point costs one predictable branch on m->trace_on.
 * Building with -DHV_NO_TRACE compiles every trace point out: the helpers
 * become empty static inlines, so call sites never carry #ifdefs.
 *
 * HV_TRACE(m, EVENT, words...) checks at compile time that the number of
 * words matches the table.
 */
#ifndef HV_TRACE_H
#define HV_TRACE_H

#include <hv/machine.h>
#include "tracing/trace_events.h"

#ifndef HV_NO_TRACE
/* Stamp and store one record on the calling pCPU. Out of line: cold. */
void hv_trace_emit(struct machine *m, uint32_t event, unsigned int n,
		   const uint32_t *data);

static inline void hv_trace(struct machine *m, uint32_t event, unsigned int n,
			    const uint32_t *data)
{
	if (__builtin_expect(m->trace_on, 0))
		hv_trace_emit(m, event, n, data);
}
#else
static inline void hv_trace(struct machine *m, uint32_t event, unsigned int n,
			    const uint32_t *data)
{
	(void)m, (void)event, (void)n, (void)data;
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
