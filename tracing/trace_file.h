/*
 * Trace file writer: Xen's xentrace on-disk layout.
 *
 * A file is a sequence of windows, each one a CPU-change record (header
 * TRC_CPU_CHANGE with 2 data words and no timestamp, then int32 cpu and
 * uint32 byte count) followed by that many bytes of raw records from that
 * pCPU. See docs/trace-format.md.
 */
#ifndef HV_TRACE_FILE_H
#define HV_TRACE_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "tracing/trace_events.h"

struct trace_file;

/* A window's CPU-change header: @cpu (int32 on disk), @len bytes follow.
 * Also the arm64 hypervisor's, which writes windows itself. */
static inline void trace_file_window_header(uint32_t hdr[3], unsigned int cpu,
					    uint32_t len)
{
	hdr[0] =
	    (uint32_t)TRC_CPU_CHANGE_WORDS << TRC_EXTRA_SHIFT | TRC_CPU_CHANGE;
	hdr[1] = cpu;
	hdr[2] = len;
}

/*
 * trace_file_create() - create (or truncate) @path for writing.
 * Return: 0 and *@out set, or a negative errno (*@out untouched).
 */
int trace_file_create(const char *path, struct trace_file **out);

/*
 * trace_file_write_window() - append one window: the CPU-change header for
 * @cpu and @len, then @bytes. @trace_file is a struct trace_file *; the
 * void * makes this a trace_flush_fn. An empty window is not written.
 * Errors (I/O, @len over UINT32_MAX, @cpu over INT32_MAX) are remembered
 * and reported by trace_file_close(); after one, nothing more is written.
 */
void trace_file_write_window(void *trace_file, unsigned int cpu,
			     const void *bytes, size_t len);

/*
 * trace_file_close() - flush, close and free @f (NULL is accepted).
 * Return: 0, or the negative errno of the first error seen since
 * trace_file_create(), including the ones of earlier writes.
 */
int trace_file_close(struct trace_file *f);

#endif /* HV_TRACE_FILE_H */
