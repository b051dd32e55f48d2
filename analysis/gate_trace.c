/*
 * The samples a gate (and hvlab compare) needs, from one pass over a
 * trace: per domain of the scenario, one collector per metric; per task,
 * its response times and what became of its jobs; per irq, its worst
 * response.
 *
 * Only the scenario's own domains, tasks and irqs are kept (domain id =
 * index + 1, as the sim numbers them): memory follows the records, never
 * an id a damaged trace makes up. Records naming anything else are
 * counted as ignored.
 *
 * A task's jobs complete in release order (the guest model serves each
 * task's jobs first come, first served), so the jobs still open at the end
 * are the last ones released: a FIFO of their release times is enough to
 * tell which of them are overdue.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hv/types.h>

#include "analysis/gate.h"
#include "analysis/stats.h"
#include "scenario/scenario.h"
#include "tracing/trace_events.h"
#include "tracing/trace_reader.h"
#include "tracing/trace_decode.h"

#define NS_PER_S 1000000000ull

/* Release times (ns) of a task's open jobs, oldest at @head. */
struct job_fifo {
	uint64_t *rel;
	size_t head, nr, cap;
};

struct gate_task {
	struct stats *resp;
	struct gate_jobs jobs;
	struct job_fifo open;
	hv_time_t deadline;
};

struct gate_dom {
	struct stats *m[GATE_NR_METRICS]; /* task_response: all its tasks */
	struct gate_task *tasks;
	unsigned int nr_tasks;
	struct gate_irqs *irqs;
	hv_time_t *irq_deadline;
	unsigned int nr_irqs;
};

struct gate_trace {
	struct gate_trace_info info;
	uint64_t hz;
	bool has_end;
	struct gate_dom *doms;
	unsigned int nr_doms;
};

static const char *const metric_names[GATE_NR_METRICS] = {
    [GATE_IRQ_LATENCY] = "irq_latency",
    [GATE_IRQ_RESPONSE] = "irq_response",
    [GATE_TASK_RESPONSE] = "task_response",
    [GATE_SCHED_LATENCY] = "sched_latency",
};

int gate_metric_find(const char *name)
{
	for (int i = 0; i < GATE_NR_METRICS; i++)
		if (!strcmp(metric_names[i], name))
			return i;
	return -1;
}

static int fifo_push(struct job_fifo *f, uint64_t v)
{
	/* Reclaim the popped front once it is half the array. */
	if (f->nr == f->cap && f->head && f->head >= f->cap / 2) {
		memmove(f->rel, f->rel + f->head,
			(f->nr - f->head) * sizeof(*f->rel));
		f->nr -= f->head;
		f->head = 0;
	}
	if (f->nr == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		uint64_t *p = realloc(f->rel, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		f->rel = p;
		f->cap = cap;
	}
	f->rel[f->nr++] = v;
	return 0;
}

static uint64_t ticks_to_ns(const struct gate_trace *t, uint64_t ticks)
{
	const struct trace_clock c = {.hz = t->hz};

	return trace_clock_ns(&c, ticks);
}

static int add_sample(struct stats **c, uint64_t v)
{
	if (!*c && !(*c = stats_create(NULL)))
		return -ENOMEM;
	return stats_add(*c, v);
}

/* The domain of id @domid, or NULL (counted as ignored). */
static struct gate_dom *dom_of(struct gate_trace *t, uint32_t domid)
{
	if (domid >= 1 && domid <= t->nr_doms)
		return &t->doms[domid - 1];
	t->info.ignored++;
	return NULL;
}

/* Task of "dt" word @dt, or NULL (counted as ignored). */
static struct gate_task *task_of(struct gate_trace *t, uint32_t dt,
				 struct gate_dom **dom)
{
	*dom = dom_of(t, dt >> 16);
	if (*dom && (dt & 0xffff) < (*dom)->nr_tasks)
		return &(*dom)->tasks[dt & 0xffff];
	if (*dom)
		t->info.ignored++;
	return NULL;
}

static int on_task(struct gate_trace *t, const struct trace_rec *rec)
{
	const uint32_t *d = rec->data;
	struct gate_dom *dom;
	struct gate_task *task = task_of(t, d[0], &dom);
	uint64_t resp;

	if (!task)
		return 0;
	if (rec->event == TRC_HVLAB_TASK_RELEASE) {
		task->jobs.released++;
		return fifo_push(&task->open, ticks_to_ns(t, rec->tsc));
	}
	resp = trace_u64(&d[2]);
	task->jobs.completed++;
	task->jobs.misses += d[4] != 0;
	if (resp > task->jobs.max_response)
		task->jobs.max_response = resp;
	if (task->open.head < task->open.nr)
		task->open.head++;
	if (add_sample(&task->resp, resp))
		return -ENOMEM;
	return add_sample(&dom->m[GATE_TASK_RESPONSE], resp);
}

static int on_irq(struct gate_trace *t, const struct trace_rec *rec)
{
	const uint32_t *d = rec->data;
	struct gate_dom *dom = dom_of(t, d[0] >> 16);
	unsigned int irq = d[0] & 0xffff;
	uint64_t v = trace_u64(&d[2]);

	if (!dom)
		return 0;
	if (irq >= dom->nr_irqs) {
		t->info.ignored++;
		return 0;
	}
	if (rec->event == TRC_HVLAB_GUEST_IRQ_ENTRY)
		return add_sample(&dom->m[GATE_IRQ_LATENCY], v);
	dom->irqs[irq].handled++;
	dom->irqs[irq].late += v > (uint64_t)dom->irq_deadline[irq];
	if (v > dom->irqs[irq].max_response)
		dom->irqs[irq].max_response = v;
	return add_sample(&dom->m[GATE_IRQ_RESPONSE], v);
}

/* Minimum payload of the events read here; shorter ones are ignored. */
static unsigned int words_needed(uint32_t event)
{
	switch (event) {
	case TRC_HVLAB_HEADER: return TRC_HVLAB_HEADER_WORDS;
	case TRC_HVLAB_RUN_END: return TRC_HVLAB_RUN_END_WORDS;
	case TRC_LOST_RECORDS: return TRC_LOST_RECORDS_WORDS;
	case TRC_HVLAB_GUEST_IRQ_ENTRY:
	case TRC_HVLAB_GUEST_IRQ_EXIT: return TRC_HVLAB_GUEST_IRQ_EXIT_WORDS;
	case TRC_HVLAB_TASK_RELEASE: return TRC_HVLAB_TASK_RELEASE_WORDS;
	case TRC_HVLAB_TASK_COMPLETE: return TRC_HVLAB_TASK_COMPLETE_WORDS;
	case TRC_SWITCH_INFNEXT: return TRC_SWITCH_INFNEXT_WORDS;
	default: return 0;
	}
}

static int on_record(struct gate_trace *t, const struct trace_rec *rec)
{
	const uint32_t *d = rec->data;
	unsigned int need = words_needed(rec->event);
	struct gate_dom *dom;

	if (!need)
		return 0;
	if (rec->n < need) {
		t->info.ignored++;
		return 0;
	}
	if (!t->has_end && ticks_to_ns(t, rec->tsc) > t->info.end_ns)
		t->info.end_ns = ticks_to_ns(t, rec->tsc);
	switch (rec->event) {
	case TRC_HVLAB_HEADER:
		t->info.has_header = true;
		t->hz = trace_u64(&d[1]) ? trace_u64(&d[1]) : NS_PER_S;
		t->info.scenario_hash = trace_u64(&d[5]);
		return 0;
	case TRC_HVLAB_RUN_END:
		t->has_end = true;
		t->info.end_ns = ticks_to_ns(t, trace_u64(&d[0]));
		return 0;
	case TRC_LOST_RECORDS: t->info.lost += d[0]; return 0;
	case TRC_SWITCH_INFNEXT:
		if (d[0] == HV_DOMID_IDLE || !(dom = dom_of(t, d[0])))
			return 0;
		return add_sample(&dom->m[GATE_SCHED_LATENCY], d[2]);
	case TRC_HVLAB_TASK_RELEASE:
	case TRC_HVLAB_TASK_COMPLETE: return on_task(t, rec);
	default: return on_irq(t, rec);
	}
}

static int trace_alloc(struct gate_trace *t, const struct scenario *s)
{
	t->hz = NS_PER_S;
	t->nr_doms = s->nr_domains;
	t->doms = calloc(s->nr_domains + 1, sizeof(*t->doms));
	if (!t->doms)
		return -ENOMEM;
	for (unsigned int i = 0; i < s->nr_domains; i++) {
		const struct scn_domain *sd = &s->domains[i];
		struct gate_dom *dom = &t->doms[i];

		dom->tasks = calloc(sd->nr_tasks + 1, sizeof(*dom->tasks));
		dom->irqs = calloc(sd->nr_irqs + 1, sizeof(*dom->irqs));
		dom->irq_deadline =
		    calloc(sd->nr_irqs + 1, sizeof(*dom->irq_deadline));
		if (!dom->tasks || !dom->irqs || !dom->irq_deadline)
			return -ENOMEM;
		dom->nr_tasks = sd->nr_tasks;
		dom->nr_irqs = sd->nr_irqs;
		for (unsigned int k = 0; k < sd->nr_tasks; k++)
			dom->tasks[k].deadline = sd->tasks[k].deadline;
		for (unsigned int k = 0; k < sd->nr_irqs; k++)
			dom->irq_deadline[k] = sd->irqs[k].period;
		/* The irqlat guest's virtual timer (QEMU backend) is the
		 * domain's IRQ 0; it has no deadline, only latencies. The
		 * buffers above have the room (nr_irqs + 1). */
		if (!sd->nr_irqs && sd->guest.image == SCN_GUEST_IRQLAT) {
			dom->nr_irqs = 1;
			dom->irq_deadline[0] = INT64_MAX;
		}
	}
	return 0;
}

/* Open jobs whose deadline passed before the end are overdue. */
static void count_overdue(struct gate_trace *t)
{
	for (unsigned int i = 0; i < t->nr_doms; i++) {
		for (unsigned int k = 0; k < t->doms[i].nr_tasks; k++) {
			struct gate_task *task = &t->doms[i].tasks[k];
			struct job_fifo *f = &task->open;

			for (size_t j = f->head; j < f->nr; j++)
				task->jobs.overdue +=
				    f->rel[j] + (uint64_t)task->deadline <
				    t->info.end_ns;
			free(f->rel);
			*f = (struct job_fifo){0};
		}
	}
}

int gate_trace_read(const char *path, const struct scenario *s,
		    struct gate_trace **out, FILE *err)
{
	struct gate_trace *t = calloc(1, sizeof(*t));
	struct trace_reader *r = NULL;
	struct trace_rec rec;
	char msg[256] = "";
	int rc = -ENOMEM;

	*out = NULL;
	if (!t || trace_alloc(t, s))
		goto fail;
	rc = trace_reader_open(path, &r, msg, sizeof(msg));
	if (rc)
		goto fail;
	while ((rc = trace_reader_next(r, &rec)) == 1)
		if (on_record(t, &rec)) {
			rc = -ENOMEM;
			break;
		}
	if (rc < 0 && rc != -ENOMEM)
		snprintf(msg, sizeof(msg), "%s", trace_reader_error(r));
	trace_reader_close(r);
	if (rc < 0)
		goto fail;
	count_overdue(t);
	*out = t;
	return 0;
fail:
	if (rc == -ENOMEM)
		snprintf(msg, sizeof(msg), "%s: out of memory", path);
	if (err)
		fprintf(err, "%s\n", msg);
	gate_trace_free(t);
	return rc;
}

void gate_trace_free(struct gate_trace *t)
{
	if (!t)
		return;
	for (unsigned int i = 0; t->doms && i < t->nr_doms; i++) {
		struct gate_dom *dom = &t->doms[i];

		for (int m = 0; m < GATE_NR_METRICS; m++)
			stats_free(dom->m[m]);
		for (unsigned int k = 0; dom->tasks && k < dom->nr_tasks; k++) {
			stats_free(dom->tasks[k].resp);
			free(dom->tasks[k].open.rel);
		}
		free(dom->tasks);
		free(dom->irqs);
		free(dom->irq_deadline);
	}
	free(t->doms);
	free(t);
}

const struct gate_trace_info *gate_trace_info(const struct gate_trace *t)
{
	return &t->info;
}

struct stats *gate_trace_collector(struct gate_trace *t,
				   enum gate_metric metric, unsigned int domain)
{
	if (domain >= t->nr_doms || (unsigned int)metric >= GATE_NR_METRICS)
		return NULL;
	return t->doms[domain].m[metric];
}

/* Every domain's collector of @metric merged into a new one. */
static int merge_all(struct gate_trace *t, enum gate_metric metric,
		     struct stats **out)
{
	struct stats *all = stats_create(NULL);

	if (!all)
		return -ENOMEM;
	for (unsigned int i = 0; i < t->nr_doms; i++) {
		if (t->doms[i].m[metric] &&
		    stats_merge(all, t->doms[i].m[metric])) {
			stats_free(all);
			return -ENOMEM;
		}
	}
	*out = all;
	return 0;
}

int gate_trace_stats(struct gate_trace *t, enum gate_metric metric, int domain,
		     int task, struct stats_result *out)
{
	struct stats *c, *merged = NULL;
	int rc;

	if ((unsigned int)metric >= GATE_NR_METRICS ||
	    (domain >= 0 && (unsigned int)domain >= t->nr_doms) ||
	    (task >= 0 && (domain < 0 || metric != GATE_TASK_RESPONSE ||
			   (unsigned int)task >= t->doms[domain].nr_tasks)))
		return -EINVAL;
	if (domain < 0) {
		rc = merge_all(t, metric, &merged);
		if (rc)
			return rc;
		c = merged;
	} else if (task >= 0) {
		c = t->doms[domain].tasks[task].resp;
	} else {
		c = t->doms[domain].m[metric];
	}
	rc = c && stats_count(c) ? stats_result(c, out) : -ENODATA;
	stats_free(merged);
	return rc;
}

void gate_trace_jobs(const struct gate_trace *t, unsigned int domain,
		     unsigned int task, struct gate_jobs *out)
{
	memset(out, 0, sizeof(*out));
	if (domain < t->nr_doms && task < t->doms[domain].nr_tasks)
		*out = t->doms[domain].tasks[task].jobs;
}

void gate_trace_irqs(const struct gate_trace *t, unsigned int domain,
		     unsigned int irq, struct gate_irqs *out)
{
	memset(out, 0, sizeof(*out));
	if (domain < t->nr_doms && irq < t->doms[domain].nr_irqs)
		*out = t->doms[domain].irqs[irq];
}
