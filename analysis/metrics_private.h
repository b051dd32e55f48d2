/*
 * Internals shared by metrics.c (one pass over the records into
 * accumulators), metrics_finish.c (accumulators into the result structs
 * of metrics.h) and metrics_vec.c (sorted arrays). Not a public header.
 *
 * Lookups go through arrays sorted by id and grown on demand, never arrays
 * indexed by an id read from the file, so a hostile trace costs memory in
 * proportion to its records, not to the ids it names.
 */
#ifndef HV_METRICS_PRIVATE_H
#define HV_METRICS_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/metrics.h"
#include "tracing/trace_decode.h"

#define NS_PER_S 1000000000ull

/* A collector plus the exact sum its integer mean needs. */
struct series_acc {
	struct stats *st;
	unsigned __int128 sum;
};

/* Sorted array of structs whose first member is an unsigned int key. */
struct vec {
	unsigned char *items;
	size_t nr, cap;
};

#define VEC_AT(v, type, i) ((type *)(void *)((v)->items + (i) * sizeof(type)))

struct irq_acc {
	unsigned int key;
	struct metrics_irq res;
	struct series_acc lat, resp;
};

struct task_acc {
	unsigned int key;
	struct metrics_task res;
	struct series_acc resp;
};

/* Transitions of one vCPU stamped with the same instant (metrics.c). */
#define SAME_INSTANT_MAX 8

struct vcpu_acc {
	unsigned int key;
	struct metrics_vcpu res;
	struct series_acc sched;
	int state; /* -1 until the first RUNSTATE_CHANGE */
	uint64_t since; /* ticks */
	uint64_t ticks[TRACE_NR_RUNSTATES];
	/* transitions at instant grp_ts, not yet ordered */
	uint8_t grp_old[SAME_INSTANT_MAX], grp_new[SAME_INSTANT_MAX];
	unsigned int grp_n;
	uint64_t grp_ts;
	int last_cpu; /* pCPU of the last SWITCH in; -1 before */
	bool yielded; /* YIELD seen, its deschedule not yet */
};

struct dom_acc {
	unsigned int key;
	struct metrics_domain res;
	struct series_acc lat, resp, sched; /* all IRQs / vCPUs together */
	uint64_t *raw; /* IRQ latencies in trace order */
	size_t nr_raw, cap_raw;
	struct vec irqs, tasks, vcpus;
};

/* What runs on one pCPU since when, for the timeline. */
struct pcpu_acc {
	bool known;
	unsigned int dom, vcpu;
	uint64_t since; /* ticks */
};

struct builder {
	struct metrics_config cfg;
	struct metrics_run run;
	struct vec doms;
	bool seen_any;
	unsigned int nr_cpus_seen;
	struct pcpu_acc *pcpus;
	size_t nr_pcpus;
	struct metrics_segment *segs;
	size_t nr_segs, cap_segs;
	bool segs_truncated;
};

struct metrics {
	struct metrics_run run;
	size_t nr_domains;
	struct metrics_domain *domains;
	struct metrics_segment *segs;
	size_t nr_segs;
	bool segs_truncated;
};

/* Doubles the capacity of array @p. Return: the new array, NULL: ENOMEM. */
void *metrics_grow_array(void *p, size_t *cap, size_t size);

/*
 * metrics_vec_get() - find @key in @v (elements of @size bytes whose
 * first member is the unsigned int key), inserting a zeroed element with
 * the key set (*@created true) if absent.
 * Return: the element, or NULL when out of memory.
 */
void *metrics_vec_get(struct vec *v, size_t size, unsigned int key,
		      bool *created);

/* Ticks to nanoseconds at @hz, saturating. */
uint64_t metrics_ticks_to_ns(uint64_t ticks, uint64_t hz);

/* Orders the same-instant transitions of @v and applies them. */
void metrics_runstate_resolve(struct vcpu_acc *v);

/* Closes the open timeline segments at the end of the span. */
int metrics_timeline_close(struct builder *b);

/*
 * metrics_build_finish() - turn @b's accumulators into @m (collectors
 * move over). Return: 0 or -ENOMEM.
 */
int metrics_build_finish(struct builder *b, struct metrics *m);

/* metrics_build_free() - free what @b still owns. */
void metrics_build_free(struct builder *b);

#endif /* HV_METRICS_PRIVATE_H */
