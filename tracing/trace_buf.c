/*
 * Per-pCPU linear trace buffers.
 *
 * Design: one allocation holds every pCPU's buffer back to back, as u32
 * words because every record is a whole number of words. Each pCPU only
 * keeps a fill level:
 *
 *   cpu 0  words[0 .. cap)        cpu 1  words[cap .. 2*cap)
 *   +-----+-----------+-------+   +-----------------+-------------+
 *   | rec | rec | rec | free  |   | rec | rec | ... |    free     |
 *   +-----+-----------+-------+   +-----------------+-------------+
 *   ^                 ^       ^
 *   base            used     cap
 *
 * A record that does not fit in [used, cap) makes the whole [base, used)
 * window go to the flush callback, and the buffer restarts empty. Records
 * never straddle a flush, so each window is a valid xentrace window.
 *
 * The write path does one bounds check, a few stores and a small memcpy;
 * no allocation, no stdio, no locking. The hypervisor's own producer is
 * the ring in trace_ring.c, which has a consumer and can lose records.
 */
#include <stdlib.h>
#include <string.h>

#include "tracing/trace_buf.h"
#include "tracing/trace_events.h"

struct trace_cpu_buf {
	uint32_t *base;
	size_t used; /* in words */
};

struct trace_buf {
	unsigned int nr_cpus;
	size_t cap_words;
	trace_flush_fn flush;
	void *ctx;
	uint64_t records;
	uint32_t *words;
	struct trace_cpu_buf *cpus;
};

struct trace_buf *trace_buf_create(unsigned int nr_cpus, size_t bytes_per_cpu,
				   trace_flush_fn flush, void *ctx)
{
	struct trace_buf *tb;
	size_t cap_words = bytes_per_cpu / 4;

	if (!nr_cpus || !flush || cap_words * 4 < TRACE_REC_MAX_BYTES ||
	    bytes_per_cpu > UINT32_MAX)
		return NULL;
	/* calloc checks nr * size for overflow itself. */
	if (cap_words > SIZE_MAX / nr_cpus)
		return NULL;

	tb = calloc(1, sizeof(*tb));
	if (!tb)
		return NULL;
	tb->cpus = calloc(nr_cpus, sizeof(*tb->cpus));
	tb->words = calloc((size_t)nr_cpus * cap_words, sizeof(uint32_t));
	if (!tb->cpus || !tb->words) {
		trace_buf_destroy(tb);
		return NULL;
	}
	tb->nr_cpus = nr_cpus;
	tb->cap_words = cap_words;
	tb->flush = flush;
	tb->ctx = ctx;
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
		tb->cpus[cpu].base = tb->words + (size_t)cpu * cap_words;
	return tb;
}

void trace_buf_destroy(struct trace_buf *tb)
{
	if (!tb)
		return;
	free(tb->words);
	free(tb->cpus);
	free(tb);
}

static void trace_buf_flush_cpu(struct trace_buf *tb, unsigned int cpu)
{
	struct trace_cpu_buf *cb = &tb->cpus[cpu];

	if (!cb->used)
		return;
	tb->flush(tb->ctx, cpu, cb->base, cb->used * 4);
	cb->used = 0;
}

void trace_buf_write(struct trace_buf *tb, unsigned int cpu, uint64_t tsc,
		     uint32_t event, unsigned int n, const uint32_t *data)
{
	struct trace_cpu_buf *cb;
	size_t words = 3 + (size_t)n;
	uint32_t *rec;

	if (cpu >= tb->nr_cpus || n > TRC_EXTRA_MAX)
		return;
	cb = &tb->cpus[cpu];
	if (cb->used + words > tb->cap_words)
		trace_buf_flush_cpu(tb, cpu);

	rec = cb->base + cb->used;
	rec[0] = TRC_CYCLE_FLAG | (uint32_t)n << TRC_EXTRA_SHIFT |
		 (event & TRC_EVENT_MASK);
	rec[1] = (uint32_t)tsc;
	rec[2] = (uint32_t)(tsc >> 32);
	if (n)
		memcpy(rec + 3, data, n * sizeof(uint32_t));
	cb->used += words;
	tb->records++;
}

void trace_buf_flush_all(struct trace_buf *tb)
{
	for (unsigned int cpu = 0; cpu < tb->nr_cpus; cpu++)
		trace_buf_flush_cpu(tb, cpu);
}

uint64_t trace_buf_records(const struct trace_buf *tb)
{
	return tb->records;
}

void trace_put_name(uint32_t words[7], uint32_t id_word, const char *name)
{
	size_t len = strnlen(name, TRACE_NAME_BYTES);

	words[0] = id_word;
	memset(&words[1], 0, TRACE_NAME_BYTES);
	memcpy(&words[1], name, len);
}

void trace_name_get(const uint32_t words[7], char out[TRACE_NAME_BYTES + 1])
{
	memcpy(out, &words[1], TRACE_NAME_BYTES);
	out[TRACE_NAME_BYTES] = '\0';
}
