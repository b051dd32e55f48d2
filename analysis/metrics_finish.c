/*
 * Run metrics: the accumulators of metrics.c turned into the result
 * structs of metrics.h, and the lookups over them.
 *
 * Collectors move from the builder into the result (no copy); whatever
 * the builder still holds afterwards is freed by metrics_build_free().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/metrics_private.h"

/* Moves @a's collector into @out and computes its figures. */
static int series_finish(struct series_acc *a, struct metrics_series *out)
{
	uint64_t n;

	out->stats = a->st;
	a->st = NULL;
	if (stats_result(out->stats, &out->r))
		return -ENOMEM;
	n = out->r.n;
	out->mean_ns = n ? (uint64_t)((a->sum + n / 2) / n) : 0;
	return 0;
}

static void series_free(struct metrics_series *s)
{
	stats_free(s->stats);
	s->stats = NULL;
}

/* Running / span in 1/100 %, saturating. */
static uint32_t share_bp(uint64_t running, uint64_t span)
{
	unsigned __int128 bp;

	if (!span)
		return 0;
	bp = ((unsigned __int128)running * 10000 + span / 2) / span;
	return bp > UINT32_MAX ? UINT32_MAX : (uint32_t)bp;
}

static int finish_vcpu(const struct metrics_run *run, struct vcpu_acc *v,
		       struct metrics_vcpu *out)
{
	if (v->grp_n)
		metrics_runstate_resolve(v);
	/* The last state lasts until the end of the span. */
	if (v->state >= 0 && run->end > v->since)
		v->ticks[v->state] += run->end - v->since;
	*out = v->res;
	for (unsigned int k = 0; k < TRACE_NR_RUNSTATES; k++)
		out->runstate_ns[k] = metrics_ticks_to_ns(v->ticks[k], run->hz);
	out->share_bp = share_bp(v->ticks[0], run->end - run->start);
	return series_finish(&v->sched, &out->sched_latency);
}

/* Turns the accumulators of one domain into its result arrays. */
static int finish_domain(const struct metrics_run *run, struct dom_acc *d,
			 struct metrics_domain *out)
{
	struct metrics_irq *irqs = calloc(d->irqs.nr + 1, sizeof(*irqs));
	struct metrics_task *tasks = calloc(d->tasks.nr + 1, sizeof(*tasks));
	struct metrics_vcpu *vcpus = calloc(d->vcpus.nr + 1, sizeof(*vcpus));
	uint64_t running = 0;

	*out = d->res;
	out->irqs = irqs;
	out->tasks = tasks;
	out->vcpus = vcpus;
	out->irq_latency_raw = d->raw;
	out->nr_irq_latency_raw = d->nr_raw;
	d->raw = NULL;
	if (!irqs || !tasks || !vcpus)
		return -ENOMEM;
	if (series_finish(&d->lat, &out->irq_latency) ||
	    series_finish(&d->resp, &out->irq_response))
		return -ENOMEM;

	for (size_t i = 0; i < d->irqs.nr; i++) {
		struct irq_acc *irq = VEC_AT(&d->irqs, struct irq_acc, i);

		irqs[i] = irq->res;
		out->nr_irqs = i + 1;
		if (series_finish(&irq->lat, &irqs[i].latency) ||
		    series_finish(&irq->resp, &irqs[i].response))
			return -ENOMEM;
	}
	for (size_t i = 0; i < d->tasks.nr; i++) {
		struct task_acc *t = VEC_AT(&d->tasks, struct task_acc, i);

		tasks[i] = t->res;
		out->nr_tasks = i + 1;
		if (series_finish(&t->resp, &tasks[i].response))
			return -ENOMEM;
		/*
		 * An hvlab trace covers the whole run and completes a job
		 * once, so every completion matches an earlier release.
		 */
		if (t->res.released > t->res.completed)
			tasks[i].unfinished =
			    t->res.released - t->res.completed;
	}
	for (size_t i = 0; i < d->vcpus.nr; i++) {
		struct vcpu_acc *v = VEC_AT(&d->vcpus, struct vcpu_acc, i);

		out->nr_vcpus = i + 1;
		/* Every sample of the vCPU goes to the domain's series. */
		if (stats_merge(d->sched.st, v->sched.st))
			return -ENOMEM;
		d->sched.sum += v->sched.sum;
		if (finish_vcpu(run, v, &vcpus[i]))
			return -ENOMEM;
		running += v->ticks[0];
		out->preemptions += vcpus[i].preemptions;
		out->migrations += vcpus[i].migrations;
		out->dispatches += vcpus[i].dispatches;
	}
	out->running_ns = metrics_ticks_to_ns(running, run->hz);
	out->share_bp = share_bp(running, run->end - run->start);
	return series_finish(&d->sched, &out->sched_latency);
}

static int cmp_segment(const void *a, const void *b)
{
	const struct metrics_segment *x = a, *y = b;

	if (x->pcpu != y->pcpu)
		return x->pcpu < y->pcpu ? -1 : 1;
	return (x->start_ns > y->start_ns) - (x->start_ns < y->start_ns);
}

int metrics_build_finish(struct builder *b, struct metrics *m)
{
	if (!b->run.hz)
		b->run.hz = NS_PER_S;
	if (!b->run.has_header)
		b->run.pcpus = b->nr_cpus_seen;
	if (b->run.end < b->run.start)
		b->run.end = b->run.start;
	b->run.span_ns =
	    metrics_ticks_to_ns(b->run.end - b->run.start, b->run.hz);
	m->run = b->run;
	if (metrics_timeline_close(b))
		return -ENOMEM;
	if (b->nr_segs)
		qsort(b->segs, b->nr_segs, sizeof(*b->segs), cmp_segment);
	m->segs = b->segs;
	m->nr_segs = b->nr_segs;
	m->segs_truncated = b->segs_truncated;
	b->segs = NULL;

	m->domains = calloc(b->doms.nr + 1, sizeof(*m->domains));
	if (!m->domains)
		return -ENOMEM;
	for (size_t i = 0; i < b->doms.nr; i++) {
		m->nr_domains++;
		if (finish_domain(&m->run, VEC_AT(&b->doms, struct dom_acc, i),
				  &m->domains[i]))
			return -ENOMEM;
	}
	return 0;
}

void metrics_build_free(struct builder *b)
{
	for (size_t i = 0; i < b->doms.nr; i++) {
		struct dom_acc *d = VEC_AT(&b->doms, struct dom_acc, i);

		for (size_t k = 0; k < d->irqs.nr; k++) {
			stats_free(VEC_AT(&d->irqs, struct irq_acc, k)->lat.st);
			stats_free(
			    VEC_AT(&d->irqs, struct irq_acc, k)->resp.st);
		}
		for (size_t k = 0; k < d->tasks.nr; k++)
			stats_free(
			    VEC_AT(&d->tasks, struct task_acc, k)->resp.st);
		for (size_t k = 0; k < d->vcpus.nr; k++)
			stats_free(
			    VEC_AT(&d->vcpus, struct vcpu_acc, k)->sched.st);
		stats_free(d->lat.st);
		stats_free(d->resp.st);
		stats_free(d->sched.st);
		free(d->raw);
		free(d->irqs.items);
		free(d->tasks.items);
		free(d->vcpus.items);
	}
	free(b->doms.items);
	free(b->pcpus);
	free(b->segs);
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nr_domains; i++) {
		struct metrics_domain *d = &m->domains[i];
		struct metrics_irq *irqs = (struct metrics_irq *)d->irqs;
		struct metrics_task *tasks = (struct metrics_task *)d->tasks;
		struct metrics_vcpu *vcpus = (struct metrics_vcpu *)d->vcpus;

		for (size_t k = 0; irqs && k < d->nr_irqs; k++) {
			series_free(&irqs[k].latency);
			series_free(&irqs[k].response);
		}
		for (size_t k = 0; tasks && k < d->nr_tasks; k++)
			series_free(&tasks[k].response);
		for (size_t k = 0; vcpus && k < d->nr_vcpus; k++)
			series_free(&vcpus[k].sched_latency);
		series_free(&d->irq_latency);
		series_free(&d->irq_response);
		series_free(&d->sched_latency);
		free((void *)d->irq_latency_raw);
		free(irqs);
		free(tasks);
		free(vcpus);
	}
	free(m->domains);
	free(m->segs);
	free(m);
}

const struct metrics_run *metrics_run_info(const struct metrics *m)
{
	return &m->run;
}

size_t metrics_nr_domains(const struct metrics *m)
{
	return m->nr_domains;
}

const struct metrics_domain *metrics_domain_at(const struct metrics *m,
					       size_t i)
{
	return i < m->nr_domains ? &m->domains[i] : NULL;
}

/* Result arrays are sorted by their first member, an unsigned int id. */
static int cmp_id(const void *key, const void *elem)
{
	unsigned int k = *(const unsigned int *)key, id;

	memcpy(&id, elem, sizeof(id));
	return (k > id) - (k < id);
}

const struct metrics_domain *metrics_domain(const struct metrics *m,
					    unsigned int dom)
{
	return bsearch(&dom, m->domains, m->nr_domains, sizeof(*m->domains),
		       cmp_id);
}

const struct metrics_task *metrics_task(const struct metrics_domain *d,
					unsigned int index)
{
	return bsearch(&index, d->tasks, d->nr_tasks, sizeof(*d->tasks),
		       cmp_id);
}

const struct metrics_irq *metrics_irq(const struct metrics_domain *d,
				      unsigned int index)
{
	return bsearch(&index, d->irqs, d->nr_irqs, sizeof(*d->irqs), cmp_id);
}

const struct metrics_vcpu *metrics_vcpu(const struct metrics_domain *d,
					unsigned int vcpu)
{
	return bsearch(&vcpu, d->vcpus, d->nr_vcpus, sizeof(*d->vcpus), cmp_id);
}

const struct metrics_segment *metrics_timeline(const struct metrics *m,
					       size_t *nr, bool *truncated)
{
	*nr = m->nr_segs;
	if (truncated)
		*truncated = m->segs_truncated;
	return m->segs;
}
