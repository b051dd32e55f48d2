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
 * trace_reader_open_buffer() - as trace_reader_open(), on the @len bytes at
 * @buf (copied; the caller keeps its buffer). @name stands for the path in
 * error messages (NULL: "buffer"). For fuzzing and for tools that already
 * hold a trace in memory.
 *
 * Return: 0 and *@out set; -EINVAL for a malformed image, -EFBIG for one
 * over TRACE_READER_MAX_BYTES, -ENOMEM.
 */
int trace_reader_open_buffer(const void *buf, size_t len, const char *name,
			     struct trace_reader **out, char *err,
			     size_t errlen);

/*
 * What the validating pass found, for statistics. Counts cover the whole
 * file, whatever has been read with trace_reader_next() so far.
 */
struct trace_reader_info {
	uint64_t bytes; /* size of the file */
	uint64_t windows; /* CPU-change records, empty windows included */
	uint64_t records; /* records in windows, fillers included */
	uint64_t fillers; /* WRAP_BUFFER records, which _next() skips */
	unsigned int nr_cpus; /* highest cpu with a non-empty window + 1 */
};

/* trace_reader_get_info() - fill @info for the file @r read. */
void trace_reader_get_info(const struct trace_reader *r,
			   struct trace_reader_info *info);

/*
 * trace_reader_rewind() - start again from the first record, so a tool can
 * read a file twice (names and clock first, then the records) without
 * reading it from disk twice. Cannot fail: the file is already validated.
 */
void trace_reader_rewind(struct trace_reader *r);

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
