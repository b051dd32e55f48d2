/*
 * The core's trace sink: stamp a record with this pCPU's clock and store
 * it in this pCPU's buffer (tracing/trace_buf.c).
 */
#include <hv/machine.h>
#include <hv/port.h>
#include <hv/trace.h>

#include "tracing/trace_buf.h"

void hv_trace_emit(struct machine *m, uint32_t event, unsigned int n,
		   const uint32_t *data)
{
	/* The clock is in ns; traces declare a 1 GHz counter in their header.
	 */
	trace_buf_write(m->trace, arch_cpu_id(m), (uint64_t)arch_clock_now(m),
			event, n, data);
}
