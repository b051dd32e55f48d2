/*
 * Trace statistics: `hvlab trace stats`. What a trace file holds, counted
 * in one pass: records per event, per pCPU and per domain, lost records,
 * wrap fillers and the time span. Unlike the run summary (analysis/), it
 * interprets nothing, so it works on any xentrace-layout file.
 *
 * The result is plain read-only data, sorted, so the text is the same on
 * every host and tests can check numbers rather than text.
 */
#ifndef HV_TRACE_STATS_H
#define HV_TRACE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tracing/trace_decode.h"
#include "tracing/trace_reader.h"

struct trace_stats_event {
	uint32_t id;
	const struct trace_event_desc *desc; /* NULL: unknown */
	uint64_t count;
};

struct trace_stats_cpu {
	unsigned int cpu;
	uint64_t records;
	uint64_t first_ns, last_ns; /* timestamps of its first and last */
};

struct trace_stats_domain {
	unsigned int dom;
	const char *name; /* from HVLAB_NAME_DOMAIN; NULL: unnamed */
	uint64_t records; /* records naming it (once per record) */
};

struct trace_stats {
	struct trace_reader_info file;
	struct trace_clock clock;
	uint64_t records; /* returned by the reader: fillers excluded */
	uint64_t no_tsc; /* records without a timestamp of their own */
	uint64_t lost; /* sum of LOST_RECORDS counts */
	uint64_t lost_notes; /* LOST_RECORDS records */
	uint64_t first_tsc, last_tsc; /* raw, of timestamped records */
	uint64_t span_ns; /* first to last timestamp */
	bool has_run_end; /* HVLAB_RUN_END seen */
	uint64_t run_end_ns;
	size_t nr_events, nr_cpus, nr_domains; /* arrays sorted by id */
	const struct trace_stats_event *events;
	const struct trace_stats_cpu *cpus; /* pCPUs with records */
	const struct trace_stats_domain *domains;
};

/*
 * trace_stats_collect() - count the records of @r from its start. @cpu_hz
 * is the clock when the file has no HVLAB_HEADER (0: Xen's default). On
 * failure @err receives the reason.
 *
 * Return: 0 and *@out set; -ENOMEM, or the reader's negative errno.
 */
int trace_stats_collect(struct trace_reader *r, uint64_t cpu_hz,
			struct trace_stats **out, char *err, size_t errlen);

/* trace_stats_free() - free @s; NULL is accepted. */
void trace_stats_free(struct trace_stats *s);

/*
 * trace_stats_print_text() - the text `hvlab trace stats` prints, with
 * @file_name as the file's name.
 */
void trace_stats_print_text(const struct trace_stats *s, const char *file_name,
			    FILE *out);

#endif /* HV_TRACE_STATS_H */
