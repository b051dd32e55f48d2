/*
 * Run summary from a trace file: a view of the run metrics.
 *
 * Design: metrics.c is the one place that interprets trace records for
 * analysis; the summary copies the figures `hvlab run` prints out of its
 * result, so no number is computed twice in two places. Percentiles are
 * the metrics' nearest-rank ones (exact up to 10^7 samples per series,
 * then within the stated relative error of stats.h); the mean is the
 * exact integer sum divided by n, rounded to the nearest ns.
 *
 * Output is integer-formatted (no floating point) so that the text is the
 * same on every host. The summary keeps the entities it always had:
 * domains and vCPUs that only scheduler SWITCH records name (new in the
 * metrics) are left out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/metrics.h"
#include "analysis/summary.h"

struct summary {
	struct metrics_run run;
	size_t nr_domains;
	struct summary_domain *domains;
};

static struct summary_stats stats_of(const struct metrics_series *s)
{
	struct summary_stats st = {0};

	if (!s->r.n)
		return st;
	st.n = s->r.n;
	st.min = s->r.min;
	st.mean = s->mean_ns;
	st.p99 = s->r.p99;
	st.max = s->r.max;
	return st;
}

/* Copies one domain's figures into @out's arrays. */
static int domain_of(const struct metrics_domain *d, struct summary_domain *out)
{
	struct summary_irq *irqs = calloc(d->nr_irqs + 1, sizeof(*irqs));
	struct summary_task *tasks = calloc(d->nr_tasks + 1, sizeof(*tasks));
	struct summary_vcpu *vcpus = calloc(d->nr_vcpus + 1, sizeof(*vcpus));

	out->id = d->id;
	out->named = d->named;
	memcpy(out->name, d->name, sizeof(out->name));
	out->irqs = irqs;
	out->tasks = tasks;
	out->vcpus = vcpus;
	if (!irqs || !tasks || !vcpus)
		return -ENOMEM;
	out->irq_latency = stats_of(&d->irq_latency);
	out->irq_response = stats_of(&d->irq_response);
	for (size_t i = 0; i < d->nr_irqs; i++) {
		const struct metrics_irq *irq = &d->irqs[i];

		irqs[i].index = irq->index;
		irqs[i].named = irq->named;
		memcpy(irqs[i].name, irq->name, sizeof(irqs[i].name));
		irqs[i].latency = stats_of(&irq->latency);
		irqs[i].response = stats_of(&irq->response);
	}
	out->nr_irqs = d->nr_irqs;
	for (size_t i = 0; i < d->nr_tasks; i++) {
		const struct metrics_task *t = &d->tasks[i];

		tasks[i].index = t->index;
		tasks[i].named = t->named;
		memcpy(tasks[i].name, t->name, sizeof(tasks[i].name));
		tasks[i].has_info = t->has_info;
		tasks[i].vcpu = t->vcpu;
		tasks[i].period_ns = t->period_ns;
		tasks[i].deadline_ns = t->deadline_ns;
		tasks[i].priority = t->priority;
		tasks[i].released = t->released;
		tasks[i].completed = t->completed;
		tasks[i].misses = t->misses;
		tasks[i].unfinished = t->unfinished;
		tasks[i].response = stats_of(&t->response);
	}
	out->nr_tasks = d->nr_tasks;
	for (size_t i = 0; i < d->nr_vcpus; i++) {
		const struct metrics_vcpu *v = &d->vcpus[i];
		struct summary_vcpu *sv = &vcpus[out->nr_vcpus];

		if (v->sched_only)
			continue;
		sv->id = v->id;
		memcpy(sv->runstate_ns, v->runstate_ns,
		       sizeof(sv->runstate_ns));
		sv->share_bp = v->share_bp;
		sv->null_waiting = v->null_waiting;
		out->nr_vcpus++;
	}
	return 0;
}

int summary_from_trace(const char *trace_path, struct summary **out, FILE *err)
{
	struct summary *s;
	struct metrics *m;
	int ret = metrics_from_trace(trace_path, NULL, &m, err);

	if (ret)
		return ret;
	s = calloc(1, sizeof(*s));
	if (s)
		s->domains =
		    calloc(metrics_nr_domains(m) + 1, sizeof(*s->domains));
	ret = s && s->domains ? 0 : -ENOMEM;
	if (!ret)
		s->run = *metrics_run_info(m);
	for (size_t i = 0; !ret && i < metrics_nr_domains(m); i++) {
		const struct metrics_domain *d = metrics_domain_at(m, i);

		if (d->sched_only)
			continue;
		ret = domain_of(d, &s->domains[s->nr_domains++]);
	}
	metrics_free(m);
	if (!ret) {
		*out = s;
		return 0;
	}
	summary_free(s);
	if (err)
		fprintf(err, "%s: out of memory\n", trace_path);
	return ret;
}

void summary_free(struct summary *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nr_domains; i++) {
		free((void *)s->domains[i].irqs);
		free((void *)s->domains[i].tasks);
		free((void *)s->domains[i].vcpus);
	}
	free(s->domains);
	free(s);
}

const struct metrics_run *summary_run_info(const struct summary *s)
{
	return &s->run;
}

size_t summary_nr_domains(const struct summary *s)
{
	return s->nr_domains;
}

const struct summary_domain *summary_domain_at(const struct summary *s,
					       size_t i)
{
	return i < s->nr_domains ? &s->domains[i] : NULL;
}

/* Result arrays are sorted by their first member, an unsigned int id. */
static int cmp_id(const void *key, const void *elem)
{
	unsigned int k = *(const unsigned int *)key, id;

	memcpy(&id, elem, sizeof(id));
	return (k > id) - (k < id);
}

const struct summary_domain *summary_domain(const struct summary *s,
					    unsigned int dom)
{
	return bsearch(&dom, s->domains, s->nr_domains, sizeof(*s->domains),
		       cmp_id);
}

const struct summary_task *summary_task(const struct summary_domain *d,
					unsigned int index)
{
	return bsearch(&index, d->tasks, d->nr_tasks, sizeof(*d->tasks),
		       cmp_id);
}

const struct summary_irq *summary_irq(const struct summary_domain *d,
				      unsigned int index)
{
	return bsearch(&index, d->irqs, d->nr_irqs, sizeof(*d->irqs), cmp_id);
}

const struct summary_vcpu *summary_vcpu(const struct summary_domain *d,
					unsigned int vcpu)
{
	return bsearch(&vcpu, d->vcpus, d->nr_vcpus, sizeof(*d->vcpus), cmp_id);
}

void summary_print(const struct summary *s,
		   const struct summary_output_ops *ops, FILE *out)
{
	if (ops->run)
		ops->run(out, &s->run);
	for (size_t i = 0; i < s->nr_domains; i++) {
		const struct summary_domain *d = &s->domains[i];

		if (ops->domain_begin)
			ops->domain_begin(out, d);
		for (size_t k = 0; ops->irq && k < d->nr_irqs; k++)
			ops->irq(out, d, &d->irqs[k]);
		for (size_t k = 0; ops->task && k < d->nr_tasks; k++)
			ops->task(out, d, &d->tasks[k]);
		for (size_t k = 0; ops->vcpu && k < d->nr_vcpus; k++)
			ops->vcpu(out, d, &d->vcpus[k]);
		if (ops->domain_end)
			ops->domain_end(out, d);
	}
	if (ops->end)
		ops->end(out, &s->run);
}
