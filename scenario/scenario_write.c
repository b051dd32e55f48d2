/*
 * From a scenario back to a scenario file. "hvlab compare" writes each
 * scheduler's variant this way, so that every run it makes can be made
 * again with "hvlab run" from the file beside its trace.
 *
 * Every value is written explicitly, defaults included, so the file does
 * not depend on the defaults of the hvlab that reads it; names and CPU
 * lists are quoted, times carry the largest unit that divides them
 * exactly (scn_format_time()), so the text parses back to the very same
 * integers. The output depends on the scenario only -- no date, no path --
 * which makes write(load(write(s))) equal write(s) byte for byte and keeps
 * a run's scenario hash stable. Variants are not written: the file
 * describes one run.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <hv/guest_abi.h>

#include "scenario/private.h"

/* What scn_format_*() need; a cpumask of 128 CPUs fits easily. */
#define TXT 64
#define CPUS_TXT 512

struct writer {
	FILE *out;
	char a[TXT], b[TXT], c[TXT], d[TXT];
	char cpus[CPUS_TXT];
};

static const char *tm(char *buf, hv_time_t t)
{
	scn_format_time(t, buf, TXT);
	return buf;
}

static const char *cpus_of(struct writer *w, const struct cpumask *m)
{
	scn_format_cpus(m, w->cpus, sizeof(w->cpus));
	return w->cpus;
}

static void write_machine(struct writer *w, const struct scn_machine *m)
{
	const struct scn_costs *c = &m->costs;

	scn_format_size(m->l2_size, w->a, sizeof(w->a));
	fprintf(w->out,
		"machine:\n"
		"  pcpus: %u\n"
		"  threads_per_core: %u\n"
		"  cores_per_socket: %u\n"
		"  l2: { size: %s, ways: %u, line: %u }\n",
		m->pcpus, m->threads_per_core, m->cores_per_socket, w->a,
		m->l2_ways, m->l2_line);
	fprintf(w->out,
		"  costs:\n"
		"    trap_entry: %s\n"
		"    trap_exit: %s\n"
		"    ctx_switch: %s\n",
		tm(w->a, c->trap_entry), tm(w->b, c->trap_exit),
		tm(w->c, c->ctx_switch));
	fprintf(w->out,
		"    sched_invoke: %s\n"
		"    virq_inject: %s\n"
		"    ipi: %s\n",
		tm(w->a, c->sched_invoke), tm(w->b, c->virq_inject),
		tm(w->c, c->ipi));
	scn_format_size(m->qemu.memory, w->a, sizeof(w->a));
	scn_format_size(m->qemu.trace_ring, w->b, sizeof(w->b));
	fprintf(w->out,
		"  qemu: { cpu: %s, memory: %s, timeout: %s, trace_ring: %s, "
		"trace: %s, build: %s }\n",
		m->qemu.cpu, w->a, tm(w->c, m->qemu.timeout), w->b,
		m->qemu.trace, m->qemu.build);
}

static void write_pool(struct writer *w, const struct scenario *s,
		       const struct scn_pool *p)
{
	fprintf(w->out,
		"  - name: \"%s\"\n"
		"    sched: %s\n"
		"    cpus: \"%s\"\n",
		p->name, p->sched, cpus_of(w, &p->cpus));
	if (!strcmp(p->sched, "credit2"))
		fprintf(w->out,
			"    ratelimit: %s\n"
			"    runqueue: %s\n"
			"    max_cpus_runqueue: %u\n",
			tm(w->a, p->ratelimit),
			scn_c2_runqueue_name(p->runqueue),
			p->max_cpus_runqueue);
	if (strcmp(p->sched, "arinc653"))
		return;
	fprintf(w->out, "    major_frame: %s\n    schedule:\n",
		tm(w->a, p->major_frame));
	for (unsigned int i = 0; i < p->nr_a653; i++) {
		const struct scn_a653_entry *e = &p->a653[i];

		fprintf(
		    w->out, "      - { dom: \"%s\", vcpu: %u, runtime: %s }\n",
		    s->domains[e->domain].name, e->vcpu, tm(w->a, e->runtime));
	}
}

/* "exec: 1ms" or "exec: { dist: uniform, ... }", without the newline. */
static void write_dist(struct writer *w, const char *key,
		       const struct scn_dist *d)
{
	switch (d->kind) {
	case SCN_DIST_CONST:
		fprintf(w->out, "%s: %s", key, tm(w->a, d->max));
		break;
	case SCN_DIST_UNIFORM:
		fprintf(w->out, "%s: { dist: uniform, min: %s, max: %s }", key,
			tm(w->a, d->min), tm(w->b, d->max));
		break;
	case SCN_DIST_NORMAL:
		fprintf(w->out,
			"%s: { dist: normal, mean: %s, stddev: %s, min: %s, "
			"max: %s }",
			key, tm(w->a, d->mean), tm(w->b, d->stddev),
			tm(w->c, d->min), tm(w->d, d->max));
		break;
	}
}

static void write_task(struct writer *w, const struct scn_task *t)
{
	fprintf(w->out, "        - { name: \"%s\", vcpu: %u, ", t->name,
		t->vcpu);
	if (t->sporadic)
		fprintf(w->out,
			"sporadic: { min_interarrival: %s, "
			"max_interarrival: %s }, ",
			tm(w->a, t->period), tm(w->b, t->max_interarrival));
	else
		fprintf(w->out, "period: %s, ", tm(w->a, t->period));
	if (t->offset)
		fprintf(w->out, "offset: %s, ", tm(w->a, t->offset));
	fprintf(w->out, "deadline: %s, priority: %d, ", tm(w->a, t->deadline),
		t->priority);
	write_dist(w, "exec", &t->exec);
	fputs(" }\n", w->out);
}

static void write_irq(struct writer *w, const struct scn_irq *irq)
{
	fprintf(w->out, "        - { name: \"%s\", vcpu: %u, ", irq->name,
		irq->vcpu);
	if (irq->sporadic)
		fprintf(w->out,
			"sporadic: { min_interarrival: %s, jitter: %s }, ",
			tm(w->a, irq->period), tm(w->b, irq->jitter));
	else if (irq->jitter)
		fprintf(w->out, "period: %s, jitter: %s, ",
			tm(w->a, irq->period), tm(w->b, irq->jitter));
	else
		fprintf(w->out, "period: %s, ", tm(w->a, irq->period));
	if (irq->offset)
		fprintf(w->out, "offset: %s, ", tm(w->a, irq->offset));
	write_dist(w, "handler", &irq->handler);
	fputs(" }\n", w->out);
}

static void write_workload(struct writer *w, const struct scn_domain *d)
{
	if (!d->nr_tasks && !d->nr_irqs && !d->nr_hogs)
		return;
	fputs("    workload:\n", w->out);
	if (d->nr_tasks)
		fputs("      tasks:\n", w->out);
	for (unsigned int i = 0; i < d->nr_tasks; i++)
		write_task(w, &d->tasks[i]);
	if (d->nr_irqs)
		fputs("      irqs:\n", w->out);
	for (unsigned int i = 0; i < d->nr_irqs; i++)
		write_irq(w, &d->irqs[i]);
	if (d->nr_hogs)
		fputs("      hogs:\n", w->out);
	for (unsigned int i = 0; i < d->nr_hogs; i++)
		fprintf(w->out, "        - { vcpu: %u }\n", d->hogs[i].vcpu);
}

static bool same_server(const struct scn_rtds_vcpu *a,
			const struct scn_rtds_vcpu *b)
{
	return a->period == b->period && a->budget == b->budget &&
	       a->extratime == b->extratime;
}

/* vCPU 0's server domain-wide, and an override for each that differs. */
static void write_rtds(struct writer *w, const struct scn_domain *d)
{
	const struct scn_rtds_vcpu *r = d->rtds;
	bool first = true;

	fprintf(w->out, "    period: %s\n    budget: %s\n    extratime: %s\n",
		tm(w->a, r[0].period), tm(w->b, r[0].budget),
		r[0].extratime ? "true" : "false");
	for (unsigned int v = 1; v < d->nr_vcpus; v++) {
		if (same_server(&r[v], &r[0]))
			continue;
		if (first)
			fputs("    vcpu_sched:\n", w->out);
		first = false;
		fprintf(w->out,
			"      - { vcpu: %u, period: %s, budget: %s, "
			"extratime: %s }\n",
			v, tm(w->a, r[v].period), tm(w->b, r[v].budget),
			r[v].extratime ? "true" : "false");
	}
}

/* Only the keys the image takes, so the text loads back. */
static void write_guest(struct writer *w, const struct scn_guest *g)
{
	const char *image = guest_kind_name(g->image);

	if (!image)
		return;
	fprintf(w->out, "    guest:\n      image: %s\n", image);
	if (g->image == SCN_GUEST_IRQLAT || g->image == SCN_GUEST_TASKS)
		fprintf(w->out, "      samples: %u\n", g->samples);
	if (g->image == SCN_GUEST_IRQLAT)
		fprintf(w->out, "      delta: %s-%s\n", tm(w->a, g->delta_min),
			tm(w->b, g->delta_max));
	scn_format_size(g->memory, w->a, sizeof(w->a));
	fprintf(w->out,
		"      memory: %s\n"
		"      wfi: %s\n"
		"      direct_irq: %s\n",
		w->a, g->wfi_native ? "native" : "trap",
		g->direct_irq ? "true" : "false");
	if (g->image == SCN_GUEST_HOG)
		fprintf(w->out, "      fault_after: %s\n",
			tm(w->a, g->fault_after));
}

static void write_domain(struct writer *w, const struct scenario *s,
			 const struct scn_domain *d)
{
	const struct scn_pool *p = &s->pools[d->pool];
	bool same = true;

	fprintf(w->out,
		"  - name: \"%s\"\n"
		"    pool: \"%s\"\n"
		"    vcpus: %u\n",
		d->name, p->name, d->nr_vcpus);
	for (unsigned int v = 1; v < d->nr_vcpus; v++)
		same &=
		    cpumask_subset(&d->hard_affinity[v],
				   &d->hard_affinity[0]) &&
		    cpumask_subset(&d->hard_affinity[0], &d->hard_affinity[v]);
	if (same) {
		fprintf(w->out, "    cpus: \"%s\"\n",
			cpus_of(w, &d->hard_affinity[0]));
	} else {
		fputs("    cpus: [", w->out);
		for (unsigned int v = 0; v < d->nr_vcpus; v++)
			fprintf(w->out, "%s\"%s\"", v ? ", " : "",
				cpus_of(w, &d->hard_affinity[v]));
		fputs("]\n", w->out);
	}
	if (!strcmp(p->sched, "credit2"))
		fprintf(w->out, "    weight: %u\n    cap: %u\n", d->weight,
			d->cap);
	if (!strcmp(p->sched, "rtds") && d->rtds)
		write_rtds(w, d);
	fprintf(w->out, "    guest_scheduler: %s\n",
		scn_domain_edf(d) ? "edf" : "fp");
	write_workload(w, d);
	write_guest(w, &d->guest);
}

static void write_budgets(struct writer *w, const struct scenario *s)
{
	if (!s->nr_budgets)
		return;
	fputs("budgets:\n", w->out);
	for (unsigned int i = 0; i < s->nr_budgets; i++) {
		const struct scn_budget *b = &s->budgets[i];

		fprintf(w->out, "  - { metric: %s, stat: %s, ", b->metric,
			b->stat);
		if (b->domain >= 0)
			fprintf(w->out, "domain: \"%s\", ",
				s->domains[b->domain].name);
		if (b->task[0])
			fprintf(w->out, "task: \"%s\", ", b->task);
		fprintf(w->out, "max: %s }\n", tm(w->a, b->max));
	}
}

int scenario_write(const struct scenario *s, FILE *out)
{
	struct writer w = {.out = out};

	fprintf(out,
		"# Written by hvlab: every value explicit, defaults included.\n"
		"# Format: docs/scenario.md.\n"
		"name: \"%s\"\n"
		"duration: %s\n"
		"seed: %" PRIu64 "\n",
		s->name, tm(w.a, s->duration), s->seed);
	write_machine(&w, &s->machine);
	fputs("cpupools:\n", out);
	for (unsigned int i = 0; i < s->nr_pools; i++)
		write_pool(&w, s, &s->pools[i]);
	fputs("domains:\n", out);
	for (unsigned int i = 0; i < s->nr_domains; i++)
		write_domain(&w, s, &s->domains[i]);
	write_budgets(&w, s);
	return ferror(out) ? -EIO : 0;
}
