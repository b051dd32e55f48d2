/*
 * Run metrics from a trace file only (the trace is the single source of
 * truth): for each domain, vCPU, task and interrupt, what `hvlab report`
 * shows and `hvlab run`'s summary (analysis/summary.h) is a view of.
 *
 *   IRQ latency       raise to handler start   HVLAB_GUEST_IRQ_ENTRY lat
 *   IRQ response      raise to handler end     HVLAB_GUEST_IRQ_EXIT resp
 *   scheduling lat.   runnable to running      SWITCH_INFNEXT waited_ns
 *   task response     release to completion    HVLAB_TASK_COMPLETE resp
 *   deadline misses                            HVLAB_TASK_COMPLETE missed
 *   runstate times, CPU share                  RUNSTATE_CHANGE
 *   preemptions       a vCPU descheduled while still runnable: a
 *                     RUNSTATE_CHANGE running->runnable not preceded by
 *                     the vCPU's own YIELD
 *   migrations        a vCPU switched in (SWITCH next) on a pCPU other
 *                     than the one it was last switched in on
 *   timeline          who runs on each pCPU, from SWITCH, over a window
 *
 * Every sample series is a stats.h collector (exact, or streaming with
 * a bounded relative error past its cap), so histograms, CDFs and any
 * percentile are available. The idle domain is never reported.
 *
 * The result is plain read-only data; the stats collectors inside are
 * non-const only because exact percentiles sort in place.
 */
#ifndef HV_METRICS_H
#define HV_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/stats.h"

#define METRICS_NAME_LEN 24
#define METRICS_RAW_CAP_DEFAULT 10000000ull /* samples per domain (80 MB) */
#define METRICS_SEGMENTS_MAX 1000000 /* timeline segments kept */

/* Zero-initialised means: stats defaults, no raw samples, no timeline. */
struct metrics_config {
	struct stats_config stats; /* every collector */
	bool keep_raw; /* keep each domain's IRQ latencies in trace order */
	uint64_t raw_cap; /* at most this many per domain; 0 = default */
	bool timeline; /* record SWITCH segments over the window below */
	uint64_t window_start_ns, window_end_ns; /* from the span's start */
};

/* One metric: its collector and figures (all 0 when empty). */
struct metrics_series {
	struct stats *stats; /* for histograms, CDFs, other percentiles */
	struct stats_result r;
	uint64_t mean_ns; /* exact integer sum / n, rounded to nearest */
};

struct metrics_run {
	bool has_header; /* HVLAB_HEADER seen; else fields guessed */
	unsigned int version;
	uint64_t hz; /* trace clock; 1 GHz assumed if unknown */
	unsigned int pcpus; /* header, else highest cpu seen + 1 */
	unsigned int backend; /* enum hvlab_backend */
	uint64_t scenario_hash;
	bool has_run_end; /* HVLAB_RUN_END seen; else end = last tsc */
	uint64_t start, end; /* span in trace clock ticks */
	uint64_t span_ns;
	uint64_t records; /* records read, fillers excluded */
	uint64_t lost; /* sum of LOST_RECORDS counts */
	uint64_t malformed; /* records too short, ignored */
};

struct metrics_irq {
	unsigned int index; /* within the domain */
	bool named;
	char name[METRICS_NAME_LEN + 1];
	struct metrics_series latency; /* raise to handler start */
	struct metrics_series response; /* raise to handler end */
};

struct metrics_task {
	unsigned int index; /* within the domain */
	bool named;
	char name[METRICS_NAME_LEN + 1];
	bool has_info; /* HVLAB_TASK_INFO seen */
	unsigned int vcpu;
	uint32_t period_ns;
	uint64_t deadline_ns;
	uint32_t priority;
	uint64_t released;
	uint64_t completed;
	uint64_t misses; /* completions flagged missed */
	uint64_t unfinished; /* released, not completed by the end */
	struct metrics_series response;
};

struct metrics_vcpu {
	unsigned int id;
	bool sched_only; /* named by SWITCH* records only */
	uint64_t runstate_ns[4]; /* enum trace_runstate order */
	uint32_t share_bp; /* running / span, in 1/100 % */
	bool null_waiting; /* null scheduler had no pCPU for it */
	uint64_t dispatches; /* times switched in */
	uint64_t preemptions;
	uint64_t migrations;
	struct metrics_series sched_latency; /* runnable to running */
};

struct metrics_domain {
	unsigned int id;
	bool named;
	bool sched_only; /* named by SWITCH* records only */
	char name[METRICS_NAME_LEN + 1];
	struct metrics_series irq_latency; /* all IRQs of the domain */
	struct metrics_series irq_response;
	struct metrics_series sched_latency; /* all vCPUs of the domain */
	uint64_t running_ns; /* all vCPUs */
	uint32_t share_bp; /* running / span in 1/100 % of one pCPU */
	uint64_t preemptions, migrations, dispatches;
	/* IRQ latencies in trace order, for pWCET (config keep_raw) */
	const uint64_t *irq_latency_raw;
	size_t nr_irq_latency_raw;
	bool raw_truncated; /* more samples than raw_cap: not all kept */
	size_t nr_irqs, nr_tasks, nr_vcpus; /* arrays sorted by index/id */
	const struct metrics_irq *irqs;
	const struct metrics_task *tasks;
	const struct metrics_vcpu *vcpus;
};

/* One stretch of a non-idle vCPU on a pCPU, clipped to the window. */
struct metrics_segment {
	uint64_t start_ns, end_ns; /* from the span's start */
	unsigned int pcpu;
	unsigned int dom, vcpu;
};

struct metrics;

/*
 * metrics_from_trace() - read @trace_path and compute its metrics with
 * @cfg (NULL: defaults). On failure a one-line message goes to @err (if
 * not NULL), for a malformed file "path: offset N: what is wrong".
 * Return: 0 and *@out set; -EINVAL for a malformed trace or a bad
 * @cfg, -ENOMEM, or the negative errno of reading the file.
 */
int metrics_from_trace(const char *trace_path, const struct metrics_config *cfg,
		       struct metrics **out, FILE *err);

/* metrics_free() - free @m and its collectors; NULL is accepted. */
void metrics_free(struct metrics *m);

/* metrics_run_info() - the run-wide figures. */
const struct metrics_run *metrics_run_info(const struct metrics *m);

/* metrics_nr_domains() / metrics_domain_at() - domains by ascending id. */
size_t metrics_nr_domains(const struct metrics *m);
const struct metrics_domain *metrics_domain_at(const struct metrics *m,
					       size_t i);

/* Lookups by id or index. Return: the entry, or NULL if absent. */
const struct metrics_domain *metrics_domain(const struct metrics *m,
					    unsigned int dom);
const struct metrics_task *metrics_task(const struct metrics_domain *d,
					unsigned int index);
const struct metrics_irq *metrics_irq(const struct metrics_domain *d,
				      unsigned int index);
const struct metrics_vcpu *metrics_vcpu(const struct metrics_domain *d,
					unsigned int vcpu);

/*
 * metrics_timeline() - the segments recorded for the window, by pCPU and
 * then start time; *@truncated set when METRICS_SEGMENTS_MAX was hit.
 * Return: the array (NULL when empty) and *@nr.
 */
const struct metrics_segment *metrics_timeline(const struct metrics *m,
					       size_t *nr, bool *truncated);

#endif /* HV_METRICS_H */
