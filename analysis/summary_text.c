/*
 * The summary's text format: the table `hvlab run` prints and writes to
 * summary.txt. One file per output format (summary_output_ops); the walk
 * over the summary is summary_print() in summary.c.
 */
#include <stdio.h>

#include "analysis/summary.h"
#include "tracing/trace_decode.h"
#include "tracing/trace_events.h"

/* Text format: the table `hvlab run` prints. */

/* @ns as microseconds with 3 decimals: exact, no rounding needed. */
static void text_us(FILE *out, const char *label, uint64_t ns)
{
	char us[32];

	stats_format_us(ns, us, sizeof(us));
	fprintf(out, "  %s %s", label, us);
}

static void text_stats(FILE *out, const char *what,
		       const struct summary_stats *st)
{
	fprintf(out, "  %s (us)  n=%llu", what, (unsigned long long)st->n);
	if (st->n) {
		text_us(out, "min", st->min);
		text_us(out, "mean", st->mean);
		text_us(out, "p99", st->p99);
		text_us(out, "max", st->max);
	}
	fputc('\n', out);
}

/* @ns as milliseconds, rounded to @decimals (1 or 3) places. */
static void text_ms(FILE *out, uint64_t ns, unsigned int decimals)
{
	uint64_t unit = decimals == 1 ? 100000 : 1000;
	uint64_t scaled = ns / unit + (ns % unit >= unit / 2);
	uint64_t per_ms = decimals == 1 ? 10 : 1000;

	fprintf(out, "%llu.%0*llu ms", (unsigned long long)(scaled / per_ms),
		(int)decimals, (unsigned long long)(scaled % per_ms));
}

static void text_run(FILE *out, const struct metrics_run *run)
{
	uint64_t us = run->span_ns / 1000 + (run->span_ns % 1000 >= 500);

	if (run->has_header)
		fprintf(out,
			"run: backend %s, %u pCPUs, %llu Hz, scenario "
			"0x%016llx",
			hvlab_backend_name(run->backend), run->pcpus,
			(unsigned long long)run->hz,
			(unsigned long long)run->scenario_hash);
	else
		fprintf(out,
			"run: backend unknown, %u pCPUs, %llu Hz (assumed), "
			"scenario unknown",
			run->pcpus, (unsigned long long)run->hz);
	fprintf(out, ", span %llu.%06llu s, %llu records, %llu lost",
		(unsigned long long)(us / 1000000),
		(unsigned long long)(us % 1000000),
		(unsigned long long)run->records,
		(unsigned long long)run->lost);
	if (run->malformed)
		fprintf(out, ", %llu malformed",
			(unsigned long long)run->malformed);
	fputc('\n', out);
}

static void text_domain(FILE *out, const struct summary_domain *d)
{
	fprintf(out, "domain %s (d%u)\n", d->name, d->id);
	if (!d->nr_irqs)
		return;
	text_stats(out, "irq latency ", &d->irq_latency);
	text_stats(out, "irq response", &d->irq_response);
}

/* Per-IRQ lines only add information when a domain has several. */
static void text_irq(FILE *out, const struct summary_domain *d,
		     const struct summary_irq *irq)
{
	char what[64];

	if (d->nr_irqs < 2)
		return;
	snprintf(what, sizeof(what), "irq %-8s latency ", irq->name);
	text_stats(out, what, &irq->latency);
	snprintf(what, sizeof(what), "irq %-8s response", irq->name);
	text_stats(out, what, &irq->response);
}

static void text_task(FILE *out, const struct summary_domain *d,
		      const struct summary_task *t)
{
	(void)d;
	fprintf(out, "  task %-8s jobs %llu  resp max ", t->name,
		(unsigned long long)t->completed);
	text_ms(out, t->response.max, 3);
	fprintf(out, "  misses %llu  unfinished %llu\n",
		(unsigned long long)t->misses,
		(unsigned long long)t->unfinished);
}

static void text_vcpu(FILE *out, const struct summary_domain *d,
		      const struct summary_vcpu *v)
{
	(void)d;
	fprintf(out, "  vcpu %-8u cpu share %u.%02u%%", v->id,
		v->share_bp / 100, v->share_bp % 100);
	for (unsigned int k = 0; k < TRACE_NR_RUNSTATES; k++) {
		fprintf(out, "  %s ", trace_runstate_name(k));
		text_ms(out, v->runstate_ns[k], 1);
	}
	if (v->null_waiting)
		fprintf(out, "  WAITING: null scheduler had no free pCPU");
	fputc('\n', out);
}

static const struct summary_output_ops summary_text_ops = {
    .run = text_run,
    .domain_begin = text_domain,
    .irq = text_irq,
    .task = text_task,
    .vcpu = text_vcpu,
};

void summary_print_text(const struct summary *s, FILE *out)
{
	summary_print(s, &summary_text_ops, out);
}
