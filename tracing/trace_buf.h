/*
 * Linear per-pCPU trace buffers: a simple way to write a trace file
 * directly, for tests and tools that build traces offline. The hypervisor
 * core does not use them: its records go to Xen-style rings with
 * prod/cons, drained by a consumer (tracing/trace_ring.h).
 *
 * Each pCPU owns one buffer; trace_buf_write() appends one record in Xen's
 * t_rec layout (see tracing/trace_events.h) and hands the buffer to a flush
 * callback when the next record would not fit. The callback sees whole
 * records only, so whatever it writes is a valid xentrace window. Nothing
 * is ever lost, so no LOST_RECORDS note or WRAP_BUFFER filler is written.
 *
 * Also here: the name payload helpers every producer shares.
 */
#ifndef HV_TRACE_BUF_H
#define HV_TRACE_BUF_H

#include <stddef.h>
#include <stdint.h>

struct trace_buf;

/*
 * Receives the raw record bytes of one window of @cpu's buffer. @bytes is
 * only valid during the call. trace_file_write_window() has this type.
 */
typedef void (*trace_flush_fn)(void *ctx, unsigned int cpu, const void *bytes,
			       size_t len);

/* Largest record: header, 64-bit timestamp, TRC_EXTRA_MAX data words. */
#define TRACE_REC_MAX_BYTES (4 + 8 + 4 * 7)

/* Bytes of name carried by an HVLAB_NAME_* record (words 1..6). */
#define TRACE_NAME_BYTES 24

/*
 * trace_buf_create() - allocate @nr_cpus buffers of @bytes_per_cpu bytes.
 * @bytes_per_cpu is rounded down to a multiple of 4 and must hold at least
 * one record of TRACE_REC_MAX_BYTES and at most UINT32_MAX bytes (a window
 * size is a u32 on disk). @flush must not be NULL; @ctx is passed to it.
 *
 * Return: the buffers, or NULL on bad arguments or when out of memory.
 */
struct trace_buf *trace_buf_create(unsigned int nr_cpus, size_t bytes_per_cpu,
				   trace_flush_fn flush, void *ctx);

/*
 * trace_buf_destroy() - free the buffers. Unflushed records are discarded:
 * call trace_buf_flush_all() first to keep them. NULL is accepted.
 */
void trace_buf_destroy(struct trace_buf *tb);

/*
 * trace_buf_write() - append one timestamped record to @cpu's buffer.
 * @event: event ID; bits above TRC_EVENT_MASK are ignored.
 * @n:     number of data words in @data, at most TRC_EXTRA_MAX (7).
 *
 * If the record does not fit, @cpu's buffer is flushed first. Never
 * allocates. A call with @cpu out of range or @n > 7 is a caller bug and
 * writes nothing (and is not counted).
 */
void trace_buf_write(struct trace_buf *tb, unsigned int cpu, uint64_t tsc,
		     uint32_t event, unsigned int n, const uint32_t *data);

/* trace_buf_flush_all() - flush every non-empty buffer, in cpu order. */
void trace_buf_flush_all(struct trace_buf *tb);

/* trace_buf_records() - number of records written since creation. */
uint64_t trace_buf_records(const struct trace_buf *tb);

/*
 * trace_put_name() - build the 7 payload words of an HVLAB_NAME_* record:
 * words[0] = @id_word, words[1..6] = the first TRACE_NAME_BYTES bytes of
 * @name, NUL-padded (a byte copy, so host-endian like every other word).
 * A longer name is truncated; a name of exactly 24 bytes has no NUL.
 */
void trace_put_name(uint32_t words[7], uint32_t id_word, const char *name);

/*
 * trace_name_get() - extract the name from HVLAB_NAME_* payload @words into
 * @out, always NUL-terminated. The bytes are copied as they are: callers
 * printing names from untrusted files should filter them.
 */
void trace_name_get(const uint32_t words[7], char out[TRACE_NAME_BYTES + 1]);

#endif /* HV_TRACE_BUF_H */
