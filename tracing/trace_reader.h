/*
 * Trace reader: files in Xen's xentrace layout, written by hvlab or by a
 * real Xen's xentrace, returned as one stream of records merged across
 * pCPUs in timestamp order.
 */
#ifndef HV_TRACE_READER_H
#define HV_TRACE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Highest pCPU number + 1 a file may use; larger ones are rejected. */
#define TRACE_READER_MAX_CPUS 4096

/* Files are read whole; larger ones are refused rather than half-read. */
#define TRACE_READER_MAX_BYTES (1ull << 30)

struct trace_reader;

struct trace_rec {
	unsigned int cpu;
	uint32_t event; /* ID without header bits */
	unsigned int n; /* data words present; data[n..6] are 0 */
	uint32_t data[7];
	bool has_tsc; /* false: tsc is the previous one on this cpu */
	uint64_t tsc;
	uint64_t offset; /* byte offset of the record in the file */
};

/*
 * trace_reader_open() - read and validate the whole file at @path.
 * Every window header and record boundary is checked here, so a file that
 * opens can be read to the end. On failure @err (if not NULL) receives
 * "path: offset N: what is wrong, expected ..." (or "path: <strerror>").
 *
 * Return: 0 and *@out set; -EINVAL for a malformed file, -EFBIG for one
 * over TRACE_READER_MAX_BYTES, -ENOMEM, or the errno of open/read.
 */
int trace_reader_open(const char *path, struct trace_reader **out, char *err,
		      size_t errlen);

/*
 * trace_reader_next() - the next record by (timestamp, cpu, file order).
 * WRAP_BUFFER fillers are skipped; LOST_RECORDS notes are returned.
 *
 * Return: 1 with *@rec filled, 0 at the end, negative errno on error
 * (then trace_reader_error() says why).
 */
int trace_reader_next(struct trace_reader *r, struct trace_rec *rec);

/* trace_reader_error() - message of the last error, "" when none. */
const char *trace_reader_error(const struct trace_reader *r);

/* trace_reader_close() - free @r and the file image; NULL is accepted. */
void trace_reader_close(struct trace_reader *r);

#endif /* HV_TRACE_READER_H */
