/*
 * Run summary: per-domain IRQ latency, per-task jobs and per-vCPU CPU share,
 * computed from a trace file only (the trace is the single source of
 * truth). Works on hvlab traces and, with fallback names, on a real Xen's.
 *
 * The result is plain read-only data (struct summary_domain and friends),
 * so tests and other output formats read numbers, not text.
 */
#ifndef HV_SUMMARY_H
#define HV_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/metrics.h"

/* Names as carried by HVLAB_NAME_* records, or "d3", "d3t1", "d3i0". */
#define SUMMARY_NAME_LEN 24

/*
 * Exact statistics over all samples of one metric, in nanoseconds.
 * p99 is the nearest-rank percentile: the smallest sample such that at
 * least 99% of the samples are <= it, i.e. sorted[ceil(0.99 * n) - 1].
 * All fields are 0 when n is 0.
 */
struct summary_stats {
	uint64_t n;
	uint64_t min;
	uint64_t mean; /* rounded to the nearest ns */
	uint64_t p99;
	uint64_t max;
};

/* The run itself is the metrics' struct metrics_run: the same figures,
 * from the same pass over the trace. */

struct summary_irq {
	unsigned int index; /* within the domain */
	bool named;
	char name[SUMMARY_NAME_LEN + 1];
	struct summary_stats latency; /* raise to handler start */
	struct summary_stats response; /* raise to handler end */
};

struct summary_task {
	unsigned int index; /* within the domain */
	bool named;
	char name[SUMMARY_NAME_LEN + 1];
	bool has_info; /* HVLAB_TASK_INFO seen */
	unsigned int vcpu;
	uint32_t period_ns;
	uint64_t deadline_ns;
	uint32_t priority;
	uint64_t released;
	uint64_t completed;
	uint64_t misses; /* completions flagged missed */
	uint64_t unfinished; /* released, not completed by the end */
	struct summary_stats response;
};

struct summary_vcpu {
	unsigned int id;
	uint64_t runstate_ns[4]; /* enum trace_runstate order */
	uint32_t share_bp; /* running / span, in 1/100 % */
	bool null_waiting; /* null scheduler had no pCPU for it */
};

struct summary_domain {
	unsigned int id;
	bool named;
	char name[SUMMARY_NAME_LEN + 1];
	struct summary_stats irq_latency; /* all IRQs of the domain */
	struct summary_stats irq_response;
	size_t nr_irqs, nr_tasks, nr_vcpus; /* arrays sorted by index/id */
	const struct summary_irq *irqs;
	const struct summary_task *tasks;
	const struct summary_vcpu *vcpus;
};

struct summary;

/*
 * summary_from_trace() - read @trace_path and compute its summary.
 * On failure a one-line message goes to @err (if not NULL).
 * Return: 0 and *@out set; -EINVAL for a malformed trace, -ENOMEM, or the
 * negative errno of reading the file.
 */
int summary_from_trace(const char *trace_path, struct summary **out, FILE *err);

/* summary_free() - free @s; NULL is accepted. */
void summary_free(struct summary *s);

/* summary_run_info() - the run-wide figures. */
const struct metrics_run *summary_run_info(const struct summary *s);

/* summary_nr_domains() / summary_domain_at() - domains by ascending id. */
size_t summary_nr_domains(const struct summary *s);
const struct summary_domain *summary_domain_at(const struct summary *s,
					       size_t i);

/* Lookups by id or index. Return: the entry, or NULL if absent. */
const struct summary_domain *summary_domain(const struct summary *s,
					    unsigned int dom);
const struct summary_task *summary_task(const struct summary_domain *d,
					unsigned int index);
const struct summary_irq *summary_irq(const struct summary_domain *d,
				      unsigned int index);
const struct summary_vcpu *summary_vcpu(const struct summary_domain *d,
					unsigned int vcpu);

/*
 * One output format. summary_print() walks the summary in its fixed order
 * (domains by id; in each, IRQs by index, tasks by index, vCPUs by id) and
 * calls these; a NULL hook is skipped. Formats only format.
 */
struct summary_output_ops {
	void (*run)(FILE *out, const struct metrics_run *run);
	void (*domain_begin)(FILE *out, const struct summary_domain *d);
	void (*irq)(FILE *out, const struct summary_domain *d,
		    const struct summary_irq *irq);
	void (*task)(FILE *out, const struct summary_domain *d,
		     const struct summary_task *task);
	void (*vcpu)(FILE *out, const struct summary_domain *d,
		     const struct summary_vcpu *vcpu);
	void (*domain_end)(FILE *out, const struct summary_domain *d);
	void (*end)(FILE *out, const struct metrics_run *run);
};

/* summary_print() - print @s in the format @ops to @out. */
void summary_print(const struct summary *s,
		   const struct summary_output_ops *ops, FILE *out);

/* summary_print_text() - the human-readable table `hvlab run` prints. */
void summary_print_text(const struct summary *s, FILE *out);

#endif /* HV_SUMMARY_H */
